/**
 * Association rows of many-to-many relationships: their cells (the
 * parent's key in the link table's `local` columns, the child's in its
 * `remote` ones) and a readable name that identifies a row, so a link
 * reached from both sides of a graph is inserted or deleted once.
 */
import { deleteRow, type Cells } from '../graph/graph.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import type { AnyEntity } from '../../mapping/entity.js'
import { showValue } from '../../mapping/errors.js'
import type { AnyRelationship } from '../../mapping/relationship.js'
import type { Ctx } from './collect.js'
import { fieldsOf } from './shape.js'
import { rowOf } from './snapshot.js'

const columnOf = (e: AnyEntity, prop: string): string => fieldsOf(e).get(prop)?.column ?? prop

/**
 * A name for a cell value in a node name (references shown as `@node.column`).
 *
 * @example
 * showCell(G.ref('u', 'id')) // '@u.id'
 */
export const showCell = (x: unknown): string => (typeof x === 'object' && x !== null && (x as { _tag?: unknown })._tag === 'Ref' ? `@${(x as { node: string }).node}.${String((x as { column?: string }).column)}` : showValue(x))

/**
 * The cells of an association row.
 *
 * @example
 * linkCells(playlistTracks, [1], [5]) // { PlaylistId: 1, TrackId: 5 }
 */
export const linkCells = (rel: AnyRelationship, parent: readonly unknown[], child: readonly unknown[]): Record<string, unknown> => {
  const t = rel.through!
  const cells: Record<string, unknown> = {}
  t.local.forEach((c, i) => (cells[c] = parent[i]))
  t.remote.forEach((c, i) => (cells[c] = child[i]))
  return cells
}

/**
 * The name of an association row: its table and cells.
 *
 * @example
 * linkName(PlaylistTrack, { PlaylistId: 1, TrackId: 5 }) // 'PlaylistTrack(PlaylistId=1, TrackId=5)'
 */
export const linkName = (table: AnyTable, cells: Readonly<Record<string, unknown>>): string =>
  `${table.name}(${Object.entries(cells)
    .map(([c, x]) => `${c}=${showCell(x)}`)
    .join(', ')})`

/**
 * Delete the association row between a persisted parent (its row) and a persisted child (its key).
 *
 * @example
 * unlink(ctx, playlistTracks, playlistRow, trackKey) // a DeleteRow of the PlaylistTrack row
 */
export const unlink = (ctx: Ctx, rel: AnyRelationship, parentRow: Cells, childKey: unknown): void => {
  const t = rel.through!
  const childRow = rowOf(ctx.snapshot, rel.child, childKey) ?? {}
  const cells = linkCells(rel, rel.local.map((p) => parentRow[columnOf(rel.parent, p)]), rel.remote.map((p) => childRow[columnOf(rel.child, p)]))
  const name = `unlink ${linkName(t.table, cells)}`
  if (!ctx.extra.has(name)) ctx.extra.set(name, deleteRow(name, t.table, cells as never))
}

