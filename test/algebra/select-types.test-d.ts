/** The row type of every query is inferred: these pin it. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { employees, posts, users } from '../interpret/fixtures.js'

type R<Qy> = Q.ResultOf<Qy>

describe('projection and nullability', () => {
  it('from a table gives its row; select gives the fields', () => {
    expectTypeOf<R<ReturnType<typeof Q.from<typeof users>>>>().toEqualTypeOf<{
      readonly id: number
      readonly name: string
      readonly email: string
      readonly bio: string | null
      readonly meta: Q.Json | null
      readonly active: boolean
    }>()
    const q = pipe(
      Q.from(users),
      Q.join(posts, (s) => Q.eq(s.posts.author_id, s.users.id)),
      Q.select((s) => ({ id: s.users.id, title: s.posts.title, bio: s.users.bio })),
    )
    expectTypeOf<R<typeof q>>().toEqualTypeOf<{ readonly id: number; readonly title: string; readonly bio: string | null }>()
  })

  it('outer joins make the far side nullable', () => {
    const left = pipe(Q.from(users), Q.leftJoin(posts, (s) => Q.eq(s.posts.author_id, s.users.id)), Q.select((s) => ({ n: s.users.name, t: s.posts.title })))
    expectTypeOf<R<typeof left>>().toEqualTypeOf<{ readonly n: string; readonly t: string | null }>()
    const right = pipe(Q.from(users), Q.rightJoin(posts, (s) => Q.eq(s.posts.author_id, s.users.id)), Q.select((s) => ({ n: s.users.name, t: s.posts.title })))
    expectTypeOf<R<typeof right>>().toEqualTypeOf<{ readonly n: string | null; readonly t: string }>()
    const full = pipe(Q.from(users), Q.fullJoin(posts, (s) => Q.eq(s.posts.author_id, s.users.id)), Q.select((s) => ({ n: s.users.name, t: s.posts.title })))
    expectTypeOf<R<typeof full>>().toEqualTypeOf<{ readonly n: string | null; readonly t: string | null }>()
    const rightNoSelect = pipe(Q.from(posts), Q.rightJoin(users, (s) => Q.eq(s.posts.author_id, s.users.id)))
    expectTypeOf<R<typeof rightNoSelect>['title']>().toEqualTypeOf<string | null>()
  })

  it('self-joins through aliases have their own scope entry', () => {
    const boss = Q.alias('boss')(employees)
    const q = pipe(Q.from(employees), Q.leftJoin(boss, (s) => Q.eq(s.boss.id, s.employees.manager_id)), Q.select((s) => ({ e: s.employees.name, b: s.boss.name })))
    expectTypeOf<R<typeof q>>().toEqualTypeOf<{ readonly e: string; readonly b: string | null }>()
  })

  it('a comparison with a nullable side may be NULL', () => {
    expectTypeOf(Q.eq(users.c.id, 1)).toEqualTypeOf<Q.Expr<boolean>>()
    expectTypeOf(Q.eq(users.c.bio, 'x')).toEqualTypeOf<Q.Expr<boolean | null>>()
    expectTypeOf(Q.isNull(users.c.bio)).toEqualTypeOf<Q.Expr<boolean>>()
    // @ts-expect-error a number column compared with a string
    Q.eq(users.c.id, 'x')
  })
})

describe('expressions', () => {
  it('aggregates', () => {
    const q = pipe(
      Q.from(posts),
      Q.select((s) => ({ n: Q.count(), total: Q.sum(s.posts.score), hi: Q.max(s.posts.title), mean: Q.avg(s.posts.score) })),
    )
    expectTypeOf<R<typeof q>>().toEqualTypeOf<{ readonly n: number; readonly total: number | null; readonly hi: string | null; readonly mean: number | null }>()
  })

  it('functions, case, coalesce, cast, windows', () => {
    expectTypeOf(Q.coalesce(users.c.bio, 'none')).toEqualTypeOf<Q.Expr<string>>()
    expectTypeOf(Q.coalesce(users.c.bio, users.c.bio)).toEqualTypeOf<Q.Expr<string | null>>()
    expectTypeOf(Q.length(users.c.bio)).toEqualTypeOf<Q.Expr<number | null>>()
    expectTypeOf(Q.concat(users.c.name, '!')).toEqualTypeOf<Q.Expr<string>>()
    expectTypeOf(Q.concat(users.c.name, users.c.bio)).toEqualTypeOf<Q.Expr<string | null>>()
    expectTypeOf(Q.caseWhen([[Q.gt(users.c.id, 1), 'a']], 'b')).toEqualTypeOf<Q.Expr<string>>()
    expectTypeOf(Q.caseWhen([[Q.gt(users.c.id, 1), 1]])).toEqualTypeOf<Q.Expr<number | null>>()
    expectTypeOf(Q.cast(users.c.id, { kind: 'text' })).toEqualTypeOf<Q.Expr<string>>()
    expectTypeOf(pipe(Q.rowNumber(), Q.over({ orderBy: [users.c.id] }))).toEqualTypeOf<Q.Expr<number>>()
    expectTypeOf(pipe(Q.lag(users.c.name), Q.over({}))).toEqualTypeOf<Q.Expr<string | null>>()
    expectTypeOf(Q.fn<Date>('now')).toEqualTypeOf<Q.Expr<Date>>()
    expectTypeOf(Q.extract('year', posts.c.published_at)).toEqualTypeOf<Q.Expr<number | null>>()
  })

  it('scalar subqueries may be NULL', () => {
    const best = pipe(Q.from(posts), Q.select((s) => ({ m: Q.max(s.posts.score) })))
    expectTypeOf(Q.scalar(best)).toEqualTypeOf<Q.Expr<number | null>>()
  })
})

describe('relations', () => {
  it('set operations widen nullability', () => {
    const a = pipe(Q.from(users), Q.select((s) => ({ x: s.users.name })))
    const b = pipe(Q.from(users), Q.select((s) => ({ x: s.users.bio })))
    const u = pipe(a, Q.unionAll(b))
    expectTypeOf<R<typeof u>>().toEqualTypeOf<{ readonly x: string | null }>()
  })

  it('a set operation takes orderBy / limit / offset; its keys are its result columns, typed', () => {
    const a = pipe(Q.from(users), Q.select((s) => ({ x: s.users.name, n: s.users.id })))
    const b = pipe(Q.from(users), Q.select((s) => ({ x: s.users.bio, n: s.users.id })))
    const u = pipe(
      a,
      Q.union(b),
      Q.orderBy((r) => {
        expectTypeOf(r.x).toEqualTypeOf<Q.Expr<string | null>>()
        expectTypeOf(r.n).toEqualTypeOf<Q.Expr<number>>()
        return [Q.desc(r.n)]
      }),
      Q.limit(5),
      Q.offset(1),
    )
    expectTypeOf<R<typeof u>>().toEqualTypeOf<{ readonly x: string | null; readonly n: number }>()
    expectTypeOf(u).toMatchTypeOf<Q.SetQuery<{ readonly x: string | null; readonly n: number }>>()
    // A select stays a select through orderBy / limit: where and select still apply after them.
    const s = pipe(Q.from(users), Q.orderBy((s) => [s.users.id]), Q.limit(1), Q.where((s) => Q.eq(s.users.id, 1)), Q.select((s) => ({ id: s.users.id })))
    expectTypeOf<R<typeof s>>().toEqualTypeOf<{ readonly id: number }>()
    // @ts-expect-error a set operation's scope is its result columns, not the sources of its members
    pipe(a, Q.union(b), Q.orderBy((r) => [r.users.id]))
  })

  it('row-value IN takes rows of operands typed by its expressions', () => {
    const p = Q.isInTuple([users.c.id, users.c.bio], [[1, 'x']])
    expectTypeOf(p).toEqualTypeOf<Q.Expr<boolean | null>>()
    expectTypeOf(Q.isInTuple([users.c.id, users.c.name], [[1, 'a']])).toEqualTypeOf<Q.Expr<boolean>>()
    // @ts-expect-error the second value must be a string like users.name
    Q.isInTuple([users.c.id, users.c.name], [[1, 2]])
  })

  it('derived tables, CTEs, values and text queries carry their rows', () => {
    const d = pipe(Q.from(users), Q.select((s) => ({ id: s.users.id, bio: s.users.bio })), Q.as('d'))
    const q = pipe(Q.from(d), Q.select((s) => ({ id: s.d.id, bio: s.d.bio })))
    expectTypeOf<R<typeof q>>().toEqualTypeOf<{ readonly id: number; readonly bio: string | null }>()
    const c = pipe(Q.from(users), Q.select((s) => ({ n: s.users.name })), Q.cte('c'))
    expectTypeOf(c.c.n).toEqualTypeOf<Q.Expr<string>>()
    const v = Q.values({ id: Q.integer().notNull(), label: Q.text() }, [{ id: 1, label: null }])
    expectTypeOf<R<typeof v>>().toEqualTypeOf<{ readonly id: number; readonly label: string | null }>()
    const t = Q.textQuery(Q.rawSql('select 1 as one'), { one: Q.integer().notNull() })
    expectTypeOf<R<typeof t>>().toEqualTypeOf<{ readonly one: number }>()
  })

  it('recursive CTEs take the row of their base query', () => {
    const base = pipe(Q.from(employees), Q.select((s) => ({ id: s.employees.id, depth: Q.val(0) })))
    const chain = Q.recursiveCte('chain', base, (self) =>
      pipe(Q.from(employees), Q.join(self, (s) => Q.eq(s.employees.manager_id, s.chain.id)), Q.select((s) => ({ id: s.employees.id, depth: Q.add(s.chain.depth, 1) }))),
    )
    expectTypeOf(chain.c.depth).toEqualTypeOf<Q.Expr<number>>()
  })
})

describe('statements', () => {
  it('insert checks required columns and value types', () => {
    Q.insert(users, { name: 'a', email: 'b' })
    // @ts-expect-error email is required
    Q.insert(users, { name: 'a' })
    // @ts-expect-error name is text
    Q.insert(users, { name: 1, email: 'b' })
  })

  it('returning gives the returned row', () => {
    const q = pipe(Q.insert(users, { name: 'a', email: 'b' }), Q.returning((s) => ({ id: s.users.id, bio: s.users.bio })))
    expectTypeOf<Q.ReturningOf<typeof q>>().toEqualTypeOf<{ readonly id: number; readonly bio: string | null }>()
    const d = pipe(Q.deleteFrom(posts, (s) => Q.eq(s.posts.id, 1)), Q.returning((s) => ({ t: s.posts.title })))
    expectTypeOf<Q.ReturningOf<typeof d>>().toEqualTypeOf<{ readonly t: string }>()
  })

  it('update sets only known columns with their types', () => {
    Q.update(posts, { set: () => ({ title: 'x' }) })
    // @ts-expect-error score is a number
    Q.update(posts, { set: () => ({ score: 'x' }) })
  })
})
