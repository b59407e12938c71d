/**
 * The driver layer, usable alone with hand-written SQL: the `Driver` and
 * `Connection` interface, the typed error union, and the pool. Concrete
 * drivers are imported from their own entry points.
 */
export type {
  BeginOptions,
  Connection,
  DialectName,
  Driver,
  ExecResult,
  IsolationLevel,
  Param,
  Row,
  StreamOptions,
  TxState,
} from './driver.js'
export * from './errors.js'
export { createPool, type Pool, type PoolOptions, type PoolStats, type PoolLimited } from './pool.js'
export type { CommonOptions } from './connection.js'
export { sqliteDriver, type SqliteOptions } from './sqlite/index.js'
