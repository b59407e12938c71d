/**
 * Joined eager loading: the roots and every included relationship in one
 * statement of LEFT JOINs (through the association table for
 * many-to-many), each entity's columns under its own labels. Assembly walks
 * the rows once: each node decodes its entity (an identity-map hit skips
 * the columns), and attaches it to its parent node's object. A root LIMIT
 * applies to roots, not rows: the roots query becomes a derived table.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../algebra/index.js'
import { compile, type Dialect } from '../interpret/index.js'
import { attach, identityOf, newAssembly, slot, type Assembly } from './assemble.js'
import { decoderFor, type Row, type RowDecoder } from './decoder.js'
import { columnOf, relationOf, type AnyEntity } from './entity.js'
import { planCompileError, type MappingError } from './errors.js'
import { initsOf, type IncludeNode } from './include.js'
import type { EntityCols, LoadOptions } from './load.js'
import { rootsQuery } from './load.js'
import { fail, fetch, fromEither, type LoadPlan, type Rows } from './plan.js'
import { fieldsOf } from './select-in.js'

interface Flat {
  readonly entity: AnyEntity
  readonly node: IncludeNode | undefined
  readonly parent: number
  readonly children: readonly IncludeNode[]
}

const flatten = (root: AnyEntity, nodes: readonly IncludeNode[]): Flat[] => {
  const out: Flat[] = [{ entity: root, node: undefined, parent: -1, children: nodes }]
  const walk = (ns: readonly IncludeNode[], parent: number): void => {
    for (const n of ns) {
      out.push({ entity: n.rel.child, node: n, parent, children: n.children })
      walk(n.children, out.length - 1)
    }
  }
  walk(nodes, 0)
  return out
}

const onKeys = (left: readonly Q.Expr<unknown>[], right: readonly Q.Expr<unknown>[]): Q.Predicate =>
  Q.and(...left.map((l, i) => Q.eq(l, right[i] as Q.Expr<unknown>)))

/** The one statement of a joined load. */
const joinedQuery = (root: AnyEntity, flat: readonly Flat[], o: LoadOptions<any>): Q.StatementNode => {
  const rootRel: Q.Relation =
    o.limit === undefined ? relationOf(root, 'n0') : (Q.as('n0')(rootsQuery(root, 'q0', o, (i) => (root.fields[i] as { column: string }).column) as Q.Query<Record<string, unknown>>) as Q.Relation)
  const rels: Q.Relation[] = [rootRel]
  let q = Q.from(rootRel) as Q.Select<Q.Scope, unknown>
  flat.forEach((f, k) => {
    if (f.node === undefined) return
    const rel = f.node.rel
    const parentRel = rels[f.parent] as Q.Relation
    const childRel = relationOf(f.entity, `n${k}`)
    rels.push(childRel)
    const local = rel.local.map((p) => columnOf(parentRel, rel.parent, p))
    const remote = rel.remote.map((p) => columnOf(childRel, rel.child, p))
    if (rel.through === undefined) {
      q = pipe(q, Q.leftJoin(childRel, () => onKeys(remote, local)))
      return
    }
    const link = Q.alias(`l${k}`)(rel.through.table)
    const lc = link.c as Q.Cols
    const linkLocal = rel.through.local.map((c) => lc[c] as Q.Expr<unknown>)
    const linkRemote = rel.through.remote.map((c) => lc[c] as Q.Expr<unknown>)
    q = pipe(q, Q.leftJoin(link as Q.Relation, () => onKeys(linkLocal, local)), Q.leftJoin(childRel, () => onKeys(remote, linkRemote)))
  })
  const rootCols = rootRel.c as EntityCols<any>
  if (o.limit === undefined && o.where !== undefined) q = pipe(q, Q.where(() => (o.where as NonNullable<typeof o.where>)(rootCols)))
  const keys = flat.flatMap((f, k) => f.entity.key.map((p) => columnOf(rels[k] as Q.Relation, f.entity, p)))
  const fields = Object.assign({}, ...flat.map((f, k) => fieldsOf(rels[k] as Q.Relation, f.entity, (i) => `n${k}_${i}`))) as Record<string, Q.Expr<unknown>>
  return pipe(q, Q.orderBy(() => [...(o.orderBy?.(rootCols) ?? []), ...keys]), Q.select(() => fields)) as Q.StatementNode
}

/** Assemble the rows of a joined load into root objects. */
const assemble = (a: Assembly, flat: readonly Flat[], decoders: readonly RowDecoder[], rows: Rows): E.Either<MappingError, object[]> => {
  const n = flat.length
  const objs: (object | null)[] = new Array<object | null>(n).fill(null)
  const ids = flat.map((f) => identityOf(a, f.entity))
  const slots = flat.map((f) => (f.node === undefined ? '' : slot(f.node.rel, f.node.prop)))
  const roots: object[] = []
  const seen = new Set<object>()
  const rootDec = decoders[0] as RowDecoder
  const rootIds = ids[0] as Map<unknown, object>
  for (const row of rows) {
    const r = rootDec.decode(row as Row, rootIds)
    if (r === undefined || r === null) return E.left(rootDec.explain(row as Row))
    if (!seen.has(r)) {
      seen.add(r)
      roots.push(r)
    }
    objs[0] = r
    for (let k = 1; k < n; k++) {
      const f = flat[k] as Flat
      const node = f.node as IncludeNode
      const parent = objs[f.parent] as Record<string, unknown> | null
      if (parent === null) {
        objs[k] = null
        continue
      }
      if (parent[node.prop] === undefined) parent[node.prop] = node.rel.cardinality === 'many' ? [] : null
      const dec = decoders[k] as RowDecoder
      const child = dec.decode(row as Row, ids[k] as Map<unknown, object>)
      if (child === undefined) return E.left(dec.explain(row as Row))
      objs[k] = child
      if (child !== null) attach(a, node.rel, slots[k] as string, node.prop, parent, child)
    }
  }
  return E.right(roots)
}

/** Plan a joined load (one statement). */
export const joinedPlan = (d: Dialect, root: AnyEntity, nodes: readonly IncludeNode[], o: LoadOptions<any>): LoadPlan<readonly object[]> => {
  const flat = flatten(root, nodes)
  const step = `${root.name} (joined)`
  const c = compile(d)(joinedQuery(root, flat, o))
  if (E.isLeft(c)) return fail(planCompileError(step, c.left))
  const decoders = flat.map((f, k) =>
    decoderFor(d.name, f.entity, { labels: f.entity.fields.map((_, i) => `n${k}_${i}`), optional: k > 0, inits: initsOf(f.children) }),
  )
  return fetch(step, [c.right], ([rows]) => fromEither(assemble(newAssembly(), flat, decoders, rows ?? [])))
}
