/**
 * Running a plan: every step in one transaction (a savepoint when nested),
 * generated keys carried from each insert to the rows that reference it,
 * stale rows detected by affected-row counts, beforeFlush/afterFlush
 * emitted. A failure names the step, why, and what had completed (all of
 * it rolled back); the result on success is the persisted rows by node.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Param } from '../../drivers/driver.js'
import { dbError, isDbError, type Unknown } from '../../drivers/errors.js'
import { isEncodeFailure } from '../../interpret/encode.js'
import type { CompileError } from '../../interpret/index.js'
import type { Engine } from '../engine.js'
import { emit } from '../events.js'
import { executeManyOn, executeOn, type Program, type QuarryError, type Session } from '../program.js'
import { run } from '../run.js'
import { transaction } from '../transaction.js'
import { flushFailed, isGraphError, staleRow, type FlushCause, type GraphError } from './errors.js'
import { isRef, type Cells, type ChangeGraph } from './graph.js'
import { refColumn, type CheckedGraph } from './validate.js'
import { planChecked, type Planned, type StaleCheck, type Step, type UpdateStep } from './plan.js'
import { describeStep } from './print.js'
import { isKeySlot, isPlain, type Slot } from './sql.js'

/** A committed graph: each inserted or updated node's row as now stored (generated keys filled in, references resolved). */
export interface Persisted {
  readonly _tag: 'Persisted'
  readonly rows: RowsByNode
  /** Statements the plan ran. */
  readonly statements: number
}

/** Persisted rows by node key, built on demand (a large graph whose caller reads a few keys does not pay for every copy). */
export interface RowsByNode extends Iterable<readonly [string, Cells]> {
  get(node: string): Cells | undefined
  has(node: string): boolean
  readonly size: number
  keys(): Iterable<string>
}

/** What the flush knows of each node's row: the values it was given, and the keys generated since. */
interface Rows {
  readonly graph: CheckedGraph
  /** Generated keys by insert index (see `CheckedInsert.index`). */
  readonly generated: unknown[]
  /** Update nodes whose version was incremented. */
  readonly bumped: Set<string>
}

const lookup = (rows: Rows, node: string, column: string): unknown => {
  const x = rows.graph.insertOf(node)
  if (x === undefined) {
    const u = rows.graph.updateOf(node)
    return u === undefined ? undefined : column in u.set ? u.set[column] : u.node.snapshot[column]
  }
  return x.generated === column ? rows.generated[x.index] : x.values[column]
}

const bug = (message: string): Unknown => dbError<Unknown>('Unknown', message, {})

/** A statement's failure as a flush cause (statements fail only with database errors; anything else is kept as Unknown). */
const asCause = (e: QuarryError): FlushCause => (isDbError(e) ? e : dbError<Unknown>('Unknown', `${e._tag}: ${e.message}`, { cause: e }))

const compareKeys = (a: unknown, b: unknown): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = BigInt(String(a))
  const y = BigInt(String(b))
  return x < y ? -1 : x > y ? 1 : 0
}

/** The parameters of a step with every key filled in; the planned array itself when it has no key to fill. */
const resolve = (s: Session, rows: Rows, slots: readonly Slot[]): E.Either<CompileError, readonly Param[]> => {
  if (isPlain(slots)) return E.right(slots as readonly Param[])
  let out: Param[] | undefined
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]
    if (!isKeySlot(slot)) continue
    out ??= slots.slice() as Param[]
    const r = s.engine.dialect.encode(lookup(rows, slot.node, slot.column), slot.type)
    if (isEncodeFailure(r)) return E.left({ _tag: 'InvalidValue', param: i + 1, message: `the key ${slot.node}.${slot.column} ${r.message}` })
    out[i] = r as Param
  }
  return E.right(out ?? (slots as readonly Param[]))
}

