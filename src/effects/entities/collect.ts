/**
 * The first pass of a save: walk the new object graph along its shape and
 * record, for every object, whether it is new, persisted (in the snapshot)
 * or only referenced, and which foreign-key columns its relationships set
 * (a new parent's key as a `G.ref`, a persisted one's as a value). Along
 * the way: association links added and removed, children removed from a
 * loaded collection (orphan candidates), and every problem found. Nothing
 * here builds change nodes (see `emit.ts`).
 */
import { insertRow, ref } from '../graph/graph.js'
import { sameValue } from '../graph/fits.js'
import type { Cells, ChangeNode } from '../graph/graph.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import type { AnyEntity } from '../../mapping/entity.js'
import { showValue } from '../../mapping/errors.js'
import type { IncludeNode } from '../../mapping/include.js'
import type { AnyRelationship } from '../../mapping/relationship.js'
import type { EntityProblem } from './errors.js'
import { linkCells, linkName, showCell, unlink } from './links.js'
import { encodeField, fieldsOf, keyOf, sideOf, tableOf } from './shape.js'
import { rowOf, type Snapshot } from './snapshot.js'

type Obj = Readonly<Record<string, unknown>>

/** One object of the new graph (an object reached twice is visited once). */
export interface Visit {
  readonly entity: AnyEntity
  readonly table: AnyTable | undefined
  readonly obj: Obj
  /** The change node's name: the object's path where it was first reached, e.g. `Artist[0].albums[1]`. */
  readonly node: string
  /** `new`: inserted; `existing`: in the snapshot, updated by diff; `reference`: not cascaded, only its key is used. */
  readonly status: 'new' | 'existing' | 'reference'
  readonly key: unknown
  /** The snapshot's row of an existing object. */
  readonly before: Cells | undefined
  /** Foreign-key columns set by relationships: a value or a `G.ref`. */
  readonly set: Map<string, unknown>
  /** The include lists the object was walked with. */
  readonly reached: Set<readonly IncludeNode[]>
  deleted: boolean
}

/** A child removed from a loaded collection; `emit` decides between delete-orphan and a NULL foreign key. */
export interface Orphan {
  readonly rel: AnyRelationship
  readonly childKey: unknown
  /** Where the collection is, e.g. `Artist[0].albums`. */
  readonly path: string
  readonly nodes: readonly IncludeNode[]
}

/** The state of one translation. */
export interface Ctx {
  readonly snapshot: Snapshot
  readonly problems: EntityProblem[]
  readonly visits: Visit[]
  readonly byObject: Map<object, Visit>
  readonly byKey: Map<AnyEntity, Map<unknown, Visit>>
  /** Association rows to insert, by a name that identifies the row. */
  readonly links: Map<string, ChangeNode>
  /** Change nodes made outside the visits: association rows deleted, cascaded deletes, unlinked children. */
  readonly extra: Map<string, ChangeNode>
  readonly orphans: Orphan[]
  /** Objects deleted by this save, as `entity\0key`. */
  readonly deleted: Set<string>
}

/**
 * A fresh translation over a snapshot.
 *
 * @example
 * const ctx = newCtx(EG.emptySnapshot)
 */
export const newCtx = (snapshot: Snapshot): Ctx => ({
  snapshot,
  problems: [],
  visits: [],
  byObject: new Map(),
  byKey: new Map(),
  links: new Map(),
  extra: new Map(),
  orphans: [],
  deleted: new Set(),
})

const columnOf = (e: AnyEntity, prop: string): string => fieldsOf(e).get(prop)?.column ?? prop

/**
 * The value an object's property contributes to another row's foreign key:
 * a reference to the new row's column, or the persisted value.
 *
 * @example
 * valueOf(albumVisit, 'AlbumId') // G.ref('Artist[0].albums[0]', 'AlbumId') for a new album, 10001 for a loaded one
 */
export const valueOf = (v: Visit, prop: string): unknown => {
  const column = columnOf(v.entity, prop)
  if (v.status === 'new') return ref(v.node, column)
  const set = v.set.get(column)
  if (set !== undefined) return set
  const given = v.obj[prop]
  const f = fieldsOf(v.entity).get(prop)
  if (given !== undefined && f !== undefined) return encodeField(f, given)
  return v.before?.[column]
}

