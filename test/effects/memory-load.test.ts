/**
 * A mapping load plan run on the in-memory engine gives the objects the
 * same plan gives on SQLite: a Chinook subset (12 artists, their albums and
 * tracks) is created and loaded on both engines through the same quarry
 * DDL and INSERT programs, then Artist → Album → Track is loaded select-in
 * and joined. The round trips are the plan's own (seen through
 * beforeExecute, whose SQL on memory is what the profile's dialect prints),
 * and a plan compiled for another dialect is refused with a typed error.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import { createEngine, createMemoryEngine, execute, loadWith, run, runPlan, runPromise, type Engine, type Program } from '../../src/effects/index.js'
import { sqlite } from '../../src/interpret/index.js'
import * as MEM from '../../src/interpret/memory/index.js'
import * as M from '../../src/mapping/index.js'
import { Album, Artist, chinookFixture, Genre, MediaType, Track } from '../support/chinook.js'
import { albumTracks, ArtistE, artistAlbums } from '../mapping/support/chinook-model.js'

const ARTISTS = 12

/** The fixture's rows of `t` that `keep` selects, as insert values (money as exact text). */
const rowsOf = (t: Q.AnyTable, keep: (r: Record<string, unknown>) => boolean): Record<string, unknown>[] => {
  const src = chinookFixture().get(t.name)!
  const names = src.columns.map((c) => c.name)
  return src.rows
    .map((row) => Object.fromEntries(names.map((n, i) => [n, t.columns[n]?.spec.type.kind === 'numeric' && row[i] !== null ? (row[i] as number).toFixed(2) : row[i]])))
    .filter(keep)
}

/** The subset as one program: DDL, then one multi-row insert per table, in one transaction. */
const seed: Program<void> = (() => {
  const artists = rowsOf(Artist, (r) => Number(r['ArtistId']) <= ARTISTS)
  const albums = rowsOf(Album, (r) => Number(r['ArtistId']) <= ARTISTS)
  const albumIds = new Set(albums.map((a) => a['AlbumId']))
  const tracks = rowsOf(Track, (r) => albumIds.has(r['AlbumId']))
  const statements: Q.StatementNode[] = [
    ...[Artist, Album, Genre, MediaType, Track].map((t) => Q.createTable(t)),
    Q.insert(Artist, artists as never),
    Q.insert(Album, albums as never),
    Q.insert(Genre, rowsOf(Genre, () => true) as never),
    Q.insert(MediaType, rowsOf(MediaType, () => true) as never),
    Q.insert(Track, tracks as never),
  ]
  return statements.reduce<Program<void>>((p, s) => pipe(p, RTE.chain(() => pipe(execute(s), RTE.map(() => undefined)))), RTE.right(undefined))
})()

const include = { albums: M.nest(artistAlbums, { tracks: albumTracks }) }
const loadArtists = (strategy: 'select-in' | 'joined') => loadWith((d) => M.load(d)(ArtistE, include, { strategy }))

/** Run `p` and record the SQL each statement was announced with. */
const traced = async <A>(e: Engine, p: Program<A>): Promise<{ readonly result: A; readonly sql: readonly string[] }> => {
  const sql: string[] = []
  const off = e.on('beforeExecute', (x) => sql.push(x.sql))
  try {
    return { result: await runPromise(e)(p), sql }
  } finally {
    off()
  }
}

describe('a load plan on the in-memory engine equals the same plan on SQLite', () => {
  let lite: Engine
  const mems: Record<string, Engine> = {}
  beforeAll(async () => {
    lite = createEngine(sqliteDriver({ filename: ':memory:' }))
    await runPromise(lite)(seed)
    for (const profile of [MEM.sqliteProfile, MEM.postgresProfile]) {
      mems[profile.name] = createMemoryEngine({ profile })
      await runPromise(mems[profile.name]!)(seed)
    }
  })
  afterAll(async () => {
    await Promise.all([lite.close(), ...Object.values(mems).map((e) => e.close())])
  })

  it.each(['select-in', 'joined'] as const)('Artist → Album → Track, %s, under the SQLite profile: same objects, same statements', async (strategy) => {
    const expected = await traced(lite, loadArtists(strategy))
    const got = await traced(mems['sqlite']!, loadArtists(strategy))
    expect(expected.result).toHaveLength(ARTISTS)
    expect(expected.result.flatMap((a) => a.albums.flatMap((al) => al.tracks)).length).toBeGreaterThan(100)
    expect(got.result).toEqual(expected.result)
    expect(got.sql).toEqual(expected.sql)
    expect(got.sql).toHaveLength(strategy === 'joined' ? 1 : 3)
  })

  it('under the PostgreSQL profile the objects are the same', async () => {
    const expected = await runPromise(lite)(loadArtists('select-in'))
    expect(await runPromise(mems['postgres']!)(loadArtists('select-in'))).toEqual(expected)
  })

  it('a plan compiled for another dialect (SQL text only) is a typed Unsupported error', async () => {
    const r = await run(mems['sqlite']!)(runPlan(M.load(sqlite)(ArtistE, include)))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'Unsupported', feature: 'a load plan compiled for another dialect' })
  })
})
