/**
 * Running load plans. A plan from `quarry/mapping` is a pure value — the
 * statements of each step and a continuation from their rows — so loading
 * an object graph is: send the step's statements on the session's
 * connection, hand the rows back, repeat until the plan is done. The round
 * trips are exactly the plan's statements: one per relationship level for
 * select-in loading, one for joined loading.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ExecResult, Param, Row } from '../drivers/driver.js'
import { dbError, type Unsupported } from '../drivers/errors.js'
import { sourceOf, type Compiled, type Dialect } from '../interpret/index.js'
import type { LoadPlan, Rows } from '../mapping/index.js'
import type { Engine } from './engine.js'
import { executeOn, type Program, type QuarryError, type Session } from './program.js'

type Evaluate = NonNullable<Engine['evaluate']>

/**
 * A plan's statement on an engine that evaluates values: the plan was built
 * for the engine's (retaining) dialect, so each compiled statement carries
 * the value it came from.
 */
const evaluateCompiled = (s: Session, evaluate: Evaluate, st: Compiled): Promise<E.Either<QuarryError, ExecResult<Row>>> => {
  const src = sourceOf(st)
  if (src !== undefined) return evaluate<Row>(s, src.statement, src.args)
  const feature = 'a load plan compiled for another dialect'
  const message = `${s.engine.name} evaluates statement values, but this plan holds only SQL text: build it with the engine's dialect (loadWith does)`
  return Promise.resolve(E.left(dbError<Unsupported>('Unsupported', message, { dialect: s.connection.dialect, sql: st.sql }, { feature })))
}

/** Run a load plan on the session's connection. */
export const runPlan =
  <A>(plan: LoadPlan<A>): Program<A> =>
  (s) =>
  async () => {
    let cur = plan
    while (cur._tag === 'Fetch') {
      const results: Rows[] = []
      for (const st of cur.statements) {
        const evaluate = s.engine.evaluate
        const r = evaluate === undefined ? await executeOn(s, st.sql, st.params as ReadonlyArray<Param>) : await evaluateCompiled(s, evaluate, st)
        if (E.isLeft(r)) return r
        results.push(r.right.rows as Rows)
      }
      cur = cur.next(results)
    }
    return cur.result
  }

/**
 * Build a plan for the engine's dialect and run it.
 *
 * @example
 * const artists = await runPromise(engine)(loadWith((d) => M.load(d)(ArtistE, { albums })))
 */
export const loadWith =
  <A>(build: (dialect: Dialect) => LoadPlan<A>): Program<A> =>
  (s) =>
    runPlan(build(s.engine.dialect))(s)
