/**
 * Compiled statements that remember their source, for an engine that
 * evaluates statement values instead of sending SQL (the in-memory engine).
 * Load plans (`quarry/mapping`) hold compiled statements only; compiled
 * for a retaining dialect, each also carries the statement value and named
 * arguments it came from, so such an engine can run the plan unchanged.
 *
 * `compile` here is the public one: for an ordinary dialect it is exactly
 * the core compiler (one property read per `compile(d)` call, nothing per
 * statement); only a dialect made by {@link retaining} takes the other path.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { StatementNode } from '../algebra/index.js'
import { compile as compileCore, type Args, type Compiled } from './compile.js'
import type { CompileError } from './errors.js'
import type { Dialect } from './dialect.js'

/** A compiled statement with the statement value and arguments it was compiled from. */
export interface Retained extends Compiled {
  readonly statement: StatementNode
  readonly args: Args | undefined
}

interface RetainFlag {
  readonly retainStatements?: true
}

/**
 * A copy of `d` whose compiled statements keep their source (see {@link sourceOf}).
 * The SQL it prints is `d`'s; its statement cache is its own.
 *
 * @example
 * const d = retaining(sqlite)
 * const c = compile(d)(pipe(from(users), select((s) => ({ id: s.users.id }))))
 * E.isRight(c) && sourceOf(c.right)?.statement // the select value
 */
export const retaining = (d: Dialect): Dialect => Object.freeze({ ...d, retainStatements: true as const })

/**
 * True for a dialect made by {@link retaining}.
 *
 * @example
 * isRetaining(retaining(postgres)) // true; isRetaining(postgres) // false
 */
export const isRetaining = (d: Dialect): boolean => (d as Dialect & RetainFlag).retainStatements === true

/**
 * The statement value and arguments a compiled statement came from, when it
 * was compiled for a retaining dialect; undefined otherwise.
 *
 * @example
 * const src = sourceOf(plan.statements[0]) // { statement, args } or undefined
 */
export const sourceOf = (c: Compiled): Retained | undefined => {
  const r = c as Partial<Retained>
  return r.statement === undefined ? undefined : (c as Retained)
}

const keep =
  (d: Dialect): ((s: StatementNode, args?: Args) => E.Either<CompileError, Compiled>) => {
    const core = compileCore(d)
    return (s, args) => {
      const r = core(s, args)
      return E.isLeft(r) ? r : E.right(Object.freeze({ sql: r.right.sql, params: r.right.params, statement: s, args }))
    }
  }

/**
 * Compile a statement for a dialect (see `compile.ts`); for a retaining
 * dialect the result also carries its source.
 *
 * @example
 * const r = compile(postgres)(pipe(from(users), where((s) => eq(s.users.id, 1))))
 */
export const compile = (d: Dialect): ((s: StatementNode, args?: Args) => E.Either<CompileError, Compiled>) =>
  (d as Dialect & RetainFlag).retainStatements === true ? keep(d) : compileCore(d)
