/** Golden SQL for ORDER BY / LIMIT / OFFSET directly on a set operation, alone and as a member of another. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { golden, onMysql8 } from './all-dialects.js'
import { posts, users } from './fixtures.js'

const titles = pipe(Q.from(posts), Q.select((s) => ({ name: s.posts.title, n: s.posts.score })))
const names = pipe(Q.from(users), Q.select((s) => ({ name: s.users.name, n: s.users.id })))

describe('ORDER BY / LIMIT / OFFSET on a set operation', () => {
  it('keys are result columns, printed after the compound', () => {
    const q = pipe(titles, Q.union(names), Q.orderBy((r) => [Q.desc(r.n), r.name]), Q.limit(10), Q.offset(20))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "n" DESC, "name" ASC LIMIT $1 OFFSET $2  -- [10,20]
      mysql:    SELECT \`posts\`.\`title\` AS \`name\`, \`posts\`.\`score\` AS \`n\` FROM \`posts\` UNION SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\` ORDER BY \`n\` DESC, \`name\` ASC LIMIT ? OFFSET ?  -- [10,20]
      sqlite:   SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "n" DESC, "name" ASC LIMIT ? OFFSET ?  -- [10n,20n]
      "
    `)
  })

  it('OFFSET alone takes the dialect\'s "no limit" where it needs one', () => {
    expect(golden(pipe(titles, Q.unionAll(names), Q.offset(5)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION ALL SELECT "users"."name", "users"."id" AS "n" FROM "users" OFFSET $1  -- [5]
      mysql:    SELECT \`posts\`.\`title\` AS \`name\`, \`posts\`.\`score\` AS \`n\` FROM \`posts\` UNION ALL SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\` LIMIT 18446744073709551615 OFFSET ?  -- [5]
      sqlite:   SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION ALL SELECT "users"."name", "users"."id" AS "n" FROM "users" LIMIT -1 OFFSET ?  -- [5n]
      "
    `)
  })

  it('NULLS LAST: printed where the dialect has it; MariaDB\'s IS NULL key is no result column, so it orders a derived table', () => {
    expect(golden(pipe(titles, Q.except(names), Q.orderBy((r) => [Q.desc(r.n, 'nulls last')])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" EXCEPT SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "n" DESC NULLS LAST
      mysql:    SELECT * FROM (SELECT \`posts\`.\`title\` AS \`name\`, \`posts\`.\`score\` AS \`n\` FROM \`posts\` EXCEPT SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\`) AS \`q\` ORDER BY \`n\` IS NULL ASC, \`n\` DESC
      mysql8:   !Unsupported: EXCEPT is not supported by mysql8
      sqlite:   SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" EXCEPT SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "n" DESC NULLS LAST
      "
    `)
  })

  it('a key that is an expression of result columns orders a derived table of the compound', () => {
    expect(golden(pipe(titles, Q.intersect(names), Q.orderBy((r) => [Q.mod(r.n, 7)]), Q.limit(3)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT * FROM (SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" INTERSECT SELECT "users"."name", "users"."id" AS "n" FROM "users") AS "q" ORDER BY "n" % $1 ASC LIMIT $2  -- [7,3]
      mysql:    SELECT * FROM (SELECT \`posts\`.\`title\` AS \`name\`, \`posts\`.\`score\` AS \`n\` FROM \`posts\` INTERSECT SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\`) AS \`q\` ORDER BY \`n\` % ? ASC LIMIT ?  -- [7,3]
      mysql8:   !Unsupported: INTERSECT is not supported by mysql8
      sqlite:   SELECT * FROM (SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" INTERSECT SELECT "users"."name", "users"."id" AS "n" FROM "users") AS "q" ORDER BY "n" % ? ASC LIMIT ?  -- [7n,3n]
      "
    `)
  })

  it('constant keys are dropped here too', () => {
    expect(golden(pipe(titles, Q.union(names), Q.orderBy((r) => [Q.and(), r.name])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "name" ASC
      mysql:    SELECT \`posts\`.\`title\` AS \`name\`, \`posts\`.\`score\` AS \`n\` FROM \`posts\` UNION SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\` ORDER BY \`name\` ASC
      sqlite:   SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "name" ASC
      "
    `)
  })

  it('an ordered or limited set operation as a member of another is a derived table (SQLite takes no parenthesised member)', () => {
    const top = pipe(titles, Q.union(names), Q.orderBy((r) => [Q.desc(r.n)]), Q.limit(3))
    expect(golden(pipe(top, Q.unionAll(names)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT * FROM (SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "n" DESC LIMIT $1) AS "q" UNION ALL SELECT "users"."name", "users"."id" AS "n" FROM "users"  -- [3]
      mysql:    SELECT * FROM (SELECT \`posts\`.\`title\` AS \`name\`, \`posts\`.\`score\` AS \`n\` FROM \`posts\` UNION SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\` ORDER BY \`n\` DESC LIMIT ?) AS \`q\` UNION ALL SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\`  -- [3]
      sqlite:   SELECT * FROM (SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "n" DESC LIMIT ?) AS "q" UNION ALL SELECT "users"."name", "users"."id" AS "n" FROM "users"  -- [3n]
      "
    `)
    expect(golden(pipe(names, Q.unionAll(top)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."name", "users"."id" AS "n" FROM "users" UNION ALL SELECT * FROM (SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "n" DESC LIMIT $1) AS "q"  -- [3]
      mysql:    SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\` UNION ALL SELECT * FROM (SELECT \`posts\`.\`title\` AS \`name\`, \`posts\`.\`score\` AS \`n\` FROM \`posts\` UNION SELECT \`users\`.\`name\`, \`users\`.\`id\` AS \`n\` FROM \`users\` ORDER BY \`n\` DESC LIMIT ?) AS \`q\`  -- [3]
      sqlite:   SELECT "users"."name", "users"."id" AS "n" FROM "users" UNION ALL SELECT * FROM (SELECT "posts"."title" AS "name", "posts"."score" AS "n" FROM "posts" UNION SELECT "users"."name", "users"."id" AS "n" FROM "users" ORDER BY "n" DESC LIMIT ?) AS "q"  -- [3n]
      "
    `)
  })

  it('as an IN subquery with a limit (a derived table on MySQL, which refuses LIMIT in IN)', () => {
    const ids = pipe(Q.from(posts), Q.select((s) => ({ id: s.posts.author_id })), Q.union(pipe(Q.from(users), Q.select((s) => ({ id: s.users.id })))), Q.orderBy((r) => [r.id]), Q.limit(2))
    expect(golden(pipe(Q.from(users), Q.where((s) => Q.isIn(s.users.id, ids)), Q.select((s) => ({ id: s.users.id }))))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" AS "id" FROM "posts" UNION SELECT "users"."id" FROM "users" ORDER BY "id" ASC LIMIT $1)  -- [2]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`id\` IN (SELECT * FROM (SELECT \`posts\`.\`author_id\` AS \`id\` FROM \`posts\` UNION SELECT \`users\`.\`id\` FROM \`users\` ORDER BY \`id\` ASC LIMIT ?) AS \`q\`)  -- [2]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" AS "id" FROM "posts" UNION SELECT "users"."id" FROM "users" ORDER BY "id" ASC LIMIT ?)  -- [2n]
      "
    `)
  })

  it('MySQL 8 has no INTERSECT: Unsupported, ordered or not', () => {
    expect(onMysql8(pipe(titles, Q.intersect(names), Q.limit(1)))).toMatchObject({ error: 'Unsupported' })
  })
})
