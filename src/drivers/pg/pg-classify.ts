/**
 * PostgreSQL's failures, sorted into quarry's error union. The server names
 * every error with a SQLSTATE, so classification is a lookup on `code`; the
 * rest are client-side failures of node-postgres (socket errors and its
 * "Connection terminated…" / "…not queryable" messages), which all mean the
 * session is gone.
 */
import type { ClientConfig } from 'pg'
import {
  dbError,
  type ConnectFailed,
  type AcquireTimeout,
  type DbError,
  type ErrorContext,
  type InvalidParameter,
  type InvalidState,
  type Unsupported,
} from '../errors.js'

/** Fields node-postgres puts on a server error (`DatabaseError`) or a socket error. */
interface PgNative {
  readonly message?: unknown
  readonly code?: unknown
  readonly constraint?: unknown
  readonly severity?: unknown
}

/** The errors that carry no field beyond the common ones. */
type Plain = Exclude<DbError, Unsupported | InvalidParameter | InvalidState | AcquireTimeout>
/** What this classifier can answer. */
type PgTag = Plain['_tag'] | 'Unsupported'

const BY_CODE: ReadonlyMap<string, PgTag> = new Map<string, PgTag>([
  ['23505', 'UniqueViolation'],
  ['23503', 'ForeignKeyViolation'],
  ['23502', 'NotNullViolation'],
  ['23514', 'CheckViolation'],
  ['40001', 'SerializationFailure'],
  ['40P01', 'Deadlock'],
  ['55P03', 'LockTimeout'], // lock_not_available: lock_timeout, NOWAIT
  ['57014', 'LockTimeout'], // query_canceled: statement_timeout (or a cancel request)
  ['57P01', 'ConnectionLost'], // admin_shutdown: pg_terminate_backend, server stop
  ['57P02', 'ConnectionLost'], // crash_shutdown
  ['57P03', 'ConnectionLost'], // cannot_connect_now
  ['57P04', 'ConnectionLost'], // database_dropped: the session is ended too
  ['0A000', 'Unsupported'],
])

/** Socket-level errno codes: the TCP connection broke under a statement. */
const SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/** node-postgres reports a dead or ended client with plain Errors carrying these messages. */
const LOST_MESSAGE = /^Connection terminated|is not queryable$/

const tagOf = (code: string | undefined, severity: unknown, message: string): PgTag => {
  if (code !== undefined) {
    const known = BY_CODE.get(code)
    if (known !== undefined) return known
    if (code.startsWith('08')) return 'ConnectionLost'
    if (code.startsWith('42')) return 'SyntaxError'
    if (code.startsWith('22')) return 'DataException'
    if (SOCKET_CODES.has(code)) return 'ConnectionLost'
  }
  // A FATAL/PANIC error response always ends the session, whatever its code
  // (idle_in_transaction_session_timeout, idle_session_timeout, …). pg only
  // parses the localized severity, so under a translated lc_messages this
  // falls through and the SQLSTATE rules above are what count.
  if (severity === 'FATAL' || severity === 'PANIC') return 'ConnectionLost'
  if (code === undefined && LOST_MESSAGE.test(message)) return 'ConnectionLost'
  return 'Unknown'
}

/**
 * Data exceptions (class 22) quote the offending value in their message
 * (`invalid input syntax for type integer: "abc"`). Unless the caller asked
 * to see parameters, such quoted text is blanked so values do not leak into
 * logs through the message; the native error stays available as `cause`.
 */
const redactMessage = (message: string, code: string | undefined, show: boolean): string =>
  show || code === undefined || !code.startsWith('22') ? message : message.replace(/"(?:[^"]|"")*"/g, '"…"')

const stringField = (u: unknown): string | undefined => (typeof u === 'string' ? u : undefined)

/**
 * Classify a native node-postgres error by SQLSTATE (or socket errno /
 * client message) into a {@link DbError} carrying the statement, redacted
 * parameters, constraint name and the native error as `cause`.
 */
export const classifyPg = (native: unknown, context: ErrorContext): DbError => {
  const n: PgNative = typeof native === 'object' && native !== null ? native : {}
  const code = stringField(n.code)
  const raw = stringField(n.message) ?? String(native)
  const tag = tagOf(code, n.severity, raw)
  const message = redactMessage(raw, code, context.showParams === true)
  const ctx = { ...context, dialect: 'postgres' as const, code, constraint: stringField(n.constraint), cause: native }
  if (tag === 'Unsupported') return dbError<Unsupported>(tag, message, ctx, { feature: message })
  return dbError<Plain>(tag, message, ctx)
}

const withoutPassword = (connectionString: string): string => {
  try {
    const url = new URL(connectionString)
    if (url.password !== '') url.password = '***'
    return url.toString()
  } catch {
    return '(unparsable connection string)'
  }
}

/**
 * The error for a `connect()` that failed (server down, refused, unknown
 * database or role, bad password): always `ConnectFailed`, retryable, naming
 * where it tried to connect (never the password) with the native error as cause.
 */
export const connectFailedPg = (native: unknown, config: ClientConfig): ConnectFailed => {
  const n: PgNative = typeof native === 'object' && native !== null ? native : {}
  const where =
    config.connectionString !== undefined
      ? withoutPassword(config.connectionString)
      : `${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? '(default database)'}`
  const why = stringField(n.message) ?? String(native)
  return dbError<ConnectFailed>('ConnectFailed', `could not connect to PostgreSQL at ${where}: ${why}`, {
    dialect: 'postgres',
    code: stringField(n.code),
    cause: native,
  })
}
