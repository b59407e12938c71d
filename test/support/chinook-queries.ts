/**
 * Realistic questions over Chinook as quarry query values: sales, catalogue,
 * staff hierarchy, rankings and paging. Each case says how to normalise its
 * columns for a cross-engine comparison, whether its order is defined, and,
 * for many, the answer computed independently from the fixture (a Python
 * pass over chinook.json with exact decimals), so agreement between engines
 * cannot hide a shared mistake.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../../src/algebra/index.js'
import { Album, Artist, Customer, Employee, Genre, Invoice, InvoiceLine, MediaType, Playlist, PlaylistTrack, Track } from './chinook.js'
import type { NormSpec } from './normalise.js'

/** One Chinook question. */
export interface ChinookCase {
  readonly name: string
  readonly query: Q.QueryNode
  readonly norm: NormSpec
  /** The query orders its rows completely (ties broken), so engines must agree on the order. */
  readonly ordered: boolean
  /** Hand-verified rows (after normalisation): all of them, or the first `expected.length` when `head` is set. */
  readonly expected?: readonly Record<string, unknown>[]
  readonly head?: true
}

const lineAmount = (s: { readonly InvoiceLine: typeof InvoiceLine.c }) => Q.mul(s.InvoiceLine.UnitPrice, Q.cast(s.InvoiceLine.Quantity, { kind: 'numeric', precision: 10, scale: 2 }))

const salesByCountry = pipe(
  Q.from(Invoice),
  Q.groupBy((s) => [s.Invoice.BillingCountry]),
  Q.select((s) => ({ country: s.Invoice.BillingCountry, total: Q.sum(s.Invoice.Total), invoices: Q.count() })),
)

