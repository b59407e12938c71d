/**
 * Running a planned change graph on the in-memory engine (its
 * `Engine.flush`). The plan's steps are followed one by one — same order,
 * same batches, same step numbers in errors — but each step is rebuilt as a
 * statement value from the checked graph and evaluated: new rows with their
 * keys from the store's auto-increment (read back with RETURNING), references
 * resolved from earlier steps, cycle-closing post-updates, updates of only
 * the changed columns with the version check (a stale row is the same
 * `StaleRow`), deletes by key with their cascades. A failing statement is
 * the same `FlushFailed` naming the step, with the database error a real
 * engine gives; the caller's transaction (see `commitPlanned`) rolls back.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../../algebra/index.js'
import type { ExecResult } from '../../drivers/driver.js'
import { dbError, isDbError, type Unknown } from '../../drivers/errors.js'
import { emit } from '../events.js'
import type { Persisted, RowsByNode } from '../graph/commit.js'
import { flushFailed, isGraphError, staleRow, type FlushCause, type GraphError } from '../graph/errors.js'
import { isRef, type Cells } from '../graph/graph.js'
import { orderInserts } from '../graph/order.js'
import type { DeleteStep, InsertStep, Planned, Step, UpdateStep } from '../graph/plan.js'
import { describeStep } from '../graph/print.js'
import { refColumn, updateAt, updateKey, type CheckedDelete } from '../graph/validate.js'
import { execute, type Program, type QuarryError, type Session } from '../program.js'
import { cascadeStatements, column, keyEquals, type CascadeStatement } from './cascade.js'

type Failure = GraphError | FlushCause

/** What the flush knows as it goes: keys generated so far, versions bumped, cascades by page. */
interface Flush {
  readonly p: Planned
  readonly s: Session
  readonly deletes: ReadonlyMap<string, CheckedDelete>
  readonly generated: Map<string, unknown>
  readonly bumped: Set<string>
  /** Columns inserted as NULL and set by a post-update, by node. */
  readonly deferred: ReadonlyMap<string, ReadonlySet<string>>
  /** A page's cascade statements (keyed by the page's node list, which its steps share) and how many have run. */
  readonly cascades: Map<readonly string[], { readonly list: readonly CascadeStatement[]; next: number }>
}

const bug = (message: string): Unknown => dbError<Unknown>('Unknown', `in-memory flush: ${message}`, {})

const asCause = (e: QuarryError): FlushCause => (isDbError(e) ? e : dbError<Unknown>('Unknown', `${e._tag}: ${e.message}`, { cause: e }))

/** The value of `column` of node `node` as known now (given, generated, or from an update's snapshot). */
const lookup = (f: Flush, node: string, col: string): unknown => {
  const x = f.p.graph.insertOf(node)
  if (x === undefined) {
    const u = f.p.graph.updateOf(node)
    return u === undefined ? undefined : col in u.set ? u.set[col] : u.node.snapshot[col]
  }
  return x.generated === col ? f.generated.get(node) : x.values[col]
}

/** A cell with its reference (if it is one) resolved. */
const resolve = (f: Flush, v: unknown, col: string): unknown => {
  if (!isRef(v)) return v
  const target = f.p.graph.nodeOf(v.node)
  return target === undefined ? undefined : lookup(f, v.node, refColumn(target.table, v) ?? col)
}

const run = async (f: Flush, statement: Q.StatementNode): Promise<E.Either<FlushCause, ExecResult<Record<string, unknown>>>> =>
  E.mapLeft(asCause)(await execute<Record<string, unknown>>(statement)(f.s)())

const returningColumns = (m: Q.StatementNode, t: Q.AnyTable, columns: readonly string[]): Q.StatementNode =>
  Object.freeze({ ...m, returning: Object.freeze(columns.map((c) => Object.freeze({ name: c, expr: column(t, c) }))) }) as Q.StatementNode

