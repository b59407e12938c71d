/**
 * The load law, on the three real engines over Chinook: a random load —
 * root entity, a random subtree of its relationships (every kind: one-to-
 * many, many-to-one, many-to-many, self-reference, association object,
 * one-to-one), a random filter, order and limit of the roots, a small bind
 * limit now and then — gives the same objects joined as select-in (where
 * its collections lie on one path: see collectionsOnOnePath), and
 * select-in gives the roots the roots query alone gives, in its order.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/mapping/index.js'
import { loadChinook } from '../support/chinook.js'
import { engines, type OpenDb } from '../support/quarry-engines.js'
import * as X from './support/chinook-model.js'
import { runPlan } from './support/run-plan.js'

process.env.TZ = 'UTC'

const RUNS = Math.max(30, Number(process.env['QUARRY_LAW_RUNS'] ?? 60))
const SEED = Number(process.env['QUARRY_LAW_SEED'] ?? 20261207)

type Include = M.Include<any> // roots of every entity: the case picks one at run time
type AnyEntity = M.AnyEntity

/** Each root with its key, a column to order by, the largest key, and its relationships (each with what may nest below it). */
interface Root {
  readonly entity: AnyEntity
  readonly key: string
  readonly order: string
  readonly keys: number
  readonly include: (pick: (n: number) => boolean) => Include
}

const maybe = (on: boolean, name: string, value: unknown): Record<string, unknown> => (on ? { [name]: value } : {})

const roots: readonly Root[] = [
  { entity: X.ArtistE, key: 'ArtistId', order: 'Name', keys: 275, include: (p) => ({ ...maybe(p(0), 'albums', p(1) ? M.nest(X.artistAlbums, { tracks: p(2) ? M.nest(X.albumTracks, { playlists: X.trackPlaylists }) : X.albumTracks }) : X.artistAlbums) }) as Include },
  { entity: X.AlbumE, key: 'AlbumId', order: 'Title', keys: 347, include: (p) => ({ ...maybe(p(0), 'artist', p(1) ? M.nest(X.albumArtist, { albums: X.artistAlbums }) : X.albumArtist), ...maybe(p(2), 'tracks', X.albumTracks) }) as Include },
  { entity: X.TrackE, key: 'TrackId', order: 'Milliseconds', keys: 3503, include: (p) => ({ ...maybe(p(0), 'album', p(1) ? M.nest(X.trackAlbum, { artist: X.albumArtist }) : X.trackAlbum), ...maybe(p(2), 'playlists', X.trackPlaylists) }) as Include },
  { entity: X.PlaylistE, key: 'PlaylistId', order: 'Name', keys: 18, include: (p) => ({ ...maybe(p(0), 'tracks', p(1) ? M.nest(X.playlistTracks, { album: X.trackAlbum }) : X.playlistTracks), ...maybe(p(2), 'entries', X.playlistEntries) }) as Include },
  { entity: X.EmployeeE, key: 'EmployeeId', order: 'LastName', keys: 8, include: (p) => ({ ...maybe(p(0), 'reports', p(1) ? M.nest(X.reports, { reports: X.reports }) : X.reports), ...maybe(p(2), 'manager', X.manager) }) as Include },
  { entity: X.InvoiceE, key: 'InvoiceId', order: 'Total', keys: 412, include: (p) => ({ ...maybe(p(0), 'lines', p(1) ? M.nest(X.invoiceLines, { track: X.lineTrack }) : X.invoiceLines) }) as Include },
  { entity: X.CustomerE, key: 'CustomerId', order: 'Country', keys: 59, include: (p) => ({ ...maybe(p(0), 'rep', p(1) ? M.nest(X.customerRep, { reports: X.reports }) : X.customerRep) }) as Include },
]

