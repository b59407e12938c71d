/** Golden SQL: operators, predicates, CASE, CAST, scalar functions, subqueries. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { all, golden } from './all-dialects.js'
import { posts, users } from './fixtures.js'

const where = (p: (s: { users: typeof users.c }) => Q.Predicate) =>
  pipe(Q.from(users), Q.where(p), Q.select((s) => ({ id: s.users.id })))

const field = <T>(f: (s: { posts: typeof posts.c }) => Q.Expr<T>) => pipe(Q.from(posts), Q.select((s) => ({ v: f(s) })))

describe('operators', () => {
  it('comparison, boolean and arithmetic, parenthesised by precedence', () => {
    const q = where((s) =>
      Q.or(
        Q.and(Q.ne(s.users.id, 1), Q.lte(Q.mul(Q.add(s.users.id, 2), 3), 10)),
        Q.not(Q.gte(Q.sub(s.users.id, Q.sub(s.users.id, 1)), Q.neg(s.users.id))),
        Q.lt(Q.div(s.users.id, 2), Q.mod(s.users.id, 7)),
      ),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."id" <> $1 AND ("users"."id" + $2) * $3 <= $4 OR NOT ("users"."id" - ("users"."id" - $5) >= -"users"."id") OR "users"."id" / $6 < "users"."id" % $7  -- [1,2,3,10,1,2,7]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`id\` <> ? AND (\`users\`.\`id\` + ?) * ? <= ? OR NOT (\`users\`.\`id\` - (\`users\`.\`id\` - ?) >= -\`users\`.\`id\`) OR \`users\`.\`id\` DIV ? < \`users\`.\`id\` % ?  -- [1,2,3,10,1,2,7]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."id" <> ? AND ("users"."id" + ?) * ? <= ? OR NOT ("users"."id" - ("users"."id" - ?) >= -"users"."id") OR "users"."id" / ? < "users"."id" % ?  -- [1n,2n,3n,10n,1n,2n,7n]
      "
    `)
  })

  it('integer division truncates everywhere (DIV on MySQL, whose / gives a decimal)', () => {
    const q = pipe(Q.from(posts), Q.select((s) => ({ half: Q.div(s.posts.score, 2), ratio: Q.div(Q.cast(s.posts.score, { kind: 'double' }), 2) })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."score" / $1 AS "half", CAST("posts"."score" AS DOUBLE PRECISION) / $2 AS "ratio" FROM "posts"  -- [2,2]
      mysql:    SELECT \`posts\`.\`score\` DIV ? AS \`half\`, CAST(\`posts\`.\`score\` AS DOUBLE) / ? AS \`ratio\` FROM \`posts\`  -- [2,2]
      sqlite:   SELECT "posts"."score" / ? AS "half", CAST("posts"."score" AS REAL) / ? AS "ratio" FROM "posts"  -- [2n,2]
      "
    `)
  })

  it('PostgreSQL: parameters with nothing around them to give a type are cast', () => {
    const q = Q.selectValues({ same: Q.eq(Q.val(2), Q.val(2)), a: Q.abs(Q.val(-7)), known: Q.isNull(Q.val('x')) })
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT CAST($1 AS INTEGER) = CAST($2 AS INTEGER) AS "same", ABS(CAST($3 AS INTEGER)) AS "a", CAST($4 AS TEXT) IS NULL AS "known"  -- [2,2,-7,"x"]
      mysql:    SELECT ? = ? AS \`same\`, ABS(?) AS \`a\`, ? IS NULL AS \`known\`  -- [2,2,-7,"x"]
      sqlite:   SELECT ? = ? AS "same", ABS(?) AS "a", ? IS NULL AS "known"  -- [2n,2n,-7n,"x"]
      "
    `)
  })

  it('a double negation never prints the comment marker --', () => {
    const q = where((s) => Q.eq(Q.neg(Q.neg(s.users.id)), Q.neg(Q.val(-1))))
    expect(all(q).postgres).toEqual({ sql: 'SELECT "users"."id" FROM "users" WHERE -(-"users"."id") = -CAST($1 AS INTEGER)', params: [-1] })
  })

  it('empty and/or are constants', () => {
    expect(all(where(() => Q.and())).postgres).toMatchObject({ sql: 'SELECT "users"."id" FROM "users" WHERE TRUE' })
    expect(all(where(() => Q.or())).sqlite).toMatchObject({ sql: 'SELECT "users"."id" FROM "users" WHERE 0' })
  })

  it('is null, is distinct from', () => {
    expect(golden(where((s) => Q.and(Q.isNull(s.users.bio), Q.isNotNull(s.users.meta))))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."bio" IS NULL AND "users"."meta" IS NOT NULL
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`bio\` IS NULL AND \`users\`.\`meta\` IS NOT NULL
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."bio" IS NULL AND "users"."meta" IS NOT NULL
      "
    `)
    expect(golden(where((s) => Q.isDistinctFrom(s.users.bio, 'x')))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."bio" IS DISTINCT FROM $1  -- ["x"]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE NOT (\`users\`.\`bio\` <=> ?)  -- ["x"]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."bio" IS NOT ?  -- ["x"]
      "
    `)
    expect(golden(where((s) => Q.isNotDistinctFrom(s.users.bio, null)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."bio" IS NOT DISTINCT FROM $1  -- [null]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`bio\` <=> ?  -- [null]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."bio" IS ?  -- [null]
      "
    `)
  })

  it('in and not in a list; an empty list is a constant, never IN ()', () => {
    expect(golden(where((s) => Q.isIn(s.users.id, [1, 2, 3])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."id" IN ($1, $2, $3)  -- [1,2,3]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`id\` IN (?, ?, ?)  -- [1,2,3]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?, ?, ?)  -- [1n,2n,3n]
      "
    `)
    expect(golden(where((s) => Q.isIn(s.users.id, [])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE FALSE
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE FALSE
      sqlite:   SELECT "users"."id" FROM "users" WHERE 0
      "
    `)
    expect(golden(where((s) => Q.notIn(s.users.id, [])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE TRUE
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE TRUE
      sqlite:   SELECT "users"."id" FROM "users" WHERE 1
      "
    `)
  })

  it('in a subquery', () => {
    const authors = pipe(Q.from(posts), Q.where((s) => Q.gt(s.posts.score, 5)), Q.select((s) => ({ a: s.posts.author_id })))
    expect(golden(where((s) => Q.notIn(s.users.id, authors)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."id" NOT IN (SELECT "posts"."author_id" AS "a" FROM "posts" WHERE "posts"."score" > $1)  -- [5]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`id\` NOT IN (SELECT \`posts\`.\`author_id\` AS \`a\` FROM \`posts\` WHERE \`posts\`.\`score\` > ?)  -- [5]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."id" NOT IN (SELECT "posts"."author_id" AS "a" FROM "posts" WHERE "posts"."score" > ?)  -- [5n]
      "
    `)
  })

  it('in a limited subquery (a derived table on MySQL, which refuses LIMIT there)', () => {
    const top = pipe(Q.from(posts), Q.select((s) => ({ a: s.posts.author_id })), Q.orderBy((s) => [Q.desc(s.posts.score)]), Q.limit(3))
    expect(golden(where((s) => Q.isIn(s.users.id, top)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" AS "a" FROM "posts" ORDER BY "posts"."score" DESC LIMIT $1)  -- [3]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`id\` IN (SELECT * FROM (SELECT \`posts\`.\`author_id\` AS \`a\` FROM \`posts\` ORDER BY \`posts\`.\`score\` DESC LIMIT ?) AS \`q\`)  -- [3]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" AS "a" FROM "posts" ORDER BY "posts"."score" DESC LIMIT ?)  -- [3n]
      "
    `)
  })

  it('between', () => {
    expect(golden(where((s) => Q.and(Q.between(s.users.id, 1, 10), Q.notBetween(s.users.id, 4, 5))))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."id" BETWEEN $1 AND $2 AND "users"."id" NOT BETWEEN $3 AND $4  -- [1,10,4,5]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`id\` BETWEEN ? AND ? AND \`users\`.\`id\` NOT BETWEEN ? AND ?  -- [1,10,4,5]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."id" BETWEEN ? AND ? AND "users"."id" NOT BETWEEN ? AND ?  -- [1n,10n,4n,5n]
      "
    `)
  })

  it('like and ilike with escape (ILIKE emulated with LOWER)', () => {
    expect(golden(where((s) => Q.like(s.users.name, Q.escapeLike('50%_off') + '%', { escape: '\\' })))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE $1 ESCAPE $2  -- ["50\\\\%\\\\_off%","\\\\"]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`name\` LIKE ? ESCAPE ?  -- ["50\\\\%\\\\_off%","\\\\"]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ? ESCAPE ?  -- ["50\\\\%\\\\_off%","\\\\"]
      "
    `)
    expect(golden(where((s) => Q.and(Q.ilike(s.users.email, '%@example.com'), Q.notLike(s.users.name, 'x%'))))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."email" ILIKE $1 AND "users"."name" NOT LIKE $2  -- ["%@example.com","x%"]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE LOWER(\`users\`.\`email\`) LIKE LOWER(?) AND \`users\`.\`name\` NOT LIKE ?  -- ["%@example.com","x%"]
      sqlite:   SELECT "users"."id" FROM "users" WHERE LOWER("users"."email") LIKE LOWER(?) AND "users"."name" NOT LIKE ?  -- ["%@example.com","x%"]
      "
    `)
  })
})

describe('expressions', () => {
  it('case when with and without else', () => {
    expect(golden(field((s) => Q.caseWhen([[Q.gt(s.posts.score, 10), 'high'], [Q.gt(s.posts.score, 5), 'mid']], 'low')))).toMatchInlineSnapshot(`
      "
      postgres: SELECT CASE WHEN "posts"."score" > $1 THEN CAST($2 AS TEXT) WHEN "posts"."score" > $3 THEN CAST($4 AS TEXT) ELSE CAST($5 AS TEXT) END AS "v" FROM "posts"  -- [10,"high",5,"mid","low"]
      mysql:    SELECT CASE WHEN \`posts\`.\`score\` > ? THEN ? WHEN \`posts\`.\`score\` > ? THEN ? ELSE ? END AS \`v\` FROM \`posts\`  -- [10,"high",5,"mid","low"]
      sqlite:   SELECT CASE WHEN "posts"."score" > ? THEN ? WHEN "posts"."score" > ? THEN ? ELSE ? END AS "v" FROM "posts"  -- [10n,"high",5n,"mid","low"]
      "
    `)
    expect(golden(field((s) => Q.caseWhen([[Q.gt(s.posts.score, 10), s.posts.title]])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT CASE WHEN "posts"."score" > $1 THEN "posts"."title" END AS "v" FROM "posts"  -- [10]
      mysql:    SELECT CASE WHEN \`posts\`.\`score\` > ? THEN \`posts\`.\`title\` END AS \`v\` FROM \`posts\`  -- [10]
      sqlite:   SELECT CASE WHEN "posts"."score" > ? THEN "posts"."title" END AS "v" FROM "posts"  -- [10n]
      "
    `)
  })

  it('cast uses each dialect\'s cast type names', () => {
    expect(golden(field((s) => Q.cast(s.posts.score, { kind: 'text' })))).toMatchInlineSnapshot(`
      "
      postgres: SELECT CAST("posts"."score" AS TEXT) AS "v" FROM "posts"
      mysql:    SELECT CAST(\`posts\`.\`score\` AS CHAR) AS \`v\` FROM \`posts\`
      sqlite:   SELECT CAST("posts"."score" AS TEXT) AS "v" FROM "posts"
      "
    `)
    expect(golden(field((s) => Q.cast(s.posts.title, { kind: 'numeric', precision: 10, scale: 2 })))).toMatchInlineSnapshot(`
      "
      postgres: SELECT CAST("posts"."title" AS NUMERIC(10, 2)) AS "v" FROM "posts"
      mysql:    SELECT CAST(\`posts\`.\`title\` AS DECIMAL(10, 2)) AS \`v\` FROM \`posts\`
      sqlite:   SELECT CAST("posts"."title" AS REAL) AS "v" FROM "posts"
      "
    `)
  })

  it('string functions', () => {
    const q = pipe(
      Q.from(users),
      Q.select((s) => ({
        lo: Q.lower(s.users.name),
        up: Q.upper(s.users.name),
        len: Q.length(s.users.name),
        tr: Q.trim(s.users.name),
        sub: Q.substring(s.users.name, 2, 3),
        cat: Q.concat(s.users.name, ' <', s.users.email, '>'),
      })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT LOWER("users"."name") AS "lo", UPPER("users"."name") AS "up", CHAR_LENGTH("users"."name") AS "len", TRIM("users"."name") AS "tr", SUBSTR("users"."name", CAST($1 AS INTEGER), CAST($2 AS INTEGER)) AS "sub", "users"."name" || $3 || "users"."email" || $4 AS "cat" FROM "users"  -- [2,3," <",">"]
      mysql:    SELECT LOWER(\`users\`.\`name\`) AS \`lo\`, UPPER(\`users\`.\`name\`) AS \`up\`, CHAR_LENGTH(\`users\`.\`name\`) AS \`len\`, TRIM(\`users\`.\`name\`) AS \`tr\`, SUBSTR(\`users\`.\`name\`, ?, ?) AS \`sub\`, CONCAT(\`users\`.\`name\`, ?, \`users\`.\`email\`, ?) AS \`cat\` FROM \`users\`  -- [2,3," <",">"]
      sqlite:   SELECT LOWER("users"."name") AS "lo", UPPER("users"."name") AS "up", LENGTH("users"."name") AS "len", TRIM("users"."name") AS "tr", SUBSTR("users"."name", ?, ?) AS "sub", "users"."name" || ? || "users"."email" || ? AS "cat" FROM "users"  -- [2n,3n," <",">"]
      "
    `)
  })

  it('coalesce, nullif, abs, round', () => {
    const q = pipe(
      Q.from(posts),
      Q.select((s) => ({
        c: Q.coalesce(s.posts.published_at, new Date(0)),
        n: Q.nullif(s.posts.score, 0),
        a: Q.abs(s.posts.score),
        r: Q.round(s.posts.score, 1),
      })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT COALESCE("posts"."published_at", CAST($1 AS TIMESTAMP)) AS "c", NULLIF("posts"."score", CAST($2 AS INTEGER)) AS "n", ABS("posts"."score") AS "a", ROUND("posts"."score", CAST($3 AS INTEGER)) AS "r" FROM "posts"  -- ["1970-01-01T00:00:00.000Z",0,1]
      mysql:    SELECT COALESCE(\`posts\`.\`published_at\`, ?) AS \`c\`, NULLIF(\`posts\`.\`score\`, ?) AS \`n\`, ABS(\`posts\`.\`score\`) AS \`a\`, ROUND(\`posts\`.\`score\`, ?) AS \`r\` FROM \`posts\`  -- ["1970-01-01T00:00:00.000Z",0,1]
      sqlite:   SELECT COALESCE("posts"."published_at", ?) AS "c", NULLIF("posts"."score", ?) AS "n", ABS("posts"."score") AS "a", ROUND("posts"."score", ?) AS "r" FROM "posts"  -- ["1970-01-01T00:00:00.000Z",0n,1n]
      "
    `)
  })

  it('extract date parts as integers', () => {
    expect(golden(field((s) => Q.extract('year', s.posts.published_at)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT CAST(EXTRACT(YEAR FROM "posts"."published_at") AS INTEGER) AS "v" FROM "posts"
      mysql:    SELECT EXTRACT(YEAR FROM \`posts\`.\`published_at\`) AS \`v\` FROM \`posts\`
      sqlite:   SELECT CAST(STRFTIME('%Y', "posts"."published_at") AS INTEGER) AS "v" FROM "posts"
      "
    `)
  })

  it('fn: the typed escape hatch for any function; bad names are an error', () => {
    expect(golden(field((s) => Q.fn<number>('greatest', s.posts.score, 0)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT greatest("posts"."score", CAST($1 AS INTEGER)) AS "v" FROM "posts"  -- [0]
      mysql:    SELECT greatest(\`posts\`.\`score\`, ?) AS \`v\` FROM \`posts\`  -- [0]
      sqlite:   SELECT greatest("posts"."score", ?) AS "v" FROM "posts"  -- [0n]
      "
    `)
    expect(all(field(() => Q.fn<number>('x(); drop table users; --'))).postgres).toMatchObject({ error: 'InvalidQuery' })
  })

  it('scalar subquery and exists', () => {
    const latest = pipe(
      Q.from(Q.alias('p')(posts)),
      Q.where((s) => Q.eq(s.p.author_id, users.c.id)),
      Q.select((s) => ({ m: Q.max(s.p.score) })),
    )
    const q = pipe(
      Q.from(users),
      Q.where(() => Q.exists(latest)),
      Q.select((s) => ({ id: s.users.id, best: Q.scalar(latest) })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id", (SELECT MAX("p"."score") AS "m" FROM "posts" AS "p" WHERE "p"."author_id" = "users"."id") AS "best" FROM "users" WHERE EXISTS (SELECT MAX("p"."score") AS "m" FROM "posts" AS "p" WHERE "p"."author_id" = "users"."id")
      mysql:    SELECT \`users\`.\`id\`, (SELECT MAX(\`p\`.\`score\`) AS \`m\` FROM \`posts\` AS \`p\` WHERE \`p\`.\`author_id\` = \`users\`.\`id\`) AS \`best\` FROM \`users\` WHERE EXISTS (SELECT MAX(\`p\`.\`score\`) AS \`m\` FROM \`posts\` AS \`p\` WHERE \`p\`.\`author_id\` = \`users\`.\`id\`)
      sqlite:   SELECT "users"."id", (SELECT MAX("p"."score") AS "m" FROM "posts" AS "p" WHERE "p"."author_id" = "users"."id") AS "best" FROM "users" WHERE EXISTS (SELECT MAX("p"."score") AS "m" FROM "posts" AS "p" WHERE "p"."author_id" = "users"."id")
      "
    `)
  })

  it('named parameters take their values at compile time', () => {
    const q = where((s) => Q.eq(s.users.email, Q.param<string>('email')))
    expect(golden(q, { email: 'a@b.c' })).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."email" = $1  -- ["a@b.c"]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`email\` = ?  -- ["a@b.c"]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."email" = ?  -- ["a@b.c"]
      "
    `)
    expect(all(q).postgres).toMatchObject({ error: 'MissingParam' })
  })
})
