/**
 * The in-memory engine: the runtime over the in-memory evaluator, so that
 * programs and change-graph commits run without a database (a domain
 * layer's tests). See `engine.ts`.
 *
 * @example
 * const engine = createMemoryEngine({ tables: [users, posts], profile: M.postgresProfile })
 * const persisted = await runPromise(engine)(commit(graph))
 */
export { createMemoryEngine, type MemoryEngine, type MemoryEngineOptions } from './engine.js'
export { toDbError } from './errors.js'
