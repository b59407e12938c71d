/**
 * Checking and normalising a change graph before it is planned: every
 * column known, every value fitting its column, required columns present,
 * references pointing at nodes of the graph whose key will be known. The
 * result is the graph's rows in the form planning wants (client defaults
 * filled in, update diffs computed), or the list of problems.
 */
import * as E from 'fp-ts/lib/Either.js'
import { absurd } from 'fp-ts/lib/function.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import { invalidGraph, type GraphProblem, type InvalidGraph } from './errors.js'
import { fitsQuickly, misfit, sameValue } from './fits.js'
import { indexKeys, type KeyIndex } from './key-index.js'
import { checkRowsOnce } from './rows-once.js'
import { rowChecksEnabled } from './compiled-rows.js'
import { fastInsert, fastUpdate, insertRunOf, remember, tableInfo, updateRunOf } from './table-info.js'
import { isRef, nodeName, nodeWords, type Cells, type ChangeGraph, type ChangeNode, type DeleteRow, type InsertRow, type Ref, type SchemaChange, type UpdateRow } from './graph.js'

/**
 * One checked new row, as a view (see {@link insertAt}): its values with
 * client defaults filled in; `generated` is the column the database
 * generates, if the row leaves it out.
 */
export interface CheckedInsert {
  readonly node: InsertRow
  readonly values: Cells
  readonly generated: string | undefined
  /** Whether any value is a {@link Ref} (most rows of a large graph are leaves of no edge). */
  readonly refs: boolean
  /** The columns written, one bit per column in table order (0 for tables of more than 31 columns). */
  readonly mask: number
  /** Position among the graph's inserts (what per-row state is indexed by, instead of a map by key). */
  readonly index: number
}

/**
 * The references between new rows, found once while checking: ordering and
 * planning read them rather than look each target's key up again (a 200 ×
 * 10 × 3 graph has 8,000). Edge e: new row `to[e]` references new row
 * `from[e]` through its column `column[e]`; a row's edges are consecutive,
 * `rowStart[i]` … `rowStart[i + 1]`, rows in order (`rowStart` is empty when
 * there are no edges).
 */
export interface RefEdges {
  readonly from: readonly number[]
  readonly to: readonly number[]
  readonly column: readonly string[]
  readonly rowStart: Int32Array
}

/** The new row that new row `row` references through `column`, or -1 (no reference there, or one to an existing row). */
export const edgeTarget = (edges: RefEdges, row: number, column: string): number => {
  if (edges.from.length === 0) return -1
  for (let e = edges.rowStart[row]!; e < edges.rowStart[row + 1]!; e++) if (edges.column[e] === column) return edges.from[e]!
  return -1
}

/** `rowStart` of a graph without references between new rows. */
const NO_EDGES = new Int32Array(0)

/** Where each of `n` rows' edges start, given the rows edges lead to (ascending). */
const rowStarts = (to: readonly number[], n: number): Int32Array => {
  const start = new Int32Array(n + 1)
  for (const t of to) start[t + 1]!++
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!
  return start
}

/** {@link CheckedInserts.flags}: a value of the row is a {@link Ref}. */
export const REFS = 1
/** {@link CheckedInserts.flags}: the database generates the row's auto-increment column. */
export const GENERATED = 2

/**
 * A graph's new rows, checked, by position among its inserts: arrays of
 * fields rather than an object per row. A per-row object lives as long as
 * the commit, and the young generation copies every survivor at each
 * scavenge: one more object per row of a 10,000-row SQLite insert measured
 * about 0.2 more on its ratio to the same work by hand, in one process
 * (bench/RESULTS.md).
 */
