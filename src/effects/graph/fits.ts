/**
 * Does a JavaScript value fit a column? Checked when a graph is planned, so
 * a value that the database would reject (or, worse, silently coerce: MySQL
 * turns 'abc' into 0 in an INT column under a lax sql_mode) is an
 * `InvalidGraph` problem before any connection is taken.
 */
import type { DataType } from '../../algebra/data-type.js'
import type { ColumnSpec } from '../../algebra/schema/column.js'

const INT32 = 2 ** 31
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

const isInt = (v: unknown, limit: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= -limit && v < limit
// Code points are counted only when the UTF-16 length is over the limit (there are never more code points than code units).
const str = (v: unknown, max: number | undefined): string | undefined =>
  typeof v !== 'string' ? 'a string' : max !== undefined && v.length > max && [...v].length > max ? `at most ${max} characters` : undefined

const json = (v: unknown, depth: number): boolean => {
  if (depth > 1000) return false
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true
  if (typeof v === 'number') return Number.isFinite(v)
  if (Array.isArray(v)) return v.every((x) => json(x, depth + 1))
  if (typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v) as unknown
  return (proto === Object.prototype || proto === null) && Object.values(v as object).every((x) => json(x, depth + 1))
}

/** What a value of the type must be, or undefined when `v` is one. */
const expected = (t: DataType, v: unknown): string | undefined => {
  switch (t.kind) {
    case 'integer':
      return isInt(v, INT32) ? undefined : 'a 32-bit integer'
    case 'smallint':
      return isInt(v, 2 ** 15) ? undefined : 'a 16-bit integer'
    case 'bigint':
      return (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) || isInt(v, 2 ** 53) ? undefined : 'a 64-bit integer (bigint)'
    case 'text':
      return str(v, undefined)
    case 'varchar':
    case 'char':
      return str(v, t.length)
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'a boolean'
    case 'numeric':
      return typeof v === 'string' && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v) ? undefined : 'a decimal number as a string'
    case 'real':
    case 'double':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : 'a finite number'
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? undefined : 'a date as YYYY-MM-DD'
    case 'time':
      return typeof v === 'string' && /^\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v) ? undefined : 'a time as HH:MM:SS'
    case 'timestamp':
      return v instanceof Date && !Number.isNaN(v.getTime()) ? undefined : 'a valid Date'
    case 'json':
    case 'jsonb':
      return json(v, 0) ? undefined : 'a JSON document (plain objects, arrays, finite numbers, strings, booleans, null)'
    case 'uuid':
      return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? undefined : 'a UUID string'
    case 'bytes':
      return v instanceof Uint8Array ? undefined : 'a Uint8Array'
    case 'enum':
      return typeof v === 'string' && t.values.includes(v) ? undefined : `one of ${t.values.map((x) => JSON.stringify(x)).join(', ')}`
  }
}

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (typeof v === 'bigint') return `${v}n`
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'an invalid Date' : v.toISOString()
  if (v === undefined) return 'undefined'
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? 'an array' : 'an object'
  return String(v)
}

/** The quick tests, numbered (a switch over small integers is a jump table; see {@link QuickFit}). */
export const Quick = { None: 0, String: 1, Int: 2, Finite: 3, Boolean: 4 } as const

/**
 * The common cases of {@link misfit} as one test per column, chosen once
 * per column: checking a bulk insert runs it for every value, where the
 * full check (a switch over type names, then a message) cost a fifth of
 * checking a row. One shape for every test, so that reading it stays
 * monomorphic: `min`/`max` bound a string's length or an integer.
 */
export interface QuickFit {
  readonly test: (typeof Quick)[keyof typeof Quick]
  readonly min: number
  readonly max: number
}

const quick = (test: QuickFit['test'], min = 0, max = 0): QuickFit => ({ test, min, max })

/** The quick test for a column of type `t`. */
export const quickFit = (t: DataType): QuickFit => {
  switch (t.kind) {
    case 'text':
      return quick(Quick.String, 0, Number.POSITIVE_INFINITY)
    case 'varchar':
    case 'char':
      return quick(Quick.String, 0, t.length)
    case 'integer':
      return quick(Quick.Int, -INT32, INT32 - 1)
    case 'smallint':
      return quick(Quick.Int, -(2 ** 15), 2 ** 15 - 1)
    case 'bigint':
      return quick(Quick.Int, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
    case 'real':
    case 'double':
      return quick(Quick.Finite)
    case 'boolean':
      return quick(Quick.Boolean)
    default:
      return quick(Quick.None)
  }
}

/**
 * True when `v` certainly fits (not null, not a reference); false means
 * "ask {@link misfit}", which gives the same answer for every value this
 * accepts.
 */
export const fitsQuickly = (q: QuickFit, v: unknown): boolean => {
  switch (q.test) {
    case Quick.String:
      // A UTF-16 length within the limit is a code-point count within it.
      return typeof v === 'string' && v.length <= q.max
    case Quick.Int:
      return typeof v === 'number' && Number.isInteger(v) && v >= q.min && v <= q.max
    case Quick.Finite:
      return typeof v === 'number' && v - v === 0
    case Quick.Boolean:
      return typeof v === 'boolean'
    case Quick.None:
      return false
  }
}

/** Why `v` does not fit a column of `spec`, or undefined when it does. */
export const misfit = (spec: ColumnSpec, v: unknown): string | undefined => {
  if (v === null) return spec.nullable ? undefined : 'is null, but the column is NOT NULL'
  const e = expected(spec.type, v)
  return e === undefined ? undefined : `is ${show(v)}, but must be ${e}`
}

/** Structural equality of two column values (dates by instant, bytes and JSON by content). */
export const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  // Unequal primitives differ (and `instanceof` on a primitive is a slow path in V8).
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i])
  return JSON.stringify(a) === JSON.stringify(b)
}
