/**
 * `plan` without a database: golden printouts per dialect (order, batching,
 * key strategies, post-updates, batched updates, cascades), paging under
 * the bind-parameter limits, and invalid graphs rejected with typed problems.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { comments, posts, users } from './support/blog.js'
import { G } from '../../src/effects/index.js'
import { mariadb, postgres, sqlite, type Dialect } from '../../src/interpret/index.js'

const tags = Q.table('tags', { post_id: Q.integer().notNull(), tag: Q.text().notNull() }, {
  primaryKey: ['post_id', 'tag'],
  foreignKeys: [{ columns: ['post_id'], references: (): Q.AnyTable => posts, referencedColumns: ['id'] }],
})
const schema = Q.metadata([users, posts, comments, tags])

const printed = (g: G.ChangeGraph, d: Dialect): string =>
  E.match((e: G.InvalidGraph) => `invalid: ${e.message}`, (p: G.Plan) => G.printPlan(p))(G.plan(g, d))

const blog = pipe(
  G.empty,
  G.insert('p1', posts, { title: 'hello', author_id: G.ref('ada') }),
  G.insert('ada', users, { name: 'ada', best_post_id: G.ref('p1') }),
  G.insert('bob', users, { name: 'bob', manager_id: G.ref('ada') }),
  G.insert('c1', comments, { body: 'first', post_id: G.ref('p1') }),
  G.insert('c2', comments, { body: 'second', post_id: G.ref('p1') }),
  G.update('old', users, { id: 7, name: 'old', manager_id: null, best_post_id: null, version: 3 }, { name: 'older', manager_id: G.ref('ada') }, { version: 'version' }),
  G.remove('t1', tags, { post_id: 9, tag: 'x' }),
  G.remove('gone', users, { id: 8 }, { cascade: schema }),
)

describe('plan printouts', () => {
  it('PostgreSQL: RETURNING matched by an ordinal, a post-update for the cycle, UPDATE … FROM VALUES, cascades first', () => {
    expect(printed(blog, postgres)).toMatchInlineSnapshot(`
      "plan for postgres: 10 statement(s)
      1. delete 1 tags row(s) [t1]
         DELETE FROM "tags" WHERE ("post_id", "tag") IN (($1, $2))
         params: [9, "x"]
      2. insert 1 users row(s) [ada] → generated users.id by RETURNING, matched by insertion order
         WITH "quarry_v" ("name", "best_post_id", "version", "quarry_ord") AS (VALUES (CAST($1 AS TEXT), CAST($2 AS INTEGER), CAST($3 AS INTEGER), CAST($4 AS INTEGER))) INSERT INTO "users" ("name", "best_post_id", "version") SELECT "name", "best_post_id", "version" FROM "quarry_v" ORDER BY "quarry_ord" RETURNING "id"
         params: ["ada", null, 1, 0]
      3. insert 1 posts row(s) [p1] → generated posts.id by RETURNING, matched by insertion order
         WITH "quarry_v" ("author_id", "title", "quarry_ord") AS (VALUES (CAST($1 AS INTEGER), CAST($2 AS VARCHAR(50)), CAST($3 AS INTEGER))) INSERT INTO "posts" ("author_id", "title") SELECT "author_id", "title" FROM "quarry_v" ORDER BY "quarry_ord" RETURNING "id"
         params: [<ada.id>, "hello", 0]
      4. insert 1 users row(s) [bob] → generated users.id by RETURNING, matched by insertion order
         WITH "quarry_v" ("name", "manager_id", "version", "quarry_ord") AS (VALUES (CAST($1 AS TEXT), CAST($2 AS INTEGER), CAST($3 AS INTEGER), CAST($4 AS INTEGER))) INSERT INTO "users" ("name", "manager_id", "version") SELECT "name", "manager_id", "version" FROM "quarry_v" ORDER BY "quarry_ord" RETURNING "id"
         params: ["bob", <ada.id>, 1, 0]
      5. insert 2 comments row(s) [c1, c2] → generated comments.id by RETURNING, matched by insertion order
         WITH "quarry_v" ("post_id", "body", "quarry_ord") AS (VALUES (CAST($1 AS INTEGER), CAST($2 AS TEXT), CAST($3 AS INTEGER)), ($4, $5, $6)) INSERT INTO "comments" ("post_id", "body") SELECT "post_id", "body" FROM "quarry_v" ORDER BY "quarry_ord" RETURNING "id"
         params: [<p1.id>, "first", 0, <p1.id>, "second", 1]
      6. post-update (closes a reference cycle) 1 users row(s) [ada] setting best_post_id
         WITH "quarry_v" ("id", "best_post_id") AS (VALUES (CAST($1 AS INTEGER), CAST($2 AS INTEGER))) UPDATE "users" SET "best_post_id" = "quarry_v"."best_post_id" FROM "quarry_v" WHERE "users"."id" = "quarry_v"."id"
         params: [<ada.id>, <p1.id>]
      7. update 1 users row(s) [old] setting name, manager_id if version unchanged
         WITH "quarry_v" ("id", "name", "manager_id", "version") AS (VALUES (CAST($1 AS INTEGER), CAST($2 AS TEXT), CAST($3 AS INTEGER), CAST($4 AS INTEGER))) UPDATE "users" SET "name" = "quarry_v"."name", "manager_id" = "quarry_v"."manager_id", "version" = "users"."version" + 1 FROM "quarry_v" WHERE "users"."id" = "quarry_v"."id" AND "users"."version" = "quarry_v"."version" RETURNING "users"."id"
         params: [7, "older", <ada.id>, 3]
      8. delete tags rows referencing deleted rows (cascade users <- posts <- tags) for [gone]
         DELETE FROM "tags" WHERE "tags"."post_id" IN (SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" IN (SELECT "users"."id" FROM "users" WHERE "users"."id" IN ($1)))
         params: [8]
      9. delete posts rows referencing deleted rows (cascade users <- posts) for [gone]
         DELETE FROM "posts" WHERE "posts"."author_id" IN (SELECT "users"."id" FROM "users" WHERE "users"."id" IN ($1))
         params: [8]
      10. delete 1 users row(s) [gone]
         DELETE FROM "users" WHERE "id" IN ($1)
         params: [8]"
    `)
  })
  it('MariaDB: first insertId + consecutive ids, UPDATE … JOIN (SELECT … UNION ALL …) after locking version-checked rows', () => {
    expect(printed(blog, mariadb)).toMatchInlineSnapshot(`
      "plan for mariadb: 11 statement(s)
      1. read @@auto_increment_increment → the step between consecutive generated ids
         SELECT @@auto_increment_increment AS inc
      2. delete 1 tags row(s) [t1]
         DELETE FROM \`tags\` WHERE (\`post_id\`, \`tag\`) IN ((?, ?))
         params: [9, "x"]
      3. insert 1 users row(s) [ada] → generated users.id by first insertId + consecutive
         INSERT INTO \`users\` (\`name\`, \`best_post_id\`, \`version\`) VALUES (?, ?, ?)
         params: ["ada", null, 1]
      4. insert 1 posts row(s) [p1] → generated posts.id by first insertId + consecutive
         INSERT INTO \`posts\` (\`author_id\`, \`title\`) VALUES (?, ?)
         params: [<ada.id>, "hello"]
      5. insert 1 users row(s) [bob] → generated users.id by first insertId + consecutive
         INSERT INTO \`users\` (\`name\`, \`manager_id\`, \`version\`) VALUES (?, ?, ?)
         params: ["bob", <ada.id>, 1]
      6. insert 2 comments row(s) [c1, c2] → generated comments.id by first insertId + consecutive
         INSERT INTO \`comments\` (\`post_id\`, \`body\`) VALUES (?, ?), (?, ?)
         params: [<p1.id>, "first", <p1.id>, "second"]
      7. post-update (closes a reference cycle) 1 users row(s) [ada] setting best_post_id
         UPDATE \`users\` JOIN (SELECT ? AS \`id\`, ? AS \`best_post_id\`) AS \`quarry_v\` ON \`users\`.\`id\` = \`quarry_v\`.\`id\` SET \`users\`.\`best_post_id\` = \`quarry_v\`.\`best_post_id\`
         params: [<ada.id>, <p1.id>]
      8. update 1 users row(s) [old] setting name, manager_id if version unchanged
         first, lock and check versions: SELECT \`id\`, \`version\` FROM \`users\` WHERE \`id\` IN (?) FOR UPDATE
         UPDATE \`users\` JOIN (SELECT ? AS \`id\`, ? AS \`name\`, ? AS \`manager_id\`, ? AS \`version\`) AS \`quarry_v\` ON \`users\`.\`id\` = \`quarry_v\`.\`id\` AND \`users\`.\`version\` = \`quarry_v\`.\`version\` SET \`users\`.\`name\` = \`quarry_v\`.\`name\`, \`users\`.\`manager_id\` = \`quarry_v\`.\`manager_id\`, \`users\`.\`version\` = \`users\`.\`version\` + 1
         params: [7, "older", <ada.id>, 3]
      9. delete tags rows referencing deleted rows (cascade users <- posts <- tags) for [gone]
         DELETE FROM \`tags\` WHERE \`tags\`.\`post_id\` IN (SELECT \`posts\`.\`id\` FROM \`posts\` WHERE \`posts\`.\`author_id\` IN (SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`id\` IN (?)))
         params: [8]
      10. delete posts rows referencing deleted rows (cascade users <- posts) for [gone]
         DELETE FROM \`posts\` WHERE \`posts\`.\`author_id\` IN (SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`id\` IN (?))
         params: [8]
      11. delete 1 users row(s) [gone]
         DELETE FROM \`users\` WHERE \`id\` IN (?)
         params: [8]"
    `)
  })
  it('SQLite: keys from the last insert rowid, UPDATE … FROM (VALUES …) named column1 …, tuple IN (VALUES …)', () => {
    expect(printed(blog, sqlite)).toMatchInlineSnapshot(`
      "plan for sqlite: 10 statement(s)
      1. delete 1 tags row(s) [t1]
         DELETE FROM "tags" WHERE ("post_id", "tag") IN (VALUES (?, ?))
         params: [9n, "x"]
      2. insert 1 users row(s) [ada] → generated users.id by last insert rowid − consecutive
         INSERT INTO "users" ("name", "best_post_id", "version") VALUES (?, ?, ?)
         params: ["ada", null, 1n]
      3. insert 1 posts row(s) [p1] → generated posts.id by last insert rowid − consecutive
         INSERT INTO "posts" ("author_id", "title") VALUES (?, ?)
         params: [<ada.id>, "hello"]
      4. insert 1 users row(s) [bob] → generated users.id by last insert rowid − consecutive
         INSERT INTO "users" ("name", "manager_id", "version") VALUES (?, ?, ?)
         params: ["bob", <ada.id>, 1n]
      5. insert 2 comments row(s) [c1, c2] → generated comments.id by last insert rowid − consecutive
         INSERT INTO "comments" ("post_id", "body") VALUES (?, ?), (?, ?)
         params: [<p1.id>, "first", <p1.id>, "second"]
      6. post-update (closes a reference cycle) 1 users row(s) [ada] setting best_post_id
         UPDATE "users" SET "best_post_id" = "quarry_v".column2 FROM (VALUES (?, ?)) AS "quarry_v" WHERE "users"."id" = "quarry_v".column1
         params: [<ada.id>, <p1.id>]
      7. update 1 users row(s) [old] setting name, manager_id if version unchanged
         UPDATE "users" SET "name" = "quarry_v".column2, "manager_id" = "quarry_v".column3, "version" = "users"."version" + 1 FROM (VALUES (?, ?, ?, ?)) AS "quarry_v" WHERE "users"."id" = "quarry_v".column1 AND "users"."version" = "quarry_v".column4 RETURNING "users"."id"
         params: [7n, "older", <ada.id>, 3n]
      8. delete tags rows referencing deleted rows (cascade users <- posts <- tags) for [gone]
         DELETE FROM "tags" WHERE "tags"."post_id" IN (SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" IN (SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?)))
         params: [8n]
      9. delete posts rows referencing deleted rows (cascade users <- posts) for [gone]
         DELETE FROM "posts" WHERE "posts"."author_id" IN (SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?))
         params: [8n]
      10. delete 1 users row(s) [gone]
         DELETE FROM "users" WHERE "id" IN (?)
         params: [8n]"
    `)
  })
})

describe('batching', () => {
  const many = (n: number): G.ChangeGraph =>
    G.fromNodes(Array.from({ length: n }, (_, i) => G.insertRow(`u${i}`, users, { name: `u${i}` })))
  const statements = (g: G.ChangeGraph, d: Dialect): number[] =>
    E.match(
      () => [],
      (p: G.Plan) => p.steps.map((s) => s.params.length),
    )(G.plan(g, d))

  /** The dialect with pages as long as its bind limit allows. */
  const unpaged = (d: Dialect): Dialect => ({ ...d, capabilities: { ...d.capabilities, pageRows: Number.POSITIVE_INFINITY } })

  it('pages a multi-row insert under each dialect’s bind-parameter limit', () => {
    // users(name, version) + the ordinal: 3 parameters a row with RETURNING (PostgreSQL); MariaDB reads the increment first.
    const pg = statements(many(40_000), unpaged(postgres))
    expect(pg).toEqual([21_845 * 3, (40_000 - 21_845) * 3])
    // SQLite reads keys from the last insert rowid: 2 parameters a row.
    const lite = statements(many(40_000), unpaged(sqlite))
    expect(lite).toEqual([16_383 * 2, 16_383 * 2, (40_000 - 2 * 16_383) * 2])
    expect(lite.every((n) => n <= 32_766)).toBe(true)
    expect(statements(many(40_000), unpaged(mariadb))).toEqual([0, 32_767 * 2, (40_000 - 32_767) * 2])
  })

  it('pages a multi-row insert at the dialect’s pageRows when the bind limit allows more', () => {
    for (const d of [postgres, mariadb, sqlite]) {
      const rows = d.capabilities.pageRows
      const width = d === postgres ? 3 : 2
      const sizes = statements(many(2 * rows + 7), d).filter((n) => n > 0)
      expect(sizes).toEqual([rows * width, rows * width, 7 * width])
    }
  })

  it('one statement per table and column set in each level', () => {
    const g = pipe(G.empty, G.insert('a', users, { name: 'a' }), G.insert('b', users, { name: 'b', manager_id: 1 }), G.insert('c', users, { name: 'c' }))
    const p = G.plan(g, postgres)
    expect(E.isRight(p) && p.right.steps.map((s) => (s._tag === 'ReadIncrement' ? [] : s.nodes))).toEqual([['a', 'c'], ['b']])
  })

  it('a reference may name the node itself: the same plan as by its key', () => {
    const ada = G.insertRow('ada', users, { name: 'ada' })
    const loaded = G.updateRow('bob', users, { id: 7, name: 'bob', manager_id: null, best_post_id: null, version: 1 }, { name: 'Bob' })
    const byNode = G.fromNodes([ada, loaded, G.insertRow('p1', posts, { title: 't', author_id: G.ref(ada) }), G.insertRow('c1', comments, { body: 'b', post_id: G.ref('p1') }), G.insertRow('p2', posts, { title: 'u', author_id: G.ref(loaded) })])
    const byKey = G.fromNodes([ada, loaded, G.insertRow('p1', posts, { title: 't', author_id: G.ref('ada') }), G.insertRow('c1', comments, { body: 'b', post_id: G.ref('p1') }), G.insertRow('p2', posts, { title: 'u', author_id: G.ref('bob') })])
    for (const d of [postgres, mariadb, sqlite]) expect(printed(byNode, d)).toBe(printed(byKey, d))
    expect(printed(byNode, sqlite)).toContain('<ada.id>')
  })

  it('values go in the statement’s column order whatever the order of a row’s properties', () => {
    const loose = (x: Record<string, undefined>): object => x
    const params = (g: G.ChangeGraph): unknown[][] =>
      E.match(
        (e: G.InvalidGraph) => [[e.message]],
        (p: G.Plan) => p.steps.map((s) => [...s.params]),
      )(G.plan(g, sqlite))
    // Table order is name, manager_id, best_post_id, version (the default fills version, appended to a copy): one statement.
    const inserts = G.fromNodes([
      G.insertRow('a', users, { name: 'a', manager_id: 1, best_post_id: 2 }),
      G.insertRow('b', users, { best_post_id: 4, name: 'b', manager_id: 3 }),
      // An undefined property, as JavaScript callers without the types may pass.
      G.insertRow('c', users, { name: 'c', manager_id: 5, best_post_id: 6, ...loose({ version: undefined }) }),
      G.insertRow('d', users, { manager_id: 7, name: 'd', best_post_id: 8, version: 2 }),
    ])
    expect(params(inserts)).toEqual([['a', 1n, 2n, 1n, 'b', 3n, 4n, 1n, 'c', 5n, 6n, 1n, 'd', 7n, 8n, 2n]])
    const snap = { id: 1, name: 'a', manager_id: null, best_post_id: null, version: 1 }
    const updates = G.fromNodes([
      G.updateRow('x', users, snap, { name: 'x', manager_id: 9 }),
      G.updateRow('y', users, { ...snap, id: 2 }, { manager_id: 8, name: 'y' }),
      G.updateRow('z', users, { ...snap, id: 3 }, { ...loose({ best_post_id: undefined }), name: 'z', manager_id: 7 }),
      // Another column set: a group of its own.
      G.updateRow('w', users, { ...snap, id: 4 }, { best_post_id: 6 }),
    ])
    expect(params(updates)).toEqual([
      [1n, 'x', 9n, 2n, 'y', 8n, 3n, 'z', 7n],
      [4n, 6n],
    ])
  })

  it('an update that changes nothing writes nothing; only changed columns are written', () => {
    const snap = { id: 1, name: 'a', manager_id: null, best_post_id: null, version: 1 }
    const p = G.plan(pipe(G.empty, G.update('same', users, snap, { name: 'a' }), G.update('x', users, { ...snap, id: 2 }, { name: 'b', manager_id: null })), postgres)
    expect(E.isRight(p) && p.right.steps.map((s) => (s._tag === 'Update' ? [s.nodes, s.columns] : s._tag))).toEqual([[['x'], ['name']]])
  })
})

