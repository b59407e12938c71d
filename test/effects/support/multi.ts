/**
 * Engines for the multi-engine suites: a fresh database on a real engine
 * with a unique engine name (xids are server-wide, so names must not clash
 * across test files running at once), optionally behind a fault injector
 * that fails or kills the connection at a chosen statement, prepare or
 * commit of a prepared branch.
 */
import { randomBytes } from 'node:crypto'
import type { Connection, Driver, Param } from '../../../src/drivers/driver.js'
import { dbError, type Unknown } from '../../../src/drivers/errors.js'
import type { PoolLimited } from '../../../src/drivers/pool.js'
import { createEngine, runPromise, sql, type Engine } from '../../../src/effects/index.js'
import { killMysqlConnection, killPostgresBackend } from '../../support/databases.js'
import { engines as testEngines, type TestEngine } from '../../support/engines.js'

/** How a fault strikes: an injected error, or the connection killed by an administrator first. */
export type FaultKind = 'error' | 'kill'

/** Faults shared by every engine made with it; counters run across engines. */
export interface Faults {
  /** Fail the n-th `execute` (from 1, counted since `reset`). */
  at: number | undefined
  kind: FaultKind
  /** `execute` calls seen since `reset`. */
  seen: number
  /** `execute` calls seen when the first prepare was called. */
  beforePrepare: number | undefined
  /** Engines whose next prepare fails, and how. */
  readonly prepare: Map<string, FaultKind>
  /** Engines whose every commitPrepared fails while listed, and how. */
  readonly commitPrepared: Map<string, FaultKind>
  /** Engines whose next commitPrepared fails (without committing). */
  readonly commitPreparedOnce: Set<string>
  /** Engines whose listPrepared fails while listed. */
  readonly listPrepared: Set<string>
}

/** No faults. */
export const noFaults = (): Faults => ({
  at: undefined,
  kind: 'error',
  seen: 0,
  beforePrepare: undefined,
  prepare: new Map(),
  commitPrepared: new Map(),
  commitPreparedOnce: new Set(),
  listPrepared: new Set(),
})

/** Clear every fault and counter. */
export const reset = (f: Faults): void => {
  Object.assign(f, { at: undefined, kind: 'error', seen: 0, beforePrepare: undefined })
  f.prepare.clear()
  f.commitPrepared.clear()
  f.commitPreparedOnce.clear()
  f.listPrepared.clear()
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

type Kind = TestEngine['name']

/** Kill the connection's current session (MariaDB swaps sessions after prepare, so the id is read now). */
const kill = async (kind: Kind, c: Connection): Promise<void> => {
  if (kind === 'postgresql') await killPostgresBackend(Number((await c.execute<{ id: number }>('SELECT pg_backend_pid() AS id')).rows[0]!.id))
  else if (kind === 'mariadb') await killMysqlConnection(Number((await c.execute<{ id: number }>('SELECT CONNECTION_ID() AS id')).rows[0]!.id))
  await sleep(150)
}

const injected = (what: string): Unknown => dbError<Unknown>('Unknown', `injected failure: ${what}`, {})

/** A driver whose connections obey `faults` under engine name `name`. */
const faulty = (kind: Kind, name: string, driver: Driver & PoolLimited, faults: Faults): Driver & PoolLimited => ({
  ...driver,
  dialect: driver.dialect,
  connect: async () => {
    const c = await driver.connect()
    const strike = async (how: FaultKind, what: string): Promise<void> => {
      if (how === 'error') throw injected(what)
      await kill(kind, c)
    }
    const execute = async (text: string, params?: ReadonlyArray<Param>) => {
      if (++faults.seen === faults.at) await strike(faults.kind, `statement ${faults.seen}`)
      return c.execute(text, params)
    }
    const prepare = async () => {
      faults.beforePrepare ??= faults.seen
      const how = faults.prepare.get(name)
      if (how !== undefined) {
        faults.prepare.delete(name)
        await strike(how, `prepare on ${name}`)
      }
      return c.prepare()
    }
    const commitPrepared = async (xid: string) => {
      if (faults.commitPreparedOnce.delete(name)) throw injected(`commit prepared on ${name}`)
      const how = faults.commitPrepared.get(name)
      if (how !== undefined) {
        await strike(how, `commit prepared on ${name}`)
        // The killed connection is gone; a fresh one would succeed, so keep failing while the fault stands.
        throw dbError('ConnectionLost', `injected: ${name} unreachable`, {})
      }
      return c.commitPrepared(xid)
    }
    const listPrepared = async () => {
      if (faults.listPrepared.has(name)) throw injected(`list prepared on ${name}`)
      return c.listPrepared()
    }
    const overrides: Record<string, unknown> = { execute, prepare, commitPrepared, listPrepared }
    return new Proxy(c, {
      get: (target, p) => {
        if (typeof p === 'string' && p in overrides) return overrides[p]
        const v: unknown = Reflect.get(target, p, target)
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    }) as Connection
  },
})

/** A fresh database on one engine kind, as a quarry engine with a unique name. */
export interface TestDb {
  readonly kind: Kind
  readonly engine: Engine
  /** Run hand-written SQL (DDL, checks) on it. */
  readonly sql: (text: string) => Promise<readonly Record<string, unknown>[]>
  readonly close: () => Promise<void>
}

/** A unique engine name fit for an xid scope. */
export const uniqueName = (prefix: string): string => `${prefix}${randomBytes(3).toString('hex')}`

/**
 * Open a fresh database of `kind` as an engine named `name`.
 *
 * @example
 * const pg = await openDb('postgresql', uniqueName('pg'), faults)
 */
export const openDb = async (kind: Kind, name: string, faults?: Faults): Promise<TestDb> => {
  const te = testEngines.find((e) => e.name === kind)!
  const db = await te.fresh()
  const engine = createEngine(faults === undefined ? db.driver : faulty(kind, name, db.driver, faults), { name, pool: { max: 4 } })
  return {
    kind,
    engine,
    sql: async (text) => (await runPromise(engine)(sql<Record<string, unknown>>(text))).rows,
    close: async () => {
      await engine.close()
      await db.drop()
    },
  }
}

/** The id column DDL of each engine. */
export const idColumn = (kind: Kind): string =>
  kind === 'postgresql' ? 'INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY' : kind === 'mariadb' ? 'INT AUTO_INCREMENT PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'

/** Rows as JSON with numbers for bigints, to compare dumps. */
export const show = (x: unknown): string => JSON.stringify(x, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))
