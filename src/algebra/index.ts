/**
 * quarry's query algebra: schema, expressions, queries and statements as
 * immutable values. Import as a namespace (`import * as Q from
 * 'quarry/algebra'`); combinators are data-last for `pipe`. Node
 * constructors' internals (branding, lifting values) stay in their modules.
 */
export * from './data-type.js'
export * from './schema/column.js'
export * from './schema/table.js'
export * from './schema/metadata.js'
export {
  foldExpr,
  isExpr,
  type AggFn,
  type BinaryOp,
  type BuiltinFn,
  type DatePart,
  type Expr,
  type ExprFold,
  type ExprNode,
  type ExprOf,
  type ExprTag,
  type FrameBound,
  type OrderKey,
  type TextPart,
  type TypeOfExpr,
  type WindowFn,
  type WindowSpec,
} from './expr/expr-node.js'
export {
  add,
  and,
  between,
  div,
  eq,
  escapeLike,
  gt,
  gte,
  ilike,
  isDistinctFrom,
  isIn,
  isInTuple,
  isNotDistinctFrom,
  isNotNull,
  isNull,
  like,
  lt,
  lte,
  mod,
  mul,
  ne,
  neg,
  not,
  notBetween,
  notIlike,
  notIn,
  notInTuple,
  notLike,
  or,
  param,
  sub,
  val,
  type LikeOptions,
  type NullIn,
  type Operand,
  type NullInTuple,
  type Predicate,
  type TupleOperands,
  type TypeOfOperand,
} from './expr/operators.js'
export * from './expr/functions.js'
export * from './expr/aggregates.js'
export * from './expr/order.js'
export * from './expr/type-of.js'
export * from './expr/window.js'
export {
  isQuery,
  outputColumns,
  type Cols,
  type CteDef,
  type Field,
  type FromItem,
  type JoinKind,
  type Lock,
  type OutputColumn,
  type Query,
  type QueryNode,
  type ResultOf,
  type Scope,
  type Scoped,
  type ScopeOf,
  type SelectNode,
  type SetOpNode,
} from './query/query-node.js'
export {
  as,
  cte,
  cteAlias,
  lateral,
  recursiveCte,
  type AliasOf,
  type ColsOf,
  type CteRel,
  type Derived,
  type Relation,
  type RowCols,
} from './query/relation.js'
export * from './query/select.js'
export * from './query/set-op.js'
export * from './statement/mutation-node.js'
export * from './statement/mutations.js'
export * from './ddl/ddl-node.js'
export * from './text.js'
export * from './statement/statement.js'
