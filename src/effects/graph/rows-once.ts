/**
 * Each existing row changed by at most one node. Two updates of one row
 * would meet in one batched statement (`UPDATE … FROM (VALUES …)` with the
 * row twice), where which one wins is unspecified on every engine, and the
 * persisted graph would report both; an update and a delete of one row, or
 * two deletes of it, say two different things about the row's end state
 * (and a delete with a version would count the row twice). SQLAlchemy and
 * MikroORM cannot express this (one object per row, an identity map); a
 * graph can, so it is refused as invalid, naming both nodes.
 */
import type { AnyTable } from '../../algebra/schema/table.js'
import type { GraphProblem } from './errors.js'
import { isRef, nodeName, nodeWords, type Cells, type ChangeNode } from './graph.js'
import type { CheckedDelete, CheckedUpdates } from './validate.js'

/** A string the engines read as the integer it spells (`'12'`, not `'012'` or `'1.0'`). */
const INTEGER = /^-?(0|[1-9]\d{0,15})$/

/**
 * One part of a row's identity: numbers, bigints and integer strings alike
 * (a key loaded as 1 and given as 1n or '1' is the same row: the engines
 * convert a key to its column's type), dates by instant; undefined when the
 * part has no usable value (already a MissingColumn problem).
 */
const part = (v: unknown): string | number | undefined => {
  switch (typeof v) {
    case 'number':
      return v
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? Number(v) : `n${v}`
    case 'string':
      return INTEGER.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : `s${v}`
    case 'boolean':
      return `b${v}`
    case 'object':
      if (v === null || isRef(v)) return undefined
      if (v instanceof Date) return `d${v.getTime()}`
      if (v instanceof Uint8Array) return `x${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('')}`
      return `o${JSON.stringify(v)}`
    default:
      return undefined
  }
}

/** The identity of the row `row` names in `t` (its primary key), or undefined when a part is missing. */
const identity = (t: AnyTable, row: Cells): string | number | undefined => {
  const pk = t.primaryKey
  if (pk.length === 1) return part(row[pk[0]!])
  let id = ''
  for (let k = 0; k < pk.length; k++) {
    const p = part(row[pk[k]!])
    if (p === undefined) return undefined
    id += `${typeof p === 'number' ? `#${p}` : p}\u0000`
  }
  return id
}

/** The key columns of `row` as `a = 1, b = 'x'` (for messages). */
const showKey = (t: AnyTable, row: Cells): string =>
  t.primaryKey.map((c) => `${c} = ${typeof row[c] === 'string' ? JSON.stringify(row[c]) : String(row[c])}`).join(', ')

const verb = (n: ChangeNode): string => (n._tag === 'DeleteRow' ? 'deletes' : 'updates')

/**
 * Whether a bulk save's keys say without hashing that no row repeats: one
 * table (the `uniform` flag), a single-column key, numbers strictly
 * ascending (rows saved in the order they were loaded by key, the usual case).
 */
const ascending = (xs: CheckedUpdates): boolean => {
  if (!xs.uniform) return false
  const pk = xs.nodes[0]!.table.primaryKey
  if (pk.length !== 1) return false
  const c = pk[0]!
  let last = -Infinity
  for (let i = 0; i < xs.length; i++) {
    const v = xs.nodes[i]!.snapshot[c]
    if (typeof v !== 'number' || !(v > last)) return false
    last = v
  }
  return true
}

/** Push a problem for every existing row that more than one update or delete of the graph changes. */
export const checkRowsOnce = (updates: CheckedUpdates, deletes: readonly CheckedDelete[], problems: GraphProblem[]): void => {
  if (updates.length + deletes.length < 2 || (deletes.length === 0 && ascending(updates))) return
  const seen = new Map<AnyTable, Map<string | number, ChangeNode>>()
  const visit = (n: ChangeNode, t: AnyTable, row: Cells): void => {
    const id = identity(t, row)
    if (id === undefined) return
    let rows = seen.get(t)
    if (rows === undefined) seen.set(t, (rows = new Map()))
    const first = rows.get(id)
    if (first === undefined) {
      rows.set(id, n)
      return
    }
    problems.push({
      _tag: 'DuplicateRow',
      node: nodeName(n),
      other: nodeName(first),
      table: t.name,
      message: `${nodeWords(n)} ${verb(n)} the row of ${t.name} (${showKey(t, row)}) that ${nodeWords(first)} ${verb(first)}: a graph changes each row once`,
    })
  }
  for (let i = 0; i < updates.length; i++) {
    const n = updates.nodes[i]!
    visit(n, n.table, n.snapshot)
  }
  for (const d of deletes) visit(d.node, d.node.table, d.key)
}
