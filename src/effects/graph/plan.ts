/**
 * `plan(graph, dialect)`: the pure, printable list of statements a commit
 * runs. Order: schema creates (see `ddl.ts`); deletes nothing needs to wait
 * for (see `deletes.ts`); new rows level by level (parents before
 * children, one multi-row INSERT per table and column set, in pages of the
 * dialect's `pageRows` rows or fewer under its bind-parameter limit);
 * post-updates that close reference
 * cycles; updates (one statement per page of rows with the same changed
 * columns); the deletes that wait for updates; schema drops. Deletes go
 * children first (cascades before the rows they make way for).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { DataType } from '../../algebra/data-type.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import { isEncodeFailure } from '../../interpret/encode.js'
import type { Dialect, DialectName } from '../../interpret/index.js'
import { schemaSteps, type SchemaStep } from './ddl.js'
import { cascadeDeletes, childrenFirst, deleteSql, lateTables, rowLevels } from './deletes.js'
import { invalidGraph, type GraphProblem, type InvalidGraph } from './errors.js'
import { isRef, nodeName, nodeWords, type Cells, type ChangeGraph, type ChangeNode, type Ref } from './graph.js'
import { orderInserts, positions, type Deferred } from './order.js'
import { pageEncoder, rowEncoder, type Encoding } from './compiled-rows.js'
import { insertText, keySlot, markPlain, probeSql, updateSql, updateText, type Built, type KeySlot, type Slot, type UpdateRowSlots } from './sql.js'
import { edgeTarget, generatedAt, REFS, refColumn, updateKey, validate, type CheckedDelete, type CheckedGraph, type CheckedInsert, type CheckedInserts, type CheckedUpdates } from './validate.js'

/** How an update or delete batch detects stale rows: rows affected must equal rows sent. */
export interface StaleCheck {
  readonly table: string
  readonly version: string
  /**
   * `returning`: the statement returns the keys it wrote, and a short count names the rows it
   * skipped; `lock-first` (no RETURNING on this statement): the probe locks and checks the rows
   * before the statement runs. Either way a stale row is named without being confused with the
   * rows this very statement bumped.
   */
  readonly mode: 'returning' | 'lock-first'
  /** The batch's primary keys and expected versions, by node. */
  readonly rows: readonly { readonly key: Readonly<Record<string, unknown>>; readonly expected: unknown }[]
  /** Reads key and version of the batch's rows: first (locking) in `lock-first` mode, else only when the counts differ. */
  readonly probe: Built
}

interface StepBase extends Built {
  readonly table: string
  /** The nodes whose rows the statement writes, by key. */
  readonly nodes: readonly string[]
}

/** A multi-row INSERT; `generated` names the key column the database fills (read back by `strategy`). */
export interface InsertStep extends StepBase {
  readonly _tag: 'Insert'
  readonly columns: readonly string[]
  readonly generated: { readonly column: string; readonly strategy: 'returning' | 'first-insert-id' | 'last-insert-id' } | undefined
}

/** A batched UPDATE; `post` for the updates that close a reference cycle. */
export interface UpdateStep extends Omit<StepBase, 'nodes'> {
  readonly _tag: 'Update'
  /** The nodes whose rows the statement writes, by key (undefined for a row saved without one, see `saveRow`). */
  readonly nodes: readonly (string | undefined)[]
  readonly columns: readonly string[]
  readonly post: boolean
  readonly check: StaleCheck | undefined
}

/** A DELETE by key list, or (with `cascade`) of the rows referencing rows about to be deleted. */
export interface DeleteStep extends StepBase {
  readonly _tag: 'Delete'
  readonly cascade: string | undefined
  readonly check: StaleCheck | undefined
}

/** Reads the auto-increment step, for dialects that report only the first generated id. */
export interface ReadIncrementStep extends Built {
  readonly _tag: 'ReadIncrement'
}

/** One statement of a plan. */
export type Step = InsertStep | UpdateStep | DeleteStep | ReadIncrementStep | SchemaStep

