/** Golden SQL for row-value IN (`isInTuple` / `notInTuple`): lists, the empty list, subqueries, bad widths. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { all, golden } from './all-dialects.js'
import { comments, posts } from './fixtures.js'

const wherePosts = (p: (s: { posts: typeof posts.c }) => Q.Predicate) => pipe(Q.from(posts), Q.where(p), Q.select((s) => ({ id: s.posts.id })))

describe('row-value IN', () => {
  it('a list of rows: PostgreSQL and MySQL take rows, SQLite a VALUES list', () => {
    expect(golden(wherePosts((s) => Q.isInTuple([s.posts.author_id, s.posts.score], [[1, 10], [2, 20]])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" WHERE ("posts"."author_id", "posts"."score") IN (($1, $2), ($3, $4))  -- [1,10,2,20]
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` WHERE (\`posts\`.\`author_id\`, \`posts\`.\`score\`) IN ((?, ?), (?, ?))  -- [1,10,2,20]
      sqlite:   SELECT "posts"."id" FROM "posts" WHERE ("posts"."author_id", "posts"."score") IN (VALUES (?, ?), (?, ?))  -- [1n,10n,2n,20n]
      "
    `)
  })

  it('NOT IN, with values typed by their column (a date encoded per dialect)', () => {
    const when = new Date('2024-01-02T03:04:05Z')
    expect(golden(wherePosts((s) => Q.notInTuple([s.posts.title, s.posts.published_at], [['a', when]])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" WHERE ("posts"."title", "posts"."published_at") NOT IN (($1, $2))  -- ["a","2024-01-02T03:04:05.000Z"]
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` WHERE (\`posts\`.\`title\`, \`posts\`.\`published_at\`) NOT IN ((?, ?))  -- ["a","2024-01-02T03:04:05.000Z"]
      sqlite:   SELECT "posts"."id" FROM "posts" WHERE ("posts"."title", "posts"."published_at") NOT IN (VALUES (?, ?))  -- ["a","2024-01-02T03:04:05.000Z"]
      "
    `)
  })

  it('an empty list is the constant FALSE (TRUE for NOT IN), keeping aggregates as isIn does', () => {
    expect(golden(wherePosts((s) => Q.isInTuple([s.posts.author_id, s.posts.score], [])))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" WHERE FALSE
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` WHERE FALSE
      sqlite:   SELECT "posts"."id" FROM "posts" WHERE 0
      "
    `)
    const grouped = pipe(Q.from(posts), Q.select(() => ({ f: Q.notInTuple([Q.count(), Q.max(posts.c.score)], []) })))
    expect(golden(grouped)).toMatchInlineSnapshot(`
      "
      postgres: SELECT CASE WHEN COUNT(*) IS NULL THEN TRUE WHEN MAX("posts"."score") IS NULL THEN TRUE ELSE TRUE END AS "f" FROM "posts"
      mysql:    SELECT CASE WHEN COUNT(*) IS NULL THEN TRUE WHEN MAX(\`posts\`.\`score\`) IS NULL THEN TRUE ELSE TRUE END AS \`f\` FROM \`posts\`
      sqlite:   SELECT CASE WHEN COUNT(*) IS NULL THEN 1 WHEN MAX("posts"."score") IS NULL THEN 1 ELSE 1 END AS "f" FROM "posts"
      "
    `)
  })

  it('a subquery of the same width (MySQL: a limited one as a derived table)', () => {
    const top = pipe(Q.from(comments), Q.join(posts, (s) => Q.eq(s.posts.id, s.comments.post_id)), Q.select((s) => ({ a: s.posts.author_id, sc: s.posts.score })), Q.limit(5))
    expect(golden(wherePosts((s) => Q.isInTuple([s.posts.author_id, s.posts.score], top)))).toMatchInlineSnapshot(`
      "
      postgres: SELECT "posts"."id" FROM "posts" WHERE ("posts"."author_id", "posts"."score") IN (SELECT "posts"."author_id" AS "a", "posts"."score" AS "sc" FROM "comments" INNER JOIN "posts" ON "posts"."id" = "comments"."post_id" LIMIT $1)  -- [5]
      mysql:    SELECT \`posts\`.\`id\` FROM \`posts\` WHERE (\`posts\`.\`author_id\`, \`posts\`.\`score\`) IN (SELECT * FROM (SELECT \`posts\`.\`author_id\` AS \`a\`, \`posts\`.\`score\` AS \`sc\` FROM \`comments\` INNER JOIN \`posts\` ON \`posts\`.\`id\` = \`comments\`.\`post_id\` LIMIT ?) AS \`q\`)  -- [5]
      sqlite:   SELECT "posts"."id" FROM "posts" WHERE ("posts"."author_id", "posts"."score") IN (SELECT "posts"."author_id" AS "a", "posts"."score" AS "sc" FROM "comments" INNER JOIN "posts" ON "posts"."id" = "comments"."post_id" LIMIT ?)  -- [5n]
      "
    `)
  })

  it('a row or query of another width is an InvalidQuery error, never SQL the engine would reject', () => {
    const rows = [[1, 2, 3]] as unknown as readonly (readonly [number, number])[]
    expect(all(wherePosts((s) => Q.isInTuple([s.posts.author_id, s.posts.score], rows))).postgres).toEqual({
      error: 'InvalidQuery',
      message: 'a row-value IN compares 2 expressions with a row of another width',
    })
    const one = pipe(Q.from(comments), Q.select((s) => ({ id: s.comments.id })))
    expect(all(wherePosts((s) => Q.isInTuple([s.posts.author_id, s.posts.score], one))).sqlite).toEqual({
      error: 'InvalidQuery',
      message: 'a row-value IN compares 2 expressions with a query of 1 columns',
    })
    expect(all(wherePosts(() => Q.isInTuple([], [[]]))).mysql).toMatchObject({ error: 'InvalidQuery' })
  })

  it('the statement cache keys on the list length, so another length is another statement', () => {
    const q = (n: number) => wherePosts((s) => Q.isInTuple([s.posts.author_id, s.posts.score], Array.from({ length: n }, (_, i) => [i, i] as const)))
    const a = all(q(1)).postgres
    const b = all(q(2)).postgres
    expect('sql' in a && 'sql' in b && a.sql !== b.sql).toBe(true)
    expect(all(q(2)).postgres).toEqual(b)
  })
})
