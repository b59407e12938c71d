/**
 * The documented examples of src/mapping, run as written (with the Chinook
 * tables), checking what their comments claim. No database: plans are
 * values, inspected or run against canned rows with `runWith`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { eq, from, groupBy, integer, isNull, join, numeric, select, sum } from '../../src/algebra/index.js'
import { postgres, sqlite } from '../../src/interpret/index.js'
import * as M from '../../src/mapping/index.js'
import { Album, Artist, Invoice, PlaylistTrack, Track } from '../support/chinook.js'
import { AlbumE, ArtistE, EmployeeE, PlaylistE, TrackE, albumTracks, artistAlbums } from './support/chinook-model.js'

const sqlOf = <A>(p: M.LoadPlan<A>): readonly string[] => (p._tag === 'Fetch' ? p.statements.map((s) => s.sql) : [])
const stepsOf = <A>(p: M.LoadPlan<A>, answer: (step: string) => M.Rows): string[] => {
  const steps: string[] = []
  M.runWith(p, (stmts, step) => {
    steps.push(step)
    return stmts.map(() => answer(step))
  })
  return steps
}

describe('documented examples', () => {
  it('index: select-in sends the three statements shown, joined sends one', () => {
    const albums = M.oneToMany(ArtistE, AlbumE, { remote: ['ArtistId'] })
    const tracks = M.oneToMany(AlbumE, TrackE, { remote: ['AlbumId'] })
    const plan = M.load(postgres)(ArtistE, { albums: M.nest(albums, { tracks }) })
    expect(sqlOf(plan)).toEqual(['SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist" ORDER BY "Artist"."ArtistId" ASC'])
    const artist = { ArtistId: 1, Name: 'AC/DC' }
    const album = { AlbumId: 1, Title: 'For Those About To Rock', ArtistId: 1 }
    const sql: string[] = []
    M.runWith(plan, (stmts, step) => {
      sql.push(...stmts.map((s) => s.sql))
      return [step.startsWith('Artist (') ? [artist] : step.startsWith('Artist.albums') ? [album] : []]
    })
    expect(sql[1]).toBe('SELECT "c"."AlbumId", "c"."Title", "c"."ArtistId" FROM "Album" AS "c" WHERE "c"."ArtistId" IN ($1) ORDER BY "c"."AlbumId" ASC')
    expect(sql[2]).toMatch(/^SELECT "c"."TrackId", .* FROM "Track" AS "c" WHERE "c"."AlbumId" IN \(\$1\) ORDER BY "c"."TrackId" ASC$/)
    expect(sqlOf(M.load(postgres)(ArtistE, { albums: M.nest(albums, { tracks }) }, { strategy: 'joined' }))).toHaveLength(1)
  })

  it('load: Fetch(Artist) → Fetch(Artist.albums) → Fetch(Album.tracks) → Done', () => {
    const plan = M.load(sqlite)(ArtistE, { albums: M.nest(artistAlbums, { tracks: albumTracks }) }, { strategy: 'select-in' })
    const rows: Record<string, M.Rows> = {
      'Artist (roots)': [{ ArtistId: 1, Name: 'AC/DC' }],
      'Artist.albums (select-in)': [{ AlbumId: 1, Title: 't', ArtistId: 1 }],
    }
    expect(stepsOf(plan, (s) => rows[s] ?? [])).toEqual(['Artist (roots)', 'Artist.albums (select-in)', 'Album.tracks (select-in)'])
  })

  it('view: a customer-spend entity over an aggregate select', () => {
    const spend = pipe(from(Invoice), groupBy((s) => [s.Invoice.CustomerId]), select((s) => ({ CustomerId: s.Invoice.CustomerId, Total: sum(s.Invoice.Total) })))
    const CustomerSpend = M.view('CustomerSpend', spend, { CustomerId: integer().notNull(), Total: numeric(10, 2).notNull() }, { key: ['CustomerId'] })
    const r = M.runWith(M.load(sqlite)(CustomerSpend), () => [[{ CustomerId: 1, Total: 39.62 }]])
    expect(r).toEqual(E.right([{ CustomerId: 1, Total: '39.62' }]))
  })

  it('relationships, trees, tuples and later loading as documented', () => {
    const albumArtist = M.manyToOne(AlbumE, ArtistE, { local: ['ArtistId'] })
    const reports = M.oneToMany(EmployeeE, EmployeeE, { remote: ['ReportsTo'] })
    const playlistTracks = M.manyToMany(PlaylistE, TrackE, { through: PlaylistTrack, local: ['PlaylistId'], remote: ['TrackId'] })
    expect([albumArtist.kind, reports.kind, playlistTracks.kind]).toEqual(['many-to-one', 'one-to-many', 'many-to-many'])
    expect(sqlOf(M.loadTree(postgres)(EmployeeE, { reports }, { roots: (c) => isNull(c.ReportsTo) }))[0]).toMatch(/^WITH RECURSIVE "qtree"/)
    const q = pipe(from(Track), join(Album, (s) => eq(s.Album.AlbumId, s.Track.AlbumId)), join(Artist, (s) => eq(s.Artist.ArtistId, s.Album.ArtistId)))
    expect(sqlOf(M.hydrate(postgres)(q, [AlbumE, ArtistE, TrackE]))[0]).toMatch(/"Album"."AlbumId" AS "e0_0", .* FROM "Track" INNER JOIN "Album"/)
    const artists = [{ ArtistId: 1, Name: 'AC/DC' }]
    const withAlbums = M.loadLater(sqlite)(ArtistE, artists, { albums: artistAlbums })
    expect(M.runWith(withAlbums, () => [[{ AlbumId: 4, Title: 'Let There Be Rock', ArtistId: 1 }]])).toEqual(
      E.right([{ ArtistId: 1, Name: 'AC/DC', albums: [{ AlbumId: 4, Title: 'Let There Be Rock', ArtistId: 1 }] }]),
    )
  })
})