/** The statements a commit of a graph runs, in order. */
export interface Plan {
  readonly _tag: 'Plan'
  readonly dialect: DialectName
  readonly steps: readonly Step[]
}

const freeze = <T extends object>(x: T): T => Object.freeze(x)

const pages = <T>(xs: readonly T[], size: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

const groupBy = <T>(xs: readonly T[], key: (x: T) => string): T[][] => {
  const m = new Map<string, T[]>()
  for (const x of xs) {
    const k = key(x)
    const g = m.get(k)
    if (g === undefined) m.set(k, [x])
    else g.push(x)
  }
  return [...m.values()]
}

const typeOf = (t: AnyTable, c: string): DataType => t.columns[c]?.spec.type ?? { kind: 'text' }

/** Planning state: the dialect, the checked graph, problems found on the way. */
interface Ctx {
  readonly d: Dialect
  readonly g: CheckedGraph
  readonly problems: GraphProblem[]
  /** The rows each insert or update step writes (positions among the inserts or the updates), in parameter order. */
  readonly rowsOf: Map<Step, readonly number[]>
  /**
   * The last key slot made for each new row, by position: the rows that
   * reference one parent (a post's comments) share its slot, where a slot
   * per reference was one more object per row through the commit.
   */
  readonly slots: (KeySlot | undefined)[]
}

const NULL_SLOT: Slot = null

/** The node a value belongs to, for problems: its key, or the node (named only if there is a problem: see `nodeName`). */
type Who = string | ChangeNode

const value = (ctx: Ctx, node: Who, t: AnyTable, column: string, v: unknown): Slot => typedValue(ctx, node, t, column, typeOf(t, column), v)

/** {@link value} with the column's type already looked up (loops over many rows look it up once). */
const typedValue = (ctx: Ctx, node: Who, t: AnyTable, column: string, type: DataType, v: unknown): Slot => {
  if (isRef(v)) return refSlot(ctx, v, type, ctx.g.insertIndex(v.node))
  const r = ctx.d.encode(v, type)
  return isEncodeFailure(r) ? failed(ctx, node, t, column, r.message) : r
}

/** The slot of a reference to new row `x` (-1: to another node). */
const refSlot = (ctx: Ctx, v: Ref, type: DataType, x: number): Slot => {
  const target = x >= 0 ? ctx.g.inserts.nodes[x] : ctx.g.nodeOf(v.node)
  const column = target === undefined ? '' : (refColumn(target.table, v) ?? '')
  if (x < 0) return keySlot(v.node, column, type)
  const last = ctx.slots[x]
  return last !== undefined && last.column === column && last.type === type ? last : (ctx.slots[x] = keySlot(v.node, column, type, x))
}

/** Record a value the dialect cannot encode; its slot stays NULL (the plan is rejected anyway). */
const failed = (ctx: Ctx, node: Who, t: AnyTable, column: string, why: string): Slot => {
  const [name, words] = typeof node === 'string' ? [node, `node "${node}"`] : [nodeName(node), nodeWords(node)]
  ctx.problems.push({ _tag: 'ValueDoesNotFit', node: name, table: t.name, column, message: `${words}: ${t.name}.${column} ${why}` })
  return NULL_SLOT
}

const columnLists = new WeakMap<AnyTable, readonly string[]>()
const columnList = (t: AnyTable): readonly string[] => {
  let cs = columnLists.get(t)
  if (cs === undefined) columnLists.set(t, (cs = Object.keys(t.columns)))
  return cs
}

/** The columns new row `i` writes: its bit mask, or for a table of more than 31 columns their names. */
const signature = (xs: CheckedInserts, i: number): string | number =>
  // A mask of 0: a wide table, or a row of no columns (its signature is then '').
  xs.masks[i] !== 0 ? xs.masks[i]! : columnList(xs.nodes[i]!.table).filter((c) => xs.values[i]![c] !== undefined).join(',')

/**
 * Rows grouped by table and signature (undefined: the row is left out), in
 * first-seen order. A row of the same table and signature as the row
 * before it (the usual run of a bulk graph) joins that group without a
 * lookup.
 */
const groupRows = <X>(xs: readonly X[], table: (x: X) => AnyTable, sig: (x: X) => string | number | undefined): X[][] => {
  const groups = new Map<AnyTable, Map<string | number, X[]>>()
  let lastTable: AnyTable | undefined
  let lastSig: string | number | undefined
  let last: X[] = []
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    const t = table(x)
    const k = sig(x)
    if (k === undefined) continue
    if (t === lastTable && k === lastSig) {
      last.push(x)
      continue
    }
    let byTable = groups.get(t)
    if (byTable === undefined) groups.set(t, (byTable = new Map()))
    let g = byTable.get(k)
    if (g === undefined) byTable.set(k, (g = []))
    g.push(x)
    lastTable = t
    lastSig = k
    last = g
  }
  return [...groups.values()].flatMap((byTable) => [...byTable.values()])
}

