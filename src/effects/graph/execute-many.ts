/**
 * `Connection.executeMany` on a session, telling the engine's listeners as
 * `executeOn` does for one statement: the batch is one statement to them
 * (one beforeExecute / afterExecute, with the first parameter set), which
 * is what it is to the engine — prepared once, run per set in one call.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ExecManyResult, Param } from '../../drivers/driver.js'
import { dbError, isDbError, type Unknown } from '../../drivers/errors.js'
import { emit } from '../events.js'
import type { QuarryError, Session } from '../program.js'

const asError = (e: unknown): QuarryError => (isDbError(e) ? e : dbError<Unknown>('Unknown', e instanceof Error ? e.message : String(e), { cause: e }))

const NONE: ReadonlyArray<Param> = []

/**
 * Run `sql` once per parameter set on the session's connection.
 *
 * @example
 * const r = await executeManyOn(session, 'UPDATE t SET a = ? WHERE id = ?', [['x', 1], ['y', 2]])
 */
export const executeManyOn = async <R>(s: Session, sql: string, sets: ReadonlyArray<ReadonlyArray<Param>>): Promise<E.Either<QuarryError, ExecManyResult<R>>> => {
  const l = s.engine.listeners
  const quiet = l.beforeExecute.length === 0 && l.afterExecute.length === 0
  const params = sets[0] ?? NONE
  if (!quiet) emit(l, 'beforeExecute', { sql, params })
  const t0 = quiet ? 0 : performance.now()
  try {
    const r = await s.connection.executeMany<R>(sql, sets)
    if (!quiet) emit(l, 'afterExecute', { sql, params, ms: performance.now() - t0, rows: 0, error: undefined })
    return E.right(r)
  } catch (e) {
    if (!quiet) emit(l, 'afterExecute', { sql, params, ms: performance.now() - t0, rows: 0, error: e })
    return E.left(asError(e))
  }
}
