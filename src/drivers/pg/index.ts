/**
 * quarry's PostgreSQL driver (`quarry/drivers/pg`), built on node-postgres
 * (`pg`) and `pg-cursor`, both optional peer dependencies: only users of
 * PostgreSQL install them.
 *
 * - {@link pgDriver} opens connections implementing quarry's `Connection`:
 *   one statement per execution (extended protocol), streaming through a
 *   server-side portal with back-pressure, transactions, savepoints and
 *   two-phase commit (`PREPARE TRANSACTION`).
 * - {@link classifyPg} maps a node-postgres error to quarry's `DbError`
 *   union by SQLSTATE; it is exported for callers who run their own pg
 *   clients and want the same error values.
 * - {@link pgTx} is the SQL of PostgreSQL transaction control, for tools
 *   that drive a pg client themselves.
 *
 * The separate files keep each role small: classification, transaction SQL,
 * the raw client adapter, and the driver that joins them.
 */
export { pgDriver, type PgDriverOptions } from './pg-driver.js'
export { classifyPg, connectFailedPg } from './pg-classify.js'
export { pgTx } from './pg-tx.js'
