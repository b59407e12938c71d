/**
 * The analytical Chinook questions: the Employee.ReportsTo hierarchy through
 * recursive CTEs, sales over time by date parts, rankings and running totals
 * with window functions, CASE buckets and text functions. LAG/LEAD and
 * moving frames are covered on every engine by constructs-sets-windows.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../../src/algebra/index.js'
import { Customer, Employee, Genre, Invoice, Track } from './chinook.js'
import type { ChinookCase } from './chinook-queries.js'

const orgChart = (() => {
  const top = pipe(
    Q.from(Employee),
    Q.where((s) => Q.isNull(s.Employee.ReportsTo)),
    Q.select((s) => ({ id: s.Employee.EmployeeId, name: s.Employee.LastName, depth: Q.val(0) })),
  )
  return Q.recursiveCte('org', top, (org) =>
    pipe(
      Q.from(Employee),
      Q.join(org, (s) => Q.eq(s.Employee.ReportsTo, s.org.id)),
      Q.select((s) => ({ id: s.Employee.EmployeeId, name: s.Employee.LastName, depth: Q.add(s.org.depth, 1) })),
    ),
  )
})()

const underNancy = (() => {
  const start = pipe(Q.from(Employee), Q.where((s) => Q.eq(s.Employee.EmployeeId, 2)), Q.select((s) => ({ id: s.Employee.EmployeeId })))
  return Q.recursiveCte('team', start, (team) =>
    pipe(Q.from(Employee), Q.join(team, (s) => Q.eq(s.Employee.ReportsTo, s.team.id)), Q.select((s) => ({ id: s.Employee.EmployeeId }))),
  )
})()

const year = (s: { readonly Invoice: typeof Invoice.c }) => Q.extract('year', s.Invoice.InvoiceDate)
const month = (s: { readonly Invoice: typeof Invoice.c }) => Q.extract('month', s.Invoice.InvoiceDate)

const monthly2021 = pipe(
  Q.from(Invoice),
  Q.where((s) => Q.eq(year(s), 2021)),
  Q.groupBy((s) => [month(s)]),
  Q.select((s) => ({ month: month(s), total: Q.sum(s.Invoice.Total) })),
  Q.as('m'),
)

const longestInGenre = pipe(
  Q.from(Track),
  Q.join(Genre, (s) => Q.eq(s.Genre.GenreId, s.Track.GenreId)),
  Q.select((s) => ({
    genre: s.Genre.Name,
    track: s.Track.Name,
    ms: s.Track.Milliseconds,
    r: pipe(Q.rank(), Q.over({ partitionBy: [s.Track.GenreId], orderBy: [Q.desc(s.Track.Milliseconds)] })),
  })),
  Q.as('ranked'),
)

/** The analytical questions. */
export const analyticCases: readonly ChinookCase[] = [
  {
    name: 'the org chart, depth-first levels (WITH RECURSIVE over ReportsTo)',
    query: pipe(Q.from(orgChart), Q.orderBy((s) => [s.org.depth, s.org.id])),
    norm: { depth: 'int' },
    ordered: true,
    expected: [
      { id: 1, name: 'Adams', depth: 0 },
      { id: 2, name: 'Edwards', depth: 1 },
      { id: 6, name: 'Mitchell', depth: 1 },
      { id: 3, name: 'Peacock', depth: 2 },
      { id: 4, name: 'Park', depth: 2 },
      { id: 5, name: 'Johnson', depth: 2 },
      { id: 7, name: 'King', depth: 2 },
      { id: 8, name: 'Callahan', depth: 2 },
    ],
  },
  {
    name: "everyone in Nancy Edwards's team and what their customers spent",
    query: pipe(
      Q.from(underNancy),
      Q.join(Customer, (s) => Q.eq(s.Customer.SupportRepId, s.team.id)),
      Q.join(Invoice, (s) => Q.eq(s.Invoice.CustomerId, s.Customer.CustomerId)),
      Q.select((s) => ({ members: Q.countDistinct(s.team.id), total: Q.sum(s.Invoice.Total) })),
    ),
    norm: { members: 'int', total: 'money' },
    ordered: true,
    expected: [{ members: 3, total: '2328.60' }],
  },
  {
    name: 'sales and invoice count per year (date parts)',
    query: pipe(
      Q.from(Invoice),
      Q.groupBy((s) => [year(s)]),
      Q.select((s) => ({ year: year(s), invoices: Q.count(), total: Q.sum(s.Invoice.Total) })),
      Q.orderBy((s) => [year(s)]),
    ),
    norm: { year: 'int', invoices: 'int', total: 'money' },
    ordered: true,
    expected: [
      { year: 2021, invoices: 83, total: '449.46' },
      { year: 2022, invoices: 83, total: '481.45' },
      { year: 2023, invoices: 83, total: '469.58' },
      { year: 2024, invoices: 83, total: '477.53' },
      { year: 2025, invoices: 80, total: '450.58' },
    ],
  },
  {
    name: 'running total of 2021 sales by month (window frame)',
    query: pipe(
      Q.from(monthly2021),
      Q.select((s) => ({
        month: s.m.month,
        total: s.m.total,
        running: pipe(Q.sum(s.m.total), Q.over({ orderBy: [s.m.month], frame: { unit: 'rows', start: Q.unboundedPreceding } })),
      })),
      Q.orderBy((s) => [s.m.month]),
    ),
    norm: { month: 'int', total: 'money', running: 'money' },
    ordered: true,
  },
  {
    name: 'the longest track in each of five genres (rank within genre)',
    query: pipe(
      Q.from(longestInGenre),
      Q.where((s) => Q.and(Q.eq(s.ranked.r, 1), Q.isIn(s.ranked.genre, ['Blues', 'Jazz', 'Metal', 'Reggae', 'Rock']))),
      Q.select((s) => ({ genre: s.ranked.genre, track: s.ranked.track, ms: s.ranked.ms })),
      Q.orderBy((s) => [s.ranked.genre, s.ranked.track]),
    ),
    norm: {},
    ordered: true,
  },
  {
    name: 'countries ranked by spend (dense_rank over an aggregate)',
    query: pipe(
      Q.from(Invoice),
      Q.groupBy((s) => [s.Invoice.BillingCountry]),
      Q.select((s) => ({
        country: s.Invoice.BillingCountry,
        place: pipe(Q.denseRank(), Q.over({ orderBy: [Q.desc(Q.sum(s.Invoice.Total))] })),
        share: Q.round(Q.div(Q.mul(Q.sum(s.Invoice.Total), '100'), Q.scalar(pipe(Q.from(Q.alias('all')(Invoice)), Q.select((a) => ({ t: Q.sum(a.all.Total) })))) as Q.Expr<string>), 1),
      })),
      Q.orderBy((s) => [Q.desc(Q.sum(s.Invoice.Total)), s.Invoice.BillingCountry]),
      Q.limit(6),
    ),
    norm: { place: 'int', share: 'float4' },
    ordered: true,
    expected: [
      { country: 'USA', place: 1, share: 22.5 },
      { country: 'Canada', place: 2, share: 13.1 },
      { country: 'France', place: 3, share: 8.4 },
      { country: 'Brazil', place: 4, share: 8.2 },
      { country: 'Germany', place: 5, share: 6.7 },
      { country: 'United Kingdom', place: 6, share: 4.8 },
    ],
  },
  {
    name: 'row numbers within each customer, first invoice per customer',
    query: pipe(
      Q.from(
        pipe(
          Q.from(Invoice),
          Q.select((s) => ({
            customer: s.Invoice.CustomerId,
            at: s.Invoice.InvoiceDate,
            total: s.Invoice.Total,
            n: pipe(Q.rowNumber(), Q.over({ partitionBy: [s.Invoice.CustomerId], orderBy: [s.Invoice.InvoiceDate, s.Invoice.InvoiceId] })),
          })),
          Q.as('numbered'),
        ),
      ),
      Q.where((s) => Q.eq(s.numbered.n, 1)),
      Q.select((s) => ({ customer: s.numbered.customer, at: s.numbered.at, total: s.numbered.total })),
      Q.orderBy((s) => [s.numbered.at, s.numbered.customer]),
      Q.limit(5),
    ),
    norm: { at: 'ts', total: 'money' },
    ordered: true,
    expected: [
      { customer: 2, at: '2021-01-01T00:00:00.000Z', total: '1.98' },
      { customer: 4, at: '2021-01-02T00:00:00.000Z', total: '3.96' },
      { customer: 8, at: '2021-01-03T00:00:00.000Z', total: '5.94' },
      { customer: 14, at: '2021-01-06T00:00:00.000Z', total: '8.91' },
      { customer: 23, at: '2021-01-11T00:00:00.000Z', total: '13.86' },
    ],
  },
  {
    // Grouped by the CASE itself: PostgreSQL names it by its position in the select list (once gap G5:
    // the CASE's bound literals got new placeholders in GROUP BY and PostgreSQL refused the query).
    name: 'tracks bucketed by length (grouped by a CASE)',
    query: (() => {
      const bucket = (s: { readonly Track: typeof Track.c }) =>
        Q.caseWhen([[Q.lt(s.Track.Milliseconds, 180000), 'short'], [Q.lt(s.Track.Milliseconds, 360000), 'medium']], 'long')
      return pipe(Q.from(Track), Q.groupBy((s) => [bucket(s)]), Q.select((s) => ({ bucket: bucket(s), tracks: Q.count() })), Q.orderBy((s) => [bucket(s)]))
    })(),
    norm: { tracks: 'int' },
    ordered: true,
    expected: [
      { bucket: 'long', tracks: 623 },
      { bucket: 'medium', tracks: 2400 },
      { bucket: 'short', tracks: 480 },
    ],
  },
  {
    name: 'composers like "%Page%" (ILIKE, LIKE) among Led Zeppelin tracks, with text functions',
    query: pipe(
      Q.from(Track),
      Q.where((s) => Q.and(Q.ilike(s.Track.Composer, '%page%'), Q.like(s.Track.Name, 'S%'))),
      Q.select((s) => ({ name: Q.upper(s.Track.Name), len: Q.length(s.Track.Name), first3: Q.substring(s.Track.Name, 1, 3) })),
      Q.orderBy((s) => [s.Track.Name, s.Track.TrackId]),
    ),
    norm: { len: 'int' },
    ordered: true,
  },
  {
    name: 'employees hired before 2003, with their managers (self-join, timestamp comparison)',
    query: pipe(
      Q.from(Employee),
      Q.join(Q.alias('boss')(Employee), (s) => Q.eq(s.boss.EmployeeId, s.Employee.ReportsTo)),
      Q.where((s) => Q.lt(s.Employee.HireDate, new Date('2003-01-01T00:00:00Z'))),
      Q.select((s) => ({ who: s.Employee.LastName, boss: s.boss.LastName, hired: s.Employee.HireDate })),
      Q.orderBy((s) => [s.Employee.HireDate, s.Employee.EmployeeId]),
    ),
    norm: { hired: 'ts' },
    ordered: true,
  },
]
