/**
 * The direct sub-expressions of an expression node (not looking into
 * subqueries, which are evaluated on their own), as a total fold, and the
 * searches built on it: aggregates and window calls of a select block.
 */
import { foldExpr, type ExprFold, type ExprNode, type ExprOf, type FrameBound } from '../../algebra/index.js'

const bound = (b: FrameBound): ExprNode[] => (b.kind === 'preceding' || b.kind === 'following' ? [b.offset] : [])

const children: ExprFold<readonly ExprNode[]> = {
  Column: () => [],
  Value: () => [],
  Param: () => [],
  Binary: (n) => [n.left, n.right],
  Logical: (n) => n.args,
  Not: (n) => [n.arg],
  Negate: (n) => [n.arg],
  IsNull: (n) => [n.arg],
  IsDistinct: (n) => [n.left, n.right],
  InList: (n) => [n.arg, ...n.list],
  InQuery: (n) => [n.arg],
  TupleInList: (n) => [...n.args, ...n.rows.flat()],
  TupleInQuery: (n) => n.args,
  Between: (n) => [n.arg, n.low, n.high],
  Like: (n) => [n.arg, n.pattern, ...(n.escape === undefined ? [] : [n.escape])],
  Case: (n) => [...n.whens.flatMap((w) => [w.when, w.then]), ...(n.otherwise === undefined ? [] : [n.otherwise])],
  Cast: (n) => [n.arg],
  Concat: (n) => n.args,
  Builtin: (n) => n.args,
  Func: (n) => n.args,
  Extract: (n) => [n.arg],
  Agg: (n) => [...(n.arg === undefined ? [] : [n.arg]), ...(n.filter === undefined ? [] : [n.filter])],
  WinFn: (n) => n.args,
  Over: (n) => [
    n.call,
    ...n.window.partitionBy,
    ...n.window.orderBy.map((k) => k.expr),
    ...(n.window.frame === undefined ? [] : [...bound(n.window.frame.start), ...bound(n.window.frame.end)]),
  ],
  Subquery: () => [],
  Exists: () => [],
  Excluded: () => [],
  Text: (n) => n.parts.flatMap((p) => (p.kind === 'expr' ? [p.expr] : [])),
}

/** The direct sub-expressions of a node. */
export const childrenOf: (e: ExprNode) => readonly ExprNode[] = foldExpr(children)

/** Does any expression contain an aggregate of this query level (not one that is itself over a window)? */
export const containsAggregate = (es: readonly ExprNode[]): boolean => collectAggregates(es).length > 0

/** Every window call (`Over` node) in the expressions, outermost first. */
export const collectOvers = (es: readonly ExprNode[]): ExprOf<'Over'>[] =>
  es.flatMap((e) => (e._tag === 'Over' ? [e] : collectOvers(childrenOf(e))))

/** Every aggregate of this query level in the expressions (inside window calls too, but not a window aggregate itself). */
export const collectAggregates = (es: readonly ExprNode[]): ExprOf<'Agg'>[] =>
  es.flatMap((e) => {
    if (e._tag === 'Agg') return [e]
    if (e._tag === 'Over') return collectAggregates([...childrenOf(e.call), ...childrenOf(e).slice(1)])
    return collectAggregates(childrenOf(e))
  })
