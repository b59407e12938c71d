/** Golden SQL: select blocks, joins, ordering, paging, distinct, grouping, locks. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { all, golden } from './all-dialects.js'
import { employees, posts, users } from './fixtures.js'

describe('select', () => {
  it('from a table selects its columns', () => {
    expect(all(Q.from(users))).toEqual({
      postgres: { sql: 'SELECT "users"."id", "users"."name", "users"."email", "users"."bio", "users"."meta", "users"."active" FROM "users"', params: [] },
      mysql: { sql: 'SELECT `users`.`id`, `users`.`name`, `users`.`email`, `users`.`bio`, `users`.`meta`, `users`.`active` FROM `users`', params: [] },
      sqlite: { sql: 'SELECT "users"."id", "users"."name", "users"."email", "users"."bio", "users"."meta", "users"."active" FROM "users"', params: [] },
    })
  })

  it('where, projection with aliases, every literal a parameter', () => {
    const q = pipe(
      Q.from(users),
      Q.where((s) => Q.eq(s.users.name, 'ada')),
      Q.where((s) => Q.eq(s.users.active, true)),
      Q.select((s) => ({ id: s.users.id, who: s.users.name })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id", "users"."name" AS "who" FROM "users" WHERE "users"."name" = $1 AND "users"."active" = $2  -- ["ada",true]
      mysql:    SELECT \`users\`.\`id\`, \`users\`.\`name\` AS \`who\` FROM \`users\` WHERE \`users\`.\`name\` = ? AND \`users\`.\`active\` = ?  -- ["ada",true]
      sqlite:   SELECT "users"."id", "users"."name" AS "who" FROM "users" WHERE "users"."name" = ? AND "users"."active" = ?  -- ["ada",1n]
      "
    `)
  })

  it('select without from', () => {
    expect(golden(Q.selectValues({ one: Q.val(1), greeting: Q.val('hi') }))).toMatchInlineSnapshot(`
      "
      postgres: SELECT CAST($1 AS INTEGER) AS "one", CAST($2 AS TEXT) AS "greeting"  -- [1,"hi"]
      mysql:    SELECT ? AS \`one\`, ? AS \`greeting\`  -- [1,"hi"]
      sqlite:   SELECT ? AS "one", ? AS "greeting"  -- [1n,"hi"]
      "
    `)
  })

  it('inner and left joins', () => {
    const q = pipe(
      Q.from(users),
      Q.join(posts, (s) => Q.eq(s.posts.author_id, s.users.id)),
      Q.leftJoin(Q.alias('p2')(posts), (s) => Q.and(Q.eq(s.p2.author_id, s.users.id), Q.gt(s.p2.score, s.posts.score))),
      Q.where((s) => Q.isNull(s.p2.id)),
      Q.select((s) => ({ name: s.users.name, best: s.posts.title })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name", "posts"."title" AS "best" FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" LEFT JOIN "posts" AS "p2" ON "p2"."author_id" = "users"."id" AND "p2"."score" > "posts"."score" WHERE "p2"."id" IS NULL
      mysql:    SELECT \`users\`.\`name\`, \`posts\`.\`title\` AS \`best\` FROM \`users\` INNER JOIN \`posts\` ON \`posts\`.\`author_id\` = \`users\`.\`id\` LEFT JOIN \`posts\` AS \`p2\` ON \`p2\`.\`author_id\` = \`users\`.\`id\` AND \`p2\`.\`score\` > \`posts\`.\`score\` WHERE \`p2\`.\`id\` IS NULL
      sqlite:   SELECT "users"."name", "posts"."title" AS "best" FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" LEFT JOIN "posts" AS "p2" ON "p2"."author_id" = "users"."id" AND "p2"."score" > "posts"."score" WHERE "p2"."id" IS NULL
      "
    `)
  })

  it('right and full joins (full join is Unsupported on MySQL)', () => {
    const right = pipe(
      Q.from(posts),
      Q.rightJoin(users, (s) => Q.eq(s.posts.author_id, s.users.id)),
      Q.select((s) => ({ title: s.posts.title, name: s.users.name })),
    )
    expect(golden(right)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."title", "users"."name" FROM "posts" RIGHT JOIN "users" ON "posts"."author_id" = "users"."id"
      mysql:    SELECT \`posts\`.\`title\`, \`users\`.\`name\` FROM \`posts\` RIGHT JOIN \`users\` ON \`posts\`.\`author_id\` = \`users\`.\`id\`
      sqlite:   SELECT "posts"."title", "users"."name" FROM "posts" RIGHT JOIN "users" ON "posts"."author_id" = "users"."id"
      "
    `)
    const full = pipe(
      Q.from(posts),
      Q.fullJoin(users, (s) => Q.eq(s.posts.author_id, s.users.id)),
      Q.select((s) => ({ title: s.posts.title, name: s.users.name })),
    )
    expect(golden(full)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."title", "users"."name" FROM "posts" FULL JOIN "users" ON "posts"."author_id" = "users"."id"
      mysql:    !Unsupported: FULL JOIN is not supported by mariadb
      mysql8:   !Unsupported: FULL JOIN is not supported by mysql8
      sqlite:   SELECT "posts"."title", "users"."name" FROM "posts" FULL JOIN "users" ON "posts"."author_id" = "users"."id"
      "
    `)
  })

  it('cross join', () => {
    const q = pipe(Q.from(users), Q.crossJoin(Q.alias('other')(users)), Q.select((s) => ({ a: s.users.id, b: s.other.id })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" AS "a", "other"."id" AS "b" FROM "users" CROSS JOIN "users" AS "other"
      mysql:    SELECT \`users\`.\`id\` AS \`a\`, \`other\`.\`id\` AS \`b\` FROM \`users\` CROSS JOIN \`users\` AS \`other\`
      sqlite:   SELECT "users"."id" AS "a", "other"."id" AS "b" FROM "users" CROSS JOIN "users" AS "other"
      "
    `)
  })

  it('self-join through an alias', () => {
    const boss = Q.alias('boss')(employees)
    const q = pipe(
      Q.from(employees),
      Q.leftJoin(boss, (s) => Q.eq(s.boss.id, s.employees.manager_id)),
      Q.select((s) => ({ name: s.employees.name, boss: s.boss.name })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "employees"."name", "boss"."name" AS "boss" FROM "employees" LEFT JOIN "employees" AS "boss" ON "boss"."id" = "employees"."manager_id"
      mysql:    SELECT \`employees\`.\`name\`, \`boss\`.\`name\` AS \`boss\` FROM \`employees\` LEFT JOIN \`employees\` AS \`boss\` ON \`boss\`.\`id\` = \`employees\`.\`manager_id\`
      sqlite:   SELECT "employees"."name", "boss"."name" AS "boss" FROM "employees" LEFT JOIN "employees" AS "boss" ON "boss"."id" = "employees"."manager_id"
      "
    `)
  })

  it('order by with directions and NULL placement (emulated on MySQL)', () => {
    const q = pipe(
      Q.from(posts),
      Q.select((s) => ({ id: s.posts.id })),
      Q.orderBy((s) => [Q.desc(s.posts.published_at, 'nulls last'), Q.asc(s.posts.score, 'nulls first'), s.posts.id]),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" ORDER BY "posts"."published_at" DESC NULLS LAST, "posts"."score" ASC NULLS FIRST, "posts"."id" ASC
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` ORDER BY \`posts\`.\`published_at\` IS NULL ASC, \`posts\`.\`published_at\` DESC, \`posts\`.\`score\` IS NULL DESC, \`posts\`.\`score\` ASC, \`posts\`.\`id\` ASC
      sqlite:   SELECT "posts"."id" FROM "posts" ORDER BY "posts"."published_at" DESC NULLS LAST, "posts"."score" ASC NULLS FIRST, "posts"."id" ASC
      "
    `)
  })

  it('limit and offset are parameters; offset alone gets the dialect\'s "no limit"', () => {
    const page = pipe(Q.from(posts), Q.select((s) => ({ id: s.posts.id })), Q.limit(20), Q.offset(40))
    expect(golden(page)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" LIMIT $1 OFFSET $2  -- [20,40]
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` LIMIT ? OFFSET ?  -- [20,40]
      sqlite:   SELECT "posts"."id" FROM "posts" LIMIT ? OFFSET ?  -- [20n,40n]
      "
    `)
    const skip = pipe(Q.from(posts), Q.select((s) => ({ id: s.posts.id })), Q.offset(5))
    expect(golden(skip)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" OFFSET $1  -- [5]
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` LIMIT 18446744073709551615 OFFSET ?  -- [5]
      sqlite:   SELECT "posts"."id" FROM "posts" LIMIT -1 OFFSET ?  -- [5n]
      "
    `)
  })

  it('distinct and distinct on (PostgreSQL only)', () => {
    expect(golden(pipe(Q.from(posts), Q.select((s) => ({ a: s.posts.author_id })), Q.distinct))).toMatchInlineSnapshot(`
      "
      postgres: SELECT DISTINCT "posts"."author_id" AS "a" FROM "posts"
      mysql:    SELECT DISTINCT \`posts\`.\`author_id\` AS \`a\` FROM \`posts\`
      sqlite:   SELECT DISTINCT "posts"."author_id" AS "a" FROM "posts"
      "
    `)
    const on = pipe(
      Q.from(posts),
      Q.distinctOn((s) => [s.posts.author_id]),
      Q.select((s) => ({ author: s.posts.author_id, title: s.posts.title })),
      Q.orderBy((s) => [s.posts.author_id, Q.desc(s.posts.score)]),
    )
    expect(golden(on)).toMatchInlineSnapshot(`
      "
      postgres: SELECT DISTINCT ON ("posts"."author_id") "posts"."author_id" AS "author", "posts"."title" FROM "posts" ORDER BY "posts"."author_id" ASC, "posts"."score" DESC
      mysql:    !Unsupported: DISTINCT ON is not supported by mariadb
      mysql8:   !Unsupported: DISTINCT ON is not supported by mysql8
      sqlite:   !Unsupported: DISTINCT ON is not supported by sqlite
      "
    `)
  })

  it('group by and having', () => {
    const q = pipe(
      Q.from(posts),
      Q.groupBy((s) => [s.posts.author_id]),
      Q.having(() => Q.gt(Q.count(), 2)),
      Q.select((s) => ({ author: s.posts.author_id, n: Q.count(), total: Q.sum(s.posts.score) })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."author_id" AS "author", COUNT(*) AS "n", SUM("posts"."score") AS "total" FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(*) > $1  -- [2]
      mysql:    SELECT \`posts\`.\`author_id\` AS \`author\`, COUNT(*) AS \`n\`, SUM(\`posts\`.\`score\`) AS \`total\` FROM \`posts\` GROUP BY \`posts\`.\`author_id\` HAVING COUNT(*) > ?  -- [2]
      sqlite:   SELECT "posts"."author_id" AS "author", COUNT(*) AS "n", SUM("posts"."score") AS "total" FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(*) > ?  -- [2n]
      "
    `)
  })

  it('PostgreSQL names an output column by position when a GROUP BY / ORDER BY expression with parameters equals it', () => {
    const bucket = (s: { posts: typeof posts.c }) => Q.caseWhen([[Q.lt(s.posts.score, 10), 'low']], 'high')
    const q = pipe(
      Q.from(posts),
      Q.groupBy((s) => [bucket(s)]),
      Q.select((s) => ({ bucket: bucket(s), n: Q.count(), w: Q.sum(Q.mul(s.posts.score, 2)) })),
      Q.orderBy((s) => [Q.desc(Q.sum(Q.mul(s.posts.score, 2))), bucket(s)]),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT CASE WHEN "posts"."score" < $1 THEN CAST($2 AS TEXT) ELSE CAST($3 AS TEXT) END AS "bucket", COUNT(*) AS "n", SUM("posts"."score" * $4) AS "w" FROM "posts" GROUP BY 1 ORDER BY 3 DESC, 1 ASC  -- [10,"low","high",2]
      mysql:    SELECT CASE WHEN \`posts\`.\`score\` < ? THEN ? ELSE ? END AS \`bucket\`, COUNT(*) AS \`n\`, SUM(\`posts\`.\`score\` * ?) AS \`w\` FROM \`posts\` GROUP BY CASE WHEN \`posts\`.\`score\` < ? THEN ? ELSE ? END ORDER BY SUM(\`posts\`.\`score\` * ?) DESC, CASE WHEN \`posts\`.\`score\` < ? THEN ? ELSE ? END ASC  -- [10,"low","high",2,10,"low","high",2,10,"low","high"]
      sqlite:   SELECT CASE WHEN "posts"."score" < ? THEN ? ELSE ? END AS "bucket", COUNT(*) AS "n", SUM("posts"."score" * ?) AS "w" FROM "posts" GROUP BY CASE WHEN "posts"."score" < ? THEN ? ELSE ? END ORDER BY SUM("posts"."score" * ?) DESC, CASE WHEN "posts"."score" < ? THEN ? ELSE ? END ASC  -- [10n,"low","high",2n,10n,"low","high",2n,10n,"low","high"]
      "
    `)
  })

  it('row locks', () => {
    const base = pipe(Q.from(posts), Q.select((s) => ({ id: s.posts.id })), Q.where((s) => Q.eq(s.posts.id, 1)))
    expect(golden(pipe(base, Q.forUpdate()))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" WHERE "posts"."id" = $1 FOR UPDATE  -- [1]
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` WHERE \`posts\`.\`id\` = ? FOR UPDATE  -- [1]
      sqlite:   !Unsupported: row locks (FOR UPDATE / FOR SHARE) is not supported by sqlite
      "
    `)
    expect(golden(pipe(base, Q.forUpdate({ skipLocked: true, of: ['posts'] })))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" WHERE "posts"."id" = $1 FOR UPDATE OF "posts" SKIP LOCKED  -- [1]
      mysql:    !Unsupported: FOR UPDATE OF is not supported by mariadb
      mysql8:   SELECT \`posts\`.\`id\` FROM \`posts\` WHERE \`posts\`.\`id\` = ? FOR UPDATE OF \`posts\` SKIP LOCKED  -- [1]
      sqlite:   !Unsupported: row locks (FOR UPDATE / FOR SHARE) is not supported by sqlite
      "
    `)
    expect(golden(pipe(base, Q.forShare({ nowait: true })))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" WHERE "posts"."id" = $1 FOR SHARE NOWAIT  -- [1]
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` WHERE \`posts\`.\`id\` = ? LOCK IN SHARE MODE NOWAIT  -- [1]
      mysql8:   SELECT \`posts\`.\`id\` FROM \`posts\` WHERE \`posts\`.\`id\` = ? FOR SHARE NOWAIT  -- [1]
      sqlite:   !Unsupported: row locks (FOR UPDATE / FOR SHARE) is not supported by sqlite
      "
    `)
  })

  it('values are never shared between branches of a query', () => {
    const base = pipe(Q.from(users), Q.select((s) => ({ id: s.users.id })))
    const a = pipe(base, Q.where((s) => Q.eq(s.users.id, 1)))
    const b = pipe(base, Q.where((s) => Q.eq(s.users.id, 2)))
    expect(base.where).toBeUndefined()
    expect(all(a).postgres).toEqual({ sql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = $1', params: [1] })
    expect(all(b).postgres).toEqual({ sql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = $1', params: [2] })
  })
})