export interface CheckedInserts {
  readonly length: number
  readonly nodes: readonly InsertRow[]
  /** Each row's values with client defaults filled in (the node's own object when there is none to fill). */
  readonly values: readonly Cells[]
  /** Per row, {@link REFS} and {@link GENERATED}. */
  readonly flags: Uint8Array
  /** Per row, the columns written, one bit per column in table order (0 for tables of more than 31 columns). */
  readonly masks: Int32Array
  /** Every row of one table with one nonzero mask (a bulk insert): grouping them by both is the identity, with no pass over the rows. */
  readonly uniform: boolean
}

/** The column the database generates for new row `i`, if any. */
export const generatedAt = (xs: CheckedInserts, i: number): string | undefined => ((xs.flags[i]! & GENERATED) !== 0 ? tableInfo(xs.nodes[i]!.table).auto : undefined)

/** New row `i` as one object (for code off the hot paths). */
export const insertAt = (xs: CheckedInserts, i: number): CheckedInsert => ({
  node: xs.nodes[i]!,
  values: xs.values[i]!,
  generated: generatedAt(xs, i),
  refs: (xs.flags[i]! & REFS) !== 0,
  mask: xs.masks[i]!,
  index: i,
})

/**
 * One checked update, as a view (see {@link updateAt}): the node reduced to
 * the columns that differ (possibly none); its key is the snapshot's (see
 * {@link updateKey}).
 */
export interface CheckedUpdate {
  readonly node: UpdateRow
  readonly set: Cells
  /** The columns set, one bit per column in table order (0 for tables of more than 31 columns). */
  readonly mask: number
  /** Whether a value set is a {@link Ref}. */
  readonly refs: boolean
}

/** A graph's updates, checked, by position among them: arrays of fields, as {@link CheckedInserts} and for the same reason. */
export interface CheckedUpdates {
  readonly length: number
  readonly nodes: readonly UpdateRow[]
  /** Per row, the changes that differ from the snapshot (the node's own `changes` when every one does). */
  readonly sets: readonly Cells[]
  /** Per row, {@link REFS}. */
  readonly flags: Uint8Array
  /** Per row, the columns set, one bit per column in table order (0 for tables of more than 31 columns). */
  readonly masks: Int32Array
  /** Every row of one table, one nonzero mask and one version column (a bulk save), as {@link CheckedInserts.uniform}. */
  readonly uniform: boolean
  /** How many rows have no node key (saved by primary key, see `saveRow`). */
  readonly unnamed: number
}

/** Update `i` as one object (for code off the hot paths). */
export const updateAt = (xs: CheckedUpdates, i: number): CheckedUpdate => ({ node: xs.nodes[i]!, set: xs.sets[i]!, mask: xs.masks[i]!, refs: (xs.flags[i]! & REFS) !== 0 })

/** A delete with its primary key. */
export interface CheckedDelete {
  readonly node: DeleteRow
  readonly key: Cells
}

/** A checked graph, nodes by kind in graph order. */
export interface CheckedGraph {
  readonly inserts: CheckedInserts
  readonly updates: CheckedUpdates
  readonly deletes: readonly CheckedDelete[]
  /** DDL statements, in graph order (checked against the dialect when planned). */
  readonly schema: readonly SchemaChange[]
  readonly edges: RefEdges
  /** The position among the inserts of the insert node named `key`, or -1. */
  readonly insertIndex: (key: string) => number
  /** The insert node named `key`, checked (a new view each call: see {@link insertAt}). */
  readonly insertOf: (key: string) => CheckedInsert | undefined
  /** The position among the updates of the update node named `key`, or -1. */
  readonly updateIndex: (key: string) => number
  /** The update node named `key`, checked (a new view each call). */
  readonly updateOf: (key: string) => CheckedUpdate | undefined
  /** The node named `key` (see `key-index.ts`). */
  readonly nodeOf: (key: string) => ChangeNode | undefined
}

/** The column a reference reads on `table` (its single-column primary key unless named). */
export const refColumn = (table: AnyTable, r: Ref): string | undefined => r.column ?? (table.primaryKey.length === 1 ? table.primaryKey[0] : undefined)