/** The version now stored for a row, or undefined when it is gone. */
const currentVersion = async (f: Flush, t: Q.AnyTable, key: Cells, version: string): Promise<E.Either<FlushCause, number | undefined>> => {
  const q = pipe(Q.from(t), Q.where(() => keyEquals(t, t.primaryKey, key)), Q.select(() => ({ v: column(t, version) })))
  return E.map((r: ExecResult<Record<string, unknown>>) => (r.rows[0] === undefined ? undefined : Number(r.rows[0]['v'])))(await run(f, q))
}

const insertStep = async (f: Flush, step: InsertStep): Promise<Failure | undefined> => {
  const first = f.p.graph.insertOf(step.nodes[0]!)
  if (first === undefined) return bug(`no insert node ${step.nodes[0]}`)
  const t = first.node.table
  const rows = step.nodes.map((n) => {
    const x = f.p.graph.insertOf(n)!
    const nulls = f.deferred.get(n)
    const row: Record<string, unknown> = {}
    for (const c of step.columns) row[c] = nulls?.has(c) === true ? null : resolve(f, x.values[c], c)
    return row
  })
  const g = step.generated?.column
  const ins = Q.insert(t, rows as never) as Q.StatementNode
  const r = await run(f, g === undefined ? ins : returningColumns(ins, t, [g]))
  if (E.isLeft(r)) return r.left
  if (g !== undefined) step.nodes.forEach((n, i) => f.generated.set(n, r.right.rows[i]?.[g]))
  return undefined
}

/** One row of a batched update: its node's key (none for a row saved without one), its primary key, the values to set, and the version it must still have. */
interface RowUpdate {
  readonly node: string | undefined
  readonly key: Cells
  readonly set: Readonly<Record<string, unknown>>
  readonly expected: unknown
}

/**
 * One UPDATE for a whole step, as the SQL engines batch it: each column set
 * by a CASE over the rows' keys, the rows chosen by key (and version), the
 * version incremented, the keys written returned. One statement, so the
 * store checks its constraints once per step, not once per row.
 */
const batchedUpdate = (t: Q.AnyTable, columns: readonly string[], version: string | undefined, rows: readonly RowUpdate[]): Q.StatementNode => {
  const typed = (c: string, v: unknown): Q.Expr<unknown> => Q.val(v, t.columns[c]?.spec.type)
  const set: Record<string, unknown> = {}
  for (const c of columns) set[c] = Q.caseWhen(rows.map((r) => [keyEquals(t, t.primaryKey, r.key), typed(c, r.set[c])] as const), column(t, c))
  if (version !== undefined) set[version] = Q.add(column(t, version) as Q.Expr<number>, 1)
  const chosen = (r: RowUpdate): Q.Predicate =>
    version === undefined ? keyEquals(t, t.primaryKey, r.key) : Q.and(keyEquals(t, t.primaryKey, r.key), Q.eq(column(t, version), r.expected as never))
  return returningColumns(Q.update(t, { set: () => set as never, where: () => Q.or(...rows.map(chosen)) }), t, t.primaryKey)
}

/** Run a batched update; with a version, the first row it did not write is stale (as on SQL engines). */
const updateRows = async (f: Flush, t: Q.AnyTable, columns: readonly string[], version: string | undefined, rows: readonly RowUpdate[], index: number): Promise<Failure | undefined> => {
  const r = await run(f, batchedUpdate(t, columns, version, rows))
  if (E.isLeft(r)) return r.left
  if (version === undefined) return undefined
  if (r.right.affectedRows !== rows.length) {
    const written = r.right.rows
    for (const row of rows) {
      if (written.some((w) => t.primaryKey.every((c) => String(w[c]) === String(row.key[c])))) continue
      const actual = await currentVersion(f, t, row.key, version)
      return E.isLeft(actual) ? actual.left : staleRow(t.name, row.key, row.expected, actual.right, index + 1)
    }
    return bug(`${t.name}: ${r.right.affectedRows} of ${rows.length} rows updated, yet none is stale`)
  }
  for (const row of rows) if (row.node !== undefined) f.bumped.add(row.node)
  return undefined
}

