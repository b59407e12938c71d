/**
 * Plan order never violates a foreign key (fast-check): random graphs of
 * users (self-references and references to posts, so cycles), posts and
 * comments. Every plan, for every dialect, writes a row only after the rows
 * it references; and each plan committed on SQLite with foreign keys on
 * succeeds and reloads as the graph said.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import { createEngine, execute, G, runPromise, sql, type Engine } from '../../src/effects/index.js'
import { mariadb, postgres, sqlite } from '../../src/interpret/index.js'
import { kahnOrder, orderInserts } from '../../src/effects/graph/order.js'
import { validate } from '../../src/effects/graph/validate.js'
import { freshSqliteFile } from '../support/databases.js'

const users = Q.table(
  'users',
  { id: Q.integer().primaryKey().autoIncrement(), name: Q.text().notNull(), manager_id: Q.integer(), best_post_id: Q.integer() },
  {
    foreignKeys: [
      { columns: ['manager_id'], references: (): Q.AnyTable => users, referencedColumns: ['id'] },
      { columns: ['best_post_id'], references: (): Q.AnyTable => posts, referencedColumns: ['id'] },
    ],
  },
)
const posts = Q.table(
  'posts',
  { id: Q.integer().primaryKey().autoIncrement(), author_id: Q.integer().notNull(), title: Q.text().notNull() },
  { foreignKeys: [{ columns: ['author_id'], references: (): Q.AnyTable => users, referencedColumns: ['id'] }] },
)
const comments = Q.table(
  'comments',
  { id: Q.integer().primaryKey().autoIncrement(), post_id: Q.integer().notNull(), body: Q.text().notNull() },
  { foreignKeys: [{ columns: ['post_id'], references: (): Q.AnyTable => posts, referencedColumns: ['id'] }] },
)

const shape = fc.record({
  users: fc.array(fc.record({ manager: fc.option(fc.nat(), { nil: undefined }), best: fc.option(fc.nat(), { nil: undefined }) }), { minLength: 1, maxLength: 10 }),
  posts: fc.array(fc.nat(), { maxLength: 12 }),
  comments: fc.array(fc.nat(), { maxLength: 15 }),
  shuffle: fc.nat(),
})
type Shape = typeof shape extends fc.Arbitrary<infer S> ? S : never

/** A graph from a random shape, its nodes in a scrambled order (the plan must not depend on it). */
const graphOf = (s: Shape): G.ChangeGraph => {
  const U = s.users.length
  const P = s.posts.length
  const nodes: G.ChangeNode[] = [
    ...s.users.map((u, i) =>
      G.insertRow(`u${i}`, users, {
        name: `user ${i}`,
        ...(u.manager === undefined ? {} : { manager_id: G.ref(`u${u.manager % U}`) }),
        ...(u.best === undefined || P === 0 ? {} : { best_post_id: G.ref(`p${u.best % P}`) }),
      }),
    ),
    ...s.posts.map((a, j) => G.insertRow(`p${j}`, posts, { title: `post ${j}`, author_id: G.ref(`u${a % U}`) })),
    ...(P === 0 ? [] : s.comments.map((p, k) => G.insertRow(`c${k}`, comments, { body: `comment ${k}`, post_id: G.ref(`p${p % P}`) }))),
  ]
  const rot = s.shuffle % nodes.length
  return G.fromNodes([...nodes.slice(rot), ...nodes.slice(0, rot).reverse()])
}

/** Every key a statement reads was written by an earlier statement. */
const respectsForeignKeys = (p: G.Plan): boolean => {
  const writtenAt = new Map<string, number>()
  return p.steps.every((s, i) => {
    const ok = s.params.every((slot) => !G.isKeySlot(slot) || (writtenAt.get(slot.node) ?? Infinity) < i)
    if (s._tag === 'Insert') for (const n of s.nodes) writtenAt.set(n, i)
    return ok
  })
}

describe('plan order never violates a foreign key', () => {
  let e: Engine
  beforeAll(async () => {
    e = createEngine(sqliteDriver({ filename: freshSqliteFile() }), { pool: { max: 1 } })
    // SQLite takes the users <-> posts cycle with every key inline.
    const ddl = Q.createAll(Q.metadata([users, posts, comments]), { foreignKeys: 'inline' })
    if (E.isLeft(ddl)) throw new Error(ddl.left.message)
    for (const s of ddl.right) await runPromise(e)(execute(s))
  })
  afterAll(() => e.close())

  it('plans for every dialect write referenced rows first', () => {
    fc.assert(
      fc.property(shape, (s) => {
        for (const d of [postgres, mariadb, sqlite]) {
          const p = G.plan(graphOf(s), d)
          expect(E.isRight(p) && respectsForeignKeys(p.right)).toBe(true)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('references that all point back are ordered as Kahn orders them (the shortcut and the general case agree)', () => {
    // Parents first: a user's manager is an earlier user, as an adjacency tree is usually built.
    const backward = fc.record({
      managers: fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 1, maxLength: 12 }),
      posts: fc.array(fc.nat(), { maxLength: 12 }),
      comments: fc.array(fc.nat(), { maxLength: 15 }),
    })
    const treeOf = (b: typeof backward extends fc.Arbitrary<infer B> ? B : never): G.ChangeGraph => {
      const P = b.posts.length
      return G.fromNodes([
        ...b.managers.map((m, i) => G.insertRow(`u${i}`, users, { name: `user ${i}`, ...(m === undefined || i === 0 ? {} : { manager_id: G.ref(`u${m % i}`) }) })),
        ...b.posts.map((a, j) => G.insertRow(`p${j}`, posts, { title: `post ${j}`, author_id: G.ref(`u${a % b.managers.length}`) })),
        ...(P === 0 ? [] : b.comments.map((p, k) => G.insertRow(`c${k}`, comments, { body: `comment ${k}`, post_id: G.ref(`p${p % P}`) }))),
      ])
    }
    let shortcuts = 0
    const agree = (g: G.ChangeGraph): void => {
      const checked = validate(g)
      if (E.isLeft(checked)) throw new Error(checked.left.message)
      const { inserts, edges } = checked.right
      if (edges.from.length > 0 && edges.from.every((f, e) => f < edges.to[e]!)) shortcuts++
      expect(orderInserts(inserts, edges)).toEqual(kahnOrder(inserts, edges))
    }
    fc.assert(
      fc.property(backward, shape, (b, s) => {
        agree(treeOf(b))
        agree(graphOf(s))
      }),
      { numRuns: 200 },
    )
    expect(shortcuts).toBeGreaterThan(100)
  })

  it('plans committed on SQLite with foreign keys on succeed, and reload as the graph', async () => {
    const fkOn = await runPromise(e)(sql<{ foreign_keys: number }>('PRAGMA foreign_keys'))
    expect(fkOn.rows[0]?.foreign_keys).toBe(1)
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const g = graphOf(s)
        const done = await runPromise(e)(G.commit(g))
        const id = (k: string | undefined): number | null => (k === undefined ? null : Number(done.rows.get(k)?.['id']))
        for (const n of g.nodes) {
          if (n._tag !== 'InsertRow') continue
          const table = n.table.name
          const got = (await runPromise(e)(sql<Record<string, unknown>>(`SELECT * FROM ${table} WHERE id = ?`, [id(n.key)]))).rows[0]
          const want = Object.fromEntries(Object.entries(n.values).map(([c, v]) => [c, G.isRef(v) ? id(v.node) : v]))
          expect(got).toMatchObject(want)
        }
      }),
      { numRuns: 60 },
    )
  })
})
