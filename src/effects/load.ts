/**
 * Running load plans. A plan from `quarry/mapping` is a pure value — the
 * statements of each step and a continuation from their rows — so loading
 * an object graph is: send the step's statements on the session's
 * connection, hand the rows back, repeat until the plan is done. The round
 * trips are exactly the plan's statements: one per relationship level for
 * select-in loading, one for joined loading.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Param } from '../drivers/driver.js'
import type { Dialect } from '../interpret/index.js'
import type { LoadPlan, Rows } from '../mapping/index.js'
import { executeOn, type Program } from './program.js'

/** Run a load plan on the session's connection. */
export const runPlan =
  <A>(plan: LoadPlan<A>): Program<A> =>
  (s) =>
  async () => {
    let cur = plan
    while (cur._tag === 'Fetch') {
      const results: Rows[] = []
      for (const st of cur.statements) {
        const r = await executeOn(s, st.sql, st.params as ReadonlyArray<Param>)
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