const sameColumns = (e: AnyEntity, a: Obj, b: Obj): boolean => e.fields.every((f) => sameValue(encodeField(f, a[f.prop]), encodeField(f, b[f.prop])))

const checkFields = (ctx: Ctx, v: Visit): void => {
  for (const f of v.entity.fields) {
    const x = v.obj[f.prop]
    if (x === undefined || f.codec.is(x)) continue
    ctx.problems.push({
      _tag: 'ValueDoesNotFit',
      path: v.node,
      entity: v.entity.name,
      property: f.prop,
      value: x,
      expected: f.codec.name,
      message: `${v.node}: ${v.entity.name}.${f.prop} is ${showValue(x)}, which does not fit ${f.codec.name}`,
    })
  }
}

/** Record a foreign-key column a relationship sets; two relationships setting it differently is a conflict. */
const setFk = (ctx: Ctx, v: Visit, prop: string, value: unknown, via: string): void => {
  if (v.status === 'reference') return
  const column = columnOf(v.entity, prop)
  const prev = v.set.get(column)
  if (prev !== undefined && showCell(prev) !== showCell(value))
    ctx.problems.push({
      _tag: 'ConflictingObjects',
      path: v.node,
      entity: v.entity.name,
      other: via,
      message: `${v.node}: ${v.entity.name}.${prop} is set to ${showCell(prev)} by one relationship and to ${showCell(value)} by ${via}`,
    })
  else v.set.set(column, value)
}

/** Membership of a loaded collection; NotLoaded when the snapshot does not have it. */
const loadedMembers = (ctx: Ctx, v: Visit, n: IncludeNode, path: string): readonly unknown[] | undefined => {
  const before = ctx.snapshot.members.get(n.rel)?.get(v.key)
  if (before === undefined)
    ctx.problems.push({
      _tag: 'NotLoaded',
      path,
      entity: v.entity.name,
      relationship: n.prop,
      message: `${path}: ${v.entity.name}.${n.prop} of a persisted object is not in the snapshot; load it (and snapshot it) before changing it`,
    })
  return before
}

const relate = (ctx: Ctx, v: Visit, nodes: readonly IncludeNode[]): void => {
  for (const n of nodes) {
    const val = v.obj[n.prop]
    if (val === undefined) continue
    const many = n.rel.cardinality === 'many'
    const path = `${v.node}.${n.prop}`
    if (many ? !Array.isArray(val) : val !== null && typeof val !== 'object') {
      ctx.problems.push({ _tag: 'ValueDoesNotFit', path, entity: v.entity.name, property: n.prop, value: val, expected: many ? 'an array of objects' : 'an object or null', message: `${path} is ${showValue(val)}, but must be ${many ? 'an array of objects' : 'an object or null'}` })
      continue
    }
    const items = (many ? val : val === null ? [] : [val]) as readonly unknown[]
    const kids: Visit[] = []
    items.forEach((c, i) => {
      const k = reach(ctx, c, n.rel.child, n.children, many ? `${path}[${i}]` : path, n.rel)
      if (k !== undefined) kids.push(k)
    })
    const rel = n.rel
    switch (sideOf(rel)) {
      case 'parent': {
        const c = kids[0]
        rel.local.forEach((p, i) => setFk(ctx, v, p, c === undefined ? null : valueOf(c, rel.remote[i]!), path))
        break
      }
      case 'child': {
        for (const c of kids) rel.remote.forEach((p, i) => setFk(ctx, c, p, valueOf(v, rel.local[i]!), path))
        if (v.status !== 'existing') break
        const before = loadedMembers(ctx, v, n, path)
        const now = new Set(kids.map((k) => k.key))
        for (const k of before ?? []) if (!now.has(k)) ctx.orphans.push({ rel, childKey: k, path, nodes: n.children })
        break
      }
      case 'through': {
        const table = rel.through!.table
        const before = v.status === 'existing' ? loadedMembers(ctx, v, n, path) : undefined
        const linked = new Set(before ?? [])
        const parentValues = rel.local.map((p) => valueOf(v, p))
        for (const c of kids) {
          if (c.status !== 'new' && linked.has(c.key)) continue
          const cells = linkCells(rel, parentValues, rel.remote.map((p) => valueOf(c, p)))
          const name = `link ${linkName(table, cells)}`
          if (!ctx.links.has(name)) ctx.links.set(name, insertRow(name, table, cells as never))
        }
        const now = new Set(kids.map((k) => k.key))
        for (const k of before ?? []) if (!now.has(k)) unlink(ctx, rel, v.before ?? {}, k)
        break
      }
    }
  }
}

