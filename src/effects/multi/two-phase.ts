/**
 * The two-phase commit coordinator: work on several engines (a change
 * graph split by engine, or any programs) committed atomically across
 * them. Each engine gets a branch (a two-phase
 * transaction under its own xid of one global id); the parts are flushed in
 * dependency order (a parent's generated key on engine A flows into the
 * child on engine B), the decision record goes into the log engine's branch
 * (branch 0), every branch is prepared, and branch 0 is committed first:
 * that is the commit point (see `log.ts`). A failure before it rolls every
 * branch back, prepared ones included; a failure after it leaves the
 * unfinished branches prepared, reported as {@link InDoubt}, for `recover`.
 *
 * A branch's states: none → active (begun) → prepared → committed, or
 * rolled back from active or prepared; `maybe` is a prepare whose outcome
 * is unknown (the connection died under it), treated as possibly prepared.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { BeginOptions, Connection } from '../../drivers/driver.js'
import { dbError, isDbError, type Unknown } from '../../drivers/errors.js'
import type { Engine } from '../engine.js'
import { emit } from '../events.js'
import type { Persisted } from '../graph/commit.js'
import { flushPlanned } from '../graph/commit.js'
import type { QuarryError, Session } from '../program.js'
import { inDoubt, twoPhaseAborted, type MultiFailure, type TwoPhaseStage } from './errors.js'
import { branchXid, forgetDecision, newGtid, readDecision, recordDecision } from './log.js'
import { planPart, type Split } from './split.js'

type BranchState = 'none' | 'active' | 'maybe' | 'prepared' | 'committed' | 'rolled back'

interface Branch {
  readonly name: string
  readonly engine: Engine
  readonly xid: string
  conn: Connection | undefined
  state: BranchState
}

const asError = (e: unknown): QuarryError => (isDbError(e) ? e : dbError<Unknown>('Unknown', e instanceof Error ? e.message : String(e), { cause: e }))

/**
 * Run `f` on a fresh connection of the engine (a branch's own may be dead).
 *
 * @example
 * const xids = await fresh(engine, (c) => c.listPrepared())
 */
export const fresh = async <A>(engine: Engine, f: (c: Connection) => Promise<A>): Promise<A> => {
  const c = await engine.pool.acquire()
  try {
    return await f(c)
  } finally {
    await engine.pool.release(c).catch(() => undefined)
  }
}

/**
 * Run `f` on the branch's own connection when it is usable, else on a fresh
 * one — giving a dead one back first, so a small pool is not exhausted by
 * the connection it already lost.
 */
const onBranch = async <A>(b: Branch, f: (c: Connection) => Promise<A>): Promise<A> => {
  if (b.conn !== undefined && b.conn.alive && b.conn.state === 'idle') return f(b.conn)
  if (b.conn !== undefined && !b.conn.alive) {
    await b.engine.pool.release(b.conn).catch(() => undefined)
    b.conn = undefined
  }
  return fresh(b.engine, f)
}

/** Roll back one branch, whatever its state; best effort (a branch left prepared is rolled back by `recover`: it has no decision record). */
const rollbackBranch = async (b: Branch): Promise<void> => {
  const l = b.engine.listeners
  try {
    if (b.state === 'active' && b.conn !== undefined && (b.conn.state === 'active' || b.conn.state === 'failed')) await b.conn.rollback()
    else if (b.state === 'active' && b.conn?.state === 'closed') {
      // The server ends an unprepared transaction whose session died.
    } else if (b.state === 'prepared') await onBranch(b, (c) => c.rollbackPrepared(b.xid))
    else if (b.state === 'maybe')
      await onBranch(b, async (c) => {
        if ((await c.listPrepared()).includes(b.xid)) await c.rollbackPrepared(b.xid)
      })
    else return
    b.state = 'rolled back'
    if (l.rollback.length > 0) emit(l, 'rollback', { depth: 1 })
  } catch {
    // The server ends an unprepared branch when its session dies; a prepared one waits for recover.
  }
}

/**
 * Commit a prepared branch other than branch 0, after the commit point; on
 * failure try once more (on a fresh connection if its own died), and count
 * a branch no longer listed as committed: past the commit point nobody
 * rolls a branch back (recover commits it too), so a branch that is gone
 * was committed, by a reply that was lost or by a recover.
 */
const commitBranch = async (b: Branch): Promise<E.Either<QuarryError, void>> => {
  try {
    await b.conn!.commitPrepared(b.xid)
  } catch (first) {
    try {
      await onBranch(b, async (c) => {
        if ((await c.listPrepared()).includes(b.xid)) await c.commitPrepared(b.xid)
      })
    } catch {
      return E.left(asError(first))
    }
  }
  b.state = 'committed'
  if (b.engine.listeners.commit.length > 0) emit(b.engine.listeners, 'commit', { depth: 1 })
  return E.right(undefined)
}

