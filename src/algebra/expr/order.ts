/** Sort keys for `order by` and windows: direction and NULL placement. */
import { isExpr, type Expr, type OrderKey } from './expr-node.js'

/** An expression (ascending) or a full sort key. */
export type OrderInput = Expr<unknown> | OrderKey

/** Where NULLs sort. */
export type Nulls = 'nulls first' | 'nulls last'

const key = (e: Expr<unknown>, direction: 'asc' | 'desc', nulls: Nulls | undefined): OrderKey =>
  ({ expr: e, direction, nulls: nulls === undefined ? undefined : nulls === 'nulls first' ? 'first' : 'last' })

/** Ascending sort key, optionally with NULLs first or last. */
export const asc = (e: Expr<unknown>, nulls?: Nulls): OrderKey => key(e, 'asc', nulls)
/** Descending sort key, optionally with NULLs first or last. */
export const desc = (e: Expr<unknown>, nulls?: Nulls): OrderKey => key(e, 'desc', nulls)
/** Normalise an order input to a sort key. */
export const toOrderKey = (o: OrderInput): OrderKey => (isExpr(o) ? key(o, 'asc', undefined) : o)
