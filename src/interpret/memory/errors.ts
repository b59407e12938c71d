/**
 * Evaluation errors of the in-memory engine, one closed union of values.
 * Inside the evaluator an error travels as a thrown `Abort` (so a deep fold
 * need not thread `Either` through every handler); the public entry points
 * catch it and return `Either`. Any other exception is a bug.
 */
import type { ProfileName } from './profile.js'

/** A run-time error an engine would also raise (division by zero on PostgreSQL, integer overflow, a subquery with two rows). */
export interface RuntimeError {
  readonly _tag: 'RuntimeError'
  readonly message: string
  /**
   * A data exception (SQLSTATE class 22: a value that does not fit —
   * division by zero, out of range, not a number or a date, a negative
   * LIMIT), as opposed to another failure at run time (a subquery giving
   * two rows, a comparison of unlike types).
   */
  readonly data: boolean
}

/**
 * A construct the evaluator does not evaluate, by design: hand-written SQL
 * text (`rawSql`, `textQuery`: its meaning is the engine's, and guessing it
 * would make the reference semantics wrong), and a function called by name
 * (`fn('name', ...)`) other than the few it knows (greatest, least,
 * char_length, character_length, replace, reverse, concat_ws). `feature`
 * names the construct. Such a query is tested on a real engine instead, or
 * written with the algebra's own nodes. The laws never generate either.
 *
 * @example
 * const r = M.evaluate(M.postgresProfile)(Q.textQuery(Q.rawSql('SELECT 1 AS x'), { x: Q.integer() }))(db)
 * // Left({ _tag: 'NotEvaluable', feature: 'hand-written SQL text (textQuery)',
 * //        message: 'hand-written SQL text (textQuery) cannot be evaluated in memory (profile postgres)' })
 */
export interface NotEvaluable {
  readonly _tag: 'NotEvaluable'
  readonly feature: string
  readonly message: string
}

/** A query that refers to something that does not exist (unknown table, alias, column, parameter). */
export interface InvalidReference {
  readonly _tag: 'InvalidReference'
  readonly message: string
}

/** A constraint violated by a data change; `kind` follows the drivers' error union. */
export interface ConstraintViolation {
  readonly _tag: 'ConstraintViolation'
  readonly kind: 'unique' | 'primary-key' | 'not-null' | 'check' | 'foreign-key'
  readonly table: string
  readonly constraint: string
  readonly message: string
}

/** A transaction command that is illegal in the current state (commit without begin, unknown savepoint). */
export interface TransactionStateError {
  readonly _tag: 'TransactionStateError'
  readonly message: string
}

/** Every error of the in-memory engine. */
export type EvalError = RuntimeError | NotEvaluable | InvalidReference | ConstraintViolation | TransactionStateError

/** Carries an `EvalError` out of a fold; caught by the public entry points. */
export class Abort extends Error {
  /** Wrap an evaluation error. */
  constructor(readonly error: EvalError) {
    super(error.message)
  }
}

/** Abort evaluation with a run-time error. */
export const runtimeError = (message: string): never => {
  throw new Abort({ _tag: 'RuntimeError', message, data: false })
}

/** Abort evaluation with a data exception (see {@link RuntimeError}). */
export const dataError = (message: string): never => {
  throw new Abort({ _tag: 'RuntimeError', message, data: true })
}

/** Abort evaluation: the construct cannot be evaluated in memory. */
export const notEvaluable = (feature: string, profile?: ProfileName): never => {
  throw new Abort({
    _tag: 'NotEvaluable',
    feature,
    message: `${feature} cannot be evaluated in memory${profile === undefined ? '' : ` (profile ${profile})`}`,
  })
}

/** Abort evaluation: an unknown table, alias, column or parameter. */
export const invalidReference = (message: string): never => {
  throw new Abort({ _tag: 'InvalidReference', message })
}

/** Abort a data change with a constraint violation. */
export const violation = (kind: ConstraintViolation['kind'], table: string, constraint: string, detail: string): never => {
  throw new Abort({ _tag: 'ConstraintViolation', kind, table, constraint, message: `${kind} constraint ${constraint} on ${table}: ${detail}` })
}

/** Run `f`, turning an `Abort` into a left value; other exceptions (bugs) propagate. */
export const catchAbort = <A>(f: () => A): { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: EvalError } => {
  try {
    return { ok: true, value: f() }
  } catch (e) {
    if (e instanceof Abort) return { ok: false, error: e.error }
    throw e
  }
}
