/**
 * The tour's schema: a small record shop (artists, albums, tracks) and its
 * staff (an adjacency list: each employee reports to another), defined
 * once with quarry's column builders, plus the entities and relationships
 * that map it. Nothing here talks to a database.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../src/algebra/index.js'
import * as M from '../src/mapping/index.js'

export const artist = Q.table('artist', {
  id: Q.integer().primaryKey().autoIncrement(),
  name: Q.varchar(120).notNull().unique(),
})

export const album = Q.table(
  'album',
  {
    id: Q.integer().primaryKey().autoIncrement(),
    artist_id: Q.integer().notNull(),
    title: Q.varchar(160).notNull(),
  },
  { foreignKeys: [{ columns: ['artist_id'], references: (): Q.AnyTable => artist, referencedColumns: ['id'], onDelete: 'cascade' }] },
)

export const track = Q.table(
  'track',
  {
    id: Q.integer().primaryKey().autoIncrement(),
    album_id: Q.integer().notNull(),
    name: Q.varchar(200).notNull(),
    ms: Q.integer().notNull(),
    price: Q.numeric(10, 2).notNull(),
  },
  {
    foreignKeys: [{ columns: ['album_id'], references: (): Q.AnyTable => album, referencedColumns: ['id'], onDelete: 'cascade' }],
    indexes: [{ name: 'track_album', columns: ['album_id'] }],
  },
)

export const employee = Q.table(
  'employee',
  {
    id: Q.integer().primaryKey().autoIncrement(),
    name: Q.varchar(80).notNull(),
    reports_to: Q.integer(),
  },
  { foreignKeys: [{ columns: ['reports_to'], references: (): Q.AnyTable => employee, referencedColumns: ['id'] }] },
)

/** The schema as a whole: it knows the foreign-key graph, so DDL comes out in FK order. */
export const shop = Q.metadata([track, album, artist, employee])

export const ArtistE = M.entity(artist)
export const AlbumE = M.entity(album)
export const TrackE = M.entity(track)
export const EmployeeE = M.entity(employee)

export const albums = M.oneToMany(ArtistE, AlbumE, { remote: ['artist_id'] })
export const tracks = M.oneToMany(AlbumE, TrackE, { remote: ['album_id'] })
/** Self-referential: the remote side (`reports_to`) is stated. */
export const reports = M.oneToMany(EmployeeE, EmployeeE, { remote: ['reports_to'] })

/** An entity mapped to an aggregate select: each artist with its album count and catalogue length. */
export const ArtistStatsE = M.view(
  'ArtistStats',
  pipe(
    Q.from(artist),
    Q.leftJoin(album, (s) => Q.eq(s.album.artist_id, s.artist.id)),
    Q.leftJoin(track, (s) => Q.eq(s.track.album_id, s.album.id)),
    Q.groupBy((s) => [s.artist.id, s.artist.name]),
    Q.select((s) => ({ id: s.artist.id, name: s.artist.name, albums: Q.countDistinct(s.album.id), tracks: Q.count(s.track.id) })),
  ),
  { id: Q.integer().notNull(), name: Q.varchar(120).notNull(), albums: Q.integer().notNull(), tracks: Q.integer().notNull() },
  { key: ['id'] },
)
