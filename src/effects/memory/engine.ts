/**
 * `createMemoryEngine`: an {@link Engine} over the in-memory evaluator, so
 * that the programs a domain layer runs in production — queries, data
 * changes, transactions and savepoints, retries, load plans, change-graph
 * commits — run unchanged in a test, with no database.
 *
 * It is an ordinary engine (a pool, a dialect, listeners) with the two
 * seams the runtime offers engines without SQL: `evaluate` (statement
 * values are evaluated, never compiled to SQL) and `flush` (a planned change
 * graph is run row by row over the store, see `flush.ts`).
 *
 * Sessions are serialised: the pool holds one connection, and `run` waits
 * for it (up to `acquireTimeoutMs`), as for SQLite's `:memory:` databases.
 * One session at a time makes every transaction serializable, whatever
 * isolation level it asks for; read-only transactions refuse writes.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnyTable, MetaData, StatementNode } from '../../algebra/index.js'
import type { DialectName as DriverDialect, Driver, ExecResult, Param } from '../../drivers/driver.js'
import type { PoolLimited } from '../../drivers/pool.js'
import { compile, mariadb, mysql8, postgres, retaining, sqlite, type Args, type Dialect } from '../../interpret/index.js'
import * as M from '../../interpret/memory/index.js'
import { createEngine, type Engine } from '../engine.js'
import { emit } from '../events.js'
import type { QuarryError, Session } from '../program.js'
import { evaluatorOf, memoryConnection, type MemoryStore } from './connection.js'
import { MEMORY } from './errors.js'
import { flushInMemory } from './flush.js'
import { dbError, type Unsupported } from '../../drivers/errors.js'

/** How to build an in-memory engine. */
export interface MemoryEngineOptions {
  /** Whose semantics to follow where engines differ (default PostgreSQL's); the engine's dialect follows it. */
  readonly profile?: M.Profile
  /** Tables created empty (a list or a metadata value). DDL statement values run on the engine too. */
  readonly tables?: readonly AnyTable[] | MetaData
  /** Start from this database instead (e.g. a seeded one, shared by many tests: it is immutable). */
  readonly database?: M.Database
  /** A name for messages (default `memory`). */
  readonly name?: string
  /** How long `run` waits for the one connection while another session holds it (default 30 s). */
  readonly acquireTimeoutMs?: number
}

/** An engine over the in-memory evaluator. */
export interface MemoryEngine extends Engine {
  /** The committed database now (an immutable value: keep it to compare, or to start another engine from). */
  readonly database: () => M.Database
}

const SQL_DIALECT: { readonly [K in M.ProfileName]: Dialect } = { postgres, mariadb, mysql8, sqlite }
const DRIVER_DIALECT: { readonly [K in M.ProfileName]: DriverDialect } = { postgres: 'postgres', mariadb: 'mysql', mysql8: 'mysql', sqlite: 'sqlite' }

const tableList = (t: readonly AnyTable[] | MetaData | undefined): readonly AnyTable[] =>
  t === undefined ? [] : 'tables' in t ? [...t.tables.values()] : t

/** What listeners are told a statement was: the SQL the profile's dialect prints for it, when it can. */
const described = (d: Dialect, statement: StatementNode, args: Args | undefined): { readonly sql: string; readonly params: ReadonlyArray<Param> } => {
  const c = compile(d)(statement, args)
  return E.isRight(c)
    ? { sql: c.right.sql, params: c.right.params as ReadonlyArray<Param> }
    : { sql: `/* ${statement._tag} evaluated in memory (${d.name} cannot print it: ${c.left.message}) */`, params: [] }
}

/**
 * Create an engine that evaluates programs in memory.
 *
 * @example
 * const engine = createMemoryEngine({ tables: [users, posts], profile: M.sqliteProfile })
 * await runPromise(engine)(execute(Q.insert(users, { name: 'ada' })))
 * const persisted = await runPromise(engine)(commit(graph))
 * const rows = await runPromise(engine)(query(Q.from(users)))
 */
export const createMemoryEngine = (options: MemoryEngineOptions = {}): MemoryEngine => {
  const profile = options.profile ?? M.postgresProfile
  const printed = SQL_DIALECT[profile.name]
  const family = DRIVER_DIALECT[profile.name]
  const store: MemoryStore = { db: options.database ?? M.databaseOf(tableList(options.tables)) }
  const driver: Driver & PoolLimited = {
    dialect: family,
    maxConnections: 1,
    connect: () => Promise.resolve(memoryConnection(store, profile, family)),
  }
  // A retaining dialect: load plans built for it keep their statement values, which `evaluate` runs.
  const base = createEngine(driver, {
    dialect: retaining(printed),
    name: options.name ?? 'memory',
    pool: { max: 1, validateOnBorrow: false, ...(options.acquireTimeoutMs === undefined ? {} : { acquireTimeoutMs: options.acquireTimeoutMs }) },
  })

  const evaluate = <R>(s: Session, statement: StatementNode, args: Args | undefined): Promise<E.Either<QuarryError, ExecResult<R>>> => {
    const run = evaluatorOf(s.connection)
    if (run === undefined) {
      const message = `the session's connection does not belong to ${MEMORY}`
      return Promise.resolve(E.left(dbError<Unsupported>('Unsupported', message, { dialect: s.connection.dialect }, { feature: `statement values on a foreign connection` })))
    }
    const l = base.listeners
    if (l.beforeExecute.length === 0 && l.afterExecute.length === 0) return Promise.resolve(run<R>(statement, args))
    const { sql, params } = described(printed, statement, args)
    emit(l, 'beforeExecute', { sql, params })
    const t0 = performance.now()
    const r = run<R>(statement, args)
    const ms = performance.now() - t0
    emit(l, 'afterExecute', { sql, params, ms, rows: E.isRight(r) ? r.right.rows.length : 0, error: E.isLeft(r) ? r.left : undefined })
    return Promise.resolve(r)
  }

  return {
    ...base,
    evaluate,
    flush: flushInMemory,
    database: () => store.db,
  }
}
