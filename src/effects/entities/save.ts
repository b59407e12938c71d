/**
 * Saving and deleting entity graphs, over the change graph `G`: `save`
 * translates a graph of objects (new, and changed copies of loaded ones)
 * into change nodes by diff against a snapshot; `remove` deletes loaded
 * objects with their relationships' cascades. Both are pure and reject a
 * bad graph before anything else happens; `plan` shows the statements (G's
 * plan), `commit` runs them in one transaction and gives back the saved
 * graph.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Dialect, DialectName } from '../../interpret/index.js'
import type { Engine } from '../engine.js'
import { commit as commitGraph, commitWith as commitGraphWith, fromNodes, plan as planGraph, type ChangeGraph, type InvalidGraph, type Persisted, type Plan } from '../graph/index.js'
import type { Program, QuarryError } from '../program.js'
import { checkUnknown, newCtx, reach, type Ctx } from './collect.js'
import { deleteCascade } from './deletes.js'
import { emit } from './emit.js'
import { invalidEntityGraph, type InvalidEntityGraph } from './errors.js'
import { rebuild } from './result.js'
import { keyOf, type Draft, type Saved, type Shape } from './shape.js'
import { emptySnapshot, merge, snapshot, type Snapshot } from './snapshot.js'

/** An entity graph translated into a change graph, with what its commit gives back. */
export interface EntityChanges<T> {
  readonly _tag: 'EntityChanges'
  /** The table-level change graph (`G`): print it with `G.plan` / `G.printPlan`. */
  readonly graph: ChangeGraph
  /** The result, from the persisted rows and the dialect they were written in. */
  readonly result: (persisted: Persisted, dialect: DialectName) => T
}

/** What deleting gives back. */
export interface Removed {
  readonly _tag: 'Removed'
  /** Rows deleted by the change graph (cascaded children and association rows included), not counting the database's own cascades. */
  readonly rows: number
}

const finish = <T>(ctx: Ctx, result: EntityChanges<T>['result']): E.Either<InvalidEntityGraph, EntityChanges<T>> => {
  const nodes = emit(ctx)
  checkUnknown(ctx)
  return ctx.problems.length > 0 ? E.left(invalidEntityGraph(ctx.problems)) : E.right(Object.freeze({ _tag: 'EntityChanges', graph: fromNodes(nodes), result }))
}

/**
 * Save a graph of objects of a shape: objects whose key is in `before` (the
 * snapshot of what was loaded) are updated by diff — only changed columns,
 * version-checked — the others are inserted, their foreign keys set from
 * their relationships (a new parent's generated key flows to its children).
 * Children missing from a loaded collection are deleted (`delete-orphan`)
 * or get a NULL foreign key; many-to-many links are inserted and deleted.
 * Pure: a graph that cannot be saved is an `InvalidEntityGraph`.
 *
 * @example
 * const before = EG.snapshot(ArtistGraph, loaded)
 * const changed = [{ ...loaded[0], albums: [...loaded[0].albums, { Title: 'New', tracks: [] }] }]
 * const changes = EG.save(ArtistGraph, before)(changed)   // Either<InvalidEntityGraph, EntityChanges<…>>
 */
export const save =
  <A, I>(s: Shape<A, I>, before: Snapshot = emptySnapshot) =>
  (objects: readonly Draft<A, I>[]): E.Either<InvalidEntityGraph, EntityChanges<readonly Saved<A, I>[]>> => {
    const ctx = newCtx(before)
    objects.forEach((o, i) => reach(ctx, o, s.entity, s.nodes, `${s.entity.name}[${i}]`, undefined))
    return finish(ctx, (p, d) => rebuild(ctx, p.rows, d, objects) as readonly Saved<A, I>[])
  }

/**
 * Delete loaded objects of a shape with their relationships' cascades:
 * children along a `delete` cascade are deleted, other children unlinked
 * (NULL foreign key), association rows deleted. The objects (with the
 * relationships of the shape loaded) are their own snapshot; `before` adds to it.
 *
 * @example
 * const changes = EG.remove(EG.shape(AlbumE, { tracks: albumTracksCascading }))(albums)
 */
export const remove =
  <A, I>(s: Shape<A, I>, before: Snapshot = emptySnapshot) =>
  (objects: readonly Saved<A, I>[]): E.Either<InvalidEntityGraph, EntityChanges<Removed>> => {
    const ctx = newCtx(merge(before, snapshot(s, objects)))
    objects.forEach((o, i) => deleteCascade(ctx, s.entity, keyOf(s.entity, o as Readonly<Record<string, unknown>>), s.nodes, `${s.entity.name}[${i}]`))
    return finish(ctx, () => Object.freeze({ _tag: 'Removed' as const, rows: [...ctx.extra.values()].filter((n) => n._tag === 'DeleteRow').length }))
  }

/**
 * The statements a commit of the changes will run, for a dialect (G's plan; print it with `G.printPlan`).
 *
 * @example
 * const p = EG.plan(changes, sqlite)
 * if (E.isRight(p)) console.log(G.printPlan(p.right))
 */
export const plan = (changes: EntityChanges<unknown>, d: Dialect): E.Either<InvalidGraph, Plan> => planGraph(changes.graph, d)

/**
 * Commit the changes in one transaction (a savepoint when nested) and give back the result.
 *
 * @example
 * const saved = await runPromise(engine)(EG.commit(changes))
 */
export const commit = <T>(changes: EntityChanges<T>): Program<T> => (s) => async () => {
  const r = await commitGraph(changes.graph)(s)()
  return E.isLeft(r) ? r : E.right(changes.result(r.right, s.engine.dialect.name))
}

/**
 * Commit the changes on an engine; the change graph is planned before a
 * connection is borrowed, so an invalid one never takes one.
 *
 * @example
 * const saved = await EG.commitWith(engine)(changes)()   // Either<QuarryError, saved graph>
 */
export const commitWith =
  (engine: Engine) =>
  <T>(changes: EntityChanges<T>): TE.TaskEither<QuarryError, T> =>
  async () => {
    const r = await commitGraphWith(engine)(changes.graph)()
    return E.isLeft(r) ? r : E.right(changes.result(r.right, engine.dialect.name))
  }
