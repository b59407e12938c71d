/**
 * Checks and encodings of bound values shared by the dialects. A value is
 * encoded by the data type it is bound to (JSON documents are serialised);
 * a value that cannot be a scalar is an error, never coerced silently.
 */
import type { DataType } from '../algebra/index.js'

/** Result of encoding one value. */
export type Encoded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string }

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

const ok = (value: unknown): Encoded => ({ ok: true, value })
const bad = (message: string): Encoded => ({ ok: false, message })

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
  if (v === null) return ok(null)
  if (t !== undefined && (t.kind === 'json' || t.kind === 'jsonb')) {
    const p = jsonProblem(v, 0)
    return p === undefined ? ok(JSON.stringify(v)) : bad(`is not a JSON document: ${p}`)
  }
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return ok(v)
    case 'number':
      return Number.isFinite(v) ? ok(v) : bad(`is ${v}, which SQL cannot store`)
    case 'bigint':
      return v < INT64_MIN || v > INT64_MAX ? bad(`is ${v}n, outside the 64-bit integer range`) : ok(v)
    case 'object':
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? bad('is an invalid Date') : ok(v)
      if (v instanceof Uint8Array) return ok(v)
      return bad(`is ${Array.isArray(v) ? 'an array' : 'an object'} where a scalar is expected (declare the column json/jsonb to store documents)`)
    default:
      return bad(`is a ${typeof v}, which cannot be bound`)
  }
}
