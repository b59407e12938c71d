/**
 * What checking a change graph reads of a table, computed once per table
 * (graphs hold thousands of rows of few tables): its columns with their
 * masks and quick tests, the shapes its rows come in, and the compiled
 * checks of those shapes (see `compiled-rows.ts`).
 */
import type { ColumnSpec } from '../../algebra/schema/column.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import { insertCheck, insertRun, updateCheck, updateRun, type CheckColumn, type InsertCheck, type InsertRun, type UpdateCheck, type UpdateRun } from './compiled-rows.js'
import { quickFit, type QuickFit } from './fits.js'
import type { Cells } from './graph.js'

/** The auto-increment column of a table, if it has one. */
const autoColumn = (t: AnyTable): string | undefined => Object.keys(t.columns).find((c) => t.columns[c]?.spec.autoIncrement === true)

/** A column as validation reads it: its spec, its bit in a row's column mask, whether a row must give it. */
export interface ColumnInfo {
  readonly spec: ColumnSpec
  /** The test most values pass without {@link misfit}. */
  readonly quick: QuickFit
  readonly bit: number
  readonly required: boolean
  /** Part of the primary key (an update cannot change it). */
  readonly key: boolean
}

/**
 * The columns of the last row checked, in its own property order. Rows of a
 * bulk insert come from one literal or one mapping function and share
 * their keys in order, so the next row's column at position j is found by
 * comparing one key with `===` (property names are interned strings) where
 * a map lookup costs some twenty times that — four or five per row were
 * the largest cost of checking a bulk insert.
 */
export interface Shape {
  readonly keys: readonly string[]
  readonly columns: readonly ColumnInfo[]
  /** The bits of all its columns, and how many of them are required: a row of the shape whose values all fit has these. */
  readonly mask: number
  readonly required: number
  /** Rows met while it was the table's last shape; compiled checks are made past {@link COMPILE_AFTER}. */
  hits: number
  /** The compiled checks (see `compiled-rows.ts`): undefined until made, null where none can be. */
  insert: InsertCheck | null | undefined
  update: UpdateCheck | null | undefined
  /** The compiled checks as loops over consecutive rows (see `compiled-rows.ts`): the update loop made with `update`, the insert loop on first use. */
  updateRun: UpdateRun | null | undefined
  insertRun: InsertRun | null | undefined
}

/** Rows of one shape before its check is compiled (compiling costs tens of microseconds; a small graph checks faster without). */
const COMPILE_AFTER = 32

/** Shapes kept per table and kind, so that rows alternating between a few shapes compile each once. */
const SHAPES_KEPT = 16

/** What validation reads of a table, computed once per table (graphs hold thousands of rows of few tables). */
export interface TableInfo {
  readonly columns: ReadonlyMap<string, ColumnInfo>
  readonly required: readonly string[]
  readonly defaults: readonly (readonly [string, unknown, number])[]
  readonly auto: string | undefined
  /** The auto-increment column's bit (0 without one, or for a wide table). */
  readonly autoBit: number
  /** More than 31 columns: no column mask. */
  readonly wide: boolean
  /** The last insert's and the last update's shapes (a cache: rows are checked the same with or without it). */
  shapes: { insert: Shape | undefined; update: Shape | undefined }
  /** Shapes met before, by their names joined (at most {@link SHAPES_KEPT} per kind). */
  readonly known: { readonly insert: Map<string, Shape>; readonly update: Map<string, Shape> }
}

const infos = new WeakMap<AnyTable, TableInfo>()

/**
 * The last few tables asked for and their infos, newest first: a graph's
 * rows come in runs of a few tables (a user, a post, its comments, the next
 * post …), and a WeakMap lookup per row adds up.
 */
const recentTables: (AnyTable | undefined)[] = [undefined, undefined, undefined, undefined]
const recentInfos: (TableInfo | undefined)[] = [undefined, undefined, undefined, undefined]

export const tableInfo = (t: AnyTable): TableInfo => {
  for (let i = 0; i < recentTables.length; i++) if (recentTables[i] === t) return recentInfos[i]!
  const info = lookupInfo(t)
  recentTables.pop()
  recentInfos.pop()
  recentTables.unshift(t)
  recentInfos.unshift(info)
  return info
}

