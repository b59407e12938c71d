/**
 * Mapping workloads: quarry's load plans (compile, run on quarry's
 * connection, decode and assemble) against hand-written code on the raw
 * client library building the same objects (same types, users shared by
 * key, collections in key order), interleaved, on the three engines.
 *
 * - `hydrate`: 10,000 posts joined to their users into typed objects
 *   (joined load, one statement).
 * - `eager-load`: 100 users with their posts and the posts' comments
 *   (select-in: users, posts IN (...), comments IN (...)) out of 1,000
 *   users × 10 posts × 5 comments; round trips are printed per side.
 */
import Database from 'better-sqlite3'
import mysql from 'mysql2/promise'
import pg from 'pg'
import * as Q from '../../src/algebra/index.js'
import type { Connection, Param } from '../../src/drivers/driver.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import { pgDriver } from '../../src/drivers/pg/index.js'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import { compile, mariadb, postgres, sqlite, type Dialect } from '../../src/interpret/index.js'
import * as M from '../../src/mapping/index.js'
import type { BenchEngines } from '../engines.js'
import { compare, type Measurement } from '../measure.js'

const Users = Q.table('bm_users', { id: Q.integer().primaryKey(), name: Q.varchar(100).notNull(), email: Q.varchar(200).notNull(), active: Q.boolean().notNull() })
const Posts = Q.table('bm_posts', { id: Q.integer().primaryKey(), user_id: Q.integer().notNull(), title: Q.varchar(200).notNull(), score: Q.integer().notNull() })
const Comments = Q.table('bm_comments', { id: Q.integer().primaryKey(), post_id: Q.integer().notNull(), body: Q.varchar(200).notNull() })
const UserE = M.entity(Users)
const PostE = M.entity(Posts)
const CommentE = M.entity(Comments)
const author = M.manyToOne(PostE, UserE, { local: ['user_id'] })
const posts = M.oneToMany(UserE, PostE, { remote: ['user_id'] })
const comments = M.oneToMany(PostE, CommentE, { remote: ['post_id'] })

const USERS = 1000
const POSTS_PER_USER = 10
const COMMENTS_PER_POST = 5

const must = (d: Dialect, s: Q.StatementNode): { sql: string; params: readonly Param[] } => {
  const c = compile(d)(s)
  if (c._tag === 'Left') throw new Error(c.left.message)
  return { sql: c.right.sql, params: c.right.params as readonly Param[] }
}

const seed = async (conn: Connection, d: Dialect): Promise<void> => {
  for (const t of [Comments, Posts, Users]) {
    const c = must(d, Q.dropTable(t, { ifExists: true }))
    await conn.execute(c.sql, c.params)
  }
  for (const t of [Users, Posts, Comments]) {
    const c = must(d, Q.createTable(t))
    await conn.execute(c.sql, c.params)
  }
  const users = Array.from({ length: USERS }, (_, i) => ({ id: i + 1, name: `user ${i + 1}`, email: `u${i + 1}@example.com`, active: i % 3 === 0 }))
  const ps = Array.from({ length: USERS * POSTS_PER_USER }, (_, i) => ({ id: i + 1, user_id: (i % USERS) + 1, title: `post ${i + 1}`, score: (i * 7919) % 1000 }))
  const cs = Array.from({ length: ps.length * COMMENTS_PER_POST }, (_, i) => ({ id: i + 1, post_id: (i % ps.length) + 1, body: `comment ${i + 1}` }))
  await conn.begin()
  for (const [t, rows] of [[Users, users], [Posts, ps], [Comments, cs]] as const)
    for (let at = 0; at < rows.length; at += 500) {
      const c = must(d, Q.insert(t as Q.AnyTable, rows.slice(at, at + 500) as never))
      await conn.execute(c.sql, c.params)
    }
  await conn.commit()
}

/** Run a load plan on quarry's connection (the effects layer will own this loop). */
const run = async <A>(conn: Connection, plan: M.LoadPlan<A>, trips?: { n: number }): Promise<A> => {
  let cur = plan
  while (cur._tag === 'Fetch') {
    const results: M.Rows[] = []
    for (const s of cur.statements) results.push((await conn.execute(s.sql, s.params as readonly Param[])).rows)
    if (trips !== undefined) trips.n += cur.statements.length
    cur = cur.next(results)
  }
  if (cur.result._tag === 'Left') throw new Error(cur.result.left.message)
  return cur.result.right
}

type RawRow = Record<string, any>
/** The raw client: hand-written SQL in, rows out. */
type RawQuery = (sql: string, params: readonly unknown[]) => Promise<readonly RawRow[]> | readonly RawRow[]

interface RawUser {
  id: number
  name: string
  email: string
  active: boolean
  posts: RawPost[]
}
interface RawPost {
  id: number
  user_id: number
  title: string
  score: number
  comments: { id: number; post_id: number; body: string }[]
}

