/**
 * Select-in loading: after the parents of a level are known, one statement
 * per relationship fetches all their children at once (`remote IN (keys)`,
 * chunked below the bind limit), so a load costs one round trip per
 * relationship level plus one, never one per parent. Each level is a
 * `Fetch` whose continuation decodes, attaches and plans the next level.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../algebra/index.js'
import type { Compiled, Dialect } from '../interpret/index.js'
import { attach, ensureProps, identityOf, isComplete, markComplete, matchKey, slot, uniquelyKeyed, valuesOf, type Assembly } from './assemble.js'
import { decoderFor, type Row } from './decoder.js'
import type { MappingError } from './errors.js'
import { columnOf, relationOf, type AnyEntity } from './entity.js'
import { initsOf, type IncludeNode } from './include.js'
import { chunkedStatements, distinctKeys, keyPredicate } from './keys.js'
import { loaderFor } from './loaders.js'
import { done, fail, fetch, type LoadPlan, type Rows } from './plan.js'

/** How often each relationship slot occurs in the include trees below a frontier. */
const slotCounts = (frontier: readonly Frontier[]): Map<string, number> => {
  const m = new Map<string, number>()
  const walk = (n: IncludeNode): void => {
    const k = slot(n.rel, n.prop)
    m.set(k, (m.get(k) ?? 0) + 1)
    n.children.forEach(walk)
  }
  for (const f of frontier) walk(f.node)
  return m
}

/** Parents at one include node, waiting for that relationship to load. */
export interface Frontier {
  readonly node: IncludeNode
  readonly parents: readonly object[]
}

/** Select every field of `e` from relation `r`, labelled by `label(i)`. */
export const fieldsOf = (r: Q.Relation, e: AnyEntity, label: (i: number) => string): Record<string, Q.Expr<unknown>> => {
  const out: Record<string, Q.Expr<unknown>> = {}
  e.fields.forEach((f, i) => {
    out[label(i)] = columnOf(r, e, f.prop)
  })
  return out
}

const LINK = '__ql'

interface Pending {
  readonly item: Frontier
  readonly parents: readonly object[]
  readonly from: number
  readonly to: number
}

const childStatement = (node: IncludeNode, chunk: readonly (readonly unknown[])[]): Q.StatementNode => {
  const rel = node.rel
  const child = relationOf(rel.child, 'c')
  const fields = fieldsOf(child, rel.child, (i) => (rel.child.fields[i] as { prop: string }).prop)
  const order = rel.child.key.map((p) => columnOf(child, rel.child, p))
  if (rel.through === undefined) {
    const remote = rel.remote.map((p) => columnOf(child, rel.child, p))
    return pipe(Q.from(child), Q.where(() => keyPredicate(remote, chunk)), Q.orderBy(() => order), Q.select(() => fields)) as Q.StatementNode
  }
  const through = rel.through
  const link = Q.alias('l')(through.table)
  const lc = link.c as Q.Cols
  const on = Q.and(...through.remote.map((col, i) => Q.eq(lc[col] as Q.Expr<unknown>, columnOf(child, rel.child, rel.remote[i] as string))))
  const local = through.local.map((col) => lc[col] as Q.Expr<unknown>)
  through.local.forEach((col, i) => {
    fields[`${LINK}${i}`] = lc[col] as Q.Expr<unknown>
  })
  return pipe(Q.from(child), Q.join(link as Q.Relation, () => on), Q.where(() => keyPredicate(local, chunk)), Q.orderBy(() => order), Q.select(() => fields)) as Q.StatementNode
}

const absorb = (d: Dialect, a: Assembly, counts: ReadonlyMap<AnyEntity, number>, p: Pending, rows: Rows): E.Either<MappingError, void> => {
  const { node } = p.item
  const rel = node.rel
  const key = slot(rel, node.prop)
  const byKey = new Map<unknown, object | object[]>()
  for (const parent of p.parents) {
    const k = keyOf(parent, rel.local)
    if (k === undefined) continue
    const had = byKey.get(k)
    byKey.set(k, had === undefined ? parent : Array.isArray(had) ? [...had, parent] : [had, parent])
  }
  const inits = initsOf(node.children)
  // A table's rows selected by a foreign key come once per key; a link table may repeat them.
  const unique = rel.through === undefined && uniquelyKeyed(rel.child) && counts.get(rel.child) === 1
  const dec = decoderFor(d.name, rel.child, { labels: rel.child.fields.map((f) => f.prop), optional: false, inits, identity: unique ? 'none' : 'map' })
  const ids = identityOf(a, rel.child)
  // One row per (parent, child) pair, except through an association table that may repeat a link.
  const mode = rel.cardinality === 'one' ? 'assign' : rel.kind === 'many-to-many' ? 'pairs' : 'append'
  const prop = node.prop
  const linkLoaders = rel.through?.local.map((col) => {
    const spec = rel.through?.table.columns[col]?.spec
    return loaderFor(d.name, spec?.type ?? { kind: 'text' }, false)
  })
  for (const row of rows) {
    const child = dec.decode(row, ids)
    if (child === undefined || child === null) return E.left(dec.explain(row))
    if (inits.length > 0) ensureProps(child, inits)
    const k = linkLoaders === undefined ? keyOf(child, rel.remote) : matchKey(linkLoaders.map((l, i) => l((row as Row)[`${LINK}${i}`])))
    const parents = byKey.get(k)
    if (parents === undefined) continue
    // The common case inline: one parent, a collection its plan step has already created.
    if (mode === 'append' && !Array.isArray(parents)) ((parents as Record<string, unknown>)[prop] as object[]).push(child)
    else if (Array.isArray(parents)) for (const parent of parents) attach(a, mode, key, prop, parent, child)
    else attach(a, mode, key, prop, parents, child)
  }
  return E.right(undefined)
}

