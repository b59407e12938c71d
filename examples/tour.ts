/**
 * `npm run demo`: a tour of quarry on embedded SQLite — no server needed.
 * Each section prints what it does and what came back: query values and
 * their SQL on every dialect, the schema's DDL, a change graph's plan and
 * commit, eager loading, a recursive tree, an entity mapped to a select,
 * several entities from one result set, a savepoint rolled back, a
 * hand-written statement swapped in, typed errors, loaded objects saved by
 * diff, the in-memory engine and the pool.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import * as Q from '../src/algebra/index.js'
import { describe, isDbError } from '../src/drivers/index.js'
import { sqliteDriver } from '../src/drivers/sqlite/index.js'
import { EG, G, commitWith, createEngine, createMemoryEngine, execute, loadWith, query, runPromise, sql, transaction, type Engine, type Program } from '../src/effects/index.js'
import { compile, mariadb, postgres, sqlite } from '../src/interpret/index.js'
import * as M from '../src/mapping/index.js'
import { album, AlbumE, albums, artist, ArtistE, ArtistStatsE, employee, EmployeeE, reports, shop, track, TrackE, tracks } from './tour-schema.js'

/** Tracks longer than `minMs`, with album and artist: a query value, nothing runs. */
const longTracks = (minMs: number) =>
  pipe(
    Q.from(track),
    Q.join(album, (s) => Q.eq(s.album.id, s.track.album_id)),
    Q.join(artist, (s) => Q.eq(s.artist.id, s.album.artist_id)),
    Q.where((s) => Q.gt(s.track.ms, minMs)),
    Q.select((s) => ({ track: s.track.name, album: s.album.title, artist: s.artist.name, ms: s.track.ms })),
    Q.orderBy((s) => [Q.desc(s.track.ms)]),
    Q.limit(3),
  )

/** The shop's stock and staff as one change graph: references stand for keys not generated yet. */
const stock = pipe(
  G.empty,
  G.insert('acdc', artist, { name: 'AC/DC' }),
  G.insert('accept', artist, { name: 'Accept' }),
  G.insert('aerosmith', artist, { name: 'Aerosmith' }),
  G.insert('rock', album, { artist_id: G.ref('acdc'), title: 'Let There Be Rock' }),
  G.insert('balls', album, { artist_id: G.ref('accept'), title: 'Balls to the Wall' }),
  G.insert('t1', track, { album_id: G.ref('rock'), name: 'Go Down', ms: 331180, price: '0.99' }),
  G.insert('t2', track, { album_id: G.ref('rock'), name: 'Whole Lotta Rosie', ms: 323761, price: '0.99' }),
  G.insert('t3', track, { album_id: G.ref('balls'), name: 'Balls to the Wall', ms: 342562, price: '0.99' }),
  G.insert('andrew', employee, { name: 'Andrew (GM)', reports_to: null }),
  G.insert('nancy', employee, { name: 'Nancy (Sales)', reports_to: G.ref('andrew') }),
  G.insert('jane', employee, { name: 'Jane', reports_to: G.ref('nancy') }),
  G.insert('steve', employee, { name: 'Steve', reports_to: G.ref('nancy') }),
  G.insert('michael', employee, { name: 'Michael (IT)', reports_to: G.ref('andrew') }),
)

const orThrow = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

type TreeNode = { readonly name: string; readonly reports: readonly TreeNode[] }
const drawTree = (nodes: readonly TreeNode[], indent = ''): string[] =>
  nodes.flatMap((n) => [`${indent}${n.name}`, ...drawTree(n.reports, `${indent}  `)])

