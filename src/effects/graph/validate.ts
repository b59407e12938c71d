/**
 * Checking and normalising a change graph before it is planned: every
 * column known, every value fitting its column, required columns present,
 * references pointing at nodes of the graph whose key will be known. The
 * result is the graph's rows in the form planning wants (client defaults
 * filled in, update diffs computed), or the list of problems.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ColumnSpec } from '../../algebra/schema/column.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import { invalidGraph, type GraphProblem, type InvalidGraph } from './errors.js'
import { misfit, sameValue } from './fits.js'
import { foldNode, isRef, type Cells, type ChangeGraph, type ChangeNode, type DeleteRow, type InsertRow, type Ref, type SchemaChange, type UpdateRow } from './graph.js'

/** An insert with client defaults filled in; `generated` is the column the database generates, if the row leaves it out. */
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

/** An update reduced to the columns that differ (possibly none). */
export interface CheckedUpdate {
  readonly node: UpdateRow
  readonly key: Cells
  readonly set: Cells
  /** The columns set, one bit per column in table order (0 for tables of more than 31 columns). */
  readonly mask: number
  /** Whether a value set is a {@link Ref}. */
  readonly refs: boolean
}

/** A delete with its primary key. */
export interface CheckedDelete {
  readonly node: DeleteRow
  readonly key: Cells
}

/** A checked graph, nodes by kind in graph order. */
export interface CheckedGraph {
  readonly inserts: readonly CheckedInsert[]
  readonly updates: readonly CheckedUpdate[]
  readonly deletes: readonly CheckedDelete[]
  /** DDL statements, in graph order (checked against the dialect when planned). */
  readonly schema: readonly SchemaChange[]
  readonly insertByKey: ReadonlyMap<string, CheckedInsert>
  /** The node named `key` (one map for the many inserts, one for the rest: a large graph is mostly inserts). */
  readonly nodeOf: (key: string) => ChangeNode | undefined
}

/** The column a reference reads on `table` (its single-column primary key unless named). */
export const refColumn = (table: AnyTable, r: Ref): string | undefined => r.column ?? (table.primaryKey.length === 1 ? table.primaryKey[0] : undefined)

/** The auto-increment column of a table, if it has one. */
export const autoColumn = (t: AnyTable): string | undefined => Object.keys(t.columns).find((c) => t.columns[c]?.spec.autoIncrement === true)

/** A column as validation reads it: its spec, its bit in a row's column mask, whether a row must give it. */
interface ColumnInfo {
  readonly spec: ColumnSpec
  readonly bit: number
  readonly required: boolean
  /** Part of the primary key (an update cannot change it). */
  readonly key: boolean
}

/** What validation reads of a table, computed once per table (graphs hold thousands of rows of few tables). */
interface TableInfo {
  readonly columns: ReadonlyMap<string, ColumnInfo>
  readonly required: readonly string[]
  readonly defaults: readonly (readonly [string, unknown, number])[]
  readonly auto: string | undefined
  /** More than 31 columns: no column mask. */
  readonly wide: boolean
}

const infos = new WeakMap<AnyTable, TableInfo>()

const tableInfo = (t: AnyTable): TableInfo => {
  let info = infos.get(t)
  if (info === undefined) {
    const entries = Object.entries(t.columns).map(([c, d]) => [c, d.spec] as const)
    const wide = entries.length > 31
    const isRequired = (s: ColumnSpec): boolean => !s.nullable && !s.autoIncrement && s.serverDefault === undefined && s.default === undefined
    const bit = (i: number): number => (wide ? 0 : 1 << i)
    info = {
      columns: new Map(entries.map(([c, spec], i) => [c, { spec, bit: bit(i), required: isRequired(spec), key: t.primaryKey.includes(c) }])),
      required: entries.filter(([, s]) => isRequired(s)).map(([c]) => c),
      defaults: entries.flatMap(([c, s], i) => (s.default === undefined ? [] : [[c, s.default.value, bit(i)] as const])),
      auto: autoColumn(t),
      wide,
    }
    infos.set(t, info)
  }
  return info
}

const primaryKey = (n: ChangeNode, row: Cells, problems: GraphProblem[]): Cells => {
  const key: Record<string, unknown> = {}
  if (n.table.primaryKey.length === 0)
    problems.push({ _tag: 'MissingColumn', node: n.key, table: n.table.name, column: '(primary key)', message: `node "${n.key}": table ${n.table.name} has no primary key to find the row by` })
  for (const c of n.table.primaryKey) {
    const v = row[c]
    if (v === undefined || v === null || isRef(v))
      problems.push({ _tag: 'MissingColumn', node: n.key, table: n.table.name, column: c, message: `node "${n.key}": the primary key column ${n.table.name}.${c} has no value` })
    else key[c] = v
  }
  // Not frozen: one per updated or deleted row (see `own` in graph.ts); readonly by type.
  return key
}

