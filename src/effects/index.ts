/**
 * The runtime: engines, programs as fp-ts `ReaderTaskEither` values,
 * transactions with real savepoints, retries, events, and a Promise surface.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
 * const engine = createEngine(sqliteDriver({ filename: ':memory:' }))
 * const program = transaction()(pipe(sql('CREATE TABLE t (x INTEGER)'), RTE.chain(() => sql('INSERT INTO t VALUES (?)', [1]))))
 * await runPromise(engine)(program)
 */
export { createEngine, type Engine, type EngineOptions } from './engine.js'
export type { EventName, EventPayloads, Listener } from './events.js'
export { execute, query, sql, sqlMany, type Program, type QuarryError, type Session } from './program.js'
export { transaction, savepointName } from './transaction.js'
export { retry, run, runPromise, type RetryPolicy } from './run.js'
/** Change graphs as a namespace: `G.insert`, `G.ref`, `G.update`, `G.remove`, `G.plan`, `G.printPlan`, `G.commit`. */
export * as G from './graph/index.js'
export { commit, commitWith, plan, printPlan, type ChangeGraph, type GraphError, type Persisted, type Plan } from './graph/index.js'
export { loadWith, runPlan } from './load.js'
export { createMemoryEngine, type MemoryEngine, type MemoryEngineOptions } from './memory/index.js'
export * from './multi/index.js'
/** Entity change graphs as a namespace: `EG.shape`, `EG.snapshot`, `EG.save`, `EG.remove`, `EG.plan`, `EG.commit`, `EG.commitWith`. */
export * as EG from './entities/index.js'
