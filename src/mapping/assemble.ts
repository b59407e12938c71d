/**
 * The mutable state of one load's assembly, private to it: the identity map
 * (one object per entity key), and which children each relationship has
 * already attached, so an object reached twice (by two rows of a join, or
 * by two levels of a recursive load) gets each child once. Objects are
 * plain data; once the plan is done nothing mutates them again.
 */
import type { AnyEntity } from './entity.js'
import type { AnyRelationship } from './relationship.js'
import { keyPart } from './decoder.js'

/** Assembly state of one load. */
export interface Assembly {
  readonly identity: Map<AnyEntity, Map<unknown, object>>
  /** One-to-many/one-to-one: children attached (a child has one parent per relationship). */
  readonly attached: Map<string, Set<object>>
  /** Many-to-many: children attached per parent. */
  readonly pairs: Map<string, Map<object, Set<object>>>
  /** Parents whose relationship property is fully loaded (select-in does not fetch it again). */
  readonly complete: Map<string, Set<object>>
}

/** A fresh assembly. */
export const newAssembly = (): Assembly => ({ identity: new Map(), attached: new Map(), pairs: new Map(), complete: new Map() })

/** The identity map of one entity within a load. */
export const identityOf = (a: Assembly, e: AnyEntity): Map<unknown, object> => {
  let m = a.identity.get(e)
  if (m === undefined) a.identity.set(e, (m = new Map()))
  return m
}

const setOf = <K, V>(m: Map<K, Set<V>>, k: K): Set<V> => {
  let s = m.get(k)
  if (s === undefined) m.set(k, (s = new Set()))
  return s
}

/** The bookkeeping key of a relationship at a property. */
export const slot = (rel: AnyRelationship, prop: string): string => `${rel.parent.name}.${prop}>${rel.child.name}`

type Obj = Record<string, unknown>

/**
 * Attach `child` to `parent` under `prop`: a single reference is set, a
 * collection gains the child once.
 */
export const attach = (a: Assembly, rel: AnyRelationship, key: string, prop: string, parent: object, child: object): void => {
  const p = parent as Obj
  if (rel.cardinality === 'one') {
    p[prop] = child
    return
  }
  let list = p[prop] as object[] | undefined
  if (list === undefined || list === null) p[prop] = list = []
  if (rel.kind === 'many-to-many') {
    let byParent = a.pairs.get(key)
    if (byParent === undefined) a.pairs.set(key, (byParent = new Map()))
    const seen = setOf(byParent, parent)
    if (seen.has(child)) return
    seen.add(child)
  } else {
    const seen = setOf(a.attached, key)
    if (seen.has(child)) return
    seen.add(child)
  }
  list.push(child)
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
