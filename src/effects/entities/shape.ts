/**
 * The shape of an entity graph: a root entity and the relationships its
 * objects carry, written exactly like a load's includes (`M.nest`), so the
 * graph a load returns is the graph a save takes. Also the small facts the
 * translation reads about entities and relationships: on which side a
 * relationship's foreign key lives, an object's identity key, a property's
 * column value.
 */
import type { AnyTable } from '../../algebra/schema/table.js'
import { matchKey } from '../../mapping/assemble.js'
import type { AnyEntity, Entity, FieldSpec } from '../../mapping/entity.js'
import { includeTree, type Graph, type Include, type IncludeNode, type Nested } from '../../mapping/include.js'
import type { AnyRelationship, Relationship } from '../../mapping/relationship.js'

declare const shapeType: unique symbol

/** Objects of `A` with the relationships `I` (the same `I` a load takes). */
export interface Shape<A, I> {
  readonly _tag: 'Shape'
  readonly entity: Entity<A>
  readonly nodes: readonly IncludeNode[]
  readonly [shapeType]?: I
}

/**
 * The shape of a graph rooted at `entity`, with the relationships of `include`.
 *
 * @example
 * const ArtistGraph = EG.shape(ArtistE, { albums: M.nest(artistAlbums, { tracks: albumTracks }) })
 */
export const shape = <A, const I extends Include<A> = {}>(entity: Entity<A>, include?: I): Shape<A, I> =>
  Object.freeze({ _tag: 'Shape', entity, nodes: includeTree(entity, include ?? {}) })

type Flat<T> = { readonly [K in keyof T]: T[K] } & {}
type WrapDraft<Card, C> = Card extends 'many' ? readonly C[] : C | null

/**
 * What a save takes: an object of `A` whose properties may be left out
 * (a generated key, a foreign key its relationship fills in, a column with
 * a default), with the relationships of `I` as drafts too. A loaded
 * `Graph<A, I>` is a draft.
 */
export type Draft<A, I> = Flat<{ readonly [K in keyof A]?: A[K] } & { readonly [K in keyof I]?: DraftOf<I[K]> }>

/** The draft of what one include holds. */
export type DraftOf<X> =
  X extends Nested<Relationship<any, infer C, infer Card>, infer J>
    ? WrapDraft<Card, Draft<C, J>>
    : X extends Relationship<any, infer C, infer Card>
      ? WrapDraft<Card, Draft<C, {}>>
      : never

/** What a save gives back: the objects as stored, keys filled in (the type a load of the same shape gives). */
export type Saved<A, I> = Graph<A, I>

/**
 * Where a relationship's foreign key lives: on the parent (`many-to-one`,
 * a one-to-one whose remote side is the child's key), on the child
 * (`one-to-many`, other one-to-ones), or in the association table.
 */
export type Side = 'parent' | 'child' | 'through'

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x))

/**
 * The side of a relationship's foreign key.
 *
 * @example
 * sideOf(M.manyToOne(AlbumE, ArtistE, { local: ['ArtistId'] })) // 'parent'
 */
export const sideOf = (rel: AnyRelationship): Side => {
  switch (rel.kind) {
    case 'many-to-many':
      return 'through'
    case 'many-to-one':
      return 'parent'
    case 'one-to-many':
      return 'child'
    case 'one-to-one':
      return sameSet(rel.remote, rel.child.key) && !sameSet(rel.local, rel.parent.key) ? 'parent' : 'child'
  }
}

/**
 * The table of a writable entity; undefined for an entity over a select or join.
 *
 * @example
 * tableOf(M.entity(Artist)) // Artist; undefined for a view
 */
export const tableOf = (e: AnyEntity): AnyTable | undefined => (e.source._tag === 'Table' && e.writable ? e.source.table : undefined)

type Obj = Readonly<Record<string, unknown>>

/**
 * An object's identity key (numbers and bigints alike), or undefined when a key property has no value.
 *
 * @example
 * keyOf(ArtistE, { ArtistId: 1, Name: 'AC/DC' }) // 1
 */
export const keyOf = (e: AnyEntity, values: Obj): unknown => matchKey(e.key.map((k) => values[k]))

/**
 * A key for messages: `Artist(ArtistId=1)`.
 *
 * @example
 * showKey(ArtistE, { ArtistId: 1 }) // 'Artist(ArtistId=1)'
 */
export const showKey = (e: AnyEntity, values: Obj): string => `${e.name}(${e.key.map((k) => `${k}=${String(values[k])}`).join(', ')})`

const fieldMaps = new WeakMap<AnyEntity, ReadonlyMap<string, FieldSpec>>()

/**
 * An entity's fields by property.
 *
 * @example
 * fieldsOf(ArtistE).get('Name')?.nullable // true
 */
export const fieldsOf = (e: AnyEntity): ReadonlyMap<string, FieldSpec> => {
  let m = fieldMaps.get(e)
  if (m === undefined) fieldMaps.set(e, (m = new Map(e.fields.map((f) => [f.prop, f]))))
  return m
}

/**
 * A property's value as its column stores it: a user codec's encoding, else the value itself.
 *
 * @example
 * encodeField(field, value) // the column value of a property with a user codec
 */
export const encodeField = (f: FieldSpec, v: unknown): unknown =>
  f.custom && v !== null && v !== undefined && typeof (f.codec as { encode?: unknown }).encode === 'function' ? f.codec.encode(v) : v

/**
 * An object's fields as column values (properties left out stay out).
 *
 * @example
 * columnsOf(ArtistE, { ArtistId: 1, Name: 'AC/DC', albums: [] }) // { ArtistId: 1, Name: 'AC/DC' }
 */
export const columnsOf = (e: AnyEntity, o: Obj): Record<string, unknown> => {
  const row: Record<string, unknown> = {}
  for (const f of e.fields) {
    const v = o[f.prop]
    if (v !== undefined) row[f.column] = encodeField(f, v)
  }
  return row
}

/**
 * Whether the database itself deletes or unlinks the rows of `table` whose `columns` reference `parent` (ON DELETE CASCADE / SET NULL).
 *
 * @example
 * databaseCascades(comments, ['post_id'], posts) // true when comments.post_id is ON DELETE CASCADE
 */
export const databaseCascades = (table: AnyTable, columns: readonly string[], parent: AnyTable): boolean =>
  table.foreignKeys.some(
    (fk) => fk.references().name === parent.name && sameSet(fk.columns, columns) && (fk.onDelete === 'cascade' || fk.onDelete === 'set null'),
  )

/**
 * Properties among `props` whose field is NOT NULL.
 *
 * @example
 * notNull(AlbumE, ['ArtistId']) // ['ArtistId']
 */
export const notNull = (e: AnyEntity, props: readonly string[]): readonly string[] => props.filter((p) => fieldsOf(e).get(p)?.nullable === false)
