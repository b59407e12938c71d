/**
 * Constants where SQL reads them wrongly, on the three real engines and in
 * the in-memory evaluator (the reference): the gaps the laws found (Q1, Q3,
 * Q4, Q5 in docs/gaps/issue4-interpreter-and-engines.md), each with the
 * rows it must give.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { normalise } from '../support/normalise.js'
import { engines } from '../support/quarry-engines.js'
import { staff, staffSuite } from '../support/staff.js'

process.env.TZ = 'UTC'

describe.each(engines)('constants in SQL on $name', (engine) => {
  const { db, both } = staffSuite(engine)

  /** The engine's rows and the evaluator's, normalised; the test asserts they are `expected`. */

  it('Q3: an integer parameter in ABS keeps integer division (PostgreSQL took abs($1) as abs(double precision))', async () => {
    // bob: (200 + 2) / ABS(-3) = 67 in integer division; 67.33 if the parameter is taken as a double ('int' refuses that).
    const q = pipe(
      Q.from(staff),
      Q.where((s) => Q.eq(s.staff.id, 2)),
      Q.select((s) => ({ q: Q.div(Q.add(s.staff.salary, 2), Q.abs(Q.val(-3, { kind: 'integer' }))) })),
    )
    const r = await both(q, { q: 'int' })
    expect(r.engine).toEqual([{ q: 67 }])
    expect(r.memory).toEqual(r.engine)
  })

  it('Q3: arguments of fn() carry their type too', async () => {
    // fn's result type is unknown to quarry, so MySQL divides with `/` (decimal); on PostgreSQL abs($1) of an
    // untyped parameter was abs(double precision) and gave 3.5 as well. (fn is not evaluated in memory.)
    const q = pipe(Q.from(staff), Q.where((s) => Q.eq(s.staff.id, 2)), Q.select(() => ({ half: Q.div(Q.fn<number>('abs', Q.val(-7, { kind: 'integer' })), 2) })))
    const expected = { postgresql: 3, sqlite: 3, mariadb: 3.5 }[engine.name]
    expect(normalise(await db().rows(q), { half: 'float4' })).toEqual([{ half: expected }])
  })

  it('ROUND of a float to a number of digits (PostgreSQL has only round(numeric, integer))', async () => {
    const dbl = { kind: 'double' } as const
    const q = pipe(
      Q.from(staff),
      Q.where((s) => Q.eq(s.staff.id, 2)),
      Q.select((s) => ({ col: Q.round(Q.div(Q.cast(s.staff.salary, dbl), 7), 1), param: Q.round(Q.val(2.567), 2) })),
    )
    const r = await both(q, { col: 'float4', param: 'float4' })
    expect(r.engine).toEqual([{ col: 28.6, param: 2.57 }])
    expect(r.memory).toEqual(r.engine)
    // AVG is a double: 900 / 5 / 7 = 25.71.
    const avg = await both(pipe(Q.from(staff), Q.select((s) => ({ avg: Q.round(Q.div(Q.avg(s.staff.salary), 7)) }))), { avg: 'float4' })
    expect(avg.engine).toEqual([{ avg: 26 }])
    expect(avg.memory).toEqual(avg.engine)
  })

  it('Q5: an empty IN of an aggregate keeps the query an aggregate query (one row, not one per staff member)', async () => {
    const q = pipe(Q.from(staff), Q.select(() => ({ none: Q.isIn(Q.count(), []), all: Q.notIn(Q.count(), []), n: Q.count() })))
    const r = await both(q, { none: 'bool', all: 'bool', n: 'int' })
    expect(r.engine).toEqual([{ none: false, all: true, n: 5 }])
    expect(r.memory).toEqual(r.engine)
  })

  it('Q5: an empty IN of an aggregate in HAVING still filters groups (SQLite called it a non-aggregate query)', async () => {
    const q = pipe(
      Q.from(staff),
      Q.having(() => Q.notIn(Q.sum(staff.c.salary), [])),
      Q.select(() => ({ total: Q.sum(staff.c.salary) })),
    )
    const r = await both(q, { total: 'int' })
    expect(r.engine).toEqual([{ total: 900 }])
    expect(r.memory).toEqual(r.engine)
  })

  it('Q5: NULL IN () is FALSE and NULL NOT IN () is TRUE, not NULL', async () => {
    const q = pipe(
      Q.from(staff),
      Q.where((s) => Q.isNull(s.staff.bonus)),
      Q.select((s) => ({ id: s.staff.id, inNone: Q.isIn(s.staff.bonus, []), notInNone: Q.notIn(s.staff.bonus, []) })),
      Q.orderBy((s) => [s.staff.id]),
    )
    const r = await both(q, { id: 'int', inNone: 'bool', notInNone: 'bool' })
    expect(r.engine).toEqual([
      { id: 2, inNone: false, notInNone: true },
      { id: 4, inNone: false, notInNone: true },
    ])
    expect(r.memory).toEqual(r.engine)
  })

  it('Q4: constant ORDER BY keys are dropped, never read as a column ordinal', async () => {
    const q = pipe(
      Q.from(staff),
      Q.select((s) => ({ name: s.staff.name, id: s.staff.id })),
      Q.orderBy((s) => [Q.isIn(s.staff.id, []), Q.desc(Q.and()), Q.or(Q.gt(s.staff.id, 0), Q.and()), Q.and(Q.lt(s.staff.id, 9), Q.or()), Q.desc(s.staff.id)]),
    )
    const r = await both(q, { id: 'int' })
    expect(r.engine.map((x) => x['name'])).toEqual(['eve', 'di', 'cy', 'bob', 'ada'])
    expect(r.memory).toEqual(r.engine)
  })

  it('Q4: a constant ORDER BY key that holds an aggregate keeps the query an aggregate query', async () => {
    const q = pipe(Q.from(staff), Q.select(() => ({ one: Q.val(1) })), Q.orderBy(() => [Q.and(Q.gt(Q.count(), 0), Q.or())]))
    if (engine.name === 'sqlite') {
      // SQLite allows an aggregate in ORDER BY only in an aggregate query: the key behaves as ORDER BY COUNT(*) itself does.
      const plain = pipe(Q.from(staff), Q.select(() => ({ one: Q.val(1) })), Q.orderBy(() => [Q.count()]))
      await expect(db().rows(plain)).rejects.toThrow(/misuse of aggregate/)
      await expect(db().rows(q)).rejects.toThrow(/misuse of aggregate/)
      return
    }
    const r = await both(q, { one: 'int' })
    expect(r.engine).toEqual([{ one: 1 }])
    expect(r.memory).toEqual(r.engine)
  })

  it('Q1: SELECT DISTINCT of a grouped query with a constant, aggregate-holding ORDER BY key runs and keeps its groups', async () => {
    const q = pipe(
      Q.from(staff),
      Q.groupBy((s) => [s.staff.dept_id]),
      Q.select(() => ({ n: Q.count() })),
      Q.distinct,
      Q.orderBy(() => [Q.and(Q.gt(Q.count(), 0), Q.or())]),
    )
    const r = await both(q, { n: 'int' })
    expect(r.engine.map((x) => x['n']).sort()).toEqual([1, 2])
    expect([...r.memory].sort((a, b) => Number(a['n']) - Number(b['n']))).toEqual([...r.engine].sort((a, b) => Number(a['n']) - Number(b['n'])))
  })

  it('GROUP BY a constant: dropped beside another key; alone it still makes one group, and none without rows', async () => {
    const beside = pipe(
      Q.from(staff),
      Q.groupBy((s) => [Q.and(), s.staff.dept_id, Q.isIn(s.staff.id, [])]),
      Q.select((s) => ({ dept: s.staff.dept_id, n: Q.count() })),
      Q.orderBy((s) => [Q.asc(s.staff.dept_id, 'nulls first')]),
    )
    const r = await both(beside, { dept: 'int', n: 'int' })
    expect(r.engine).toEqual([{ dept: null, n: 1 }, { dept: 1, n: 2 }, { dept: 2, n: 2 }])
    expect(r.memory).toEqual(r.engine)
    const alone = (p: Q.Predicate) => pipe(Q.from(staff), Q.where(() => p), Q.groupBy(() => [Q.or()]), Q.select(() => ({ n: Q.count() })))
    const some = await both(alone(Q.and()), { n: 'int' })
    expect(some.engine).toEqual([{ n: 5 }])
    expect(some.memory).toEqual(some.engine)
    const none = await both(alone(Q.or()), { n: 'int' })
    expect(none.engine).toEqual([])
    expect(none.memory).toEqual(none.engine)
  })

  it('Q1: SELECT DISTINCT ordered by an expression with parameters equal to a selected field', async () => {
    const q = pipe(
      Q.from(staff),
      Q.select((s) => ({ band: Q.div(s.staff.salary, 100) })),
      Q.distinct,
      Q.orderBy((s) => [Q.desc(Q.div(s.staff.salary, 100))]),
    )
    const r = await both(q, { band: 'int' })
    expect(r.engine).toEqual([{ band: 3 }, { band: 2 }, { band: 1 }])
    expect(r.memory).toEqual(r.engine)
  })

  it('Q1: the same with a correlated subquery holding a parameter, used in the select list and ORDER BY', async () => {
    const boss = Q.alias('boss')(staff)
    // The manager's salary when above 100: ada has none; bob and cy 300, di 150, eve 200.
    const bossPay = Q.scalar(
      pipe(Q.from(boss), Q.where((b) => Q.and(Q.eq(b.boss.id, staff.c.manager_id), Q.gt(b.boss.salary, 100))), Q.select((b) => ({ v: b.boss.salary }))),
    )
    const q = pipe(Q.from(staff), Q.select(() => ({ pay: bossPay })), Q.distinct, Q.orderBy(() => [Q.desc(bossPay, 'nulls last')]))
    const r = await both(q, { pay: 'int' })
    expect(r.engine).toEqual([{ pay: 300 }, { pay: 200 }, { pay: 150 }, { pay: null }])
    expect(r.memory).toEqual(r.engine)
  })
})
