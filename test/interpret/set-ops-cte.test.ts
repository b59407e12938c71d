/** Golden SQL: set operations, VALUES, derived tables, LATERAL, CTEs (recursive too). */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { compile, mysql8, withCapabilities } from '../../src/interpret/index.js'
import { all, golden } from './all-dialects.js'
import { employees, posts, users } from './fixtures.js'

const names = pipe(Q.from(users), Q.select((s) => ({ name: s.users.name })))
const titles = pipe(Q.from(posts), Q.select((s) => ({ name: s.posts.title })))

describe('set operations', () => {
  it('union and union all', () => {
    expect(golden(pipe(names, Q.union(titles)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name" FROM "users" UNION SELECT "posts"."title" AS "name" FROM "posts"
      mysql:    SELECT \`users\`.\`name\` FROM \`users\` UNION SELECT \`posts\`.\`title\` AS \`name\` FROM \`posts\`
      sqlite:   SELECT "users"."name" FROM "users" UNION SELECT "posts"."title" AS "name" FROM "posts"
      "
    `)
    expect(golden(pipe(names, Q.unionAll(titles), Q.unionAll(names)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name" FROM "users" UNION ALL SELECT "posts"."title" AS "name" FROM "posts" UNION ALL SELECT "users"."name" FROM "users"
      mysql:    SELECT \`users\`.\`name\` FROM \`users\` UNION ALL SELECT \`posts\`.\`title\` AS \`name\` FROM \`posts\` UNION ALL SELECT \`users\`.\`name\` FROM \`users\`
      sqlite:   SELECT "users"."name" FROM "users" UNION ALL SELECT "posts"."title" AS "name" FROM "posts" UNION ALL SELECT "users"."name" FROM "users"
      "
    `)
  })

  it('intersect and except (capability flags per dialect)', () => {
    expect(golden(pipe(names, Q.intersect(titles)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name" FROM "users" INTERSECT SELECT "posts"."title" AS "name" FROM "posts"
      mysql:    SELECT \`users\`.\`name\` FROM \`users\` INTERSECT SELECT \`posts\`.\`title\` AS \`name\` FROM \`posts\`
      mysql8:   !Unsupported: INTERSECT is not supported by mysql8
      sqlite:   SELECT "users"."name" FROM "users" INTERSECT SELECT "posts"."title" AS "name" FROM "posts"
      "
    `)
    expect(golden(pipe(names, Q.exceptAll(titles)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name" FROM "users" EXCEPT ALL SELECT "posts"."title" AS "name" FROM "posts"
      mysql:    SELECT \`users\`.\`name\` FROM \`users\` EXCEPT ALL SELECT \`posts\`.\`title\` AS \`name\` FROM \`posts\`
      mysql8:   !Unsupported: EXCEPT is not supported by mysql8
      sqlite:   !Unsupported: EXCEPT ALL is not supported by sqlite
      "
    `)
  })

  it('a dialect profile can be adjusted: MySQL 8.0.31+ has INTERSECT', () => {
    const mysql84 = withCapabilities(mysql8, { intersect: true, except: true })
    expect(compile(mysql84)(pipe(names, Q.intersect(titles)))).toEqual(
      E.right({ sql: 'SELECT `users`.`name` FROM `users` INTERSECT SELECT `posts`.`title` AS `name` FROM `posts`', params: [] }),
    )
  })

  it('an ordered or limited operand, or a nested different operation, becomes a derived table', () => {
    const top = pipe(Q.from(posts), Q.select((s) => ({ name: s.posts.title })), Q.orderBy((s) => [Q.desc(s.posts.score)]), Q.limit(3))
    expect(golden(pipe(names, Q.union(top)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name" FROM "users" UNION SELECT * FROM (SELECT "posts"."title" AS "name" FROM "posts" ORDER BY "posts"."score" DESC LIMIT $1) AS "q"  -- [3]
      mysql:    SELECT \`users\`.\`name\` FROM \`users\` UNION SELECT * FROM (SELECT \`posts\`.\`title\` AS \`name\` FROM \`posts\` ORDER BY \`posts\`.\`score\` DESC LIMIT ?) AS \`q\`  -- [3]
      sqlite:   SELECT "users"."name" FROM "users" UNION SELECT * FROM (SELECT "posts"."title" AS "name" FROM "posts" ORDER BY "posts"."score" DESC LIMIT ?) AS "q"  -- [3n]
      "
    `)
    expect(golden(pipe(names, Q.except(pipe(titles, Q.union(names)))))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name" FROM "users" EXCEPT SELECT * FROM (SELECT "posts"."title" AS "name" FROM "posts" UNION SELECT "users"."name" FROM "users") AS "q"
      mysql:    SELECT \`users\`.\`name\` FROM \`users\` EXCEPT SELECT * FROM (SELECT \`posts\`.\`title\` AS \`name\` FROM \`posts\` UNION SELECT \`users\`.\`name\` FROM \`users\`) AS \`q\`
      mysql8:   !Unsupported: EXCEPT is not supported by mysql8
      sqlite:   SELECT "users"."name" FROM "users" EXCEPT SELECT * FROM (SELECT "posts"."title" AS "name" FROM "posts" UNION SELECT "users"."name" FROM "users") AS "q"
      "
    `)
  })

  it('ordering a set operation goes through a derived table', () => {
    const u = pipe(names, Q.union(titles), Q.as('u'))
    const q = pipe(Q.from(u), Q.orderBy((s) => [s.u.name]), Q.limit(10))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "u"."name" FROM (SELECT "users"."name" FROM "users" UNION SELECT "posts"."title" AS "name" FROM "posts") AS "u" ORDER BY "u"."name" ASC LIMIT $1  -- [10]
      mysql:    SELECT \`u\`.\`name\` FROM (SELECT \`users\`.\`name\` FROM \`users\` UNION SELECT \`posts\`.\`title\` AS \`name\` FROM \`posts\`) AS \`u\` ORDER BY \`u\`.\`name\` ASC LIMIT ?  -- [10]
      sqlite:   SELECT "u"."name" FROM (SELECT "users"."name" FROM "users" UNION SELECT "posts"."title" AS "name" FROM "posts") AS "u" ORDER BY "u"."name" ASC LIMIT ?  -- [10n]
      "
    `)
  })
})

describe('values', () => {
  it('as a query, typed by casts on the first row', () => {
    const v = Q.values({ id: Q.integer().notNull(), label: Q.text() }, [
      { id: 1, label: 'one' },
      { id: 2, label: null },
    ])
    expect(golden(v)).toMatchInlineSnapshot(`
      "
      postgres: SELECT CAST($1 AS INTEGER) AS "id", CAST($2 AS TEXT) AS "label" UNION ALL SELECT $3, $4  -- [1,"one",2,null]
      mysql:    SELECT CAST(? AS SIGNED) AS \`id\`, CAST(? AS CHAR) AS \`label\` UNION ALL SELECT ?, ?  -- [1,"one",2,null]
      sqlite:   SELECT CAST(? AS INTEGER) AS "id", CAST(? AS TEXT) AS "label" UNION ALL SELECT ?, ?  -- [1n,"one",2n,null]
      "
    `)
  })

  it('joined as a derived table', () => {
    const v = pipe(Q.values({ id: Q.integer().notNull(), label: Q.text() }, [{ id: 1, label: 'one' }]), Q.as('v'))
    const q = pipe(Q.from(users), Q.join(v, (s) => Q.eq(s.v.id, s.users.id)), Q.select((s) => ({ name: s.users.name, label: s.v.label })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name", "v"."label" FROM "users" INNER JOIN (SELECT CAST($1 AS INTEGER) AS "id", CAST($2 AS TEXT) AS "label") AS "v" ON "v"."id" = "users"."id"  -- [1,"one"]
      mysql:    SELECT \`users\`.\`name\`, \`v\`.\`label\` FROM \`users\` INNER JOIN (SELECT CAST(? AS SIGNED) AS \`id\`, CAST(? AS CHAR) AS \`label\`) AS \`v\` ON \`v\`.\`id\` = \`users\`.\`id\`  -- [1,"one"]
      sqlite:   SELECT "users"."name", "v"."label" FROM "users" INNER JOIN (SELECT CAST(? AS INTEGER) AS "id", CAST(? AS TEXT) AS "label") AS "v" ON "v"."id" = "users"."id"  -- [1n,"one"]
      "
    `)
  })
})

describe('derived tables and lateral', () => {
  it('derived table', () => {
    const counts = pipe(
      Q.from(posts),
      Q.groupBy((s) => [s.posts.author_id]),
      Q.select((s) => ({ author: s.posts.author_id, n: Q.count() })),
      Q.as('c'),
    )
    const q = pipe(Q.from(users), Q.join(counts, (s) => Q.eq(s.c.author, s.users.id)), Q.where((s) => Q.gt(s.c.n, 1)), Q.select((s) => ({ name: s.users.name, n: s.c.n })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name", "c"."n" FROM "users" INNER JOIN (SELECT "posts"."author_id" AS "author", COUNT(*) AS "n" FROM "posts" GROUP BY "posts"."author_id") AS "c" ON "c"."author" = "users"."id" WHERE "c"."n" > $1  -- [1]
      mysql:    SELECT \`users\`.\`name\`, \`c\`.\`n\` FROM \`users\` INNER JOIN (SELECT \`posts\`.\`author_id\` AS \`author\`, COUNT(*) AS \`n\` FROM \`posts\` GROUP BY \`posts\`.\`author_id\`) AS \`c\` ON \`c\`.\`author\` = \`users\`.\`id\` WHERE \`c\`.\`n\` > ?  -- [1]
      sqlite:   SELECT "users"."name", "c"."n" FROM "users" INNER JOIN (SELECT "posts"."author_id" AS "author", COUNT(*) AS "n" FROM "posts" GROUP BY "posts"."author_id") AS "c" ON "c"."author" = "users"."id" WHERE "c"."n" > ?  -- [1n]
      "
    `)
  })

  it('lateral (Unsupported on MariaDB and SQLite)', () => {
    const latest = pipe(
      Q.from(posts),
      Q.where((s) => Q.eq(s.posts.author_id, users.c.id)),
      Q.select((s) => ({ title: s.posts.title })),
      Q.orderBy((s) => [Q.desc(s.posts.id)]),
      Q.limit(1),
      Q.as('latest'),
      Q.lateral,
    )
    const q = pipe(Q.from(users), Q.leftJoin(latest, () => Q.and()), Q.select((s) => ({ name: s.users.name, title: s.latest.title })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name", "latest"."title" FROM "users" LEFT JOIN LATERAL (SELECT "posts"."title" FROM "posts" WHERE "posts"."author_id" = "users"."id" ORDER BY "posts"."id" DESC LIMIT $1) AS "latest" ON TRUE  -- [1]
      mysql:    !Unsupported: LATERAL is not supported by mariadb
      mysql8:   SELECT \`users\`.\`name\`, \`latest\`.\`title\` FROM \`users\` LEFT JOIN LATERAL (SELECT \`posts\`.\`title\` FROM \`posts\` WHERE \`posts\`.\`author_id\` = \`users\`.\`id\` ORDER BY \`posts\`.\`id\` DESC LIMIT ?) AS \`latest\` ON TRUE  -- [1]
      sqlite:   !Unsupported: LATERAL is not supported by sqlite
      "
    `)
  })
})

describe('common table expressions', () => {
  it('are hoisted into WITH, each once, in dependency order', () => {
    const prolific = pipe(
      Q.from(posts),
      Q.groupBy((s) => [s.posts.author_id]),
      Q.having(() => Q.gt(Q.count(), 10)),
      Q.select((s) => ({ author: s.posts.author_id })),
      Q.cte('prolific'),
    )
    const names2 = pipe(Q.from(users), Q.join(prolific, (s) => Q.eq(s.prolific.author, s.users.id)), Q.select((s) => ({ name: s.users.name })), Q.cte('names'))
    const q = pipe(Q.from(names2), Q.where((s) => Q.isIn(s.names.name, pipe(Q.from(prolific), Q.crossJoin(users), Q.select((x) => ({ n: x.users.name }))))))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: WITH "prolific" AS (SELECT "posts"."author_id" AS "author" FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(*) > $1), "names" AS (SELECT "users"."name" FROM "users" INNER JOIN "prolific" ON "prolific"."author" = "users"."id") SELECT "names"."name" FROM "names" WHERE "names"."name" IN (SELECT "users"."name" AS "n" FROM "prolific" CROSS JOIN "users")  -- [10]
      mysql:    WITH \`prolific\` AS (SELECT \`posts\`.\`author_id\` AS \`author\` FROM \`posts\` GROUP BY \`posts\`.\`author_id\` HAVING COUNT(*) > ?), \`names\` AS (SELECT \`users\`.\`name\` FROM \`users\` INNER JOIN \`prolific\` ON \`prolific\`.\`author\` = \`users\`.\`id\`) SELECT \`names\`.\`name\` FROM \`names\` WHERE \`names\`.\`name\` IN (SELECT \`users\`.\`name\` AS \`n\` FROM \`prolific\` CROSS JOIN \`users\`)  -- [10]
      sqlite:   WITH "prolific" AS (SELECT "posts"."author_id" AS "author" FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(*) > ?), "names" AS (SELECT "users"."name" FROM "users" INNER JOIN "prolific" ON "prolific"."author" = "users"."id") SELECT "names"."name" FROM "names" WHERE "names"."name" IN (SELECT "users"."name" AS "n" FROM "prolific" CROSS JOIN "users")  -- [10n]
      "
    `)
  })

  it('with recursive: an employee hierarchy', () => {
    const base = pipe(
      Q.from(employees),
      Q.where((s) => Q.isNull(s.employees.manager_id)),
      Q.select((s) => ({ id: s.employees.id, name: s.employees.name, depth: Q.val(0) })),
    )
    const chain = Q.recursiveCte('chain', base, (self) =>
      pipe(
        Q.from(employees),
        Q.join(self, (s) => Q.eq(s.employees.manager_id, s.chain.id)),
        Q.select((s) => ({ id: s.employees.id, name: s.employees.name, depth: Q.add(s.chain.depth, 1) })),
      ),
    )
    const q = pipe(Q.from(chain), Q.orderBy((s) => [s.chain.depth, s.chain.name]))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: WITH RECURSIVE "chain"("id", "name", "depth") AS (SELECT "employees"."id", "employees"."name", CAST($1 AS INTEGER) AS "depth" FROM "employees" WHERE "employees"."manager_id" IS NULL UNION ALL SELECT "employees"."id", "employees"."name", "chain"."depth" + $2 AS "depth" FROM "employees" INNER JOIN "chain" ON "employees"."manager_id" = "chain"."id") SELECT "chain"."id", "chain"."name", "chain"."depth" FROM "chain" ORDER BY "chain"."depth" ASC, "chain"."name" ASC  -- [0,1]
      mysql:    WITH RECURSIVE \`chain\`(\`id\`, \`name\`, \`depth\`) AS (SELECT \`employees\`.\`id\`, \`employees\`.\`name\`, ? AS \`depth\` FROM \`employees\` WHERE \`employees\`.\`manager_id\` IS NULL UNION ALL SELECT \`employees\`.\`id\`, \`employees\`.\`name\`, \`chain\`.\`depth\` + ? AS \`depth\` FROM \`employees\` INNER JOIN \`chain\` ON \`employees\`.\`manager_id\` = \`chain\`.\`id\`) SELECT \`chain\`.\`id\`, \`chain\`.\`name\`, \`chain\`.\`depth\` FROM \`chain\` ORDER BY \`chain\`.\`depth\` ASC, \`chain\`.\`name\` ASC  -- [0,1]
      sqlite:   WITH RECURSIVE "chain"("id", "name", "depth") AS (SELECT "employees"."id", "employees"."name", ? AS "depth" FROM "employees" WHERE "employees"."manager_id" IS NULL UNION ALL SELECT "employees"."id", "employees"."name", "chain"."depth" + ? AS "depth" FROM "employees" INNER JOIN "chain" ON "employees"."manager_id" = "chain"."id") SELECT "chain"."id", "chain"."name", "chain"."depth" FROM "chain" ORDER BY "chain"."depth" ASC, "chain"."name" ASC  -- [0n,1n]
      "
    `)
  })

  it('two different CTEs with one name are an error', () => {
    const a = pipe(Q.from(users), Q.select((s) => ({ id: s.users.id })), Q.cte('x'))
    const b = pipe(Q.from(posts), Q.select((s) => ({ id: s.posts.id })), Q.cte('x'))
    const q = pipe(Q.from(a), Q.join(Q.cteAlias('y')(b), (s) => Q.eq(s.x.id, s.y.id)))
    expect(all(q).postgres).toMatchObject({ error: 'InvalidQuery' })
  })
})