/** {@link resolve} for each parameter set; a plain list (no set holds a key slot) as planned. */
const resolveSets = (s: Session, rows: Rows, each: readonly (readonly Slot[])[]): E.Either<CompileError, readonly (readonly Param[])[]> => {
  if (isPlain(each)) return E.right(each as readonly (readonly Param[])[])
  const sets = new Array<readonly Param[]>(each.length)
  for (let i = 0; i < each.length; i++) {
    const r = resolve(s, rows, each[i]!)
    if (E.isLeft(r)) return r
    sets[i] = r.right
  }
  return E.right(sets)
}

const sameKey = (row: Readonly<Record<string, unknown>>, key: Readonly<Record<string, unknown>>): boolean => {
  for (const c in key) if (String(row[c]) !== String(key[c])) return false
  return true
}

/**
 * The first stale row of a checked batch, read with the batch's probe:
 * among `candidates` (rows the statement did not write), the first whose
 * version differs from the snapshot's or that is gone.
 */
const findStale = async (s: Session, rows: Rows, check: StaleCheck, candidates: StaleCheck['rows'], step: number): Promise<GraphError | FlushCause | undefined> => {
  const params = resolve(s, rows, check.probe.params)
  if (E.isLeft(params)) return params.left
  const found = await executeOn<Record<string, unknown>>(s, check.probe.sql, params.right)
  if (E.isLeft(found)) return asCause(found.left)
  for (const r of candidates) {
    const hit = found.right.rows.find((x) => sameKey(x, r.key))
    if (hit === undefined || Number(hit[check.version]) !== Number(r.expected))
      return staleRow(check.table, r.key, r.expected, hit === undefined ? undefined : Number(hit[check.version]), step)
  }
  return undefined
}

/** Run one step, updating the rows; an error is returned for the caller to wrap. */
/** Run an `each-row` update: the one-row statement per parameter set, in one executeMany call; stale rows are those a set did not write. */
const runEachRow = async (s: Session, rows: Rows, step: UpdateStep, each: readonly (readonly Slot[])[], index: number): Promise<GraphError | FlushCause | undefined> => {
  const sets = resolveSets(s, rows, each)
  if (E.isLeft(sets)) return sets.left
  const r = await executeManyOn<Record<string, unknown>>(s, step.sql, sets.right)
  if (E.isLeft(r)) return asCause(r.left)
  const check = step.check
  if (check === undefined) return undefined
  if (r.right.affectedRows !== check.rows.length) {
    const results = r.right.results
    const skipped = check.rows.filter((_, i) => results[i]?.affectedRows === 0)
    return (await findStale(s, rows, check, skipped, index + 1)) ?? bug(`${step.table}: ${r.right.affectedRows} of ${check.rows.length} rows written, yet none is stale`)
  }
  for (const n of step.nodes) rows.bumped.add(n)
  return undefined
}

