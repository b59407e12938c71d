/**
 * Golden SQL for the constants SQL reads wrongly (gaps Q1, Q3, Q4, Q5 of
 * docs/gaps/issue4-interpreter-and-engines.md); the rows are checked on the
 * real engines in test/integration/constructs-constants.test.ts.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { golden } from './all-dialects.js'
import { posts, users } from './fixtures.js'

const int = { kind: 'integer' } as const

describe('constants the engines would misread', () => {
  it('Q3: PostgreSQL casts a typed parameter given to a built-in or to fn(), so abs($1) is not abs(double precision)', () => {
    const q = pipe(
      Q.from(posts),
      Q.select((s) => ({ a: Q.div(s.posts.score, Q.abs(Q.val(-3, int))), f: Q.fn<number>('abs', Q.val(-3, int)), y: Q.extract('year', Q.val(new Date(0))) })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."score" / ABS(CAST($1 AS INTEGER)) AS "a", abs(CAST($2 AS INTEGER)) AS "f", CAST(EXTRACT(YEAR FROM CAST($3 AS TIMESTAMPTZ)) AS INTEGER) AS "y" FROM "posts"  -- [-3,-3,"1970-01-01T00:00:00.000Z"]
      mysql:    SELECT \`posts\`.\`score\` DIV ABS(?) AS \`a\`, abs(?) AS \`f\`, EXTRACT(YEAR FROM ?) AS \`y\` FROM \`posts\`  -- [-3,-3,"1970-01-01T00:00:00.000Z"]
      sqlite:   SELECT "posts"."score" / ABS(?) AS "a", abs(?) AS "f", CAST(STRFTIME('%Y', ?) AS INTEGER) AS "y" FROM "posts"  -- [-3n,-3n,"1970-01-01T00:00:00.000Z"]
      "
    `)
  })

  it('ROUND of a float: PostgreSQL rounds it as NUMERIC (no round(double precision, integer)) and casts back', () => {
    const q = pipe(Q.from(posts), Q.select((s) => ({ f: Q.round(Q.cast(s.posts.score, { kind: 'double' }), 1), exact: Q.round(Q.cast(s.posts.score, { kind: 'numeric', precision: 9, scale: 2 }), 1), v: Q.round(Q.val(2.5)) })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT CAST(ROUND(CAST(CAST("posts"."score" AS DOUBLE PRECISION) AS NUMERIC), CAST($1 AS INTEGER)) AS DOUBLE PRECISION) AS "f", ROUND(CAST("posts"."score" AS NUMERIC(9, 2)), CAST($2 AS INTEGER)) AS "exact", CAST(ROUND(CAST($3 AS NUMERIC), CAST($4 AS INTEGER)) AS DOUBLE PRECISION) AS "v" FROM "posts"  -- [1,1,2.5,0]
      mysql:    SELECT ROUND(CAST(\`posts\`.\`score\` AS DOUBLE), ?) AS \`f\`, ROUND(CAST(\`posts\`.\`score\` AS DECIMAL(9, 2)), ?) AS \`exact\`, ROUND(?, ?) AS \`v\` FROM \`posts\`  -- [1,1,2.5,0]
      sqlite:   SELECT ROUND(CAST("posts"."score" AS REAL), ?) AS "f", ROUND(CAST("posts"."score" AS REAL), ?) AS "exact", ROUND(?, ?) AS "v" FROM "posts"  -- [1n,1n,2.5,0n]
      "
    `)
  })

  it('Q5: an empty IN is a constant, keeping the aggregates of its operand so the query stays an aggregate query', () => {
    const q = pipe(Q.from(posts), Q.select((s) => ({ none: Q.isIn(Q.add(Q.count(), 1), []), all: Q.notIn(s.posts.score, []) })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT CASE WHEN COUNT(*) IS NULL THEN FALSE ELSE FALSE END AS "none", TRUE AS "all" FROM "posts"
      mysql:    SELECT CASE WHEN COUNT(*) IS NULL THEN FALSE ELSE FALSE END AS \`none\`, TRUE AS \`all\` FROM \`posts\`
      sqlite:   SELECT CASE WHEN COUNT(*) IS NULL THEN 0 ELSE 0 END AS "none", 1 AS "all" FROM "posts"
      "
    `)
  })

  it('Q5: the same for a constant FALSE inside AND, which SQLite folds while parsing (only the aggregate is kept)', () => {
    const q = pipe(Q.from(posts), Q.having(() => Q.notIn(Q.and(Q.gt(Q.max(posts.c.score), 1), Q.or()), [])), Q.select(() => ({ n: Q.count() })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT COUNT(*) AS "n" FROM "posts" HAVING CASE WHEN MAX("posts"."score") IS NULL THEN TRUE ELSE TRUE END
      mysql:    SELECT COUNT(*) AS \`n\` FROM \`posts\` HAVING CASE WHEN MAX(\`posts\`.\`score\`) IS NULL THEN TRUE ELSE TRUE END
      sqlite:   SELECT COUNT(*) AS "n" FROM "posts" HAVING CASE WHEN MAX("posts"."score") IS NULL THEN 1 ELSE 1 END
      "
    `)
  })

  it('Q4: constant ORDER BY keys are dropped (empty IN, and() / or() and what they fix, parameters)', () => {
    const q = pipe(
      Q.from(posts),
      Q.select((s) => ({ id: s.posts.id })),
      Q.orderBy((s) => [Q.isIn(s.posts.id, []), Q.and(), Q.not(Q.or()), Q.or(Q.gt(s.posts.score, 1), Q.and()), Q.val(1), Q.desc(s.posts.id)]),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" DESC
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` ORDER BY \`posts\`.\`id\` DESC
      sqlite:   SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" DESC
      "
    `)
  })

  it('Q4: only constant keys go; an ORDER BY of nothing but constants prints no ORDER BY at all', () => {
    const q = pipe(Q.from(posts), Q.select((s) => ({ id: s.posts.id })), Q.orderBy((s) => [Q.and(Q.gt(s.posts.score, 1), Q.or()), Q.desc(Q.add(Q.val(1), 2))]))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts"
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\`
      sqlite:   SELECT "posts"."id" FROM "posts"
      "
    `)
  })

  it('Q4: a constant key holding an aggregate keeps the aggregate, in a CASE no engine reads as an ordinal', () => {
    const q = pipe(Q.from(posts), Q.select(() => ({ one: Q.val(1) })), Q.orderBy(() => [Q.and(Q.gt(Q.count(), 0), Q.or())]))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT CAST($1 AS INTEGER) AS "one" FROM "posts" ORDER BY CASE WHEN COUNT(*) IS NULL THEN FALSE ELSE FALSE END ASC  -- [1]
      mysql:    SELECT ? AS \`one\` FROM \`posts\` ORDER BY CASE WHEN COUNT(*) IS NULL THEN FALSE ELSE FALSE END ASC  -- [1]
      sqlite:   SELECT ? AS "one" FROM "posts" ORDER BY CASE WHEN COUNT(*) IS NULL THEN 0 ELSE 0 END ASC  -- [1n]
      "
    `)
  })

  it('Q1: under SELECT DISTINCT of an aggregate query a constant key holding an aggregate is dropped (PostgreSQL wants DISTINCT keys selected)', () => {
    const q = pipe(
      Q.from(posts),
      Q.groupBy((s) => [s.posts.author_id]),
      Q.select(() => ({ n: Q.count() })),
      Q.distinct,
      Q.orderBy(() => [Q.and(Q.gt(Q.count(), 0), Q.or())]),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT DISTINCT COUNT(*) AS "n" FROM "posts" GROUP BY "posts"."author_id"
      mysql:    SELECT DISTINCT COUNT(*) AS \`n\` FROM \`posts\` GROUP BY \`posts\`.\`author_id\`
      sqlite:   SELECT DISTINCT COUNT(*) AS "n" FROM "posts" GROUP BY "posts"."author_id"
      "
    `)
  })

  it('GROUP BY: a constant key is dropped beside another; constants alone become 1 = 1, never a literal', () => {
    const beside = pipe(Q.from(posts), Q.groupBy((s) => [Q.isIn(s.posts.id, []), s.posts.author_id, Q.val(7)]), Q.select((s) => ({ a: s.posts.author_id, n: Q.count() })))
    expect(golden(beside)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."author_id" AS "a", COUNT(*) AS "n" FROM "posts" GROUP BY "posts"."author_id"
      mysql:    SELECT \`posts\`.\`author_id\` AS \`a\`, COUNT(*) AS \`n\` FROM \`posts\` GROUP BY \`posts\`.\`author_id\`
      sqlite:   SELECT "posts"."author_id" AS "a", COUNT(*) AS "n" FROM "posts" GROUP BY "posts"."author_id"
      "
    `)
    const alone = pipe(Q.from(posts), Q.groupBy(() => [Q.and()]), Q.select(() => ({ n: Q.count() })))
    expect(golden(alone)).toMatchInlineSnapshot(`
      "
      postgres: SELECT COUNT(*) AS "n" FROM "posts" GROUP BY 1 = 1
      mysql:    SELECT COUNT(*) AS \`n\` FROM \`posts\` GROUP BY 1 = 1
      sqlite:   SELECT COUNT(*) AS "n" FROM "posts" GROUP BY 1 = 1
      "
    `)
  })

  it('Q1: PostgreSQL names an ORDER BY key equal to a selected field by its position (SELECT DISTINCT needs the same expression)', () => {
    const q = pipe(Q.from(posts), Q.select((s) => ({ x: Q.add(s.posts.score, 1) })), Q.distinct, Q.orderBy((s) => [Q.desc(Q.add(s.posts.score, 1))]))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT DISTINCT "posts"."score" + $1 AS "x" FROM "posts" ORDER BY 1 DESC  -- [1]
      mysql:    SELECT DISTINCT \`posts\`.\`score\` + ? AS \`x\` FROM \`posts\` ORDER BY \`posts\`.\`score\` + ? DESC  -- [1,1]
      sqlite:   SELECT DISTINCT "posts"."score" + ? AS "x" FROM "posts" ORDER BY "posts"."score" + ? DESC  -- [1n,1n]
      "
    `)
  })

  it('Q1: a subquery (one object in the select list and ORDER BY) may hold parameters, so PostgreSQL names it by position too', () => {
    const top = Q.scalar(pipe(Q.from(users), Q.where((u) => Q.gt(u.users.id, 10)), Q.select((u) => ({ m: Q.max(u.users.id) }))))
    const q = pipe(Q.from(posts), Q.select(() => ({ top })), Q.distinct, Q.orderBy(() => [Q.desc(top)]))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT DISTINCT (SELECT MAX("users"."id") AS "m" FROM "users" WHERE "users"."id" > $1) AS "top" FROM "posts" ORDER BY 1 DESC  -- [10]
      mysql:    SELECT DISTINCT (SELECT MAX(\`users\`.\`id\`) AS \`m\` FROM \`users\` WHERE \`users\`.\`id\` > ?) AS \`top\` FROM \`posts\` ORDER BY (SELECT MAX(\`users\`.\`id\`) AS \`m\` FROM \`users\` WHERE \`users\`.\`id\` > ?) DESC  -- [10,10]
      sqlite:   SELECT DISTINCT (SELECT MAX("users"."id") AS "m" FROM "users" WHERE "users"."id" > ?) AS "top" FROM "posts" ORDER BY (SELECT MAX("users"."id") AS "m" FROM "users" WHERE "users"."id" > ?) DESC  -- [10n,10n]
      "
    `)
  })
})
