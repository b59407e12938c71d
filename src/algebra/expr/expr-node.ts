/**
 * The expression algebra: a closed union of immutable nodes with a `_tag`.
 * `Expr<T>` is a node plus a phantom TypeScript type `T` (the type of the
 * value it denotes, `| null` when it may be NULL). Interpreters fold over
 * `ExprNode`; users only ever hold `Expr<T>`.
 */
import type { DataType } from '../data-type.js'
import type { QueryNode } from '../query/query-node.js'

declare const exprType: unique symbol

/** An expression whose value has TypeScript type `T` (phantom; covariant). */
export type Expr<T> = ExprNode & { readonly [exprType]?: T }

/** The TypeScript type denoted by an expression. */
export type TypeOfExpr<E> = E extends { readonly [exprType]?: infer T } ? T : never

/** Comparison, arithmetic and string operators with two operands. */
export type BinaryOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%'

/** Built-in scalar functions whose spelling may differ per dialect. */
export type BuiltinFn = 'lower' | 'upper' | 'length' | 'trim' | 'substr' | 'coalesce' | 'nullif' | 'abs' | 'round'

/** Aggregate functions. */
export type AggFn = 'count' | 'sum' | 'avg' | 'min' | 'max'

/** Functions that only exist over a window. */
export type WindowFn = 'row_number' | 'rank' | 'dense_rank' | 'lag' | 'lead' | 'first_value' | 'last_value' | 'ntile'

/** Date/time parts for `extract`. */
export type DatePart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'

/** One sort key: an expression, a direction and where NULLs go. */
export interface OrderKey {
  readonly expr: ExprNode
  readonly direction: 'asc' | 'desc'
  readonly nulls: 'first' | 'last' | undefined
}

/**
 * A frame bound of a window frame. An offset is a `Value` node holding a
 * checked integer that is part of the query's structure: interpreters print
 * it as a number, not a bind parameter (MariaDB accepts only constants).
 */
export type FrameBound =
  | { readonly kind: 'unbounded-preceding' }
  | { readonly kind: 'preceding'; readonly offset: ExprNode }
  | { readonly kind: 'current-row' }
  | { readonly kind: 'following'; readonly offset: ExprNode }
  | { readonly kind: 'unbounded-following' }

/** A window: partitioning, ordering and an optional frame. */
export interface WindowSpec {
  readonly partitionBy: readonly ExprNode[]
  readonly orderBy: readonly OrderKey[]
  readonly frame: { readonly unit: 'rows' | 'range'; readonly start: FrameBound; readonly end: FrameBound } | undefined
}

/** A piece of hand-written SQL: text, a named bind parameter or an embedded expression. */
export type TextPart =
  | { readonly kind: 'sql'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'expr'; readonly expr: ExprNode }

