/**
 * The SQL of transaction control on MySQL and MariaDB. Isolation and access
 * mode are set with `SET TRANSACTION`, which applies to the next transaction
 * only, so nothing needs restoring after commit or rollback. Savepoint names
 * and xids are validated by `connection.ts` before they get here (plain
 * identifiers; xids of letters, digits and `_.:-`), so quoting them cannot
 * be escaped.
 *
 * Two-phase commit is XA. Inside a branch the server refuses plain `COMMIT`
 * and `ROLLBACK` (XAER_RMFAIL, 1399), so a branch that is never prepared
 * ends with `XA END` and then `XA COMMIT … ONE PHASE` or `XA ROLLBACK`.
 * When `XA END` fails, because a deadlock already rolled the branch back
 * (MariaDB 10.11: XAER_RMFAIL, "ROLLBACK ONLY state"; MySQL documents
 * XA_RBDEADLOCK) or because the branch was already ended, the branch still
 * exists until `XA ROLLBACK`, which `connection.ts` sends regardless.
 */
import type { BeginOptions, IsolationLevel, Row } from '../driver.js'
import type { TxDialect } from '../connection.js'

const LEVEL: { readonly [K in IsolationLevel]: string } = {
  'read uncommitted': 'READ UNCOMMITTED',
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
}

const accessMode = (readOnly: boolean | undefined): string | undefined =>
  readOnly === true ? 'READ ONLY' : readOnly === false ? 'READ WRITE' : undefined

/** `SET TRANSACTION …` for the options, or nothing when they ask for the defaults. */
const setTransaction = (o: BeginOptions, withAccessMode: boolean): ReadonlyArray<string> => {
  const parts: string[] = []
  if (o.isolation !== undefined) parts.push(`ISOLATION LEVEL ${LEVEL[o.isolation]}`)
  const mode = withAccessMode ? accessMode(o.readOnly) : undefined
  if (mode !== undefined) parts.push(mode)
  return parts.length === 0 ? [] : [`SET TRANSACTION ${parts.join(', ')}`]
}

const START = 'START TRANSACTION'
const START_RO = 'START TRANSACTION READ ONLY'
const START_RW = 'START TRANSACTION READ WRITE'

const quoteName = (name: string): string => `\`${name}\``
const quoteXid = (xid: string): string => `'${xid}'`

/**
 * The gtrid of an `XA RECOVER` row. `data` holds gtrid and bqual back to
 * back (as bytes through mysql2); quarry's xids have an empty bqual, but
 * branches written by other software are cut at `gtrid_length` too.
 */
export const xidOfRecoverRow = (row: Row): string => {
  const data = row['data']
  const length = Number(row['gtrid_length'])
  const text = Buffer.isBuffer(data) ? data.subarray(0, length).toString('utf8') : String(data).slice(0, length)
  return text
}

/** Transaction control for MySQL/MariaDB. */
export const mysqlTx: TxDialect = {
  begin: (o) => {
    // START TRANSACTION takes the access mode itself; only the level needs SET TRANSACTION.
    const start = o.readOnly === true ? START_RO : o.readOnly === false ? START_RW : START
    return o.isolation === undefined ? [start] : [...setTransaction(o, false), start]
  },
  afterEnd: () => [],
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: (n) => `SAVEPOINT ${quoteName(n)}`,
  release: (n) => `RELEASE SAVEPOINT ${quoteName(n)}`,
  rollbackTo: (n) => `ROLLBACK TO SAVEPOINT ${quoteName(n)}`,
  twoPhase: {
    // XA START has no access-mode clause: SET TRANSACTION carries both.
    begin: (xid, o) => [...setTransaction(o, true), `XA START ${quoteXid(xid)}`],
    prepare: (xid) => [`XA END ${quoteXid(xid)}`, `XA PREPARE ${quoteXid(xid)}`],
    commitOnePhase: (xid) => [`XA END ${quoteXid(xid)}`, `XA COMMIT ${quoteXid(xid)} ONE PHASE`],
    rollback: (xid) => [`XA END ${quoteXid(xid)}`, `XA ROLLBACK ${quoteXid(xid)}`],
    commitPrepared: (xid) => `XA COMMIT ${quoteXid(xid)}`,
    rollbackPrepared: (xid) => `XA ROLLBACK ${quoteXid(xid)}`,
    listPrepared: 'XA RECOVER',
    xidOf: xidOfRecoverRow,
  },
}
