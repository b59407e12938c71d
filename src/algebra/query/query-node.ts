/**
 * The relational algebra of queries: a closed union of immutable nodes.
 * `Select` is one block (from / where / group / having / order / limit over
 * a tree of `FromItem`s); `SetOp`, `Values` and `TextQuery` are the other
 * query forms. `Query<R>` adds the phantom row type `R`.
 */
import type { DataType } from '../data-type.js'
import type { Expr, ExprNode, OrderKey, TextPart } from '../expr/expr-node.js'
import { exprType } from '../expr/type-of.js'
import type { AnyTable } from '../schema/table.js'

declare const rowType: unique symbol
declare const scopeType: unique symbol

/**
 * Phantom: the scope `S` that callbacks receive — column expressions by
 * source alias for a select block, the result's columns for a set operation.
 */
export type Scoped<S> = { readonly [scopeType]?: S }

/** The scope a query's callbacks receive. */
export type ScopeOf<Q> = Q extends Scoped<infer S> ? S : never

/** A query whose rows have TypeScript type `R` (phantom). */
export type Query<R> = QueryNode & { readonly [rowType]?: R }

/** The row type of a query. */
export type ResultOf<Q> = Q extends { readonly [rowType]?: infer R } ? R : never

/** Join kinds. */
export type JoinKind = 'inner' | 'left' | 'right' | 'full' | 'cross'

/** A common table expression's definition (hoisted into `WITH` by the interpreters). */
export interface CteDef {
  readonly name: string
  readonly columns: readonly string[]
  readonly query: QueryNode
  readonly recursive: boolean
}

/** What a `FROM` clause holds: tables, joins, derived tables, CTE references. */
export type FromItem =
  | { readonly _tag: 'TableRef'; readonly table: AnyTable; readonly alias: string }
  | {
      readonly _tag: 'Join'
      readonly kind: JoinKind
      readonly left: FromItem
      readonly right: FromItem
      readonly on: ExprNode | undefined
    }
  | { readonly _tag: 'Derived'; readonly query: QueryNode; readonly alias: string; readonly lateral: boolean }
  /** `def` is undefined only for the self-reference inside a recursive CTE. */
  | { readonly _tag: 'CteRef'; readonly name: string; readonly alias: string; readonly def: CteDef | undefined }

/** One output column of a select. */
export interface Field {
  readonly name: string
  readonly expr: ExprNode
}

/** A row lock (`FOR UPDATE` / `FOR SHARE`, optionally `NOWAIT` / `SKIP LOCKED`). */
export interface Lock {
  readonly strength: 'update' | 'share'
  readonly of: readonly string[]
  readonly wait: 'wait' | 'nowait' | 'skip locked'
}

/** A result column declared by a query (name and, when known, data type). */
export interface OutputColumn {
  readonly name: string
  readonly type: DataType | undefined
}

/** One select block. */
export interface SelectNode {
  readonly _tag: 'Select'
  readonly from: FromItem | undefined
  readonly where: ExprNode | undefined
  readonly fields: readonly Field[]
  readonly distinct: boolean
  readonly distinctOn: readonly ExprNode[] | undefined
  readonly groupBy: readonly ExprNode[]
  readonly having: ExprNode | undefined
  readonly orderBy: readonly OrderKey[]
  readonly limit: ExprNode | undefined
  readonly offset: ExprNode | undefined
  readonly lock: Lock | undefined
  /** The column expressions in scope, by source alias (what combinator callbacks receive). */
  readonly scope: Scope
}

/**
 * A set operation. Its own ORDER BY / LIMIT / OFFSET apply to the combined
 * rows; their keys are the result's columns (`Column` nodes of source '').
 */
export interface SetOpNode {
  readonly _tag: 'SetOp'
  readonly op: 'union' | 'intersect' | 'except'
  readonly all: boolean
  readonly left: QueryNode
  readonly right: QueryNode
  readonly orderBy: readonly OrderKey[]
  readonly limit: ExprNode | undefined
  readonly offset: ExprNode | undefined
}

/** Every query node kind. */
export type QueryNode =
  | SelectNode
  | SetOpNode
  | { readonly _tag: 'Values'; readonly columns: readonly OutputColumn[]; readonly rows: readonly (readonly ExprNode[])[] }
  | {
      readonly _tag: 'TextQuery'
      readonly parts: readonly TextPart[]
      readonly params: Readonly<Record<string, unknown>>
      readonly columns: readonly OutputColumn[]
    }

/** Column expressions of one source. */
export type Cols = { readonly [col: string]: Expr<unknown> }

/** Column expressions in scope, by source alias. */
export type Scope = { readonly [alias: string]: Cols }

/** Marks query nodes built by quarry's constructors (see `exprBrand`). */
export const queryBrand: unique symbol = Symbol.for('quarry.query')

/**
 * Brand a query node. Like expression nodes (see `mk`), query nodes are
 * readonly by type but not frozen: they are made per query, and freezing
 * each one cost more than the cached compile's whole budget.
 */
export const mkQuery = <Q extends QueryNode>(q: Q): Q => {
  ;(q as { [queryBrand]?: boolean })[queryBrand] = true
  return q
}

/** Is this a query built by quarry? */
export const isQuery = (x: unknown): x is QueryNode =>
  typeof x === 'object' && x !== null && (x as { [queryBrand]?: boolean })[queryBrand] === true

/** The result columns of a query, in order. */
export const outputColumns = (q: QueryNode): readonly OutputColumn[] => {
  switch (q._tag) {
    case 'Select':
      return q.fields.map((f) => ({ name: f.name, type: exprType(f.expr) }))
    case 'SetOp':
      return outputColumns(q.left)
    case 'Values':
    case 'TextQuery':
      return q.columns
  }
}
