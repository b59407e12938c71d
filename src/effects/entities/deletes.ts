/**
 * Deleting persisted objects with the cascades their relationships state,
 * from the snapshot (what was loaded says which children and links exist):
 * children along a `delete` cascade are deleted (depth first, along the
 * shape), other children get a NULL foreign key — unless the database's own
 * ON DELETE CASCADE / SET NULL does it — and association rows are deleted.
 * The change graph orders the statements (updates, then deletes children
 * first); this module only says which rows.
 */
import { sameValue } from '../graph/fits.js'
import { deleteRow, isRef, updateRow } from '../graph/graph.js'
import type { Cells } from '../graph/graph.js'
import type { AnyEntity } from '../../mapping/entity.js'
import type { IncludeNode } from '../../mapping/include.js'
import type { AnyRelationship } from '../../mapping/relationship.js'
import type { Ctx } from './collect.js'
import { unlink } from './links.js'
import { columnsOf, databaseCascades, fieldsOf, notNull, showKey, sideOf, tableOf } from './shape.js'
import { rowOf } from './snapshot.js'

const col = (e: AnyEntity, p: string): string => fieldsOf(e).get(p)?.column ?? p

/**
 * The version column of an entity, as a column name.
 *
 * @example
 * versionOf(M.entity(users, { version: 'version' })) // 'version'
 */
export const versionOf = (e: AnyEntity): string | undefined => (e.version === undefined ? undefined : col(e, e.version))

/** How `ctx.deleted` names a deleted object. */
const deletedId = (entity: AnyEntity, key: unknown): string => `${entity.name}\u0000${String(key)}`

/**
 * Whether persisted child `childKey` of `rel` is in the new graph pointing
 * elsewhere through `rel`'s columns: moved to another parent, so neither an
 * orphan of its old parent nor part of that parent's delete.
 */
export const movedAway = (ctx: Ctx, rel: AnyRelationship, childKey: unknown): boolean => {
  const v = ctx.byKey.get(rel.child)?.get(childKey)
  if (v === undefined) return false
  return rel.remote.some((p) => {
    const c = col(rel.child, p)
    const now = v.set.get(c) ?? columnsOf(v.entity, v.obj)[c]
    return now !== undefined && (isRef(now) || !sameValue(now, v.before?.[c]))
  })
}

/** The persisted child a parent-side foreign key points at, by scanning the snapshot's rows of the child entity. */
const referenced = (ctx: Ctx, rel: AnyRelationship, row: Cells): unknown => {
  const want = rel.local.map((p) => row[col(rel.parent, p)])
  if (want.some((x) => x === null || x === undefined)) return undefined
  for (const [k, r] of ctx.snapshot.rows.get(rel.child) ?? [])
    if (rel.remote.every((p, i) => String(r[col(rel.child, p)]) === String(want[i]))) return k
  return undefined
}

/**
 * Set a persisted child's foreign key to NULL (it was removed from its
 * parent's collection, or its parent is deleted); a NOT NULL key is an
 * OrphanNotNull problem.
 *
 * @example
 * unlinkChild(ctx, albumTracks, trackKey, 'Artist[0].albums[0].tracks', 'tracks') // Track.AlbumId := NULL
 */
export const unlinkChild = (ctx: Ctx, rel: AnyRelationship, childKey: unknown, path: string, prop: string): void => {
  const child = rel.child
  const row = rowOf(ctx.snapshot, child, childKey)
  const table = tableOf(child)
  // A child deleted in the same save is not unlinked first (a graph changes each row once).
  if (row === undefined || table === undefined || ctx.deleted.has(deletedId(child, childKey))) return
  const required = notNull(child, rel.remote)
  if (required.length > 0) {
    ctx.problems.push({
      _tag: 'OrphanNotNull',
      path,
      entity: child.name,
      relationship: prop,
      properties: required,
      message: `${path}: ${showKey(child, row)} would lose its parent, but ${required.map((p) => `${child.name}.${p}`).join(', ')} is NOT NULL; add 'delete-orphan' (and 'delete') to the relationship's cascade, or move it to another parent`,
    })
    return
  }
  const visit = ctx.byKey.get(child)?.get(childKey)
  if (visit !== undefined && visit.status !== 'reference') {
    for (const p of rel.remote) visit.set.set(col(child, p), null)
    return
  }
  const changes = Object.fromEntries(rel.remote.map((p) => [col(child, p), null]))
  const name = `unlink ${showKey(child, row)}`
  ctx.extra.set(name, updateRow(name, table, row as never, changes as never, versionOf(child) === undefined ? {} : { version: versionOf(child) as never }))
}

