/**
 * Aggregates. `filter` restricts the rows an aggregate sees: `FILTER (WHERE
 * ...)` on PostgreSQL and SQLite, an equivalent `CASE` inside the aggregate
 * on MySQL (same result: the aggregate ignores the NULLs the CASE yields).
 */
import { mk, type AggFn, type Expr, type ExprNode } from './expr-node.js'
import type { Predicate } from './operators.js'

const agg = (fn: AggFn, arg: ExprNode | undefined, distinct: boolean): ExprNode =>
  mk({ _tag: 'Agg', fn, arg, distinct, filter: undefined })

/** `COUNT(*)` or `COUNT(x)` (rows where x is not NULL). */
export const count = (x?: Expr<unknown>): Expr<number> => agg('count', x, false)
/** `COUNT(DISTINCT x)`. */
export const countDistinct = (x: Expr<unknown>): Expr<number> => agg('count', x, true)
/** `SUM(x)`; NULL over no rows. */
export const sum = <T extends number | bigint | string | null>(x: Expr<T>): Expr<T | null> => agg('sum', x, false)
/** `AVG(x)`; NULL over no rows. */
export const avg = <T extends number | bigint | string | null>(x: Expr<T>): Expr<number | null> => agg('avg', x, false)
/** `MIN(x)`; NULL over no rows. */
export const min = <T>(x: Expr<T>): Expr<T | null> => agg('min', x, false)
/** `MAX(x)`; NULL over no rows. */
export const max = <T>(x: Expr<T>): Expr<T | null> => agg('max', x, false)

/**
 * Restrict an aggregate to the rows where `p` holds.
 *
 * @example
 * pipe(count(), filter(eq(t.c.status, 'paid')))
 */
export const filter =
  (p: Predicate) =>
  <T>(a: Expr<T>): Expr<T> => {
    if (a._tag !== 'Agg') throw new TypeError('filter applies to an aggregate (count, sum, avg, min, max)')
    return mk({ ...a, filter: a.filter === undefined ? p : mk({ _tag: 'Logical', op: 'and', args: [a.filter, p] }) })
  }
