/**
 * The contract between a driver's `RawConnection.runMany` and the shared
 * `Connection.executeMany`: a raw batch that fails throws a
 * {@link BatchFailure} saying which parameter set was running, so the
 * connection can classify the native error with that set's parameters and
 * index. Also the parameter-set checks that run before anything is sent.
 */
import type { DialectName, ExecResult } from './driver.js'
import { dbError, type InvalidParameter } from './errors.js'
import { checkParams } from './params.js'

const BATCH_FAILURE: unique symbol = Symbol('quarry.BatchFailure')

/** A native failure inside a raw batch, with the set that was running (undefined: batch begin/commit). */
export interface BatchFailure {
  readonly [BATCH_FAILURE]: true
  readonly set: number | undefined
  readonly cause: unknown
}

/**
 * Wrap the native error of set `set`.
 *
 * @example
 * try { stmt.run(...values) } catch (e) { throw batchFailure(i, e) }
 */
export const batchFailure = (set: number | undefined, cause: unknown): BatchFailure => ({ [BATCH_FAILURE]: true, set, cause })

/**
 * True for what {@link batchFailure} made.
 *
 * @example
 * if (isBatchFailure(e)) console.log(`set ${e.set} failed`, e.cause)
 */
export const isBatchFailure = (u: unknown): u is BatchFailure =>
  typeof u === 'object' && u !== null && (u as Partial<BatchFailure>)[BATCH_FAILURE] === true

/**
 * The first bad parameter of any set (not a scalar, or a set whose length
 * differs from set 0's: they all bind one statement) as `InvalidParameter`
 * with `paramSet` naming the set; `undefined` when every set is fine. Runs
 * before the batch, so bad input anywhere writes nothing.
 *
 * @example
 * checkParamSets([[1, 'a'], [2]], 'sqlite', 'UPDATE t SET b = ? WHERE a = ?', false) // InvalidParameter, paramSet 1
 */
export const checkParamSets = (
  sets: ReadonlyArray<ReadonlyArray<unknown>>,
  dialect: DialectName,
  sql: string,
  showParams: boolean,
): InvalidParameter | undefined => {
  const width = sets[0]?.length ?? 0
  for (let s = 0; s < sets.length; s++) {
    const set = sets[s]!
    if (set.length !== width)
      return dbError<InvalidParameter>(
        'InvalidParameter',
        `parameter set ${s} has ${set.length} values where set 0 has ${width}; every set binds the same statement`,
        { dialect, sql, showParams, paramSet: s },
        { index: Math.min(set.length, width) },
      )
    const bad = checkParams(set, dialect, sql, showParams, s)
    if (bad !== undefined) return bad
  }
  return undefined
}

/** The summed affected rows of a batch's results. */
export const totalAffected = (results: ReadonlyArray<ExecResult<unknown>>): number => {
  let n = 0
  for (const r of results) n += r.affectedRows
  return n
}