/** New rows grouped by table and signature (see {@link groupRows}); the level itself when all share both (a bulk insert). */
const groupInserts = (xs: CheckedInserts, level: readonly number[]): (readonly number[])[] => {
  if (xs.uniform && level.length === xs.length) return [level]
  const t = xs.nodes[level[0]!]?.table
  const mask = xs.masks[level[0]!]
  let same = mask !== 0
  for (let r = 1; r < level.length && same; r++) same = xs.masks[level[r]!] === mask && xs.nodes[level[r]!]!.table === t
  return same ? [level] : groupRows(level, (i) => xs.nodes[i]!.table, (i) => signature(xs, i))
}

/**
 * Encode `cells`' values of `columns` into `params` from position `k`;
 * answers the position after them: the general way, for rows a compiled
 * encoder (see `compiled-rows.ts`) cannot take. The row's own property order first: a
 * `for … in` reads through V8's enum cache, where `cells[columns[j]]` with
 * a different name each time is a megamorphic lookup per value (about 9 %
 * of planning a 10,000-row insert); then the rest by name (properties in
 * another order, or a column left undefined).
 */
const encodeRow = (ctx: Ctx, node: Who, t: AnyTable, cells: Cells, columns: readonly string[], types: readonly DataType[], params: Slot[], k: number): number => {
  const encode = ctx.d.encode
  let j = 0
  for (const c in cells) {
    if (c !== columns[j]) break
    const e = encode(cells[c], types[j])
    params[k + j] = isEncodeFailure(e) ? failed(ctx, node, t, c, e.message) : e
    j++
  }
  for (; j < columns.length; j++) {
    const e = encode(cells[columns[j]!], types[j])
    params[k + j] = isEncodeFailure(e) ? failed(ctx, node, t, columns[j]!, e.message) : e
  }
  return k + columns.length
}

/** A dialect's encoding for the compiled encoders (one object per dialect: their cache is keyed by it). */
const encodings = new WeakMap<Dialect, Encoding>()
const encoding = (d: Dialect): Encoding => {
  let e = encodings.get(d)
  if (e === undefined) encodings.set(d, (e = { encode: d.encode, failed: isEncodeFailure, stringsAsGiven: d.encode.stringsAsGiven }))
  return e
}

/** Nodes' deferred columns (cycle-breaking references inserted as NULL). */
type DeferredColumns = ReadonlyMap<string, ReadonlySet<string>>

