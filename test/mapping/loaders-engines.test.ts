/**
 * Per-dialect loaders on the real engines: one table with every kind of
 * column the loaders normalise (int8 beyond 2^53, exact decimals,
 * booleans, JSON, dates, timestamps, enums), read back into equal objects
 * on PostgreSQL, MariaDB and SQLite — or, where the driver has already lost
 * digits (better-sqlite3's 64-bit integers), into a typed decode error.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/mapping/index.js'
import { engines, type OpenDb } from '../support/quarry-engines.js'
import { runOk, runPlan } from './support/run-plan.js'

process.env.TZ = 'UTC'

const Kinds = Q.table('kinds', {
  id: Q.integer().primaryKey(),
  big: Q.bigint().notNull(),
  flag: Q.boolean().notNull(),
  price: Q.numeric(12, 4).notNull(),
  doc: Q.json<{ readonly tags: readonly string[] }>(),
  day: Q.date().notNull(),
  at: Q.timestamp().notNull(),
  mood: Q.enumOf('mood', ['calm', 'busy']).notNull(),
  note: Q.text(),
})
const KindsE = M.entity(Kinds, { name: 'Kinds' })

const HUGE = 2n ** 63n - 1n
const rows = [
  { id: 1, big: HUGE, flag: true, price: '12345678.1234', doc: { tags: ['a', 'b'] }, day: '2024-02-29', at: new Date('2024-02-29T23:59:58.000Z'), mood: 'busy' as const, note: null },
  { id: 2, big: 42n, flag: false, price: '-0.5000', doc: null, day: '1999-12-31', at: new Date('2000-01-01T00:00:00.000Z'), mood: 'calm' as const, note: 'x' },
]

describe.each(engines)('loaders on $name', (engine) => {
  let db: OpenDb

  beforeAll(async () => {
    db = await engine.open()
    await db.run(Q.createTable(Kinds))
    await db.run(Q.insert(Kinds, rows))
  })
  afterAll(async () => {
    await db?.close()
  })

  it('normalises every driver shape to the column types (no rounding of small int8)', async () => {
    const got = await runOk(db.conn, M.load(db.dialect)(KindsE, {}, { where: (c) => Q.eq(c.id, 2) }))
    expect(got).toEqual([rows[1]])
    expect(typeof got[0]?.big).toBe('bigint')
  })

  it('keeps an int8 above 2^53 exact, or refuses it with a typed error where the driver rounded it', async () => {
    const ran = await runPlan(db.conn, M.load(db.dialect)(KindsE, {}, { where: (c) => Q.eq(c.id, 1) }))
    if (engine.name === 'sqlite') {
      expect(E.isLeft(ran.result) && ran.result.left).toMatchObject({ _tag: 'DecodeError', entity: 'Kinds', column: 'big', path: 'Kinds.big', expected: 'bigint' })
      expect(E.isLeft(ran.result) && ran.result.left.message).toMatch(/beyond 2\^53/)
    } else {
      expect(ran.result).toEqual(E.right([rows[0]]))
    }
  })

  it('names entity, column, value and path when a row does not fit', async () => {
    const notes = pipe(
      Q.from(Kinds),
      Q.select((s) => ({ id: s.kinds.id, note: s.kinds.note })),
    )
    const Wrong = M.view('Note', notes, { id: Q.integer().notNull(), note: Q.text().notNull() }, { key: ['id'] })
    const ran = await runPlan(db.conn, M.load(db.dialect)(Wrong, {}))
    expect(E.isLeft(ran.result) && ran.result.left).toEqual({
      _tag: 'DecodeError',
      entity: 'Note',
      column: 'note',
      value: null,
      path: 'Note.note',
      expected: 'string',
      message: 'Note: column note has null, which does not fit string at Note.note (NULL in a NOT NULL column)',
    })
    // Hand-written SQL whose declared column types are wrong: the type checker cannot know, the decoder does.
    const text = Q.textQuery(Q.rawSql('SELECT id, note FROM kinds'), { id: Q.integer().notNull(), note: Q.integer() })
    const AsNumber = M.view('Note', text, { id: Q.integer().notNull(), note: Q.integer() }, { key: ['id'] })
    const bad = await runPlan(db.conn, M.load(db.dialect)(AsNumber, {}, { where: (c) => Q.eq(c.id, 2) }))
    expect(E.isLeft(bad.result) && bad.result.left).toMatchObject({ _tag: 'DecodeError', column: 'note', value: 'x', path: 'Note.note', expected: 'integer | null' })
    expect(E.isLeft(bad.result) && bad.result.left.message).toBe('Note: column note has "x", which does not fit integer | null at Note.note (not an integer)')
  })
})
