/**
 * Await a promise that must fail with a quarry `DbError`, and return the
 * error for assertions. Fails the test when the promise resolves, or
 * rejects with anything that is not a `DbError`.
 */
import { isDbError, type DbError } from '../../src/drivers/errors.js'

/** The `DbError` that `p` rejects with. */
export const failure = async (p: Promise<unknown>): Promise<DbError> => {
  try {
    await p
  } catch (e) {
    if (isDbError(e)) return e
    throw new Error(`expected a DbError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
  }
  throw new Error('expected a failure, but the promise resolved')
}