/**
 * After the log branch's COMMIT PREPARED failed: did the commit point pass?
 * Still prepared → commit it now; gone → the decision record says.
 */
const settleLogBranch = async (b: Branch, gtid: string): Promise<'committed' | 'aborted'> =>
  onBranch(b, async (c) => {
    if ((await c.listPrepared()).includes(b.xid)) {
      await c.commitPrepared(b.xid)
      return 'committed'
    }
    const s: Session = { engine: b.engine, connection: c, depth: 0 }
    const d = await readDecision(gtid)(s)()
    if (E.isLeft(d)) throw d.left
    return d.right === undefined ? 'aborted' : 'committed'
  })

/** Options of a two-phase commit. */
export interface TwoPhaseOptions {
  /** The engine holding the decision records ({@link twoPhaseLog}); always branch 0. */
  readonly log: Engine
  /** Its name as xid scope (checked by the caller). */
  readonly scope: string
  /** Isolation / read-only for every branch. */
  readonly begin?: BeginOptions
}

/** A committed graph across engines: the persisted rows of each engine's part. */
export interface MultiPersisted {
  readonly _tag: 'MultiPersisted'
  /** The global transaction id (undefined when no two-phase commit was needed). */
  readonly gtid: string | undefined
  readonly byEngine: ReadonlyMap<string, Persisted>
  /** A node's persisted row, whichever engine holds it. */
  readonly get: (node: string) => Readonly<Record<string, unknown>> | undefined
}

/**
 * The persisted rows of several parts as one.
 *
 * @example
 * multiPersisted(undefined, split, new Map([['pg', persisted]])).get('ada')?.['id']
 */
export const multiPersisted = (gtid: string | undefined, split: Split, byEngine: ReadonlyMap<string, Persisted>): MultiPersisted =>
  Object.freeze({
    _tag: 'MultiPersisted' as const,
    gtid,
    byEngine,
    get: (node: string) => {
      const e = split.home.get(node)
      return e === undefined ? undefined : byEngine.get(e)?.rows.get(node)
    },
  })

/** What the work inside the branches reports when it fails: the engine, and why. */
export interface BranchFailure {
  readonly engine: string
  readonly cause: QuarryError
}

/**
 * The coordinator, for any work: open a branch on each engine of `names`
 * (the first is the log engine), run `work` with a session per branch, write
 * the decision record into branch 0, prepare every branch, commit branch 0
 * (the commit point), then the others. `work` may only use the sessions it
 * is given and must not end their transactions.
 *
 * @example
 * const r = await twoPhase(['pg', 'maria'], engines, { log: pg, scope: 'pg' }, 'work', async (on) => E.right(undefined))
 */