const postUpdateStep = (f: Flush, step: UpdateStep, index: number): Promise<Failure | undefined> => {
  const col = step.columns[0]!
  // A post-update's rows are new rows, each with its key.
  const keys = step.nodes.filter((n): n is string => n !== undefined)
  const xs = keys.map((n) => f.p.graph.insertOf(n))
  const first = xs[0]
  if (first === undefined || xs.includes(undefined) || keys.length !== step.nodes.length) return Promise.resolve(bug(`no insert node among ${step.nodes.join(', ')}`))
  const t = first.node.table
  const rows = keys.map((n, i): RowUpdate => ({
    node: n,
    key: Object.fromEntries(t.primaryKey.map((c) => [c, lookup(f, n, c)])),
    set: { [col]: resolve(f, xs[i]!.values[col], col) },
    expected: undefined,
  }))
  return updateRows(f, t, [col], undefined, rows, index)
}

const updateStep = (f: Flush, step: UpdateStep, index: number): Promise<Failure | undefined> => {
  // By position: a row saved without a key has no key to be found by.
  const at = f.p.rowsOf.get(step)
  if (at === undefined || at.length === 0) return Promise.resolve(bug(`update step ${index + 1} has no rows`))
  const us = at.map((i) => updateAt(f.p.graph.updates, i))
  const { table: t, version } = us[0]!.node
  const rows = us.map((u): RowUpdate => ({
    node: u.node.key,
    key: updateKey(u.node),
    set: Object.fromEntries(step.columns.map((c) => [c, resolve(f, u.set[c], c)])),
    expected: version === undefined ? undefined : u.node.snapshot[version],
  }))
  return updateRows(f, t, step.columns, version, rows, index)
}

const cascadeStep = async (f: Flush, step: DeleteStep): Promise<Failure | undefined> => {
  let page = f.cascades.get(step.nodes)
  if (page === undefined) {
    const d = f.deletes.get(step.nodes[0]!)
    if (d?.node.cascade === undefined) return bug(`cascade step without a cascading delete node`)
    const keys = step.nodes.map((n) => f.deletes.get(n)?.key ?? {})
    page = { list: cascadeStatements(d.node.cascade, d.node.table, keys), next: 0 }
    f.cascades.set(step.nodes, page)
  }
  const c = page.list[page.next++]
  if (c === undefined || c.table !== step.table || c.path !== step.cascade) return bug(`cascade ${step.cascade ?? ''} does not match the plan`)
  const r = await run(f, c.statement)
  return E.isLeft(r) ? r.left : undefined
}

const deleteStep = async (f: Flush, step: DeleteStep, index: number): Promise<Failure | undefined> => {
  if (step.cascade !== undefined) return cascadeStep(f, step)
  const nodes = step.nodes.map((n) => f.deletes.get(n))
  const first = nodes[0]
  if (first === undefined || nodes.includes(undefined)) return bug(`no delete node among ${step.nodes.join(', ')}`)
  const { table: t, version } = first.node
  const matches = (d: CheckedDelete): Q.Predicate =>
    version === undefined ? keyEquals(t, t.primaryKey, d.key) : Q.and(keyEquals(t, t.primaryKey, d.key), Q.eq(column(t, version), d.node.row[version] as never))
  const del = Q.deleteFrom(t, () => Q.or(...(nodes as CheckedDelete[]).map(matches)))
  const r = await run(f, version === undefined ? del : returningColumns(del, t, t.primaryKey))
  if (E.isLeft(r)) return r.left
  if (version === undefined || r.right.affectedRows === nodes.length) return undefined
  // As on SQL engines: the first row of the batch that was not deleted is the stale one.
  const written = r.right.rows
  for (const d of nodes as CheckedDelete[]) {
    if (written.some((w) => t.primaryKey.every((c) => String(w[c]) === String(d.key[c])))) continue
    const actual = await currentVersion(f, t, d.key, version)
    return E.isLeft(actual) ? actual.left : staleRow(t.name, d.key, d.node.row[version], actual.right, index + 1)
  }
  return bug(`${t.name}: ${r.right.affectedRows} of ${nodes.length} rows deleted, yet none is stale`)
}

