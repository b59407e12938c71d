/**
 * Several otherwise unrelated entities hydrated from one result set: the
 * user writes the joins, names which source of the query each entity comes
 * from, and gets one tuple per row (e.g. `[Album, Artist, Track]`), with
 * one object per key across all rows (the identity map), so the artist of
 * twenty tracks is one object. An entity on the outer side of a join is
 * marked optional and is `null` in rows where it is absent.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../algebra/index.js'
import { compile, type Dialect } from '../interpret/index.js'
import { identityOf, newAssembly } from './assemble.js'
import { decoderFor, type Identity, type Row } from './decoder.js'
import type { AnyEntity, Entity } from './entity.js'
import { planCompileError } from './errors.js'
import { fail, fetch, fromEither, type LoadPlan } from './plan.js'

/** An entity read from the query source `alias`; `null` where absent when `optional`. */
export interface At<A, Opt extends boolean> {
  readonly _tag: 'At'
  readonly entity: Entity<A>
  readonly alias: string
  readonly optional: Opt
}

/**
 * Read `entity` from the source `alias` of the query (a self-join alias, a
 * view's derived table); `optional` for the outer side of a join.
 *
 * @example
 * hydrate(sqlite)(q, [AlbumE, at(EmployeeE, 'boss', { optional: true })])
 */
export const at = <A, const Opt extends boolean = false>(entity: Entity<A>, alias: string, o?: { readonly optional?: Opt }): At<A, Opt> =>
  Object.freeze({ _tag: 'At', entity, alias, optional: (o?.optional ?? false) as Opt })

/** What `hydrate` takes per tuple position. */
export type Item = AnyEntity | At<any, boolean>

/** The tuple type of the items. */
export type TupleOf<Items extends readonly Item[]> = {
  -readonly [K in keyof Items]: Items[K] extends At<infer A, infer Opt> ? (Opt extends true ? A | null : A) : Items[K] extends Entity<infer A> ? A : never
}

const normal = (x: Item): At<unknown, boolean> => {
  if (x._tag === 'At') return x
  if (x.source._tag !== 'Table') throw new TypeError(`hydrate: entity ${x.name} maps a query; say which source it is read from with at(entity, alias)`)
  return at(x, x.source.table.alias)
}

/**
 * Plan a load of tuples of entities from one select: the query's
 * projection is replaced by every field of each entity, read from its source.
 *
 * @example
 * const q = pipe(from(Track), join(Album, (s) => eq(s.Album.AlbumId, s.Track.AlbumId)), join(Artist, (s) => eq(s.Artist.ArtistId, s.Album.ArtistId)))
 * hydrate(postgres)(q, [AlbumE, ArtistE, TrackE]) // LoadPlan<readonly [Album, Artist, Track][]>
 */
export const hydrate =
  (d: Dialect) =>
  <S extends Q.Scope, R, const Items extends readonly Item[]>(q: Q.Select<S, R>, items: Items): LoadPlan<readonly TupleOf<Items>[]> => {
    const ats = items.map(normal)
    const fields: Record<string, Q.Expr<unknown>> = {}
    ats.forEach((x, k) => {
      const src = (q as Q.SelectNode).scope[x.alias]
      if (src === undefined) throw new TypeError(`hydrate: the query has no source "${x.alias}" (it has ${Object.keys((q as Q.SelectNode).scope).join(', ')})`)
      x.entity.fields.forEach((f, i) => {
        const c = src[f.column]
        if (c === undefined) throw new TypeError(`hydrate: source "${x.alias}" has no column ${f.column} for ${x.entity.name}`)
        fields[`e${k}_${i}`] = c
      })
    })
    const step = `hydrate ${ats.map((x) => x.entity.name).join(', ')}`
    const c = compile(d)(pipe(q as Q.Select<Q.Scope, unknown>, Q.select(() => fields)))
    if (E.isLeft(c)) return fail(planCompileError(step, c.left))
    const decoders = ats.map((x, k) => decoderFor(d.name, x.entity, { labels: x.entity.fields.map((_, i) => `e${k}_${i}`), optional: x.optional, inits: [] }))
    return fetch(step, [c.right], ([rows]) => {
      const a = newAssembly()
      const ids = ats.map((x) => identityOf(a, x.entity))
      const out: unknown[][] = []
      for (const row of rows ?? []) {
        const tuple: unknown[] = new Array<unknown>(ats.length)
        for (let k = 0; k < ats.length; k++) {
          const dec = decoders[k] as (typeof decoders)[number]
          const o = dec.decode(row as Row, ids[k] as Identity)
          if (o === undefined) return fromEither(E.left(dec.explain(row as Row)))
          tuple[k] = o
        }
        out.push(tuple)
      }
      return fromEither(E.right(out as unknown as readonly TupleOf<Items>[]))
    })
  }
