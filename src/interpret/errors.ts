/**
 * Compile errors: every way turning a query value into SQL can fail, as one
 * closed union of values with a message a user can act on.
 */
import type { DialectName } from './dialect.js'

/** A construct the dialect cannot express (never silently rewritten). */
export interface Unsupported {
  readonly _tag: 'Unsupported'
  readonly feature: string
  readonly dialect: DialectName
  readonly message: string
}

/** An identifier past the dialect's length limit (never truncated). */
export interface IdentifierTooLong {
  readonly _tag: 'IdentifierTooLong'
  readonly identifier: string
  readonly limit: string
  readonly dialect: DialectName
  readonly message: string
}

/** An identifier that cannot be quoted safely (empty, or containing NUL). */
export interface InvalidIdentifier {
  readonly _tag: 'InvalidIdentifier'
  readonly identifier: string
  readonly message: string
}

/** A JS value that cannot be bound where it is used (NaN, object for a scalar, ...). */
export interface InvalidValue {
  readonly _tag: 'InvalidValue'
  /** 1-based position among the statement's parameters. */
  readonly param: number
  readonly message: string
}

/** A named parameter without a value. */
export interface MissingParam {
  readonly _tag: 'MissingParam'
  readonly name: string
  readonly message: string
}

/** A query value that is not well formed (e.g. two different CTEs with one name). */
export interface InvalidQuery {
  readonly _tag: 'InvalidQuery'
  readonly message: string
}

/** Every compile error. */
export type CompileError = Unsupported | IdentifierTooLong | InvalidIdentifier | InvalidValue | MissingParam | InvalidQuery

/** Build an Unsupported error. */
export const unsupported = (feature: string, dialect: DialectName): Unsupported => ({
  _tag: 'Unsupported',
  feature,
  dialect,
  message: `${feature} is not supported by ${dialect}`,
})

/** Build an InvalidQuery error. */
export const invalidQuery = (message: string): InvalidQuery => ({ _tag: 'InvalidQuery', message })
