/**
 * The mutable state of one load's assembly, private to it: the identity
 * stores (one object per entity key), and the bookkeeping that makes each
 * child appear once per parent. Objects are plain data; once the plan is
 * done nothing mutates them again.
 *
 * How a child is attached depends on what the plan knows about its rows
 * (`AttachMode`): a single reference is assigned; select-in rows give each
 * (parent, child) pair once, so children are appended; joined rows ordered
 * so that a pair's rows are contiguous only need a look at the list's last
 * element; otherwise a set remembers what was attached.
 */
import type { AnyEntity } from './entity.js'
import type { AnyRelationship } from './relationship.js'
import { keyPart, newIdentity, type Identity } from './decoder.js'

/** Assembly state of one load. */
export interface Assembly {
  readonly identity: Map<AnyEntity, Identity>
  /** Children attached per relationship slot (a child has one parent per one-to-many). */
  readonly attached: Map<string, Set<object>>
  /** Children attached per relationship slot and parent (many-to-many). */
  readonly pairs: Map<string, Map<object, Set<object>>>
  /** Parents whose relationship property is fully loaded (select-in does not fetch it again). */
  readonly complete: Map<string, Set<object>>
}

/** A fresh assembly. */
export const newAssembly = (): Assembly => ({ identity: new Map(), attached: new Map(), pairs: new Map(), complete: new Map() })

/** The identity store of one entity within a load. */
export const identityOf = (a: Assembly, e: AnyEntity): Identity => {
  let m = a.identity.get(e)
  if (m === undefined) a.identity.set(e, (m = newIdentity()))
  return m
}

const setOf = <K, V>(m: Map<K, Set<V>>, k: K): Set<V> => {
  let s = m.get(k)
  if (s === undefined) m.set(k, (s = new Set()))
  return s
}

/** The bookkeeping key of a relationship at a property. */
export const slot = (rel: AnyRelationship, prop: string): string => `${rel.parent.name}.${prop}>${rel.child.name}`

/** How a child is attached (see the module comment). */
export type AttachMode = 'assign' | 'append' | 'consecutive' | 'unique' | 'pairs'

/** The mode that is always safe for a relationship (no knowledge of row order). */
export const safeMode = (rel: AnyRelationship): AttachMode => (rel.cardinality === 'one' ? 'assign' : rel.kind === 'many-to-many' ? 'pairs' : 'unique')

type Obj = Record<string, unknown>

/** Attach `child` to `parent` under `prop` (the slot names the relationship for the bookkeeping). */
export const attach = (a: Assembly, mode: AttachMode, key: string, prop: string, parent: object, child: object): void => {
  const p = parent as Obj
  if (mode === 'assign') {
    p[prop] = child
    return
  }
  let list = p[prop] as object[] | null | undefined
  if (list === undefined || list === null) p[prop] = list = []
  switch (mode) {
    case 'append':
      break
    case 'consecutive':
      if (list[list.length - 1] === child) return
      break
    case 'unique': {
      const seen = setOf(a.attached, key)
      if (seen.has(child)) return
      seen.add(child)
      break
    }
    case 'pairs': {
      let byParent = a.pairs.get(key)
      if (byParent === undefined) a.pairs.set(key, (byParent = new Map()))
      const seen = setOf(byParent, parent)
      if (seen.has(child)) return
      seen.add(child)
      break
    }
  }
  list.push(child)
}

/** How many times each entity occurs in a load's tree (the root and every include node). */
export const occurrences = (root: AnyEntity | undefined, rels: readonly AnyRelationship[]): Map<AnyEntity, number> => {
  const m = new Map<AnyEntity, number>()
  if (root !== undefined) m.set(root, 1)
  for (const r of rels) m.set(r.child, (m.get(r.child) ?? 0) + 1)
  return m
}

/** Whether an entity's key is a primary key or unique constraint of its table (so a row per key). */
export const uniquelyKeyed = (e: AnyEntity): boolean => {
  if (e.source._tag !== 'Table' || e.key.length === 0) return false
  const same = (cols: readonly string[]): boolean => cols.length === e.key.length && cols.every((c) => e.key.includes(c))
  return same(e.source.table.primaryKey) || e.source.table.uniques.some(same)
}

/** Make sure an object reached by a node has the node's relationship properties. */
export const ensureProps = (obj: object, props: readonly { readonly prop: string; readonly many: boolean }[]): void => {
  const o = obj as Obj
  for (const p of props) if (o[p.prop] === undefined) o[p.prop] = p.many ? [] : null
}

/** Mark `parent`'s relationship at `key` as loaded. */
export const markComplete = (a: Assembly, key: string, parent: object): void => {
  setOf(a.complete, key).add(parent)
}

/** Whether `parent`'s relationship at `key` is already loaded. */
export const isComplete = (a: Assembly, key: string, parent: object): boolean => a.complete.get(key)?.has(parent) === true

const norm = (v: unknown): unknown => (typeof v === 'bigint' && v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v)

/**
 * A key for matching parent and child by values (`local` against
 * `remote`): integers compare equal whether number or bigint; composite
 * keys become one injective string. `undefined` when a part is NULL (no match).
 */
export const matchKey = (values: readonly unknown[]): unknown => {
  if (values.length === 1) {
    const v = values[0]
    if (v === null || v === undefined) return undefined
    const n = norm(v)
    return typeof n === 'object' ? keyPart(n) : n
  }
  let s = ''
  for (const v of values) {
    if (v === null || v === undefined) return undefined
    s += `${keyPart(norm(v))}\u0000`
  }
  return s
}

/** The values of some properties of an object. */
export const valuesOf = (obj: object, props: readonly string[]): unknown[] => props.map((p) => (obj as Obj)[p])
