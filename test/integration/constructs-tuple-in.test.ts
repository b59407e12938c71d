/**
 * Row-value IN (`isInTuple` / `notInTuple`) on the three real engines, with
 * the rows the in-memory evaluator gives for the same query: lists (with
 * three-valued logic over NULL pairs), the empty list, subqueries, and a
 * limited subquery (a derived table on MariaDB).
 */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { engines } from '../support/quarry-engines.js'
import { staff, staffSuite } from '../support/staff.js'

process.env.TZ = 'UTC'

type S = { readonly staff: typeof staff.c }
const mgr = Q.alias('m')(staff)

describe.each(engines)('row-value IN on $name', (engine) => {
  const { agreed: rows } = staffSuite(engine)

  /** Names of the staff where `p` holds, by id (engine and evaluator agree, checked in `rows`). */
  const who = async (p: (s: S) => Q.Predicate): Promise<unknown[]> =>
    (await rows(pipe(Q.from(staff), Q.where(p), Q.select((s) => ({ name: s.staff.name })), Q.orderBy((s) => [s.staff.id])))).map((r) => r['name'])

  it('(a, b) IN a list of rows', async () => {
    // (dept_id, manager_id): ada (1, NULL), bob (1, 1), cy (2, 1), di (2, 3), eve (NULL, 2).
    expect(await who((s) => Q.isInTuple([s.staff.dept_id, s.staff.manager_id], [[1, 1], [2, 3], [9, 9]]))).toEqual(['bob', 'di'])
    expect(await who((s) => Q.isInTuple([s.staff.name, s.staff.salary], [['cy', 150], ['cy', 151], ['eve', 100]]))).toEqual(['cy', 'eve'])
  })

  it('NOT IN with NULLs: a pair that differs decides FALSE, an unknown pair leaves NULL (the row is not kept)', async () => {
    // ada (1, NULL) vs (1, 1): unknown, so NOT IN is NULL; eve (NULL, 2): 2 <> 1 decides, so NOT IN is TRUE.
    expect(await who((s) => Q.notInTuple([s.staff.dept_id, s.staff.manager_id], [[1, 1]]))).toEqual(['cy', 'di', 'eve'])
  })

  it('the empty list: IN is FALSE and NOT IN TRUE for every row, NULLs included', async () => {
    expect(await who((s) => Q.isInTuple([s.staff.dept_id, s.staff.manager_id], []))).toEqual([])
    expect(await who((s) => Q.notInTuple([s.staff.dept_id, s.staff.manager_id], []))).toEqual(['ada', 'bob', 'cy', 'di', 'eve'])
    const agg = pipe(Q.from(staff), Q.select(() => ({ f: Q.notInTuple([Q.count(), Q.max(staff.c.salary)], []) })))
    expect(await rows(agg, { f: 'bool' })).toEqual([{ f: true }])
  })

  it('(a, b) IN a subquery of the same width', async () => {
    const pairs = pipe(Q.from(mgr), Q.where((s) => Q.isNotNull(s.m.manager_id)), Q.select((s) => ({ d: s.m.dept_id, m: s.m.manager_id })))
    // (dept_id, id) of ada (1, 1) and cy (2, 3) are (dept_id, manager_id) pairs of bob and di.
    expect(await who((s) => Q.isInTuple([s.staff.dept_id, s.staff.id], pairs))).toEqual(['ada', 'cy'])
    // NOT IN: bob (1, 2) meets eve's (NULL, 2), an unknown pair, so it is NULL; eve (NULL, 5) differs from every pair in its id.
    expect(await who((s) => Q.notInTuple([s.staff.dept_id, s.staff.id], pairs))).toEqual(['di', 'eve'])
  })

  it('(a, b) IN an ordered, limited subquery', async () => {
    const firstTwo = pipe(Q.from(mgr), Q.where((s) => Q.isNotNull(s.m.manager_id)), Q.select((s) => ({ d: s.m.dept_id, m: s.m.manager_id })), Q.orderBy((s) => [s.m.id]), Q.limit(2))
    // bob (1, 1) and cy (2, 1): only ada's (dept_id, id) = (1, 1) matches.
    expect(await who((s) => Q.isInTuple([s.staff.dept_id, s.staff.id], firstTwo))).toEqual(['ada'])
  })
})
