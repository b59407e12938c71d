/**
 * Data-changing constructs executed on the three real engines: INSERT (one
 * row, many rows, DEFAULT, from a query), RETURNING where the engine has
 * it, UPDATE (plain and joined), DELETE, both upsert forms, and WITH before
 * a data change. Every change runs in a transaction that is rolled back.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { engines, expectUnsupported, type OpenDb } from '../support/quarry-engines.js'
import { asBag, normalise } from '../support/normalise.js'
import { dept, loadStaff, rolledBack, staff } from '../support/staff.js'

process.env.TZ = 'UTC'

/** One unique key only (the primary key), so MySQL's ON DUPLICATE KEY means the same as ON CONFLICT (key). */
const counter = Q.table('counter', { k: Q.varchar(20).primaryKey(), hits: Q.integer().notNull(), note: Q.text() })
/** A server default and a client default. */
const stamp = Q.table('stamp', {
  id: Q.integer().primaryKey().autoIncrement(),
  label: Q.varchar(20).notNull(),
  kind: Q.varchar(10).notNull().default('plain'),
  level: Q.integer().notNull().serverDefault(Q.val(7)),
})

describe.each(engines)('data changes on $name', (engine) => {
  let db: OpenDb
  beforeAll(async () => {
    db = await engine.open()
    await loadStaff(db)
    await db.run(Q.createTable(counter))
    await db.run(Q.createTable(stamp))
    await db.run(Q.insert(counter, [{ k: 'a', hits: 1 }, { k: 'b', hits: 2, note: 'keep' }]))
  })
  afterAll(async () => {
    await db?.close()
  })

  const counters = async () => db.rows(pipe(Q.from(counter), Q.orderBy((s) => [s.counter.k])))
  const staffNames = async () => (await db.rows<{ name: string }>(pipe(Q.from(staff), Q.select((s) => ({ name: s.staff.name })), Q.orderBy((s) => [s.staff.id])))).map((r) => r.name)

  it('insert one row, many rows, client and server defaults', () =>
    rolledBack(db, async () => {
      expect((await db.run(Q.insert(stamp, { label: 'one' }))).affectedRows).toBe(1)
      expect((await db.run(Q.insert(stamp, { label: 'two', kind: 'loud', level: 1 }))).affectedRows).toBe(1)
      expect((await db.run(Q.insert(stamp, [{ label: 'x', level: 2 }, { label: 'y', level: 3 }]))).affectedRows).toBe(2)
      const rows = await db.rows(pipe(Q.from(stamp), Q.select((s) => ({ label: s.stamp.label, kind: s.stamp.kind, level: s.stamp.level })), Q.orderBy((s) => [s.stamp.label])))
      expect(rows).toEqual([
        { label: 'one', kind: 'plain', level: 7 },
        { label: 'two', kind: 'loud', level: 1 },
        { label: 'x', kind: 'plain', level: 2 },
        { label: 'y', kind: 'plain', level: 3 },
      ])
    }))

  it('a multi-row insert that leaves a server-defaulted column out of one row (Unsupported where the engine has no DEFAULT in VALUES)', async () => {
    const q = Q.insert(stamp, [{ label: 'p' }, { label: 'q', level: 1 }])
    if (engine.lacks.has('multi-row-insert-default-with-server-default')) return expectUnsupported(db.dialect, q, /server default/)
    await rolledBack(db, async () => {
      await db.run(q)
      expect(await db.rows(pipe(Q.from(stamp), Q.select((s) => ({ label: s.stamp.label, level: s.stamp.level })), Q.orderBy((s) => [s.stamp.label])))).toEqual([
        { label: 'p', level: 7 },
        { label: 'q', level: 1 },
      ])
    })
  })

  it('insert from a query', () =>
    rolledBack(db, async () => {
      const src = pipe(Q.from(staff), Q.where((s) => Q.lt(s.staff.salary, 160)), Q.select((s) => ({ k: s.staff.name, hits: s.staff.salary })))
      expect((await db.run(Q.insertFrom(counter, ['k', 'hits'], src))).affectedRows).toBe(3)
      expect((await counters()).map((r) => r['k'])).toEqual(['a', 'b', 'cy', 'di', 'eve'])
    }))

  it('insert ... returning (generated keys come back)', () =>
    rolledBack(db, async () => {
      const rows = await db.rows(pipe(Q.insert(stamp, { label: 'r' }), Q.returning((s) => ({ id: s.stamp.id, label: s.stamp.label, level: s.stamp.level }))))
      expect(rows).toHaveLength(1)
      expect(normalise(rows, { id: 'int' })[0]).toMatchObject({ label: 'r', level: 7 })
      expect(Number(rows[0]?.['id'])).toBeGreaterThan(0)
    }))

  it('update with where', () =>
    rolledBack(db, async () => {
      const r = await db.run(Q.update(staff, { set: (s) => ({ salary: Q.add(s.staff.salary, 10), note: 'raised' }), where: (s) => Q.eq(s.staff.dept_id, 2) }))
      expect(r.affectedRows).toBe(2)
      const rows = await db.rows(pipe(Q.from(staff), Q.where((s) => Q.eq(s.staff.dept_id, 2)), Q.select((s) => ({ salary: s.staff.salary, note: s.staff.note }))))
      expect(asBag(normalise(rows))).toEqual(asBag([{ salary: 160, note: 'raised' }, { salary: 160, note: 'raised' }]))
    }))

  it('update ... returning (Unsupported where the engine has none)', async () => {
    const q = pipe(Q.update(staff, { set: () => ({ bonus: 1 }), where: (s) => Q.isNull(s.staff.bonus) }), Q.returning((s) => ({ id: s.staff.id, bonus: s.staff.bonus })))
    if (engine.lacks.has('returning-update')) return expectUnsupported(db.dialect, q, /RETURNING/)
    await rolledBack(db, async () => expect(asBag(normalise(await db.rows(q)))).toEqual(asBag([{ id: 2, bonus: 1 }, { id: 4, bonus: 1 }])))
  })

  it('update joined with another table (FROM, or multi-table UPDATE)', () =>
    rolledBack(db, async () => {
      await db.run(Q.updateFrom(staff, dept, { set: (s) => ({ note: s.dept.name }), where: (s) => Q.and(Q.eq(s.dept.id, s.staff.dept_id), Q.eq(s.dept.name, 'ops')) }))
      const rows = await db.rows(pipe(Q.from(staff), Q.select((s) => ({ id: s.staff.id, note: s.staff.note })), Q.orderBy((s) => [s.staff.id])))
      expect(rows.map((r) => r['note'])).toEqual(['founder', null, 'ops', 'ops', null])
    }))

  it('delete with where, and delete ... returning', () =>
    rolledBack(db, async () => {
      expect((await db.run(Q.deleteFrom(staff, (s) => Q.eq(s.staff.id, 5)))).affectedRows).toBe(1)
      const gone = await db.rows(pipe(Q.deleteFrom(staff, (s) => Q.eq(s.staff.id, 4)), Q.returning((s) => ({ id: s.staff.id, name: s.staff.name }))))
      expect(gone).toEqual([{ id: 4, name: 'di' }])
      expect(await staffNames()).toEqual(['ada', 'bob', 'cy'])
    }))

  it('upsert: on conflict do nothing (ON DUPLICATE KEY no-op on MySQL)', () =>
    rolledBack(db, async () => {
      await db.run(pipe(Q.insert(counter, [{ k: 'a', hits: 100 }, { k: 'c', hits: 3 }]), Q.onConflictDoNothing(['k'])))
      expect(await counters()).toEqual([
        { k: 'a', hits: 1, note: null },
        { k: 'b', hits: 2, note: 'keep' },
        { k: 'c', hits: 3, note: null },
      ])
    }))

  it('upsert: update from the proposed row and the current row', () =>
    rolledBack(db, async () => {
      const q = pipe(
        Q.insert(counter, [{ k: 'b', hits: 10, note: 'new' }, { k: 'd', hits: 4 }]),
        Q.onConflictDoUpdate(['k'], (ex, cur) => ({ hits: Q.add(cur.hits, ex.hits) })),
      )
      await db.run(q)
      expect(await counters()).toEqual([
        { k: 'a', hits: 1, note: null },
        { k: 'b', hits: 12, note: 'keep' },
        { k: 'd', hits: 4, note: null },
      ])
    }))

  it('upsert with a WHERE on the update (Unsupported where the engine has none)', async () => {
    const q = pipe(
      Q.insert(counter, [{ k: 'a', hits: 5 }, { k: 'b', hits: 5 }]),
      Q.onConflictDoUpdate(['k'], (ex) => ({ hits: ex.hits }), (_ex, cur) => Q.isNull(cur.note)),
    )
    if (engine.lacks.has('upsert-where')) return expectUnsupported(db.dialect, q, /WHERE/)
    await rolledBack(db, async () => {
      await db.run(q)
      expect((await counters()).map((r) => r['hits'])).toEqual([5, 2])
    })
  })

  it('upsert naming one of several unique keys (Unsupported where ON DUPLICATE KEY cannot name one)', async () => {
    const q = pipe(Q.insert(dept, { id: 9, name: 'eng' }), Q.onConflictDoUpdate(['name'], (ex) => ({ id: ex.id })))
    const nothing = pipe(Q.insert(dept, { id: 9, name: 'eng' }), Q.onConflictDoNothing(['name']))
    if (engine.lacks.has('upsert-target-among-several-uniques')) {
      expectUnsupported(db.dialect, q, /several unique keys/)
      return expectUnsupported(db.dialect, nothing, /several unique keys/)
    }
    await rolledBack(db, async () => {
      await db.run(nothing)
      expect(await db.rows(pipe(Q.from(dept), Q.where((s) => Q.eq(s.dept.name, 'eng'))))).toEqual([{ id: 1, name: 'eng' }])
    })
  })

  it('WITH before a data change (Unsupported where the engine has none)', async () => {
    const poor = pipe(Q.from(staff), Q.where((s) => Q.lt(s.staff.salary, 160)), Q.select((s) => ({ id: s.staff.id })), Q.cte('poor'))
    const q = Q.update(staff, { set: () => ({ bonus: 99 }), where: (s) => Q.isIn(s.staff.id, pipe(Q.from(poor), Q.select((p) => ({ id: p.poor.id })))) })
    if (engine.lacks.has('cte-in-mutations')) return expectUnsupported(db.dialect, q, /WITH/)
    await rolledBack(db, async () => {
      expect((await db.run(q)).affectedRows).toBe(3)
      expect((await db.rows(pipe(Q.from(staff), Q.select((s) => ({ b: s.staff.bonus })), Q.orderBy((s) => [s.staff.id])))).map((r) => r['b'])).toEqual([50, null, 99, 99, 99])
    })
  })
})