/**
 * Delete a persisted object (by key) and cascade along the relationships
 * of `nodes`. `path` names it in problems.
 *
 * @example
 * deleteCascade(ctx, ArtistE, 1, shape.nodes, 'Artist[0]') // the artist, its albums along 'delete', ...
 */
export const deleteCascade = (ctx: Ctx, entity: AnyEntity, key: unknown, nodes: readonly IncludeNode[], path: string): void => {
  const id = deletedId(entity, key)
  if (ctx.deleted.has(id)) return
  ctx.deleted.add(id)
  const table = tableOf(entity)
  if (table === undefined) {
    ctx.problems.push({ _tag: 'ReadOnlyEntity', path, entity: entity.name, message: `${path}: ${entity.name} is mapped to a select or join and cannot be deleted` })
    return
  }
  const row = rowOf(ctx.snapshot, entity, key)
  if (row === undefined) {
    ctx.problems.push({ _tag: 'NotLoaded', path, entity: entity.name, relationship: '(itself)', message: `${path}: this ${entity.name} is not in the snapshot; only loaded objects can be deleted` })
    return
  }
  const visit = ctx.byKey.get(entity)?.get(key)
  if (visit !== undefined) visit.deleted = true
  for (const n of nodes) {
    const rel = n.rel
    const at = `${path}.${n.prop}`
    const side = sideOf(rel)
    if (side === 'parent') {
      const k = rel.cascade.includes('delete') ? referenced(ctx, rel, row) : undefined
      if (k !== undefined) deleteCascade(ctx, rel.child, k, n.children, at)
      continue
    }
    const childTable = side === 'through' ? rel.through!.table : tableOf(rel.child)
    const fk = side === 'through' ? rel.through!.local : rel.remote.map((p) => col(rel.child, p))
    const byDatabase = childTable !== undefined && databaseCascades(childTable, fk, table)
    const kids = ctx.snapshot.members.get(rel)?.get(key)
    if (kids === undefined) {
      if (!byDatabase)
        ctx.problems.push({
          _tag: 'NotLoaded',
          path: at,
          entity: entity.name,
          relationship: n.prop,
          message: `${at}: deleting ${showKey(entity, row)} must ${side === 'through' ? 'delete its links' : rel.cascade.includes('delete') ? 'delete' : 'unlink'} its ${n.prop}, which were not loaded; load them first`,
        })
      continue
    }
    for (const k of kids) {
      if (side === 'through') unlink(ctx, rel, row, k)
      // A child moved to a kept parent in this save keeps the move (its own update writes the new key).
      else if (movedAway(ctx, rel, k)) continue
      else if (rel.cascade.includes('delete')) deleteCascade(ctx, rel.child, k, n.children, `${at}(${String(k)})`)
      else if (!byDatabase) unlinkChild(ctx, rel, k, at, n.prop)
    }
  }
  const version = versionOf(entity)
  const name = `delete ${showKey(entity, row)}`
  // Unlinked earlier in this save (its parent deleted first): the delete replaces that update.
  ctx.extra.delete(`unlink ${showKey(entity, row)}`)
  // The loaded row, not only its key: the plan deletes rows of a self-referencing table children first by their parent column.
  ctx.extra.set(name, deleteRow(name, table, row as never, version === undefined ? {} : { version: version as never }))
}
