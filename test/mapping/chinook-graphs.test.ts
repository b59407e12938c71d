/**
 * Object graphs from Chinook on the three real engines: Artist → Album →
 * Track loaded joined and select-in with equal results, the many-to-many
 * Playlist ↔ Track, and the round trips each strategy costs (select-in:
 * one per relationship level plus one, whatever the number of parents).
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/mapping/index.js'
import { chinookCounts, chinookFixture, loadChinook } from '../support/chinook.js'
import { engines, type OpenDb } from '../support/quarry-engines.js'
import * as X from './support/chinook-model.js'
import { runOk, runPlan } from './support/run-plan.js'

process.env.TZ = 'UTC'

const fixtureRows = (table: string): Record<string, unknown>[] => {
  const t = chinookFixture().get(table)
  if (t === undefined) throw new Error(`no fixture table ${table}`)
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]])))
}

describe.each(engines)('object graphs from Chinook on $name', (engine) => {
  let db: OpenDb

  beforeAll(async () => {
    db = await engine.open()
    await loadChinook(db.conn, db.dialect)
  })
  afterAll(async () => {
    await db?.close()
  })

  const artistsWithTracks = { albums: M.nest(X.artistAlbums, { tracks: X.albumTracks }) }

  it('loads Artist → Album → Track select-in in levels + 1 = 3 round trips, never N + 1', async () => {
    const ran = await runPlan(db.conn, M.load(db.dialect)(X.ArtistE, artistsWithTracks))
    expect(ran.roundTrips).toBe(3)
    expect(ran.steps).toEqual(['Artist (roots)', 'Artist.albums (select-in)', 'Album.tracks (select-in)'])
    const artists = E.getOrElseW((e: M.MappingError) => {
      throw new Error(e.message)
    })(ran.result)
    expect(artists).toHaveLength(chinookCounts['Artist'] as number)
    expect(artists.flatMap((a) => a.albums)).toHaveLength(chinookCounts['Album'] as number)
    expect(artists.flatMap((a) => a.albums.flatMap((al) => al.tracks))).toHaveLength(chinookCounts['Track'] as number)
    const acdc = artists.find((a) => a.ArtistId === 1)
    expect(acdc?.Name).toBe('AC/DC')
    expect(acdc?.albums.map((al) => al.Title)).toEqual(['For Those About To Rock We Salute You', 'Let There Be Rock'])
    expect(acdc?.albums[0]?.tracks[0]).toMatchObject({ TrackId: 1, Name: 'For Those About To Rock (We Salute You)', UnitPrice: '0.99', Milliseconds: 343719 })
    const withoutAlbums = new Set(fixtureRows('Artist').map((a) => a['ArtistId'])).size - new Set(fixtureRows('Album').map((a) => a['ArtistId'])).size
    expect(artists.filter((a) => a.albums.length === 0)).toHaveLength(withoutAlbums)
    expect(withoutAlbums).toBeGreaterThan(0)
  })

  it('loads the same graph joined, in one round trip, and equal to select-in', async () => {
    const joined = await runPlan(db.conn, M.load(db.dialect)(X.ArtistE, artistsWithTracks, { strategy: 'joined' }))
    expect(joined.roundTrips).toBe(1)
    const selectIn = await runOk(db.conn, M.load(db.dialect)(X.ArtistE, artistsWithTracks))
    expect(E.isRight(joined.result) && joined.result.right).toEqual(selectIn)
  })

  it('keeps the round trips at levels + 1 for 10 or 275 parents, and chunks key lists below the bind limit', async () => {
    const few = await runPlan(db.conn, M.load(db.dialect)(X.ArtistE, artistsWithTracks, { limit: 10 }))
    const all = await runPlan(db.conn, M.load(db.dialect)(X.ArtistE, artistsWithTracks))
    expect([few.roundTrips, all.roundTrips]).toEqual([3, 3])
    // A bind limit of 100 splits the 347 album keys into 4 statements: more round trips, the same graph.
    const chunked = await runPlan(db.conn, M.load(db.dialect)(X.ArtistE, artistsWithTracks, { bindLimit: 100 }))
    expect(chunked.roundTrips).toBe(1 + 3 + 4)
    expect(chunked.result).toEqual(all.result)
  })

  it('loads a collection below a shared single reference (album → artist → albums) joined as select-in does', async () => {
    const include = { artist: M.nest(X.albumArtist, { albums: X.artistAlbums }) }
    const first = { where: (c: M.EntityCols<M.EntityType<typeof X.AlbumE>>) => Q.lte(c.AlbumId, 12) }
    const s = await runOk(db.conn, M.load(db.dialect)(X.AlbumE, include, first))
    const j = await runOk(db.conn, M.load(db.dialect)(X.AlbumE, include, { ...first, strategy: 'joined' }))
    expect(j).toEqual(s)
    const acdc = s.find((a) => a.AlbumId === 1)?.artist
    expect(acdc?.albums.map((a) => a.AlbumId)).toEqual([1, 4])
    expect(acdc?.albums[1]).toBe(s.find((a) => a.AlbumId === 4))
    const jacdc = j.find((a) => a.AlbumId === 1)?.artist
    expect(jacdc?.albums[1]).toBe(j.find((a) => a.AlbumId === 4))
  })

  it('filters, orders and limits the roots the same way in both strategies', async () => {
    const o: M.LoadOptions<M.EntityType<typeof X.ArtistE>> = { where: (c) => Q.like(c.Name, 'A%'), orderBy: (c) => [Q.desc(c.Name)], limit: 5 }
    const s = await runOk(db.conn, M.load(db.dialect)(X.ArtistE, { albums: X.artistAlbums }, o))
    const j = await runOk(db.conn, M.load(db.dialect)(X.ArtistE, { albums: X.artistAlbums }, { ...o, strategy: 'joined' }))
    expect(j).toEqual(s)
    expect(s.map((a) => a.Name)).toEqual([...s.map((a) => a.Name)].sort().reverse())
    expect(s).toHaveLength(5)
  })

  it('loads Playlist ↔ Track many-to-many both ways, one object per track', async () => {
    const s = await runPlan(db.conn, M.load(db.dialect)(X.PlaylistE, { tracks: X.playlistTracks }))
    expect(s.roundTrips).toBe(2)
    const playlists = await runOk(db.conn, M.load(db.dialect)(X.PlaylistE, { tracks: X.playlistTracks }, { strategy: 'joined' }))
    expect(s.result).toEqual(E.right(playlists))
    expect(playlists.flatMap((p) => p.tracks)).toHaveLength(chinookCounts['PlaylistTrack'] as number)
    const expected = new Map<unknown, number>()
    for (const r of fixtureRows('PlaylistTrack')) expected.set(r['PlaylistId'], (expected.get(r['PlaylistId']) ?? 0) + 1)
    expect(playlists.map((p) => [p.PlaylistId, p.tracks.length])).toEqual(playlists.map((p) => [p.PlaylistId, expected.get(p.PlaylistId) ?? 0]))
    // Track 1 is on several playlists: one object, shared.
    const holders = playlists.filter((p) => p.tracks.some((t) => t.TrackId === 1))
    expect(holders.length).toBeGreaterThan(1)
    expect(new Set(holders.map((p) => p.tracks.find((t) => t.TrackId === 1))).size).toBe(1)
    const tracks = await runOk(db.conn, M.load(db.dialect)(X.TrackE, { playlists: X.trackPlaylists }, { where: (c) => Q.eq(c.TrackId, 1) }))
    expect(tracks[0]?.playlists.map((p) => p.PlaylistId)).toEqual(holders.map((p) => p.PlaylistId))
  })

  it('loads many-to-one, one-to-one and association objects with their own columns', async () => {
    const albums = await runOk(db.conn, M.load(db.dialect)(X.AlbumE, { artist: X.albumArtist }, { where: (c) => Q.lte(c.AlbumId, 4) }))
    expect(albums.map((a) => [a.AlbumId, a.artist?.Name])).toEqual([
      [1, 'AC/DC'],
      [2, 'Accept'],
      [3, 'Accept'],
      [4, 'AC/DC'],
    ])
    expect(albums[1]?.artist).toBe(albums[2]?.artist)
    const customers = await runOk(db.conn, M.load(db.dialect)(X.CustomerE, { rep: X.customerRep }, { where: (c) => Q.eq(c.CustomerId, 1), strategy: 'joined' }))
    expect(customers[0]?.rep?.LastName).toBe('Peacock')
    const invoices = await runOk(db.conn, M.load(db.dialect)(X.InvoiceE, { lines: M.nest(X.invoiceLines, { track: X.lineTrack }) }, { where: (c) => Q.eq(c.InvoiceId, 1) }))
    expect(invoices[0]?.InvoiceDate).toEqual(new Date('2021-01-01T00:00:00.000Z'))
    expect(invoices[0]?.Total).toBe('1.98')
    expect(invoices[0]?.lines.map((l) => [l.UnitPrice, l.Quantity, l.track?.Name])).toEqual([
      ['0.99', 1, 'Balls to the Wall'],
      ['0.99', 1, 'Restless and Wild'],
    ])
    const entries = await runOk(db.conn, M.load(db.dialect)(X.PlaylistE, { entries: X.playlistEntries }, { where: (c) => Q.eq(c.PlaylistId, 18) }))
    expect(entries[0]?.entries).toEqual([{ PlaylistId: 18, TrackId: 597 }])
  })

  it('loads a relationship later for objects already loaded, in one round trip per level', async () => {
    const artists = await runOk(db.conn, M.load(db.dialect)(X.ArtistE, {}, { where: (c) => Q.lte(c.ArtistId, 3) }))
    const later = await runPlan(db.conn, M.loadLater(db.dialect)(X.ArtistE, artists, { albums: X.artistAlbums }))
    expect(later.roundTrips).toBe(1)
    const eager = await runOk(db.conn, M.load(db.dialect)(X.ArtistE, { albums: X.artistAlbums }, { where: (c) => Q.lte(c.ArtistId, 3) }))
    expect(later.result).toEqual(E.right(eager))
    expect(artists[0]).not.toHaveProperty('albums')
  })
})
