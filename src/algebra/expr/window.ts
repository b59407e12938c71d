/**
 * Window functions: ranking (`row_number`, `rank`, `dense_rank`, `ntile`),
 * offsets (`lag`, `lead`, `first_value`, `last_value`) and any aggregate,
 * evaluated `over` a window of partitioning, ordering and frame.
 */
import { mk, type Expr, type ExprNode, type FrameBound, type WindowSpec } from './expr-node.js'
import { dataTypes, lift, typeOf, type Operand } from './operators.js'
import { toOrderKey, type OrderInput } from './order.js'

/** `ROW_NUMBER()`. */
export const rowNumber = (): Expr<number> => mk({ _tag: 'WinFn', fn: 'row_number', args: [] })
/** `RANK()`. */
export const rank = (): Expr<number> => mk({ _tag: 'WinFn', fn: 'rank', args: [] })
/** `DENSE_RANK()`. */
export const denseRank = (): Expr<number> => mk({ _tag: 'WinFn', fn: 'dense_rank', args: [] })
/** `NTILE(n)`. */
export const ntile = (n: Operand<number>): Expr<number> => mk({ _tag: 'WinFn', fn: 'ntile', args: [lift(n, dataTypes.integer)] })

// A Value holding a checked small integer: structure the interpreters print as a number.
const structuralInt = (n: number, what: string): ExprNode => {
  if (!Number.isSafeInteger(n) || n < 0 || n > 2147483647) throw new RangeError(`a ${what} must be an integer from 0 to 2147483647, got ${n}`)
  return lift(n, dataTypes.integer)
}
const frameOffset = (n: number): ExprNode => structuralInt(n, 'window frame offset')

const offsetFn = (fn: 'lag' | 'lead', x: ExprNode, offset: number, dflt: unknown[]): ExprNode =>
  mk({
    _tag: 'WinFn',
    fn,
    args: [x, structuralInt(offset, `${fn} offset`), ...dflt.map((d) => lift(d, typeOf(x)))],
  })

/**
 * `LAG(x, offset[, default])`: the value `offset` rows before, NULL (or the
 * default) past the start. The offset is part of the query's structure (a
 * checked integer printed as a number; MariaDB takes no parameter there).
 */
export const lag = <T>(x: Expr<T>, offset = 1, ...dflt: [] | [Operand<T>]): Expr<T | null> => offsetFn('lag', x, offset, dflt)
/** `LEAD(x, offset[, default])`; the offset is structure, like `lag`'s. */
export const lead = <T>(x: Expr<T>, offset = 1, ...dflt: [] | [Operand<T>]): Expr<T | null> => offsetFn('lead', x, offset, dflt)
/** `FIRST_VALUE(x)`. */
export const firstValue = <T>(x: Expr<T>): Expr<T> => mk({ _tag: 'WinFn', fn: 'first_value', args: [x] })
/** `LAST_VALUE(x)`. */
export const lastValue = <T>(x: Expr<T>): Expr<T> => mk({ _tag: 'WinFn', fn: 'last_value', args: [x] })

/** A window frame bound. */
export const unboundedPreceding: FrameBound = Object.freeze({ kind: 'unbounded-preceding' })
/** `CURRENT ROW`. */
export const currentRow: FrameBound = Object.freeze({ kind: 'current-row' })
/** `UNBOUNDED FOLLOWING`. */
export const unboundedFollowing: FrameBound = Object.freeze({ kind: 'unbounded-following' })

/** `n PRECEDING`; `n` is part of the query's structure (a checked integer), not a parameter. */
export const preceding = (n: number): FrameBound => ({ kind: 'preceding', offset: frameOffset(n) })
/** `n FOLLOWING`; `n` is part of the query's structure (a checked integer), not a parameter. */
export const following = (n: number): FrameBound => ({ kind: 'following', offset: frameOffset(n) })

/** What `over` takes: partitioning, ordering and an optional frame. */
export interface WindowInput {
  readonly partitionBy?: readonly Expr<unknown>[]
  readonly orderBy?: readonly OrderInput[]
  readonly frame?: { readonly unit: 'rows' | 'range'; readonly start: FrameBound; readonly end?: FrameBound }
}

/**
 * Evaluate a window function or aggregate over a window.
 *
 * @example
 * pipe(rowNumber(), over({ partitionBy: [t.c.dept], orderBy: [desc(t.c.salary)] }))
 */
export const over =
  (w: WindowInput) =>
  <T>(call: Expr<T>): Expr<T> => {
    if (call._tag !== 'WinFn' && call._tag !== 'Agg') throw new TypeError('over applies to a window function or an aggregate')
    const spec: WindowSpec = {
      partitionBy: [...(w.partitionBy ?? [])],
      orderBy: (w.orderBy ?? []).map(toOrderKey),
      frame: w.frame === undefined ? undefined : { unit: w.frame.unit, start: w.frame.start, end: w.frame.end ?? currentRow },
    }
    return mk({ _tag: 'Over', call, window: spec })
  }

