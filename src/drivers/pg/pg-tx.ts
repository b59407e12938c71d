/**
 * The SQL of PostgreSQL transaction control. Isolation level and access mode
 * go on the `BEGIN` itself, so they last exactly one transaction and nothing
 * needs restoring afterwards (`afterEnd` is empty). Two-phase commit is
 * `PREPARE TRANSACTION`; a prepared transaction outlives its session and is
 * finished by id from any connection.
 *
 * Savepoint names and xids are validated by `connection.ts` before they get
 * here (plain identifiers; letters, digits and `_.:-`), so quoting them is
 * enough: no value from a caller can break out of the statement.
 */
import type { BeginOptions, IsolationLevel, Row } from '../driver.js'
import type { TxDialect, TwoPhaseDialect } from '../connection.js'

const ISOLATION: { readonly [K in IsolationLevel]: string } = {
  'read uncommitted': 'READ UNCOMMITTED',
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
}

/** `BEGIN [ISOLATION LEVEL …] [READ ONLY]` for the given options. */
const beginSql = (options: BeginOptions): string => {
  let sql = 'BEGIN'
  if (options.isolation !== undefined) sql += ` ISOLATION LEVEL ${ISOLATION[options.isolation]}`
  if (options.readOnly === true) sql += ' READ ONLY'
  return sql
}

const quoteIdent = (name: string): string => `"${name}"`
const quoteLiteral = (xid: string): string => `'${xid}'`

const COMMIT: ReadonlyArray<string> = ['COMMIT']
const ROLLBACK: ReadonlyArray<string> = ['ROLLBACK']

const twoPhase: TwoPhaseDialect = {
  begin: (_xid, options) => [beginSql(options)],
  prepare: (xid) => [`PREPARE TRANSACTION ${quoteLiteral(xid)}`],
  // Until PREPARE TRANSACTION it is an ordinary transaction. ROLLBACK outside one only warns.
  commitOnePhase: () => COMMIT,
  rollback: () => ROLLBACK,
  commitPrepared: (xid) => `COMMIT PREPARED ${quoteLiteral(xid)}`,
  rollbackPrepared: (xid) => `ROLLBACK PREPARED ${quoteLiteral(xid)}`,
  // Prepared transactions are server-wide; only those of this database can be finished from here.
  listPrepared: 'SELECT gid FROM pg_prepared_xacts WHERE database = current_database() ORDER BY prepared',
  xidOf: (row: Row) => String(row['gid']),
}

/** PostgreSQL's {@link TxDialect}. */
export const pgTx: TxDialect = {
  begin: (options) => [beginSql(options)],
  afterEnd: () => [],
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: (name) => `SAVEPOINT ${quoteIdent(name)}`,
  release: (name) => `RELEASE SAVEPOINT ${quoteIdent(name)}`,
  rollbackTo: (name) => `ROLLBACK TO SAVEPOINT ${quoteIdent(name)}`,
  twoPhase,
}