/** Every expression node kind. */
export type ExprNode =
  | { readonly _tag: 'Column'; readonly source: string; readonly name: string; readonly type: DataType | undefined }
  | { readonly _tag: 'Value'; readonly value: unknown; readonly type: DataType | undefined }
  | { readonly _tag: 'Param'; readonly name: string; readonly type: DataType | undefined }
  | { readonly _tag: 'Binary'; readonly op: BinaryOp; readonly left: ExprNode; readonly right: ExprNode }
  | { readonly _tag: 'Logical'; readonly op: 'and' | 'or'; readonly args: readonly ExprNode[] }
  | { readonly _tag: 'Not'; readonly arg: ExprNode }
  | { readonly _tag: 'Negate'; readonly arg: ExprNode }
  | { readonly _tag: 'IsNull'; readonly arg: ExprNode; readonly negated: boolean }
  | { readonly _tag: 'IsDistinct'; readonly left: ExprNode; readonly right: ExprNode; readonly negated: boolean }
  | { readonly _tag: 'InList'; readonly arg: ExprNode; readonly list: readonly ExprNode[]; readonly negated: boolean }
  | { readonly _tag: 'InQuery'; readonly arg: ExprNode; readonly query: QueryNode; readonly negated: boolean }
  /** `(a, b) IN ((x, y), ...)`: a row value compared with rows of the same width. */
  | { readonly _tag: 'TupleInList'; readonly args: readonly ExprNode[]; readonly rows: readonly (readonly ExprNode[])[]; readonly negated: boolean }
  /** `(a, b) IN (SELECT x, y ...)`. */
  | { readonly _tag: 'TupleInQuery'; readonly args: readonly ExprNode[]; readonly query: QueryNode; readonly negated: boolean }
  | { readonly _tag: 'Between'; readonly arg: ExprNode; readonly low: ExprNode; readonly high: ExprNode; readonly negated: boolean }
  | {
      readonly _tag: 'Like'
      readonly arg: ExprNode
      readonly pattern: ExprNode
      readonly escape: ExprNode | undefined
      readonly caseInsensitive: boolean
      readonly negated: boolean
    }
  | {
      readonly _tag: 'Case'
      readonly whens: readonly { readonly when: ExprNode; readonly then: ExprNode }[]
      readonly otherwise: ExprNode | undefined
    }
  | { readonly _tag: 'Cast'; readonly arg: ExprNode; readonly to: DataType }
  | { readonly _tag: 'Concat'; readonly args: readonly ExprNode[] }
  | { readonly _tag: 'Builtin'; readonly fn: BuiltinFn; readonly args: readonly ExprNode[] }
  | { readonly _tag: 'Func'; readonly name: string; readonly args: readonly ExprNode[] }
  | { readonly _tag: 'Extract'; readonly part: DatePart; readonly arg: ExprNode }
  | {
      readonly _tag: 'Agg'
      readonly fn: AggFn
      readonly arg: ExprNode | undefined
      readonly distinct: boolean
      readonly filter: ExprNode | undefined
    }
  | { readonly _tag: 'WinFn'; readonly fn: WindowFn; readonly args: readonly ExprNode[] }
  | { readonly _tag: 'Over'; readonly call: ExprNode; readonly window: WindowSpec }
  | { readonly _tag: 'Subquery'; readonly query: QueryNode }
  | { readonly _tag: 'Exists'; readonly query: QueryNode }
  | { readonly _tag: 'Excluded'; readonly name: string; readonly type: DataType | undefined }
  | { readonly _tag: 'Text'; readonly parts: readonly TextPart[]; readonly params: Readonly<Record<string, unknown>> }

/** The tag of every expression node. */
export type ExprTag = ExprNode['_tag']

/** The node of one tag. */
export type ExprOf<K extends ExprTag> = Extract<ExprNode, { readonly _tag: K }>

/** A record with one handler per expression tag: the shape of a total fold. */
export type ExprFold<R> = { readonly [K in ExprTag]: (node: ExprOf<K>) => R }

/** Apply a total fold's handler to one node (the handler sees the node narrowed). */
export const foldExpr =
  <R>(handlers: ExprFold<R>) =>
  (node: ExprNode): R =>
    (handlers[node._tag] as (n: ExprNode) => R)(node)

/**
 * Marks objects built by quarry's constructors, so that a plain object given
 * as a value (e.g. JSON from a request that happens to have a `_tag`) is
 * never mistaken for an expression. JSON cannot carry a symbol key.
 */
export const exprBrand: unique symbol = Symbol.for('quarry.expr')

/**
 * Brand a node and give it its phantom type.
 *
 * Nodes made here are immutable by type (every field is `readonly`) but not
 * frozen: they are built per query on the hot path (a select with two joins
 * makes some thirty objects), and `Object.freeze` on each was half the cost
 * of building the query — about 0.8 µs of the 2 µs budget for building and
 * compiling it from the statement cache (DESIGN.md §Performance). Freezing
 * once per finished query would still be a walk over every node.
 * What stays frozen is what is built once and shared or remembered by
 * identity: tables, their column expressions (`Table.c`), columns of derived
 * tables and CTEs, CTE definitions, data types, `from(table)`'s select, and
 * compiled output. Those are the values whose mutation could make a cache
 * keyed by identity (the statement cache's column and type ids) lie; a
 * per-query node is read afresh by every compile, so a cast-away `readonly`
 * can only change that query.
 */
export const mk = <T>(node: ExprNode): Expr<T> => {
  ;(node as { [exprBrand]?: boolean })[exprBrand] = true
  return node as Expr<T>
}

/** Is this value an expression built by quarry (not a look-alike object)? */
export const isExpr = (x: unknown): x is ExprNode =>
  typeof x === 'object' && x !== null && (x as { [exprBrand]?: boolean })[exprBrand] === true
