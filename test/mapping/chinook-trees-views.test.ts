/**
 * Adjacency trees, entities over an aggregate select, and tuples of
 * unrelated entities from one result set, on the three real engines.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/mapping/index.js'
import { Album, Artist, chinookFixture, Employee, loadChinook, Track } from '../support/chinook.js'
import { engines, type OpenDb } from '../support/quarry-engines.js'
import * as X from './support/chinook-model.js'
import { runOk, runPlan } from './support/run-plan.js'

process.env.TZ = 'UTC'

type Node = { readonly EmployeeId: number; readonly reports: readonly Node[] }
const shape = (n: Node): unknown => [n.EmployeeId, n.reports.map(shape)]

/** Chinook's management hierarchy. */
const wholeTree = [1, [[2, [[3, []], [4, []], [5, []]]], [6, [[7, []], [8, []]]]]]

describe.each(engines)('trees, views and tuples from Chinook on $name', (engine) => {
  let db: OpenDb

  beforeAll(async () => {
    db = await engine.open()
    await loadChinook(db.conn, db.dialect)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('loads the Employee.ReportsTo tree whole with one recursive CTE', async () => {
    const ran = await runPlan(db.conn, M.loadTree(db.dialect)(X.EmployeeE, { reports: X.reports }, { roots: (c) => Q.isNull(c.ReportsTo) }))
    expect(ran.roundTrips).toBe(1)
    expect(ran.sql[0]).toMatch(/WITH RECURSIVE/)
    const roots = E.getOrElseW((e: M.MappingError) => {
      throw new Error(e.message)
    })(ran.result)
    expect(roots.map(shape)).toEqual([wholeTree])
    expect(roots[0]?.reports[0]?.reports[0]).toMatchObject({ FirstName: 'Jane', LastName: 'Peacock', Title: 'Sales Support Agent', ReportsTo: 2 })
    expect(roots[0]?.HireDate).toEqual(new Date('2002-08-14T00:00:00.000Z'))
  })

  it('loads a subtree to a given depth, and level by level select-in to the same result', async () => {
    const oneLevel = await runOk(db.conn, M.loadTree(db.dialect)(X.EmployeeE, { reports: X.reports }, { roots: (c) => Q.eq(c.EmployeeId, 1), depth: 1 }))
    expect(oneLevel.map(shape)).toEqual([[1, [[2, []], [6, []]]]])
    const cte = await runOk(db.conn, M.loadTree(db.dialect)(X.EmployeeE, { reports: X.reports }, { roots: (c) => Q.eq(c.EmployeeId, 2) }))
    const levels = await runPlan(
      db.conn,
      M.load(db.dialect)(X.EmployeeE, { reports: M.nest(X.reports, { reports: X.reports }) }, { where: (c) => Q.eq(c.EmployeeId, 2) }),
    )
    expect(levels.roundTrips).toBe(3)
    expect(E.map((rs: readonly Node[]) => rs.map(shape))(levels.result as E.Either<M.MappingError, readonly Node[]>)).toEqual(E.right(cte.map(shape)))
  })

  it('keeps one object per employee when the tree is loaded from every employee', async () => {
    const all = await runOk(db.conn, M.load(db.dialect)(X.EmployeeE, { reports: M.nest(X.reports, { reports: X.reports }), manager: X.manager }))
    expect(all).toHaveLength(8)
    const nancy = all.find((e) => e.EmployeeId === 2)
    expect(all[0]?.reports[0]).toBe(nancy)
    expect(nancy?.manager).toBe(all[0])
    expect(nancy?.reports.map((r) => r.EmployeeId)).toEqual([3, 4, 5])
  })

  it('maps an entity to an aggregate select (customer with total spent) and loads relationships from it', async () => {
    const ran = await runPlan(db.conn, M.load(db.dialect)(X.CustomerSpendE, { invoices: X.spendInvoices }, { orderBy: (c) => [Q.desc(c.TotalSpent)], limit: 3 }))
    expect(ran.roundTrips).toBe(2)
    const top = E.getOrElseW((e: M.MappingError) => {
      throw new Error(e.message)
    })(ran.result)
    const invoices = chinookFixture().get('Invoice')
    const cents = new Map<unknown, number>()
    for (const r of invoices?.rows ?? []) cents.set(r[1], (cents.get(r[1]) ?? 0) + Math.round((r[8] as number) * 100))
    const best = [...cents.entries()].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0])).slice(0, 3)
    expect(top.map((c) => [c.CustomerId, c.TotalSpent])).toEqual(best.map(([id, c]) => [id, (c / 100).toFixed(2)]))
    expect(top[0]).toMatchObject({ FirstName: 'Helena', LastName: 'Holý', Invoices: 7 })
    for (const c of top) expect(c.invoices.reduce((s, i) => s + Math.round(Number(i.Total) * 100), 0) / 100).toBe(Number(c.TotalSpent))
    expect(X.CustomerSpendE.writable).toBe(false)
  })

  it('maps an entity to a join (read-only) and relates it to a table entity', async () => {
    const q = pipe(
      Q.from(Track),
      Q.join(Album, (s) => Q.eq(s.Album.AlbumId, s.Track.AlbumId)),
      Q.select((s) => ({ TrackId: s.Track.TrackId, Name: s.Track.Name, AlbumTitle: s.Album.Title, ArtistId: s.Album.ArtistId })),
    )
    const TrackInfo = M.view('TrackInfo', q, { TrackId: Q.integer().notNull(), Name: Q.varchar(200).notNull(), AlbumTitle: Q.varchar(160).notNull(), ArtistId: Q.integer().notNull() }, { key: ['TrackId'] })
    const artist = M.manyToOne(TrackInfo, X.ArtistE, { local: ['ArtistId'] })
    const rows = await runOk(db.conn, M.load(db.dialect)(TrackInfo, { artist }, { where: (c) => Q.lte(c.TrackId, 2) }))
    expect(rows.map((r) => [r.TrackId, r.AlbumTitle, r.artist?.Name])).toEqual([
      [1, 'For Those About To Rock We Salute You', 'AC/DC'],
      [2, 'Balls to the Wall', 'Accept'],
    ])
    expect(TrackInfo.writable).toBe(false)
  })

  it('hydrates [Album, Artist, Track] tuples from one join, one Artist object per key', async () => {
    const q = pipe(
      Q.from(Track),
      Q.join(Album, (s) => Q.eq(s.Album.AlbumId, s.Track.AlbumId)),
      Q.join(Artist, (s) => Q.eq(s.Artist.ArtistId, s.Album.ArtistId)),
      Q.where((s) => Q.eq(s.Artist.ArtistId, 1)),
      Q.orderBy((s) => [s.Track.TrackId]),
    )
    const ran = await runPlan(db.conn, M.hydrate(db.dialect)(q, [X.AlbumE, X.ArtistE, X.TrackE]))
    expect(ran.roundTrips).toBe(1)
    const rows = E.getOrElseW((e: M.MappingError) => {
      throw new Error(e.message)
    })(ran.result)
    expect(rows).toHaveLength(18)
    const [album, artist, track] = rows[0] ?? []
    expect([album?.Title, artist?.Name, track?.Name]).toEqual(['For Those About To Rock We Salute You', 'AC/DC', 'For Those About To Rock (We Salute You)'])
    expect(new Set(rows.map((r) => r[1])).size).toBe(1)
    expect(new Set(rows.map((r) => r[0])).size).toBe(2)
  })

  it('hydrates a self-join with an optional side (employee and manager)', async () => {
    const boss = Q.alias('boss')(Employee)
    const q = pipe(Q.from(Employee), Q.leftJoin(boss, (s) => Q.eq(s.boss.EmployeeId, s.Employee.ReportsTo)), Q.orderBy((s) => [s.Employee.EmployeeId]))
    const rows = await runOk(db.conn, M.hydrate(db.dialect)(q, [X.EmployeeE, M.at(X.EmployeeE, 'boss', { optional: true })]))
    expect(rows.map(([e, b]) => [e.EmployeeId, b?.EmployeeId ?? null])).toEqual([
      [1, null],
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 2],
      [6, 1],
      [7, 6],
      [8, 6],
    ])
    // The manager read from the self-join is the same object as that employee's own row.
    expect(rows[1]?.[1]).toBe(rows[0]?.[0])
  })
})