/**
 * Whether the collections of an include lie on one path from the root.
 * Joined loading of collections on separate branches returns the product
 * of their sizes (playlist 1's 3,290 tracks × its 3,290 entries is 10.8
 * million rows; the README says to load such graphs select-in, the
 * default): those cases compare select-in with the roots query only.
 */
type IncludeValue = Include[string]
/** Whether an include loads a collection, itself or below it. */
const hasCollection = (x: IncludeValue): boolean =>
  (x._tag === 'Nested' ? x.rel : x).cardinality === 'many' || (x._tag === 'Nested' && Object.values(x.include as Include).some(hasCollection))
const collectionsOnOnePath = (include: Include): boolean =>
  Object.values(include).filter(hasCollection).length <= 1 && Object.values(include).every((x) => x._tag !== 'Nested' || collectionsOnOnePath(x.include as Include))

const caseArb = fc.record({
  root: fc.nat({ max: roots.length - 1 }),
  picks: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  from: fc.nat({ max: 400 }),
  span: fc.integer({ min: 0, max: 60 }),
  order: fc.constantFrom('key', 'column asc', 'column desc'),
  limit: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  bindLimit: fc.option(fc.constantFrom(7, 50), { nil: undefined }),
})
type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never

/** The load's options and include of a case (the root entity's column expressions read by property name). */
const loadOf = (c: Case) => {
  const r = roots[c.root]!
  const low = c.from % (r.keys + 1)
  const col = (cols: unknown, name: string): Q.Expr<unknown> => (cols as Record<string, Q.Expr<unknown>>)[name]!
  const options = {
    where: (cols: unknown) => Q.between(col(cols, r.key) as Q.Expr<number>, low, low + c.span),
    ...(c.order === 'key' ? {} : { orderBy: (cols: unknown) => [c.order === 'column asc' ? Q.asc(col(cols, r.order)) : Q.desc(col(cols, r.order))] }),
    ...(c.limit === undefined ? {} : { limit: c.limit }),
    ...(c.bindLimit === undefined ? {} : { bindLimit: c.bindLimit }),
  }
  return { root: r, include: r.include((i) => c.picks[i] === true), options }
}

describe.each(engines)('the load law on $name', (engine) => {
  let db: OpenDb
  beforeAll(async () => {
    db = await engine.open()
    await loadChinook(db.conn, db.dialect)
  })
  afterAll(async () => {
    await db?.close()
  })

  it(`joined and select-in give the same objects, and the roots the roots query gives (${RUNS} cases, seed ${SEED})`, async () => {
    let nested = 0
    let compared = 0
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { root, include, options } = loadOf(c)
        const load = M.load(db.dialect)
        const selectIn = await runPlan(db.conn, load(root.entity, include, options as never))
        if (E.isLeft(selectIn.result)) throw new Error(`select-in failed: ${selectIn.result.left.message}\n${selectIn.sql.join('\n')}`)
        if (collectionsOnOnePath(include)) {
          const joined = await runPlan(db.conn, load(root.entity, include, { ...options, strategy: 'joined' } as never))
          expect(joined.result, `joined vs select-in\n${joined.sql.join('\n')}`).toEqual(selectIn.result)
          compared++
        }
        // The roots alone, in the same order: the load adds objects below them, never changes which or how they are ordered.
        const bare = await runPlan(db.conn, load(root.entity, {} as Include, options as never))
        const keysOf = (r: E.Either<M.MappingError, unknown>): unknown[] => (E.isRight(r) ? (r.right as Record<string, unknown>[]).map((o) => o[root.key]) : [])
        expect(keysOf(selectIn.result)).toEqual(keysOf(bare.result))
        if (Object.keys(include).length > 0 && keysOf(bare.result).length > 0) nested++
      }),
      { numRuns: RUNS, seed: SEED },
    )
    // Most cases must have loaded something below their roots, or the comparison proved little.
    expect(nested).toBeGreaterThan(RUNS / 3)
    expect(compared).toBeGreaterThan(RUNS / 2)
  }, 300_000)
})

