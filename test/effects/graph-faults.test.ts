/**
 * Atomicity of a commit under faults, on the three real engines: for a
 * graph that flushes as k statements, fail at every statement index (an
 * injected error, and on PostgreSQL / MariaDB a connection killed by an
 * administrator) → the tables are exactly as before and the error names
 * the failed step; a constraint violation mid-flush rolls everything back
 * and the engine stays usable.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import type { Connection, Driver, Param } from '../../src/drivers/driver.js'
import { dbError, type Unknown } from '../../src/drivers/errors.js'
import type { PoolLimited } from '../../src/drivers/pool.js'
import { createEngine, execute, G, run, runPromise, sql, type Engine } from '../../src/effects/index.js'
import type { Dialect } from '../../src/interpret/index.js'
import { killMysqlConnection, killPostgresBackend } from '../support/databases.js'
import { engines, type EngineDb } from '../support/engines.js'

const users = Q.table(
  'users',
  { id: Q.integer().primaryKey().autoIncrement(), name: Q.text().notNull(), best_post_id: Q.integer(), version: Q.integer().notNull().default(1) },
  { foreignKeys: [{ columns: ['best_post_id'], references: (): Q.AnyTable => posts, referencedColumns: ['id'], onDelete: 'set null' }] },
)
const posts = Q.table(
  'posts',
  { id: Q.integer().primaryKey().autoIncrement(), author_id: Q.integer().notNull(), title: Q.text().notNull() },
  { foreignKeys: [{ columns: ['author_id'], references: (): Q.AnyTable => users, referencedColumns: ['id'] }] },
)

/** The schema through quarry's own DDL: the users <-> posts cycle is closed by ALTER TABLE, or inline on SQLite. */
const ddl = (d: Dialect): readonly Q.DdlNode[] =>
  E.getOrElseW((e: Q.MetaDataError) => {
    throw new Error(e.message)
  })(Q.createAll(Q.metadata([users, posts]), { foreignKeys: d.capabilities.alterForeignKey === undefined ? 'inline' : 'alter' }))

/** Which statement (counted from 1 over every connection) fails, and how. */
interface Fault {
  at: number | undefined
  kind: 'error' | 'kill'
  seen: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A driver whose connections fail the `fault.at`-th statement: an injected error, or killed by an administrator first. */
const faulty = (engine: string, driver: Driver & PoolLimited, fault: Fault): Driver & PoolLimited => ({
  ...driver,
  dialect: driver.dialect,
  connect: async () => {
    const c = await driver.connect()
    const idSql = engine === 'postgresql' ? 'SELECT pg_backend_pid() AS id' : engine === 'mariadb' ? 'SELECT CONNECTION_ID() AS id' : undefined
    const id = idSql === undefined ? 0 : Number((await c.execute<{ id: number }>(idSql)).rows[0]!.id)
    const trip = async (text: string): Promise<void> => {
      if (++fault.seen === fault.at) {
        if (fault.kind === 'error') throw dbError<Unknown>('Unknown', `injected failure at statement ${fault.seen}`, { sql: text })
        await (engine === 'postgresql' ? killPostgresBackend(id) : killMysqlConnection(id))
        await sleep(150)
      }
    }
    const execute = async (text: string, params?: ReadonlyArray<Param>) => {
      await trip(text)
      return c.execute(text, params)
    }
    // A batch (the one-row UPDATE per row on SQLite) is one statement of the plan.
    const executeMany = async (text: string, sets: ReadonlyArray<ReadonlyArray<Param>>) => {
      await trip(text)
      return c.executeMany(text, sets)
    }
    return new Proxy(c, {
      get: (target, p) => {
        if (p === 'execute') return execute
        if (p === 'executeMany') return executeMany
        const v: unknown = Reflect.get(target, p, target)
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    }) as Connection
  },
})

describe.each(engines)('commit under faults on $name', (engine) => {
  let db: EngineDb
  let e: Engine
  const fault: Fault = { at: undefined, kind: 'error', seen: 0 }
  const dump = async (): Promise<string> => {
    const out: unknown[] = []
    for (const t of ['users', 'posts']) out.push((await runPromise(e)(sql(`SELECT * FROM ${t} ORDER BY id`))).rows)
    return JSON.stringify(out, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))
  }
  let seeded: G.Persisted

  beforeAll(async () => {
    db = await engine.fresh()
    e = createEngine(faulty(engine.name, db.driver, fault), { pool: { max: 2 } })
    for (const s of ddl(e.dialect)) await runPromise(e)(execute(s))
    seeded = await runPromise(e)(G.commit(pipe(G.empty, G.insert('old', users, { name: 'old' }), G.insert('gone', users, { name: 'gone' }))))
  })
  afterAll(async () => {
    await e.close()
    await db.drop()
  })

  const row = (k: string) => ({ id: Number(seeded.rows.get(k)?.['id']), name: k, best_post_id: null, version: 1 })
  /** Inserts across two levels with a cycle (post-update), a version-checked update and a delete. */
  const graph = (): G.ChangeGraph =>
    pipe(
      G.empty,
      G.insert('ada', users, { name: 'ada', best_post_id: G.ref('p1') }),
      G.insert('p1', posts, { title: 'hello', author_id: G.ref('ada') }),
      G.insert('p2', posts, { title: 'more', author_id: G.ref('ada') }),
      G.update('old', users, row('old'), { name: 'renamed' }, { version: 'version' }),
      G.remove('gone', users, { id: row('gone').id }),
    )
  /** The step each statement belongs to (a lock-first version check runs two statements in one step). */
  const stepOfStatement = (): number[] => {
    const p = G.plan(graph(), e.dialect)
    if (E.isLeft(p)) throw new Error(p.left.message)
    return p.right.steps.flatMap((s, i) => ((s._tag === 'Update' || s._tag === 'Delete') && s.check?.mode === 'lock-first' ? [i + 1, i + 1] : [i + 1]))
  }

  for (const kind of engine.name === 'sqlite' ? (['error'] as const) : (['error', 'kill'] as const)) {
    it(`fails at every statement (${kind === 'error' ? 'an injected error' : 'the connection killed'}) → nothing written, the step named`, async () => {
      const steps = stepOfStatement()
      expect(steps.length).toBeGreaterThanOrEqual(5)
      for (let i = 1; i <= steps.length; i++) {
        const before = await dump()
        Object.assign(fault, { at: i, kind, seen: 0 })
        const r = await run(e)(G.commit(graph()))()
        fault.at = undefined
        expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'FlushFailed', step: steps[i - 1], cause: { _tag: kind === 'error' ? 'Unknown' : 'ConnectionLost' } })
        if (E.isLeft(r) && r.left._tag === 'FlushFailed') expect(r.left.completed).toHaveLength(steps[i - 1]! - 1)
        expect(await dump()).toBe(before)
      }
    })
  }

  it('a constraint violation mid-flush rolls back everything; the engine stays usable', async () => {
    const before = await dump()
    const bad = pipe(G.empty, G.insert('ok', users, { name: 'ok' }), G.insert('p', posts, { title: 't', author_id: G.ref('ok') }), G.insert('orphan', posts, { title: 'x', author_id: 987654 }))
    const r = await run(e)(G.commit(bad))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'FlushFailed', cause: { _tag: 'ForeignKeyViolation' } })
    expect(E.isLeft(r) && r.left.message).toMatch(/flush failed at step \d+ \(insert/)
    expect(await dump()).toBe(before)
    const ok = await run(e)(G.commit(graph()))()
    expect(E.isRight(ok) && ok.right.statements).toBeGreaterThanOrEqual(5)
    expect(await dump()).not.toBe(before)
  })
})
