/**
 * What to load along with an entity: a record from property name to a
 * relationship, or to `nest(relationship, { ...its own includes })`. The
 * loaded object type is inferred from it (`Graph<A, I>`): collections are
 * arrays, single references are `C | null`.
 */
import type { InitProp } from './decoder.js'
import type { AnyEntity } from './entity.js'
import type { AnyRelationship, Cardinality, Relationship } from './relationship.js'

/** A relationship with includes of its own. */
export interface Nested<R extends AnyRelationship, I> {
  readonly _tag: 'Nested'
  readonly rel: R
  readonly include: I
}

/** Includes for parent objects `P`. */
export type Include<P> = { readonly [prop: string]: Relationship<P, any, Cardinality> | Nested<Relationship<P, any, Cardinality>, any> }

/**
 * A relationship whose children load their own relationships.
 *
 * @example
 * load(sqlite)(ArtistE, { albums: nest(artistAlbums, { tracks: albumTracks }) })
 */
export const nest = <R extends AnyRelationship, const I extends Include<ChildOf<R>>>(rel: R, include: I): Nested<R, I> =>
  Object.freeze({ _tag: 'Nested', rel, include })

type ChildOf<R> = R extends Relationship<any, infer C, Cardinality> ? C : never
type Flat<T> = { readonly [K in keyof T]: T[K] } & {}
type Wrap<Card, C> = Card extends 'many' ? readonly C[] : C | null

/** The object type of `A` loaded with includes `I`. */
export type Graph<A, I> = Flat<A & { readonly [K in keyof I]: Loaded<I[K]> }>

/** What one include loads. */
export type Loaded<X> =
  X extends Nested<Relationship<any, infer C, infer Card>, infer J>
    ? Wrap<Card, Graph<C, J>>
    : X extends Relationship<any, infer C, infer Card>
      ? Wrap<Card, C>
      : never

/** One include, normalised: the property, its relationship and the child's own includes. */
export interface IncludeNode {
  readonly prop: string
  readonly rel: AnyRelationship
  readonly children: readonly IncludeNode[]
}

/** Normalise includes of `parent` into a tree (a relationship from another entity is a bug: thrown). */
export const includeTree = (parent: AnyEntity, include: Include<unknown>): readonly IncludeNode[] =>
  Object.entries(include).map(([prop, x]) => {
    const rel = x._tag === 'Nested' ? x.rel : x
    if (rel.parent !== parent) throw new TypeError(`include "${prop}": the relationship starts at ${rel.parent.name}, not ${parent.name}`)
    if (parent.fields.some((f) => f.prop === prop)) throw new TypeError(`include "${prop}": ${parent.name} already has a column of that name`)
    return Object.freeze({ prop, rel, children: x._tag === 'Nested' ? includeTree(rel.child, x.include as Include<unknown>) : Object.freeze([]) })
  })

/** The relationship properties a node's objects start with. */
export const initsOf = (nodes: readonly IncludeNode[]): readonly InitProp[] => nodes.map((n) => ({ prop: n.prop, many: n.rel.cardinality === 'many' }))

/** Every relationship of an include tree, depth first. */
export const relsOf = (nodes: readonly IncludeNode[]): AnyRelationship[] => nodes.flatMap((n) => [n.rel, ...relsOf(n.children)])
