/**
 * `load`: the entry point for loading entities with their relationships,
 * as a pure load plan. Select-in (the default) fetches the roots, then one
 * statement per relationship level; joined fetches everything in one
 * statement of LEFT JOINs. Both give equal object graphs: roots in the
 * requested order (then by key), collections ordered by the child's key,
 * one object per key within the load.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../algebra/index.js'
import { compile, type Dialect } from '../interpret/index.js'
import { identityOf, newAssembly, occurrences, uniquelyKeyed, type Assembly } from './assemble.js'
import { decoderFor, type Row } from './decoder.js'
import { columnOf, relationOf, type AnyEntity, type Entity } from './entity.js'
import { planCompileError, type MappingError } from './errors.js'
import { includeTree, initsOf, relsOf, type Graph, type Include, type IncludeNode } from './include.js'
import { joinedPlan } from './joined.js'
import { fetch, fail, fromEither, type LoadPlan, type Rows } from './plan.js'
import { fieldsOf, selectIn } from './select-in.js'

/** Column expressions of an entity's properties, for `where` and `orderBy`. */
export type EntityCols<A> = { readonly [K in keyof A]: Q.Expr<A[K]> }

/** How and which roots to load. */
export interface LoadOptions<A> {
  /** `select-in` (default): one statement per relationship level; `joined`: one statement. */
  readonly strategy?: 'select-in' | 'joined'
  readonly where?: (c: EntityCols<A>) => Q.Predicate
  /** Root order (the key is always appended, so the order is total). */
  readonly orderBy?: (c: EntityCols<A>) => readonly Q.OrderInput[]
  readonly limit?: number
  /** Bind parameters per statement (default: the dialect's limit). */
  readonly bindLimit?: number
}

/** The roots query of a load: every field, labelled by property, filtered, ordered and limited. */
export const rootsQuery = (e: AnyEntity, alias: string, o: LoadOptions<any>, label: (i: number) => string): Q.Select<Q.Scope, unknown> => {
  const r = relationOf(e, alias)
  const cols = r.c as EntityCols<any>
  const keyOrder = e.key.map((p) => columnOf(r, e, p))
  let q = Q.from(r) as Q.Select<Q.Scope, unknown>
  if (o.where !== undefined) q = pipe(q, Q.where(() => (o.where as NonNullable<typeof o.where>)(cols)))
  q = pipe(q, Q.orderBy(() => [...(o.orderBy?.(cols) ?? []), ...keyOrder]))
  if (o.limit !== undefined) q = pipe(q, Q.limit(o.limit))
  return pipe(q, Q.select(() => fieldsOf(r, e, label)))
}

/** Decode root rows (in order, each object once) in a fresh assembly. */
export const decodeRoots = (
  d: Dialect,
  a: Assembly,
  counts: ReadonlyMap<AnyEntity, number>,
  e: AnyEntity,
  nodes: readonly IncludeNode[],
  rows: Rows,
): E.Either<MappingError, object[]> => {
  const identity = uniquelyKeyed(e) && counts.get(e) === 1 ? 'none' : 'map'
  const dec = decoderFor(d.name, e, { labels: e.fields.map((f) => f.prop), optional: false, inits: initsOf(nodes), identity })
  const ids = identityOf(a, e)
  const roots: object[] = []
  // The assembly is fresh, so an object is new exactly when the store made it.
  for (const row of rows) {
    const before = ids.created
    const o = dec.decode(row as Row, ids)
    if (o === undefined || o === null) return E.left(dec.explain(row as Row))
    if (ids.created !== before) roots.push(o)
  }
  return E.right(roots)
}

/**
 * Plan the load of `root` entities with the relationships in `include`.
 *
 * @example
 * const plan = load(sqlite)(ArtistE, { albums: nest(artistAlbums, { tracks: albumTracks }) }, { strategy: 'select-in' })
 * // plan: Fetch(Artist) → Fetch(Artist.albums) → Fetch(Album.tracks) → Done(artists)
 */
export const load =
  (d: Dialect) =>
  <A, const I extends Include<A> = {}>(root: Entity<A>, include?: I, options?: LoadOptions<A>): LoadPlan<readonly Graph<A, I>[]> => {
    const o = options ?? {}
    const nodes = includeTree(root, include ?? {})
    if (o.strategy === 'joined') return joinedPlan(d, root, nodes, o) as LoadPlan<readonly Graph<A, I>[]>
    const step = `${root.name} (roots)`
    const c = compile(d)(rootsQuery(root, root.name, o, (i) => (root.fields[i] as { prop: string }).prop))
    if (E.isLeft(c)) return fail(planCompileError(step, c.left))
    return fetch(step, [c.right], ([rows]) => {
      const a = newAssembly()
      const counts = occurrences(root, relsOf(nodes))
      const roots = decodeRoots(d, a, counts, root, nodes, rows ?? [])
      if (E.isLeft(roots)) return fromEither(roots) as never
      const list = roots.right
      return selectIn(
        d,
        a,
        counts,
        nodes.map((node) => ({ node, parents: list })),
        () => list as unknown as readonly Graph<A, I>[],
        o.bindLimit,
      )
    })
  }