const insertSteps = (ctx: Ctx, level: readonly number[], deferred: DeferredColumns): InsertStep[] => {
  const out: InsertStep[] = []
  const xs = ctx.g.inserts
  for (const group of groupInserts(xs, level)) {
    const first = group[0]!
    const t = xs.nodes[first]!.table
    const columns = columnList(t).filter((c) => xs.values[first]![c] !== undefined)
    const auto = generatedAt(xs, first)
    const generated = auto === undefined ? undefined : { column: auto, strategy: ctx.d.capabilities.generatedKeys }
    const ordinal = generated?.strategy === 'returning'
    const width = columns.length + (ordinal ? 1 : 0)
    const per = columns.length === 0 && ordinal ? 1 : Math.max(1, Math.min(ctx.d.capabilities.pageRows, Math.floor(ctx.d.capabilities.maxParams / width)))
    const types = columns.map((c) => typeOf(t, c))
    // Compiled for the columns where the runtime allows (see `compiled-rows.ts`); rows it cannot encode take `encodeRow`.
    const compiled = rowEncoder(encoding(ctx.d), t, columns, types)
    // A reference's target was found when the graph was checked (see `RefEdges`).
    const refAt = (v: unknown, j: number, row: number): Slot => refSlot(ctx, v as Ref, types[j]!, edgeTarget(ctx.g.edges, row, columns[j]!))
    // Read once: a Map's size is a getter call, and this loop runs per row.
    const anyDeferred = deferred.size > 0
    for (const page of pages(group, per)) {
      // One flat parameter array, filled in place: the hot loop of a large insert.
      const params = new Array<Slot>(page.length * width)
      // The step's node keys, filled in the same loop (a second pass over the page's nodes showed).
      const keys = new Array<string>(page.length)
      let k = 0
      let keyed = false
      for (let r = 0; r < page.length; r++) {
        const i = page[r]!
        const values = xs.values[i]!
        keys[r] = xs.nodes[i]!.key
        const refs = (xs.flags[i]! & REFS) !== 0
        if (!anyDeferred && compiled !== undefined && compiled(values, params, k, i, refAt)) {
          keyed ||= refs
          k += columns.length
        } else if (refs || anyDeferred) {
          keyed = true
          const key = keys[r]!
          const nulls = anyDeferred ? deferred.get(key) : undefined
          for (let j = 0; j < columns.length; j++) {
            const c = columns[j]!
            const v = values[c]
            params[k++] = nulls?.has(c) === true ? NULL_SLOT : isRef(v) ? refAt(v, j, i) : typedValue(ctx, key, t, c, types[j]!, v)
          }
        } else k = encodeRow(ctx, keys[r]!, t, values, columns, types, params, k)
        if (ordinal) params[k++] = r
      }
      const step: InsertStep = freeze({
        _tag: 'Insert',
        sql: insertText(ctx.d, t, columns, page.length, generated?.column),
        params: keyed ? params : markPlain(params),
        table: t.name,
        nodes: keys,
        columns,
        generated,
      })
      ctx.rowsOf.set(step, page)
      out.push(step)
    }
  }
  return out
}

const keySlots = (ctx: Ctx, x: CheckedInsert): Slot[] =>
  x.node.table.primaryKey.map((c): Slot => {
    const v = x.values[c]
    if (v !== undefined) return value(ctx, x.node.key, x.node.table, c, v)
    if (x.generated !== c)
      ctx.problems.push({ _tag: 'KeyNotAvailable', node: x.node.key, column: c, target: x.node.key, message: `node "${x.node.key}": its key ${x.node.table.name}.${c} is needed for a post-update but is neither given nor generated` })
    return keySlot(x.node.key, c, typeOf(x.node.table, c), x.index)
  })

const postUpdateSteps = (ctx: Ctx, deferred: readonly Deferred[]): UpdateStep[] => {
  if (deferred.length === 0) return []
  const insertOf = ctx.g.insertOf
  return groupBy(deferred, (f) => `${insertOf(f.node)!.node.table.name}\u0000${f.column}`).flatMap((group) => {
    const t = insertOf(group[0]!.node)!.node.table
    const column = group[0]!.column
    const per = Math.max(1, Math.floor(ctx.d.capabilities.maxParams / (t.primaryKey.length + 1)))
    return pages(group, per).map((page): UpdateStep => {
      const rows: UpdateRowSlots[] = page.map((f) => {
        const x = insertOf(f.node)!
        return { key: keySlots(ctx, x), set: [value(ctx, x.node.key, t, column, x.values[column])], version: undefined }
      })
      return freeze({ _tag: 'Update', ...updateSql(ctx.d, t, [column], undefined, rows), table: t.name, nodes: page.map((f) => f.node), columns: [column], post: true, check: undefined })
    })
  })
}