const runStep = async (s: Session, p: Planned, rows: Rows, step: Step, index: number, state: { inc: number }): Promise<GraphError | FlushCause | undefined> => {
  if (step._tag === 'Update' && step.each !== undefined) return runEachRow(s, rows, step, step.each, index)
  const params = resolve(s, rows, step.params)
  if (E.isLeft(params)) return params.left
  const check = step._tag === 'Update' || step._tag === 'Delete' ? step.check : undefined
  if (check?.mode === 'lock-first') {
    const stale = await findStale(s, rows, check, check.rows, index + 1)
    if (stale !== undefined) return stale
  }
  const r = await executeOn<Record<string, unknown>>(s, step.sql, params.right)
  if (E.isLeft(r)) return asCause(r.left)
  const res = r.right
  switch (step._tag) {
    case 'ReadIncrement':
      state.inc = Number(res.rows[0]?.['inc'] ?? 1)
      return undefined
    case 'Schema':
      return undefined
    case 'Insert': {
      const g = step.generated
      const written = p.rowsOf.get(step)
      if (g === undefined) return undefined
      if (written === undefined) return bug(`insert step ${index + 1} has no rows`)
      if (g.strategy === 'returning') {
        const keys = res.rows.map((x) => x[g.column])
        // Usually already ascending; sorting is what makes the match independent of RETURNING order.
        let sorted = true
        for (let i = 1; i < keys.length && sorted; i++) sorted = compareKeys(keys[i - 1], keys[i]) < 0
        if (!sorted) keys.sort(compareKeys)
        if (keys.length !== step.nodes.length) return bug(`RETURNING gave ${keys.length} keys for ${step.nodes.length} rows`)
        for (let i = 0; i < keys.length; i++) rows.generated[written[i]!.index] = keys[i]
        return undefined
      }
      const id = res.insertId
      const n = step.nodes.length
      if (id === undefined || res.affectedRows !== n) return bug(`insert reported ${res.affectedRows} rows and id ${String(id)} for ${n} rows`)
      // The first id, and the step between ids (SQLite rowids step by 1).
      const [first, inc] = g.strategy === 'first-insert-id' ? [id, state.inc] : [typeof id === 'bigint' ? id - BigInt(n - 1) : id - (n - 1), 1]
            const gen = rows.generated
      if (typeof first === 'bigint') for (let i = 0; i < n; i++) gen[written[i]!.index] = first + BigInt(i * inc)
      else for (let i = 0; i < n; i++) gen[written[i]!.index] = first + i * inc
      return undefined
    }
    case 'Update':
    case 'Delete': {
      if (step.check !== undefined && res.affectedRows !== step.check.rows.length) {
        const written = res.rows
        const skipped = step.check.rows.filter((x) => !written.some((w) => sameKey(w, x.key)))
        return (await findStale(s, rows, step.check, skipped, index + 1)) ?? bug(`${step.table}: ${res.affectedRows} of ${step.check.rows.length} rows written, yet none is stale`)
      }
      if (step._tag === 'Update' && step.check !== undefined) for (const n of step.nodes) rows.bumped.add(n)
      return undefined
    }
  }
}

const initialRows = (p: Planned): Rows => ({ graph: p.graph, generated: new Array(p.graph.inserts.length), bumped: new Set() })

/** The persisted row of a node: given values, generated key, references resolved, version bumped. */
const persistedRow = (p: Planned, rows: Rows, node: string): Cells | undefined => {
  const x = rows.graph.insertOf(node)
  const u = x === undefined ? rows.graph.updateOf(node) : undefined
  const base = x?.values ?? (u === undefined ? undefined : { ...u.node.snapshot, ...u.set })
  if (base === undefined) return undefined
  const row: Record<string, unknown> = { ...base }
  if (x === undefined || x.refs)
    for (const c in row) {
      const v = row[c]
      if (!isRef(v)) continue
      const target = p.graph.nodeOf(v.node)
      row[c] = target === undefined ? undefined : lookup(rows, v.node, refColumn(target.table, v) ?? c)
    }
  if (x?.generated !== undefined) row[x.generated] = rows.generated[x.index]
  const version = p.graph.nodeOf(node)
  if (version?._tag === 'UpdateRow' && version.version !== undefined && rows.bumped.has(node)) row[version.version] = Number(row[version.version]) + 1
  return Object.freeze(row)
}

/** The persisted rows, each built on first read. */
const lazyRows = (p: Planned, rows: Rows): RowsByNode => {
  let keyList: string[] | undefined
  const keys = (): string[] => (keyList ??= [...p.graph.inserts, ...p.graph.updates].map((x) => x.node.key))
  const cache = new Map<string, Cells>()
  const has = (k: string): boolean => p.graph.insertOf(k) !== undefined || p.graph.updateOf(k) !== undefined
  const get = (k: string): Cells | undefined => {
    let r = cache.get(k)
    if (r === undefined && has(k)) cache.set(k, (r = persistedRow(p, rows, k)!))
    return r
  }
  return Object.freeze({
    get,
    has,
    // Node keys are unique in a valid graph, so the size needs no list.
    size: p.graph.inserts.length + p.graph.updates.length,
    keys: () => keys()[Symbol.iterator](),
    [Symbol.iterator]: function* (): Generator<readonly [string, Cells]> {
      for (const k of keys()) yield [k, get(k)!] as const
    },
  })
}