const runStep = (f: Flush, step: Step, index: number): Promise<Failure | undefined> => {
  switch (step._tag) {
    case 'ReadIncrement':
      // The store's auto-increment steps by 1; nothing to read.
      return Promise.resolve(undefined)
    case 'Insert':
      return insertStep(f, step)
    case 'Update':
      return step.post ? postUpdateStep(f, step, index) : updateStep(f, step, index)
    case 'Delete':
      return deleteStep(f, step, index)
    case 'Schema':
      // DDL runs on the store like any statement; the transaction rolls it back with the rows.
      return run(f, step.statement).then((r) => (E.isLeft(r) ? r.left : undefined))
  }
}

/** The persisted row of a node, as a SQL engine's flush reports it: given values, generated key, references resolved, version bumped. */
const persistedRow = (f: Flush, node: string): Cells | undefined => {
  const x = f.p.graph.insertOf(node)
  const u = f.p.graph.updateOf(node)
  const base = x?.values ?? (u === undefined ? undefined : { ...u.node.snapshot, ...u.set })
  if (base === undefined) return undefined
  const row: Record<string, unknown> = {}
  for (const c in base) row[c] = resolve(f, base[c], c)
  if (x?.generated !== undefined) row[x.generated] = f.generated.get(node)
  const version = u?.node.version
  if (version !== undefined && f.bumped.has(node)) row[version] = Number(row[version]) + 1
  return Object.freeze(row)
}

const persistedRows = (f: Flush): RowsByNode => {
  const rows = new Map<string, Cells>()
  for (const n of [...f.p.graph.inserts.nodes, ...f.p.graph.updates.nodes]) if (n.key !== undefined) rows.set(n.key, persistedRow(f, n.key)!)
  return Object.freeze({
    get: (k: string) => rows.get(k),
    has: (k: string) => rows.has(k),
    size: rows.size,
    keys: () => rows.keys(),
    [Symbol.iterator]: () => rows.entries() as IterableIterator<readonly [string, Cells]>,
  })
}

const deferredColumns = (p: Planned): ReadonlyMap<string, ReadonlySet<string>> => {
  const out = new Map<string, Set<string>>()
  // Only a plan with post-updates deferred anything; the order is recomputed exactly as planning did.
  if (!p.plan.steps.some((s) => s._tag === 'Update' && s.post)) return out
  const ordered = orderInserts(p.graph.inserts, p.graph.edges)
  if (E.isRight(ordered)) for (const d of ordered.right.deferred) out.set(d.node, (out.get(d.node) ?? new Set()).add(d.column))
  return out
}

/**
 * Run a planned graph's steps over the in-memory store, inside the
 * caller's transaction (the in-memory engine's `flush`; `flushPlanned`
 * defers to it). Emits beforeFlush/afterFlush.
 *
 * @example
 * const engine = createMemoryEngine({ tables: [users, posts] })
 * await runPromise(engine)(commit(graph)) // commitPlanned → transaction → flushPlanned → flushInMemory
 */
export const flushInMemory =
  (p: Planned): Program<Persisted> =>
  (s) =>
  async () => {
    const steps = p.plan.steps
    const l = s.engine.listeners
    if (l.beforeFlush.length > 0) emit(l, 'beforeFlush', { statements: steps.length })
    const f: Flush = {
      p,
      s,
      deletes: new Map(p.graph.deletes.map((d) => [d.node.key, d])),
      generated: new Map(),
      bumped: new Set(),
      deferred: deferredColumns(p),
      cascades: new Map(),
    }
    let out: E.Either<QuarryError, Persisted> | undefined
    for (let i = 0; i < steps.length && out === undefined; i++) {
      const failed = await runStep(f, steps[i]!, i)
      if (failed !== undefined)
        out = E.left(isGraphError(failed) ? failed : flushFailed(i + 1, describeStep(steps[i]!), failed, steps.slice(0, i).map((x, j) => `${j + 1}. ${describeStep(x)}`)))
    }
    out ??= E.right(Object.freeze({ _tag: 'Persisted' as const, rows: persistedRows(f), statements: steps.length }))
    if (l.afterFlush.length > 0) emit(l, 'afterFlush', { statements: steps.length, error: E.isLeft(out) ? out.left : undefined })
    return out
  }