/** Check that `row` holds the whole primary key of `n`'s table (each column missing is a problem). */
const checkKey = (n: ChangeNode, row: Cells, problems: GraphProblem[]): void => {
  const pk = n.table.primaryKey
  // The usual key: one column holding a number or a string (a Ref is an object).
  if (pk.length === 1) {
    const t = typeof row[pk[0]!]
    if (t === 'number' || t === 'string' || t === 'bigint') return
  }
  if (pk.length === 0)
    problems.push({ _tag: 'MissingColumn', node: nodeName(n), table: n.table.name, column: '(primary key)', message: `${nodeWords(n)}: table ${n.table.name} has no primary key to find the row by` })
  // Indexed loops in the per-row checks: a `for … of` here allocated an iterator per row (10,000 updates:
  // 1,410 KiB checked against 170 KiB with this loop, measured with no collection running).
  for (let k = 0; k < pk.length; k++) {
    const c = pk[k]!
    const v = row[c]
    if (v === undefined || v === null || isRef(v))
      problems.push({ _tag: 'MissingColumn', node: nodeName(n), table: n.table.name, column: c, message: `${nodeWords(n)}: the primary key column ${n.table.name}.${c} has no value` })
  }
}

/** The primary-key columns of `row` as their own object (not frozen: see `own` in graph.ts; readonly by type). */
const keyOf = (t: AnyTable, row: Cells): Cells => {
  const key: Record<string, unknown> = {}
  const pk = t.primaryKey
  for (let k = 0; k < pk.length; k++) key[pk[k]!] = row[pk[k]!]
  return key
}

/**
 * The key of an updated row, read from its snapshot. Built on demand (for
 * stale-row reports and probes): planning reads the snapshot's key columns
 * directly, and an object per updated row would live through the commit.
 */
export const updateKey = (u: UpdateRow): Cells => keyOf(u.table, u.snapshot)

/** {@link CheckedInserts} as validation fills it (arrays sized for the graph's inserts). */
interface InsertColumns extends CheckedInserts {
  length: number
  uniform: boolean
  /** References among the values so far (what sizes the edge arrays). */
  refs: number
  readonly nodes: InsertRow[]
  readonly values: Cells[]
}

/** {@link CheckedUpdates} as validation fills it. */
interface UpdateColumns extends CheckedUpdates {
  length: number
  uniform: boolean
  unnamed: number
  readonly nodes: UpdateRow[]
  readonly sets: Cells[]
}

/** The changes before column `c`: the set of an update once `c` turns out not to be written. */
const changesBefore = (changes: Cells, c: string): Record<string, unknown> => {
  const set: Record<string, unknown> = {}
  for (const d in changes) {
    if (d === c) break
    set[d] = changes[d]
  }
  return set
}

const unknownColumn = (n: ChangeNode, column: string): GraphProblem => ({
  _tag: 'UnknownColumn',
  node: nodeName(n),
  table: n.table.name,
  column,
  message: `${nodeWords(n)}: table ${n.table.name} has no column "${column}"`,
})

