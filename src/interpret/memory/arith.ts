/**
 * Arithmetic with the profile's rules: integer vs. real division, division
 * by zero, PostgreSQL's 32-bit overflow, MySQL's decimal division and text
 * operands converted the way each engine converts them.
 */
import type { BinaryOp } from '../../algebra/index.js'
import { dataError, runtimeError } from './errors.js'
import type { NumKind } from './kinds.js'
import type { Profile } from './profile.js'
import { mysqlNumber, type SqlValue } from './values.js'

/** Round half away from zero to `digits` decimal places (MySQL's and PostgreSQL numeric rounding). */
export const roundHalfAway = (x: number, digits: number): number => {
  const f = 10 ** digits
  const r = Math.round(Math.abs(x) * f) / f
  return x < 0 ? -r : r
}

/**
 * The exact quotient s / n as decimal text with `places` fraction digits,
 * truncated or rounded half away from zero: `Number` of it is the double an
 * engine computing in decimal gives.
 *
 * @example
 * decimalQuotient(7n, 2n, 4, true) // '3.5000'
 */
export const decimalQuotient = (s: bigint, n: bigint, places: number, halfAway: boolean): string => {
  const f = 10n ** BigInt(places)
  const neg = s < 0n !== n < 0n
  const a = (s < 0n ? -s : s) * f
  const d = n < 0n ? -n : n
  const q = a / d + (halfAway && (a % d) * 2n >= d ? 1n : 0n)
  const digits = q.toString().padStart(places + 1, '0')
  return `${neg && q !== 0n ? '-' : ''}${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`
}

/** A value as a number for arithmetic (booleans as 0/1, text as the engine converts it). */
export const toNumber = (p: Profile, v: Exclude<SqlValue, null>): number => {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string') {
    if (p.mixedComparison === 'error') {
      const n = Number(v)
      return v.trim() === '' || Number.isNaN(n) ? dataError(`invalid input syntax for a number: "${v}"`) : n
    }
    return mysqlNumber(v)
  }
  return runtimeError('a date or byte string is not a number')
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const INT32_MIN = -2147483648
const INT32_MAX = 2147483647

/**
 * `left op right` for the arithmetic operators; `kind` is the numeric kind
 * of the whole expression, `integral` whether both operands are integers as
 * the engine holds them, `typedIntegral` whether quarry types both as
 * integers (MySQL's `DIV`).
 */
export const arithmetic = (
  p: Profile,
  op: Exclude<BinaryOp, '=' | '<>' | '<' | '<=' | '>' | '>='>,
  l: SqlValue,
  r: SqlValue,
  kind: NumKind,
  integral: boolean,
  typedIntegral = false,
): SqlValue => {
  if (l === null || r === null) return null
  const whole = (v: SqlValue): v is number | bigint => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))
  // Integers the engine holds as integers are computed exactly (64-bit on every engine), past 2^53 too.
  if (integral && whole(l) && whole(r) && !(op === '/' && p.division === 'mysql' && !typedIntegral)) return exactInteger(p, op, BigInt(l), BigInt(r), kind, true)
  // Whole numbers of an exact type (PostgreSQL's numeric from SUM of bigints) add and multiply exactly too; a
  // bound DOUBLE (MariaDB) does not.
  if (!p.boundNumbersAreReal && (op === '+' || op === '-' || op === '*') && whole(l) && whole(r)) return exactInteger(p, op, BigInt(l), BigInt(r), kind, false)
  const x = toNumber(p, l)
  const y = toNumber(p, r)
  let out: number
  switch (op) {
    case '+':
      out = x + y
      break
    case '-':
      out = x - y
      break
    case '*':
      out = x * y
      break
    case '/':
      if (y === 0) return p.divideByZero === 'error' ? dataError('division by zero') : null
      out = p.division === 'mysql' ? (typedIntegral ? Math.trunc(x / y) : integral ? roundHalfAway(x / y, 4) : x / y) : integral ? Math.trunc(x / y) : x / y
      break
    case '%':
      if (y === 0) return p.divideByZero === 'error' ? dataError('division by zero') : null
      // SQLite's % works on integers; the sign follows the dividend everywhere.
      out = p.name === 'sqlite' ? Math.trunc(x) % Math.trunc(y) : x % y
      break
  }
  if (p.int32Overflow && kind === 'int4' && (out < INT32_MIN || out > INT32_MAX)) return dataError('integer out of range')
  return Object.is(out, -0) ? 0 : out
}

const exactInteger = (p: Profile, op: '+' | '-' | '*' | '/' | '%', x: bigint, y: bigint, kind: NumKind, int64: boolean): SqlValue => {
  if ((op === '/' || op === '%') && y === 0n) return p.divideByZero === 'error' ? dataError('division by zero') : null
  // BigInt division and remainder truncate towards zero, as SQL does.
  const out = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y
  if (p.int32Overflow && kind === 'int4' && (out < BigInt(INT32_MIN) || out > BigInt(INT32_MAX))) return dataError('integer out of range')
  if (int64 && (out < INT64_MIN || out > INT64_MAX)) {
    if (p.int64Overflow === 'error') return dataError('bigint out of range')
    const a = Number(x)
    const b = Number(y)
    return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b
  }
  return Number.isSafeInteger(Number(out)) ? Number(out) : out
}
