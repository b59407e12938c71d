/**
 * What can go wrong when work spans several engines, as one closed union
 * next to {@link QuarryError}: a setup that cannot work (duplicate engine
 * names, replicas of another dialect), a statement or graph that would need
 * a cross-database join or an engine cycle, a row no shard takes, an engine
 * without two-phase commit, a two-phase commit aborted before its commit
 * point (nothing written anywhere), one left in doubt after it, and a
 * per-engine commit that stopped half way because the caller opted out of
 * two-phase commit.
 */
import type { QuarryError } from '../program.js'

/** The engines of a group cannot work together (duplicate names, different dialects, a name unfit for an xid). */
export interface InvalidSetup {
  readonly _tag: 'InvalidSetup'
  readonly message: string
}

/** A statement touches tables bound to different engines: quarry never joins across databases. */
export interface CrossEngine {
  readonly _tag: 'CrossEngine'
  /** Engine name by table name, for the tables the statement touches. */
  readonly tables: Readonly<Record<string, string>>
  readonly message: string
}

/** Parts of a change graph on different engines reference each other both ways: no engine can go first. */
export interface CrossEngineCycle {
  readonly _tag: 'CrossEngineCycle'
  readonly engines: readonly string[]
  readonly message: string
}

/** No shard takes a row of a graph: the chooser gave none and the row references no node whose shard it could follow. */
export interface NoShard {
  readonly _tag: 'NoShard'
  readonly node: string
  readonly table: string
  readonly message: string
}

/** A shard id that names no shard of the group. */
export interface UnknownShard {
  readonly _tag: 'UnknownShard'
  readonly shard: string
  readonly known: readonly string[]
  readonly message: string
}

/** An engine that cannot take part in two-phase commit, and the caller did not opt into per-engine transactions. */
export interface TwoPhaseUnsupported {
  readonly _tag: 'TwoPhaseUnsupported'
  readonly engines: readonly string[]
  readonly message: string
}

/** Where a two-phase commit stopped before its commit point (`flush`: a graph's part; `work`: a program of `transactionAcross`). */
export type TwoPhaseStage = 'connect' | 'begin' | 'flush' | 'work' | 'log' | 'prepare' | 'commit'

/** A two-phase commit failed before its commit point: every branch was rolled back, nothing was written. */
export interface TwoPhaseAborted {
  readonly _tag: 'TwoPhaseAborted'
  /** The global transaction id. */
  readonly gtid: string
  readonly stage: TwoPhaseStage
  /** The engine whose step failed. */
  readonly engine: string
  readonly cause: QuarryError
  /** Engines whose branch was rolled back. */
  readonly rolledBack: readonly string[]
  /** Whether running the whole commit again may succeed (the cause's verdict). */
  readonly retryable: boolean
  readonly message: string
}

/**
 * A two-phase commit passed its commit point but some branches could not be
 * committed (or it is unknown whether the commit point was passed). The
 * branches stay prepared on their servers; `recover` finishes them.
 */
export interface InDoubt {
  readonly _tag: 'InDoubt'
  readonly gtid: string
  /** `commit`: the decision record is written, recovery will commit; `unknown`: recovery decides from the log. */
  readonly decision: 'commit' | 'unknown'
  readonly committed: readonly string[]
  readonly inDoubt: readonly string[]
  readonly cause: QuarryError
  /** Never: running the commit again would write the rows twice. */
  readonly retryable: false
  readonly message: string
}

/** With per-engine transactions (no two-phase commit), an engine failed after others had committed. */
export interface PartialCommit {
  readonly _tag: 'PartialCommit'
  readonly committed: readonly string[]
  readonly failed: string
  /** Engines never attempted. */
  readonly skipped: readonly string[]
  readonly cause: QuarryError
  readonly retryable: false
  readonly message: string
}

/** Every multi-engine error. */
export type MultiError = InvalidSetup | CrossEngine | CrossEngineCycle | NoShard | UnknownShard | TwoPhaseUnsupported | TwoPhaseAborted | InDoubt | PartialCommit

/** What multi-engine work can fail with. */
export type MultiFailure = QuarryError | MultiError

/** Handlers for every multi-engine error. */
export type MultiErrorHandlers<R> = { readonly [K in MultiError['_tag']]: (e: Extract<MultiError, { readonly _tag: K }>) => R }

/**
 * Total fold over a {@link MultiError}.
 *
 * @example
 * const retry = foldMultiError({ ..., TwoPhaseAborted: (e) => e.retryable, InDoubt: () => false, ... })(error)
 */
