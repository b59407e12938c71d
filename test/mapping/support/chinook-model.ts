/**
 * The Chinook schema mapped as entities and relationships, shared by the
 * mapping tests: every relationship kind appears once at least.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../../../src/algebra/index.js'
import * as M from '../../../src/mapping/index.js'
import { Album, Artist, Customer, Employee, Invoice, InvoiceLine, Playlist, PlaylistTrack, Track } from '../../support/chinook.js'

export const ArtistE = M.entity(Artist)
export const AlbumE = M.entity(Album)
export const TrackE = M.entity(Track)
export const PlaylistE = M.entity(Playlist)
export const EmployeeE = M.entity(Employee)
export const CustomerE = M.entity(Customer)
export const InvoiceE = M.entity(Invoice)
/** An association object: the Invoice ↔ Track link with its own columns (price, quantity). */
export const InvoiceLineE = M.entity(InvoiceLine)
/** The composite-key association table as an entity. */
export const PlaylistTrackE = M.entity(PlaylistTrack)

/** One-to-many. */
export const artistAlbums = M.oneToMany(ArtistE, AlbumE, { remote: ['ArtistId'] })
export const albumTracks = M.oneToMany(AlbumE, TrackE, { remote: ['AlbumId'] })
/** Many-to-one. */
export const albumArtist = M.manyToOne(AlbumE, ArtistE, { local: ['ArtistId'] })
export const trackAlbum = M.manyToOne(TrackE, AlbumE, { local: ['AlbumId'] })
/** Many-to-many through PlaylistTrack. */
export const playlistTracks = M.manyToMany(PlaylistE, TrackE, { through: PlaylistTrack, local: ['PlaylistId'], remote: ['TrackId'] })
export const trackPlaylists = M.manyToMany(TrackE, PlaylistE, { through: PlaylistTrack, local: ['TrackId'], remote: ['PlaylistId'] })
/** Self-referential, remote side stated both ways. */
export const reports = M.oneToMany(EmployeeE, EmployeeE, { remote: ['ReportsTo'] })
export const manager = M.manyToOne(EmployeeE, EmployeeE, { local: ['ReportsTo'] })
/** Association object: invoice → lines → track. */
export const invoiceLines = M.oneToMany(InvoiceE, InvoiceLineE, { remote: ['InvoiceId'] })
export const lineTrack = M.manyToOne(InvoiceLineE, TrackE, { local: ['TrackId'] })
/** Composite key on the child side: playlist → its PlaylistTrack rows. */
export const playlistEntries = M.oneToMany(PlaylistE, PlaylistTrackE, { remote: ['PlaylistId'] })
/** One-to-one: a customer's support rep seen from the customer (at most one). */
export const customerRep = M.oneToOne(CustomerE, EmployeeE, { local: ['SupportRepId'], remote: ['EmployeeId'] })

/** An aggregate select: each customer with the total of their invoices. */
const customerSpendQuery = pipe(
  Q.from(Customer),
  Q.join(Invoice, (s) => Q.eq(s.Invoice.CustomerId, s.Customer.CustomerId)),
  Q.groupBy((s) => [s.Customer.CustomerId, s.Customer.FirstName, s.Customer.LastName]),
  Q.select((s) => ({ CustomerId: s.Customer.CustomerId, FirstName: s.Customer.FirstName, LastName: s.Customer.LastName, TotalSpent: Q.sum(s.Invoice.Total), Invoices: Q.count() })),
)

/** The customer-with-total-spent entity (read-only). */
export const CustomerSpendE = M.view(
  'CustomerSpend',
  customerSpendQuery,
  { CustomerId: Q.integer().notNull(), FirstName: Q.varchar(40).notNull(), LastName: Q.varchar(20).notNull(), TotalSpent: Q.numeric(10, 2).notNull(), Invoices: Q.integer().notNull() },
  { key: ['CustomerId'] },
)
/** Each spend row has its customer's invoices (a relationship from a view). */
export const spendInvoices = M.oneToMany(CustomerSpendE, InvoiceE, { remote: ['CustomerId'] })
