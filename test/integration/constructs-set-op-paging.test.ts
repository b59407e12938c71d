/**
 * ORDER BY / LIMIT / OFFSET directly on union / intersect / except, on the
 * three real engines, with the rows the in-memory evaluator gives for the
 * same query: result-column keys, NULLS LAST, expression keys, OFFSET
 * alone, ordered members of another set operation, a limited IN subquery.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { type Norm } from '../support/normalise.js'
import { engines } from '../support/quarry-engines.js'
import { staff, staffSuite } from '../support/staff.js'

process.env.TZ = 'UTC'

// Salaries: ada 300, bob 200, cy 150, di 150, eve 100. Bonus: ada 50, bob NULL, cy 10, di NULL, eve 5.
const pay = (p: (s: { readonly staff: typeof staff.c }) => Q.Predicate) =>
  pipe(Q.from(staff), Q.where(p), Q.select((s) => ({ name: s.staff.name, salary: s.staff.salary, bonus: s.staff.bonus })))
const engineers = pay((s) => Q.eq(s.staff.dept_id, 1))
const modest = pay((s) => Q.lte(s.staff.salary, 150))
const norms: Readonly<Record<string, Norm>> = { salary: 'int', bonus: 'int' }

describe.each(engines)('ORDER BY / LIMIT / OFFSET on set operations on $name', (engine) => {
  const { agreed } = staffSuite(engine)

  /** The names in the engine's order; the evaluator must give the same rows in the same order. */
  const names = async (q: Q.QueryNode, n: Readonly<Record<string, Norm>> = norms): Promise<unknown[]> => {
    return (await agreed(q, n)).map((r) => r['name'])
  }

  it('UNION ordered by result columns, with LIMIT and OFFSET', async () => {
    const all = pipe(engineers, Q.union(modest), Q.orderBy((r) => [Q.desc(r.salary), r.name]))
    expect(await names(all)).toEqual(['ada', 'bob', 'cy', 'di', 'eve'])
    expect(await names(pipe(all, Q.limit(3)))).toEqual(['ada', 'bob', 'cy'])
    expect(await names(pipe(all, Q.limit(2), Q.offset(1)))).toEqual(['bob', 'cy'])
    expect(await names(pipe(all, Q.offset(3)))).toEqual(['di', 'eve'])
  })

  it('NULLS LAST on a nullable result column (MariaDB orders a derived table by an IS NULL key)', async () => {
    const q = pipe(engineers, Q.unionAll(modest), Q.orderBy((r) => [Q.desc(r.bonus, 'nulls last'), r.name]))
    expect(await names(q)).toEqual(['ada', 'cy', 'eve', 'bob', 'di'])
  })

  it('a key that is an expression of result columns', async () => {
    // salary % 7: ada 6, bob 4, cy 3, di 3, eve 2.
    const q = pipe(engineers, Q.union(modest), Q.orderBy((r) => [Q.mod(r.salary, 7), Q.desc(r.name)]), Q.limit(4))
    expect(await names(q)).toEqual(['eve', 'di', 'cy', 'bob'])
  })

  it('INTERSECT and EXCEPT take them too', async () => {
    const everyone = pay(() => Q.and())
    expect(await names(pipe(everyone, Q.intersect(modest), Q.orderBy((r) => [Q.desc(r.name)]), Q.limit(2)))).toEqual(['eve', 'di'])
    expect(await names(pipe(everyone, Q.except(modest), Q.orderBy((r) => [r.salary]), Q.offset(1)))).toEqual(['ada'])
  })

  it('an ordered, limited set operation as a member of another keeps its own order and limit', async () => {
    const topTwo = pipe(engineers, Q.union(modest), Q.orderBy((r) => [Q.desc(r.salary), r.name]), Q.limit(2))
    const bottom = pipe(modest, Q.union(engineers), Q.orderBy((r) => [r.salary, r.name]), Q.limit(1))
    const q = pipe(topTwo, Q.unionAll(bottom), Q.orderBy((r) => [r.name]))
    expect(await names(q)).toEqual(['ada', 'bob', 'eve'])
    expect(await names(pipe(bottom, Q.unionAll(topTwo), Q.orderBy((r) => [Q.desc(r.name)])))).toEqual(['eve', 'bob', 'ada'])
  })

  it('an ordered, limited set operation as an IN subquery', async () => {
    const ids = pipe(
      Q.from(staff),
      Q.where((s) => Q.eq(s.staff.dept_id, 2)),
      Q.select((s) => ({ id: s.staff.id })),
      Q.union(pipe(Q.from(staff), Q.where((s) => Q.isNull(s.staff.dept_id)), Q.select((s) => ({ id: s.staff.id })))),
      Q.orderBy((r) => [Q.desc(r.id)]),
      Q.limit(2),
    )
    const q = pipe(Q.from(staff), Q.where((s) => Q.isIn(s.staff.id, ids)), Q.select((s) => ({ name: s.staff.name })), Q.orderBy((s) => [s.staff.id]))
    expect(await names(q, {})).toEqual(['di', 'eve'])
  })
})
