/**
 * Classifies mysql2 errors into quarry's {@link DbError} union. Server errors
 * carry a numeric `errno` (the same numbers on MySQL and MariaDB where both
 * have the error); network and protocol failures carry a string `code`
 * (`ECONNRESET`, `PROTOCOL_CONNECTION_LOST`) or, for a command queued on a
 * connection mysql2 already closed, only a message.
 */
import { fromNative, type DbError, type ErrorContext, type NativeTag } from '../errors.js'

/** The fields of a mysql2 error this module reads. */
interface NativeMysqlError {
  readonly message: string
  readonly errno?: unknown
  readonly code?: unknown
  readonly fatal?: unknown
}

const tagOfErrno = (errno: number): NativeTag | undefined => {
  switch (errno) {
    case 1062: // ER_DUP_ENTRY
    case 1586: // ER_DUP_ENTRY_WITH_KEY_NAME
      return 'UniqueViolation'
    case 1451: // ER_ROW_IS_REFERENCED_2 (delete/update of a referenced parent)
    case 1452: // ER_NO_REFERENCED_ROW_2 (child row without parent)
    case 1216: // ER_NO_REFERENCED_ROW (older servers, no constraint name)
    case 1217: // ER_ROW_IS_REFERENCED
      return 'ForeignKeyViolation'
    case 1048: // ER_BAD_NULL_ERROR: explicit NULL into a NOT NULL column
    case 1364: // ER_NO_DEFAULT_FOR_FIELD: NOT NULL column left out (strict mode)
      return 'NotNullViolation'
    case 4025: // MariaDB ER_CONSTRAINT_FAILED
    case 3819: // MySQL 8 ER_CHECK_CONSTRAINT_VIOLATED
      return 'CheckViolation'
    case 1264: // ER_WARN_DATA_OUT_OF_RANGE: a number past its column's type (strict mode)
    case 1690: // ER_DATA_OUT_OF_RANGE: BIGINT arithmetic out of range
    case 1365: // ER_DIVISION_BY_ZERO (strict mode, in INSERT and UPDATE)
    case 1406: // ER_DATA_TOO_LONG: text longer than its column
    case 1265: // WARN_DATA_TRUNCATED (strict mode; also MariaDB's word for NULL into NOT NULL through a sorted INSERT … SELECT)
    case 1366: // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: 'abc' into an INT column
    case 1292: // ER_TRUNCATED_WRONG_VALUE: an invalid date or number
      return 'DataException'
    case 1213: // ER_LOCK_DEADLOCK (also MariaDB's answer to serializable conflicts)
      return 'Deadlock'
    case 1205: // ER_LOCK_WAIT_TIMEOUT
    case 3024: // MySQL ER_QUERY_TIMEOUT (max_execution_time)
    case 1969: // MariaDB ER_STATEMENT_TIMEOUT (max_statement_time)
      return 'LockTimeout'
    case 1064: // ER_PARSE_ERROR
    case 1146: // ER_NO_SUCH_TABLE
    case 1054: // ER_BAD_FIELD_ERROR
    case 1149: // ER_SYNTAX_ERROR
    case 1049: // ER_BAD_DB_ERROR
    case 1305: // ER_SP_DOES_NOT_EXIST (unknown function/procedure)
    case 1630: // ER_FUNC_INEXISTENT_NAME_COLLISION
    case 1052: // ER_NON_UNIQ_ERROR (ambiguous column)
    case 1109: // ER_UNKNOWN_TABLE
    case 1060: // ER_DUP_FIELDNAME
    case 1050: // ER_TABLE_EXISTS_ERROR
    case 1051: // ER_BAD_TABLE_ERROR
    case 1091: // ER_CANT_DROP_FIELD_OR_KEY
    case 1210: // ER_WRONG_ARGUMENTS (e.g. wrong number of bind parameters)
    case 1582: // ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT
    case 1583: // ER_WRONG_PARAMETERS_TO_NATIVE_FCT
      return 'SyntaxError'
    case 2006: // CR_SERVER_GONE_ERROR
    case 2013: // CR_SERVER_LOST
    case 1927: // MariaDB ER_CONNECTION_KILLED
    case 1053: // ER_SERVER_SHUTDOWN
    case 1077: // ER_NORMAL_SHUTDOWN
    case 1152: // ER_ABORTING_CONNECTION
    case 1158: // ER_NET_READ_ERROR
    case 1159: // ER_NET_READ_INTERRUPTED
    case 1160: // ER_NET_ERROR_ON_WRITE
    case 1161: // ER_NET_WRITE_INTERRUPTED
      return 'ConnectionLost'
    case 1235: // ER_NOT_SUPPORTED_YET
    case 1178: // ER_CHECK_NOT_IMPLEMENTED (storage engine lacks the feature)
      return 'Unsupported'
    default:
      return undefined
  }
}

const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'PROTOCOL_SEQUENCE_TIMEOUT'])

const tagOf = (e: NativeMysqlError, errno: number | undefined): NativeTag => {
  if (errno !== undefined) {
    const tag = tagOfErrno(errno)
    if (tag !== undefined) return tag
  }
  if (typeof e.code === 'string' && LOST_CODES.has(e.code)) return 'ConnectionLost'
  // mysql2 rejects commands on a connection it closed with this message and no code.
  if (e.message.startsWith("Can't add new command when connection is in closed state") || e.message === "Can't write in closed state")
    return 'ConnectionLost'
  return 'Unknown'
}

/**
 * The constraint the server names in its message: the key of a duplicate
 * (`for key 'email'`; MySQL 8 prefixes the table, `'users.email'`, which is
 * stripped), the `CONSTRAINT \`name\`` of a foreign key or MariaDB CHECK,
 * or the quoted name of a MySQL 8 CHECK.
 */
export const constraintOfMysql = (errno: number, message: string): string | undefined => {
  switch (errno) {
    case 1062:
    case 1586: {
      const key = /for key '(.*)'$/.exec(message)?.[1]
      return key === undefined ? undefined : key.slice(key.lastIndexOf('.') + 1)
    }
    case 1451:
    case 1452:
    case 4025:
      return /CONSTRAINT `((?:[^`]|``)+)`/.exec(message)?.[1]?.replace(/``/g, '`')
    case 3819:
      return /^Check constraint '(.*)' is violated/.exec(message)?.[1]
    default:
      return undefined
  }
}

/**
 * The duplicate value of ER_DUP_ENTRY is user data: it is replaced by `…`
 * unless parameters are shown, so logged messages stay as redacted as
 * the parameters. The native error in `cause` is left untouched.
 */
const messageOf = (errno: number | undefined, message: string, showParams: boolean): string =>
  (errno === 1062 || errno === 1586) && !showParams ? message.replace(/^Duplicate entry '.*' for key/s, "Duplicate entry '…' for key") : message

/** Turn a native mysql2 error into a {@link DbError}, keeping it as `cause`. */
export const classifyMysql = (native: unknown, context: ErrorContext): DbError => {
  const e: NativeMysqlError = native instanceof Error ? native : { message: String(native) }
  // Node's system errors carry a negative errno; server errors a positive one.
  const errno = typeof e.errno === 'number' && e.errno > 0 ? e.errno : undefined
  const code = errno !== undefined ? String(errno) : typeof e.code === 'string' ? e.code : undefined
  return fromNative(tagOf(e, errno), messageOf(errno, e.message, context.showParams === true), {
    ...context,
    dialect: 'mysql',
    code,
    constraint: errno === undefined ? undefined : constraintOfMysql(errno, e.message),
    cause: native,
  })
}
