/**
 * Compile workloads: no database involved, so the engines the runner passes
 * are not used; each dialect is measured once and reported under the name
 * of the engine it targets (`postgresql`, `mariadb`, `sqlite`).
 *
 * - `compile`: build a select with two joins, three bound parameters
 *   (two predicates and the LIMIT), ORDER BY and LIMIT, and compile it,
 *   with the statement cache emptied before every operation
 *   (`clearStatementCache`, the interpreter's own way to get an uncached
 *   compile), so every op pays the walk, lowering and printing of the same
 *   shape — not a different shape each time.
 * - `compile-cached`: the same shape with other values each time, cache
 *   warm: the walk for the shape key and the re-encoding of the values.
 *
 * The baseline is the honest floor: the same SQL text and parameter array
 * built by hand with a template literal and the dialect's placeholders.
 * The budgets (20 µs and 2 µs) are absolute, so the quarry figure is what
 * matters; the ratio only shows how far above the floor it is.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../../src/algebra/index.js'
import { clearStatementCache, compile, mariadb, postgres, sqlite, type Dialect } from '../../src/interpret/index.js'
import type { BenchEngines, EngineName } from '../engines.js'
import { compare, type Measurement } from '../measure.js'

const Artist = Q.table('Artist', { ArtistId: Q.integer().primaryKey(), Name: Q.varchar(120) })
const Album = Q.table('Album', { AlbumId: Q.integer().primaryKey(), Title: Q.varchar(160).notNull(), ArtistId: Q.integer().notNull() })
const Track = Q.table('Track', {
  TrackId: Q.integer().primaryKey(),
  Name: Q.varchar(200).notNull(),
  AlbumId: Q.integer(),
  GenreId: Q.integer(),
  Milliseconds: Q.integer().notNull(),
  UnitPrice: Q.numeric(10, 2).notNull(),
})

/** The benchmark query: tracks of a genre longer than some length, with album and artist, top n by length. */
const buildQuery = (genre: number, minMs: number, n: number) =>
  pipe(
    Q.from(Track),
    Q.join(Album, (s) => Q.eq(s.Album.AlbumId, s.Track.AlbumId)),
    Q.join(Artist, (s) => Q.eq(s.Artist.ArtistId, s.Album.ArtistId)),
    Q.where((s) => Q.and(Q.eq(s.Track.GenreId, genre), Q.gt(s.Track.Milliseconds, minMs))),
    Q.select((s) => ({ track: s.Track.Name, album: s.Album.Title, artist: s.Artist.Name, ms: s.Track.Milliseconds })),
    Q.orderBy((s) => [Q.desc(s.Track.Milliseconds), s.Track.TrackId]),
    Q.limit(n),
  )

/**
 * The same statement written by hand: what a user of the raw driver writes —
 * identifiers spelled out once (here: quoted once per dialect, as a user
 * would type them), the SQL assembled by a template literal, and the
 * parameter array.
 */
const handWriter = (d: Dialect) => {
  const q = d.quoteIdent
  const [t, al, ar] = [q('Track'), q('Album'), q('Artist')]
  const [name, title, ms, albumId, artistId, genreId, trackId] = ['Name', 'Title', 'Milliseconds', 'AlbumId', 'ArtistId', 'GenreId', 'TrackId'].map(q)
  const [aTrack, aAlbum, aArtist, aMs] = ['track', 'album', 'artist', 'ms'].map(q)
  const [p1, p2, p3] = [1, 2, 3].map(d.placeholder)
  return (genre: number, minMs: number, n: number): { sql: string; params: unknown[] } => ({
    sql: `SELECT ${t}.${name} AS ${aTrack}, ${al}.${title} AS ${aAlbum}, ${ar}.${name} AS ${aArtist}, ${t}.${ms} AS ${aMs} FROM ${t} INNER JOIN ${al} ON ${al}.${albumId} = ${t}.${albumId} INNER JOIN ${ar} ON ${ar}.${artistId} = ${al}.${artistId} WHERE ${t}.${genreId} = ${p1} AND ${t}.${ms} > ${p2} ORDER BY ${t}.${ms} DESC, ${t}.${trackId} ASC LIMIT ${p3}`,
    params: [genre, minMs, n],
  })
}

let i = 0
/** Values that change every operation, so neither side can reuse a previous result. */
const nextValues = (): [number, number, number] => {
  i = (i + 1) % 1_000_000
  return [(i % 25) + 1, 100_000 + (i % 997), 10 + (i % 7)]
}

const check = (d: Dialect): void => {
  const c = compile(d)(buildQuery(1, 2, 3))
  if (c._tag === 'Left') throw new Error(`compile workload does not compile on ${d.name}: ${c.left.message}`)
  const h = handWriter(d)(1, 2, 3)
  // The baseline must be the same work: the same SQL (modulo the alias quarry omits when it equals the column name).
  const normal = (s: string) => s.replace(/ AS [`"]\w+[`"]/g, '')
  // SQLite integers travel as BigInt (so better-sqlite3 binds them as INTEGER); compare the values.
  const values = (ps: readonly unknown[]): string => JSON.stringify(ps, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))
  if (normal(c.right.sql) !== normal(h.sql) || values(c.right.params) !== values(h.params))
    throw new Error(`baseline differs from quarry on ${d.name}:\n${c.right.sql}\n${h.sql}`)
}

/** Run `compile` and `compile-cached` for PostgreSQL, MariaDB and SQLite (the engines are not needed). */
export const compileWorkloads = async (engines: BenchEngines): Promise<Measurement[]> => {
  const out: Measurement[] = []
  const all: ReadonlyArray<readonly [EngineName, Dialect]> = [
    ['postgresql', postgres],
    ['mariadb', mariadb],
    ['sqlite', sqlite],
  ]
  const targets = all.filter(([engine]) => engines.wants(engine))
  // Warm every dialect's path first (JIT), so the first dialect measured does not pay for the others' warm-up.
  for (const [, d] of targets) {
    check(d)
    for (let k = 0; k < 5000; k++) {
      clearStatementCache(d)
      compile(d)(buildQuery(...nextValues()))
      compile(d)(buildQuery(...nextValues()))
    }
  }
  for (const [engine, d] of targets) {
    const c = compile(d)
    const uncached = () => {
      clearStatementCache(d)
      const [g, m, n] = nextValues()
      return c(buildQuery(g, m, n))
    }
    const cached = () => {
      const [g, m, n] = nextValues()
      return c(buildQuery(g, m, n))
    }
    const byHand = handWriter(d)
    const hand = () => {
      const [g, m, n] = nextValues()
      return byHand(g, m, n)
    }
    out.push(await compare('compile', engine, uncached, hand, { unit: 'µs/op', rounds: 21 }))
    c(buildQuery(1, 2, 3))
    out.push(await compare('compile-cached', engine, cached, hand, { unit: 'µs/op', rounds: 21 }))
  }
  return out
}