/** Check a new row in one pass over its values (columns known, values fitting, required ones present) and append it to `out`. */
const checkInsert = (n: InsertRow, out: InsertColumns, problems: GraphProblem[]): void => {
  const info = tableInfo(n.table)
  let refs = false
  let mask = 0
  let required = 0
  // One local for the loop's subject and its reads, which V8 then reads through the for-in enum cache.
  const given = n.values
  const shape = info.shapes.insert
  const fast = shape === undefined || !rowChecksEnabled() ? -1 : fastInsert(shape, given)
  if (fast >= 0) {
    refs = fast > 0
    out.refs += fast
    mask = shape!.mask
    required = shape!.required
  } else {
    let same = shape !== undefined
    let j = 0
    for (const column in given) {
      // Read from the shape while the row follows it (j counts the properties that did); by name from the first that does not.
      same &&= shape!.keys[j++] === column
      const col = same ? shape!.columns[j - 1] : info.columns.get(column)
      if (col === undefined) {
        problems.push(unknownColumn(n, column))
        continue
      }
      const v = given[column]
      if (v === undefined) continue
      mask |= col.bit
      if (col.required) required++
      if (v === null ? col.spec.nullable : fitsQuickly(col.quick, v)) continue
      if (isRef(v)) {
        refs = true
        out.refs++
        continue
      }
      const why = misfit(col.spec, v)
      if (why !== undefined)
        problems.push({ _tag: 'ValueDoesNotFit', node: nodeName(n), table: n.table.name, column, message: `${nodeWords(n)}: ${n.table.name}.${column} ${why}` })
    }
    if (!same || j !== shape!.keys.length) remember(info, 'insert', given)
  }
  let values = given
  const defaults = info.defaults
  for (let k = 0; k < defaults.length; k++) {
    const d = defaults[k]!
    const c = d[0]
    if (values[c] === undefined) {
      if (values === given) values = { ...given }
      ;(values as Record<string, unknown>)[c] = d[1]
      mask |= d[2]
    }
  }
  if (required < info.required.length)
    for (const c of info.required)
      if (values[c] === undefined)
        problems.push({ _tag: 'MissingColumn', node: nodeName(n), table: n.table.name, column: c, message: `${nodeWords(n)}: ${n.table.name}.${c} is required (NOT NULL, no default) but has no value` })
  const auto = info.auto
  const generated = auto !== undefined && (info.autoBit !== 0 ? (mask & info.autoBit) === 0 : values[auto] === undefined)
  const i = out.length++
  out.uniform = i === 0 ? mask !== 0 : out.uniform && mask === out.masks[0] && n.table === out.nodes[0]!.table
  out.nodes[i] = n
  out.values[i] = values
  out.flags[i] = (refs ? REFS : 0) | (generated ? GENERATED : 0)
  out.masks[i] = mask
}

/**
 * Check an update in one pass over its changes: columns known, the diff
 * against the snapshot, changed values fitting. When every change is
 * written (the usual case) the node's own `changes` is the set: no copy.
 */
const checkUpdate = (n: UpdateRow, out: UpdateColumns, problems: GraphProblem[]): void => {
  const info = tableInfo(n.table)
  const shape = info.shapes.update
  // The common case, compiled: every change written as given (key and values checked alike).
  if (shape !== undefined && n.version === undefined && rowChecksEnabled() && fastUpdate(shape, n.table, n.changes, n.snapshot) === 0) {
    appendUpdate(out, n, n.changes, 0, shape.mask)
    return
  }
  checkKey(n, n.snapshot, problems)
  let same = shape !== undefined
  let j = 0
  const snapshot = n.snapshot
  const changes = n.changes
  // Undefined while every change so far is written; the first one skipped makes a copy of those before it.
  let set: Record<string, unknown> | undefined
  let mask = 0
  let refs = false
  for (const c in changes) {
    // As in checkInsert: from the shape while the changes follow it.
    same &&= shape!.keys[j++] === c
    const col = same ? shape!.columns[j - 1] : info.columns.get(c)
    if (col === undefined) {
      problems.push(unknownColumn(n, c))
      set ??= changesBefore(changes, c)
      continue
    }
    const v = changes[c]
    if (v === undefined) {
      set ??= changesBefore(changes, c)
      continue
    }
    const ref = v !== null && typeof v === 'object' && isRef(v)
    if (!ref) {
      // An unchanged value is not written, so only a changed one must fit.
      if (sameValue(v, snapshot[c])) {
        set ??= changesBefore(changes, c)
        continue
      }
      const why = (v === null ? col.spec.nullable : fitsQuickly(col.quick, v)) ? undefined : misfit(col.spec, v)
      if (why !== undefined) {
        problems.push({ _tag: 'ValueDoesNotFit', node: nodeName(n), table: n.table.name, column: c, message: `${nodeWords(n)}: ${n.table.name}.${c} ${why}` })
        set ??= changesBefore(changes, c)
        continue
      }
    }
    if (col.key || c === n.version) {
      problems.push({ _tag: 'ValueDoesNotFit', node: nodeName(n), table: n.table.name, column: c, message: `${nodeWords(n)}: ${n.table.name}.${c} is the ${c === n.version ? 'version column (quarry increments it)' : 'primary key (delete and insert instead)'} and cannot be changed by an update` })
      set ??= changesBefore(changes, c)
      continue
    }
    if (set !== undefined) set[c] = v
    mask |= col.bit
    refs ||= ref
  }
  if (!same || j !== shape!.keys.length) remember(info, 'update', changes)
  if (n.version !== undefined) checkVersion(n, n.snapshot, n.version, problems)
  appendUpdate(out, n, set ?? changes, refs ? REFS : 0, mask)
}