const lookupInfo = (t: AnyTable): TableInfo => {
  let info = infos.get(t)
  if (info === undefined) {
    const entries = Object.entries(t.columns).map(([c, d]) => [c, d.spec] as const)
    const wide = entries.length > 31
    const isRequired = (s: ColumnSpec): boolean => !s.nullable && !s.autoIncrement && s.serverDefault === undefined && s.default === undefined
    const bit = (i: number): number => (wide ? 0 : 1 << i)
    const columns = new Map(entries.map(([c, spec], i) => [c, { spec, quick: quickFit(spec.type), bit: bit(i), required: isRequired(spec), key: t.primaryKey.includes(c) }]))
    const auto = autoColumn(t)
    info = {
      columns,
      required: entries.filter(([, s]) => isRequired(s)).map(([c]) => c),
      defaults: entries.flatMap(([c, s], i) => (s.default === undefined ? [] : [[c, s.default.value, bit(i)] as const])),
      auto,
      autoBit: auto === undefined ? 0 : (columns.get(auto)?.bit ?? 0),
      wide,
      shapes: { insert: undefined, update: undefined },
      known: { insert: new Map(), update: new Map() },
    }
    infos.set(t, info)
  }
  return info
}

/** Record a row's keys as its table's last shape (when every one is a column). */
export const remember = (info: TableInfo, kind: 'insert' | 'update', row: Cells): void => {
  const keys: string[] = []
  const columns: ColumnInfo[] = []
  let mask = 0
  let required = 0
  for (const k in row) {
    const col = info.columns.get(k)
    if (col === undefined) return
    keys.push(k)
    columns.push(col)
    mask |= col.bit
    if (col.required) required++
  }
  const name = keys.join('\u0000')
  const known = info.known[kind]
  let shape = known.get(name)
  if (shape === undefined) {
    shape = { keys, columns, mask, required, hits: 0, insert: undefined, update: undefined, updateRun: undefined, insertRun: undefined }
    if (known.size < SHAPES_KEPT) known.set(name, shape)
  }
  info.shapes[kind] = shape
}

const checkColumns = (shape: Shape): CheckColumn[] => shape.columns.map((c, j) => ({ name: shape.keys[j]!, quick: c.quick, nullable: c.spec.nullable }))

/** A new row of `shape` through its compiled check (see `compiled-rows.ts`): its number of references, or -1 for the general check. */
export const fastInsert = (shape: Shape, row: Cells): number => {
  let check = shape.insert
  if (check === undefined) {
    if (++shape.hits < COMPILE_AFTER) return -1
    check = shape.insert = insertCheck(checkColumns(shape)) ?? null
  }
  return check === null ? -1 : check(row)
}

/**
 * The compiled loop over new rows of `table`'s last insert shape, once its
 * check is compiled, where rows of the shape need nothing more than the
 * check (every required and every defaulted column among its columns):
 * `flags` and `refs` are validation's flags for every row and for a row with
 * a reference.
 */
export const insertRunOf = (info: TableInfo, generatedFlag: number, refsFlag: number): InsertRun | undefined => {
  const shape = info.shapes.insert
  if (shape === undefined || shape.insert == null) return undefined
  if (shape.insertRun === undefined) {
    const complete = shape.required === info.required.length && info.defaults.every((d) => shape.keys.includes(d[0]))
    const generated = info.auto !== undefined && !shape.keys.includes(info.auto)
    shape.insertRun = complete ? (insertRun(checkColumns(shape), shape.mask, generated ? generatedFlag : 0, refsFlag) ?? null) : null
  }
  return shape.insertRun ?? undefined
}

/** The compiled loop over updates of `table`'s last update shape, once its check is compiled (made with it). */
export const updateRunOf = (info: TableInfo): UpdateRun | undefined => info.shapes.update?.updateRun ?? undefined

/** An update of `shape` through its compiled check: 0 when every change is written as given, else -1 for the general check. */
export const fastUpdate = (shape: Shape, t: AnyTable, changes: Cells, snapshot: Cells): number => {
  let check = shape.update
  if (check === undefined) {
    if (++shape.hits < COMPILE_AFTER) return -1
    // Keys cannot be changed: a shape that sets one is for the general check to report.
    const key = t.primaryKey.length === 1 ? t.primaryKey[0] : undefined
    const keyed = key !== undefined && !shape.columns.some((c) => c.key)
    check = shape.update = keyed ? (updateCheck(checkColumns(shape), key) ?? null) : null
    shape.updateRun = keyed && check !== null ? (updateRun(checkColumns(shape), key, shape.mask) ?? null) : null
  }
  return check === null ? -1 : check(changes, snapshot)
}
