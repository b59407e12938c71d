/**
 * An engine: one database reached through a pool, the SQL dialect its
 * queries compile to, and its event listeners. Programs (see `program.ts`)
 * run against an engine; the engine is the only stateful thing here.
 */
import type { DialectName as DriverDialect, Driver } from '../drivers/driver.js'
import { createPool, type Pool, type PoolLimited, type PoolOptions } from '../drivers/pool.js'
import type { Either } from 'fp-ts/lib/Either.js'
import type { StatementNode } from '../algebra/index.js'
import type { ExecResult } from '../drivers/driver.js'
import { mariadb, postgres, sqlite, type Args, type Dialect } from '../interpret/index.js'
import type { Persisted } from './graph/commit.js'
import type { Planned } from './graph/plan.js'
import type { Program, QuarryError, Session } from './program.js'
import { addListener, emit, noListeners, type EventName, type Listener, type Listeners } from './events.js'

/** How to build an engine. */
export interface EngineOptions {
  /** The SQL dialect queries compile to (default: from the driver; MySQL drivers default to MariaDB). */
  readonly dialect?: Dialect
  readonly pool?: PoolOptions
  /** A name for messages and multi-engine setups (default: the dialect's name). */
  readonly name?: string
}

/** A database: a pool, a dialect and event listeners. */
export interface Engine {
  readonly name: string
  readonly dialect: Dialect
  readonly pool: Pool
  /** Current listeners, read by the runtime on every statement. */
  readonly listeners: Listeners
  /** Register a listener; returns a function that removes it. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void
  /** Close the pool (waiting for borrowed connections up to its close timeout). */
  close(): Promise<void>
  /**
   * Runs a planned change graph itself instead of sending its statements
   * (the in-memory engine, which has no SQL to send); undefined on SQL engines.
   */
  readonly flush?: (p: Planned) => Program<Persisted>
  /**
   * Runs a statement value itself instead of compiling it to SQL and
   * sending it (the in-memory engine evaluates it); undefined on SQL
   * engines, whose `execute` path stays one property read longer, no more.
   */
  readonly evaluate?: <R>(s: Session, statement: StatementNode, args: Args | undefined) => Promise<Either<QuarryError, ExecResult<R>>>
}

const DEFAULT_DIALECT: { readonly [K in DriverDialect]: Dialect } = {
  postgres,
  mysql: mariadb,
  sqlite,
}

/**
 * Create an engine over a driver.
 *
 * @example
 * const engine = createEngine(sqliteDriver({ filename: 'app.db' }))
 * const rows = await runPromise(engine)(sql('SELECT 1 AS one'))
 */
export const createEngine = (driver: Driver & PoolLimited, options: EngineOptions = {}): Engine => {
  const listeners = noListeners()
  const dialect = options.dialect ?? DEFAULT_DIALECT[driver.dialect]
  // Connect events come from the pool creating connections: wrap connect once.
  const announcing: Driver & PoolLimited = {
    ...driver,
    dialect: driver.dialect,
    connect: async () => {
      const c = await driver.connect()
      if (listeners.connect.length > 0) emit(listeners, 'connect', { dialect: driver.dialect })
      return c
    },
  }
  const pool = createPool(announcing, options.pool)
  return {
    name: options.name ?? dialect.name,
    dialect,
    pool,
    listeners,
    on: addListener(listeners),
    close: () => pool.close(),
  }
}
