/**
 * Classifies better-sqlite3 errors into quarry's {@link DbError} union by
 * SQLite's extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …) and, where
 * SQLite reports everything as `SQLITE_ERROR`, by its message.
 */
import { fromNative, type DbError, type ErrorContext, type NativeTag } from '../errors.js'

const BY_CODE: Readonly<Record<string, NativeTag>> = {
  SQLITE_CONSTRAINT_UNIQUE: 'UniqueViolation',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'UniqueViolation',
  SQLITE_CONSTRAINT_ROWID: 'UniqueViolation',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'ForeignKeyViolation',
  SQLITE_CONSTRAINT_NOTNULL: 'NotNullViolation',
  SQLITE_CONSTRAINT_CHECK: 'CheckViolation',
  SQLITE_BUSY: 'LockTimeout',
  SQLITE_BUSY_SNAPSHOT: 'SerializationFailure',
  SQLITE_BUSY_RECOVERY: 'LockTimeout',
  SQLITE_BUSY_TIMEOUT: 'LockTimeout',
  SQLITE_LOCKED: 'LockTimeout',
  SQLITE_LOCKED_SHAREDCACHE: 'LockTimeout',
  // A value that does not fit: a string or blob past SQLITE_MAX_LENGTH, a value of the wrong type for a STRICT
  // table's column or a rowid.
  SQLITE_TOOBIG: 'DataException',
  SQLITE_MISMATCH: 'DataException',
  SQLITE_CONSTRAINT_DATATYPE: 'DataException',
  SQLITE_CANTOPEN: 'ConnectFailed',
  SQLITE_NOTADB: 'ConnectFailed',
}

const SYNTAX = /syntax error|no such (table|column|function|index|savepoint)|incomplete input|unrecognized token|has no column named|more than one statement|already exists/i

/** The constraint SQLite names in its message (`UNIQUE constraint failed: t.c`). */
const constraintOf = (message: string): string | undefined => {
  const m = /constraint failed: (.+)$/.exec(message)
  return m?.[1]
}

const tagOf = (code: string | undefined, message: string): NativeTag => {
  const byCode = code === undefined ? undefined : BY_CODE[code]
  if (byCode !== undefined) return byCode
  if (SYNTAX.test(message)) return 'SyntaxError'
  // sum() past 64 bits, and the few built-ins that refuse their argument's value.
  if (code === 'SQLITE_ERROR' && /^integer overflow$/.test(message)) return 'DataException'
  if (/database connection is not open|The database connection is not open/i.test(message)) return 'ConnectionLost'
  return 'Unknown'
}

/** Turn a native better-sqlite3 error into a {@link DbError}. */
export const classifySqlite = (native: unknown, context: ErrorContext): DbError => {
  const err = native instanceof Error ? native : new Error(String(native))
  const raw = (err as { code?: unknown }).code
  const code = typeof raw === 'string' ? raw : undefined
  return fromNative(tagOf(code, err.message), err.message, {
    ...context,
    dialect: 'sqlite',
    code,
    constraint: constraintOf(err.message),
    cause: native,
  })
}
