/**
 * Smoke test on the real engines: every compiled statement of a small
 * schema (DDL, writes, reads, windows, CTEs, upserts, locks) runs on
 * PostgreSQL, MariaDB and SQLite, or is a declared Unsupported; the reads
 * give the same rows everywhere. The full behaviour suite lives elsewhere.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import mysql from 'mysql2/promise'
import pg from 'pg'
import Database from 'better-sqlite3'
import { describe, expect, inject, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { compile, mariadb, postgres, sqlite, type Dialect } from '../../src/interpret/index.js'
import { comments, employees, posts, users } from './fixtures.js'

const statements = (): [string, Q.StatementNode][] => {
  const out: [string, Q.StatementNode][] = []
  const md = Q.metadata([users, posts, comments, employees])
  const drop = Q.dropAll(md, { ifExists: true })
  if (E.isRight(drop)) for (const s of drop.right) out.push(['drop ' + s.table.name, s])
  const ddl = Q.createAll(md)
  if (E.isRight(ddl)) for (const s of ddl.right) out.push(['ddl ' + s._tag, s])
  out.push(['insert users', Q.insert(users, [{ name: 'ada', email: 'a@x', meta: { k: [1] } }, { name: 'bob', email: 'b@x', bio: 'hi' }])])
  out.push(['insert posts', Q.insert(posts, [{ author_id: 1, title: 'p1', score: 5 }, { author_id: 1, title: 'p2', score: 15, published_at: new Date(0) }, { author_id: 2, title: 'p3', score: 1 }])])
  out.push(['insert emps', Q.insert(employees, [{ id: 1, name: 'boss', dept: 'a', salary: 100 }, { id: 2, name: 'mid', manager_id: 1, dept: 'a', salary: 50 }, { id: 3, name: 'low', manager_id: 2, dept: 'b', salary: 10 }])])
  out.push(['select join', pipe(Q.from(users), Q.leftJoin(posts, (s) => Q.eq(s.posts.author_id, s.users.id)), Q.select((s) => ({ n: s.users.name, t: s.posts.title })), Q.orderBy((s) => [Q.desc(s.posts.score, 'nulls last')]), Q.limit(10), Q.offset(0))])
  out.push(['offset only', pipe(Q.from(users), Q.select((s) => ({ n: s.users.name })), Q.orderBy((s) => [s.users.id]), Q.offset(1))])
  out.push(['agg filter', pipe(Q.from(posts), Q.groupBy((s) => [s.posts.author_id]), Q.having(() => Q.gt(Q.count(), 0)), Q.select((s) => ({ a: s.posts.author_id, n: Q.count(), good: pipe(Q.count(), Q.filter(Q.gt(s.posts.score, 3))), avg: Q.avg(s.posts.score) })), Q.orderBy((s) => [s.posts.author_id]))])
  out.push(['window', pipe(Q.from(employees), Q.select((s) => ({ n: s.employees.name, r: pipe(Q.rank(), Q.over({ partitionBy: [s.employees.dept], orderBy: [Q.desc(s.employees.salary)] })), l: pipe(Q.lag(s.employees.salary, 1), Q.over({ orderBy: [s.employees.id] })), q: pipe(Q.ntile(2), Q.over({ orderBy: [s.employees.id] })), run: pipe(Q.sum(s.employees.salary), Q.over({ orderBy: [s.employees.id], frame: { unit: 'rows', start: Q.preceding(1), end: Q.currentRow } })) })))])
  const base = pipe(Q.from(employees), Q.where((s) => Q.isNull(s.employees.manager_id)), Q.select((s) => ({ id: s.employees.id, name: s.employees.name, depth: Q.val(0) })))
  const chain = Q.recursiveCte('chain', base, (self) => pipe(Q.from(employees), Q.join(self, (s) => Q.eq(s.employees.manager_id, s.chain.id)), Q.select((s) => ({ id: s.employees.id, name: s.employees.name, depth: Q.add(s.chain.depth, 1) }))))
  out.push(['recursive', pipe(Q.from(chain), Q.orderBy((s) => [s.chain.depth]))])
  const names = pipe(Q.from(users), Q.select((s) => ({ name: s.users.name })))
  const titles = pipe(Q.from(posts), Q.select((s) => ({ name: s.posts.title })), Q.orderBy((s) => [s.posts.score]), Q.limit(2))
  out.push(['union wrap', pipe(names, Q.union(titles), Q.except(names))])
  out.push(['intersect all', pipe(names, Q.intersectAll(names))])
  out.push(['values join', pipe(Q.from(users), Q.join(pipe(Q.values({ id: Q.integer().notNull(), label: Q.text() }, [{ id: 1, label: 'one' }, { id: 2, label: null }]), Q.as('v')), (s) => Q.eq(s.v.id, s.users.id)), Q.select((s) => ({ n: s.users.name, l: s.v.label })))])
  out.push(['select values', Q.selectValues({ one: Q.val(1), s: Q.val('x'), b: Q.val(true) })])
  out.push(['in limited', pipe(Q.from(users), Q.where((s) => Q.isIn(s.users.id, pipe(Q.from(posts), Q.select((p) => ({ a: p.posts.author_id })), Q.orderBy((p) => [Q.desc(p.posts.score)]), Q.limit(1)))), Q.select((s) => ({ n: s.users.name })))])
  out.push(['int division', pipe(Q.from(employees), Q.select((s) => ({ q: Q.div(s.employees.salary, 8) })), Q.orderBy((s) => [s.employees.id]))])
  out.push(['bare params', Q.selectValues({ same: Q.caseWhen([[Q.eq(Q.val(2), Q.val(2)), 'y']], 'n'), a: Q.abs(Q.val(-7)), d: Q.div(Q.val(7), Q.val(2)), c: Q.concat(Q.val('a'), Q.val('b')), nn: Q.caseWhen([[Q.isNotNull(Q.val('x')), 1]], 0) })])
  const bucket = (e: typeof employees.c) => Q.caseWhen([[Q.lt(e.salary, 60), 'low']], 'high')
  out.push(['group bucket', pipe(Q.from(employees), Q.groupBy((s) => [bucket(s.employees)]), Q.select((s) => ({ b: bucket(s.employees), n: Q.count(), w: Q.sum(Q.mul(s.employees.salary, 2)) })), Q.orderBy((s) => [Q.desc(Q.sum(Q.mul(s.employees.salary, 2)))]))])
  out.push(['in empty', pipe(Q.from(users), Q.where((s) => Q.or(Q.isIn(s.users.id, []), Q.notIn(s.users.id, []))), Q.select((s) => ({ id: s.users.id })))])
  out.push(['distinct from', pipe(Q.from(users), Q.where((s) => Q.isDistinctFrom(s.users.bio, null)), Q.select((s) => ({ id: s.users.id })))])
  out.push(['ilike', pipe(Q.from(users), Q.where((s) => Q.ilike(s.users.name, 'A%')), Q.select((s) => ({ id: s.users.id })))])
  out.push(['like escape', pipe(Q.from(users), Q.where((s) => Q.like(s.users.name, '%\\%%', { escape: '\\' })), Q.select((s) => ({ id: s.users.id })))])
  out.push(['funcs', pipe(Q.from(posts), Q.select((s) => ({ y: Q.extract('year', s.posts.published_at), c: Q.concat(s.posts.title, '!'), l: Q.length(s.posts.title), sub: Q.substring(s.posts.title, 1, 1), cs: Q.caseWhen([[Q.gt(s.posts.score, 3), 'hi']], 'lo'), cast: Q.cast(s.posts.score, { kind: 'text' }), co: Q.coalesce(s.posts.published_at, new Date(0)) })))])
  out.push(['json eq', pipe(Q.from(users), Q.where((s) => Q.isNotNull(s.users.meta)), Q.select((s) => ({ m: s.users.meta })))])
  out.push(['upsert', pipe(Q.insert(posts, { id: 1, author_id: 1, title: 'p1x', score: 1 }), Q.onConflictDoUpdate(['id'], (ex, cur) => ({ title: ex.title, score: Q.add(cur.score, ex.score) })))])
  out.push(['upsert nothing', pipe(Q.insert(posts, { id: 1, author_id: 1, title: 'p1x', score: 1 }), Q.onConflictDoNothing(['id']))])
  out.push(['update from', Q.updateFrom(posts, users, { set: (s) => ({ title: Q.concat(s.posts.title, s.users.name) }), where: (s) => Q.eq(s.users.id, s.posts.author_id) })])
  out.push(['delete using', Q.deleteUsing(comments, posts, (s) => Q.eq(s.posts.id, s.comments.post_id))])
  out.push(['insert returning', pipe(Q.insert(comments, { post_id: 1, body: 'c' }), Q.returning((s) => ({ id: s.comments.id })))])
  out.push(['delete returning', pipe(Q.deleteFrom(comments, (s) => Q.eq(s.comments.id, 99)), Q.returning((s) => ({ id: s.comments.id })))])
  out.push(['update returning', pipe(Q.update(posts, { set: () => ({ score: 0 }), where: (s) => Q.eq(s.posts.id, 3) }), Q.returning((s) => ({ id: s.posts.id })))])
  out.push(['for update skip', pipe(Q.from(users), Q.select((s) => ({ id: s.users.id })), Q.forUpdate({ skipLocked: true }))])
  out.push(['for share nowait', pipe(Q.from(users), Q.select((s) => ({ id: s.users.id })), Q.forShare({ nowait: true }))])
  out.push(['exists scalar', pipe(Q.from(users), Q.where((s) => Q.exists(pipe(Q.from(posts), Q.where((p) => Q.eq(p.posts.author_id, s.users.id))))), Q.select((s) => ({ id: s.users.id, best: Q.scalar(pipe(Q.from(Q.alias('p')(posts)), Q.where((p) => Q.eq(p.p.author_id, s.users.id)), Q.select((p) => ({ m: Q.max(p.p.score) })))) })))])
  const hot = pipe(Q.from(posts), Q.where((s) => Q.gt(s.posts.score, 0)), Q.select((s) => ({ a: s.posts.author_id })), Q.cte('hot'))
  out.push(['cte', pipe(Q.from(users), Q.where((s) => Q.isIn(s.users.id, pipe(Q.from(hot), Q.select((h) => ({ a: h.hot.a }))))), Q.select((s) => ({ n: s.users.name })))])
  out.push(['insert from cte', Q.insertFrom(comments, ['post_id', 'body'], pipe(Q.from(hot), Q.select((h) => ({ p: h.hot.a, b: Q.val('x') }))))])
  const ev = Q.table('ev', { id: Q.integer().primaryKey(), kind: Q.text().notNull(), n: Q.smallint().notNull().serverDefault(Q.val(0)), ok: Q.boolean().notNull().serverDefault(Q.val(true)), note: Q.varchar(20).serverDefault(Q.val("it's \\ ok")), mood: Q.enumOf('mood', ['a', 'b']), d: Q.numeric(10, 2), t: Q.time(), day: Q.date(), u: Q.uuid(), raw: Q.bytes(), tz: Q.timestamp({ withTimeZone: true }) }, (c) => ({ checks: [{ name: 'ev_n', expr: Q.gte(c.n, 0) }], indexes: [{ name: 'ev_kind', columns: ['id'] }] }))
  out.push(['ev drop', Q.dropTable(ev, { ifExists: true })])
  out.push(['ev create', Q.createTable(ev, { ifNotExists: true })])
  out.push(['ev index', Q.createIndex(ev, 'ev_kind', { ifNotExists: true })])
  out.push(['ev insert', Q.insert(ev, { id: 1, kind: 'k', mood: 'a', d: '12.34', t: '10:11:12', day: '2024-01-02', u: '123e4567-e89b-12d3-a456-426614174000', raw: new Uint8Array([1, 2]), tz: new Date(0) })])
  out.push(['ev select', Q.from(ev)])
  out.push(['ev drop index', Q.dropIndex(ev, 'ev_kind', { ifExists: true })])
  return out
}

type Outcome = { readonly label: string; readonly status: 'ok' | 'unsupported' | 'failed'; readonly rows: unknown; readonly detail: string }

const runAll = async (d: Dialect, exec: (sql: string, params: readonly unknown[]) => Promise<unknown>): Promise<Outcome[]> => {
  const out: Outcome[] = []
  for (const [label, s] of statements()) {
    const r = compile(d)(s)
    if (E.isLeft(r)) {
      out.push({ label, status: r.left._tag === 'Unsupported' ? 'unsupported' : 'failed', rows: undefined, detail: r.left.message })
      continue
    }
    try {
      out.push({ label, status: 'ok', rows: await exec(r.right.sql, r.right.params), detail: '' })
    } catch (e) {
      out.push({ label, status: 'failed', rows: undefined, detail: `${(e as Error).message} in ${r.right.sql}` })
    }
  }
  return out
}

// Reads whose rows must be the same on every engine (numbers may come back as strings;
// JSON comes back as text from SQLite: decoding it is the mapping layer's job).
const compared = ['group bucket', 'bare params', 'int division', 'in limited', 'select join', 'offset only', 'recursive', 'union wrap', 'values join', 'in empty', 'distinct from', 'ilike', 'like escape']
// Compared as bags: the queries without ORDER BY may return rows in any order.
const normal = (rows: unknown): unknown =>
  (JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : typeof v === 'bigint' ? Number(v) : v))) as unknown[])
    .map((r) => JSON.stringify(r))
    .sort()
const results = new Map<string, Outcome[]>()

const check = (name: string, outcomes: Outcome[], unsupported: readonly string[]) => {
  results.set(name, outcomes)
  expect(outcomes.filter((o) => o.status === 'failed').map((o) => `${o.label}: ${o.detail}`)).toEqual([])
  expect(outcomes.filter((o) => o.status === 'unsupported').map((o) => o.label)).toEqual(unsupported)
}

describe('compiled statements run on the real engines', () => {
  it('postgres', async () => {
    const e = inject('engines').postgres
    const c = new pg.Client({ host: e.host, port: e.port, user: e.user, database: e.database })
    await c.connect()
    try {
      await c.query('drop schema if exists quarry_core_smoke cascade; create schema quarry_core_smoke; set search_path to quarry_core_smoke')
      check('postgres', await runAll(postgres, async (sql, params) => (await c.query(sql, params as unknown[])).rows), [])
    } finally {
      await c.query('drop schema if exists quarry_core_smoke cascade')
      await c.end()
    }
  })

  it('mariadb', async () => {
    const e = inject('engines').mysql
    const c = await mysql.createConnection({ host: e.host, port: e.port, user: e.user, password: e.password })
    try {
      await c.query('drop database if exists quarry_core_smoke')
      await c.query('create database quarry_core_smoke')
      await c.query('use quarry_core_smoke')
      check('mariadb', await runAll(mariadb, async (sql, params) => (await c.execute(sql, params as never))[0]), ['update returning'])
    } finally {
      await c.query('drop database if exists quarry_core_smoke')
      await c.end()
    }
  })

  it('sqlite', async () => {
    const db = new Database(':memory:')
    const exec = async (sql: string, params: readonly unknown[]) => {
      const st = db.prepare(sql)
      return st.reader ? st.all(...(params as unknown[])) : st.run(...(params as unknown[]))
    }
    check('sqlite', await runAll(sqlite, exec), ['intersect all', 'delete using', 'for update skip', 'for share nowait'])
    db.close()
  })

  it('reads agree across engines', () => {
    const by = (name: string, label: string) => normal(results.get(name)?.find((o) => o.label === label)?.rows)
    for (const label of compared) {
      expect(by('mariadb', label), label).toEqual(by('postgres', label))
      expect(by('sqlite', label), label).toEqual(by('postgres', label))
    }
  })
})
