/**
 * Bind-parameter checks shared by the drivers. Client libraries are lenient
 * in dangerous ways (mysql2's `query()` expands objects into SQL fragments,
 * `undefined` becomes NULL on one driver and an error on another), so every
 * parameter is checked to be a scalar before it reaches one.
 */
import type { DialectName, Param } from './driver.js'
import { dbError, type InvalidParameter } from './errors.js'

const describeBad = (value: unknown): string | undefined => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return undefined
    case 'number':
      return Number.isFinite(value) ? undefined : `the number ${String(value)} (not finite)`
    case 'undefined':
      return 'undefined (use null for SQL NULL)'
    case 'object':
      if (value === null || value instanceof Uint8Array) return undefined
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : undefined
      return Array.isArray(value) ? 'an array' : 'an object'
    default:
      return `a ${typeof value}`
  }
}

/** Parameter arrays built from a dialect's `encode` alone (see {@link markEncoded}). */
const encoded = new WeakSet<ReadonlyArray<unknown>>()

/**
 * Note that every element of `params` came from a dialect's `encode`, which
 * answers bindable scalars only, so that {@link checkParams} need not scan
 * it again: the change graph's planner marks its statements' arrays, which
 * hold tens of thousands of parameters on a bulk insert. For quarry's own
 * layers; the array must not change afterwards.
 *
 * @example
 * const params = markEncoded(values.map((v) => dialect.encode(v, type) as Param))
 */
export const markEncoded = <P extends ReadonlyArray<unknown>>(params: P): P => {
  encoded.add(params)
  return params
}

/**
 * Whether `params` was marked by {@link markEncoded}: a driver may then
 * send it as it is (the SQLite driver's own conversions — booleans,
 * Dates, byte arrays — are the SQLite dialect's encodings already).
 *
 * @example
 * isEncoded(markEncoded([1n, 'a'])) // true
 */
export const isEncoded = (params: ReadonlyArray<unknown>): boolean => encoded.has(params)

/**
 * The first parameter that is not a bindable scalar, as an
 * `InvalidParameter` error, or `undefined` when all are fine.
 *
 * @example
 * checkParams([1, { id: 2 }], 'postgres', 'SELECT $1, $2', false) // InvalidParameter, index 1
 */
export const checkParams = (
  params: ReadonlyArray<unknown>,
  dialect: DialectName,
  sql: string,
  showParams: boolean,
  /** For `executeMany`: the set these parameters are. */
  paramSet?: number,
): InvalidParameter | undefined => {
  // Scalar arguments, not a context object: this runs on every statement.
  if (encoded.has(params)) return undefined
  for (let i = 0; i < params.length; i++) {
    const bad = describeBad(params[i])
    if (bad !== undefined) {
      return dbError<InvalidParameter>(
        'InvalidParameter',
        `parameter ${i + 1} is ${bad}; only null, boolean, finite number, bigint, string, Date and Uint8Array can be bound`,
        { dialect, sql, showParams, paramSet, params: params.map((p) => (describeBad(p) === undefined ? (p as Param) : null)) },
        { index: i },
      )
    }
  }
  return undefined
}
