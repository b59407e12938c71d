/**
 * Data-changing statements as values: INSERT (rows or a query), UPDATE
 * (optionally with FROM), DELETE, each with RETURNING and, for INSERT, an
 * upsert clause. `Mutation<S, R>` carries the scope `S` that `where` and
 * `returning` callbacks see and the returned row type `R`.
 */
import type { ExprNode } from '../expr/expr-node.js'
import type { Field, FromItem, QueryNode, Scope, Scoped } from '../query/query-node.js'
import type { AnyTable } from '../schema/table.js'

declare const mutationType: unique symbol

/** One `column = expr` of SET / DO UPDATE SET. */
export interface Assignment {
  readonly column: string
  readonly expr: ExprNode
}

/** What to do when an insert hits a unique key. */
export interface OnConflict {
  /** The unique columns the conflict is about (empty: any, DO NOTHING only). */
  readonly target: readonly string[]
  readonly action:
    | { readonly kind: 'nothing' }
    | { readonly kind: 'update'; readonly set: readonly Assignment[]; readonly where: ExprNode | undefined }
}

/** INSERT. A row cell that is `undefined` means the column's DEFAULT. */
export interface InsertNode {
  readonly _tag: 'Insert'
  readonly table: AnyTable
  readonly columns: readonly string[]
  readonly source:
    | { readonly kind: 'rows'; readonly rows: readonly (readonly (ExprNode | undefined)[])[] }
    | { readonly kind: 'query'; readonly query: QueryNode }
  readonly onConflict: OnConflict | undefined
  readonly returning: readonly Field[] | undefined
  readonly where: undefined
  readonly scope: Scope
}

/** UPDATE, optionally joined with other relations (FROM). */
export interface UpdateNode {
  readonly _tag: 'Update'
  readonly table: AnyTable
  readonly set: readonly Assignment[]
  readonly from: FromItem | undefined
  readonly where: ExprNode | undefined
  readonly returning: readonly Field[] | undefined
  readonly scope: Scope
}

/** DELETE. */
export interface DeleteNode {
  readonly _tag: 'Delete'
  readonly table: AnyTable
  /** Other relations the WHERE may refer to (`USING`; multi-table DELETE on MySQL). */
  readonly using: FromItem | undefined
  readonly where: ExprNode | undefined
  readonly returning: readonly Field[] | undefined
  readonly scope: Scope
}

/** Every data-changing statement. */
export type MutationNode = InsertNode | UpdateNode | DeleteNode

/** A data-changing statement with scope `S` returning rows `R` (`never` without RETURNING). */
export type Mutation<N extends MutationNode, S extends Scope, R> = N & Scoped<S> & { readonly [mutationType]?: R }

/** The rows a mutation returns. */
export type ReturningOf<M> = M extends { readonly [mutationType]?: infer R } ? R : never
