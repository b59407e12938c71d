/**
 * Horizontal sharding over two real PostgreSQL databases with the same
 * schema: accounts sharded by tenant (even / odd), notes following their
 * account through a G.ref. A graph over both shards commits atomically
 * (two-phase) and each row lands on its shard; a failure on one shard
 * leaves both as they were; queries go to one shard by key or to all, and
 * a merged ORDER BY … LIMIT across shards equals the same query over the
 * union of the data.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { commitSharded, execute, G, queryAll, queryByKey, runPromise, runShard, sharding, sql, twoPhaseLog, type Shards } from '../../src/effects/index.js'
import { idColumn, openDb, show, uniqueName, type TestDb } from './support/multi.js'

const accounts = Q.table('accounts', { id: Q.integer().primaryKey().autoIncrement(), tenant: Q.integer().notNull(), name: Q.text().notNull() })
const notes = Q.table('notes', { id: Q.integer().primaryKey().autoIncrement(), account_id: Q.integer().notNull(), body: Q.text().notNull() })

let even: TestDb
let odd: TestDb
let s: Shards<number>

const dump = async () => show([await even.sql('SELECT * FROM accounts ORDER BY id'), await even.sql('SELECT * FROM notes ORDER BY id'), await odd.sql('SELECT * FROM accounts ORDER BY id'), await odd.sql('SELECT * FROM notes ORDER BY id')])

beforeAll(async () => {
  ;[even, odd] = await Promise.all([openDb('postgresql', uniqueName('even')), openDb('postgresql', uniqueName('odd'))])
  for (const db of [even, odd]) {
    await db.sql(`CREATE TABLE accounts (id ${idColumn('postgresql')}, tenant INTEGER NOT NULL, name TEXT NOT NULL)`)
    await db.sql(`CREATE TABLE notes (id ${idColumn('postgresql')}, account_id INTEGER NOT NULL REFERENCES accounts (id), body TEXT NOT NULL)`)
  }
  await runPromise(even.engine)(execute(Q.createTable(twoPhaseLog)))
  const made = sharding<number>({
    shards: { even: even.engine, odd: odd.engine },
    keyOf: (t, row) => (t.name === 'accounts' ? (row['tenant'] as number) : undefined),
    shardOf: (tenant) => (tenant % 2 === 0 ? 'even' : 'odd'),
  })
  if (E.isLeft(made)) throw new Error(made.left.message)
  s = made.right
})
afterAll(async () => {
  await Promise.all([even?.close(), odd?.close()])
})

const account = (key: string, tenant: number, notesOf: readonly string[]) => (g: G.ChangeGraph) =>
  notesOf.reduce((acc, body, i) => G.insert(`${key}n${i}`, notes, { account_id: G.ref(key), body })(acc), G.insert(key, accounts, { tenant, name: key })(g))

describe('sharding over two PostgreSQL databases', () => {
  it('a graph over both shards commits atomically; each row (and the notes that follow it) lands on its shard', async () => {
    const r = await commitSharded(s)(pipe(G.empty, account('t2', 2, ['a', 'b']), account('t3', 3, ['c'])))()
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.gtid).toBeDefined()
    expect(await even.sql('SELECT tenant, name FROM accounts')).toEqual([{ tenant: 2, name: 't2' }])
    expect(await odd.sql('SELECT tenant, name FROM accounts')).toEqual([{ tenant: 3, name: 't3' }])
    expect((await even.sql('SELECT body FROM notes ORDER BY id')).map((x) => x['body'])).toEqual(['a', 'b'])
    expect(await odd.sql(`SELECT body FROM notes WHERE account_id = ${Number(r.right.get('t3')?.['id'])}`)).toEqual([{ body: 'c' }])
  })

  it('rows saved by primary key (no node keys) go to the shards their rows are on', async () => {
    const loaded = [...(await even.sql('SELECT * FROM accounts ORDER BY id')), ...(await odd.sql('SELECT * FROM accounts ORDER BY id'))].map((r) => ({
      id: Number(r['id']),
      tenant: Number(r['tenant']),
      name: String(r['name']),
    }))
    expect(loaded.map((r) => r.tenant)).toEqual([2, 3])
    const before = await dump()
    const r = await commitSharded(s)(G.fromNodes(loaded.map((row) => G.saveRow(accounts, row, { name: `${row.name}!` }))))()
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.gtid).toBeDefined()
    expect(await even.sql('SELECT tenant, name FROM accounts')).toEqual([{ tenant: 2, name: 't2!' }])
    expect(await odd.sql('SELECT tenant, name FROM accounts')).toEqual([{ tenant: 3, name: 't3!' }])
    // And back, for the tests after this one.
    const back = await commitSharded(s)(G.fromNodes(loaded.map((row) => G.saveRow(accounts, { ...row, name: `${row.name}!` }, { name: row.name }))))()
    if (E.isLeft(back)) throw new Error(back.left.message)
    expect(await dump()).toEqual(before)
  })

  it('a graph on one shard is one transaction there', async () => {
    const r = await commitSharded(s)(pipe(G.empty, account('t4', 4, ['d'])))()
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.gtid).toBeUndefined()
    expect([...r.right.byEngine.keys()]).toEqual([even.engine.name])
  })

  it('a failure on one shard leaves both shards as they were; a row no shard takes is refused up front', async () => {
    const before = await dump()
    const oddId = Number((await odd.sql('SELECT MIN(id) AS id FROM accounts'))[0]!['id'])
    // Even's part flushes first and succeeds; odd's insert hits a taken key: both roll back.
    const clash = pipe(G.empty, account('t6', 6, ['e']), G.insert('t5', accounts, { id: oddId, tenant: 5, name: 'dup' }))
    expect(await commitSharded(s)(clash)()).toMatchObject(E.left({ _tag: 'TwoPhaseAborted', stage: 'flush', engine: odd.engine.name, cause: { cause: { _tag: 'UniqueViolation' } } }))
    expect(await dump()).toBe(before)
    // A note with no shard key and no reference to follow cannot be placed.
    const lost = pipe(G.empty, account('t6', 6, []), G.insert('x', notes, { account_id: 1, body: 'orphan' }))
    expect(await commitSharded(s)(lost)()).toMatchObject(E.left({ _tag: 'NoShard', node: 'x', table: 'notes' }))
    expect(await dump()).toBe(before)
  })

  it('an id the chooser makes up is an UnknownShard error', async () => {
    const weird = sharding<number>({ shards: { even: even.engine, odd: odd.engine }, keyOf: () => 1, shardOf: () => 'nowhere' })
    if (E.isLeft(weird)) throw new Error(weird.left.message)
    expect(await commitSharded(weird.right)(pipe(G.empty, G.insert('a', accounts, { tenant: 1, name: 'a' })))()).toMatchObject(E.left({ _tag: 'UnknownShard', shard: 'nowhere' }))
    expect(await runShard(s)('nowhere')(sql('SELECT 1'))()).toMatchObject(E.left({ _tag: 'UnknownShard', known: ['even', 'odd'] }))
  })

  it('queries go to the shard of a key, or to all shards concatenated in shard order', async () => {
    const names = pipe(Q.from(accounts), Q.orderBy((x) => [Q.asc(x.accounts.id)]), Q.select((x) => ({ name: x.accounts.name })))
    expect(await queryByKey(s)(3)(names)()).toEqual(E.right([{ name: 't3' }]))
    expect(await queryByKey(s)(8)(names)()).toEqual(E.right([{ name: 't2' }, { name: 't4' }]))
    expect(await queryAll(s)(names)()).toEqual(E.right([{ name: 't2' }, { name: 't4' }, { name: 't3' }]))
  })

  it('a merged ORDER BY … LIMIT … OFFSET across shards equals the same query over all the data', async () => {
    for (const db of [even, odd]) await db.sql('CREATE TABLE scores (id INTEGER PRIMARY KEY, points INTEGER NOT NULL)')
    const scores = Q.table('scores', { id: Q.integer().primaryKey(), points: Q.integer().notNull() })
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 0, maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 30, maxLength: 30 }), fc.nat(12), fc.nat(5), async (ids, points, limit, offset) => {
        for (const db of [even, odd]) await db.sql('DELETE FROM scores')
        const rows = ids.map((id, i) => ({ id, points: points[i]! }))
        for (const r of rows) await (r.id % 2 === 0 ? even : odd).sql(`INSERT INTO scores VALUES (${r.id}, ${r.points})`)
        // Each shard's first offset + limit rows in the global order, then merged.
        const q = pipe(Q.from(scores), Q.orderBy((x) => [Q.desc(x.scores.points), Q.asc(x.scores.id)]), Q.limit(offset + limit), Q.select((x) => ({ id: x.scores.id, points: x.scores.points })))
        const order = (a: { id: number; points: number }, b: { id: number; points: number }) => b.points - a.points || a.id - b.id
        const merged = await queryAll(s)<{ id: number; points: number }>(q, undefined, { orderBy: order, offset, limit })()
        expect(merged).toEqual(E.right([...rows].sort(order).slice(offset, offset + limit)))
      }),
      { numRuns: 25 },
    )
  })
})
