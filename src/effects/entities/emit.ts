/**
 * The second pass of a save: decide each orphan's fate, then turn the
 * visits into change-graph nodes — an insert per new object (its foreign
 * keys set by its relationships), an update per persisted object whose
 * columns differ from the snapshot (only those columns; version-checked
 * when the entity has a version), then association rows, unlinked
 * children and cascaded deletes. Planning, ordering and batching are the
 * change graph's.
 */
import { sameValue } from '../graph/fits.js'
import { insertRow, isRef, updateRow, type ChangeNode } from '../graph/graph.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import type { Ctx, Orphan, Visit } from './collect.js'
import { deleteCascade, movedAway, unlinkChild, versionOf } from './deletes.js'
import { columnsOf, showKey } from './shape.js'
import { rowOf } from './snapshot.js'

const settle = (ctx: Ctx, o: Orphan): void => {
  const child = o.rel.child
  const row = rowOf(ctx.snapshot, child, o.childKey)
  if (row === undefined) return
  if (movedAway(ctx, o.rel, o.childKey)) return
  const prop = o.path.slice(o.path.lastIndexOf('.') + 1)
  if (o.rel.cascade.includes('delete-orphan')) deleteCascade(ctx, child, o.childKey, o.nodes, `${o.path}(${showKey(child, row)})`)
  else unlinkChild(ctx, o.rel, o.childKey, o.path, prop)
}

/** NOT NULL foreign-key columns of `table` that `cells` leaves without a value (all of them for a new row, the ones set to NULL for an update). */
const missingRelations = (ctx: Ctx, v: Visit, table: AnyTable, cells: Readonly<Record<string, unknown>>, isNew: boolean): void => {
  for (const fk of table.foreignKeys) {
    const missing = fk.columns.filter((c) => {
      const spec = table.columns[c]?.spec
      if (spec === undefined || spec.nullable || spec.default !== undefined || spec.serverDefault !== undefined) return false
      const x = cells[c]
      return x === null || (isNew && x === undefined)
    })
    if (missing.length > 0)
      ctx.problems.push({
        _tag: 'MissingRelation',
        path: v.node,
        entity: v.entity.name,
        properties: missing,
        references: fk.references().name,
        message: `${v.node}: ${v.entity.name}.${missing.join(', ')} must refer to a ${fk.references().name}, but neither a related object nor a key is given`,
      })
  }
}

const nodeOf = (ctx: Ctx, v: Visit): ChangeNode | undefined => {
  const table = v.table
  if (table === undefined || v.deleted || v.status === 'reference') return undefined
  const cells = columnsOf(v.entity, v.obj)
  for (const [c, x] of v.set) cells[c] = x
  const version = versionOf(v.entity)
  if (v.status === 'new') {
    if (version !== undefined && cells[version] === undefined) cells[version] = 1
    missingRelations(ctx, v, table, cells, true)
    return insertRow(v.node, table, cells as never)
  }
  const before = v.before!
  const changes: Record<string, unknown> = {}
  let any = false
  for (const c in cells) {
    const x = cells[c]
    if (isRef(x) || !sameValue(x, before[c])) {
      changes[c] = x
      any = true
    }
  }
  if (!any) return undefined
  missingRelations(ctx, v, table, changes, false)
  return updateRow(v.node, table, before as never, changes as never, version === undefined ? {} : { version: version as never })
}

/**
 * The change nodes of a walked graph: orphans settled, then visits, association rows, and the rest.
 *
 * @example
 * const nodes = emit(ctx); const graph = G.fromNodes(nodes)
 */
export const emit = (ctx: Ctx): readonly ChangeNode[] => {
  for (const o of ctx.orphans) settle(ctx, o)
  const nodes: ChangeNode[] = []
  for (const v of ctx.visits) {
    const n = nodeOf(ctx, v)
    if (n !== undefined) nodes.push(n)
  }
  return [...nodes, ...ctx.links.values(), ...ctx.extra.values()]
}
