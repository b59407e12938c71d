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
import { attach, ensureProps, identityOf, isComplete, markComplete, matchKey, slot, valuesOf, type Assembly } from './assemble.js'
import { decoderFor, type Row } from './decoder.js'
import { columnOf, relationOf, type AnyEntity } from './entity.js'
import { initsOf, type IncludeNode } from './include.js'
import { chunkedStatements, distinctKeys, keyPredicate } from './keys.js'
import { loaderFor } from './loaders.js'
import { done, fail, fetch, type LoadPlan, type Rows } from './plan.js'

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

const absorb = (d: Dialect, a: Assembly, p: Pending, rows: Rows): E.Either<import('./errors.js').MappingError, void> => {
  const { node } = p.item
  const rel = node.rel
  const key = slot(rel, node.prop)
  const byKey = new Map<unknown, object[]>()
  for (const parent of p.parents) {
    const k = matchKey(valuesOf(parent, rel.local))
    if (k === undefined) continue
    const list = byKey.get(k)
    if (list === undefined) byKey.set(k, [parent])
    else list.push(parent)
  }
  const inits = initsOf(node.children)
  const dec = decoderFor(d.name, rel.child, { labels: rel.child.fields.map((f) => f.prop), optional: false, inits })
  const ids = identityOf(a, rel.child)
  const linkLoaders = rel.through?.local.map((col) => {
    const spec = rel.through?.table.columns[col]?.spec
    return loaderFor(d.name, spec?.type ?? { kind: 'text' }, false)
  })
  for (const row of rows) {
    const child = dec.decode(row, ids)
    if (child === undefined || child === null) return E.left(dec.explain(row))
    if (inits.length > 0) ensureProps(child, inits)
    const k =
      linkLoaders === undefined ? matchKey(valuesOf(child, rel.remote)) : matchKey(linkLoaders.map((l, i) => l((row as Row)[`${LINK}${i}`])))
    for (const parent of byKey.get(k) ?? []) attach(a, rel, key, node.prop, parent, child)
  }
  return E.right(undefined)
}

const nextFrontier = (items: readonly Frontier[]): Frontier[] => {
  const out: Frontier[] = []
  for (const item of items) {
    for (const childNode of item.node.children) {
      const seen = new Set<object>()
      for (const parent of item.parents) {
        const v = (parent as Record<string, unknown>)[item.node.prop]
        for (const c of Array.isArray(v) ? (v as object[]) : v === null || v === undefined ? [] : [v as object]) seen.add(c)
      }
      if (seen.size > 0) out.push({ node: childNode, parents: [...seen] })
    }
  }
  return out
}

/**
 * Load the relationships of a frontier level by level; `finish` gives the
 * plan's result once every level is attached.
 */
export const selectIn = <A>(d: Dialect, a: Assembly, frontier: readonly Frontier[], finish: () => A, bindLimit?: number): LoadPlan<A> => {
  if (frontier.length === 0) return done(finish())
  const statements: Compiled[] = []
  const pending: Pending[] = []
  for (const item of frontier) {
    const rel = item.node.rel
    const key = slot(rel, item.node.prop)
    const inits = [{ prop: item.node.prop, many: rel.cardinality === 'many' }]
    const todo = item.parents.filter((p) => !isComplete(a, key, p))
    for (const p of todo) {
      ensureProps(p, inits)
      markComplete(a, key, p)
    }
    const keys = distinctKeys(
      todo.map((p) => valuesOf(p, rel.local)),
      matchKey,
    )
    const step = `${rel.parent.name}.${item.node.prop} (select-in)`
    const r = chunkedStatements(d, step, keys, (chunk) => childStatement(item.node, chunk), bindLimit)
    if (E.isLeft(r)) return fail(r.left)
    pending.push({ item, parents: todo, from: statements.length, to: statements.length + r.right.length })
    statements.push(...r.right)
  }
  const after = (results: readonly Rows[]): LoadPlan<A> => {
    for (const p of pending) {
      for (let i = p.from; i < p.to; i++) {
        const r = absorb(d, a, p, results[i] as Rows)
        if (E.isLeft(r)) return fail(r.left)
      }
    }
    return selectIn(d, a, nextFrontier(frontier), finish, bindLimit)
  }
  if (statements.length === 0) return after([])
  const names = [...new Set(frontier.map((f) => `${f.node.rel.parent.name}.${f.node.prop}`))].join(', ')
  return fetch(`${names} (select-in)`, statements, after)
}