/** Check a new row in one pass over its values: columns known, values fitting, required ones present. */
const checkInsert = (n: InsertRow, index: number, problems: GraphProblem[]): CheckedInsert => {
  const info = tableInfo(n.table)
  let refs = false
  let mask = 0
  let required = 0
  for (const column in n.values) {
    const col = info.columns.get(column)
    if (col === undefined) {
      problems.push({ _tag: 'UnknownColumn', node: n.key, table: n.table.name, column, message: `node "${n.key}": table ${n.table.name} has no column "${column}"` })
      continue
    }
    const v = n.values[column]
    if (v === undefined) continue
    mask |= col.bit
    if (col.required) required++
    if (isRef(v)) {
      refs = true
      continue
    }
    const why = misfit(col.spec, v)
    if (why !== undefined)
      problems.push({ _tag: 'ValueDoesNotFit', node: n.key, table: n.table.name, column, message: `node "${n.key}": ${n.table.name}.${column} ${why}` })
  }
  let values = n.values
  for (const [c, v, bit] of info.defaults)
    if (values[c] === undefined) {
      if (values === n.values) values = { ...n.values }
      ;(values as Record<string, unknown>)[c] = v
      mask |= bit
    }
  if (required < info.required.length)
    for (const c of info.required)
      if (values[c] === undefined)
        problems.push({ _tag: 'MissingColumn', node: n.key, table: n.table.name, column: c, message: `node "${n.key}": ${n.table.name}.${c} is required (NOT NULL, no default) but has no value` })
  const auto = info.auto
  const autoBit = auto === undefined ? 0 : (info.columns.get(auto)?.bit ?? 0)
  const generated = auto === undefined ? undefined : (autoBit !== 0 ? (mask & autoBit) === 0 : values[auto] === undefined) ? auto : undefined
  return { node: n, values, generated, refs, mask, index }
}

/**
 * Check an update in one pass over its changes: columns known, the diff
 * against the snapshot, changed values fitting. When every change is
 * written (the usual case) the node's own `changes` is the set: no copy.
 */
const checkUpdate = (n: UpdateRow, problems: GraphProblem[]): CheckedUpdate => {
  const key = primaryKey(n, n.snapshot, problems)
  const columns = tableInfo(n.table).columns
  const changes = n.changes
  // Undefined while every change so far is written; the first one skipped makes a copy of those before it.
  let set: Record<string, unknown> | undefined
  const skip = (c: string): void => {
    if (set !== undefined) return
    set = {}
    for (const d in changes) {
      if (d === c) break
      set[d] = changes[d]
    }
  }
  let mask = 0
  let refs = false
  for (const c in changes) {
    const col = columns.get(c)
    if (col === undefined) {
      problems.push({ _tag: 'UnknownColumn', node: n.key, table: n.table.name, column: c, message: `node "${n.key}": table ${n.table.name} has no column "${c}"` })
      skip(c)
      continue
    }
    const v = changes[c]
    if (v === undefined) {
      skip(c)
      continue
    }
    const ref = isRef(v)
    if (!ref) {
      // An unchanged value is not written, so only a changed one must fit.
      if (sameValue(v, n.snapshot[c])) {
        skip(c)
        continue
      }
      const why = misfit(col.spec, v)
      if (why !== undefined) {
        problems.push({ _tag: 'ValueDoesNotFit', node: n.key, table: n.table.name, column: c, message: `node "${n.key}": ${n.table.name}.${c} ${why}` })
        skip(c)
        continue
      }
    }
    if (col.key || c === n.version) {
      problems.push({ _tag: 'ValueDoesNotFit', node: n.key, table: n.table.name, column: c, message: `node "${n.key}": ${n.table.name}.${c} is the ${c === n.version ? 'version column (quarry increments it)' : 'primary key (delete and insert instead)'} and cannot be changed by an update` })
      skip(c)
      continue
    }
    if (set !== undefined) set[c] = v
    mask |= col.bit
    refs ||= ref
  }
  if (n.version !== undefined) checkVersion(n, n.snapshot, n.version, problems)
  return { node: n, key, set: set ?? changes, mask, refs }
}

