/**
 * Window frames, ranking with ties, DISTINCT ON, LATERAL and a recursive
 * CTE with UNION (distinct) in memory, checked against what PostgreSQL
 * returns for the same queries.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/interpret/memory/index.js'

const s = Q.table('s', { id: Q.integer().notNull(), g: Q.text().notNull(), v: Q.integer() })
const db = E.getOrElseW((e: M.EvalError) => {
  throw new Error(e.message)
})(
  M.execute(M.postgresProfile)(
    Q.insert(s, [
      { id: 1, g: 'a', v: 10 },
      { id: 2, g: 'a', v: 20 },
      { id: 3, g: 'a', v: 20 },
      { id: 4, g: 'b', v: null },
      { id: 5, g: 'b', v: 5 },
    ]),
  )(M.databaseOf([s])),
).db

const run = (q: Q.QueryNode): readonly M.Row[] =>
  E.getOrElseW((e: M.EvalError) => {
    throw new Error(e.message)
  })(M.evaluate(M.postgresProfile)(q)(db))

describe('windows, DISTINCT ON, LATERAL, recursive UNION in memory', () => {
  it('ranks ties and slides ROWS frames', () => {
    const q = pipe(
      Q.from(s),
      Q.select((x) => ({
        id: x.s.id,
        dr: pipe(Q.denseRank(), Q.over({ partitionBy: [x.s.g], orderBy: [x.s.v] })),
        rk: pipe(Q.rank(), Q.over({ partitionBy: [x.s.g], orderBy: [x.s.v] })),
        win: pipe(Q.sum(x.s.v), Q.over({ partitionBy: [x.s.g], orderBy: [x.s.id], frame: { unit: 'rows', start: Q.preceding(1), end: Q.currentRow } })),
        last: pipe(Q.lastValue(x.s.id), Q.over({ partitionBy: [x.s.g], orderBy: [x.s.id], frame: { unit: 'rows', start: Q.unboundedPreceding, end: Q.unboundedFollowing } })),
        tile: pipe(Q.ntile(2), Q.over({ orderBy: [x.s.id] })),
      })),
      Q.orderBy((x) => [x.s.id]),
    )
    expect(run(q)).toEqual([
      { id: 1, dr: 1, rk: 1, win: 10, last: 3, tile: 1 },
      { id: 2, dr: 2, rk: 2, win: 30, last: 3, tile: 1 },
      { id: 3, dr: 2, rk: 2, win: 40, last: 3, tile: 1 },
      { id: 4, dr: 2, rk: 2, win: null, last: 5, tile: 2 },
      { id: 5, dr: 1, rk: 1, win: 5, last: 5, tile: 2 },
    ])
  })

  it('keeps the first row per key with DISTINCT ON', () => {
    const q = pipe(Q.from(s), Q.distinctOn((x) => [x.s.g]), Q.orderBy((x) => [x.s.g, Q.desc(x.s.id)]), Q.select((x) => ({ g: x.s.g, id: x.s.id })))
    expect(run(q)).toEqual([{ g: 'a', id: 3 }, { g: 'b', id: 5 }])
  })

  it('evaluates a LATERAL derived table per left row', () => {
    const t = Q.alias('t')(s)
    const top = (x: { readonly s: typeof s.c }) =>
      Q.lateral(Q.as('top')(pipe(Q.from(t), Q.where((y) => Q.eq(y.t.g, x.s.g)), Q.orderBy((y) => [Q.desc(y.t.id)]), Q.limit(1), Q.select((y) => ({ maxid: y.t.id })))))
    const q = pipe(
      Q.from(s),
      Q.where((x) => Q.isIn(x.s.id, [1, 4])),
      Q.select((x) => ({ id: x.s.id, maxid: Q.scalar(pipe(Q.from(top(x)), Q.select((y) => ({ m: y.top.maxid })))) })),
    )
    expect(run(q)).toEqual([{ id: 1, maxid: 3 }, { id: 4, maxid: 5 }])
  })

  it('stops a recursive UNION (distinct) when no new row appears', () => {
    const n = Q.recursiveCte(
      'n',
      Q.selectValues({ k: Q.val(0, { kind: 'integer' }) }),
      (self) => pipe(Q.from(self), Q.select((x) => ({ k: Q.mod(Q.add(x.n.k, 1) as Q.Expr<number>, 3) }))),
      { distinct: true },
    )
    expect(run(pipe(Q.from(n), Q.select((x) => ({ k: x.n.k })))).map((r) => r['k'])).toEqual([0, 1, 2])
  })
})
