/**
 * Checks and encodings of bound values shared by the dialects. A value is
 * encoded by the data type it is bound to (JSON documents are serialised);
 * a value that cannot be a scalar is an error, never coerced silently.
 */
import type { DataType } from '../algebra/index.js'

const failureMark: unique symbol = Symbol('quarry.encodeFailure')

/** Why a value cannot be bound (only failures allocate; a good value is returned as is). */
export interface EncodeFailure {
  readonly [failureMark]: true
  readonly message: string
}

/** A value ready for the driver, or why it cannot be bound. */
export type Encoded = unknown

/** Is this encoding result a failure? (No user value can carry the private symbol.) */
export const isEncodeFailure = (r: unknown): r is EncodeFailure =>
  typeof r === 'object' && r !== null && (r as { [failureMark]?: boolean })[failureMark] === true

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

const bad = (message: string): EncodeFailure => ({ [failureMark]: true, message })

const jsonProblem = (v: unknown, depth: number): string | undefined => {
  if (depth > 1000) return 'nested too deeply'
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return undefined
    case 'number':
      return Number.isFinite(v) ? undefined : `the number ${v} has no JSON form`
    case 'object': {
      if (v === null) return undefined
      if (Array.isArray(v)) {
        for (const x of v) {
          const p = jsonProblem(x, depth + 1)
          if (p !== undefined) return p
        }
        return undefined
      }
      const proto = Object.getPrototypeOf(v) as unknown
      if (proto !== Object.prototype && proto !== null) return 'only plain objects, arrays and scalars are JSON'
      for (const x of Object.values(v as object)) {
        const p = jsonProblem(x, depth + 1)
        if (p !== undefined) return p
      }
      return undefined
    }
    default:
      return `a ${typeof v} has no JSON form`
  }
}

/**
 * Check a value and encode JSON documents; the common part of every
 * dialect's `encode`. Booleans and dates are left to the dialect.
 */
export const encodeCommon = (v: unknown, t: DataType | undefined): Encoded => {
  if (v === undefined) return bad('is undefined (use null for SQL NULL)')
  if (v === null) return null
  if (t !== undefined && (t.kind === 'json' || t.kind === 'jsonb')) {
    const p = jsonProblem(v, 0)
    return p === undefined ? JSON.stringify(v) : bad(`is not a JSON document: ${p}`)
  }
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v
    case 'number':
      return Number.isFinite(v) ? v : bad(`is ${v}, which SQL cannot store`)
    case 'bigint':
      return v < INT64_MIN || v > INT64_MAX ? bad(`is ${v}n, outside the 64-bit integer range`) : v
    case 'object':
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? bad('is an invalid Date') : v
      if (v instanceof Uint8Array) return v
      return bad(`is ${Array.isArray(v) ? 'an array' : 'an object'} where a scalar is expected (declare the column json/jsonb to store documents)`)
    default:
      return bad(`is a ${typeof v}, which cannot be bound`)
  }
}

/**
 * PostgreSQL's `encode`: `encodeCommon`, and a Date bound to a zoned
 * timestamp goes as UTC ISO-8601 text. Left to pg, a Date is printed in the
 * process's local time with its offset cut to minutes, which moves the
 * instant in a zone whose offset then had seconds (local mean time before
 * about 1920: Asia/Kathmandu was +05:41:16) — found by the codec law.
 *
 * @example
 * encodePostgres(new Date('1919-12-31T18:18:43.999Z'), { kind: 'timestamp', withTimeZone: true })
 * // '1919-12-31T18:18:43.999Z'
 */
/** Strings `encodeCommon` answers unchanged: those of every type but JSON (a string there is a document, encoded as JSON text). */
export const commonStringsAsGiven = (t: DataType | undefined): boolean => t === undefined || (t.kind !== 'json' && t.kind !== 'jsonb')

export const encodePostgres = (v: unknown, t: DataType | undefined): Encoded => {
  const r = encodeCommon(v, t)
  return r instanceof Date && t?.kind === 'timestamp' && t.withTimeZone ? r.toISOString() : r
}