/**
 * Run an already planned graph's statements on the session as they are,
 * with no transaction of its own: the caller holds one (a two-phase branch,
 * a unit of work spanning several graphs). A failure names the step that
 * failed and the steps completed before it; rolling them back is the
 * caller's. Emits beforeFlush/afterFlush.
 *
 * @example
 * pipe(begin, RTE.chain(() => flushPlanned(planned)), RTE.chainFirst(() => prepare(xid)))
 */
export const flushPlanned = (p: Planned): Program<Persisted> => (s) => async () => {
  // An engine that runs plans itself (the in-memory engine) does; SQL engines run the statements.
  if (s.engine.flush !== undefined) return s.engine.flush(p)(s)()
  const steps = p.plan.steps
  const l = s.engine.listeners
  if (l.beforeFlush.length > 0) emit(l, 'beforeFlush', { statements: steps.length })
  const rows = initialRows(p)
  const state = { inc: 1 }
  let out: E.Either<QuarryError, Persisted> | undefined
  for (let i = 0; i < steps.length && out === undefined; i++) {
    const failed = await runStep(s, p, rows, steps[i]!, i, state)
    if (failed !== undefined)
      out = E.left(
        isGraphError(failed) ? failed : flushFailed(i + 1, describeStep(steps[i]!), failed, steps.slice(0, i).map((x, j) => `${j + 1}. ${describeStep(x)}`)),
      )
  }
  out ??= E.right(Object.freeze({ _tag: 'Persisted' as const, rows: lazyRows(p, rows), statements: steps.length }))
  if (l.afterFlush.length > 0) emit(l, 'afterFlush', { statements: steps.length, error: E.isLeft(out) ? out.left : undefined })
  return out
}

/** Run an already planned graph (see {@link planChecked}) as a program: one transaction, or a savepoint when nested. */
export const commitPlanned = (p: Planned): Program<Persisted> => (s) => async () => {
  const steps = p.plan.steps
  let flushed = false
  const body: Program<Persisted> = (inner) => async () => {
    const r = await flushPlanned(p)(inner)()
    flushed = true
    return r
  }
  const result = await transaction()(body)(s)()
  return E.isLeft(result) && !isGraphError(result.left)
    ? E.left(
        flushed
          ? flushFailed(steps.length + 1, 'COMMIT', asCause(result.left), steps.map((x, j) => `${j + 1}. ${describeStep(x)}`))
          : flushFailed(0, 'BEGIN', asCause(result.left), []),
      )
    : result
}

/**
 * Commit a change graph as a program: plan it for the session's dialect
 * (an invalid graph fails before anything is sent, not even BEGIN), then
 * run the plan in one transaction.
 *
 * @example
 * const persisted = await runPromise(engine)(commit(graph))
 * persisted.rows.get('ada')?.id // the generated key
 */
export const commit =
  (graph: ChangeGraph): Program<Persisted> =>
  (s) => {
    const planned = planChecked(graph, s.engine.dialect)
    return E.isLeft(planned) ? async () => planned : commitPlanned(planned.right)(s)
  }

/**
 * Commit a change graph on an engine: the graph is planned before a
 * connection is borrowed, so an invalid graph never takes one.
 *
 * @example
 * const r = await commitWith(engine)(graph)()
 */
export const commitWith =
  (engine: Engine) =>
  (graph: ChangeGraph): TE.TaskEither<QuarryError, Persisted> => {
    const planned = planChecked(graph, engine.dialect)
    return E.isLeft(planned) ? async () => planned : run(engine)(commitPlanned(planned.right))
  }
