/**
 * Binds over real engines: users on a PostgreSQL "home" database (the
 * default engine and the two-phase log), orders bound to a second database
 * on each of PostgreSQL, MariaDB and SQLite in turn. Statements run where
 * their tables are bound; one touching both engines (a join, a subquery)
 * is a CrossEngine error; a graph over both commits atomically with
 * two-phase commit, or — on SQLite, which has none — is refused until the
 * caller opts into per-engine transactions, whose partial failure is
 * reported as such.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/mapping/index.js'
import { binds, commitBound, engineOf, engineOfTable, execute, G, query, queryBound, runOn, runPromise, twoPhaseLog, type Binds } from '../../src/effects/index.js'
import { engines } from '../support/engines.js'
import { idColumn, openDb, show, uniqueName, type TestDb } from './support/multi.js'

const users = Q.table('users', { id: Q.integer().primaryKey().autoIncrement(), name: Q.text().notNull() })
const orders = Q.table('orders', { id: Q.integer().primaryKey().autoIncrement(), user_id: Q.integer().notNull(), item: Q.text().notNull() })
const OrderE = M.entity(orders)

describe.each(engines.map((e) => e.name))('binds: users on PostgreSQL, orders on %s', (kind) => {
  let home: TestDb
  let away: TestDb
  let b: Binds

  beforeAll(async () => {
    ;[home, away] = await Promise.all([openDb('postgresql', uniqueName('home')), openDb(kind, uniqueName('away'))])
    await home.sql(`CREATE TABLE users (id ${idColumn('postgresql')}, name TEXT NOT NULL)`)
    await home.sql(`INSERT INTO users (name) VALUES ('home user')`)
    await runPromise(home.engine)(execute(Q.createTable(twoPhaseLog)))
    await away.sql(`CREATE TABLE orders (id ${idColumn(kind)}, user_id INTEGER NOT NULL, item TEXT NOT NULL)`)
    await away.sql(`INSERT INTO orders (user_id, item) VALUES (1, 'away order')`)
    const made = binds(home.engine, [[OrderE, away.engine]])
    if (E.isLeft(made)) throw new Error(made.left.message)
    b = made.right
  })
  afterAll(async () => {
    await Promise.all([home?.close(), away?.close()])
  })

  it('a statement runs on the engine of its tables; a text-only statement on the default', async () => {
    expect(engineOfTable(b)(orders).name).toBe(away.engine.name)
    expect(E.map((e: { name: string }) => e.name)(engineOf(b)(Q.from(users)))).toEqual(E.right(home.engine.name))
    expect(E.map((e: { name: string }) => e.name)(engineOf(b)(Q.deleteFrom(orders, (s) => Q.eq(s.orders.id, 0))))).toEqual(E.right(away.engine.name))
    expect(E.map((e: { name: string }) => e.name)(engineOf(b)(Q.textQuery(Q.rawSql('SELECT 1 AS one'), { one: Q.integer() })))).toEqual(E.right(home.engine.name))
    const u = await queryBound(b)<{ name: string }>(pipe(Q.from(users), Q.select((s) => ({ name: s.users.name }))))()
    expect(u).toEqual(E.right([{ name: 'home user' }]))
    const o = await queryBound(b)<{ item: string }>(pipe(Q.from(orders), Q.select((s) => ({ item: s.orders.item }))))()
    expect(o).toEqual(E.right([{ item: 'away order' }]))
    const p = await runOn(b)([OrderE])(query<{ item: string }>(pipe(Q.from(orders), Q.select((s) => ({ item: s.orders.item })))))()
    expect(p).toEqual(E.right([{ item: 'away order' }]))
  })

  it('a join or a subquery across engines is a CrossEngine error naming where each table is; nothing runs', async () => {
    const join = pipe(Q.from(orders), Q.join(users, (s) => Q.eq(s.users.id, s.orders.user_id)))
    const where = { users: home.engine.name, orders: away.engine.name }
    expect(engineOf(b)(join)).toMatchObject(E.left({ _tag: 'CrossEngine', tables: where }))
    const sub = pipe(Q.from(orders), Q.where((s) => Q.isIn(s.orders.user_id, pipe(Q.from(users), Q.select((u) => ({ id: u.users.id }))))))
    expect(await queryBound(b)(sub)()).toMatchObject(E.left({ _tag: 'CrossEngine', tables: where }))
    expect(await runOn(b)([users, OrderE])(query(Q.from(users)))()).toMatchObject(E.left({ _tag: 'CrossEngine' }))
    const view = M.view('Spend', pipe(Q.from(orders), Q.join(users, (s) => Q.eq(s.users.id, s.orders.user_id)), Q.select((s) => ({ name: s.users.name }))), { name: Q.text().notNull() }, { key: ['name'] })
    expect(binds(home.engine, [[view, away.engine]])).toMatchObject(E.right({ tables: new Map([['orders', away.engine], ['users', away.engine]]) }))
    expect(binds(home.engine, [[OrderE, away.engine], [orders, home.engine]])).toMatchObject(E.left({ _tag: 'InvalidSetup' }))
  })

  const graph = (name: string) =>
    pipe(G.empty, G.insert('u', users, { name }), G.insert('o1', orders, { user_id: G.ref('u'), item: `${name}'s book` }), G.insert('o2', orders, { user_id: G.ref('u'), item: `${name}'s pen` }))
  const dump = async () => show([await home.sql('SELECT * FROM users ORDER BY id'), await away.sql('SELECT * FROM orders ORDER BY id')])
  const ordersOf = async (uid: number) => (await away.sql(`SELECT item FROM orders WHERE user_id = ${uid} ORDER BY id`)).map((r) => r['item'])

  if (kind === 'sqlite') {
    it('a graph over PostgreSQL and SQLite needs two-phase commit: refused, then committed per engine on request', async () => {
      const before = await dump()
      expect(await commitBound(b)(graph('ada'))()).toMatchObject(E.left({ _tag: 'TwoPhaseUnsupported', engines: [away.engine.name] }))
      expect(await dump()).toBe(before)
      const r = await commitBound(b, { atomic: 'per-engine' })(graph('ada'))()
      if (E.isLeft(r)) throw new Error(r.left.message)
      expect(r.right.gtid).toBeUndefined()
      expect(await ordersOf(Number(r.right.get('u')?.['id']))).toEqual(["ada's book", "ada's pen"])
    })

    it('per-engine: a failure on the second engine is a PartialCommit naming what committed', async () => {
      const clash = pipe(G.empty, G.insert('u', users, { name: 'bob' }), G.insert('o', orders, { id: 1, user_id: G.ref('u'), item: 'dup' }))
      const r = await commitBound(b, { atomic: 'per-engine' })(clash)()
      expect(r).toMatchObject(E.left({ _tag: 'PartialCommit', committed: [home.engine.name], failed: away.engine.name, cause: { _tag: 'FlushFailed', cause: { _tag: 'UniqueViolation' } } }))
    })
  } else {
    it('a graph over both engines commits atomically (two-phase); a failure on either leaves both unchanged', async () => {
      const r = await commitBound(b)(graph('ada'))()
      if (E.isLeft(r)) throw new Error(r.left.message)
      expect(r.right.gtid).toBeDefined()
      expect(await ordersOf(Number(r.right.get('u')?.['id']))).toEqual(["ada's book", "ada's pen"])
      const before = await dump()
      const clash = pipe(G.empty, G.insert('u', users, { name: 'bob' }), G.insert('o', orders, { id: 1, user_id: G.ref('u'), item: 'dup' }))
      expect(await commitBound(b)(clash)()).toMatchObject(E.left({ _tag: 'TwoPhaseAborted', stage: 'flush', engine: away.engine.name, cause: { cause: { _tag: 'UniqueViolation' } } }))
      expect(await dump()).toBe(before)
    })
  }

  it('a graph on one engine is one ordinary transaction there', async () => {
    const r = await commitBound(b)(pipe(G.empty, G.insert('o', orders, { user_id: 1, item: 'solo' })))()
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.gtid).toBeUndefined()
    expect([...r.right.byEngine.keys()]).toEqual([away.engine.name])
    expect(await away.sql(`SELECT item FROM orders WHERE item = 'solo'`)).toEqual([{ item: 'solo' }])
  })
})