/**
 * Visit an object reached at `path` (through `via`, or as a root), walking
 * its relationships in `nodes`; the visit, or undefined for a value that
 * is not an object.
 *
 * @example
 * reach(ctx, artist, ArtistE, shape.nodes, 'Artist[0]', undefined)
 */
export const reach = (ctx: Ctx, obj: unknown, entity: AnyEntity, nodes: readonly IncludeNode[], path: string, via: AnyRelationship | undefined): Visit | undefined => {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    ctx.problems.push({ _tag: 'ValueDoesNotFit', path, entity: entity.name, property: '(object)', value: obj, expected: `a ${entity.name} object`, message: `${path} is ${showValue(obj)}, but must be a ${entity.name} object` })
    return undefined
  }
  const o = obj as Obj
  let v = ctx.byObject.get(o)
  if (v === undefined) {
    const key = keyOf(entity, o)
    const same = key === undefined ? undefined : ctx.byKey.get(entity)?.get(key)
    if (same !== undefined) {
      // A copy of an object seen elsewhere: the same object if its columns agree, else ambiguous.
      if (!sameColumns(entity, same.obj, o)) {
        ctx.problems.push({ _tag: 'ConflictingObjects', path, entity: entity.name, other: same.node, message: `${path} and ${same.node} are two different versions of the same ${entity.name} (key ${String(key)}); give one object` })
        return same
      }
      ctx.byObject.set(o, same)
      v = same
    } else {
      const before = rowOf(ctx.snapshot, entity, key)
      const table = tableOf(entity)
      if (table === undefined)
        ctx.problems.push({ _tag: 'ReadOnlyEntity', path, entity: entity.name, message: `${path}: ${entity.name} is mapped to a select or join and cannot be saved` })
      const status = before !== undefined ? 'existing' : via !== undefined && !via.cascade.includes('save-update') ? 'reference' : 'new'
      if (status === 'reference' && key === undefined)
        ctx.problems.push({ _tag: 'NotPersisted', path, entity: entity.name, relationship: path.slice(path.lastIndexOf('.') + 1), message: `${path}: this ${entity.name} has no key, and its relationship does not cascade save-update (it can only refer to a persisted object)` })
      v = { entity, table, obj: o, node: path, status, key, before, set: new Map(), reached: new Set(), deleted: false }
      ctx.visits.push(v)
      ctx.byObject.set(o, v)
      if (key !== undefined) {
        let m = ctx.byKey.get(entity)
        if (m === undefined) ctx.byKey.set(entity, (m = new Map()))
        m.set(key, v)
      }
      if (status !== 'reference') checkFields(ctx, v)
    }
  }
  if (!v.reached.has(nodes)) {
    v.reached.add(nodes)
    if (v.status !== 'reference') relate(ctx, v, nodes)
  }
  return v
}

const propSets = new WeakMap<readonly IncludeNode[], ReadonlySet<string>>()

/** Whether `p` is a relationship property at some place the object was reached. */
const isRelationship = (v: Visit, p: string): boolean => {
  for (const ns of v.reached) {
    let props = propSets.get(ns)
    if (props === undefined) propSets.set(ns, (props = new Set(ns.map((n) => n.prop))))
    if (props.has(p)) return true
  }
  return false
}

/**
 * After the walk: properties that are neither a field nor a relationship at any place the object was reached.
 *
 * @example
 * checkUnknown(ctx) // UnknownProperty for { Name: 'x', nickname: 'y' }
 */
export const checkUnknown = (ctx: Ctx): void => {
  for (const v of ctx.visits) {
    const fields = fieldsOf(v.entity)
    for (const p in v.obj)
      if (!fields.has(p) && !isRelationship(v, p))
        ctx.problems.push({ _tag: 'UnknownProperty', path: v.node, entity: v.entity.name, property: p, message: `${v.node}: ${v.entity.name} has no property "${p}" (neither a column nor a relationship of the shape)` })
  }
}
