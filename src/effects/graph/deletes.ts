/**
 * Deletes: rows of the graph by key lists, children before parents, and —
 * where the user asked quarry to cascade — the rows that reference them
 * first. quarry never invents a cascade: a foreign key with ON DELETE
 * CASCADE / SET NULL / SET DEFAULT is left to the database; only a key
 * without such an action makes quarry delete the referencing rows (and,
 * below a database cascade, the rows that would block it).
 *
 * When deletes run: before the inserts where nothing in the graph has to
 * happen first, so that a unique value (or a primary key) can move from a
 * deleted row to a new one in one graph; after the updates when an update
 * may move rows off a deleted row first (it changes the deleted row's
 * table, or a table that references it), and then also the tables those
 * rows reference. Within a table, rows that reference each other through a
 * self-referencing foreign key go children first, one statement per level
 * (the MySQL family checks a foreign key row by row, so one DELETE of a
 * parent and its child fails there when the parent comes first).
 */
import type { MetaData } from '../../algebra/schema/metadata.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import type { Dialect } from '../../interpret/index.js'
import type { GraphProblem } from './errors.js'
import type { UpdateRow } from './graph.js'
import { builder, keyIn, type Built, type Slot } from './sql.js'
import type { CheckedDelete } from './validate.js'

type B = ReturnType<typeof builder>

/** A delete statement on behalf of a cascade. */
export interface CascadeDelete extends Built {
  readonly table: string
  /** The FK path from the deleted table, e.g. `users <- posts <- comments`. */
  readonly path: string
}

const cols = (b: B, t: AnyTable, cs: readonly string[]): string => {
  const list = cs.map((c) => `${b.q(t.name)}.${b.q(c)}`)
  return list.length === 1 ? list[0]! : `(${list.join(', ')})`
}

/**
 * The deletes that must run before deleting rows of `table` chosen by
 * `keys`, deepest first; a self-referencing or cyclic FK path is a problem
 * (it would need a recursive delete, which quarry does not plan).
 */
export const cascadeDeletes = (d: Dialect, md: MetaData, table: AnyTable, keys: readonly (readonly Slot[])[], problems: GraphProblem[]): readonly CascadeDelete[] => {
  const out: CascadeDelete[] = []
  const walk = (parent: AnyTable, pred: (b: B) => string, path: readonly string[]): void => {
    for (const child of md.tables.values())
      for (const fk of child.foreignKeys) {
        if (fk.references().name !== parent.name) continue
        if (fk.onDelete === 'set null' || fk.onDelete === 'set default') continue
        if (child.name === parent.name || path.includes(child.name)) {
          problems.push({ _tag: 'CascadeCycle', table: child.name, message: `cascading a delete of ${table.name} reaches ${child.name} again (${[...path, child.name].join(' <- ')}); delete those rows explicitly` })
          continue
        }
        const childPred = (b: B): string =>
          `${cols(b, child, fk.columns)} IN (SELECT ${fk.referencedColumns.map((c) => `${b.q(parent.name)}.${b.q(c)}`).join(', ')} FROM ${b.q(parent.name)} WHERE ${pred(b)})`
        walk(child, childPred, [...path, child.name])
        if (fk.onDelete !== 'cascade') {
          const b = builder(d)
          const sql = `DELETE FROM ${b.q(child.name)} WHERE ${childPred(b)}`
          out.push({ sql, params: b.params, table: child.name, path: [...path, child.name].join(' <- ') })
        }
      }
  }
  walk(table, (b) => keyIn(b, d, `${b.q(table.name)}.`, table.primaryKey, keys), [table.name])
  return out
}

/** DELETE of the rows with the given keys (and versions, when the key list includes the version column). */
export const deleteSql = (d: Dialect, t: AnyTable, keyColumns: readonly string[], keys: readonly (readonly Slot[])[]): Built => {
  const b = builder(d)
  return { sql: `DELETE FROM ${b.q(t.name)} WHERE ${keyIn(b, d, '', keyColumns, keys)}`, params: b.params }
}