export const twoPhase = async <A>(
  names: readonly string[],
  engines: ReadonlyMap<string, Engine>,
  o: TwoPhaseOptions,
  stage: 'flush' | 'work',
  work: (on: (engine: string) => Session) => Promise<E.Either<BranchFailure, A>>,
): Promise<E.Either<MultiFailure, { readonly gtid: string; readonly value: A }>> => {
  const gtid = newGtid()
  const branches: Branch[] = names.map((name, i) => ({ name, engine: name === o.log.name ? o.log : engines.get(name)!, xid: branchXid(o.scope, gtid, i), conn: undefined, state: 'none' }))
  const byName = new Map(branches.map((b) => [b.name, b]))
  const abort = async (at: TwoPhaseStage, engine: string, cause: QuarryError): Promise<E.Either<MultiFailure, never>> => {
    await Promise.all(branches.map(rollbackBranch))
    return E.left(twoPhaseAborted(gtid, at, engine, cause, branches.filter((b) => b.state === 'rolled back').map((b) => b.name)))
  }
  try {
    // Branches are opened, prepared and (after the commit point) committed on all engines at once;
    // the work runs as it chooses (a graph's parts one after another: a part may need earlier keys).
    const opened = await Promise.all(
      branches.map(async (b): Promise<readonly [TwoPhaseStage, QuarryError] | undefined> => {
        try {
          b.conn = await b.engine.pool.acquire()
        } catch (e) {
          return ['connect', asError(e)]
        }
        try {
          await b.conn.beginTwoPhase(b.xid, o.begin)
          b.state = 'active'
          if (b.engine.listeners.begin.length > 0) emit(b.engine.listeners, 'begin', { depth: 1 })
          return undefined
        } catch (e) {
          return ['begin', asError(e)]
        }
      }),
    )
    const notOpened = opened.findIndex((x) => x !== undefined)
    if (notOpened >= 0) return await abort(opened[notOpened]![0], branches[notOpened]!.name, opened[notOpened]![1])
    const done = await work((engine) => {
      const b = byName.get(engine)!
      return { engine: b.engine, connection: b.conn!, depth: 1 }
    })
    if (E.isLeft(done)) return await abort(stage, done.left.engine, done.left.cause)
    const logBranch = branches[0]!
    const logged = await recordDecision(gtid, names)({ engine: logBranch.engine, connection: logBranch.conn!, depth: 1 })()
    if (E.isLeft(logged)) return await abort('log', logBranch.name, logged.left)
    const prepared = await Promise.all(
      branches.map(async (b): Promise<QuarryError | undefined> => {
        try {
          await b.conn!.prepare()
          b.state = 'prepared'
          return undefined
        } catch (e) {
          // A prepare that died with its connection may have happened: roll it back by id if it did.
          const c = b.conn!
          b.state = c.state === 'active' || c.state === 'failed' ? 'active' : isDbError(e) && e._tag === 'ConnectionLost' ? 'maybe' : 'rolled back'
          return asError(e)
        }
      }),
    )
    const notPrepared = prepared.findIndex((x) => x !== undefined)
    if (notPrepared >= 0) return await abort('prepare', branches[notPrepared]!.name, prepared[notPrepared]!)
    // The commit point: branch 0 holds the decision record. If its commit fails, a branch that is gone
    // may have been committed or rolled back: only the record tells, so no shortcut through commitBranch.
    try {
      await logBranch.conn!.commitPrepared(logBranch.xid)
    } catch (e) {
      let settled: 'committed' | 'aborted'
      try {
        settled = await settleLogBranch(logBranch, gtid)
      } catch {
        return E.left(inDoubt(gtid, 'unknown', [], names, asError(e)))
      }
      if (settled === 'aborted') {
        logBranch.state = 'rolled back'
        return await abort('commit', logBranch.name, asError(e))
      }
    }
    logBranch.state = 'committed'
    if (logBranch.engine.listeners.commit.length > 0) emit(logBranch.engine.listeners, 'commit', { depth: 1 })
    const failure = (await Promise.all(branches.slice(1).map(commitBranch))).find(E.isLeft)?.left
    const committed = branches.filter((b) => b.state === 'committed').map((b) => b.name)
    if (failure !== undefined) return E.left(inDoubt(gtid, 'commit', committed, branches.filter((b) => b.state !== 'committed').map((b) => b.name), failure))
    // Every branch is committed: the record has served; one left behind is removed by recover.
    await onBranch(logBranch, async (c) => {
      await forgetDecision(gtid)({ engine: logBranch.engine, connection: c, depth: 0 })()
    }).catch(() => undefined)
    return E.right({ gtid, value: done.right })
  } finally {
    for (const b of branches) if (b.conn !== undefined) await b.engine.pool.release(b.conn).catch(() => undefined)
  }
}

/**
 * Commit a split graph with two-phase commit over `engines` (by name):
 * the parts are flushed in their order, each planned once the keys it
 * references from earlier parts are known. Every engine of the split must
 * be there, and the log engine too.
 *
 * @example
 * const r = await commitTwoPhase(split, new Map([['pg', pg], ['maria', maria]]), { log: pg, scope: 'pg' })
 */
export const commitTwoPhase = async (split: Split, engines: ReadonlyMap<string, Engine>, o: TwoPhaseOptions): Promise<E.Either<MultiFailure, MultiPersisted>> => {
  const names = [o.log.name, ...split.parts.map((p) => p.engine).filter((n) => n !== o.log.name)]
  const r = await twoPhase(names, engines, o, 'flush', async (on) => {
    const persisted = new Map<string, Persisted>()
    const lookup = (node: string, column: string): unknown => persisted.get(split.home.get(node) ?? '')?.rows.get(node)?.[column]
    for (const part of split.parts) {
      const session = on(part.engine)
      const planned = planPart(split, part, session.engine.dialect, lookup)
      if (E.isLeft(planned)) return E.left({ engine: part.engine, cause: planned.left })
      const flushed = await flushPlanned(planned.right)(session)()
      if (E.isLeft(flushed)) return E.left({ engine: part.engine, cause: flushed.left })
      persisted.set(part.engine, flushed.right)
    }
    return E.right(persisted)
  })
  return E.map((x: { readonly gtid: string; readonly value: ReadonlyMap<string, Persisted> }) => multiPersisted(x.gtid, split, x.value))(r)
}
