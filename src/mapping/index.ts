/**
 * # quarry/mapping — entities, relationships and load plans (pure)
 *
 * An **entity** maps a table (or any select or join, read-only) to an
 * object type inferred from its columns, with an io-ts codec. Per-dialect
 * **loaders** normalise what each driver returns (pg int8/numeric strings,
 * MySQL 0/1 booleans and decimal strings, SQLite 0/1 booleans, text dates,
 * JSON text) before the codec; a row that does not fit is a `DecodeError`
 * naming entity, column, value and io-ts path, never a rounded number.
 *
 * **Relationships** are explicit values: `manyToOne`, `oneToMany`,
 * `oneToOne`, `manyToMany` (through an association table); an association
 * object is an entity on the link table with a `oneToMany` to it and a
 * `manyToOne` from it; self-reference states its remote side; keys may be
 * composite.
 *
 * A **load plan** is a value: compiled statements plus a pure continuation
 * from their rows to objects (`Fetch` … `Done`). `load` plans select-in
 * (one statement per relationship level) or joined (one statement) loads;
 * `loadTree` loads adjacency trees with a recursive CTE; `hydrate` reads
 * several entities from one joined result as tuples; `loadLater` loads a
 * relationship for objects already loaded. Within a load there is one
 * object per key. Running a plan is the effects layer's job; `runWith`
 * runs one against a synchronous answerer.
 *
 * @example
 * import * as M from 'quarry/mapping'
 * const ArtistE = M.entity(Artist) // Entity<{ readonly ArtistId: number; readonly Name: string | null }>
 * const AlbumE = M.entity(Album)
 * const TrackE = M.entity(Track)
 * const albums = M.oneToMany(ArtistE, AlbumE, { remote: ['ArtistId'] })
 * const tracks = M.oneToMany(AlbumE, TrackE, { remote: ['AlbumId'] })
 * const plan = M.load(postgres)(ArtistE, { albums: M.nest(albums, { tracks }) })
 * // Fetch: SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist" ORDER BY "Artist"."ArtistId" ASC
 * // then:  SELECT "c"."AlbumId", ... FROM "Album" AS "c" WHERE "c"."ArtistId" IN ($1, ...) ORDER BY "c"."AlbumId" ASC
 * // then:  SELECT "c"."TrackId", ... FROM "Track" AS "c" WHERE "c"."AlbumId" IN ($1, ...) ORDER BY "c"."TrackId" ASC
 * // Done:  readonly (Artist & { albums: readonly (Album & { tracks: readonly Track[] })[] })[]
 * const joined = M.load(postgres)(ArtistE, { albums: M.nest(albums, { tracks }) }, { strategy: 'joined' }) // one statement, equal graph
 */
export { entity, view, relationOf, type Entity, type AnyEntity, type EntityType, type EntitySource, type FieldSpec, type ColumnCodecs, type TableEntity, type ViewColumns } from './entity.js'
export { manyToOne, oneToMany, oneToOne, manyToMany, type Relationship, type AnyRelationship, type Cardinality, type RelationshipKind, type Through, type Cascade, type CascadeOption } from './relationship.js'
export { nest, type Nested, type Include, type Graph, type Loaded } from './include.js'
export { load, type LoadOptions, type EntityCols } from './load.js'
export { loadTree, type Tree, type TreeOptions } from './tree.js'
export { hydrate, at, type At, type Item, type TupleOf } from './hydrate.js'
export { loadLater } from './later.js'
export { done, fail, fetch, chain, map, foldPlan, runWith, type LoadPlan, type Rows } from './plan.js'
export { decoderFor, newIdentity, type Identity, type Row, type RowDecoder, type DecoderSpec } from './decoder.js'
export { loaderFor, bindLimits, FAIL, type Loader } from './loaders.js'
export { columnCodec, fieldCodec, integerCodec, bigintCodec, decimalCodec, dateCodec, timestampCodec, bytesCodec, jsonCodec } from './codecs.js'
export { foldMappingError, type MappingError, type DecodeError, type PlanCompileError, type ResultMismatch } from './errors.js'
