/**
 * SQL values in memory and the comparisons every clause shares: ordering of
 * two non-NULL values (by the profile's rules), three-valued equality, and
 * the grouping key under which `DISTINCT`, `GROUP BY`, set operations and
 * unique constraints treat values as the same (NULLs together).
 */
import { runtimeError } from './errors.js'
import type { Profile } from './profile.js'

/** A value of a column or expression: `null` is SQL NULL. */
export type SqlValue = null | boolean | number | bigint | string | Date | Uint8Array

/** Three-valued logic: true, false or unknown (`null`). */
export type Tri = boolean | null

/** Compare two strings by Unicode code point (the binary collations' order), optionally PAD SPACE. */
export const compareText = (a: string, b: string, padSpace: boolean): number => {
  const x = padSpace ? a.replace(/ +$/u, '') : a
  const y = padSpace ? b.replace(/ +$/u, '') : b
  if (x === y) return 0
  if (padSpace) {
    // The shorter text compares as if padded with spaces.
    const n = Math.min(x.length, y.length)
    if (x.slice(0, n) === y.slice(0, n)) return x.length < y.length ? codePointCompare(' ', y.slice(n)) : codePointCompare(x.slice(n), ' ')
  }
  return codePointCompare(x, y)
}

const codePointCompare = (a: string, b: string): number => {
  const xs = Array.from(a)
  const ys = Array.from(b)
  const n = Math.min(xs.length, ys.length)
  for (let i = 0; i < n; i++) {
    const c = (xs[i] as string).codePointAt(0) as number
    const d = (ys[i] as string).codePointAt(0) as number
    if (c !== d) return c < d ? -1 : 1
  }
  return xs.length === ys.length ? 0 : xs.length < ys.length ? -1 : 1
}

const isNumeric = (v: SqlValue): v is number | bigint | boolean => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean'
const num = (v: number | bigint | boolean): number => (typeof v === 'boolean' ? (v ? 1 : 0) : Number(v))

/** MySQL's conversion of text to a number: the longest numeric prefix, else 0. */
export const mysqlNumber = (s: string): number => {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/u.exec(s)
  return m === null ? 0 : Number(m[0])
}

const cmp = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0)

/** Order two non-NULL values (negative, zero, positive) under the profile. */
export const compareValues =
  (p: Profile) =>
  (a: Exclude<SqlValue, null>, b: Exclude<SqlValue, null>): number => {
    if (isNumeric(a) && isNumeric(b)) {
      if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
      return cmp(num(a), num(b))
    }
    if (typeof a === 'string' && typeof b === 'string') return compareText(a, b, p.padSpace)
    if (a instanceof Date && b instanceof Date) return cmp(a.getTime(), b.getTime())
    if (a instanceof Uint8Array && b instanceof Uint8Array) {
      const n = Math.min(a.length, b.length)
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) return cmp(a[i] as number, b[i] as number)
      return cmp(a.length, b.length)
    }
    if ((typeof a === 'string' && isNumeric(b)) || (isNumeric(a) && typeof b === 'string')) {
      switch (p.mixedComparison) {
        case 'error':
          return runtimeError(`cannot compare text with a number on ${p.name}`)
        case 'numeric':
          return cmp(typeof a === 'string' ? mysqlNumber(a) : num(a), typeof b === 'string' ? mysqlNumber(b) : num(b))
        case 'storage-class':
          return typeof a === 'string' ? 1 : -1
      }
    }
    if (a instanceof Date && typeof b === 'string') return cmp(a.getTime(), new Date(b).getTime())
    if (typeof a === 'string' && b instanceof Date) return cmp(new Date(a).getTime(), b.getTime())
    return runtimeError(`cannot compare ${typeof a} with ${typeof b}`)
  }

/** SQL `=`: unknown when either side is NULL. */
export const sqlEquals =
  (p: Profile) =>
  (a: SqlValue, b: SqlValue): Tri =>
    a === null || b === null ? null : compareValues(p)(a, b) === 0

/** A string under which two values are "the same" for DISTINCT, GROUP BY, set operations and unique keys. */
export const valueKey =
  (p: Profile) =>
  (v: SqlValue): string => {
    if (v === null) return 'null'
    if (typeof v === 'string') return `s:${p.padSpace ? v.replace(/ +$/u, '') : v}`
    if (typeof v === 'number' || typeof v === 'boolean') return `n:${num(v)}`
    if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? `n:${Number(v)}` : `n:${v}`
    if (v instanceof Date) return `d:${v.getTime()}`
    return `x:${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('')}`
  }

/** The key of a whole row (a list of values). */
export const rowKey =
  (p: Profile) =>
  (vs: readonly SqlValue[]): string =>
    vs.map(valueKey(p)).join('\u0000')

/** Truth value of a SQL value used as a condition (numbers are true when non-zero, as in MySQL and SQLite). */
export const truth = (v: SqlValue): Tri => {
  if (v === null) return null
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'bigint') return v !== 0n
  if (typeof v === 'string') return mysqlNumber(v) !== 0
  return runtimeError('a date or byte string is not a condition')
}

/** NOT in three-valued logic. */
export const triNot = (t: Tri): Tri => (t === null ? null : !t)

/** Is this value exactly TRUE (what WHERE, ON, HAVING and CASE WHEN keep)? */
export const isTrue = (v: SqlValue): boolean => truth(v) === true
