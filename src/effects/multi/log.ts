/**
 * The decision record of two-phase commit, and the ids of its branches.
 *
 * quarry uses presumed abort: a global transaction is committed exactly
 * when its decision record exists. The record is a row of
 * {@link twoPhaseLog} written *inside the branch of the log engine* (branch
 * 0), so it becomes visible at the very moment that branch commits, and the
 * coordinator commits branch 0 first: that COMMIT PREPARED is the commit
 * point. Recovery reads the state back: branch 0 still prepared → nothing
 * was decided, roll every branch back; branch 0 gone and the record there →
 * commit the rest; branch 0 gone and no record → it was rolled back, roll
 * the rest back. No extra transaction or round trip is spent on the log.
 *
 * Branch xids are `qx.<scope>.<gtid>.<branch>`: `scope` is the log engine's
 * name (so recovery with one log never touches branches decided by
 * another), `gtid` starts with the time it was made (so recovery can leave
 * young transactions to their running coordinator).
 */
import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import * as Q from '../../algebra/index.js'
import { execute, query, type Program } from '../program.js'
import { invalidSetup, type InvalidSetup } from './errors.js'

/**
 * The table of decision records. Create it on the log engine with your
 * other DDL (quarry issues only the DDL you define): `execute(Q.createTable(twoPhaseLog))`.
 *
 * @example
 * await runPromise(logEngine)(execute(Q.createTable(twoPhaseLog, { ifNotExists: true })))
 */
export const twoPhaseLog = Q.table('quarry_2pc_log', {
  gtid: Q.varchar(64).primaryKey(),
  /** The engines with a branch, comma-separated, in branch order. */
  participants: Q.varchar(2000).notNull(),
})

const SCOPE = /^[A-Za-z0-9_-]{1,24}$/
const XID = /^qx\.([A-Za-z0-9_-]{1,24})\.([0-9a-z]+-[0-9a-f]+)\.(\d+)$/

/**
 * The log engine's name as an xid scope, or why it cannot be one.
 *
 * @example
 * checkScope('orders') // E.right('orders')
 */
export const checkScope = (name: string): E.Either<InvalidSetup, string> =>
  SCOPE.test(name) ? E.right(name) : E.left(invalidSetup(`the two-phase log engine's name ${JSON.stringify(name)} must be 1-24 letters, digits, '_' or '-' (it is part of every branch id)`))

/**
 * A new global transaction id: creation time (base 36 ms) and 40 random bits.
 *
 * @example
 * newGtid() // 'mfz1k2x3-9f3a0c11d2'
 */
export const newGtid = (now: number = Date.now()): string => `${now.toString(36)}-${randomBytes(5).toString('hex')}`

/**
 * When a gtid was made (ms since epoch).
 *
 * @example
 * gtidTime(newGtid(1_700_000_000_000)) // 1700000000000
 */
export const gtidTime = (gtid: string): number => parseInt(gtid.slice(0, gtid.indexOf('-')), 36)

/**
 * The xid of branch `branch` of `gtid` under a log scope.
 *
 * @example
 * branchXid('orders', 'mfz1k2x3-9f3a0c11d2', 0) // 'qx.orders.mfz1k2x3-9f3a0c11d2.0'
 */
export const branchXid = (scope: string, gtid: string, branch: number): string => `qx.${scope}.${gtid}.${branch}`

/** A branch xid taken apart. */
export interface BranchId {
  readonly xid: string
  readonly scope: string
  readonly gtid: string
  readonly branch: number
}

/**
 * Parse a quarry branch xid; undefined for any other xid.
 *
 * @example
 * parseXid('qx.orders.mfz1k2x3-9f3a0c11d2.1') // { scope: 'orders', gtid: 'mfz1k2x3-9f3a0c11d2', branch: 1, xid: … }
 */
export const parseXid = (xid: string): BranchId | undefined => {
  const m = XID.exec(xid)
  return m === null ? undefined : { xid, scope: m[1]!, gtid: m[2]!, branch: Number(m[3]) }
}

/**
 * Write the decision record (run inside the log branch, before it is prepared).
 *
 * @example
 * await recordDecision(gtid, ['pg', 'maria'])({ engine: log, connection: branch0, depth: 1 })()
 */
export const recordDecision = (gtid: string, participants: readonly string[]): Program<void> =>
  pipe(
    execute(Q.insert(twoPhaseLog, { gtid, participants: participants.join(',') })),
    RTE.map(() => undefined),
  )

/**
 * The participants of a committed global transaction, or undefined when it has no record (never committed).
 *
 * @example
 * const committed = (await runPromise(log)(readDecision(gtid))) !== undefined
 */
export const readDecision = (gtid: string): Program<readonly string[] | undefined> =>
  pipe(
    query<{ participants: string }>(pipe(Q.from(twoPhaseLog), Q.where((s) => Q.eq(s.quarry_2pc_log.gtid, gtid)), Q.select((s) => ({ participants: s.quarry_2pc_log.participants })))),
    RTE.map((rows) => (rows[0] === undefined ? undefined : rows[0].participants.split(','))),
  )

/**
 * Every decision record: gtid and participants.
 *
 * @example
 * const records = await runPromise(log)(allDecisions)
 */
export const allDecisions: Program<readonly { readonly gtid: string; readonly participants: readonly string[] }[]> = pipe(
  query<{ gtid: string; participants: string }>(Q.from(twoPhaseLog)),
  RTE.map((rows) => rows.map((r) => ({ gtid: r.gtid, participants: r.participants.split(',') }))),
)

/**
 * Delete a decision record once every branch is committed.
 *
 * @example
 * await runPromise(log)(forgetDecision(gtid))
 */
export const forgetDecision = (gtid: string): Program<void> =>
  pipe(
    execute(Q.deleteFrom(twoPhaseLog, (s) => Q.eq(s.quarry_2pc_log.gtid, gtid))),
    RTE.map(() => undefined),
  )
