/**
 * Committing change graphs on PostgreSQL, MariaDB and SQLite: users → posts
 * → comments with a self-reference and a cycle broken by a post-update,
 * reloaded and compared with the graph; updates by diff (only changed
 * columns, seen through `beforeExecute`), in few round trips; optimistic
 * concurrency; deletes in FK order with the cascades the schema states.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { comments, posts, users } from './support/blog.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import { createEngine, execute, G, run, runPromise, sql, transaction, type Engine } from '../../src/effects/index.js'
import { engines, type EngineDb } from '../support/engines.js'

const tags = Q.table('tags', { id: Q.integer().primaryKey().autoIncrement(), label: Q.text().notNull() })
const postTags = Q.table('post_tags', { post_id: Q.integer().notNull(), tag_id: Q.integer().notNull() }, {
  primaryKey: ['post_id', 'tag_id'],
  foreignKeys: [
    { columns: ['post_id'], references: (): Q.AnyTable => posts, referencedColumns: ['id'], onDelete: 'cascade' },
    { columns: ['tag_id'], references: (): Q.AnyTable => tags, referencedColumns: ['id'] },
  ],
})
const schema = Q.metadata([users, posts, comments, tags, postTags])

/** The schema's DDL through quarry: the users <-> posts cycle is closed by ALTER TABLE (SQLite: every key inline). */
const ddl = (engine: string): readonly Q.DdlNode[] => {
  const r = Q.createAll(schema, engine === 'sqlite' ? { foreignKeys: 'inline' } : {})
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

type Dump = Record<string, Record<string, unknown>[]>

describe.each(engines)('change graphs on $name', (engine) => {
  let db: EngineDb
  let e: Engine
  const dump = async (): Promise<Dump> => {
    const out: Dump = {}
    for (const t of ['users', 'posts', 'comments'])
      out[t] = (await runPromise(e)(sql<Record<string, unknown>>(`SELECT * FROM ${t} ORDER BY id`))).rows.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : typeof v === 'string' ? v : Number(v)])),
      )
    return out
  }
  const clear = async (): Promise<void> => {
    await runPromise(e)(sql('UPDATE users SET best_post_id = NULL, manager_id = NULL'))
    for (const t of ['post_tags', 'tags', 'comments', 'posts', 'users']) await runPromise(e)(sql(`DELETE FROM ${t}`))
  }

  beforeAll(async () => {
    db = await engine.fresh()
    e = createEngine(db.driver, { pool: { max: 2 } })
    for (const s of ddl(engine.name)) await runPromise(e)(execute(s))
  })
  afterAll(async () => {
    await e.close()
    await db.drop()
  })
  beforeEach(clear)

  it('inserts users → posts → comments with a self-reference and a cycle; reload equals the graph', async () => {
    const g = pipe(
      G.empty,
      G.insert('ada', users, { name: 'ada', best_post_id: G.ref('p1') }),
      G.insert('bob', users, { name: 'bob', manager_id: G.ref('ada') }),
      G.insert('p1', posts, { title: 'hello', author_id: G.ref('ada') }),
      G.insert('p2', posts, { title: 'again', author_id: G.ref('bob') }),
      G.insert('c1', comments, { body: 'first', post_id: G.ref('p1') }),
      G.insert('c2', comments, { body: 'second', post_id: G.ref('p2') }),
    )
    const done = await runPromise(e)(G.commit(g))
    const id = (k: string): number => Number(done.rows.get(k)?.['id'])
    expect(await dump()).toEqual({
      users: [
        { id: id('ada'), name: 'ada', manager_id: null, best_post_id: id('p1'), version: 1 },
        { id: id('bob'), name: 'bob', manager_id: id('ada'), best_post_id: null, version: 1 },
      ],
      posts: [
        { id: id('p1'), author_id: id('ada'), title: 'hello' },
        { id: id('p2'), author_id: id('bob'), title: 'again' },
      ],
      comments: [
        { id: id('c1'), post_id: id('p1'), body: 'first' },
        { id: id('c2'), post_id: id('p2'), body: 'second' },
      ],
    })
    expect(done.rows.get('ada')).toMatchObject({ best_post_id: id('p1') })
  })

  it('matches generated keys to rows in large multi-row inserts (every comment under its own post and user)', async () => {
    const nodes: G.ChangeNode[] = []
    for (let u = 0; u < 60; u++) {
      nodes.push(G.insertRow(`u${u}`, users, { name: `user ${u}` }))
      for (let p = 0; p < 4; p++) {
        nodes.push(G.insertRow(`u${u}p${p}`, posts, { title: `post ${u}.${p}`, author_id: G.ref(`u${u}`) }))
        for (let c = 0; c < 2; c++) nodes.push(G.insertRow(`u${u}p${p}c${c}`, comments, { body: `comment ${u}.${p}.${c}`, post_id: G.ref(`u${u}p${p}`) }))
      }
    }
    const done = await runPromise(e)(G.commit(G.fromNodes(nodes)))
    expect(done.statements).toBe(engine.name === 'mariadb' ? 4 : 3)
    const rows = await runPromise(e)(
      sql<{ body: string; title: string; name: string; cid: number }>(
        'SELECT c.id AS cid, c.body, p.title, u.name FROM comments c JOIN posts p ON p.id = c.post_id JOIN users u ON u.id = p.author_id ORDER BY c.id',
      ),
    )
    expect(rows.rows).toHaveLength(480)
    for (const r of rows.rows) {
      const [, u, p] = /comment (\d+)\.(\d+)\./.exec(r.body)!
      expect([r.title, r.name]).toEqual([`post ${u}.${p}`, `user ${u}`])
      const key = `u${u}p${p}c${r.body.slice(-1)}`
      expect(Number(done.rows.get(key)?.['id'])).toBe(Number(r.cid))
    }
  })

  it('links many-to-many through an association table whose key is made of two new rows’ keys', async () => {
    const g = pipe(
      G.empty,
      G.insert('ada', users, { name: 'ada' }),
      G.insert('p1', posts, { title: 'p1', author_id: G.ref('ada') }),
      G.insert('p2', posts, { title: 'p2', author_id: G.ref('ada') }),
      G.insert('sql', tags, { label: 'sql' }),
      G.insert('fp', tags, { label: 'fp' }),
      G.insert('l1', postTags, { post_id: G.ref('p1'), tag_id: G.ref('sql') }),
      G.insert('l2', postTags, { post_id: G.ref('p1'), tag_id: G.ref('fp') }),
      G.insert('l3', postTags, { post_id: G.ref('p2'), tag_id: G.ref('fp') }),
    )
    const done = await runPromise(e)(G.commit(g))
    const links = await runPromise(e)(sql<{ title: string; label: string }>('SELECT p.title, t.label FROM post_tags pt JOIN posts p ON p.id = pt.post_id JOIN tags t ON t.id = pt.tag_id ORDER BY p.title, t.label'))
    expect(links.rows).toEqual([{ title: 'p1', label: 'fp' }, { title: 'p1', label: 'sql' }, { title: 'p2', label: 'fp' }])
    expect(done.rows.get('l3')).toEqual({ post_id: done.rows.get('p2')?.['id'], tag_id: done.rows.get('fp')?.['id'] })
  })

  it('updates by diff: only changed columns are written, 1,000 rows in a handful of statements', async () => {
    const ins = await runPromise(e)(G.commit(G.fromNodes(Array.from({ length: 1000 }, (_, i) => G.insertRow(`u${i}`, users, { name: `u${i}` })))))
    const loaded = (await runPromise(e)(sql<Record<string, unknown>>('SELECT id, name, manager_id, best_post_id, version FROM users ORDER BY id'))).rows.map(
      (r) => ({ id: Number(r['id']), name: String(r['name']), manager_id: null, best_post_id: null, version: Number(r['version']) }),
    )
    expect(loaded).toHaveLength(ins.rows.size)
    const seen: string[] = []
    const off = e.on('beforeExecute', (p) => seen.push(p.sql))
    const g = G.fromNodes(loaded.map((r) => G.updateRow(`r${r.id}`, users, r, { name: `${r.name}!`, manager_id: null }, { version: 'version' })))
    const done = await runPromise(e)(G.commit(g))
    off()
    expect(seen.length).toBeLessThanOrEqual(3)
    for (const s of seen) expect(s).not.toMatch(/manager_id/)
    expect(seen.join(' ')).toMatch(/name/)
    const after = await dump()
    expect(after['users']!.every((u) => String(u['name']).endsWith('!') && u['version'] === 2)).toBe(true)
    expect(done.rows.get(`r${loaded[0]!.id}`)).toMatchObject({ name: `${loaded[0]!.name}!`, version: 2 })
  })

  it('new rows may reference an updated (loaded) row: its key is read from the snapshot', async () => {
    const ins = await runPromise(e)(G.commit(pipe(G.empty, G.insert('ada', users, { name: 'ada' }))))
    const id = Number(ins.rows.get('ada')?.['id'])
    const ada = G.updateRow('ada', users, { id, name: 'ada', manager_id: null, best_post_id: null, version: 1 }, { name: 'Ada' })
    const post = G.insertRow('p', posts, { title: 'by a loaded author', author_id: G.ref(ada) })
    const done = await runPromise(e)(G.commit(G.fromNodes([ada, post, G.insertRow('c', comments, { body: 'hi', post_id: G.ref(post) })])))
    expect(done.rows.get('p')).toMatchObject({ title: 'by a loaded author', author_id: id })
    const after = await dump()
    expect(after['users']).toEqual([expect.objectContaining({ id, name: 'Ada' })])
    expect(after['posts']).toEqual([expect.objectContaining({ title: 'by a loaded author', author_id: id })])
    expect(after['comments']).toEqual([expect.objectContaining({ body: 'hi', post_id: done.rows.get('p')?.['id'] })])
  })

  it('a stale version fails with StaleRow naming table and key, and nothing is written', async () => {
    const ins = await runPromise(e)(G.commit(pipe(G.empty, G.insert('a', users, { name: 'a' }), G.insert('b', users, { name: 'b' }))))
    const snap = (k: string) => ({ id: Number(ins.rows.get(k)?.['id']), name: k, manager_id: null, best_post_id: null, version: 1 })
    await runPromise(e)(sql(`UPDATE users SET version = 5 WHERE id = ${db.ph(1)}`, [snap('b').id]))
    const before = await dump()
    const g = pipe(
      G.empty,
      G.insert('new', users, { name: 'new' }),
      G.update('a', users, snap('a'), { name: 'A' }, { version: 'version' }),
      G.update('b', users, snap('b'), { name: 'B' }, { version: 'version' }),
    )
    const r = await run(e)(G.commit(g))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'StaleRow', table: 'users', key: { id: snap('b').id }, expected: 1, actual: 5 })
    expect(await dump()).toEqual(before)
    const gone = await run(e)(G.commit(G.remove('x', users, { id: snap('a').id, version: 9 }, { version: 'version' })(G.empty)))()
    expect(E.isLeft(gone) && gone.left).toMatchObject({ _tag: 'StaleRow', table: 'users', actual: 1 })
  })

  it('rows deleted with an unchanged version are deleted, their versions checked (MariaDB: by the rows DELETE … RETURNING gives)', async () => {
    const ins = await runPromise(e)(G.commit(G.fromNodes(['a', 'b', 'c'].map((n) => G.insertRow(n, users, { name: n })))))
    const row = (k: string) => ({ id: Number(ins.rows.get(k)?.['id']), name: k, manager_id: null, best_post_id: null, version: 1 })
    const one = await run(e)(G.commit(G.fromNodes([G.deleteRow('a', users, row('a'), { version: 'version' })])))()
    expect(E.isRight(one)).toBe(true)
    const two = await run(e)(G.commit(G.fromNodes([G.deleteRow('b', users, row('b'), { version: 'version' }), G.deleteRow('c', users, row('c'), { version: 'version' })])))()
    expect(E.isRight(two)).toBe(true)
    expect((await dump())['users']).toEqual([])
  })

  it('a row changed by two nodes is refused (DuplicateRow), nothing sent; saved once, the row is written once', async () => {
    const ins = await runPromise(e)(G.commit(G.fromNodes(['a', 'b', 'c'].map((n) => G.insertRow(n, users, { name: n })))))
    const snap = (k: string) => ({ id: Number(ins.rows.get(k)?.['id']), name: k, manager_id: null, best_post_id: null, version: 1 })
    const before = await dump()
    let statements = 0
    const off = e.on('beforeExecute', () => statements++)
    const twice = G.fromNodes([G.updateRow('a1', users, snap('a'), { name: 'A1' }), G.updateRow('b', users, snap('b'), { name: 'B' }), G.updateRow('a2', users, snap('a'), { name: 'A2' })])
    const r = await run(e)(G.commit(twice))()
    const updatedAndDeleted = await run(e)(G.commit(G.fromNodes([G.updateRow('c', users, snap('c'), { name: 'C' }), G.deleteRow('c gone', users, { id: snap('c').id })])))()
    off()
    expect(E.isLeft(r) && r.left._tag === 'InvalidGraph' && r.left.problems).toEqual([expect.objectContaining({ _tag: 'DuplicateRow', node: 'a2', other: 'a1', table: 'users' })])
    expect(E.isLeft(updatedAndDeleted) && updatedAndDeleted.left._tag === 'InvalidGraph' && updatedAndDeleted.left.problems.map((p) => p._tag)).toEqual(['DuplicateRow'])
    expect(statements).toBe(0)
    expect(await dump()).toEqual(before)
    await runPromise(e)(G.commit(G.fromNodes([G.updateRow('a', users, snap('a'), { name: 'A' }), G.updateRow('b', users, snap('b'), { name: 'B' })])))
    expect((await dump())['users']!.map((u) => u['name'])).toEqual(['A', 'B', 'c'])
  })

  it('deletes children first; cascades only where asked and where the schema does not already', async () => {
    const made = await runPromise(e)(
      G.commit(
        pipe(
          G.empty,
          G.insert('ada', users, { name: 'ada', best_post_id: G.ref('p1') }),
          G.insert('bob', users, { name: 'bob', manager_id: G.ref('ada') }),
          G.insert('p1', posts, { title: 'hello', author_id: G.ref('ada') }),
          G.insert('c1', comments, { body: 'first', post_id: G.ref('p1') }),
        ),
      ),
    )
    const id = (k: string): number => Number(made.rows.get(k)?.['id'])
    const before = await dump()
    // Without cascade the posts row still references ada: the database refuses, nothing changes.
    const refused = await run(e)(G.commit(G.remove('ada', users, { id: id('ada') })(G.empty)))()
    expect(E.isLeft(refused) && refused.left).toMatchObject({ _tag: 'FlushFailed', step: 1, cause: { _tag: 'ForeignKeyViolation' } })
    expect(await dump()).toEqual(before)
    // Explicit deletes of a comment and a post run children first, whatever the graph's order.
    await runPromise(e)(G.commit(pipe(G.empty, G.remove('p1', posts, { id: id('p1') }), G.remove('c1', comments, { id: id('c1') }))))
    expect((await dump())['posts']).toEqual([])
    const p2 = await runPromise(e)(G.commit(pipe(G.empty, G.insert('p2', posts, { title: 't', author_id: id('ada') }), G.insert('c2', comments, { body: 'b', post_id: G.ref('p2') }))))
    expect(p2.rows.size).toBe(2)
    // With cascade: quarry deletes ada's posts (no ON DELETE action), the database deletes their comments (CASCADE) and nulls bob's manager_id (SET NULL).
    await runPromise(e)(G.commit(G.remove('ada', users, { id: id('ada') }, { cascade: schema })(G.empty)))
    expect(await dump()).toEqual({ users: [{ id: id('bob'), name: 'bob', manager_id: null, best_post_id: null, version: 1 }], posts: [], comments: [] })
  })

  it('emits beforeFlush/afterFlush; nested in a transaction it is a savepoint the outer failure undoes', async () => {
    const seen: string[] = []
    const offs = [
      e.on('beforeFlush', (p) => seen.push(`before ${p.statements}`)),
      e.on('afterFlush', (p) => seen.push(`after ${p.statements} ${p.error === undefined ? 'ok' : (p.error as { _tag: string })._tag}`)),
    ]
    const g = pipe(G.empty, G.insert('a', users, { name: 'a' }), G.insert('p', posts, { title: 't', author_id: G.ref('a') }))
    const steps = E.isRight(G.plan(g, e.dialect)) ? (G.plan(g, e.dialect) as E.Right<G.Plan>).right.steps.length : 0
    const outer = transaction()(pipe(G.commit(g), RTE.chain(() => sql('SELECT * FROM no_such_table'))))
    const r = await run(e)(outer)()
    offs.forEach((off) => off())
    expect(E.isLeft(r) && r.left._tag).toBe('SyntaxError')
    expect(seen).toEqual([`before ${steps}`, `after ${steps} ok`])
    expect(await dump()).toEqual({ users: [], posts: [], comments: [] })
  })

  it('an invalid graph is refused before a connection is taken', async () => {
    let connects = 0
    const off = e.on('beforeExecute', () => connects++)
    const acquiredBefore = e.pool.stats().borrowed
    const r = await G.commitWith(e)(pipe(G.empty, G.insert('p', posts, { title: 'x', author_id: G.ref('nobody') })))()
    off()
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidGraph')
    expect(connects).toBe(0)
    expect(e.pool.stats().borrowed).toBe(acquiredBefore)
  })
})
