/**
 * Load plans: pure values describing a load. A plan is either finished
 * (`Done`, holding the objects or a mapping error) or waits for the rows of
 * some compiled statements (`Fetch`) and says, as a pure function of those
 * rows, what comes next. Select-in loading is a chain of fetches, one per
 * relationship level; joined loading is one fetch. Running a plan (sending
 * the statements, handing back the rows) is the effects layer's job; the
 * round trips of a load are exactly its fetches' statements.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Compiled } from '../interpret/index.js'
import type { Row } from './decoder.js'
import { resultMismatch, type MappingError } from './errors.js'

/** Rows of one result set. */
export type Rows = readonly Row[]

/** A load plan producing `A`. */
export type LoadPlan<A> =
  | { readonly _tag: 'Done'; readonly result: E.Either<MappingError, A> }
  | {
      readonly _tag: 'Fetch'
      /** What the statements are for, e.g. `Artist.albums (select-in)`. */
      readonly step: string
      readonly statements: readonly Compiled[]
      /** The rest of the plan, given one result set per statement, in order. */
      readonly next: (results: readonly Rows[]) => LoadPlan<A>
    }

/** A finished plan. */
export const done = <A>(a: A): LoadPlan<A> => Object.freeze({ _tag: 'Done', result: E.right(a) })

/** A failed plan. */
export const fail = <A = never>(e: MappingError): LoadPlan<A> => Object.freeze({ _tag: 'Done', result: E.left(e) })

/** Lift an Either into a finished plan. */
export const fromEither = <A>(r: E.Either<MappingError, A>): LoadPlan<A> => Object.freeze({ _tag: 'Done', result: r })

/**
 * A plan that runs `statements` and continues with their rows; checks that
 * the executor handed back one result set per statement.
 */
export const fetch = <A>(step: string, statements: readonly Compiled[], next: (results: readonly Rows[]) => LoadPlan<A>): LoadPlan<A> =>
  Object.freeze({
    _tag: 'Fetch',
    step,
    statements: Object.freeze([...statements]),
    next: (results: readonly Rows[]) => (results.length === statements.length ? next(results) : fail(resultMismatch(step, statements.length, results.length))),
  })

/** A total fold over one layer of a plan. */
export const foldPlan =
  <A, R>(h: { readonly Done: (result: E.Either<MappingError, A>) => R; readonly Fetch: (step: string, statements: readonly Compiled[], next: (results: readonly Rows[]) => LoadPlan<A>) => R }) =>
  (p: LoadPlan<A>): R => {
    switch (p._tag) {
      case 'Done':
        return h.Done(p.result)
      case 'Fetch':
        return h.Fetch(p.step, p.statements, p.next)
    }
  }

/** Continue a plan with another plan built from its result. */
export const chain =
  <A, B>(f: (a: A) => LoadPlan<B>) =>
  (p: LoadPlan<A>): LoadPlan<B> =>
    foldPlan<A, LoadPlan<B>>({
      Done: (r) => (E.isLeft(r) ? fail(r.left) : f(r.right)),
      Fetch: (step, statements, next) => fetch(step, statements, (rs) => chain(f)(next(rs))),
    })(p)

/** Transform a plan's result. */
export const map =
  <A, B>(f: (a: A) => B) =>
  (p: LoadPlan<A>): LoadPlan<B> =>
    chain((a: A) => done(f(a)))(p)

/**
 * Run a plan against a synchronous answerer (an in-memory fake, a recorded
 * result): each fetch's statements are handed to `answer`. Pure when
 * `answer` is; real databases are the effects layer's business.
 */
export const runWith = <A>(p: LoadPlan<A>, answer: (statements: readonly Compiled[], step: string) => readonly Rows[]): E.Either<MappingError, A> => {
  let cur = p
  while (cur._tag === 'Fetch') cur = cur.next(answer(cur.statements, cur.step))
  return cur.result
}
