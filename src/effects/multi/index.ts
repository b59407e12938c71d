/**
 * Several databases at once: binds (which engine each table lives on),
 * read replicas (one engine over a primary and its replicas), horizontal
 * sharding (a shard key and a chooser), and two-phase commit of one change
 * graph across engines with recovery of in-doubt branches.
 *
 * @example
 * const b = binds(pg, [[orders, maria]])
 * if (E.isRight(b)) await commitBound(b.right)(graph)() // users on pg, orders on maria, one atomic commit
 */
export { binds, commitBound, engineOf, engineOfTable, queryBound, runOn, type Bindable, type Binds } from './binds.js'
export { commitAcross, type Atomicity, type CommitAcrossOptions } from './commit-across.js'
export {
  foldMultiError,
  isMultiError,
  type CrossEngine,
  type CrossEngineCycle,
  type InDoubt,
  type InvalidSetup,
  type MultiError,
  type MultiErrorHandlers,
  type MultiFailure,
  type NoShard,
  type PartialCommit,
  type TwoPhaseAborted,
  type TwoPhaseStage,
  type TwoPhaseUnsupported,
  type UnknownShard,
} from './errors.js'
export { branchXid, parseXid, twoPhaseLog, type BranchId } from './log.js'
export { recover, type RecoverOptions, type RecoveryReport } from './recover.js'
export { replicated, usePrimary, type ReplicaOptions } from './replicas.js'
export { isRead } from './read-sql.js'
export { commitSharded, queryAll, queryByKey, runShard, shardEngine, sharding, type MergeOptions, type Shards, type ShardingOptions } from './shards.js'
export { splitGraph, type Assign, type Part, type Split } from './split.js'
export { touched, type Touched } from './tables.js'
export { transactionAcross, type ResultsOf, type TransactionAcrossOptions } from './transaction-across.js'
export type { MultiPersisted } from './two-phase.js'
