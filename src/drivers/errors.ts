/**
 * One closed taxonomy of database failures, shared by every driver. Each
 * member is a real `Error` (so it carries a stack and can reject a Promise)
 * with a `_tag` to fold over, a `retryable` verdict, the SQL that failed,
 * its parameters redacted unless the caller opted in, and the native error
 * as `cause`. Drivers build them through one `classify` per engine.
 */
import type { DialectName, Param } from './driver.js'

/** Fields every database error carries. */
export interface DbErrorBase extends Error {
  /** True when running the same work again may succeed (deadlock, serialization, lost connection). */
  readonly retryable: boolean
  /** The engine the error came from, when it came from one. */
  readonly dialect: DialectName | undefined
  /** The native code: SQLSTATE on PostgreSQL, errno on MySQL, result code name on SQLite. */
  readonly code: string | undefined
  /** The statement that failed, when there was one. */
  readonly sql: string | undefined
  /** Its parameters, redacted to their types unless `showParams` was set on the driver. */
  readonly params: ReadonlyArray<string> | undefined
  /** The constraint named by the engine, for constraint violations. */
  readonly constraint: string | undefined
  /** For `executeMany`: the index (from 0) of the parameter set that failed; the sets before it ran. */
  readonly paramSet: number | undefined
  /** The original error, unchanged. */
  readonly cause: unknown
}

/** A unique or primary-key constraint rejected a row. */
export interface UniqueViolation extends DbErrorBase { readonly _tag: 'UniqueViolation' }
/** A foreign-key constraint rejected a row or a delete. */
export interface ForeignKeyViolation extends DbErrorBase { readonly _tag: 'ForeignKeyViolation' }
/** A NOT NULL column received NULL. */
export interface NotNullViolation extends DbErrorBase { readonly _tag: 'NotNullViolation' }
/** A CHECK constraint rejected a row. */
export interface CheckViolation extends DbErrorBase { readonly _tag: 'CheckViolation' }
/**
 * A value the statement computed or wrote does not fit: division by zero,
 * a number out of its type's range, text too long for its column, a string
 * that is not a number or a date (SQLSTATE class 22, "data exception";
 * SQLAlchemy's `DataError`).
 */
export interface DataException extends DbErrorBase { readonly _tag: 'DataException' }
/** A serializable transaction could not be serialized; retry it whole. */
export interface SerializationFailure extends DbErrorBase { readonly _tag: 'SerializationFailure' }
/** The engine chose this transaction as a deadlock victim; retry it whole. */
export interface Deadlock extends DbErrorBase { readonly _tag: 'Deadlock' }
/** A lock wait or statement timed out (SQLite: the database was busy). */
export interface LockTimeout extends DbErrorBase { readonly _tag: 'LockTimeout' }
/** The connection died under the statement (server gone, killed backend, network). */
export interface ConnectionLost extends DbErrorBase { readonly _tag: 'ConnectionLost' }
/** Opening a connection failed (server down, refused, bad credentials). */
export interface ConnectFailed extends DbErrorBase { readonly _tag: 'ConnectFailed' }
/** The engine could not parse the statement, or it names something unknown. */
export interface SyntaxError extends DbErrorBase { readonly _tag: 'SyntaxError' }
/** The feature does not exist on this dialect (e.g. two-phase commit on SQLite). */
export interface Unsupported extends DbErrorBase { readonly _tag: 'Unsupported'; readonly feature: string }
/** A parameter that is not a bindable scalar (object, array, NaN, undefined). */
export interface InvalidParameter extends DbErrorBase { readonly _tag: 'InvalidParameter'; readonly index: number }
/** A transaction move the connection's state does not allow (commit while idle, …). */
export interface InvalidState extends DbErrorBase { readonly _tag: 'InvalidState'; readonly state: string }
/** A pool could not hand out a connection in time; `cause` holds the last connect failure if any. */
export interface AcquireTimeout extends DbErrorBase { readonly _tag: 'AcquireTimeout'; readonly timeoutMs: number }
/** The pool was closed (or is draining) and hands out no more connections. */
export interface PoolClosed extends DbErrorBase { readonly _tag: 'PoolClosed' }
/** Anything the classifier does not recognise; `cause` has the original. */
export interface Unknown extends DbErrorBase { readonly _tag: 'Unknown' }

/** Every failure a driver or pool can report. */
export type DbError =
  | UniqueViolation
  | ForeignKeyViolation
  | NotNullViolation
  | CheckViolation
  | DataException
  | SerializationFailure
  | Deadlock
  | LockTimeout
  | ConnectionLost
  | ConnectFailed
  | SyntaxError
  | Unsupported
  | InvalidParameter
  | InvalidState
  | AcquireTimeout
  | PoolClosed
  | Unknown

/** The tag of a {@link DbError}. */
export type DbErrorTag = DbError['_tag']