/** A row a stale check covers: its node, primary key and expected version. */
interface Checked {
  readonly node: Who
  readonly key: Readonly<Record<string, unknown>>
  readonly expected: unknown
}

const staleCheck = (ctx: Ctx, t: AnyTable, version: string | undefined, batch: readonly Checked[], returns: boolean): StaleCheck | undefined => {
  if (version === undefined) return undefined
  const keys = batch.map((r) => t.primaryKey.map((c) => value(ctx, r.node, t, c, r.key[c])))
  const rows = batch.map((r) => freeze({ key: r.key, expected: r.expected }))
  const probe = probeSql(ctx.d, t, version, keys)
  const lock = ctx.d.capabilities.locks?.update
  return returns || lock === undefined
    ? freeze({ table: t.name, version, mode: 'returning' as const, rows, probe })
    : freeze({ table: t.name, version, mode: 'lock-first' as const, rows, probe: { ...probe, sql: `${probe.sql} ${lock}` } })
}

/** With a `returning` stale check, the statement returns the keys it wrote. */
const withReturning = (ctx: Ctx, t: AnyTable, built: Built, check: StaleCheck | undefined): Built =>
  check?.mode === 'returning'
    ? { ...built, sql: `${built.sql} RETURNING ${t.primaryKey.map((c) => `${ctx.d.quoteIdent(t.name)}.${ctx.d.quoteIdent(c)}`).join(', ')}` }
    : built

/** The columns update `i` sets and its version column: a number when it can be (the mask alone, without a version column). */
const updateSignature = (xs: CheckedUpdates, i: number): string | number | undefined => {
  // A mask of 0: a wide table, or nothing to write.
  const set = xs.sets[i]!
  const columns = xs.masks[i] !== 0 ? xs.masks[i]! : columnList(xs.nodes[i]!.table).filter((c) => c in set).join(',')
  if (columns === '') return undefined
  const version = xs.nodes[i]!.version
  return version === undefined ? columns : `${columns}\u0000${version}`
}

/** Updates grouped by table and signature (see {@link groupRows}); all of them as one group when they share both (a bulk save), as {@link groupInserts} does for new rows. */
const groupUpdates = (xs: CheckedUpdates): (readonly number[])[] => {
  if (xs.length === 0) return []
  return xs.uniform ? [positions(xs.length)] : groupRows(positions(xs.length), (i) => xs.nodes[i]!.table, (i) => updateSignature(xs, i))
}

const updateSteps = (ctx: Ctx): UpdateStep[] => {
  const xs = ctx.g.updates
  const out: UpdateStep[] = []
  for (const group of groupUpdates(xs)) {
    const { table: t, version } = xs.nodes[group[0]!]!
    const set = xs.sets[group[0]!]!
    const columns = columnList(t).filter((c) => c in set)
    const width = t.primaryKey.length + columns.length + (version === undefined ? 0 : 1)
    const per = Math.max(1, Math.min(ctx.d.capabilities.pageRows, Math.floor(ctx.d.capabilities.maxParams / width)))
    // Pages as ranges of the group: no slice of positions, no list of nodes per page.
    for (let from = 0; from < group.length; from += per) out.push(updateStep(ctx, t, columns, version, group, from, Math.min(group.length, from + per)))
  }
  return out
}

/**
 * The batched UPDATE of `group[from]` … `group[to - 1]` (positions among
 * the updates): its parameters in its text's order (each row's key, new
 * values, expected version) in one flat array, filled in the same loop as
 * its list of nodes; marked plain (see `markPlain`) when no row sets a
 * reference.
 */
