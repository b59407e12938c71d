/**
 * Loaders: per-dialect normalisation of raw driver values before the entity
 * codec sees them. Each client library hands back its own shapes (pg gives
 * int8 and numeric as strings, mysql2 gives BIGINT/DECIMAL as strings and
 * TINYINT booleans as 0/1, better-sqlite3 gives 0/1 booleans, dates as text,
 * JSON as text and rounds 64-bit integers past 2^53). A loader turns one raw
 * value into the column's TypeScript value or returns `FAIL`; it never
 * rounds: an integer that does not fit is a failure, not a nearby number.
 */
import type { DataType } from '../algebra/index.js'
import type { DialectName } from '../interpret/index.js'

/** Returned by a loader for a value that does not fit its column. */
export const FAIL: unique symbol = Symbol('quarry.mapping.fail')

/** Raw driver value → column value, or FAIL. */
export type Loader = (raw: unknown) => unknown

const INT = /^-?\d+$/
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

const safeInt = (v: unknown): unknown => {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : FAIL
  if (typeof v === 'string' && INT.test(v)) {
    const n = Number(v)
    return Number.isSafeInteger(n) ? n : FAIL
  }
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : FAIL
  return FAIL
}

const int64 = (v: unknown): unknown => {
  if (typeof v === 'bigint') return v
  if (typeof v === 'string') return INT.test(v) ? BigInt(v) : FAIL
  // A number past 2^53 may already have been rounded by the driver: refuse it rather than guess.
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : FAIL
  return FAIL
}

const decimal =
  (scale: number | undefined) =>
  (v: unknown): unknown => {
    if (typeof v === 'string') return DECIMAL.test(v) ? v : FAIL
    // SQLite keeps an integral numeric as an INTEGER (a bigint with safeIntegers): print it at the declared scale too.
    if (typeof v === 'bigint') return scale === undefined || scale === 0 ? v.toString() : `${v}.${'0'.repeat(scale)}`
    // SQLite stores numeric(p,s) with REAL affinity: print it at the declared scale.
    if (typeof v === 'number') return Number.isFinite(v) ? (scale === undefined ? String(v) : v.toFixed(scale)) : FAIL
    return FAIL
  }

const float = (v: unknown): unknown => {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v)
  return FAIL
}

// 0n/1n: better-sqlite3 with safeIntegers reads every INTEGER as a bigint.
const bool = (v: unknown): unknown =>
  typeof v === 'boolean' ? v : v === 0 || v === 1 ? v === 1 : v === 0n || v === 1n ? v === 1n : v === '0' || v === '1' ? v === '1' : FAIL

const str = (v: unknown): unknown => (typeof v === 'string' ? v : FAIL)

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n))
const year = (n: number): string => String(n).padStart(4, '0')

const dateOnly =
  (utc: boolean) =>
  (v: unknown): unknown => {
    if (typeof v === 'string') return /^\d{4}-\d\d-\d\d$/.test(v) ? v : /^\d{4}-\d\d-\d\d[T ]/.test(v) ? v.slice(0, 10) : FAIL
    if (v instanceof Date && !Number.isNaN(v.getTime()))
      // Years before 1000 keep their four digits ('0001-01-01'), as the date type's text form has them.
      return utc
        ? `${year(v.getUTCFullYear())}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`
        : `${year(v.getFullYear())}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`
    return FAIL
  }