const checkVersion = (n: ChangeNode, row: Cells, version: string, problems: GraphProblem[]): void => {
  const v = row[version]
  if (!(version in n.table.columns))
    problems.push({ _tag: 'UnknownColumn', node: n.key, table: n.table.name, column: version, message: `node "${n.key}": table ${n.table.name} has no version column "${version}"` })
  else if (typeof v !== 'number' || !Number.isInteger(v))
    problems.push({ _tag: 'MissingColumn', node: n.key, table: n.table.name, column: version, message: `node "${n.key}": the snapshot's version ${n.table.name}.${version} must be an integer, not ${String(v)}` })
}

const checkDelete = (n: DeleteRow, problems: GraphProblem[]): CheckedDelete => {
  const key = primaryKey(n, n.row, problems)
  if (n.version !== undefined) checkVersion(n, n.row, n.version, problems)
  return { node: n, key }
}

const checkRefs = (n: InsertRow | UpdateRow, cells: Cells, nodeOf: (key: string) => ChangeNode | undefined, inserts: ReadonlyMap<string, CheckedInsert>, problems: GraphProblem[]): void => {
  for (const column in cells) {
    const v = cells[column]
    if (!isRef(v)) continue
    const target = nodeOf(v.node)
    if (target === undefined || target._tag === 'DeleteRow' || target._tag === 'SchemaChange') {
      const what = target === undefined ? 'not in the graph' : target._tag === 'DeleteRow' ? 'a deleted row' : 'a schema change, not a row'
      problems.push({ _tag: 'UnknownNode', node: n.key, column, target: v.node, message: `node "${n.key}": ${n.table.name}.${column} refers to node "${v.node}", which is ${what}` })
      continue
    }
    const col = refColumn(target.table, v)
    const known =
      col !== undefined &&
      (target._tag === 'UpdateRow' ? target.snapshot[col] !== undefined : inserts.get(target.key)?.values[col] !== undefined || inserts.get(target.key)?.generated === col)
    if (!known)
      problems.push({ _tag: 'KeyNotAvailable', node: n.key, column, target: v.node, message: `node "${n.key}": ${n.table.name}.${column} refers to ${target.table.name}.${col ?? '(no single-column key)'} of node "${v.node}", whose value is neither given nor generated by the database` })
  }
}

/** Check a graph; the checked form, or InvalidGraph with every problem found. */
export const validate = (g: ChangeGraph): E.Either<InvalidGraph, CheckedGraph> => {
  const problems: GraphProblem[] = []
  const insertByKey = new Map<string, CheckedInsert>()
  const others = new Map<string, ChangeNode>()
  const duplicate = (key: string): boolean => {
    const dup = insertByKey.has(key) || others.has(key)
    if (dup) problems.push({ _tag: 'DuplicateNode', node: key, message: `node "${key}" appears twice in the graph` })
    return dup
  }
  /**
   * Record a row node's key in `mine` with one hash operation, not two (a
   * repeated key overwrites, and the graph is rejected then anyway); a
   * problem when the key was there already or is in `theirs`.
   */
  const claim = <V>(mine: Map<string, V>, theirs: ReadonlyMap<string, unknown>, key: string, v: V): void => {
    const size = mine.size
    mine.set(key, v)
    if (mine.size === size || (theirs.size > 0 && theirs.has(key))) problems.push({ _tag: 'DuplicateNode', node: key, message: `node "${key}" appears twice in the graph` })
  }
  const inserts: CheckedInsert[] = []
  const updates: CheckedUpdate[] = []
  const deletes: CheckedDelete[] = []
  const schema: SchemaChange[] = []
  const check = foldNode<void>({
    InsertRow: (x) => {
      const c = checkInsert(x, inserts.length, problems)
      inserts.push(c)
      claim(insertByKey, others, x.key, c)
    },
    UpdateRow: (x) => {
      updates.push(checkUpdate(x, problems))
      claim(others, insertByKey, x.key, x)
    },
    DeleteRow: (x) => {
      deletes.push(checkDelete(x, problems))
      if (!duplicate(x.key)) others.set(x.key, x)
    },
    SchemaChange: (x) => {
      schema.push(x)
      if (!duplicate(x.key)) others.set(x.key, x)
    },
  })
  for (const n of g.nodes) check(n)
  const nodeOf = (key: string): ChangeNode | undefined => insertByKey.get(key)?.node ?? others.get(key)
  for (const i of inserts) if (i.refs) checkRefs(i.node, i.values, nodeOf, insertByKey, problems)
  for (const u of updates) if (u.refs) checkRefs(u.node, u.set, nodeOf, insertByKey, problems)
  return problems.length > 0 ? E.left(invalidGraph(problems)) : E.right({ inserts, updates, deletes, schema, insertByKey, nodeOf })
}
