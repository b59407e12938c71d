/**
 * Values of every kind through a committed change graph on the three
 * engines: booleans, timestamps, bytes, decimals, JSON, nulls — in bulk
 * (rows of one shape, checked and encoded by compiled code, see
 * src/effects/graph/compiled-rows.ts) and one by one, inserted then
 * updated by diff, read back as stored. The planner's parameters reach
 * the drivers as encoded (the SQLite driver binds them without a second
 * conversion), so a wrong encoding shows here as a wrong stored value.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { createEngine, execute, G, runPromise, sql, type Engine } from '../../src/effects/index.js'
import { engines, type EngineDb } from '../support/engines.js'

const things = Q.table('gv_things', {
  id: Q.integer().primaryKey().autoIncrement(),
  flag: Q.boolean().notNull(),
  note: Q.varchar(20),
  at: Q.timestamp(),
  data: Q.bytes(),
  amount: Q.numeric(10, 2),
  doc: Q.json(),
})

/** A composite key of an integer and a string; rows updated in bulk match on both parts. */
const pairs = Q.table('gv_pairs', { a: Q.integer().notNull(), b: Q.varchar(10).notNull(), v: Q.varchar(20), n: Q.integer() }, { primaryKey: ['a', 'b'] })

type Stored = { id: number; flag: boolean; note: string | null; at: number | null; data: string | null; amount: string | null; doc: unknown }

/** A stored row as plain values: each engine's own representation read back alike. */
const normal = (r: Record<string, unknown>): Stored => ({
  id: Number(r['id']),
  flag: r['flag'] === true || Number(r['flag']) === 1,
  note: r['note'] === null ? null : String(r['note']),
  at: r['at'] === null ? null : new Date(r['at'] instanceof Date ? r['at'] : `${String(r['at']).replace(' ', 'T')}${String(r['at']).endsWith('Z') ? '' : 'Z'}`).getTime(),
  data: r['data'] === null ? null : Buffer.from(r['data'] as Uint8Array).toString('hex'),
  amount: r['amount'] === null ? null : Number(r['amount']).toFixed(2),
  doc: r['doc'] === null ? null : typeof r['doc'] === 'string' ? (JSON.parse(r['doc']) as unknown) : r['doc'],
})

describe.each(engines)('values through change graphs on $name', (engine) => {
  let db: EngineDb
  let e: Engine
  beforeAll(async () => {
    db = await engine.fresh()
    e = createEngine(db.driver, { pool: { max: 1 } })
    const ddl = Q.createAll(Q.metadata([things, pairs]))
    if (E.isLeft(ddl)) throw new Error(ddl.left.message)
    for (const s of ddl.right) await runPromise(e)(execute(s))
  })
  afterAll(async () => {
    await e.close()
    await db.drop()
  })

  const stored = async (): Promise<Stored[]> => (await runPromise(e)(sql<Record<string, unknown>>('SELECT * FROM gv_things ORDER BY id'))).rows.map(normal)

  it('bulk and single rows of every kind are stored as given, then updated by diff', async () => {
    const at = new Date(Date.UTC(2026, 11, 7, 12, 30, 45))
    // 60 rows of quick columns only (compiled check and encoder), then rows with dates, bytes, decimals and JSON.
    const bulk = Array.from({ length: 60 }, (_, i) => G.insertRow(`b${i}`, things, { flag: i % 2 === 0, note: i % 5 === 0 ? null : `n${i}` }))
    const rich = Array.from({ length: 40 }, (_, i) =>
      G.insertRow(`r${i}`, things, { flag: i % 3 === 0, note: `r${i}`, at, data: new Uint8Array([i, 255 - i, 0]), amount: `${i}.25`, doc: { i, tags: ['a', i] } }),
    )
    const first = await runPromise(e)(G.commit(G.fromNodes([...bulk, ...rich])))
    const rows = await stored()
    expect(rows).toHaveLength(100)
    expect(rows.slice(0, 60).map((r) => [r.flag, r.note, r.at, r.data, r.amount, r.doc])).toEqual(
      Array.from({ length: 60 }, (_, i) => [i % 2 === 0, i % 5 === 0 ? null : `n${i}`, null, null, null, null]),
    )
    expect(rows.slice(60).map((r) => [r.flag, r.note, r.at, r.data, r.amount, r.doc])).toEqual(
      Array.from({ length: 40 }, (_, i) => [i % 3 === 0, `r${i}`, at.getTime(), Buffer.from([i, 255 - i, 0]).toString('hex'), `${i}.25`, { i, tags: ['a', i] }]),
    )
    expect(rows.map((r) => r.id)).toEqual([...first.rows].map(([, r]) => Number(r['id'])))

    // Update by diff: booleans flipped in bulk (compiled path), dates, bytes and JSON one by one.
    const later = new Date(at.getTime() + 86_400_000)
    const updates = rows.map((r, i) =>
      i < 60
        ? G.updateRow(`u${i}`, things, { id: r.id, flag: r.flag, note: r.note, at: null, data: null, amount: null, doc: null }, { flag: !r.flag, note: `m${i}` })
        : G.updateRow(`u${i}`, things, { id: r.id, flag: r.flag, note: r.note, at, data: null, amount: null, doc: null }, { at: later, data: new Uint8Array([7]), doc: [i] }),
    )
    await runPromise(e)(G.commit(G.fromNodes(updates)))
    const after = await stored()
    expect(after.slice(0, 60).map((r) => [r.flag, r.note])).toEqual(rows.slice(0, 60).map((r, i) => [!r.flag, `m${i}`]))
    expect(after.slice(60).map((r) => [r.at, r.data, r.doc, r.amount])).toEqual(rows.slice(60).map((_, i) => [later.getTime(), '07', [i + 60], `${i}.25`]))
  })

  it('rows of a composite key are updated in bulk by both parts, nulls and values alike, and only those rows', async () => {
    // Keys that agree in one part and differ in the other: a match on one part alone would write the wrong rows.
    const keys = Array.from({ length: 50 }, (_, i) => ({ a: i % 5, b: `k${Math.floor(i / 5)}` }))
    await runPromise(e)(G.commit(G.fromNodes(keys.map((k, i) => G.insertRow(`p${i}`, pairs, { ...k, v: `v${i}`, n: i })))))
    const read = async () =>
      (await runPromise(e)(sql<Record<string, unknown>>('SELECT a, b, v, n FROM gv_pairs ORDER BY a, b'))).rows.map((r) => [Number(r['a']), String(r['b']), r['v'] === null ? null : String(r['v']), r['n'] === null ? null : Number(r['n'])])
    const before = await read()
    // Every other row changes: the first of them to NULLs (the statement's first VALUES row, which types the columns on PostgreSQL).
    const changed = keys.flatMap((k, i) => (i % 2 === 0 ? [{ k, i }] : []))
    await runPromise(e)(
      G.commit(G.fromNodes(changed.map(({ k, i }, j) => G.updateRow(`u${i}`, pairs, { ...k, v: `v${i}`, n: i }, j === 0 ? { v: null, n: null } : { v: `w${i}`, n: -i })))),
    )
    const want = new Map(changed.map(({ k, i }, j) => [`${k.a}/${k.b}`, j === 0 ? [null, null] : [`w${i}`, -i]]))
    expect(await read()).toEqual(before.map(([a, b, v, n]) => [a, b, ...(want.get(`${String(a)}/${String(b)}`) ?? [v, n])]))
  })
})
