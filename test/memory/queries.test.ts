/**
 * The in-memory evaluator on hand-checked cases: three-valued logic, NULL in
 * aggregates and IN, outer joins, grouping, set operations with and without
 * ALL, correlated subqueries, recursive CTEs, windows, NULL ordering by
 * profile, limit/offset. Expected rows are what PostgreSQL gives (and the
 * differential law checks the evaluator against the engines at random).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/interpret/memory/index.js'

const emp = Q.table('emp', { id: Q.integer().notNull(), dept: Q.text(), boss: Q.integer(), pay: Q.integer() })
const dept = Q.table('dept', { name: Q.text().notNull(), floor: Q.integer() })

const seed = (): M.Database => {
  const db0 = M.databaseOf([emp, dept])
  const steps: Q.StatementNode[] = [
    Q.insert(emp, [
      { id: 1, dept: 'eng', boss: null, pay: 300 },
      { id: 2, dept: 'eng', boss: 1, pay: 200 },
      { id: 3, dept: 'ops', boss: 1, pay: null },
      { id: 4, dept: null, boss: 2, pay: 100 },
      { id: 5, dept: 'eng', boss: 2, pay: 200 },
    ]),
    Q.insert(dept, [{ name: 'eng', floor: 1 }, { name: 'ops', floor: null }, { name: 'hr', floor: 3 }]),
  ]
  return steps.reduce((db, s) => E.getOrElseW((e: M.EvalError) => { throw new Error(e.message) })(M.execute(M.postgresProfile)(s)(db)).db, db0)
}

const db = seed()
const run = (q: Q.QueryNode, p: M.Profile = M.postgresProfile): readonly M.Row[] =>
  E.getOrElseW((e: M.EvalError) => { throw new Error(`${e._tag}: ${e.message}`) })(M.evaluate(p)(q)(db))
const ids = (q: Q.QueryNode, p?: M.Profile) => run(q, p).map((r) => r['id'])
const sorted = <T>(xs: readonly T[]) => [...xs].sort()

describe('in-memory evaluator', () => {
  it('keeps only rows where the predicate is TRUE (NULL is not)', () => {
    expect(sorted(ids(pipe(Q.from(emp), Q.where((s) => Q.gt(s.emp.pay, 150)))))).toEqual([1, 2, 5])
    expect(sorted(ids(pipe(Q.from(emp), Q.where((s) => Q.not(Q.gt(s.emp.pay, 150))))))).toEqual([4])
    expect(sorted(ids(pipe(Q.from(emp), Q.where((s) => Q.or(Q.gt(s.emp.pay, 150), Q.isNull(s.emp.pay))))))).toEqual([1, 2, 3, 5])
  })

  it('NOT IN with a NULL in the list is never TRUE; IN of nothing is FALSE', () => {
    expect(ids(pipe(Q.from(emp), Q.where((s) => Q.notIn(s.emp.boss, [Q.val<number | null>(null, { kind: 'integer' }), 7]))))).toEqual([])
    expect(ids(pipe(Q.from(emp), Q.where((s) => Q.isIn(s.emp.id, []))))).toEqual([])
    const bosses = pipe(Q.from(emp), Q.select((s) => ({ b: s.emp.boss })))
    expect(ids(pipe(Q.from(emp), Q.where((s) => Q.notIn(s.emp.id, bosses))))).toEqual([])
  })

  it('aggregates skip NULLs; count(*) counts rows; an empty input gives one row', () => {
    const q = pipe(Q.from(emp), Q.select((s) => ({ n: Q.count(), np: Q.count(s.emp.pay), s: Q.sum(s.emp.pay), d: Q.countDistinct(s.emp.pay) })))
    expect(run(q)).toEqual([{ n: 5, np: 4, s: 800, d: 3 }])
    const none = pipe(Q.from(emp), Q.where((s) => Q.gt(s.emp.id, 99)), Q.select((x) => ({ n: Q.count(), s: Q.sum(x.emp.pay) })))
    expect(run(none)).toEqual([{ n: 0, s: null }])
  })

  it('groups NULLs together and filters groups with HAVING', () => {
    const q = pipe(Q.from(emp), Q.groupBy((s) => [s.emp.dept]), Q.having(() => Q.gt(Q.count(), 0)), Q.select((s) => ({ dept: s.emp.dept, n: Q.count() })), Q.orderBy((s) => [s.emp.dept]))
    expect(run(q)).toEqual([{ dept: 'eng', n: 3 }, { dept: 'ops', n: 1 }, { dept: null, n: 1 }])
    expect(run(q, M.sqliteProfile)[0]).toEqual({ dept: null, n: 1 })
  })

  it('outer joins pad the missing side with NULLs', () => {
    const q = pipe(Q.from(emp), Q.fullJoin(dept, (s) => Q.eq(s.emp.dept, s.dept.name)), Q.select((s) => ({ id: s.emp.id, d: s.dept.name })))
    expect(run(q).length).toBe(6)
    expect(run(q).filter((r) => r['id'] === null)).toEqual([{ id: null, d: 'hr' }])
    expect(run(q).filter((r) => r['d'] === null)).toEqual([{ id: 4, d: null }])
  })

  it('set operations with and without ALL are bag operations', () => {
    const pays = pipe(Q.from(emp), Q.select((s) => ({ p: s.emp.pay })))
    const two = Q.values({ p: Q.integer() }, [{ p: 200 }, { p: null }])
    const ps = (q: Q.QueryNode) => run(q).map((r) => r['p'])
    expect(sorted(ps(pipe(pays, Q.unionAll(two))))).toEqual(sorted([300, 200, null, 100, 200, 200, null]))
    expect(sorted(ps(pipe(pays, Q.union(two))))).toEqual(sorted([300, 200, null, 100]))
    expect(sorted(ps(pipe(pays, Q.intersectAll(two))))).toEqual(sorted([200, null]))
    expect(sorted(ps(pipe(pays, Q.exceptAll(two))))).toEqual(sorted([300, 100, 200]))
    expect(sorted(ps(pipe(pays, Q.except(two))))).toEqual(sorted([300, 100]))
  })

  it('evaluates correlated subqueries per outer row', () => {
    const e2 = Q.alias('e2')(emp)
    const q = pipe(
      Q.from(emp),
      Q.where((s) => Q.exists(pipe(Q.from(e2), Q.where((t) => Q.eq(t.e2.boss, s.emp.id))))),
      Q.select((s) => ({ id: s.emp.id, reports: Q.scalar(pipe(Q.from(e2), Q.where((t) => Q.eq(t.e2.boss, s.emp.id)), Q.select(() => ({ n: Q.count() })))) })),
      Q.orderBy((s) => [s.emp.id]),
    )
    expect(run(q)).toEqual([{ id: 1, reports: 2 }, { id: 2, reports: 2 }])
  })

  it('iterates a recursive CTE to its fixpoint', () => {
    const chain = Q.recursiveCte(
      'chain',
      pipe(Q.from(emp), Q.where((s) => Q.eq(s.emp.id, 4)), Q.select((s) => ({ id: s.emp.id, boss: s.emp.boss }))),
      (self) => pipe(Q.from(emp), Q.join(self, (s) => Q.eq(s.emp.id, s.chain.boss)), Q.select((s) => ({ id: s.emp.id, boss: s.emp.boss }))),
    )
    expect(ids(pipe(Q.from(chain), Q.select((s) => ({ id: s.chain.id }))))).toEqual([4, 2, 1])
  })

  it('computes window functions over partitions and frames', () => {
    const q = pipe(
      Q.from(emp),
      Q.where((s) => Q.eq(s.emp.dept, 'eng')),
      Q.select((s) => ({
        id: s.emp.id,
        rn: pipe(Q.rowNumber(), Q.over({ orderBy: [Q.desc(s.emp.pay), s.emp.id] })),
        rk: pipe(Q.rank(), Q.over({ orderBy: [Q.desc(s.emp.pay)] })),
        run: pipe(Q.sum(s.emp.pay), Q.over({ orderBy: [Q.desc(s.emp.pay)] })),
        prev: pipe(Q.lag(s.emp.id), Q.over({ orderBy: [s.emp.id] })),
      })),
      Q.orderBy((s) => [s.emp.id]),
    )
    expect(run(q)).toEqual([
      { id: 1, rn: 1, rk: 1, run: 300, prev: null },
      { id: 2, rn: 2, rk: 2, run: 700, prev: 1 },
      { id: 5, rn: 3, rk: 2, run: 700, prev: 2 },
    ])
  })

  it('puts NULLs last ascending on PostgreSQL and first on MySQL and SQLite', () => {
    const q = pipe(Q.from(emp), Q.orderBy((s) => [s.emp.pay, s.emp.id]), Q.select((s) => ({ id: s.emp.id })))
    expect(ids(q, M.postgresProfile)).toEqual([4, 2, 5, 1, 3])
    expect(ids(q, M.mariadbProfile)).toEqual([3, 4, 2, 5, 1])
    expect(ids(pipe(Q.from(emp), Q.orderBy((s) => [Q.asc(s.emp.pay, 'nulls first'), s.emp.id]), Q.select((s) => ({ id: s.emp.id }))))).toEqual([3, 4, 2, 5, 1])
  })

  it('applies offset and limit after ordering', () => {
    expect(ids(pipe(Q.from(emp), Q.orderBy((s) => [s.emp.id]), Q.offset(1), Q.limit(2), Q.select((s) => ({ id: s.emp.id }))))).toEqual([2, 3])
  })

  it('divides integers as each engine does', () => {
    const q = pipe(Q.from(emp), Q.where((s) => Q.eq(s.emp.id, 2)), Q.select((s) => ({ a: Q.div(s.emp.pay, s.emp.boss), b: Q.div(s.emp.id, s.emp.pay) })))
    expect(run(q, M.postgresProfile)).toEqual([{ a: 200, b: 0 }])
    expect(run(q, M.mariadbProfile)).toEqual([{ a: 200, b: 0 }])
    const byZero = pipe(Q.from(emp), Q.select((s) => ({ x: Q.div(s.emp.id, Q.sub(s.emp.id, s.emp.id)) })))
    expect(E.isLeft(M.evaluate(M.postgresProfile)(byZero)(db))).toBe(true)
    expect(run(byZero, M.sqliteProfile)[0]).toEqual({ x: null })
  })

  it('says what it cannot evaluate instead of guessing', () => {
    const r = M.evaluate(M.postgresProfile)(Q.textQuery(Q.rawSql('select 1 as one'), { one: Q.integer() }))(db)
    expect(r).toEqual(E.left({ _tag: 'NotEvaluable', feature: 'hand-written SQL text (textQuery)', message: 'hand-written SQL text (textQuery) cannot be evaluated in memory (profile postgres)' }))
    // SQL text inside an expression, and a function the evaluator does not know, are refused the same way on every profile.
    const text = pipe(Q.from(emp), Q.select((s) => ({ x: s.emp.id, y: Q.rawSql<number>('1 + 1') })))
    const unknown = pipe(Q.from(emp), Q.select((s) => ({ x: Q.fn<string>('soundex', s.emp.id) })))
    for (const p of [M.postgresProfile, M.mariadbProfile, M.sqliteProfile]) {
      expect(M.evaluate(p)(text)(db)).toMatchObject(E.left({ _tag: 'NotEvaluable', feature: 'hand-written SQL text (rawSql)' }))
      expect(M.evaluate(p)(unknown)(db)).toMatchObject(E.left({ _tag: 'NotEvaluable', feature: 'function soundex' }))
    }
    // The functions it does know are evaluated, not refused.
    expect(run(pipe(Q.from(emp), Q.where((s) => Q.eq(s.emp.id, 2)), Q.select(() => ({ r: Q.fn<string>('reverse', 'abc') }))), M.postgresProfile)).toEqual([{ r: 'cba' }])
  })
})
