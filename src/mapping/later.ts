/**
 * Explicit later loading: given objects already loaded, plan the load of a
 * relationship (and its own includes) for all of them at once, select-in
 * style. Nothing is loaded implicitly on property access; the result is new
 * objects, copies of the given ones with the relationship property set.
 */
import type { Dialect } from '../interpret/index.js'
import { identityOf, newAssembly, occurrences } from './assemble.js'
import { identityKey } from './decoder.js'
import { includeTree, relsOf, type Include, type Loaded } from './include.js'
import type { Entity } from './entity.js'
import { done, type LoadPlan } from './plan.js'
import { selectIn } from './select-in.js'

type Flat<T> = { readonly [K in keyof T]: T[K] } & {}

/**
 * Plan the load of `include` for `parents` (objects of `entity`, e.g. from
 * an earlier load). Round trips: one per relationship level.
 *
 * @example
 * const withAlbums = loadLater(sqlite)(ArtistE, artists, { albums: artistAlbums })
 */
export const loadLater =
  (d: Dialect) =>
  <A, P extends A, const I extends Include<A>>(
    entity: Entity<A>,
    parents: readonly P[],
    include: I,
    options?: { readonly bindLimit?: number },
  ): LoadPlan<readonly Flat<P & { readonly [K in keyof I]: Loaded<I[K]> }>[]> => {
    const nodes = includeTree(entity, include as Include<unknown>)
    if (parents.length === 0 || nodes.length === 0) return done(parents.map((p) => ({ ...p })) as never)
    const a = newAssembly()
    const ids = identityOf(a, entity)
    const copies: object[] = []
    for (const p of parents) {
      const k = identityKey(entity, entity.key.map((f) => (p as Record<string, unknown>)[f]))
      let c = ids.byKey.get(k)
      if (c === undefined) {
        c = { ...(p as object) }
        ids.byKey.set(k, c)
      }
      copies.push(c)
    }
    return selectIn(
      d,
      a,
      occurrences(entity, relsOf(nodes)),
      nodes.map((node) => ({ node, parents: [...new Set(copies)] })),
      () => copies as never,
      options?.bindLimit,
    )
  }
