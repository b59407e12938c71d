/**
 * Type tests: entity, view, relationship and loaded-graph types are
 * inferred from tables, declared view columns and includes.
 */
import * as t from 'io-ts'
import { describe, expectTypeOf, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { postgres } from '../../src/interpret/index.js'
import * as M from '../../src/mapping/index.js'
import * as X from './support/chinook-model.js'

type Artist = { readonly ArtistId: number; readonly Name: string | null }
type Album = { readonly AlbumId: number; readonly Title: string; readonly ArtistId: number }

describe('mapping types', () => {
  it('infers entity types from tables', () => {
    expectTypeOf<M.EntityType<typeof X.ArtistE>>().toEqualTypeOf<Artist>()
    expectTypeOf<M.EntityType<typeof X.AlbumE>>().toEqualTypeOf<Album>()
    expectTypeOf<M.EntityType<typeof X.InvoiceE>['InvoiceDate']>().toEqualTypeOf<Date>()
    expectTypeOf<M.EntityType<typeof X.InvoiceE>['Total']>().toEqualTypeOf<string>()
  })

  it('infers view types from the declared columns', () => {
    expectTypeOf<M.EntityType<typeof X.CustomerSpendE>>().toEqualTypeOf<{
      readonly CustomerId: number
      readonly FirstName: string
      readonly LastName: string
      readonly TotalSpent: string
      readonly Invoices: number
    }>()
  })

  it('checks declared view columns against the query row type', () => {
    const q = Q.from(Q.table('v', { id: Q.integer().primaryKey(), name: Q.text() }))
    M.view('V', q, { id: Q.integer().notNull(), name: Q.text() }, { key: ['id'] })
    // @ts-expect-error name is text in the query, not an integer
    M.view('V', q, { id: Q.integer().notNull(), name: Q.integer() }, { key: ['id'] })
  })

  it('takes refined column types from user codecs', () => {
    const Users = Q.table('users', { id: Q.integer().primaryKey(), big: Q.bigint().notNull(), email: Q.text().notNull() })
    const Email = t.brand(t.string, (s): s is t.Branded<string, { readonly Email: unique symbol }> => s.includes('@'), 'Email')
    const U = M.entity(Users, { codecs: { email: Email } })
    expectTypeOf<M.EntityType<typeof U>['email']>().toEqualTypeOf<t.TypeOf<typeof Email>>()
    expectTypeOf<M.EntityType<typeof U>['big']>().toEqualTypeOf<bigint>()
  })

  it('types relationships and the graph a load gives', () => {
    expectTypeOf(X.artistAlbums).toEqualTypeOf<M.Relationship<Artist, Album, 'many'>>()
    expectTypeOf(X.albumArtist).toEqualTypeOf<M.Relationship<Album, Artist, 'one'>>()
    const plan = M.load(postgres)(X.ArtistE, { albums: M.nest(X.artistAlbums, { tracks: X.albumTracks, artist: X.albumArtist }) })
    type Loaded = typeof plan extends M.LoadPlan<infer A> ? A : never
    type One = Loaded[number]
    expectTypeOf<One['Name']>().toEqualTypeOf<string | null>()
    expectTypeOf<One['albums'][number]['Title']>().toEqualTypeOf<string>()
    expectTypeOf<One['albums'][number]['artist']>().toEqualTypeOf<Artist | null>()
    expectTypeOf<One['albums'][number]['tracks'][number]['UnitPrice']>().toEqualTypeOf<string>()
  })

  it('types trees and tuples', () => {
    const tree = M.loadTree(postgres)(X.EmployeeE, { reports: X.reports }, { roots: (c) => Q.isNull(c.ReportsTo) })
    type Root = typeof tree extends M.LoadPlan<readonly (infer A)[]> ? A : never
    expectTypeOf<Root['reports'][number]['reports'][number]['LastName']>().toEqualTypeOf<string>()
    const q = Q.from(Q.table('x', { id: Q.integer().primaryKey() }))
    const X2 = M.entity(Q.table('x', { id: Q.integer().primaryKey() }))
    const tuples = M.hydrate(postgres)(q, [X2, M.at(X2, 'x', { optional: true })])
    expectTypeOf(tuples).toEqualTypeOf<M.LoadPlan<readonly [{ readonly id: number }, { readonly id: number } | null][]>>()
  })

  it('rejects an include whose relationship starts at another entity', () => {
    // @ts-expect-error albumTracks starts at Album, not Artist
    M.load(postgres)(X.ArtistE, { tracks: X.albumTracks })
  })
})