const updateStep = (ctx: Ctx, t: AnyTable, columns: readonly string[], version: string | undefined, group: readonly number[], from: number, to: number): UpdateStep => {
  const xs = ctx.g.updates
  const pk = t.primaryKey
  const types = columns.map((c) => typeOf(t, c))
  const keyTypes = pk.map((c) => typeOf(t, c))
  const versionType = version === undefined ? undefined : typeOf(t, version)
  const encode = ctx.d.encode
  const n = to - from
  const width = pk.length + columns.length + (version === undefined ? 0 : 1)
  const params = new Array<Slot>(n * width)
  const keys = new Array<string | undefined>(n)
  // Without a version column, the page's rows through one compiled call as far as they go (see `pageEncoder`); the rest below.
  const page = version === undefined ? pageEncoder(encoding(ctx.d), t, pk, keyTypes, columns, types) : undefined
  const done = page === undefined ? 0 : page(xs.nodes, xs.sets, xs.flags, group, from, n, params, keys)
  let k = done * width
  // The rows the page encoder did not take (all of them with a version column): compiled row by row where the runtime allows, else `encodeRow`.
  const compiled = done < n ? rowEncoder(encoding(ctx.d), t, columns, types) : undefined
  let keyed = false
  for (let r = done; r < n; r++) {
    const i = group[from + r]!
    const node = xs.nodes[i]!
    const set = xs.sets[i]!
    keys[r] = node.key
    // Keys and versions are never references (validation refuses them).
    for (let j = 0; j < pk.length; j++) {
      const e = encode(node.snapshot[pk[j]!], keyTypes[j])
      params[k++] = isEncodeFailure(e) ? failed(ctx, node, t, pk[j]!, e.message) : e
    }
    if ((xs.flags[i]! & REFS) !== 0) {
      keyed = true
      for (let j = 0; j < columns.length; j++) params[k++] = typedValue(ctx, node, t, columns[j]!, types[j]!, set[columns[j]!])
    } else if (compiled !== undefined && compiled(set, params, k)) k += columns.length
    else k = encodeRow(ctx, node, t, set, columns, types, params, k)
    if (version !== undefined) params[k++] = typedValue(ctx, node, t, version, versionType!, node.snapshot[version])
  }
  const checked: Checked[] = []
  if (version !== undefined)
    for (let r = from; r < to; r++) {
      const node = xs.nodes[group[r]!]!
      checked.push({ node, key: updateKey(node), expected: node.snapshot[version] })
    }
  const check = staleCheck(ctx, t, version, checked, ctx.d.capabilities.returning.update)
  const built = { sql: updateText(ctx.d, t, columns, version, n), params: keyed ? params : markPlain(params) }
  const step: UpdateStep = freeze({ _tag: 'Update', ...withReturning(ctx, t, built, check), table: t.name, nodes: keys, columns, post: false, check })
  // The rows by position (the in-memory engine reads them so: a row saved without a key has no key to find it by).
  ctx.rowsOf.set(step, from === 0 && to === group.length ? group : group.slice(from, to))
  return step
}

/** The deletes of `rows`: tables children first, each table's rows by level (see `rowLevels`), then by version and cascade. */
const deleteSteps = (ctx: Ctx, rows: readonly CheckedDelete[]): DeleteStep[] => {
  const tables = childrenFirst([...new Map(rows.map((x) => [x.node.table.name, x.node.table])).values()])
  return tables.flatMap((t) =>
    rowLevels(
      t,
      rows.filter((x) => x.node.table.name === t.name),
    ).flatMap((level) =>
      groupBy(level, (x) => `${x.node.version ?? ''}\u0000${x.node.cascade === undefined ? '' : 'c'}`).flatMap((group) => {
        const { version, cascade } = group[0]!.node
        const keyColumns = [...t.primaryKey, ...(version === undefined ? [] : [version])]
        const per = Math.max(1, Math.floor(ctx.d.capabilities.maxParams / keyColumns.length))
        return pages(group, per).flatMap((page): DeleteStep[] => {
          const keys = page.map((x) => keyColumns.map((c) => value(ctx, x.node.key, t, c, c === version ? x.node.row[c] : x.key[c])))
          const nodes = page.map((x) => x.node.key)
          const pk = page.map((x) => t.primaryKey.map((c) => value(ctx, x.node.key, t, c, x.key[c])))
          const cascades = cascade === undefined ? [] : cascadeDeletes(ctx.d, cascade, t, pk, ctx.problems)
          const check = staleCheck(ctx, t, version, version === undefined ? [] : page.map((x) => ({ node: x.node.key, key: x.key, expected: x.node.row[version] })), ctx.d.capabilities.returning.delete)
          return [
            ...cascades.map((c): DeleteStep => freeze({ _tag: 'Delete', sql: c.sql, params: c.params, table: c.table, nodes, cascade: c.path, check: undefined })),
            freeze({ _tag: 'Delete', ...withReturning(ctx, t, deleteSql(ctx.d, t, keyColumns, keys), check), table: t.name, nodes, cascade: undefined, check }),
          ]
        })
      }),
    ),
  )
}

