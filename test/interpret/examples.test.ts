/** The examples in the doc comments, run as written (with the tables they assume). */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { alias, and, as, caseWhen, count, desc, eq, filter, from, gt, insert, integer, isInTuple, leftJoin, limit, lt, notInTuple, onConflictDoUpdate, orderBy, over, rawSql, returning, rowNumber, select, sql, table, text, textQuery, union, update, values, where } from '../../src/algebra/index.js'
import { compile, mariadb, postgres, sqlite } from '../../src/interpret/index.js'
import { golden } from './all-dialects.js'

const users = table('users', { id: integer().primaryKey(), name: text().notNull(), email: text().notNull().unique() })
const posts = table('posts', { id: integer().primaryKey(), author_id: integer().notNull(), title: text().notNull() })
const employees = table('employees', { id: integer().primaryKey(), dept: text().notNull(), salary: integer().notNull() })

describe('documented examples', () => {
  it('row-value IN (operators.ts isInTuple / notInTuple)', () => {
    const q = pipe(from(posts), where((s) => isInTuple([s.posts.author_id, s.posts.id], [[1, 10], [2, 20]])), select((s) => ({ id: s.posts.id })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" WHERE ("posts"."author_id", "posts"."id") IN (($1, $2), ($3, $4))  -- [1,10,2,20]
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` WHERE (\`posts\`.\`author_id\`, \`posts\`.\`id\`) IN ((?, ?), (?, ?))  -- [1,10,2,20]
      sqlite:   SELECT "posts"."id" FROM "posts" WHERE ("posts"."author_id", "posts"."id") IN (VALUES (?, ?), (?, ?))  -- [1n,10n,2n,20n]
      "
    `)
    const n = pipe(from(posts), where((s) => notInTuple([s.posts.author_id, s.posts.id], [[1, 10]])), select((s) => ({ id: s.posts.id })))
    expect(compile(sqlite)(n)).toEqual(E.right({ sql: 'SELECT "posts"."id" FROM "posts" WHERE ("posts"."author_id", "posts"."id") NOT IN (VALUES (?, ?))', params: [1n, 10n] }))
  })

  it('ORDER BY and LIMIT on a set operation (set-op.ts, select.ts orderBy)', () => {
    const q = pipe(
      from(users),
      select((s) => ({ name: s.users.name })),
      union(pipe(from(posts), select((s) => ({ name: s.posts.title })))),
      orderBy((r) => [r.name]),
      limit(10),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name" FROM "users" UNION SELECT "posts"."title" AS "name" FROM "posts" ORDER BY "name" ASC LIMIT $1  -- [10]
      mysql:    SELECT \`users\`.\`name\` FROM \`users\` UNION SELECT \`posts\`.\`title\` AS \`name\` FROM \`posts\` ORDER BY \`name\` ASC LIMIT ?  -- [10]
      sqlite:   SELECT "users"."name" FROM "users" UNION SELECT "posts"."title" AS "name" FROM "posts" ORDER BY "name" ASC LIMIT ?  -- [10n]
      "
    `)
  })

  it('compile (compile.ts)', () => {
    const r = compile(postgres)(pipe(from(users), where((s) => eq(s.users.id, 1))))
    expect(r).toEqual(E.right({ sql: 'SELECT "users"."id", "users"."name", "users"."email" FROM "users" WHERE "users"."id" = $1', params: [1] }))
  })

  it('a select with a left join (select.ts)', () => {
    const q = pipe(
      from(users),
      leftJoin(posts, (s) => eq(s.posts.author_id, s.users.id)),
      where((s) => eq(s.users.name, 'ada')),
      select((s) => ({ name: s.users.name, title: s.posts.title })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name", "posts"."title" FROM "users" LEFT JOIN "posts" ON "posts"."author_id" = "users"."id" WHERE "users"."name" = $1  -- ["ada"]
      mysql:    SELECT \`users\`.\`name\`, \`posts\`.\`title\` FROM \`users\` LEFT JOIN \`posts\` ON \`posts\`.\`author_id\` = \`users\`.\`id\` WHERE \`users\`.\`name\` = ?  -- ["ada"]
      sqlite:   SELECT "users"."name", "posts"."title" FROM "users" LEFT JOIN "posts" ON "posts"."author_id" = "users"."id" WHERE "users"."name" = ?  -- ["ada"]
      "
    `)
  })

  it('alias, as, window over, filter, caseWhen', () => {
    const boss = alias('boss')(employees)
    expect(boss.c.id).toMatchObject({ source: 'boss', name: 'id' })
    const ranked = pipe(
      from(employees),
      select((s) => ({
        id: s.employees.id,
        rank: pipe(rowNumber(), over({ partitionBy: [s.employees.dept], orderBy: [desc(s.employees.salary)] })),
        band: caseWhen([[gt(s.employees.salary, 100), 'high'], [lt(s.employees.salary, 10), 'low']], 'mid'),
      })),
      as('ranked'),
    )
    const q = pipe(from(ranked), where((s) => eq(s.ranked.rank, 1)), select((s) => ({ id: s.ranked.id, band: s.ranked.band, n: pipe(count(), filter(eq(s.ranked.band, 'high'))) })))
    expect(E.isRight(compile(sqlite)(q))).toBe(true)
  })

  it('insert, returning, upsert, update (mutations.ts)', () => {
    expect(compile(postgres)(pipe(insert(users, [{ id: 1, name: 'ada', email: 'a@x' }]), returning((s) => ({ id: s.users.id }))))).toEqual(
      E.right({ sql: 'INSERT INTO "users" ("id", "name", "email") VALUES ($1, $2, $3) RETURNING "users"."id"', params: [1, 'ada', 'a@x'] }),
    )
    const upsert = pipe(insert(posts, { id: 1, author_id: 1, title: 't' }), onConflictDoUpdate(['id'], (ex) => ({ title: ex.title })))
    expect(compile(mariadb)(upsert)).toEqual(
      E.right({ sql: 'INSERT INTO `posts` (`id`, `author_id`, `title`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `title` = VALUES(`title`)', params: [1, 1, 't'] }),
    )
    const u = update(users, { set: () => ({ name: 'x' }), where: (s) => eq(s.users.id, 1) })
    expect(compile(sqlite)(u)).toEqual(E.right({ sql: 'UPDATE "users" SET "name" = ? WHERE "users"."id" = ?', params: ['x', 1n] }))
  })

  it('text: sql template, rawSql, textQuery (text.ts)', () => {
    const pattern = '^a'
    const q = pipe(from(users), where((s) => and(sql<boolean>`${s.users.name} ~ ${pattern}`)), select((s) => ({ id: s.users.id })))
    expect(compile(postgres)(q)).toEqual(E.right({ sql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" ~ $1', params: ['^a'] }))
    const t = textQuery(rawSql('select id, name from users where id = :id', { id: 1 }), { id: integer().notNull(), name: text() })
    expect(compile(mariadb)(t)).toEqual(E.right({ sql: 'select id, name from users where id = ?', params: [1] }))
  })

  it('values (set-op.ts)', () => {
    const v = values({ id: integer().notNull(), name: text() }, [{ id: 1, name: 'a' }])
    expect(compile(postgres)(v)).toEqual(E.right({ sql: 'SELECT CAST($1 AS INTEGER) AS "id", CAST($2 AS TEXT) AS "name"', params: [1, 'a'] }))
  })
})