const appendUpdate = (out: UpdateColumns, n: UpdateRow, set: Cells, flags: number, mask: number): void => {
  const i = out.length++
  if (n.key === undefined) out.unnamed++
  out.uniform = i === 0 ? mask !== 0 : out.uniform && mask === out.masks[0] && n.table === out.nodes[0]!.table && n.version === out.nodes[0]!.version
  out.nodes[i] = n
  out.sets[i] = set
  out.flags[i] = flags
  out.masks[i] = mask
}

/**
 * The `uniform` flag of checked rows after a compiled loop appended rows of
 * one table and mask (and, for updates, no version column) from `from` on;
 * `alike` says whether the first row's other traits (an update's version
 * column) match the loop's rows.
 */
const ranUniform = (out: InsertColumns | UpdateColumns, from: number, alike: boolean): boolean =>
  from === 0 ? out.masks[0] !== 0 : out.uniform && alike && out.masks[from] === out.masks[0] && out.nodes[from]!.table === out.nodes[0]!.table

/** Record the positions among their kind of nodes `i` … `end - 1`, appended from `from` on; the last node's position in the graph. */
const ran = (within: Int32Array, i: number, end: number, from: number): number => {
  for (let j = i; j < end; j++) within[j] = from + j - i
  return end - 1
}

const checkVersion = (n: ChangeNode, row: Cells, version: string, problems: GraphProblem[]): void => {
  const v = row[version]
  if (!(version in n.table.columns))
    problems.push({ _tag: 'UnknownColumn', node: nodeName(n), table: n.table.name, column: version, message: `${nodeWords(n)}: table ${n.table.name} has no version column "${version}"` })
  else if (typeof v !== 'number' || !Number.isInteger(v))
    problems.push({ _tag: 'MissingColumn', node: nodeName(n), table: n.table.name, column: version, message: `${nodeWords(n)}: the snapshot's version ${n.table.name}.${version} must be an integer, not ${String(v)}` })
}

const checkDelete = (n: DeleteRow, problems: GraphProblem[]): CheckedDelete => {
  checkKey(n, n.row, problems)
  const key = keyOf(n.table, n.row)
  if (n.version !== undefined) checkVersion(n, n.row, n.version, problems)
  return { node: n, key }
}

/** Where {@link checkRefs} records the references of new rows. */
interface EdgeSink {
  /** Edges so far. */
  length: number
  readonly from: number[]
  readonly to: number[]
  readonly column: string[]
}

/**
 * Check the references of a row; those of new row `row` to new rows are
 * recorded in `edges` (separate arguments, not an object: this runs once
 * per referencing row).
 */
