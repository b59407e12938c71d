/**
 * The driver layer, usable alone with hand-written SQL: the `Driver` and
 * `Connection` interface, the typed error union, and the pool. Concrete
 * drivers are imported from their own entry points (`quarry/drivers/pg`,
 * `quarry/drivers/mysql`, `quarry/drivers/sqlite`), so loading this module
 * never loads a client library the user did not install.
 */
export type {
  BeginOptions,
  Connection,
  DialectName,
  Driver,
  ExecManyResult,
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
