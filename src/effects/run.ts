/**
 * Running programs: borrow a connection from the engine's pool, run the
 * program on it, give the connection back (rolled back by the pool if the
 * program left a transaction open). Also the retry combinator and the thin
 * Promise surface for callers who do not use fp-ts.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { isDbError, dbError, type Unknown } from '../drivers/errors.js'
import type { Engine } from './engine.js'
import type { Program, QuarryError } from './program.js'

/** Run a program on a connection borrowed from `engine`'s pool. */
export const run =
  (engine: Engine) =>
  <A>(program: Program<A>): TE.TaskEither<QuarryError, A> =>
  async () => {
    let connection
    try {
      connection = await engine.pool.acquire()
    } catch (e) {
      return E.left(isDbError(e) ? e : dbError<Unknown>('Unknown', String(e), { cause: e }))
    }
    try {
      return await program({ engine, connection, depth: 0 })()
    } finally {
      await engine.pool.release(connection).catch(() => undefined)
    }
  }

/** Run a program and return a Promise that rejects with the {@link QuarryError}. */
export const runPromise =
  (engine: Engine) =>
  async <A>(program: Program<A>): Promise<A> => {
    const r = await run(engine)(program)()
    if (E.isLeft(r)) throw r.left
    return r.right
  }

/** When and how often to run work again. */
export interface RetryPolicy {
  /** Attempts after the first (default 3). */
  readonly retries?: number
  /** Wait before the first retry, doubled each time (default 20 ms). */
  readonly backoffMs?: number
  /** Which errors to retry (default: those marked `retryable`: deadlock, serialization, lost connection, …). */
  readonly when?: (e: QuarryError) => boolean
}

const retryable = (e: QuarryError): boolean => 'retryable' in e && e.retryable === true

/**
 * Run a task again while it fails with a retryable error. Apply it to a
 * whole unit of work — `retry()(run(engine)(transaction()(program)))` — so
 * each attempt gets a fresh connection and a fresh transaction; retrying
 * inside a failed transaction could never succeed.
 */
export const retry =
  (policy: RetryPolicy = {}) =>
  <A>(task: TE.TaskEither<QuarryError, A>): TE.TaskEither<QuarryError, A> =>
  async () => {
    const retries = policy.retries ?? 3
    const when = policy.when ?? retryable
    let wait = policy.backoffMs ?? 20
    let result = await task()
    for (let i = 0; i < retries && E.isLeft(result) && when(result.left); i++) {
      await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())))
      wait *= 2
      result = await task()
    }
    return result
  }
