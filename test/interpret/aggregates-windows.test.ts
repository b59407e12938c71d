/** Golden SQL: aggregates (with FILTER, emulated on MySQL) and window functions. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { golden } from './all-dialects.js'
import { employees, posts } from './fixtures.js'

describe('aggregates', () => {
  it('count, count distinct, sum, avg, min, max', () => {
    const q = pipe(
      Q.from(posts),
      Q.select((s) => ({
        n: Q.count(),
        withDate: Q.count(s.posts.published_at),
        authors: Q.countDistinct(s.posts.author_id),
        total: Q.sum(s.posts.score),
        mean: Q.avg(s.posts.score),
        lo: Q.min(s.posts.score),
        hi: Q.max(s.posts.score),
      })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT COUNT(*) AS "n", COUNT("posts"."published_at") AS "withDate", COUNT(DISTINCT "posts"."author_id") AS "authors", SUM("posts"."score") AS "total", AVG("posts"."score") AS "mean", MIN("posts"."score") AS "lo", MAX("posts"."score") AS "hi" FROM "posts"
      mysql:    SELECT COUNT(*) AS \`n\`, COUNT(\`posts\`.\`published_at\`) AS \`withDate\`, COUNT(DISTINCT \`posts\`.\`author_id\`) AS \`authors\`, SUM(\`posts\`.\`score\`) AS \`total\`, AVG(\`posts\`.\`score\`) AS \`mean\`, MIN(\`posts\`.\`score\`) AS \`lo\`, MAX(\`posts\`.\`score\`) AS \`hi\` FROM \`posts\`
      sqlite:   SELECT COUNT(*) AS "n", COUNT("posts"."published_at") AS "withDate", COUNT(DISTINCT "posts"."author_id") AS "authors", SUM("posts"."score") AS "total", AVG("posts"."score") AS "mean", MIN("posts"."score") AS "lo", MAX("posts"."score") AS "hi" FROM "posts"
      "
    `)
  })

  it('filter: FILTER (WHERE ...) or an equivalent CASE inside the aggregate', () => {
    const q = pipe(
      Q.from(posts),
      Q.select((s) => ({
        good: pipe(Q.count(), Q.filter(Q.gt(s.posts.score, 10))),
        goodSum: pipe(Q.sum(s.posts.score), Q.filter(Q.gt(s.posts.score, 10))),
      })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT COUNT(*) FILTER (WHERE "posts"."score" > $1) AS "good", SUM("posts"."score") FILTER (WHERE "posts"."score" > $2) AS "goodSum" FROM "posts"  -- [10,10]
      mysql:    SELECT COUNT(CASE WHEN \`posts\`.\`score\` > ? THEN 1 END) AS \`good\`, SUM(CASE WHEN \`posts\`.\`score\` > ? THEN \`posts\`.\`score\` END) AS \`goodSum\` FROM \`posts\`  -- [10,10]
      sqlite:   SELECT COUNT(*) FILTER (WHERE "posts"."score" > ?) AS "good", SUM("posts"."score") FILTER (WHERE "posts"."score" > ?) AS "goodSum" FROM "posts"  -- [10n,10n]
      "
    `)
  })
})

describe('window functions', () => {
  it('ranking over partitions', () => {
    const q = pipe(
      Q.from(employees),
      Q.select((s) => ({
        name: s.employees.name,
        rn: pipe(Q.rowNumber(), Q.over({ partitionBy: [s.employees.dept], orderBy: [Q.desc(s.employees.salary)] })),
        r: pipe(Q.rank(), Q.over({ orderBy: [Q.desc(s.employees.salary)] })),
        dr: pipe(Q.denseRank(), Q.over({ orderBy: [Q.desc(s.employees.salary)] })),
        q4: pipe(Q.ntile(4), Q.over({ orderBy: [s.employees.salary] })),
      })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "employees"."name", ROW_NUMBER() OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" DESC) AS "rn", RANK() OVER (ORDER BY "employees"."salary" DESC) AS "r", DENSE_RANK() OVER (ORDER BY "employees"."salary" DESC) AS "dr", NTILE(CAST($1 AS INTEGER)) OVER (ORDER BY "employees"."salary" ASC) AS "q4" FROM "employees"  -- [4]
      mysql:    SELECT \`employees\`.\`name\`, ROW_NUMBER() OVER (PARTITION BY \`employees\`.\`dept\` ORDER BY \`employees\`.\`salary\` DESC) AS \`rn\`, RANK() OVER (ORDER BY \`employees\`.\`salary\` DESC) AS \`r\`, DENSE_RANK() OVER (ORDER BY \`employees\`.\`salary\` DESC) AS \`dr\`, NTILE(?) OVER (ORDER BY \`employees\`.\`salary\` ASC) AS \`q4\` FROM \`employees\`  -- [4]
      sqlite:   SELECT "employees"."name", ROW_NUMBER() OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" DESC) AS "rn", RANK() OVER (ORDER BY "employees"."salary" DESC) AS "r", DENSE_RANK() OVER (ORDER BY "employees"."salary" DESC) AS "dr", NTILE(?) OVER (ORDER BY "employees"."salary" ASC) AS "q4" FROM "employees"  -- [4n]
      "
    `)
  })

  it('lag, lead, first and last value (MariaDB has no LAG/LEAD default)', () => {
    const w = { partitionBy: [employees.c.dept], orderBy: [employees.c.salary] }
    const q = pipe(
      Q.from(employees),
      Q.select((s) => ({
        prev: pipe(Q.lag(s.employees.salary), Q.over(w)),
        next2: pipe(Q.lead(s.employees.salary, 2, 0), Q.over(w)),
        first: pipe(Q.firstValue(s.employees.name), Q.over(w)),
        last: pipe(
          Q.lastValue(s.employees.name),
          Q.over({ ...w, frame: { unit: 'rows', start: Q.unboundedPreceding, end: Q.unboundedFollowing } }),
        ),
      })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT LAG("employees"."salary", 1) OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" ASC) AS "prev", LEAD("employees"."salary", 2, CAST($1 AS INTEGER)) OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" ASC) AS "next2", FIRST_VALUE("employees"."name") OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" ASC) AS "first", LAST_VALUE("employees"."name") OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" ASC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "last" FROM "employees"  -- [0]
      mysql:    !Unsupported: LEAD with a default value is not supported by mariadb
      mysql8:   SELECT LAG(\`employees\`.\`salary\`, 1) OVER (PARTITION BY \`employees\`.\`dept\` ORDER BY \`employees\`.\`salary\` ASC) AS \`prev\`, LEAD(\`employees\`.\`salary\`, 2, ?) OVER (PARTITION BY \`employees\`.\`dept\` ORDER BY \`employees\`.\`salary\` ASC) AS \`next2\`, FIRST_VALUE(\`employees\`.\`name\`) OVER (PARTITION BY \`employees\`.\`dept\` ORDER BY \`employees\`.\`salary\` ASC) AS \`first\`, LAST_VALUE(\`employees\`.\`name\`) OVER (PARTITION BY \`employees\`.\`dept\` ORDER BY \`employees\`.\`salary\` ASC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \`last\` FROM \`employees\`  -- [0]
      sqlite:   SELECT LAG("employees"."salary", 1) OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" ASC) AS "prev", LEAD("employees"."salary", 2, ?) OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" ASC) AS "next2", FIRST_VALUE("employees"."name") OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" ASC) AS "first", LAST_VALUE("employees"."name") OVER (PARTITION BY "employees"."dept" ORDER BY "employees"."salary" ASC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "last" FROM "employees"  -- [0n]
      "
    `)
  })

  it('running aggregates with frames', () => {
    const q = pipe(
      Q.from(employees),
      Q.select((s) => ({
        running: pipe(Q.sum(s.employees.salary), Q.over({ orderBy: [s.employees.id], frame: { unit: 'rows', start: Q.unboundedPreceding } })),
        moving: pipe(Q.avg(s.employees.salary), Q.over({ orderBy: [s.employees.id], frame: { unit: 'rows', start: Q.preceding(2), end: Q.following(1) } })),
      })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT SUM("employees"."salary") OVER (ORDER BY "employees"."id" ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "running", AVG("employees"."salary") OVER (ORDER BY "employees"."id" ASC ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS "moving" FROM "employees"
      mysql:    SELECT SUM(\`employees\`.\`salary\`) OVER (ORDER BY \`employees\`.\`id\` ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS \`running\`, AVG(\`employees\`.\`salary\`) OVER (ORDER BY \`employees\`.\`id\` ASC ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS \`moving\` FROM \`employees\`
      sqlite:   SELECT SUM("employees"."salary") OVER (ORDER BY "employees"."id" ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "running", AVG("employees"."salary") OVER (ORDER BY "employees"."id" ASC ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS "moving" FROM "employees"
      "
    `)
  })
})
