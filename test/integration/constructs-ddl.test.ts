/**
 * DDL values executed on the three real engines: every column type, keys,
 * unique and check constraints, foreign-key actions, IF [NOT] EXISTS,
 * indexes (unique and partial), and a whole metadata created and dropped
 * in foreign-key order. Constraint violations come back as typed errors.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { engines, expectUnsupported, type OpenDb } from '../support/quarry-engines.js'

process.env.TZ = 'UTC'

const everything = Q.table('everything', {
  i: Q.integer().primaryKey(),
  b: Q.bigint(),
  s: Q.smallint().notNull().serverDefault(Q.val(3)),
  t: Q.text().serverDefault(Q.val("it's")),
  v: Q.varchar(10),
  c: Q.char(2),
  ok: Q.boolean(),
  n: Q.numeric(12, 2),
  r: Q.real(),
  d: Q.double(),
  day: Q.date(),
  at: Q.time(),
  ts: Q.timestamp(),
  tz: Q.timestamp({ withTimeZone: true }),
  j: Q.json(),
  jb: Q.jsonb(),
  u: Q.uuid(),
  raw: Q.bytes(),
  mood: Q.enumOf('mood', ['happy', 'sad']),
})

const parent = Q.table('parent', { id: Q.integer().primaryKey(), code: Q.varchar(10).notNull().unique() })
const child = Q.table(
  'child',
  { id: Q.integer().primaryKey(), parent_id: Q.integer().notNull(), qty: Q.integer().notNull(), done: Q.boolean().notNull(), tag: Q.varchar(10) },
  (c) => ({
    checks: [{ name: 'child_qty_positive', expr: Q.gt(c.qty, 0) }],
    foreignKeys: [{ columns: ['parent_id'], references: () => parent, referencedColumns: ['id'], onDelete: 'cascade' }],
    indexes: [
      { name: 'child_parent_idx', columns: ['parent_id'] },
      { name: 'child_tag_uq', columns: ['tag'], unique: true },
      { name: 'child_open_uq', columns: ['parent_id'], unique: true, where: Q.eq(c.done, false) },
    ],
  }),
)
const family = Q.metadata([child, parent])

const ok = <T>(e: E.Either<unknown, T>): T => {
  if (E.isLeft(e)) throw new Error(`unexpected ${JSON.stringify(e.left)}`)
  return e.right
}

describe.each(engines)('DDL on $name', (engine) => {
  let db: OpenDb
  beforeAll(async () => {
    db = await engine.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('every column type: created, written and read back', async () => {
    await db.run(Q.createTable(everything))
    const bytes = new Uint8Array([0, 1, 254, 255])
    await db.run(
      Q.insert(everything, {
        i: 1,
        b: 9007199254740993n,
        v: 'ten chars!',
        c: 'ab',
        ok: true,
        n: '1234567890.12',
        r: 1.5,
        d: 0.1,
        day: '2024-02-29',
        at: '13:45:30',
        ts: new Date('2024-02-29T13:45:30.123Z'),
        tz: new Date('2024-02-29T13:45:30.123Z'),
        j: { a: [1, 'x', null] },
        jb: { k: true },
        u: '123e4567-e89b-12d3-a456-426614174000',
        raw: bytes,
        mood: 'sad',
      }),
    )
    const [row] = await db.rows(Q.from(everything))
    if (row === undefined) throw new Error('no row')
    const day = row['day'] instanceof Date ? (row['day'] as Date).toISOString().slice(0, 10) : row['day']
    const ts = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString())
    const doc = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v)
    expect({
      i: row['i'],
      b: String(row['b']),
      s: Number(row['s']),
      t: row['t'],
      v: row['v'],
      c: row['c'],
      ok: row['ok'] === true || row['ok'] === 1,
      n: Number(row['n']).toFixed(2),
      r: row['r'],
      d: row['d'],
      day,
      at: String(row['at']).slice(0, 8),
      ts: ts(row['ts']),
      tz: ts(row['tz']),
      j: doc(row['j']),
      jb: doc(row['jb']),
      u: row['u'],
      raw: [...(row['raw'] as Uint8Array)],
      mood: row['mood'],
    }).toEqual({
      i: 1,
      // SQLite's driver returns numbers: the 2^53+1 bigint comes back rounded (a mapping-layer concern, noted in the report).
      b: engine.name === 'sqlite' ? '9007199254740992' : '9007199254740993',
      s: 3,
      t: "it's",
      v: 'ten chars!',
      c: 'ab',
      ok: true,
      n: '1234567890.12',
      r: 1.5,
      d: 0.1,
      day: '2024-02-29',
      at: '13:45:30',
      ts: '2024-02-29T13:45:30.123Z',
      tz: '2024-02-29T13:45:30.123Z',
      j: { a: [1, 'x', null] },
      jb: { k: true },
      u: '123e4567-e89b-12d3-a456-426614174000',
      raw: [0, 1, 254, 255],
      mood: 'sad',
    })
    await expect(db.run(Q.insert(everything, { i: 2, mood: 'meh' as 'sad' }))).rejects.toMatchObject({ _tag: engine.name === 'mariadb' ? 'DataException' : 'CheckViolation' })
    await db.run(Q.dropTable(everything))
  })

  it('create and drop a metadata in FK order, IF [NOT] EXISTS', async () => {
    for (const s of ok(Q.createAll(family, { ifNotExists: true }))) {
      if (s._tag === 'CreateIndex' && s.index.where !== undefined && engine.lacks.has('partial-index')) {
        expectUnsupported(db.dialect, s, /partial index/)
        continue
      }
      await db.run(s)
    }
    await db.run(Q.createTable(parent, { ifNotExists: true }))
    await db.run(Q.createIndex(child, 'child_parent_idx', { ifNotExists: true }))
    await db.run(Q.insert(parent, [{ id: 1, code: 'p1' }, { id: 2, code: 'p2' }]))
    await db.run(Q.insert(child, [{ id: 1, parent_id: 1, qty: 1, done: true, tag: 'a' }, { id: 2, parent_id: 2, qty: 2, done: false }]))
    await expect(db.run(Q.insert(parent, { id: 3, code: 'p1' }))).rejects.toMatchObject({ _tag: 'UniqueViolation' })
    await expect(db.run(Q.insert(child, { id: 3, parent_id: 1, qty: 1, done: true, tag: 'a' }))).rejects.toMatchObject({ _tag: 'UniqueViolation' })
    await expect(db.run(Q.insert(child, { id: 3, parent_id: 1, qty: 0, done: true }))).rejects.toMatchObject({ _tag: 'CheckViolation' })
    await expect(db.run(Q.insert(child, { id: 3, parent_id: 7, qty: 1, done: true }))).rejects.toMatchObject({ _tag: 'ForeignKeyViolation' })
    await expect(db.run(Q.insert(child, { id: 3, parent_id: 1, qty: 1, done: null as unknown as boolean }))).rejects.toMatchObject({ _tag: 'NotNullViolation' })
    // The partial unique index allows one open child per parent where the engine has partial indexes.
    const second = db.run(Q.insert(child, { id: 4, parent_id: 2, qty: 1, done: false }))
    if (engine.lacks.has('partial-index')) await second
    else await expect(second).rejects.toMatchObject({ _tag: 'UniqueViolation' })
    await db.run(Q.deleteFrom(parent, (s) => Q.eq(s.parent.id, 2)))
    const left = await db.rows(pipe(Q.from(child), Q.select((s) => ({ id: s.child.id }))))
    expect(left).toEqual([{ id: 1 }])
    await db.run(Q.dropIndex(child, 'child_tag_uq'))
    await db.run(Q.dropIndex(child, 'child_tag_uq', { ifExists: true }))
    await db.run(Q.insert(child, { id: 5, parent_id: 1, qty: 1, done: true, tag: 'a' }))
    for (const s of ok(Q.dropAll(family))) await db.run(s)
    for (const s of ok(Q.dropAll(family, { ifExists: true }))) await db.run(s)
    await expect(db.rows(Q.from(parent))).rejects.toMatchObject({ dialect: db.conn.dialect })
  })
})
