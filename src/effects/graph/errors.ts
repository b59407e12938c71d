/**
 * What can go wrong with a change graph, as one closed union: the graph is
 * invalid (found by `plan`, before any connection is taken), a row was
 * stale (optimistic concurrency), or a step of the flush failed (and the
 * whole flush was rolled back).
 */
import type { DbError } from '../../drivers/errors.js'
import type { CompileError } from '../../interpret/index.js'

/** What can make a step fail: the database, or a key that could not be bound. */
export type FlushCause = DbError | CompileError

/** One problem with a graph, naming the node and column it is about. */
export type GraphProblem =
  | { readonly _tag: 'DuplicateNode'; readonly node: string; readonly message: string }
  /** One existing row updated or deleted by two nodes (`node` and the earlier `other`): a graph changes each row once. */
  | { readonly _tag: 'DuplicateRow'; readonly node: string; readonly other: string; readonly table: string; readonly message: string }
  | { readonly _tag: 'UnknownColumn'; readonly node: string; readonly table: string; readonly column: string; readonly message: string }
  | { readonly _tag: 'ValueDoesNotFit'; readonly node: string; readonly table: string; readonly column: string; readonly message: string }
  | { readonly _tag: 'MissingColumn'; readonly node: string; readonly table: string; readonly column: string; readonly message: string }
  | { readonly _tag: 'UnknownNode'; readonly node: string; readonly column: string; readonly target: string; readonly message: string }
  | { readonly _tag: 'KeyNotAvailable'; readonly node: string; readonly column: string; readonly target: string; readonly message: string }
  | { readonly _tag: 'UnbreakableCycle'; readonly nodes: readonly string[]; readonly message: string }
  | { readonly _tag: 'CascadeCycle'; readonly table: string; readonly message: string }
  /** A DDL node on a dialect whose DDL commits the open transaction (the MySQL family): the graph could not be atomic. */
  | { readonly _tag: 'DdlNotTransactional'; readonly node: string; readonly dialect: string; readonly message: string }
  /** A DDL node the dialect cannot compile. */
  | { readonly _tag: 'DdlDoesNotCompile'; readonly node: string; readonly cause: CompileError; readonly message: string }

/** The graph cannot be planned; nothing was sent to the database. */
export interface InvalidGraph {
  readonly _tag: 'InvalidGraph'
  readonly problems: readonly GraphProblem[]
  readonly message: string
}

/** An update or delete found the row changed (or gone) since it was loaded; nothing was written. */
export interface StaleRow {
  readonly _tag: 'StaleRow'
  readonly table: string
  /** The primary key of the (first) stale row. */
  readonly key: Readonly<Record<string, unknown>>
  /** The version the snapshot had. */
  readonly expected: unknown
  /** The version now in the database; undefined when the row is gone. */
  readonly actual: unknown
  /** 1-based step of the plan that found it. */
  readonly step: number
  readonly message: string
}

/** A statement of the flush failed; everything before it was rolled back. */
export interface FlushFailed {
  readonly _tag: 'FlushFailed'
  /** 1-based step number; 0 for BEGIN, steps + 1 for COMMIT. */
  readonly step: number
  /** What the step does, as printed by `printPlan`. */
  readonly description: string
  readonly cause: FlushCause
  /** Steps that had completed, all rolled back. */
  readonly completed: readonly string[]
  /** Whether running the whole commit again may succeed (the cause's verdict). */
  readonly retryable: boolean
  readonly message: string
}

/** Every change-graph error. */
export type GraphError = InvalidGraph | StaleRow | FlushFailed

/** Handlers for every change-graph error. */
export interface GraphErrorHandlers<R> {
  readonly InvalidGraph: (e: InvalidGraph) => R
  readonly StaleRow: (e: StaleRow) => R
  readonly FlushFailed: (e: FlushFailed) => R
}

/** Total fold over a {@link GraphError}. */
export const foldGraphError =
  <R>(h: GraphErrorHandlers<R>) =>
  (e: GraphError): R => {
    switch (e._tag) {
      case 'InvalidGraph':
        return h.InvalidGraph(e)
      case 'StaleRow':
        return h.StaleRow(e)
      case 'FlushFailed':
        return h.FlushFailed(e)
    }
  }

const GRAPH_TAGS = new Set(['InvalidGraph', 'StaleRow', 'FlushFailed'])

/** True for a change-graph error. */
export const isGraphError = (u: unknown): u is GraphError =>
  typeof u === 'object' && u !== null && GRAPH_TAGS.has((u as { _tag?: unknown })._tag as string)

/** An InvalidGraph error listing its problems. */
export const invalidGraph = (problems: readonly GraphProblem[]): InvalidGraph =>
  Object.freeze({
    _tag: 'InvalidGraph',
    problems: Object.freeze([...problems]),
    message: `the change graph is invalid (nothing was written):\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
  })

const showKey = (k: Readonly<Record<string, unknown>>): string =>
  Object.entries(k)
    .map(([c, v]) => `${c}=${String(v)}`)
    .join(', ')

/** A StaleRow error. */
export const staleRow = (table: string, key: Readonly<Record<string, unknown>>, expected: unknown, actual: unknown, step: number): StaleRow =>
  Object.freeze({
    _tag: 'StaleRow',
    table,
    key: Object.freeze({ ...key }),
    expected,
    actual,
    step,
    message:
      actual === undefined
        ? `row ${table}(${showKey(key)}) is gone since it was loaded (expected version ${String(expected)}); nothing was written`
        : `row ${table}(${showKey(key)}) changed since it was loaded: version is ${String(actual)}, expected ${String(expected)}; nothing was written`,
  })

/** A FlushFailed error. */
export const flushFailed = (step: number, description: string, cause: FlushCause, completed: readonly string[]): FlushFailed =>
  Object.freeze({
    _tag: 'FlushFailed',
    step,
    description,
    cause,
    completed: Object.freeze([...completed]),
    retryable: 'retryable' in cause && cause.retryable === true,
    message:
      `flush failed at step ${step} (${description}): ${cause._tag}: ${cause.message}. ` +
      (completed.length === 0 ? 'No step had completed.' : `${completed.length} completed step(s) were rolled back: ${completed.join('; ')}`),
  })