const checkRefs = (
  n: InsertRow | UpdateRow,
  cells: Cells,
  nodeOf: (key: string) => ChangeNode | undefined,
  xs: CheckedInserts,
  insertIndex: (key: string) => number,
  problems: GraphProblem[],
  edges?: EdgeSink,
  row = -1,
): void => {
  for (const column in cells) {
    const v = cells[column]
    if (!isRef(v)) continue
    // One key lookup for the usual target, a new row.
    const x = insertIndex(v.node)
    const target = x >= 0 ? xs.nodes[x] : nodeOf(v.node)
    if (target === undefined || target._tag === 'DeleteRow' || target._tag === 'SchemaChange') {
      const what = target === undefined ? 'not in the graph' : target._tag === 'DeleteRow' ? 'a deleted row' : 'a schema change, not a row'
      problems.push({ _tag: 'UnknownNode', node: nodeName(n), column, target: v.node, message: `${nodeWords(n)}: ${n.table.name}.${column} refers to node "${v.node}", which is ${what}` })
      continue
    }
    const col = refColumn(target.table, v)
    const known =
      col !== undefined &&
      (x >= 0 ? xs.values[x]![col] !== undefined || generatedAt(xs, x) === col : target._tag === 'UpdateRow' && target.snapshot[col] !== undefined)
    if (known && x >= 0 && edges !== undefined) {
      const e = edges.length++
      edges.from[e] = x
      edges.to[e] = row
      edges.column[e] = column
    }
    if (!known)
      problems.push({ _tag: 'KeyNotAvailable', node: nodeName(n), column, target: v.node, message: `${nodeWords(n)}: ${n.table.name}.${column} refers to ${target.table.name}.${col ?? '(no single-column key)'} of node "${v.node}", whose value is neither given nor generated by the database` })
  }
}

const insertColumns = (n: number): InsertColumns => ({ length: 0, uniform: false, refs: 0, nodes: new Array(n), values: new Array(n), flags: new Uint8Array(n), masks: new Int32Array(n) })

const updateColumns = (n: number): UpdateColumns => ({ length: 0, uniform: false, unnamed: 0, nodes: new Array(n), sets: new Array(n), flags: new Uint8Array(n), masks: new Int32Array(n) })

/** Checked inserts without the room left over (a graph of other nodes after its first insert). */
const trimInserts = (c: InsertColumns): CheckedInserts => {
  if (c.nodes.length === c.length) return c
  c.nodes.length = c.values.length = c.length
  return { ...c, flags: c.flags.subarray(0, c.length), masks: c.masks.subarray(0, c.length) }
}

/** {@link trimInserts} for updates. */
const trimUpdates = (c: UpdateColumns): CheckedUpdates => {
  if (c.nodes.length === c.length) return c
  c.nodes.length = c.sets.length = c.length
  return { ...c, flags: c.flags.subarray(0, c.length), masks: c.masks.subarray(0, c.length) }
}

/** The index of a graph without keys. */
const NO_KEYS: KeyIndex = { find: () => -1 }

