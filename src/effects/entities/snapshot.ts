/**
 * A snapshot: what a load returned, as the save that follows needs it — the
 * stored row of every loaded object (by entity and key) and, for every
 * loaded relationship, which children each parent had. It plays the part
 * of SQLAlchemy's identity map: an object whose key is in the snapshot is
 * persisted (updated by diff, never inserted again); a collection's
 * children missing from the new graph are its removals. A snapshot is an
 * immutable value; building one copies nothing but keys and column values.
 */
import type { Cells } from '../graph/graph.js'
import type { AnyEntity } from '../../mapping/entity.js'
import type { IncludeNode } from '../../mapping/include.js'
import type { AnyRelationship } from '../../mapping/relationship.js'
import { columnsOf, keyOf, type Shape } from './shape.js'

/** Loaded rows and relationship memberships. */
export interface Snapshot {
  readonly _tag: 'Snapshot'
  /** Column values of each loaded object, by entity and identity key. */
  readonly rows: ReadonlyMap<AnyEntity, ReadonlyMap<unknown, Cells>>
  /** For each loaded relationship: each parent's children keys, by parent key. */
  readonly members: ReadonlyMap<AnyRelationship, ReadonlyMap<unknown, readonly unknown[]>>
}

/** The snapshot of nothing loaded: every object with a key is then new. */
export const emptySnapshot: Snapshot = Object.freeze({ _tag: 'Snapshot', rows: new Map(), members: new Map() })

type Obj = Readonly<Record<string, unknown>>

/** Objects already walked, with the include lists they were walked with (one object may sit at several places of a shape). */
type Seen = Map<object, Set<readonly IncludeNode[]>>

const add = (rows: Map<AnyEntity, Map<unknown, Cells>>, members: Map<AnyRelationship, Map<unknown, unknown[]>>, e: AnyEntity, o: Obj, nodes: readonly IncludeNode[], seen: Seen): unknown => {
  const key = keyOf(e, o)
  if (key === undefined) return key
  let walked = seen.get(o)
  if (walked === undefined) {
    seen.set(o, (walked = new Set()))
    let byKey = rows.get(e)
    if (byKey === undefined) rows.set(e, (byKey = new Map()))
    byKey.set(key, Object.freeze(columnsOf(e, o)))
  }
  if (walked.has(nodes)) return key
  walked.add(nodes)
  for (const n of nodes) {
    const v = o[n.prop]
    // A relationship that was not loaded says nothing about the children.
    if (v === undefined) continue
    const children = Array.isArray(v) ? (v as Obj[]) : v === null ? [] : [v as Obj]
    const keys: unknown[] = []
    for (const c of children) {
      const k = add(rows, members, n.rel.child, c, n.children, seen)
      if (k !== undefined) keys.push(k)
    }
    let byParent = members.get(n.rel)
    if (byParent === undefined) members.set(n.rel, (byParent = new Map()))
    byParent.set(key, keys)
  }
  return key
}

/**
 * The snapshot of loaded objects of a shape (`base` adds to another one).
 *
 * @example
 * const artists = await runPromise(engine)(loadWith((d) => M.load(d)(ArtistE, include)))
 * const before = EG.snapshot(ArtistGraph, artists)
 */
export const snapshot = <A, I>(s: Shape<A, I>, objects: readonly unknown[], base: Snapshot = emptySnapshot): Snapshot => {
  const rows = new Map([...base.rows].map(([e, m]) => [e, new Map(m)]))
  const members = new Map([...base.members].map(([r, m]) => [r, new Map(m) as Map<unknown, unknown[]>]))
  const seen: Seen = new Map()
  for (const o of objects) add(rows, members, s.entity, o as Obj, s.nodes, seen)
  return Object.freeze({ _tag: 'Snapshot', rows, members })
}

/**
 * Snapshots merged (a later one's rows win).
 *
 * @example
 * const before = EG.merge(EG.snapshot(ArtistGraph, artists), EG.snapshot(EG.shape(GenreE), genres))
 */
export const merge = (...snapshots: readonly Snapshot[]): Snapshot => {
  const rows = new Map<AnyEntity, Map<unknown, Cells>>()
  const members = new Map<AnyRelationship, Map<unknown, readonly unknown[]>>()
  for (const s of snapshots) {
    for (const [e, m] of s.rows) rows.set(e, new Map([...(rows.get(e) ?? []), ...m]))
    for (const [r, m] of s.members) members.set(r, new Map([...(members.get(r) ?? []), ...m]))
  }
  return Object.freeze({ _tag: 'Snapshot', rows, members })
}

/**
 * The stored row of an object, if the snapshot has it.
 *
 * @example
 * rowOf(before, ArtistE, 1) // { ArtistId: 1, Name: 'AC/DC' }
 */
export const rowOf = (s: Snapshot, e: AnyEntity, key: unknown): Cells | undefined => (key === undefined ? undefined : s.rows.get(e)?.get(key))