describe('invalid graphs are rejected with typed problems', () => {
  const problems = (g: G.ChangeGraph): string[] =>
    E.match(
      (e: G.InvalidGraph) => e.problems.map((p) => p._tag),
      () => ['(valid)'],
    )(G.plan(g, postgres))

  it('a value that does not fit its column, an unknown column, a missing required column', () => {
    expect(problems(pipe(G.empty, G.insert('a', users, { name: 5 as unknown as string })))).toEqual(['ValueDoesNotFit'])
    expect(problems(pipe(G.empty, G.insert('p', posts, { title: 'x'.repeat(51), author_id: 1 })))).toEqual(['ValueDoesNotFit'])
    expect(problems(pipe(G.empty, G.insert('a', users, { name: 'a', nope: 1 } as never)))).toEqual(['UnknownColumn'])
    expect(problems(pipe(G.empty, G.insert('p', posts, { title: 'x' } as never)))).toEqual(['MissingColumn'])
  })

  it('a reference to a node not in the graph, a duplicate node, a cycle of NOT NULL references', () => {
    expect(problems(pipe(G.empty, G.insert('p', posts, { title: 'x', author_id: G.ref('nobody') })))).toEqual(['UnknownNode'])
    expect(problems(pipe(G.empty, G.insert('a', users, { name: 'a' }), G.insert('a', users, { name: 'b' })))).toEqual(['DuplicateNode'])
    const self = Q.table('knots', { id: Q.integer().primaryKey().autoIncrement(), other: Q.integer().notNull() }, {
      foreignKeys: [{ columns: ['other'], references: (): Q.AnyTable => self, referencedColumns: ['id'] }],
    })
    expect(problems(pipe(G.empty, G.insert('k1', self, { other: G.ref('k2') }), G.insert('k2', self, { other: G.ref('k1') })))).toEqual(['UnbreakableCycle'])
  })

  it('a reference to a key that is neither given nor generated; a cascade that would need a recursive delete', () => {
    const codes = Q.table('codes', { code: Q.text().primaryKey(), label: Q.text() })
    const uses = Q.table('uses', { id: Q.integer().primaryKey().autoIncrement(), code: Q.text().notNull() }, {
      foreignKeys: [{ columns: ['code'], references: (): Q.AnyTable => codes, referencedColumns: ['code'] }],
    })
    expect(problems(pipe(G.empty, G.insert('c', codes, { label: 'no code' } as never), G.insert('u', uses, { code: G.ref('c') })))).toEqual(['MissingColumn', 'KeyNotAvailable'])
    const tree = Q.table('tree', { id: Q.integer().primaryKey().autoIncrement(), parent: Q.integer() }, {
      foreignKeys: [{ columns: ['parent'], references: (): Q.AnyTable => tree, referencedColumns: ['id'] }],
    })
    expect(problems(G.remove('root', tree, { id: 1 }, { cascade: Q.metadata([tree]) })(G.empty))).toEqual(['CascadeCycle'])
  })

  it('a row updated or deleted by two nodes (whichever won would be unspecified); numbers and bigints are one key', () => {
    const snap = { id: 1, name: 'a', manager_id: null, best_post_id: null, version: 1 }
    const twice = (...nodes: G.ChangeNode[]): string[] => problems(G.fromNodes(nodes))
    expect(twice(G.updateRow('a', users, snap, { name: 'x' }), G.updateRow('b', users, snap, { name: 'y' }))).toEqual(['DuplicateRow'])
    expect(twice(G.updateRow('a', users, snap, { name: 'x' }), G.updateRow('b', users, { ...snap, id: 1n as unknown as number }, { name: 'y' }))).toEqual(['DuplicateRow'])
    expect(twice(G.deleteRow('a', users, { id: 1 }), G.deleteRow('b', users, { id: '1' as unknown as number }))).toEqual(['DuplicateRow'])
    expect(twice(G.deleteRow('a', tags, { post_id: 1, tag: '2' }), G.deleteRow('b', tags, { post_id: '1' as unknown as number, tag: '2' }))).toEqual(['DuplicateRow'])
    expect(twice(G.updateRow('a', users, snap, { name: 'x' }), G.deleteRow('b', users, { id: 1 }))).toEqual(['DuplicateRow'])
    expect(twice(G.deleteRow('a', users, { id: 1 }), G.deleteRow('b', users, { id: 1 }))).toEqual(['DuplicateRow'])
    expect(twice(G.deleteRow('a', tags, { post_id: 1, tag: 'x' }), G.deleteRow('b', tags, { post_id: 1, tag: 'x' }))).toEqual(['DuplicateRow'])
    // In key order (the shortcut for bulk saves) and out of it, a row repeats.
    expect(twice(...[1, 2, 2].map((id, i) => G.updateRow(`u${i}`, users, { ...snap, id }, { name: `n${i}` })))).toEqual(['DuplicateRow'])
    expect(twice(...[3, 1, 2, 3].map((id, i) => G.updateRow(`u${i}`, users, { ...snap, id }, { name: `n${i}` })))).toEqual(['DuplicateRow'])
    // Not the same row: other keys, other tables, a composite key differing in one part, '01' against 1.
    expect(twice(...[1, 2, 3].map((id) => G.updateRow(`u${id}`, users, { ...snap, id }, { name: 'n' })))).toEqual(['(valid)'])
    expect(twice(G.updateRow('a', users, snap, { name: 'x' }), G.deleteRow('b', posts, { id: 1 }))).toEqual(['(valid)'])
    expect(twice(G.deleteRow('a', tags, { post_id: 1, tag: 'x' }), G.deleteRow('b', tags, { post_id: 1, tag: 'y' }))).toEqual(['(valid)'])
    expect(twice(G.deleteRow('a', tags, { post_id: 1, tag: '2' }), G.deleteRow('b', tags, { post_id: 12, tag: '' }))).toEqual(['(valid)'])
    expect(twice(G.deleteRow('a', tags, { post_id: 1, tag: '01' }), G.deleteRow('b', tags, { post_id: 1, tag: 1 as unknown as string }))).toEqual(['(valid)'])
    const r = G.plan(G.fromNodes([G.updateRow('a', users, snap, { name: 'x' }), G.deleteRow('b', users, { id: 1 })]), postgres)
    expect(E.isLeft(r) && r.left.message).toContain('node "b" deletes the row of users (id = 1) that node "a" updates')
  })

  it('the error message names node, table and column', () => {
    const r = G.plan(pipe(G.empty, G.insert('a', users, { name: null as unknown as string })), postgres)
    expect(E.isLeft(r) && r.left.message).toContain('node "a": users.name is null, but the column is NOT NULL')
  })
})