/**
 * Tables ordered children first: a table comes before the tables its
 * foreign keys reference (self references ignored; a cycle between tables
 * keeps graph order for the rest).
 */
export const childrenFirst = (tables: readonly AnyTable[]): readonly AnyTable[] => {
  const left = [...tables]
  const out: AnyTable[] = []
  while (left.length > 0) {
    const referenced = new Set(left.flatMap((t) => t.foreignKeys.map((f) => f.references().name).filter((n) => n !== t.name)))
    const i = left.findIndex((t) => !referenced.has(t.name))
    out.push(...left.splice(i < 0 ? 0 : i, 1))
  }
  return out
}

/**
 * Tables whose deletes wait for the updates (see the file comment): the
 * tables updated and those they reference, then, among the tables with
 * deletes, every table a waiting one references (parents go after their
 * children).
 *
 * @example
 * const late = lateTables(checked.updates.nodes, checked.deletes)
 * const early = checked.deletes.filter((x) => !late.has(x.node.table.name))
 */
export const lateTables = (updates: readonly UpdateRow[], deletes: readonly CheckedDelete[]): ReadonlySet<string> => {
  const late = new Set<string>()
  if (deletes.length === 0) return late
  for (const u of updates) {
    const t = u.table
    late.add(t.name)
    for (const fk of t.foreignKeys) late.add(fk.references().name)
  }
  if (late.size === 0) return late
  const deleted = [...new Map(deletes.map((x) => [x.node.table.name, x.node.table])).values()]
  for (let grew = true; grew; ) {
    grew = false
    for (const t of deleted)
      if (late.has(t.name))
        for (const fk of t.foreignKeys) {
          const parent = fk.references().name
          if (late.has(parent)) continue
          late.add(parent)
          grew = true
        }
  }
  return late
}

const cellKey = (cells: readonly unknown[]): string | undefined => {
  let out = ''
  for (const v of cells) {
    if (v === undefined || v === null) return undefined
    out += `${String(v)}\u0000`
  }
  return out
}

/**
 * The deletes of one table in levels, children first: a row comes before
 * the rows of the same table it references through a self-referencing
 * foreign key, as far as the deleted rows carry the key's columns (give
 * the loaded row, not just the key). Rows in a reference cycle share the
 * last level.
 *
 * @example
 * rowLevels(tree, [root, child, grandchild]).map((l) => l.map((x) => x.node.key)) // [['grandchild'], ['child'], ['root']]
 */
export const rowLevels = (t: AnyTable, rows: readonly CheckedDelete[]): readonly (readonly CheckedDelete[])[] => {
  const selfKeys = t.foreignKeys.filter((fk) => fk.references().name === t.name)
  if (selfKeys.length === 0 || rows.length < 2) return [rows]
  const cell = (x: CheckedDelete, c: string): unknown => (x.key[c] !== undefined ? x.key[c] : x.node.row[c])
  const parents: number[][] = rows.map(() => [])
  const children = new Int32Array(rows.length)
  for (const fk of selfKeys) {
    const byReferenced = new Map<string, number>()
    rows.forEach((x, i) => {
      const k = cellKey(fk.referencedColumns.map((c) => cell(x, c)))
      if (k !== undefined) byReferenced.set(k, i)
    })
    rows.forEach((x, i) => {
      const k = cellKey(fk.columns.map((c) => x.node.row[c]))
      const parent = k === undefined ? undefined : byReferenced.get(k)
      if (parent === undefined || parent === i) return
      parents[i]!.push(parent)
      children[parent]!++
    })
  }
  const levels: CheckedDelete[][] = []
  const placed = new Uint8Array(rows.length)
  let left = rows.length
  while (left > 0) {
    let level = rows.flatMap((_, i) => (placed[i] === 0 && children[i] === 0 ? [i] : []))
    // A cycle: what is left goes together (an engine that checks per statement may still accept it).
    if (level.length === 0) level = rows.flatMap((_, i) => (placed[i] === 0 ? [i] : []))
    for (const i of level) {
      placed[i] = 1
      left--
      for (const p of parents[i]!) children[p]!--
    }
    levels.push(level.map((i) => rows[i]!))
  }
  return levels
}
