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
import { attach, identityOf, newAssembly, occurrences, safeMode, slot, type Assembly, type AttachMode } from './assemble.js'
import { decoderFor, type Identity, type Row, type RowDecoder } from './decoder.js'
import { columnOf, relationOf, type AnyEntity } from './entity.js'
import { planCompileError, type MappingError } from './errors.js'
import { initsOf, relsOf, type IncludeNode } from './include.js'
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
  // A single reference is fixed by its parent row, so its key adds nothing to the order (and would cost a sort).
  const ordered = flat.filter((f) => f.node?.rel.cardinality !== 'one')
  const keys = ordered.flatMap((f) => {
    const k = flat.indexOf(f)
    return f.entity.key.map((p) => columnOf(rels[k] as Q.Relation, f.entity, p))
  })
  const fields = Object.assign({}, ...flat.map((f, k) => fieldsOf(rels[k] as Q.Relation, f.entity, (i) => `n${k}_${i}`))) as Record<string, Q.Expr<unknown>>
  return pipe(q, Q.orderBy(() => [...(o.orderBy?.(rootCols) ?? []), ...keys]), Q.select(() => fields)) as Q.StatementNode
}

/** What assembly needs per node, worked out once per plan. */
interface NodePlan {
  readonly mode: AttachMode
  readonly slot: string
  /** The parent's objects may come from a node that does not give them this property. */
  readonly checkProp: boolean
}

const isAncestor = (flat: readonly Flat[], j: number, k: number): boolean => {
  for (let p = (flat[k] as Flat).parent; p > 0; p = (flat[p] as Flat).parent) if (p === j) return true
  return false
}

/**
 * Attach modes from the row order: rows are ordered by the root, then by
 * the key of every collection node in tree order, so the rows of one
 * (parent, child) pair are contiguous unless a collection outside the
 * node's ancestry comes earlier in that order, an ancestor is not a
 * one-to-many child (its object recurs under other parents), or the user's
 * order comes first.
 */
const nodePlans = (flat: readonly Flat[], o: LoadOptions<any>): NodePlan[] =>
  flat.map((f, k) => {
    if (f.node === undefined) return { mode: 'append', slot: '', checkProp: false }
    const rel = f.node.rel
    const key = slot(rel, f.node.prop)
    const sharedSlot = flat.some((g, j) => j !== k && g.node !== undefined && slot(g.node.rel, g.node.prop) === key)
    const interleaved = flat.some((g, j) => j > 0 && j < k && g.node?.rel.cardinality === 'many' && !isAncestor(flat, j, k))
    // A parent reached through a single reference or a many-to-many link recurs in rows that are not adjacent.
    const recurring = flat.some((g, j) => j > 0 && isAncestor(flat, j, k) && g.node?.rel.kind !== 'one-to-many')
    const contiguous = o.orderBy === undefined && !sharedSlot && !interleaved && !recurring
    const mode: AttachMode = rel.cardinality === 'one' ? 'assign' : contiguous ? 'consecutive' : safeMode(rel)
    const parentEntity = (flat[f.parent] as Flat).entity
    const checkProp = flat.some((g) => g.entity === parentEntity && !g.children.some((c) => c.prop === (f.node as IncludeNode).prop))
    return { mode, slot: key, checkProp }
  })

/** Assemble the rows of a joined load into root objects. */
const assemble = (a: Assembly, flat: readonly Flat[], plans: readonly NodePlan[], decoders: readonly RowDecoder[], rows: Rows): E.Either<MappingError, object[]> => {
  const n = flat.length
  const objs: (object | null)[] = new Array<object | null>(n).fill(null)
  const ids = flat.map((f) => identityOf(a, f.entity))
  const roots: object[] = []
  // A root object is new when its store made it, unless other nodes make objects of the root's entity too.
  const seen = flat.some((f, k) => k > 0 && f.entity === (flat[0] as Flat).entity) ? new Set<object>() : undefined
  const rootDec = decoders[0] as RowDecoder
  const rootIds = ids[0] as Identity
  for (const row of rows) {
    const before = rootIds.created
    const r = rootDec.decode(row as Row, rootIds)
    if (r === undefined || r === null) return E.left(rootDec.explain(row as Row))
    if (seen === undefined ? rootIds.created !== before : !seen.has(r)) {
      seen?.add(r)
      roots.push(r)
    }
    objs[0] = r
    for (let k = 1; k < n; k++) {
      const f = flat[k] as Flat
      const parent = objs[f.parent] as Record<string, unknown> | null
      if (parent === null) {
        objs[k] = null
        continue
      }
      const node = f.node as IncludeNode
      const plan = plans[k] as NodePlan
      if (plan.checkProp && parent[node.prop] === undefined) parent[node.prop] = node.rel.cardinality === 'many' ? [] : null
      const dec = decoders[k] as RowDecoder
      const child = dec.decode(row as Row, ids[k] as Identity)
      if (child === undefined) return E.left(dec.explain(row as Row))
      objs[k] = child
      if (child !== null) attach(a, plan.mode, plan.slot, node.prop, parent, child)
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
  const plans = nodePlans(flat, o)
  const counts = occurrences(root, relsOf(nodes))
  // Contiguous rows per key (the root without a user order, a collection attached 'consecutive') need only the last object.
  const lastOnly = (f: Flat, k: number): boolean =>
    counts.get(f.entity) === 1 && (k === 0 ? o.orderBy === undefined : (plans[k] as NodePlan).mode === 'consecutive' && f.node?.rel.through === undefined)
  const decoders = flat.map((f, k) =>
    decoderFor(d.name, f.entity, {
      labels: f.entity.fields.map((_, i) => `n${k}_${i}`),
      optional: k > 0,
      inits: initsOf(f.children),
      identity: lastOnly(f, k) ? 'last' : 'map',
    }),
  )
  return fetch(step, [c.right], ([rows]) => fromEither(assemble(newAssembly(), flat, plans, decoders, rows ?? [])))
}
