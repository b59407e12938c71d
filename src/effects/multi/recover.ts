/**
 * Recovery of two-phase commits left in doubt (a coordinator that crashed,
 * a server that went away between the commits). It lists the prepared
 * branches with quarry's xid prefix under one log's scope on every engine,
 * and finishes each global transaction the way its log says (presumed
 * abort, see `log.ts`): branch 0 still prepared → no decision was made →
 * roll back every branch (branch 0 first, so a coordinator can no longer
 * commit it); branch 0 finished and its decision record present → commit
 * every branch; no record → roll back. Decision records whose branches are
 * all finished are then deleted.
 *
 * Transactions younger than `olderThanMs` are left alone: their coordinator
 * may still be running, and deciding for it would race it. Run recover at
 * start-up (before new commits) or from a periodic job.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { isDbError, dbError, type Unknown } from '../../drivers/errors.js'
import type { Engine } from '../engine.js'
import type { QuarryError, Session } from '../program.js'
import { byName } from './commit-across.js'
import type { MultiFailure } from './errors.js'
import { allDecisions, checkScope, forgetDecision, gtidTime, parseXid, readDecision, type BranchId } from './log.js'
import { fresh } from './two-phase.js'

/** What to recover. */
export interface RecoverOptions {
  /** The engine holding the decision records (the `log` the commits used). */
  readonly log: Engine
  /** Every engine that takes part in two-phase commits with this log. */
  readonly engines: readonly Engine[]
  /** Leave global transactions younger than this to their coordinator (default 60 000 ms). */
  readonly olderThanMs?: number
  /** The clock (default `Date.now`). */
  readonly now?: () => number
}

/** What recover did. */
export interface RecoveryReport {
  /** Branch xids committed. */
  readonly committed: readonly string[]
  /** Branch xids rolled back. */
  readonly rolledBack: readonly string[]
  /** Branch xids left alone because their transaction is younger than `olderThanMs`. */
  readonly young: readonly string[]
  /** Branches that could not be finished, and why (run recover again). */
  readonly failed: readonly { readonly xid: string; readonly cause: QuarryError }[]
  /** Global ids whose decision record was deleted. */
  readonly forgotten: readonly string[]
}

const asError = (e: unknown): QuarryError => (isDbError(e) ? e : dbError<Unknown>('Unknown', e instanceof Error ? e.message : String(e), { cause: e }))

interface Found extends BranchId {
  readonly engine: Engine
}

/** Every prepared branch of the scope, each once (MariaDB lists XA branches server-wide, so two engines on one server see the same ones). */
const listBranches = async (engines: readonly Engine[], scope: string): Promise<Found[]> => {
  const seen = new Map<string, Found>()
  for (const engine of engines) {
    const xids = await fresh(engine, (c) => c.listPrepared())
    for (const xid of xids) {
      const id = parseXid(xid)
      if (id !== undefined && id.scope === scope && !seen.has(xid)) seen.set(xid, { ...id, engine })
    }
  }
  return [...seen.values()]
}

const onLog = async <A>(log: Engine, program: (s: Session) => () => Promise<E.Either<QuarryError, A>>): Promise<A> =>
  fresh(log, async (c) => {
    const r = await program({ engine: log, connection: c, depth: 0 })()
    if (E.isLeft(r)) throw r.left
    return r.right
  })

/**
 * Find and finish in-doubt two-phase commits of one log.
 *
 * @example
 * const report = await recover({ log: pg, engines: [pg, maria] })()
 * if (E.isRight(report)) console.log(report.right.committed, report.right.rolledBack)
 */
export const recover =
  (o: RecoverOptions): TE.TaskEither<MultiFailure, RecoveryReport> =>
  async () => {
    const scope = checkScope(o.log.name)
    if (E.isLeft(scope)) return scope
    const named = byName([o.log, ...o.engines])
    if (E.isLeft(named)) return named
    // SQLite has no two-phase commit, so no branch to find there.
    const engines = [...named.right.values()].filter((e) => e.dialect.name !== 'sqlite')
    const now = (o.now ?? Date.now)()
    const grace = o.olderThanMs ?? 60_000
    const report = { committed: [] as string[], rolledBack: [] as string[], young: [] as string[], failed: [] as { xid: string; cause: QuarryError }[], forgotten: [] as string[] }
    let found: Found[]
    try {
      found = await listBranches(engines, scope.right)
    } catch (e) {
      return E.left(asError(e))
    }
    const byGtid = new Map<string, Found[]>()
    for (const f of found) byGtid.set(f.gtid, [...(byGtid.get(f.gtid) ?? []), f])
    const finish = async (f: Found, commit: boolean): Promise<boolean> => {
      try {
        await fresh(f.engine, (c) => (commit ? c.commitPrepared(f.xid) : c.rollbackPrepared(f.xid)))
        ;(commit ? report.committed : report.rolledBack).push(f.xid)
        return true
      } catch (e) {
        report.failed.push({ xid: f.xid, cause: asError(e) })
        return false
      }
    }
    for (const [gtid, branches] of byGtid) {
      if (now - gtidTime(gtid) < grace) {
        report.young.push(...branches.map((b) => b.xid))
        continue
      }
      const sorted = [...branches].sort((a, b) => a.branch - b.branch)
      let commit: boolean
      if (sorted[0]!.branch === 0) commit = false
      else {
        try {
          commit = (await onLog(o.log, readDecision(gtid))) !== undefined
        } catch (e) {
          for (const b of sorted) report.failed.push({ xid: b.xid, cause: asError(e) })
          continue
        }
      }
      // Branch 0 first when rolling back: once it is gone no coordinator can pass the commit point.
      for (const b of sorted) if (!(await finish(b, commit)) && !commit && b.branch === 0) break
    }
    // Records whose branches are all finished, on engines all given here, have served.
    const names = new Set(named.right.keys())
    const unfinished = new Set(report.failed.map((f) => parseXid(f.xid)?.gtid).concat(report.young.map((x) => parseXid(x)?.gtid)))
    try {
      for (const d of await onLog(o.log, allDecisions))
        if (now - gtidTime(d.gtid) >= grace && !unfinished.has(d.gtid) && d.participants.every((p) => names.has(p))) {
          await onLog(o.log, forgetDecision(d.gtid))
          report.forgotten.push(d.gtid)
        }
    } catch (e) {
      return E.left(asError(e))
    }
    return E.right(report)
  }
