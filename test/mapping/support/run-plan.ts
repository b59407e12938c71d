/**
 * A tiny executor for load plans in tests (the effects layer will own the
 * real one): sends each fetch's statements on a driver connection, in
 * order, and counts the round trips.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Connection, Param } from '../../../src/drivers/driver.js'
import type { LoadPlan, MappingError, Rows } from '../../../src/mapping/index.js'

/** What running a plan gave, with the statements it sent. */
export interface Ran<A> {
  readonly result: E.Either<MappingError, A>
  /** Statements sent, one round trip each. */
  readonly roundTrips: number
  /** The SQL of every statement, in order. */
  readonly sql: readonly string[]
  /** The step each fetch was for. */
  readonly steps: readonly string[]
}

/** Run a plan on a connection. */
export const runPlan = async <A>(conn: Connection, plan: LoadPlan<A>): Promise<Ran<A>> => {
  let cur = plan
  const sql: string[] = []
  const steps: string[] = []
  while (cur._tag === 'Fetch') {
    steps.push(cur.step)
    const results: Rows[] = []
    for (const s of cur.statements) {
      sql.push(s.sql)
      results.push((await conn.execute(s.sql, s.params as readonly Param[])).rows)
    }
    cur = cur.next(results)
  }
  return { result: cur.result, roundTrips: sql.length, sql, steps }
}

/** Run a plan and return its value, throwing the mapping error's message (for tests that expect success). */
export const runOk = async <A>(conn: Connection, plan: LoadPlan<A>): Promise<A & {}> => {
  const r = await runPlan(conn, plan)
  if (E.isLeft(r.result)) throw new Error(`${r.result.left._tag}: ${r.result.left.message}`)
  return r.result.right as A & {}
}