/** Run the tour, narrating through `say`. */
export const tour = async (say: (line: string) => void): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-tour-'))
  const engine: Engine = createEngine(sqliteDriver({ filename: join(dir, 'shop.db') }), { pool: { max: 4 } })
  let roundTrips = 0
  engine.on('beforeExecute', () => void roundTrips++)
  const counting = async <A>(program: Program<A>): Promise<[A, number]> => {
    roundTrips = 0
    const a = await runPromise(engine)(program)
    return [a, roundTrips]
  }
  const section = (title: string): void => say(`\n== ${title}`)
  try {
    section('1. Queries are values; each dialect interpreter gives them SQL and bind parameters')
    for (const d of [postgres, mariadb, sqlite]) {
      const c = orThrow(compile(d)(longTracks(300_000)))
      say(`${d.name.padEnd(8)} ${c.sql}`)
      say(`${''.padEnd(8)} params ${JSON.stringify(c.params, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`)
    }

    section('2. The schema you defined, created in foreign-key order (quarry never invents one)')
    for (const ddl of orThrow(Q.createAll(shop))) {
      const c = orThrow(compile(sqlite)(ddl))
      await runPromise(engine)(execute(ddl))
      say(c.sql.length > 110 ? `${c.sql.slice(0, 107)}...` : c.sql)
    }

    section('3. A whole graph committed at once; its plan first (pure, printable)')
    say(G.printPlan(orThrow(G.plan(stock, engine.dialect))))
    const persisted = orThrow(await commitWith(engine)(stock)())
    say(`committed in ${persisted.statements} statements; AC/DC got id ${String(persisted.rows.get('acdc')?.['id'])}, Jane reports to ${String(persisted.rows.get('jane')?.['reports_to'])}`)

    section('4. Eager loading: select-in is one query per level (never N + 1); joined is one query')
    const include = { albums: M.nest(albums, { tracks }) }
    const [selectIn, selectInTrips] = await counting(loadWith((d) => M.load(d)(ArtistE, include, { orderBy: (c) => [c.id] })))
    for (const a of selectIn) say(`${a.name}: ${a.albums.map((al) => `${al.title} (${al.tracks.length} tracks)`).join(', ') || 'no albums'}`)
    const [joined, joinedTrips] = await counting(loadWith((d) => M.load(d)(ArtistE, include, { strategy: 'joined', orderBy: (c) => [c.id] })))
    say(`select-in: ${selectInTrips} round trips; joined: ${joinedTrips}; same graph: ${JSON.stringify(joined) === JSON.stringify(selectIn)}`)

    section('5. A recursive adjacency structure, loaded whole with one recursive CTE')
    const [staff, treeTrips] = await counting(loadWith((d) => M.loadTree(d)(EmployeeE, { reports }, { roots: (c) => Q.isNull(c.reports_to) })))
    for (const line of drawTree(staff)) say(line)
    say(`(${treeTrips} round trip)`)

    section('6. An entity mapped to an aggregate select (read-only)')
    const stats = await runPromise(engine)(loadWith((d) => M.load(d)(ArtistStatsE, {}, { orderBy: (c) => [c.id] })))
    for (const s of stats) say(`${s.name}: ${s.albums} albums, ${s.tracks} tracks`)

    section('7. Several entities from one result set, one object per key')
    const joinQuery = pipe(
      Q.from(track),
      Q.join(album, (s) => Q.eq(s.album.id, s.track.album_id)),
      Q.join(artist, (s) => Q.eq(s.artist.id, s.album.artist_id)),
      Q.orderBy((s) => [s.track.id]),
    )
    const tuples = await runPromise(engine)(loadWith((d) => M.hydrate(d)(joinQuery, [TrackE, AlbumE, ArtistE])))
    for (const [t, al, ar] of tuples) say(`${t.name} / ${al.title} / ${ar.name}`)
    say(`the two AC/DC tracks share one artist object: ${tuples[0]?.[2] === tuples[1]?.[2]}`)

    section('8. A savepoint rolled back: only the nested work is undone')
    const nested = transaction()(
      pipe(
        sql('INSERT INTO artist (name) VALUES (?)', ['Alanis Morissette']),
        RTE.chain(() =>
          pipe(
            transaction()(sql('INSERT INTO artist (name) VALUES (?)', ['AC/DC'])),
            RTE.map(() => 'inserted'),
            RTE.orElse((e): Program<string> => RTE.right(`undone (${e._tag})`)),
          ),
        ),
      ),
    )
    say(`the nested insert was ${await runPromise(engine)(nested)}`)
    const names = await runPromise(engine)(query<{ name: string }>(pipe(Q.from(artist), Q.select((s) => ({ name: s.artist.name })), Q.orderBy((s) => [s.artist.id]))))
    say(`artists now: ${names.map((r) => r.name).join(', ')}`)

    section('9. A hand-written statement swapped in, used as a derived table of a query value')
    const handWritten = Q.textQuery(Q.rawSql('SELECT name, ms FROM track WHERE ms > :min', { min: 330_000 }), { name: Q.text().notNull(), ms: Q.integer().notNull() })
    const fromText = pipe(Q.from(Q.as('long')(handWritten)), Q.select((s) => ({ name: s.long.name })), Q.orderBy((s) => [s.long.name]))
    say(orThrow(compile(sqlite)(fromText)).sql)
    const rows = await runPromise(engine)(query<{ name: string }>(fromText))
    say(`-> ${rows.map((r) => r.name).join(', ')}`)

    section('10. Errors are typed values, with the SQL and redacted parameters')
    try {
      await runPromise(engine)(sql('INSERT INTO album (artist_id, title) VALUES (?, ?)', [99, 'Orphan']))
    } catch (e) {
      if (!isDbError(e)) throw e
      say(describe(e))
    }

    section('11. Loaded objects changed and saved by diff: only what changed is written')
    const shape = EG.shape(ArtistE, include)
    const [acdc] = await runPromise(engine)(loadWith((d) => M.load(d)(ArtistE, include, { where: (c) => Q.eq(c.name, 'AC/DC') })))
    if (acdc === undefined) throw new Error('AC/DC was committed in section 3')
    const [rock, ...others] = acdc.albums
    if (rock === undefined) throw new Error('AC/DC has an album')
    const changed = { ...acdc, albums: [{ ...rock, title: 'Let There Be Rock (Remastered)', tracks: [...rock.tracks, { name: 'Bad Boy Boogie', ms: 267728, price: '0.99' }] }, ...others] }
    const changes = orThrow(EG.save(shape, EG.snapshot(shape, [acdc]))([changed]))
    say(G.printPlan(orThrow(EG.plan(changes, engine.dialect))))
    const [saved] = orThrow(await EG.commitWith(engine)(changes)())
    say(`saved: ${saved?.albums.map((al) => `${al.title}: ${al.tracks.map((t) => `${t.name} (#${t.id})`).join(', ')}`).join('; ')}`)

    section('12. The same programs with no database: the in-memory engine')
    const memory = createMemoryEngine({ tables: shop })
    try {
      await runPromise(memory)(G.commit(stock))
      const inMemory = await runPromise(memory)(query<{ track: string }>(longTracks(300_000)))
      const onSqlite = await runPromise(engine)(query<{ track: string }>(longTracks(300_000)))
      say(`in memory: ${inMemory.map((r) => r.track).join(', ')}`)
      say(`on SQLite: ${onSqlite.map((r) => r.track).join(', ')}`)
    } finally {
      await memory.close()
    }

    section('13. The pool')
    await Promise.all(Array.from({ length: 50 }, (_, i) => runPromise(engine)(sql('SELECT ? AS i', [i]))))
    const s = engine.pool.stats()
    say(`50 concurrent programs served by ${s.size} connections (max ${s.max}); borrowed now: ${s.borrowed}`)
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  tour((line) => console.log(line)).catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}
