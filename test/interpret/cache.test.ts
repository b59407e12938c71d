/** The statement cache: one compile per shape; values, named parameters and CTEs stay right on a hit. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { beforeEach, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { clearStatementCache, compile, mariadb, postgres, sqlite, statementCacheSize, type Compiled } from '../../src/interpret/index.js'
import { comments, posts, users } from './fixtures.js'

const ok = (r: E.Either<unknown, Compiled>): Compiled => {
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

const query = (name: string, score: number, n: number) =>
  pipe(
    Q.from(users),
    Q.join(posts, (s) => Q.eq(s.posts.author_id, s.users.id)),
    Q.join(comments, (s) => Q.eq(s.comments.post_id, s.posts.id)),
    Q.where((s) => Q.and(Q.eq(s.users.name, name), Q.gt(s.posts.score, score))),
    Q.select((s) => ({ name: s.users.name, title: s.posts.title, body: s.comments.body })),
    Q.orderBy((s) => [Q.desc(s.posts.score)]),
    Q.limit(n),
  )

beforeEach(() => {
  for (const d of [postgres, mariadb, sqlite]) clearStatementCache(d)
})

describe('statement cache', () => {
  it('compiles a shape once; other values reuse its SQL', () => {
    const a = ok(compile(postgres)(query('ada', 1, 10)))
    expect(statementCacheSize(postgres)).toBe(1)
    const b = ok(compile(postgres)(query('bob', 5, 20)))
    expect(statementCacheSize(postgres)).toBe(1)
    expect(b.sql).toBe(a.sql)
    expect(a.params).toEqual(['ada', 1, 10])
    expect(b.params).toEqual(['bob', 5, 20])
  })

  it('a different shape is a different entry (e.g. IN lists of other lengths)', () => {
    const q = (ids: number[]) => pipe(Q.from(users), Q.where((s) => Q.isIn(s.users.id, ids)), Q.select((s) => ({ id: s.users.id })))
    const one = ok(compile(sqlite)(q([1])))
    const two = ok(compile(sqlite)(q([1, 2])))
    const none = ok(compile(sqlite)(q([])))
    expect(statementCacheSize(sqlite)).toBe(3)
    expect([one.sql.endsWith('IN (?)'), two.sql.endsWith('IN (?, ?)'), none.sql.endsWith('WHERE 0')]).toEqual([true, true, true])
  })

  it('values in a CTE used twice line up on a hit', () => {
    const q = (min: number, max: number) => {
      const hot = pipe(Q.from(posts), Q.where((s) => Q.gt(s.posts.score, min)), Q.select((s) => ({ a: s.posts.author_id })), Q.cte('hot'))
      const hot2 = pipe(hot, Q.cteAlias('hot2'))
      return pipe(Q.from(hot), Q.join(hot2, (s) => Q.eq(s.hot.a, s.hot2.a)), Q.where((s) => Q.lt(s.hot.a, max)))
    }
    const first = ok(compile(mariadb)(q(1, 2)))
    const second = ok(compile(mariadb)(q(3, 4)))
    expect(second.sql).toBe(first.sql)
    expect(first.params).toEqual([1, 2])
    expect(second.params).toEqual([3, 4])
  })

  it('named parameters are bound per compile', () => {
    const q = pipe(Q.from(users), Q.where((s) => Q.eq(s.users.id, Q.param<number>('id'))), Q.select((s) => ({ n: s.users.name })))
    expect(ok(compile(postgres)(q, { id: 1 })).params).toEqual([1])
    expect(ok(compile(postgres)(q, { id: 2 })).params).toEqual([2])
    expect(compile(postgres)(q)).toMatchObject(E.left({ _tag: 'MissingParam', name: 'id' }))
  })

  it('errors are cached per shape too, and values are still checked on a hit', () => {
    const full = (n: string) => pipe(Q.from(users), Q.fullJoin(posts, (s) => Q.eq(s.posts.title, n)))
    expect(compile(mariadb)(full('a'))).toMatchObject(E.left({ _tag: 'Unsupported', feature: 'FULL JOIN', dialect: 'mariadb' }))
    expect(compile(mariadb)(full('b'))).toMatchObject(E.left({ _tag: 'Unsupported' }))
    expect(compile(postgres)(query('x', Number.NaN, 1))).toMatchObject(E.left({ _tag: 'InvalidValue', param: 2 }))
  })

  it('two tables with one name but different definitions do not share an entry', () => {
    const t1 = Q.table('t', { a: Q.integer() })
    const t2 = Q.table('t', { b: Q.integer() })
    expect(ok(compile(postgres)(Q.from(t1))).sql).toBe('SELECT "t"."a" FROM "t"')
    expect(ok(compile(postgres)(Q.from(t2))).sql).toBe('SELECT "t"."b" FROM "t"')
  })

  it('window frame offsets are structure: other offsets are other statements', () => {
    const q = (n: number) =>
      pipe(Q.from(posts), Q.select((s) => ({ r: pipe(Q.sum(s.posts.score), Q.over({ orderBy: [s.posts.id], frame: { unit: 'rows', start: Q.preceding(n) } })) })))
    expect(ok(compile(postgres)(q(1))).sql).toContain('ROWS BETWEEN 1 PRECEDING AND CURRENT ROW')
    expect(ok(compile(postgres)(q(2))).sql).toContain('ROWS BETWEEN 2 PRECEDING AND CURRENT ROW')
    const lagBy = (n: number) => pipe(Q.from(posts), Q.select((s) => ({ p: pipe(Q.lag(s.posts.score, n), Q.over({ orderBy: [s.posts.id] })) })))
    expect(ok(compile(mariadb)(lagBy(1))).sql).toContain('LAG(`posts`.`score`, 1)')
    expect(ok(compile(mariadb)(lagBy(3))).sql).toContain('LAG(`posts`.`score`, 3)')
    expect(() => Q.lag(posts.c.score, -1)).toThrow(RangeError)
    expect(() => Q.preceding(-1)).toThrow(RangeError)
    expect(() => Q.following(1.5)).toThrow(RangeError)
  })

  it('positions used for GROUP BY depend on values, and the cache tells the cases apart', () => {
    const q = (a: number, b: number) =>
      pipe(Q.from(posts), Q.groupBy((s) => [Q.add(s.posts.score, a)]), Q.select((s) => ({ k: Q.add(s.posts.score, b), n: Q.count() })))
    expect(ok(compile(postgres)(q(1, 1))).sql).toContain('GROUP BY 1')
    expect(ok(compile(postgres)(q(1, 2))).sql).toContain('GROUP BY "posts"."score" + $')
    expect(ok(compile(postgres)(q(3, 3)))).toEqual({ sql: 'SELECT "posts"."score" + $1 AS "k", COUNT(*) AS "n" FROM "posts" GROUP BY 1', params: [3] })
  })

  it('a hand-made (unfrozen) table ref is spelled out, and still hits its own entry', () => {
    const shared = pipe(Q.from(users), Q.select((s) => ({ id: s.users.id })))
    const byHand = { ...shared, from: { _tag: 'TableRef', table: users, alias: 'users' } } as typeof shared
    const a = ok(compile(postgres)(shared))
    const b = ok(compile(postgres)(byHand))
    expect(b.sql).toBe(a.sql)
    expect(statementCacheSize(postgres)).toBe(2)
    ok(compile(postgres)({ ...byHand, from: { _tag: 'TableRef', table: users, alias: 'users' } } as typeof shared))
    expect(statementCacheSize(postgres)).toBe(2)
    // Frozen later, the same ref takes an id of its own: a new entry, the same SQL.
    Object.freeze(byHand.from)
    expect(ok(compile(postgres)(byHand)).sql).toBe(a.sql)
  })

  it('SQLite binds integers for integer columns as BigInt (small ones shared), other numbers as they are', () => {
    const q = (ids: number[]) => pipe(Q.from(users), Q.where((s) => Q.isIn(s.users.id, ids)), Q.select((s) => ({ id: s.users.id })))
    const values = [0, 1, 1023, 1024, -1, -0, Number.MAX_SAFE_INTEGER, 2 ** 53, 1.5]
    expect(ok(compile(sqlite)(q(values))).params).toEqual([0n, 1n, 1023n, 1024n, -1n, 0n, 9007199254740991n, 2 ** 53, 1.5])
    // A hit re-encodes: the same shape with other values.
    expect(ok(compile(sqlite)(q([7, 8, 9, 10, 11, 12, 13, 14, 15]))).params).toEqual([7n, 8n, 9n, 10n, 11n, 12n, 13n, 14n, 15n])
    const flags = pipe(Q.from(users), Q.where((s) => Q.and(Q.eq(s.users.active, true), Q.eq(s.users.name, 'ada'))))
    expect(ok(compile(sqlite)(flags)).params).toEqual([1n, 'ada'])
  })

  it('stays bounded: old shapes are evicted', () => {
    for (let i = 0; i < 2100; i++) {
      const t = Q.table(`t${i}`, { a: Q.integer() })
      ok(compile(sqlite)(Q.from(t)))
    }
    expect(statementCacheSize(sqlite)).toBeLessThanOrEqual(2000)
    expect(statementCacheSize(sqlite)).toBeGreaterThan(1000)
  })
})