/**
 * Plan a graph for a dialect: check it, order it, batch it. Pure: the same
 * graph and dialect always give the same plan, and nothing is sent anywhere.
 *
 * @example
 * const p = plan(pipe(G.empty, G.insert('ada', users, { name: 'ada' })), postgres)
 * console.log(E.isRight(p) ? printPlan(p.right) : p.left.message)
 */
export const plan = (graph: ChangeGraph, d: Dialect): E.Either<InvalidGraph, Plan> => E.map((x: Planned) => x.plan)(planChecked(graph, d))

/** A plan with the checked graph it came from (what the runtime needs to report the persisted rows). */
export interface Planned {
  readonly plan: Plan
  readonly graph: CheckedGraph
  /** The rows each insert or update step writes (positions among the inserts or the updates), in the order of its parameters (and so of an insert's generated keys). */
  readonly rowsOf: ReadonlyMap<Step, readonly number[]>
}

/** {@link plan}, keeping the checked graph. */
export const planChecked = (graph: ChangeGraph, d: Dialect): E.Either<InvalidGraph, Planned> => {
  const checked = validate(graph)
  if (E.isLeft(checked)) return checked
  const ordered = orderInserts(checked.right.inserts, checked.right.edges)
  if (E.isLeft(ordered)) return E.left(invalidGraph([ordered.left]))
  // Sized up front when rows reference new rows (more than one level): filled out of order, a growing array turns sparse.
  const slots = new Array<KeySlot | undefined>(ordered.right.levels.length > 1 ? checked.right.inserts.length : 0)
  const ctx: Ctx = { d, g: checked.right, problems: [], rowsOf: new Map(), slots }
  const deferred = new Map<string, Set<string>>()
  for (const f of ordered.right.deferred) deferred.set(f.node, (deferred.get(f.node) ?? new Set()).add(f.column))
  const inserts = ordered.right.levels.flatMap((level) => insertSteps(ctx, level, deferred))
  const schema = schemaSteps(d, checked.right.schema, ctx.problems)
  const late = lateTables(checked.right.updates.nodes, checked.right.deletes)
  const early = deleteSteps(ctx, checked.right.deletes.filter((x) => !late.has(x.node.table.name)))
  const steps: Step[] = [
    ...schema.first,
    ...early,
    ...inserts,
    ...postUpdateSteps(ctx, ordered.right.deferred),
    ...updateSteps(ctx),
    ...deleteSteps(ctx, checked.right.deletes.filter((x) => late.has(x.node.table.name))),
    ...schema.last,
  ]
  if (ctx.problems.length > 0) return E.left(invalidGraph(ctx.problems))
  const needsIncrement = inserts.some((s) => s.generated?.strategy === 'first-insert-id')
  const read: ReadIncrementStep = freeze({ _tag: 'ReadIncrement', sql: 'SELECT @@auto_increment_increment AS inc', params: [] })
  const p: Plan = freeze({ _tag: 'Plan', dialect: d.name, steps: Object.freeze(needsIncrement ? [read, ...steps] : steps) })
  return E.right({ plan: p, graph: checked.right, rowsOf: ctx.rowsOf })
}
