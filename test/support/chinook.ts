/**
 * The Chinook sample database (1.4.5, see test/fixtures/chinook/LICENSE-chinook)
 * defined with quarry's own schema builders and loaded through quarry's own
 * DDL and INSERT statements on any of the three engines, so one schema
 * serves PostgreSQL, MariaDB and SQLite. Money is numeric(10,2), dates are
 * timestamps (bound as UTC `Date`s), PlaylistTrack has a composite key and
 * Employee.ReportsTo references Employee itself.
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import * as Q from '../../src/algebra/index.js'
import type { Connection, Param } from '../../src/drivers/driver.js'
import type { Dialect, DialectName } from '../../src/interpret/index.js'
import { compileOrThrow } from './quarry-engines.js'

const id = () => Q.integer().primaryKey()
const money = () => Q.numeric(10, 2).notNull()

/** Artist. */
export const Artist = Q.table('Artist', { ArtistId: id(), Name: Q.varchar(120) })

/** Album, by Artist. */
export const Album = Q.table(
  'Album',
  { AlbumId: id(), Title: Q.varchar(160).notNull(), ArtistId: Q.integer().notNull() },
  {
    foreignKeys: [{ columns: ['ArtistId'], references: () => Artist, referencedColumns: ['ArtistId'] }],
    indexes: [{ name: 'IFK_AlbumArtistId', columns: ['ArtistId'] }],
  },
)

/** Genre. */
export const Genre = Q.table('Genre', { GenreId: id(), Name: Q.varchar(120) })
/** MediaType. */
export const MediaType = Q.table('MediaType', { MediaTypeId: id(), Name: Q.varchar(120) })
/** Playlist. */
export const Playlist = Q.table('Playlist', { PlaylistId: id(), Name: Q.varchar(120) })

/** Employee; ReportsTo is a self-reference (the management hierarchy). */
export const Employee = Q.table(
  'Employee',
  {
    EmployeeId: id(),
    LastName: Q.varchar(20).notNull(),
    FirstName: Q.varchar(20).notNull(),
    Title: Q.varchar(30),
    ReportsTo: Q.integer(),
    BirthDate: Q.timestamp(),
    HireDate: Q.timestamp(),
    Address: Q.varchar(70),
    City: Q.varchar(40),
    State: Q.varchar(40),
    Country: Q.varchar(40),
    PostalCode: Q.varchar(10),
    Phone: Q.varchar(24),
    Fax: Q.varchar(24),
    Email: Q.varchar(60),
  },
  {
    foreignKeys: [{ columns: ['ReportsTo'], references: (): Q.AnyTable => Employee, referencedColumns: ['EmployeeId'] }],
    indexes: [{ name: 'IFK_EmployeeReportsTo', columns: ['ReportsTo'] }],
  },
)

/** Customer, served by a support rep (Employee). */
export const Customer = Q.table(
  'Customer',
  {
    CustomerId: id(),
    FirstName: Q.varchar(40).notNull(),
    LastName: Q.varchar(20).notNull(),
    Company: Q.varchar(80),
    Address: Q.varchar(70),
    City: Q.varchar(40),
    State: Q.varchar(40),
    Country: Q.varchar(40),
    PostalCode: Q.varchar(10),
    Phone: Q.varchar(24),
    Fax: Q.varchar(24),
    Email: Q.varchar(60).notNull(),
    SupportRepId: Q.integer(),
  },
  {
    foreignKeys: [{ columns: ['SupportRepId'], references: () => Employee, referencedColumns: ['EmployeeId'] }],
    indexes: [{ name: 'IFK_CustomerSupportRepId', columns: ['SupportRepId'] }],
  },
)

/** Invoice, of a Customer. */
export const Invoice = Q.table(
  'Invoice',
  {
    InvoiceId: id(),
    CustomerId: Q.integer().notNull(),
    InvoiceDate: Q.timestamp().notNull(),
    BillingAddress: Q.varchar(70),
    BillingCity: Q.varchar(40),
    BillingState: Q.varchar(40),
    BillingCountry: Q.varchar(40),
    BillingPostalCode: Q.varchar(10),
    Total: money(),
  },
  {
    foreignKeys: [{ columns: ['CustomerId'], references: () => Customer, referencedColumns: ['CustomerId'] }],
    indexes: [{ name: 'IFK_InvoiceCustomerId', columns: ['CustomerId'] }],
  },
)

