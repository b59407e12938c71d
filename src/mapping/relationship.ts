/**
 * Relationships between entities, stated explicitly (quarry infers nothing
 * from names): the parent's `local` key properties match the child's
 * `remote` ones, directly or through an association table. Self-referential
 * relationships are the same value with one entity on both sides; stating
 * `remote` is what says which side is the remote one. Keys may be composite.
 */
import type * as Q from '../algebra/index.js'
import type { AnyEntity, Entity } from './entity.js'

declare const relType: unique symbol

/**
 * What saving or deleting a parent does along a relationship, as in
 * SQLAlchemy: `save-update` (the default) saves new and changed children
 * with their parent; `delete` deletes the children when the parent is
 * deleted (otherwise their foreign key is set to NULL); `delete-orphan`
 * deletes a child removed from its parent's collection (otherwise its
 * foreign key is set to NULL). Only the entity change graph reads it;
 * loading ignores it.
 */
export type Cascade = 'save-update' | 'delete' | 'delete-orphan'

/** Cascade options of a relationship constructor. */
export interface CascadeOption {
  /** Default `['save-update']`; `[]` makes the children references only (never inserted or updated through this relationship). */
  readonly cascade?: readonly Cascade[]
}

/** How many children a parent has through a relationship. */
export type Cardinality = 'many' | 'one'

/** The kinds of relationship. */
export type RelationshipKind = 'many-to-one' | 'one-to-many' | 'one-to-one' | 'many-to-many'

/** An association table between parent and child. */
export interface Through {
  readonly table: Q.AnyTable
  /** Link columns matching the parent's `local` properties. */
  readonly local: readonly string[]
  /** Link columns matching the child's `remote` properties. */
  readonly remote: readonly string[]
}

/** A relationship from parent objects `P` to child objects `C`. */
export interface Relationship<P, C, Card extends Cardinality> {
  readonly _tag: 'Relationship'
  readonly kind: RelationshipKind
  readonly cardinality: Card
  readonly parent: AnyEntity
  readonly child: AnyEntity
  /** Parent properties (the join key on the parent side). */
  readonly local: readonly string[]
  /** Child properties matched with `local` (or with `through.remote`). */
  readonly remote: readonly string[]
  readonly through: Through | undefined
  /** What saving and deleting the parent does to the children (see {@link Cascade}). */
  readonly cascade: readonly Cascade[]
  readonly [relType]?: { readonly p: P; readonly c: C; readonly card: Card }
}

/** Any relationship. */
export type AnyRelationship = Relationship<any, any, Cardinality>

/** Keys of an object type, as property names. */
export type Keys<A> = readonly (keyof A & string)[]

const DEFAULT_CASCADE: readonly Cascade[] = Object.freeze(['save-update'])

const make = <P, C, Card extends Cardinality>(
  kind: RelationshipKind,
  cardinality: Card,
  parent: AnyEntity,
  child: AnyEntity,
  local: readonly string[],
  remote: readonly string[],
  through: Through | undefined,
  cascade: readonly Cascade[] = DEFAULT_CASCADE,
): Relationship<P, C, Card> => {
  const name = `${parent.name} → ${child.name}`
  // An orphan is a child whose foreign key pointed at the parent: only where the key is on the child side.
  if (cascade.includes('delete-orphan') && (kind === 'many-to-one' || kind === 'many-to-many'))
    throw new TypeError(`relationship ${name}: delete-orphan applies to one-to-many and one-to-one relationships, not ${kind}`)
  if (local.length === 0 || remote.length === 0 || (through === undefined && local.length !== remote.length))
    throw new TypeError(`relationship ${name}: local and remote keys must be non-empty and of equal length`)
  if (parent.key.length === 0 || child.key.length === 0) throw new TypeError(`relationship ${name}: both entities need a key (identity within a load)`)
  if (through !== undefined && (through.local.length !== local.length || through.remote.length !== remote.length))
    throw new TypeError(`relationship ${name}: the association table's columns must pair with the local and remote keys`)
  return Object.freeze({
    _tag: 'Relationship',
    kind,
    cardinality,
    parent,
    child,
    local: Object.freeze([...local]),
    remote: Object.freeze([...remote]),
    through: through === undefined ? undefined : Object.freeze({ ...through, local: Object.freeze([...through.local]), remote: Object.freeze([...through.remote]) }),
    cascade: cascade === DEFAULT_CASCADE ? cascade : Object.freeze([...new Set(cascade)]),
  })
}

/** Keys of a many-to-one / one-to-many / one-to-one relationship. */
export interface KeyPair<P, C> extends CascadeOption {
  readonly local: Keys<P>
  readonly remote: Keys<C>
}

/**
 * Each parent refers to at most one child (`parent.local` → `child.remote`,
 * by default the child's key): an album's artist, an employee's manager.
 *
 * @example
 * const albumArtist = manyToOne(AlbumE, ArtistE, { local: ['ArtistId'] })
 */
export const manyToOne = <P, C>(parent: Entity<P>, child: Entity<C>, keys: { readonly local: Keys<P>; readonly remote?: Keys<C> } & CascadeOption): Relationship<P, C, 'one'> =>
  make('many-to-one', 'one', parent, child, keys.local, keys.remote ?? child.key, undefined, keys.cascade)

/**
 * Each parent has any number of children whose `remote` properties hold
 * the parent's `local` ones (by default the parent's key).
 *
 * @example
 * const reports = oneToMany(EmployeeE, EmployeeE, { remote: ['ReportsTo'] }) // self-referential
 * const tracks = oneToMany(AlbumE, TrackE, { remote: ['AlbumId'], cascade: ['save-update', 'delete', 'delete-orphan'] })
 */
export const oneToMany = <P, C>(parent: Entity<P>, child: Entity<C>, keys: { readonly local?: Keys<P>; readonly remote: Keys<C> } & CascadeOption): Relationship<P, C, 'many'> =>
  make('one-to-many', 'many', parent, child, keys.local ?? parent.key, keys.remote, undefined, keys.cascade)

/**
 * Like `oneToMany`, but at most one child per parent. The foreign key may
 * be on either side: when `remote` is the child's key, it is the parent's
 * `local` columns (like many-to-one); otherwise the child's `remote` ones.
 *
 * @example
 * const rep = oneToOne(CustomerE, EmployeeE, { local: ['SupportRepId'], remote: ['EmployeeId'] })
 */
export const oneToOne = <P, C>(parent: Entity<P>, child: Entity<C>, keys: KeyPair<P, C>): Relationship<P, C, 'one'> =>
  make('one-to-one', 'one', parent, child, keys.local, keys.remote, undefined, keys.cascade)

/**
 * Parents and children linked through an association table whose
 * `through.local` columns hold the parent's key and `through.remote`
 * columns the child's key.
 *
 * @example
 * const playlistTracks = manyToMany(PlaylistE, TrackE, { through: PlaylistTrack, local: ['PlaylistId'], remote: ['TrackId'] })
 */
export const manyToMany = <P, C, T extends Q.AnyTable>(
  parent: Entity<P>,
  child: Entity<C>,
  link: { readonly through: T; readonly local: readonly (keyof T['columns'] & string)[]; readonly remote: readonly (keyof T['columns'] & string)[] } & CascadeOption,
): Relationship<P, C, 'many'> =>
  make('many-to-many', 'many', parent, child, parent.key, child.key, { table: link.through, local: link.local, remote: link.remote }, link.cascade)