/** The basic questions: counts, joins, grouping, subqueries, set operations, paging. */
export const basicCases: readonly ChinookCase[] = [
  {
    name: 'how many tracks, albums and artists',
    query: Q.selectValues({
      tracks: Q.scalar(pipe(Q.from(Track), Q.select(() => ({ n: Q.count() })))),
      albums: Q.scalar(pipe(Q.from(Album), Q.select(() => ({ n: Q.count() })))),
      artists: Q.scalar(pipe(Q.from(Artist), Q.select(() => ({ n: Q.count() })))),
    }),
    norm: { tracks: 'int', albums: 'int', artists: 'int' },
    ordered: true,
    expected: [{ tracks: 3503, albums: 347, artists: 275 }],
  },
  {
    name: 'invoice count, total sales, average, smallest and largest invoice',
    query: pipe(Q.from(Invoice), Q.select((s) => ({ n: Q.count(), total: Q.sum(s.Invoice.Total), mean: Q.avg(s.Invoice.Total), lo: Q.min(s.Invoice.Total), hi: Q.max(s.Invoice.Total) }))),
    norm: { n: 'int', total: 'money', mean: 'float4', lo: 'money', hi: 'money' },
    ordered: true,
    expected: [{ n: 412, total: '2328.60', mean: 5.6519, lo: '0.99', hi: '25.86' }],
  },
  {
    name: 'invoice lines add up to the invoice totals',
    query: pipe(Q.from(InvoiceLine), Q.select((s) => ({ total: Q.sum(lineAmount(s)), lines: Q.count() }))),
    norm: { total: 'money', lines: 'int' },
    ordered: true,
    expected: [{ total: '2328.60', lines: 2240 }],
  },
  {
    name: 'sales per country, top 5',
    query: pipe(salesByCountry, Q.orderBy((s) => [Q.desc(Q.sum(s.Invoice.Total)), s.Invoice.BillingCountry]), Q.limit(5)),
    norm: { total: 'money', invoices: 'int' },
    ordered: true,
    expected: [
      { country: 'USA', total: '523.06', invoices: 91 },
      { country: 'Canada', total: '303.96', invoices: 56 },
      { country: 'France', total: '195.10', invoices: 35 },
      { country: 'Brazil', total: '190.10', invoices: 35 },
      { country: 'Germany', total: '156.48', invoices: 28 },
    ],
  },
  {
    // The bare numeric '100' is typed by the sum it is compared with (once gap G4: SQLite bound it as TEXT).
    name: 'countries with more than 100 in sales (having)',
    query: pipe(
      salesByCountry,
      Q.having((s) => Q.gt(Q.sum(s.Invoice.Total), '100')),
      Q.select((s) => ({ country: s.Invoice.BillingCountry })),
      Q.orderBy((s) => [s.Invoice.BillingCountry]),
    ),
    norm: {},
    ordered: true,
    expected: ['Brazil', 'Canada', 'France', 'Germany', 'USA', 'United Kingdom'].map((country) => ({ country })),
  },
  {
    name: 'top 5 artists by revenue (four joins)',
    query: pipe(
      Q.from(InvoiceLine),
      Q.join(Track, (s) => Q.eq(s.Track.TrackId, s.InvoiceLine.TrackId)),
      Q.join(Album, (s) => Q.eq(s.Album.AlbumId, s.Track.AlbumId)),
      Q.join(Artist, (s) => Q.eq(s.Artist.ArtistId, s.Album.ArtistId)),
      Q.groupBy((s) => [s.Artist.ArtistId, s.Artist.Name]),
      Q.select((s) => ({ artist: s.Artist.Name, revenue: Q.sum(lineAmount(s)) })),
      Q.orderBy((s) => [Q.desc(Q.sum(lineAmount(s))), s.Artist.Name]),
      Q.limit(5),
    ),
    norm: { revenue: 'money' },
    ordered: true,
    expected: [
      { artist: 'Iron Maiden', revenue: '138.60' },
      { artist: 'U2', revenue: '105.93' },
      { artist: 'Metallica', revenue: '90.09' },
      { artist: 'Led Zeppelin', revenue: '86.13' },
      { artist: 'Lost', revenue: '81.59' },
    ],
  },
  {
    name: 'tracks per genre, top 5',
    query: pipe(
      Q.from(Genre),
      Q.join(Track, (s) => Q.eq(s.Track.GenreId, s.Genre.GenreId)),
      Q.groupBy((s) => [s.Genre.GenreId, s.Genre.Name]),
      Q.select((s) => ({ genre: s.Genre.Name, tracks: Q.count() })),
      Q.orderBy((s) => [Q.desc(Q.count()), s.Genre.Name]),
      Q.limit(5),
    ),
    norm: { tracks: 'int' },
    ordered: true,
    expected: [
      { genre: 'Rock', tracks: 1297 },
      { genre: 'Latin', tracks: 579 },
      { genre: 'Metal', tracks: 374 },
      { genre: 'Alternative & Punk', tracks: 332 },
      { genre: 'Jazz', tracks: 130 },
    ],
  },
  {
    name: "AC/DC's albums",
    query: pipe(
      Q.from(Album),
      Q.join(Artist, (s) => Q.eq(s.Artist.ArtistId, s.Album.ArtistId)),
      Q.where((s) => Q.eq(s.Artist.Name, 'AC/DC')),
      Q.select((s) => ({ title: s.Album.Title })),
      Q.orderBy((s) => [s.Album.Title]),
    ),
    norm: {},
    ordered: true,
    expected: [{ title: 'For Those About To Rock We Salute You' }, { title: 'Let There Be Rock' }],
  },
  {
    name: 'Canadian customers with their support rep',
    query: pipe(
      Q.from(Customer),
      Q.leftJoin(Employee, (s) => Q.eq(s.Employee.EmployeeId, s.Customer.SupportRepId)),
      Q.where((s) => Q.eq(s.Customer.Country, 'Canada')),
      Q.select((s) => ({ customer: Q.concat(s.Customer.FirstName, ' ', s.Customer.LastName), rep: s.Employee.LastName })),
      Q.orderBy((s) => [s.Customer.LastName, s.Customer.CustomerId]),
    ),
    norm: {},
    ordered: true,
  },
  {
    name: 'revenue per support rep (CTE)',
    query: pipe(
      Q.from(
        pipe(
          Q.from(Invoice),
          Q.join(Customer, (s) => Q.eq(s.Customer.CustomerId, s.Invoice.CustomerId)),
          Q.groupBy((s) => [s.Customer.SupportRepId]),
          Q.select((s) => ({ rep: s.Customer.SupportRepId, total: Q.sum(s.Invoice.Total) })),
          Q.cte('rep_sales'),
        ),
      ),
      Q.join(Employee, (s) => Q.eq(s.Employee.EmployeeId, s.rep_sales.rep)),
      Q.select((s) => ({ name: Q.concat(s.Employee.FirstName, ' ', s.Employee.LastName), total: s.rep_sales.total })),
      Q.orderBy((s) => [Q.desc(s.rep_sales.total)]),
    ),
    norm: { total: 'money' },
    ordered: true,
    expected: [
      { name: 'Jane Peacock', total: '833.04' },
      { name: 'Margaret Park', total: '775.40' },
      { name: 'Steve Johnson', total: '720.16' },
    ],
  },
  {
    name: 'artists without albums (NOT EXISTS)',
    query: pipe(
      Q.from(Artist),
      Q.where((s) => Q.not(Q.exists(pipe(Q.from(Album), Q.where((a) => Q.eq(a.Album.ArtistId, s.Artist.ArtistId)), Q.select(() => ({ one: Q.val(1) })))))),
      Q.select(() => ({ n: Q.count() })),
    ),
    norm: { n: 'int' },
    ordered: true,
    expected: [{ n: 71 }],
  },
  {
    name: 'tracks never sold (NOT IN a subquery)',
    query: pipe(
      Q.from(Track),
      Q.where((s) => Q.notIn(s.Track.TrackId, pipe(Q.from(InvoiceLine), Q.select((l) => ({ id: l.InvoiceLine.TrackId }))))),
      Q.select(() => ({ n: Q.count() })),
    ),
    norm: { n: 'int' },
    ordered: true,
    expected: [{ n: 1519 }],
  },
  {
    name: 'top 5 customers by spend (ties broken by id)',
    query: pipe(
      Q.from(Customer),
      Q.join(Invoice, (s) => Q.eq(s.Invoice.CustomerId, s.Customer.CustomerId)),
      Q.groupBy((s) => [s.Customer.CustomerId, s.Customer.FirstName, s.Customer.LastName]),
      Q.select((s) => ({ first: s.Customer.FirstName, last: s.Customer.LastName, spent: Q.sum(s.Invoice.Total) })),
      Q.orderBy((s) => [Q.desc(Q.sum(s.Invoice.Total)), s.Customer.CustomerId]),
      Q.limit(5),
    ),
    norm: { spent: 'money' },
    ordered: true,
    expected: [
      { first: 'Helena', last: 'Holý', spent: '49.62' },
      { first: 'Richard', last: 'Cunningham', spent: '47.62' },
      { first: 'Luis', last: 'Rojas', spent: '46.62' },
      { first: 'Ladislav', last: 'Kovács', spent: '45.62' },
      { first: 'Hugh', last: "O'Reilly", spent: '45.62' },
    ],
  },
  {
    name: 'customers spending above the average customer (derived table, scalar subquery)',
    query: (() => {
      const spend = pipe(Q.from(Invoice), Q.groupBy((s) => [s.Invoice.CustomerId]), Q.select((s) => ({ id: s.Invoice.CustomerId, spent: Q.sum(s.Invoice.Total) })))
      const avgSpend = pipe(Q.from(pipe(spend, Q.as('x'))), Q.select((s) => ({ a: Q.avg(s.x.spent) })))
      return pipe(Q.from(pipe(spend, Q.as('sp'))), Q.where((s) => Q.gt(Q.cast(s.sp.spent, { kind: 'double' }), Q.scalar(avgSpend))), Q.select(() => ({ n: Q.count() })))
    })(),
    norm: { n: 'int' },
    ordered: true,
    expected: [{ n: 22 }],
  },
  {
    name: 'paging through tracks by name: page 3 of 10',
    query: pipe(Q.from(Track), Q.select((s) => ({ id: s.Track.TrackId, name: s.Track.Name })), Q.orderBy((s) => [s.Track.Name, s.Track.TrackId]), Q.limit(10), Q.offset(20)),
    norm: {},
    ordered: true,
  },
  {
    name: 'the last page is short',
    query: pipe(Q.from(Track), Q.select((s) => ({ id: s.Track.TrackId })), Q.orderBy((s) => [s.Track.TrackId]), Q.limit(10), Q.offset(3500)),
    norm: {},
    ordered: true,
    expected: [{ id: 3501 }, { id: 3502 }, { id: 3503 }],
  },
  {
    name: 'countries of customers or employees (UNION, ordered)',
    query: pipe(
      Q.from(Customer),
      Q.select((s) => ({ country: s.Customer.Country })),
      Q.union(pipe(Q.from(Employee), Q.select((s) => ({ country: s.Employee.Country })))),
      Q.orderBy((r) => [r.country]),
    ),
    norm: {},
    ordered: true,
  },
  {
    name: 'cities with both customers and employees (INTERSECT, ordered)',
    query: pipe(
      Q.from(Customer),
      Q.select((s) => ({ city: s.Customer.City })),
      Q.intersect(pipe(Q.from(Employee), Q.select((s) => ({ city: s.Employee.City })))),
      Q.orderBy((r) => [r.city]),
    ),
    norm: {},
    ordered: true,
    expected: [{ city: 'Edmonton' }],
  },
  {
    name: 'genres never sold (EXCEPT, ordered)',
    query: pipe(
      Q.from(Genre),
      Q.select((s) => ({ genre: s.Genre.Name })),
      Q.except(
        pipe(
          Q.from(InvoiceLine),
          Q.join(Track, (s) => Q.eq(s.Track.TrackId, s.InvoiceLine.TrackId)),
          Q.join(Genre, (s) => Q.eq(s.Genre.GenreId, s.Track.GenreId)),
          Q.select((s) => ({ genre: s.Genre.Name })),
        ),
      ),
      Q.orderBy((r) => [r.genre]),
    ),
    norm: {},
    ordered: true,
  },
  {
    name: 'first five countries of customers or employees (UNION with ORDER BY and LIMIT)',
    query: pipe(
      Q.from(Customer),
      Q.select((s) => ({ country: s.Customer.Country })),
      Q.union(pipe(Q.from(Employee), Q.select((s) => ({ country: s.Employee.Country })))),
      Q.orderBy((r) => [r.country]),
      Q.limit(5),
    ),
    norm: {},
    ordered: true,
    expected: ['Argentina', 'Australia', 'Austria', 'Belgium', 'Brazil'].map((country) => ({ country })),
  },
  {
    name: 'playlist entries looked up by their composite key (row-value IN)',
    query: pipe(
      Q.from(PlaylistTrack),
      Q.join(Track, (s) => Q.eq(s.Track.TrackId, s.PlaylistTrack.TrackId)),
      Q.where((s) => Q.isInTuple([s.PlaylistTrack.PlaylistId, s.PlaylistTrack.TrackId], [[1, 3402], [1, 3389], [8, 3402], [17, 1], [99, 1]])),
      Q.select((s) => ({ playlist: s.PlaylistTrack.PlaylistId, track: s.Track.Name })),
      Q.orderBy((s) => [s.PlaylistTrack.PlaylistId, s.Track.Name]),
    ),
    norm: {},
    ordered: true,
  },
  {
    name: 'largest playlists',
    query: pipe(
      Q.from(Playlist),
      Q.join(PlaylistTrack, (s) => Q.eq(s.PlaylistTrack.PlaylistId, s.Playlist.PlaylistId)),
      Q.groupBy((s) => [s.Playlist.PlaylistId, s.Playlist.Name]),
      Q.select((s) => ({ id: s.Playlist.PlaylistId, name: s.Playlist.Name, tracks: Q.count() })),
      Q.orderBy((s) => [Q.desc(Q.count()), s.Playlist.PlaylistId]),
      Q.limit(3),
    ),
    norm: { tracks: 'int' },
    ordered: true,
    expected: [
      { id: 1, name: 'Music', tracks: 3290 },
      { id: 8, name: 'Music', tracks: 3290 },
      { id: 5, name: '90’s Music', tracks: 1477 },
    ],
  },
  {
    name: 'the longest track (scalar subquery)',
    query: pipe(
      Q.from(Track),
      Q.where((s) => Q.eq(s.Track.Milliseconds, Q.scalar(pipe(Q.from(Q.alias('t2')(Track)), Q.select((t) => ({ m: Q.max(t.t2.Milliseconds) })))) as Q.Expr<number>)),
      Q.select((s) => ({ name: s.Track.Name })),
    ),
    norm: {},
    ordered: true,
    expected: [{ name: 'Occupation / Precipice' }],
  },
  {
    name: 'tracks per media type, with FILTERed counts',
    query: pipe(
      Q.from(Track),
      Q.join(MediaType, (s) => Q.eq(s.MediaType.MediaTypeId, s.Track.MediaTypeId)),
      Q.groupBy((s) => [s.MediaType.MediaTypeId, s.MediaType.Name]),
      Q.select((s) => ({
        media: s.MediaType.Name,
        tracks: Q.count(),
        pricey: pipe(Q.count(), Q.filter(Q.gt(s.Track.UnitPrice, '0.99'))),
        unknownComposer: pipe(Q.count(), Q.filter(Q.isNull(s.Track.Composer))),
      })),
      Q.orderBy((s) => [s.MediaType.MediaTypeId]),
    ),
    norm: { tracks: 'int', pricey: 'int', unknownComposer: 'int' },
    ordered: true,
  },
]

export { lineAmount }
