/**
 * What lowering must know about constants. quarry prints a few expressions
 * as fixed SQL (`and()` is TRUE, `x IN ()` is FALSE), and engines read a
 * constant ORDER BY key as a column ordinal (SQLite even folds `x AND 0` to
 * `0` first) or reject it. These questions are answered from the structure
 * alone, never from bound values, so the statement cache's shape still
 * decides the SQL.
 */
import type { ExprNode } from '../algebra/index.js'
import { childrenOf } from './memory/walk.js'

/**
 * The truth value a predicate has whatever the row, when its structure
 * alone fixes it: `and()` and `or()` of nothing, `x IN ()`, and AND / OR /
 * NOT over those (FALSE AND NULL is FALSE, TRUE OR NULL is TRUE).
 *
 * @example
 * fixedTruth(and(gt(t.c.n, 1), or())) // false: whatever n is
 * fixedTruth(gt(t.c.n, 1)) // undefined
 */
export const fixedTruth = (e: ExprNode): boolean | undefined => {
  switch (e._tag) {
    case 'Logical': {
      const absorbing = e.op === 'or'
      let all = true
      for (const a of e.args) {
        const t = fixedTruth(a)
        if (t === absorbing) return absorbing
        if (t === undefined) all = false
      }
      return all ? !absorbing : undefined
    }
    case 'Not': {
      const t = fixedTruth(e.arg)
      return t === undefined ? undefined : !t
    }
    case 'InList':
      return e.list.length === 0 ? e.negated : undefined
    case 'TupleInList':
      return e.rows.length === 0 ? e.negated : undefined
    default:
      return undefined
  }
}

/** Does the value depend on no row (only bound values and quarry's fixed constants)? */
const rowFree = (e: ExprNode): boolean => {
  switch (e._tag) {
    case 'Value':
    case 'Param':
      return true
    // Columns vary by row; aggregates and windows by group; functions may be volatile (random()); text is opaque.
    case 'Column':
    case 'Excluded':
    case 'Agg':
    case 'WinFn':
    case 'Over':
    case 'Func':
    case 'Text':
    case 'Subquery':
    case 'Exists':
    case 'InQuery':
    case 'TupleInQuery':
      return false
    default:
      return childrenOf(e).every(rowFree)
  }
}

/**
 * Is the expression the same for every row (so ordering by it changes nothing)?
 *
 * @example
 * isConstant(add(val(1), 2)) // true
 * isConstant(isIn(t.c.id, [])) // true
 * isConstant(fn('random')) // false: a function may be volatile
 */
export const isConstant = (e: ExprNode): boolean => fixedTruth(e) !== undefined || rowFree(e)

/**
 * Does the expression hold an aggregate or window call of its own query
 * level (or opaque hand-written SQL that might)? Dropping such an
 * expression could turn an aggregate query into a per-row one.
 *
 * @example
 * holdsAggregate(add(count(), 1)) // true
 */
export const holdsAggregate = (e: ExprNode): boolean => aggregatesIn(e).length > 0

/**
 * The aggregate and window calls (and opaque text) of an expression's own
 * query level, outermost first: what must stay in the SQL when the
 * expression itself is replaced by the constant it always equals. Only
 * these are kept, not the whole expression, since SQLite folds `x AND 0`
 * to `0` while parsing and so drops an aggregate inside it.
 *
 * @example
 * aggregatesIn(and(gt(count(), 0), or())) // [count()]
 */
export const aggregatesIn = (e: ExprNode): readonly ExprNode[] => {
  switch (e._tag) {
    case 'Agg':
    case 'WinFn':
    case 'Over':
    case 'Text':
      return [e]
    default:
      return childrenOf(e).flatMap(aggregatesIn)
  }
}