/** Track, on an Album, of a Genre and MediaType. */
export const Track = Q.table(
  'Track',
  {
    TrackId: id(),
    Name: Q.varchar(200).notNull(),
    AlbumId: Q.integer(),
    MediaTypeId: Q.integer().notNull(),
    GenreId: Q.integer(),
    Composer: Q.varchar(220),
    Milliseconds: Q.integer().notNull(),
    Bytes: Q.integer(),
    UnitPrice: money(),
  },
  {
    foreignKeys: [
      { columns: ['AlbumId'], references: () => Album, referencedColumns: ['AlbumId'] },
      { columns: ['GenreId'], references: () => Genre, referencedColumns: ['GenreId'] },
      { columns: ['MediaTypeId'], references: () => MediaType, referencedColumns: ['MediaTypeId'] },
    ],
    indexes: [
      { name: 'IFK_TrackAlbumId', columns: ['AlbumId'] },
      { name: 'IFK_TrackGenreId', columns: ['GenreId'] },
      { name: 'IFK_TrackMediaTypeId', columns: ['MediaTypeId'] },
    ],
  },
)

/** InvoiceLine: one Track on one Invoice. */
export const InvoiceLine = Q.table(
  'InvoiceLine',
  { InvoiceLineId: id(), InvoiceId: Q.integer().notNull(), TrackId: Q.integer().notNull(), UnitPrice: money(), Quantity: Q.integer().notNull() },
  {
    foreignKeys: [
      { columns: ['InvoiceId'], references: () => Invoice, referencedColumns: ['InvoiceId'] },
      { columns: ['TrackId'], references: () => Track, referencedColumns: ['TrackId'] },
    ],
    indexes: [
      { name: 'IFK_InvoiceLineInvoiceId', columns: ['InvoiceId'] },
      { name: 'IFK_InvoiceLineTrackId', columns: ['TrackId'] },
    ],
  },
)

/** PlaylistTrack: the many-to-many association, composite primary key. */
export const PlaylistTrack = Q.table(
  'PlaylistTrack',
  { PlaylistId: Q.integer().notNull(), TrackId: Q.integer().notNull() },
  {
    primaryKey: ['PlaylistId', 'TrackId'],
    foreignKeys: [
      { columns: ['PlaylistId'], references: () => Playlist, referencedColumns: ['PlaylistId'] },
      { columns: ['TrackId'], references: () => Track, referencedColumns: ['TrackId'] },
    ],
    indexes: [{ name: 'IFK_PlaylistTrackTrackId', columns: ['TrackId'] }],
  },
)

/**
 * The whole schema. Listed in the fixture's (alphabetical) order on purpose:
 * the creation order comes from the foreign-key graph, not from this list.
 */
export const chinook = Q.metadata([Album, Artist, Customer, Employee, Genre, Invoice, InvoiceLine, MediaType, Playlist, PlaylistTrack, Track])

/** Row counts of Chinook 1.4.5, per table. */
export const chinookCounts: Readonly<Record<string, number>> = Object.freeze({
  Album: 347,
  Artist: 275,
  Customer: 59,
  Employee: 8,
  Genre: 25,
  Invoice: 412,
  InvoiceLine: 2240,
  MediaType: 5,
  Playlist: 18,
  PlaylistTrack: 8715,
  Track: 3503,
})

interface FixtureTable {
  readonly name: string
  readonly columns: readonly { readonly name: string }[]
  readonly rows: readonly (readonly unknown[])[]
}

let fixture: ReadonlyMap<string, FixtureTable> | undefined

/** The vendored fixture's tables by name (read once per process). */
export const chinookFixture = (): ReadonlyMap<string, FixtureTable> => {
  if (fixture === undefined) {
    const json = JSON.parse(readFileSync(new URL('../fixtures/chinook/chinook.json', import.meta.url), 'utf8')) as { tables: FixtureTable[] }
    fixture = new Map(json.tables.map((t) => [t.name, t]))
  }
  return fixture
}

