/**
 * Why an entity graph cannot be saved, found while translating it into a
 * change graph — before any plan, connection or statement. Each problem
 * names the object by its path in the input (`Artist[0].albums[1]`), its
 * entity, and the property it is about.
 */

/** One problem with an entity graph. */
export type EntityProblem =
  | {
      readonly _tag: 'ValueDoesNotFit'
      readonly path: string
      readonly entity: string
      readonly property: string
      readonly value: unknown
      /** The io-ts type the value must have. */
      readonly expected: string
      readonly message: string
    }
  | { readonly _tag: 'UnknownProperty'; readonly path: string; readonly entity: string; readonly property: string; readonly message: string }
  | { readonly _tag: 'ReadOnlyEntity'; readonly path: string; readonly entity: string; readonly message: string }
  | {
      readonly _tag: 'MissingRelation'
      readonly path: string
      readonly entity: string
      /** The NOT NULL foreign-key properties left without a value. */
      readonly properties: readonly string[]
      /** The table the foreign key references. */
      readonly references: string
      readonly message: string
    }
  | {
      readonly _tag: 'OrphanNotNull'
      readonly path: string
      readonly entity: string
      /** The relationship property the child was removed from (or whose parent is deleted). */
      readonly relationship: string
      readonly properties: readonly string[]
      readonly message: string
    }
  | { readonly _tag: 'NotLoaded'; readonly path: string; readonly entity: string; readonly relationship: string; readonly message: string }
  | { readonly _tag: 'NotPersisted'; readonly path: string; readonly entity: string; readonly relationship: string; readonly message: string }
  | { readonly _tag: 'ConflictingObjects'; readonly path: string; readonly entity: string; readonly other: string; readonly message: string }

/** The entity graph cannot be saved; nothing was planned or sent. */
export interface InvalidEntityGraph {
  readonly _tag: 'InvalidEntityGraph'
  readonly problems: readonly EntityProblem[]
  readonly message: string
}

/** Handlers for every kind of problem. */
export type EntityProblemHandlers<R> = { readonly [K in EntityProblem['_tag']]: (p: Extract<EntityProblem, { readonly _tag: K }>) => R }

/**
 * Total fold over an {@link EntityProblem}.
 *
 * @example
 * const where = foldEntityProblem({ ValueDoesNotFit: (p) => p.property, UnknownProperty: (p) => p.property, ReadOnlyEntity: (p) => p.entity,
 *   MissingRelation: (p) => p.properties.join(), OrphanNotNull: (p) => p.relationship, NotLoaded: (p) => p.relationship,
 *   NotPersisted: (p) => p.relationship, ConflictingObjects: (p) => p.other })
 */
export const foldEntityProblem =
  <R>(h: EntityProblemHandlers<R>) =>
  (p: EntityProblem): R => {
    switch (p._tag) {
      case 'ValueDoesNotFit':
        return h.ValueDoesNotFit(p)
      case 'UnknownProperty':
        return h.UnknownProperty(p)
      case 'ReadOnlyEntity':
        return h.ReadOnlyEntity(p)
      case 'MissingRelation':
        return h.MissingRelation(p)
      case 'OrphanNotNull':
        return h.OrphanNotNull(p)
      case 'NotLoaded':
        return h.NotLoaded(p)
      case 'NotPersisted':
        return h.NotPersisted(p)
      case 'ConflictingObjects':
        return h.ConflictingObjects(p)
    }
  }

/**
 * An InvalidEntityGraph listing its problems.
 *
 * @example
 * invalidEntityGraph([{ _tag: 'ReadOnlyEntity', path: 'Spend[0]', entity: 'Spend', message: 'Spend[0]: read-only' }])
 */
export const invalidEntityGraph = (problems: readonly EntityProblem[]): InvalidEntityGraph =>
  Object.freeze({
    _tag: 'InvalidEntityGraph',
    problems: Object.freeze([...problems]),
    message: `the entity graph cannot be saved (nothing was sent):\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
  })

/**
 * True for an {@link InvalidEntityGraph}.
 *
 * @example
 * if (E.isLeft(r) && isInvalidEntityGraph(r.left)) console.log(r.left.problems)
 */
export const isInvalidEntityGraph = (u: unknown): u is InvalidEntityGraph =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'InvalidEntityGraph'
