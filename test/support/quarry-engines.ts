/**
 * quarry on the three real engines, as one list for `describe.each`, so a behaviour
 * suite is written once and runs on PostgreSQL, MariaDB and SQLite. Each
 * engine carries the quarry dialect that speaks to it and a set of
 * capability tags: what the *engine* is known to lack, stated here from the
 * engines' documentation rather than read from the dialect record, so a
 * test that expects `Unsupported` is not a tautology of the interpreter's
 * own flags.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { StatementNode } from '../../src/algebra/index.js'
import type { Connection, ExecResult, Param, Row } from '../../src/drivers/driver.js'
import { compile, mariadb, postgres, sqlite, type Args, type CompileError, type Compiled, type Dialect } from '../../src/interpret/index.js'
import { engines as driverEngines } from './engines.js'

/** Engine names as the bench and test reports print them. */
export type EngineName = 'postgresql' | 'mariadb' | 'sqlite'

/** Features some engine lacks; a test tagged with one expects `Unsupported` there. */
export type Capability =
  | 'full-join'
  | 'lateral'
  | 'distinct-on'
  | 'returning-update'
  | 'set-op-all'
  | 'row-locks'
  | 'partial-index'
  | 'upsert-where'
  | 'cte-in-mutations'
  | 'upsert-target-among-several-uniques'
  | 'multi-row-insert-default-with-server-default'
  | 'nul-in-text'

/** An open database on one engine, with quarry's compile-and-run helpers bound to it. */
export interface OpenDb {
  readonly engine: EngineName
  readonly dialect: Dialect
  readonly conn: Connection
  /** Compile for this engine's dialect (throws on a compile error: use `compileFor` to inspect one) and execute. */
  readonly run: <R = Row>(s: StatementNode, args?: Args) => Promise<ExecResult<R>>
  /** `run` and return the rows. */
  readonly rows: <R = Row>(s: StatementNode, args?: Args) => Promise<readonly R[]>
  /** Close the connection and drop the database. */
  readonly close: () => Promise<void>
}

/** One real engine. */
export interface TestEngine {
  readonly name: EngineName
  readonly dialect: Dialect
  /** What this engine cannot do (see {@link Capability}). */
  readonly lacks: ReadonlySet<Capability>
  /** A fresh, empty database on this engine. */
  readonly open: () => Promise<OpenDb>
}

/** Compile a statement; a compile error becomes a thrown Error naming its tag (for tests that expect success). */
export const compileOrThrow = (d: Dialect, s: StatementNode, args?: Args): Compiled =>
  E.getOrElse((e: CompileError): Compiled => {
    throw new Error(`compile failed on ${d.name}: ${e._tag}: ${e.message}`)
  })(compile(d)(s, args))

const bind = (name: EngineName, dialect: Dialect, conn: Connection, cleanup: () => Promise<void>): OpenDb => {
  const run = <R = Row>(s: StatementNode, args?: Args): Promise<ExecResult<R>> => {
    const c = compileOrThrow(dialect, s, args)
    return conn.execute<R>(c.sql, c.params as readonly Param[])
  }
  return {
    engine: name,
    dialect,
    conn,
    run,
    rows: async <R = Row>(s: StatementNode, args?: Args) => (await run<R>(s, args)).rows,
    close: async () => {
      await conn.close()
      await cleanup()
    },
  }
}

const dialects: Readonly<Record<EngineName, Dialect>> = { postgresql: postgres, mariadb, sqlite }

const lacks: Readonly<Record<EngineName, ReadonlySet<Capability>>> = {
  postgresql: new Set<Capability>(['nul-in-text']),
  mariadb: new Set<Capability>([
    'full-join',
    'lateral',
    'distinct-on',
    'returning-update',
    'partial-index',
    'upsert-where',
    'cte-in-mutations',
    'upsert-target-among-several-uniques',
  ]),
  sqlite: new Set<Capability>(['lateral', 'distinct-on', 'set-op-all', 'row-locks', 'multi-row-insert-default-with-server-default']),
}

/** PostgreSQL 15, MariaDB 10.11 and SQLite, in that order: the driver-level engines with a dialect bound. */
export const engines: readonly TestEngine[] = driverEngines.map((e) => ({
  name: e.name,
  dialect: dialects[e.name],
  lacks: lacks[e.name],
  open: async () => {
    const db = await e.fresh()
    const conn = await db.driver.connect()
    return bind(e.name, dialects[e.name], conn, db.drop)
  },
}))

/**
 * Assert that compiling `s` for `d` gives the typed `Unsupported` error,
 * naming the dialect and a feature matching `feature`, and no SQL.
 */
export const expectUnsupported = (d: Dialect, s: StatementNode, feature: RegExp): void => {
  const r = compile(d)(s)
  if (E.isRight(r)) throw new Error(`expected Unsupported on ${d.name}, got SQL: ${r.right.sql}`)
  if (r.left._tag !== 'Unsupported') throw new Error(`expected Unsupported on ${d.name}, got ${r.left._tag}: ${r.left.message}`)
  if (r.left.dialect !== d.name) throw new Error(`Unsupported names dialect ${r.left.dialect}, expected ${d.name}`)
  if (!feature.test(r.left.feature)) throw new Error(`Unsupported feature "${r.left.feature}" does not match ${String(feature)}`)
}