/** Hand-written: posts joined to users, users shared by id. */
const rawHydrate = async (q: RawQuery): Promise<unknown[]> => {
  const rows = await q(
    'SELECT p.id, p.user_id, p.title, p.score, u.id AS u_id, u.name AS u_name, u.email AS u_email, u.active AS u_active FROM bm_posts p JOIN bm_users u ON u.id = p.user_id ORDER BY p.id',
    [],
  )
  const users = new Map<number, object>()
  const out = new Array<unknown>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as RawRow
    let u = users.get(r.u_id)
    if (u === undefined) {
      u = { id: r.u_id, name: r.u_name, email: r.u_email, active: r.u_active === true || r.u_active === 1 }
      users.set(r.u_id, u)
    }
    out[i] = { id: r.id, user_id: r.user_id, title: r.title, score: r.score, author: u }
  }
  return out
}

/** Hand-written select-in: three statements, grouped by hand. */
const rawEager = async (q: RawQuery, ph: (i: number) => string, trips?: { n: number }): Promise<RawUser[]> => {
  const list = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => ph(i + from)).join(', ')
  const users: RawUser[] = (await q(`SELECT id, name, email, active FROM bm_users ORDER BY id LIMIT ${ph(1)}`, [100])).map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    active: r.active === true || r.active === 1,
    posts: [],
  }))
  const byUser = new Map(users.map((u) => [u.id, u]))
  const ps = await q(`SELECT id, user_id, title, score FROM bm_posts WHERE user_id IN (${list(users.length)}) ORDER BY id`, [...byUser.keys()])
  const byPost = new Map<number, RawPost>()
  for (const r of ps) {
    const p: RawPost = { id: r.id, user_id: r.user_id, title: r.title, score: r.score, comments: [] }
    byPost.set(p.id, p)
    byUser.get(p.user_id)?.posts.push(p)
  }
  const cs = await q(`SELECT id, post_id, body FROM bm_comments WHERE post_id IN (${list(byPost.size)}) ORDER BY id`, [...byPost.keys()])
  for (const r of cs) byPost.get(r.post_id)?.comments.push({ id: r.id, post_id: r.post_id, body: r.body })
  if (trips !== undefined) trips.n += 3
  return users
}

const sameResult = (a: unknown, b: unknown, what: string): void => {
  const j = (x: unknown): string => JSON.stringify(x, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))
  if (j(a) !== j(b)) throw new Error(`${what}: quarry and the hand-written code built different objects`)
}

const workloads = async (engine: string, d: Dialect, conn: Connection, raw: RawQuery, ph: (i: number) => string): Promise<Measurement[]> => {
  await seed(conn, d)
  const hydrate = (): Promise<unknown> => run(conn, M.load(d)(PostE, { author }, { strategy: 'joined' }))
  const eager = (trips?: { n: number }): Promise<unknown> =>
    run(conn, M.load(d)(UserE, { posts: M.nest(posts, { comments }) }, { limit: 100 }), trips)
  sameResult(await hydrate(), await rawHydrate(raw), `hydrate on ${engine}`)
  const qt = { n: 0 }
  const rt = { n: 0 }
  sameResult(await eager(qt), await rawEager(raw, ph, rt), `eager-load on ${engine}`)
  console.log(`eager-load ${engine}: round trips quarry ${qt.n}, raw ${rt.n}`)
  const h = await compare('hydrate', engine, hydrate, () => rawHydrate(raw), { unit: 'ms/op', rounds: 21, batchMs: 200 })
  const e = await compare('eager-load', engine, () => eager(), () => rawEager(raw, ph), { unit: 'ms/op', rounds: 21, batchMs: 200 })
  return [h, { ...e, roundTrips: { quarry: qt.n, raw: rt.n } } as Measurement]
}

/** Run the mapping workloads on the three engines. */
export const mappingWorkloads = async (engines: BenchEngines): Promise<Measurement[]> => {
  const out: Measurement[] = []
  if (engines.wants('postgresql')) {
    const conn = await pgDriver(engines.postgres).connect()
    const raw = new pg.Client(engines.postgres)
    await raw.connect()
    out.push(...(await workloads('postgresql', postgres, conn, async (sql, p) => (await raw.query(sql, p as unknown[])).rows as RawRow[], (i) => `$${i}`)))
    await raw.end()
    await conn.close()
  }
  if (engines.wants('mariadb')) {
    const conn = await mysqlDriver(engines.mysql).connect()
    const raw = await mysql.createConnection({ ...engines.mysql, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z' })
    const q: RawQuery = async (sql, p) => (p.length === 0 ? (await raw.query(sql))[0] : (await raw.execute(sql, p as never))[0]) as RawRow[]
    out.push(...(await workloads('mariadb', mariadb, conn, q, () => '?')))
    await raw.end()
    await conn.close()
  }
  if (engines.wants('sqlite')) {
    const conn = await sqliteDriver({ filename: engines.sqliteFile }).connect()
    const raw = new Database(engines.sqliteFile)
    const stmts = new Map<string, Database.Statement>()
    const q: RawQuery = (sql, p) => {
      let s = stmts.get(sql)
      if (s === undefined) stmts.set(sql, (s = raw.prepare(sql)))
      return s.all(...p) as RawRow[]
    }
    out.push(...(await workloads('sqlite', sqlite, conn, q, () => '?')))
    raw.close()
    await conn.close()
  }
  return out
}