/** A single-property key without allocation; composite keys through `matchKey`. */
const keyOf = (obj: object, props: readonly string[]): unknown => {
  if (props.length !== 1) return matchKey(valuesOf(obj, props))
  const v = (obj as Record<string, unknown>)[props[0] as string]
  return typeof v === 'number' || typeof v === 'string' ? v : matchKey([v])
}

const nextFrontier = (counts: ReadonlyMap<AnyEntity, number>, items: readonly Frontier[]): Frontier[] => {
  const out: Frontier[] = []
  for (const item of items) {
    const rel = item.node.rel
    // Children of distinct parents are distinct unless shared (many-to-one, many-to-many, or the entity made elsewhere too).
    const shared = rel.cardinality === 'one' || rel.through !== undefined || (counts.get(rel.child) ?? 0) > 1
    const children: object[] = []
    for (const parent of item.parents) {
      const v = (parent as Record<string, unknown>)[item.node.prop]
      if (Array.isArray(v)) for (const c of v as object[]) children.push(c)
      else if (v !== null && v !== undefined) children.push(v as object)
    }
    const parents = shared ? [...new Set(children)] : children
    if (parents.length > 0) for (const childNode of item.node.children) out.push({ node: childNode, parents })
  }
  return out
}

/**
 * Load the relationships of a frontier level by level; `finish` gives the
 * plan's result once every level is attached. `counts` says how often each
 * entity occurs in the load (see `occurrences`).
 */
export const selectIn = <A>(
  d: Dialect,
  a: Assembly,
  counts: ReadonlyMap<AnyEntity, number>,
  frontier: readonly Frontier[],
  finish: () => A,
  bindLimit?: number,
  // Counted once over the whole tree, at the first level.
  slots: ReadonlyMap<string, number> = slotCounts(frontier),
): LoadPlan<A> => {
  if (frontier.length === 0) return done(finish())
  const statements: Compiled[] = []
  const pending: Pending[] = []
  for (const item of frontier) {
    const rel = item.node.rel
    const key = slot(rel, item.node.prop)
    const inits = [{ prop: item.node.prop, many: rel.cardinality === 'many' }]
    // Only a relationship included at several places can meet a parent it has already loaded.
    const repeats = (slots.get(key) ?? 0) > 1
    const todo = repeats ? item.parents.filter((p) => !isComplete(a, key, p)) : item.parents
    for (const p of todo) {
      if ((p as Record<string, unknown>)[item.node.prop] === undefined) ensureProps(p, inits)
      if (repeats) markComplete(a, key, p)
    }
    const keys = distinctKeys(todo, rel.local, keyOf)
    const step = `${rel.parent.name}.${item.node.prop} (select-in)`
    // The limit is the dialect record's, the same number the change graph and compile check.
    const r = chunkedStatements(d, step, keys, (chunk) => childStatement(item.node, chunk), bindLimit ?? d.capabilities.maxParams)
    if (E.isLeft(r)) return fail(r.left)
    pending.push({ item, parents: todo, from: statements.length, to: statements.length + r.right.length })
    statements.push(...r.right)
  }
  const after = (results: readonly Rows[]): LoadPlan<A> => {
    for (const p of pending) {
      for (let i = p.from; i < p.to; i++) {
        const r = absorb(d, a, counts, p, results[i] as Rows)
        if (E.isLeft(r)) return fail(r.left)
      }
    }
    return selectIn(d, a, counts, nextFrontier(counts, frontier), finish, bindLimit, slots)
  }
  if (statements.length === 0) return after([])
  const names = [...new Set(frontier.map((f) => `${f.node.rel.parent.name}.${f.node.prop}`))].join(', ')
  return fetch(`${names} (select-in)`, statements, after)
}