/** Check a graph; the checked form, or InvalidGraph with every problem found. */
export const validate = (g: ChangeGraph): E.Either<InvalidGraph, CheckedGraph> => {
  const problems: GraphProblem[] = []
  const nodes = g.nodes
  const within = new Int32Array(nodes.length)
  // Each kind's columns made at its first row, sized for the nodes from there on (not counted first: a
  // pass over a 1,000-row save's nodes for the count was some 15 % of checking it), trimmed at the end.
  let columns: InsertColumns | undefined
  let changed: UpdateColumns | undefined
  const deletes: CheckedDelete[] = []
  const schema: SchemaChange[] = []
  // Each node's position in the list of its kind (a switch in the loop: a fold's closure call per node showed in a 1,000-row save).
  for (let i = 0; i < nodes.length; i++) {
    const x = nodes[i]!
    switch (x._tag) {
      // Rows of a bulk graph in one call where their table's last shape has a compiled loop
      // (`insertRun`, `updateRun`), from the first the loop does not take row by row.
      case 'InsertRow': {
        columns ??= insertColumns(nodes.length - i)
        const run = rowChecksEnabled() ? insertRunOf(tableInfo(x.table), GENERATED, REFS) : undefined
        const from = columns.length
        const end = run === undefined ? i : run(nodes, i, columns)
        if (end > i) {
          columns.uniform = ranUniform(columns, from, true)
          i = ran(within, i, end, from)
          break
        }
        checkInsert(x, columns, problems)
        within[i] = columns.length - 1
        break
      }
      case 'UpdateRow': {
        changed ??= updateColumns(nodes.length - i)
        const run = rowChecksEnabled() ? updateRunOf(tableInfo(x.table)) : undefined
        const from = changed.length
        const end = run === undefined ? i : run(nodes, i, changed)
        if (end > i) {
          changed.uniform = ranUniform(changed, from, changed.nodes[0]!.version === undefined)
          i = ran(within, i, end, from)
          break
        }
        checkUpdate(x, changed, problems)
        within[i] = changed.length - 1
        break
      }
      case 'DeleteRow':
        within[i] = deletes.push(checkDelete(x, problems)) - 1
        break
      case 'SchemaChange':
        within[i] = schema.push(x) - 1
        break
      default:
        return absurd(x)
    }
  }
  const inserts: CheckedInserts = trimInserts(columns ?? insertColumns(0))
  const updates: CheckedUpdates = trimUpdates(changed ?? updateColumns(0))
  checkRowsOnce(updates, deletes, problems)
  // A graph of rows saved without keys (see `saveRow`) has no key to index.
  const index =
    updates.unnamed === nodes.length
      ? NO_KEYS
      : indexKeys(nodes, (key) => problems.push({ _tag: 'DuplicateNode', node: key, message: `node "${key}" appears twice in the graph` }))
  // References come in runs naming one target (a post's comments, each through the post's own key
  // string): the last key looked up is kept, and a run hashes its key once.
  let lastKey: string | undefined
  let lastAt = -1
  const find = (key: string): number => (key === lastKey ? lastAt : (lastAt = index.find((lastKey = key))))
  const nodeOf = (key: string): ChangeNode | undefined => {
    const at = find(key)
    return at < 0 ? undefined : nodes[at]
  }
  const insertIndex = (key: string): number => {
    const at = find(key)
    return at >= 0 && nodes[at]!._tag === 'InsertRow' ? within[at]! : -1
  }
  const insertOf = (key: string): CheckedInsert | undefined => {
    const i = insertIndex(key)
    return i < 0 ? undefined : insertAt(inserts, i)
  }
  const updateIndex = (key: string): number => {
    const at = find(key)
    return at >= 0 && nodes[at]!._tag === 'UpdateRow' ? within[at]! : -1
  }
  const updateOf = (key: string): CheckedUpdate | undefined => {
    const i = updateIndex(key)
    return i < 0 ? undefined : updateAt(updates, i)
  }
  // Sized for every reference up front (grown one push at a time, three arrays of 8,000 made twice their size in garbage).
  const refs = columns?.refs ?? 0
  const sink: EdgeSink = { length: 0, from: new Array(refs), to: new Array(refs), column: new Array(refs) }
  for (let i = 0; i < inserts.length; i++)
    if ((inserts.flags[i]! & REFS) !== 0) checkRefs(inserts.nodes[i]!, inserts.values[i]!, nodeOf, inserts, insertIndex, problems, sink, i)
  // References to existing rows are not edges.
  sink.from.length = sink.to.length = sink.column.length = sink.length
  const edges: RefEdges = { from: sink.from, to: sink.to, column: sink.column, rowStart: sink.length === 0 ? NO_EDGES : rowStarts(sink.to, inserts.length) }
  for (let i = 0; i < updates.length; i++) if ((updates.flags[i]! & REFS) !== 0) checkRefs(updates.nodes[i]!, updates.sets[i]!, nodeOf, inserts, insertIndex, problems)
  return problems.length > 0 ? E.left(invalidGraph(problems)) : E.right({ inserts, updates, deletes, schema, edges, insertIndex, insertOf, updateIndex, updateOf, nodeOf })
}