export const foldMultiError =
  <R>(h: MultiErrorHandlers<R>) =>
  (e: MultiError): R => {
    switch (e._tag) {
      case 'InvalidSetup':
        return h.InvalidSetup(e)
      case 'CrossEngine':
        return h.CrossEngine(e)
      case 'CrossEngineCycle':
        return h.CrossEngineCycle(e)
      case 'NoShard':
        return h.NoShard(e)
      case 'UnknownShard':
        return h.UnknownShard(e)
      case 'TwoPhaseUnsupported':
        return h.TwoPhaseUnsupported(e)
      case 'TwoPhaseAborted':
        return h.TwoPhaseAborted(e)
      case 'InDoubt':
        return h.InDoubt(e)
      case 'PartialCommit':
        return h.PartialCommit(e)
    }
  }

const TAGS = new Set<string>(['InvalidSetup', 'CrossEngine', 'CrossEngineCycle', 'NoShard', 'UnknownShard', 'TwoPhaseUnsupported', 'TwoPhaseAborted', 'InDoubt', 'PartialCommit'])

/**
 * True for a {@link MultiError}.
 *
 * @example
 * if (E.isLeft(r) && isMultiError(r.left)) console.error(r.left._tag, r.left.message)
 */
export const isMultiError = (u: unknown): u is MultiError => typeof u === 'object' && u !== null && TAGS.has((u as { _tag?: unknown })._tag as string)

/**
 * An InvalidSetup error.
 *
 * @example
 * invalidSetup('two engines are named "pg"')
 */
export const invalidSetup = (message: string): InvalidSetup => Object.freeze({ _tag: 'InvalidSetup', message })

/**
 * An UnknownShard error.
 *
 * @example
 * unknownShard('nowhere', ['even', 'odd'])
 */
export const unknownShard = (shard: string, known: readonly string[]): UnknownShard =>
  Object.freeze({ _tag: 'UnknownShard', shard, known: Object.freeze([...known]), message: `no shard "${shard}" (shards: ${known.join(', ')})` })

/**
 * A TwoPhaseUnsupported error.
 *
 * @example
 * twoPhaseUnsupported(['sqlite'])
 */
export const twoPhaseUnsupported = (engines: readonly string[]): TwoPhaseUnsupported =>
  Object.freeze({
    _tag: 'TwoPhaseUnsupported',
    engines: Object.freeze([...engines]),
    message: `engine(s) ${engines.join(', ')} cannot take part in two-phase commit (SQLite has none); nothing was written. Opt into one transaction per engine ({ atomic: 'per-engine' }) to commit without it`,
  })

const retryableCause = (e: QuarryError): boolean => 'retryable' in e && e.retryable === true

/**
 * A TwoPhaseAborted error.
 *
 * @example
 * twoPhaseAborted(gtid, 'prepare', 'maria', cause, ['pg', 'maria'])
 */
export const twoPhaseAborted = (gtid: string, stage: TwoPhaseStage, engine: string, cause: QuarryError, rolledBack: readonly string[]): TwoPhaseAborted =>
  Object.freeze({
    _tag: 'TwoPhaseAborted',
    gtid,
    stage,
    engine,
    cause,
    rolledBack: Object.freeze([...rolledBack]),
    retryable: retryableCause(cause),
    message: `two-phase commit ${gtid} aborted at ${stage} on ${engine}: ${cause._tag}: ${cause.message}. Nothing was written${rolledBack.length === 0 ? '' : `; rolled back on ${rolledBack.join(', ')}`}`,
  })

/**
 * An InDoubt error.
 *
 * @example
 * inDoubt(gtid, 'commit', ['pg'], ['maria'], cause)
 */
export const inDoubt = (gtid: string, decision: 'commit' | 'unknown', committed: readonly string[], pending: readonly string[], cause: QuarryError): InDoubt =>
  Object.freeze({
    _tag: 'InDoubt',
    gtid,
    decision,
    committed: Object.freeze([...committed]),
    inDoubt: Object.freeze([...pending]),
    cause,
    retryable: false,
    message:
      `two-phase commit ${gtid} is in doubt (${decision === 'commit' ? 'decided to commit' : 'the decision is unknown'}): ` +
      `committed on ${committed.length === 0 ? 'no engine' : committed.join(', ')}, still prepared on ${pending.join(', ')} (${cause._tag}: ${cause.message}). ` +
      'Do not run it again; run recover({ log, engines }) to finish it',
  })

/**
 * A PartialCommit error.
 *
 * @example
 * partialCommit(['pg'], 'sqlite', [], cause)
 */
export const partialCommit = (committed: readonly string[], failed: string, skipped: readonly string[], cause: QuarryError): PartialCommit =>
  Object.freeze({
    _tag: 'PartialCommit',
    committed: Object.freeze([...committed]),
    failed,
    skipped: Object.freeze([...skipped]),
    cause,
    retryable: false,
    message: `per-engine commit failed on ${failed} (${cause._tag}: ${cause.message}) after ${committed.length === 0 ? 'no engine' : committed.join(', ')} had committed; ${skipped.length === 0 ? 'no engine was skipped' : `${skipped.join(', ')} not attempted`}`,
  })
