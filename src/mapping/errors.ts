/**
 * Mapping errors: every way turning rows into entities (or planning a load)
 * can fail, as one closed union of values with a message a user can act on.
 */
import type { CompileError } from '../interpret/index.js'

/** A row value that does not fit its entity: names the entity, column, value and io-ts path. */
export interface DecodeError {
  readonly _tag: 'DecodeError'
  readonly entity: string
  readonly column: string
  /** The value as the driver gave it. */
  readonly value: unknown
  /** The io-ts path to the failing value, e.g. `Artist.Name`. */
  readonly path: string
  /** The io-ts type name the value was expected to have. */
  readonly expected: string
  readonly message: string
}

/** A statement of a load plan that the dialect could not compile. */
export interface PlanCompileError {
  readonly _tag: 'PlanCompileError'
  /** What the statement was for (e.g. `Artist.albums (select-in)`). */
  readonly step: string
  readonly cause: CompileError
  readonly message: string
}

/** The executor handed back results that do not match the statements of a step. */
export interface ResultMismatch {
  readonly _tag: 'ResultMismatch'
  readonly step: string
  readonly expected: number
  readonly received: number
  readonly message: string
}

/** Every mapping error. */
export type MappingError = DecodeError | PlanCompileError | ResultMismatch

/** A total fold over mapping errors. */
export const foldMappingError =
  <R>(h: { readonly [K in MappingError['_tag']]: (e: Extract<MappingError, { readonly _tag: K }>) => R }) =>
  (e: MappingError): R => {
    switch (e._tag) {
      case 'DecodeError':
        return h.DecodeError(e)
      case 'PlanCompileError':
        return h.PlanCompileError(e)
      case 'ResultMismatch':
        return h.ResultMismatch(e)
    }
  }

/** A short, safe rendering of a raw value for messages. */
export const showValue = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)
  if (typeof v === 'bigint') return `${v}n`
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString()})`
  if (v instanceof Uint8Array) return `bytes[${v.length}]`
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? `array[${v.length}]` : 'object'
  return String(v)
}

/** Build a PlanCompileError. */
export const planCompileError = (step: string, cause: CompileError): PlanCompileError => ({
  _tag: 'PlanCompileError',
  step,
  cause,
  message: `${step}: ${cause.message}`,
})

/** Build a ResultMismatch. */
export const resultMismatch = (step: string, expected: number, received: number): ResultMismatch => ({
  _tag: 'ResultMismatch',
  step,
  expected,
  received,
  message: `${step}: expected ${expected} result sets, received ${received}`,
})