const timestamp = (v: unknown): unknown => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? FAIL : v
  if (typeof v === 'string') {
    // SQLite keeps what was bound: ISO text with a zone, or a naive 'YYYY-MM-DD HH:MM:SS' taken as UTC.
    const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`)
    return Number.isNaN(d.getTime()) ? FAIL : d
  }
  return FAIL
}

const jsonParsed = (v: unknown): unknown => (v === undefined ? FAIL : v)
const jsonText = (v: unknown): unknown => {
  if (typeof v !== 'string') return typeof v === 'object' ? v : FAIL
  try {
    return JSON.parse(v) as unknown
  } catch {
    return FAIL
  }
}

const bytes = (v: unknown): unknown => (v instanceof Uint8Array ? v : FAIL)

const oneOf =
  (values: readonly string[]) =>
  (v: unknown): unknown =>
    typeof v === 'string' && values.includes(v) ? v : FAIL

/**
 * How JSON documents arrive: already parsed from a JSON column by pg, and by
 * mysql2 (MySQL 8's JSON type; MariaDB's JSON, a LONGTEXT, through the
 * extended metadata mysql2 asks for), or as text (SQLite). A parsed document
 * that is a string must not be parsed again: `"x"` arrives as `x`.
 */
const jsonFor = (d: DialectName): Loader => (d === 'sqlite' ? jsonText : jsonParsed)

/** The loader of a non-null value of data type `t` on dialect `d` (a total switch on the kind). */
export const baseLoader = (d: DialectName, t: DataType): Loader => {
  switch (t.kind) {
    case 'integer':
    case 'smallint':
      return safeInt
    case 'bigint':
      return int64
    case 'numeric':
      return decimal(t.scale)
    case 'real':
    case 'double':
      return float
    case 'boolean':
      return bool
    case 'text':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'time':
      return str
    case 'enum':
      return oneOf(t.values)
    case 'date':
      // pg-types parses DATE as local midnight; mysql2 with timezone 'Z' as UTC midnight.
      return dateOnly(d !== 'postgres')
    case 'timestamp':
      return timestamp
    case 'json':
    case 'jsonb':
      return jsonFor(d)
    case 'bytes':
      return bytes
  }
}

/** The loader of a column: `null` passes only when the column is nullable. */
export const loaderFor = (d: DialectName, t: DataType, nullable: boolean): Loader => {
  const base = baseLoader(d, t)
  return nullable ? (v) => (v === null || v === undefined ? null : base(v)) : (v) => (v === null || v === undefined ? FAIL : base(v))
}

/**
 * A JavaScript condition (over the variable `v`) under which a raw value is
 * already the column value, so the generated decoder skips the loader call.
 * `undefined` when every value must go through the loader.
 */
export const fastCheck = (d: DialectName, t: DataType): string | undefined => {
  switch (t.kind) {
    case 'integer':
    case 'smallint':
      return 'typeof v === "number" && Number.isSafeInteger(v)'
    case 'text':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'time':
      return 'typeof v === "string"'
    case 'real':
    case 'double':
      return 'typeof v === "number"'
    case 'boolean':
      return d === 'postgres' ? 'typeof v === "boolean"' : undefined
    case 'numeric':
      return d === 'sqlite' ? undefined : 'typeof v === "string" && DEC.test(v)'
    case 'timestamp':
      return d === 'sqlite' ? undefined : 'v instanceof Date && v.getTime() === v.getTime()'
    case 'bigint':
    case 'enum':
    case 'date':
    case 'json':
    case 'jsonb':
    case 'bytes':
      return undefined
  }
}

/** The decimal pattern the generated decoders use in fast checks. */
export const DECIMAL_PATTERN: RegExp = DECIMAL

/**
 * Bind parameters one statement may carry, per dialect: PostgreSQL's wire
 * protocol and MySQL's prepared statements count them in 16 bits, SQLite's
 * SQLITE_MAX_VARIABLE_NUMBER is 32,766 since 3.32. (The dialect record does
 * not carry this yet, so mapping keeps it here.)
 */
export const bindLimits: Readonly<Record<DialectName, number>> = Object.freeze({ postgres: 65535, mariadb: 65535, mysql8: 65535, sqlite: 32766 })

/** Why a raw value failed its loader, for error messages (slow path only). */
export const loadFailureReason = (d: DialectName, t: DataType, nullable: boolean, v: unknown): string => {
  if (v === null || v === undefined) return nullable ? 'loader refused the value' : 'NULL in a NOT NULL column'
  if (t.kind === 'bigint' && typeof v === 'number' && !Number.isSafeInteger(v))
    return d === 'sqlite'
      ? 'a 64-bit integer beyond 2^53 arrives rounded from better-sqlite3 (enable safeIntegers); refused rather than guessed'
      : 'a 64-bit integer beyond 2^53 arrived as a rounded number; refused rather than guessed'
  if ((t.kind === 'integer' || t.kind === 'smallint') && (typeof v === 'string' || typeof v === 'bigint' || typeof v === 'number'))
    return (typeof v === 'string' && !INT.test(v)) || (typeof v === 'number' && !Number.isInteger(v))
      ? 'not an integer'
      : 'an integer beyond ±2^53 (declare the column bigint to keep every digit)'
  return `not a ${t.kind} value as ${d} returns it`
}
