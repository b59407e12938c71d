/**
 * Transactions as a combinator. `transaction(options)(program)` runs the
 * program inside BEGIN … COMMIT, rolling back when it fails; nested inside
 * another transaction it becomes a savepoint, so a failure undoes only the
 * nested work and leaves the outer transaction usable. The connection's
 * own state machine (see `src/drivers/connection.ts`) guarantees that a
 * failed transaction is never silently continued.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { BeginOptions } from '../drivers/driver.js'
import { dbError, isDbError, type InvalidState, type Unknown } from '../drivers/errors.js'
import { emit } from './events.js'
import type { Program, QuarryError, Session } from './program.js'

const attempt = async (f: () => Promise<void>): Promise<E.Either<QuarryError, void>> => {
  try {
    await f()
    return E.right(undefined)
  } catch (e) {
    return E.left(isDbError(e) ? e : dbError<Unknown>('Unknown', String(e), { cause: e }))
  }
}

/** The savepoint name used at a nesting depth: stable, so plans and logs read alike. */
export const savepointName = (depth: number): string => `quarry_sp_${depth}`

const nestedOptionsError = (s: Session): InvalidState =>
  dbError<InvalidState>(
    'InvalidState',
    'isolation level and read-only can only be set on the outermost transaction, not on a nested one (a savepoint)',
    { dialect: s.connection.dialect },
    { state: s.connection.state },
  )

/**
 * Run `program` atomically: committed if it succeeds, rolled back if it
 * fails (or throws). Nested, it is a savepoint.
 *
 * @example
 * const transfer = transaction({ isolation: 'serializable' })(
 *   pipe(sql('UPDATE account SET balance = balance - 10 WHERE id = 1'), RTE.chain(() => sql('UPDATE account SET balance = balance + 10 WHERE id = 2'))),
 * )
 */
export const transaction =
  (options: BeginOptions = {}) =>
  <A>(program: Program<A>): Program<A> =>
  (s) =>
  async () => {
    const c = s.connection
    const l = s.engine.listeners
    const inner: Session = { ...s, depth: s.depth + 1 }
    if (s.depth === 0) {
      const begun = await attempt(() => c.begin(options))
      if (E.isLeft(begun)) return begun
      if (l.begin.length > 0) emit(l, 'begin', { depth: 1 })
      let result: E.Either<QuarryError, A>
      try {
        result = await program(inner)()
      } catch (e) {
        await c.rollback().catch(() => undefined)
        throw e
      }
      if (E.isRight(result)) {
        const committed = await attempt(() => c.commit())
        if (E.isLeft(committed)) return committed
        if (l.commit.length > 0) emit(l, 'commit', { depth: 1 })
        return result
      }
      // The program's error is the one to report; a failing rollback means the connection is gone anyway.
      if (c.state === 'active' || c.state === 'failed') await c.rollback().catch(() => undefined)
      if (l.rollback.length > 0) emit(l, 'rollback', { depth: 1 })
      return result
    }
    if (options.isolation !== undefined || options.readOnly !== undefined) return E.left(nestedOptionsError(s))
    const name = savepointName(s.depth)
    const opened = await attempt(() => c.savepoint(name))
    if (E.isLeft(opened)) return opened
    if (l.begin.length > 0) emit(l, 'begin', { depth: inner.depth })
    let result: E.Either<QuarryError, A>
    try {
      result = await program(inner)()
    } catch (e) {
      await c.rollbackToSavepoint(name).catch(() => undefined)
      throw e
    }
    if (E.isRight(result)) {
      const released = await attempt(() => c.releaseSavepoint(name))
      if (E.isLeft(released)) return released
      if (l.commit.length > 0) emit(l, 'commit', { depth: inner.depth })
      return result
    }
    // Undo only the nested work; the outer transaction goes on (its state is active again).
    if (c.savepoints.includes(name)) await attempt(() => c.rollbackToSavepoint(name))
    if (c.savepoints.includes(name)) await attempt(() => c.releaseSavepoint(name))
    if (l.rollback.length > 0) emit(l, 'rollback', { depth: inner.depth })
    return result
  }
