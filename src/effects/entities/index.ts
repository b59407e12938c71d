/**
 * Entity change graphs: save a graph of entity objects (new ones inserted,
 * loaded ones updated by diff against a snapshot, removed children orphaned
 * or deleted, many-to-many links inserted and deleted) and delete objects
 * with their relationships' cascades — translated into the table-level
 * change graph `G`, which plans, orders, batches and commits it.
 * Import as a namespace: `EG` in `quarry/effects`.
 *
 * @example
 * const ArtistGraph = EG.shape(ArtistE, { albums: M.nest(artistAlbums, { tracks: albumTracks }) })
 * const loaded = await runPromise(engine)(loadWith((d) => M.load(d)(ArtistE, { albums: M.nest(artistAlbums, { tracks: albumTracks }) })))
 * const changes = EG.save(ArtistGraph, EG.snapshot(ArtistGraph, loaded))([{ ...loaded[0]!, Name: 'Renamed' }])
 * if (E.isRight(changes)) await EG.commitWith(engine)(changes.right)()
 */
export { shape, sideOf, type Draft, type DraftOf, type Saved, type Shape, type Side } from './shape.js'
export { emptySnapshot, merge, snapshot, type Snapshot } from './snapshot.js'
export { commit, commitWith, plan, remove, save, type EntityChanges, type Removed } from './save.js'
export { foldEntityProblem, invalidEntityGraph, isInvalidEntityGraph, type EntityProblem, type EntityProblemHandlers, type InvalidEntityGraph } from './errors.js'