const RETRYABLE: { readonly [K in DbErrorTag]: boolean } = {
  UniqueViolation: false,
  ForeignKeyViolation: false,
  NotNullViolation: false,
  CheckViolation: false,
  DataException: false,
  SerializationFailure: true,
  Deadlock: true,
  LockTimeout: true,
  ConnectionLost: true,
  ConnectFailed: true,
  SyntaxError: false,
  Unsupported: false,
  InvalidParameter: false,
  InvalidState: false,
  AcquireTimeout: true,
  PoolClosed: false,
  Unknown: false,
}

/** Whether errors of a tag may succeed on retry. */
export const isRetryableTag = (tag: DbErrorTag): boolean => RETRYABLE[tag]

/** Where an error happened: the statement, its parameters, the engine. */
export interface ErrorContext {
  readonly dialect?: DialectName | undefined
  readonly sql?: string | undefined
  readonly params?: ReadonlyArray<Param> | undefined
  /** Show parameter values in the error instead of their types. */
  readonly showParams?: boolean | undefined
  /** For `executeMany`: which parameter set (from 0) failed; `params` are that set's. */
  readonly paramSet?: number | undefined
}

type Extra<T extends DbError> = Omit<T, keyof DbErrorBase | '_tag'>

/** The fields a classifier found in a native error. */
export interface Classified {
  readonly code?: string | undefined
  readonly constraint?: string | undefined
}

/**
 * Build a {@link DbError}. `message` should say what failed in words a user
 * can act on; the SQL is appended by `describe`, not here, so messages stay short.
 */
export const dbError = <T extends DbError>(
  tag: T['_tag'],
  message: string,
  context: ErrorContext & Classified & { readonly cause?: unknown },
  ...extra: {} extends Extra<T> ? [] : [Extra<T>]
): T => {
  const where = context.paramSet === undefined ? '' : ` (parameter set ${context.paramSet})`
  const err = new Error(message + where, { cause: context.cause }) as Error & Record<string, unknown>
  err.name = `quarry.${tag}`
  Object.assign(err, {
    _tag: tag,
    retryable: RETRYABLE[tag],
    dialect: context.dialect,
    code: context.code,
    sql: context.sql,
    params: context.params === undefined ? undefined : redactParams(context.params, context.showParams === true),
    constraint: context.constraint,
    paramSet: context.paramSet,
    cause: context.cause,
    ...(extra[0] ?? {}),
  })
  return err as unknown as T
}

/** Render parameters for an error: types and lengths only, unless `show`. */
export const redactParams = (params: ReadonlyArray<Param>, show: boolean): ReadonlyArray<string> =>
  params.map((p) => (show ? showParam(p) : redactParam(p)))

const redactParam = (p: Param): string => {
  if (p === null) return 'null'
  if (typeof p === 'string') return `<string(${p.length})>`
  if (p instanceof Uint8Array) return `<bytes(${p.byteLength})>`
  if (p instanceof Date) return '<date>'
  return `<${typeof p}>`
}

const showParam = (p: Param): string => {
  if (p === null) return 'null'
  if (typeof p === 'string') return JSON.stringify(p)
  if (p instanceof Uint8Array) return `<bytes(${p.byteLength})>`
  if (p instanceof Date) return Number.isNaN(p.getTime()) ? 'Invalid Date' : p.toISOString()
  return String(p)
}

const TAGS = new Set<string>(Object.keys(RETRYABLE))

/** True for any error quarry's drivers and pools produce. */
export const isDbError = (u: unknown): u is DbError =>
  u instanceof Error && TAGS.has((u as { _tag?: unknown })._tag as string)

/** A one-paragraph description: message, code, statement and parameters. */
export const describe = (e: DbError): string => {
  const parts = [`${e._tag}: ${e.message}`]
  if (e.code !== undefined) parts.push(`code ${e.code}`)
  if (e.sql !== undefined) parts.push(`sql: ${e.sql}`)
  if (e.params !== undefined && e.params.length > 0) parts.push(`params: [${e.params.join(', ')}]`)
  return parts.join('\n  ')
}

/** Tags a driver's classifier may produce from a native error. */
export type NativeTag = Exclude<DbErrorTag, 'InvalidParameter' | 'InvalidState' | 'AcquireTimeout' | 'PoolClosed'>

/**
 * Build the error a classifier found for a native error. `Unsupported`
 * takes the engine's message as its feature.
 */
export const fromNative = (
  tag: NativeTag,
  message: string,
  context: ErrorContext & Classified & { readonly cause: unknown },
): DbError =>
  tag === 'Unsupported'
    ? dbError<Unsupported>('Unsupported', message, context, { feature: message })
    : dbError<Exclude<DbError, Unsupported | InvalidParameter | InvalidState | AcquireTimeout>>(tag, message, context)