/**
 * Bind parameters per statement each engine accepts: PostgreSQL's protocol
 * and MariaDB's prepared statements count them in 16 bits; SQLite's
 * SQLITE_MAX_VARIABLE_NUMBER defaults to 32766 (3.32+). quarry's dialect
 * record does not carry this limit (logged in /tmp/issue3-gaps.md).
 */
export const bindLimit: Readonly<Record<DialectName, number>> = { postgres: 65535, mariadb: 65535, mysql8: 65535, sqlite: 32766 }

/** Rows per multi-row INSERT page: under the bind limit, and at most 1000 rows to keep statements modest. */
export const pageRows = (d: Dialect, columns: number): number => Math.max(1, Math.min(1000, Math.floor((bindLimit[d.name] - 1) / columns)))

// The fixture stores SQLite's forms: 'YYYY-MM-DD HH:MM:SS' text and REAL money.
const cell = (t: Q.AnyTable, column: string, v: unknown): unknown => {
  if (v === null) return null
  const kind = t.columns[column]?.spec.type.kind
  if (kind === 'timestamp') return new Date(`${String(v).replace(' ', 'T')}Z`)
  if (kind === 'numeric') return (v as number).toFixed(2)
  return v
}

/** Rows of a self-referencing table ordered parents first, so an immediate FK check (InnoDB) never sees a missing parent. */
const parentsFirst = (t: Q.AnyTable, rows: Record<string, unknown>[]): Record<string, unknown>[] => {
  const self = t.foreignKeys.find((f) => f.references().name === t.name)
  if (self === undefined) return rows
  const [fk] = self.columns
  const [pk] = self.referencedColumns
  if (fk === undefined || pk === undefined) return rows
  const byKey = new Map(rows.map((r) => [r[pk], r]))
  const depth = (r: Record<string, unknown>, seen: number): number => {
    const parent = r[fk] === null ? undefined : byKey.get(r[fk])
    return parent === undefined || seen > rows.length ? 0 : 1 + depth(parent, seen + 1)
  }
  return rows.map((r) => ({ r, d: depth(r, 0) })).sort((a, b) => a.d - b.d).map((x) => x.r)
}

/**
 * Create the Chinook tables and indexes on `connection` (quarry DDL compiled
 * for `dialect`, in foreign-key order from the metadata) and load every row
 * with multi-row quarry INSERTs in pages below the dialect's bind-parameter
 * limit, in one transaction per table. Resolves to the rows inserted per table.
 *
 * @example
 * const conn = await sqliteDriver({ filename: ':memory:' }).connect()
 * await loadChinook(conn, sqlite) // { Artist: 275, Album: 347, ... }
 */
export const loadChinook = async (connection: Connection, dialect: Dialect): Promise<Record<string, number>> => {
  const ddl = E.getOrElse((e: Q.MetaDataError): readonly Q.DdlNode[] => {
    throw new Error(e.message)
  })(Q.createAll(chinook))
  for (const s of ddl) {
    const c = compileOrThrow(dialect, s)
    await connection.execute(c.sql, c.params as readonly Param[])
  }
  const order = E.getOrElse((e: Q.MetaDataError): readonly Q.AnyTable[] => {
    throw new Error(e.message)
  })(Q.tablesInFkOrder(chinook))
  const loaded: Record<string, number> = {}
  for (const t of order) {
    const src = chinookFixture().get(t.name)
    if (src === undefined) throw new Error(`fixture has no table ${t.name}`)
    const names = src.columns.map((c) => c.name)
    const objects = src.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, cell(t, n, row[i])])))
    const rows = parentsFirst(t, objects)
    const page = pageRows(dialect, names.length)
    await connection.begin()
    try {
      for (let at = 0; at < rows.length; at += page) {
        const c = compileOrThrow(dialect, Q.insert(t, rows.slice(at, at + page) as never))
        await connection.execute(c.sql, c.params as readonly Param[])
      }
      await connection.commit()
    } catch (e) {
      await connection.rollback()
      throw e
    }
    loaded[t.name] = rows.length
  }
  return loaded
}
