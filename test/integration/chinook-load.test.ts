/**
 * Chinook through quarry's own DDL and INSERTs on the three real engines:
 * every table is created from the metadata in FK order and every row of the
 * fixture lands, with the keys and constraints the schema declares.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import type { DbError } from '../../src/drivers/errors.js'
import { Artist, chinook, chinookCounts, Employee, Invoice, loadChinook, PlaylistTrack, Track } from '../support/chinook.js'
import { engines, type OpenDb } from '../support/quarry-engines.js'
import { normalise } from '../support/normalise.js'

process.env.TZ = 'UTC'

describe.each(engines)('Chinook loaded through quarry on $name', (engine) => {
  let db: OpenDb
  let loaded: Record<string, number>

  beforeAll(async () => {
    db = await engine.open()
    loaded = await loadChinook(db.conn, db.dialect)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('inserts every row of every table', async () => {
    expect(loaded).toEqual(chinookCounts)
    for (const t of chinook.tables.values()) {
      const rows = await db.rows(pipe(Q.from(t), Q.select(() => ({ n: Q.count() }))))
      expect({ table: t.name, ...normalise(rows, { n: 'int' })[0] }).toEqual({ table: t.name, n: chinookCounts[t.name] })
    }
  })

  it('keeps exact money and UTC timestamps', async () => {
    const rows = await db.rows(
      pipe(
        Q.from(Invoice),
        Q.where((s) => Q.eq(s.Invoice.InvoiceId, 1)),
        Q.select((s) => ({ InvoiceDate: s.Invoice.InvoiceDate, Total: s.Invoice.Total, BillingCity: s.Invoice.BillingCity })),
      ),
    )
    expect(normalise(rows, { InvoiceDate: 'ts', Total: 'money' })).toEqual([
      { InvoiceDate: '2021-01-01T00:00:00.000Z', Total: '1.98', BillingCity: 'Stuttgart' },
    ])
    const boss = await db.rows(pipe(Q.from(Employee), Q.where((s) => Q.isNull(s.Employee.ReportsTo)), Q.select((s) => ({ id: s.Employee.EmployeeId, hired: s.Employee.HireDate }))))
    expect(normalise(boss, { hired: 'ts' })).toEqual([{ id: 1, hired: '2002-08-14T00:00:00.000Z' }])
  })

  it('enforces the composite primary key of PlaylistTrack and the foreign keys', async () => {
    const dup = db.run(Q.insert(PlaylistTrack, { PlaylistId: 1, TrackId: 3402 }))
    await expect(dup).rejects.toMatchObject({ _tag: 'UniqueViolation' } satisfies Partial<DbError>)
    const orphan = db.run(Q.insert(Track, { TrackId: 99999, Name: 'x', MediaTypeId: 999, Milliseconds: 1, UnitPrice: '0.99' }))
    await expect(orphan).rejects.toMatchObject({ _tag: 'ForeignKeyViolation' } satisfies Partial<DbError>)
    const selfRef = db.run(Q.update(Employee, { set: () => ({ ReportsTo: 4242 }), where: (s) => Q.eq(s.Employee.EmployeeId, 2) }))
    await expect(selfRef).rejects.toMatchObject({ _tag: 'ForeignKeyViolation' } satisfies Partial<DbError>)
    const still = await db.rows(pipe(Q.from(Artist), Q.select(() => ({ n: Q.count() }))))
    expect(normalise(still, { n: 'int' })).toEqual([{ n: 275 }])
  })
})
