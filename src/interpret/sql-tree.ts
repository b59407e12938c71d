/**
 * The SQL-shaped tree: what the printer reads. Lowering (algebra → this
 * tree) has already resolved dialect differences — rewrites, capability
 * checks, function spellings — so the printer is one shared fold that only
 * asks the dialect for quoting, placeholders and keywords.
 */
import type { DataType } from '../algebra/index.js'

/** Where a bind parameter's value comes from when the statement runs. */
export type PlanEntry =
  /** The `index`-th value found by the shape walk. */
  | { readonly kind: 'value'; readonly index: number; readonly type: DataType | undefined }
  /** A named parameter given at compile time. */
  | { readonly kind: 'named'; readonly name: string; readonly type: DataType | undefined }

/** SQL expressions. */
export type SqlExpr =
  | { readonly _tag: 'Ident'; readonly parts: readonly string[] }
  | { readonly _tag: 'Slot'; readonly entry: PlanEntry }
  /** Fixed SQL chosen by quarry or the dialect (keywords, `*`, constants) — never user data. */
  | { readonly _tag: 'Kw'; readonly text: string }
  | { readonly _tag: 'Infix'; readonly op: string; readonly level: number; readonly args: readonly SqlExpr[] }
  | { readonly _tag: 'Prefix'; readonly op: string; readonly arg: SqlExpr }
  | { readonly _tag: 'Postfix'; readonly op: string; readonly arg: SqlExpr }
  | {
      readonly _tag: 'Call'
      readonly name: string
      readonly args: readonly SqlExpr[]
      readonly distinct: boolean
      readonly filter: SqlExpr | undefined
      readonly over: SqlWindow | undefined
    }
  | { readonly _tag: 'Case'; readonly whens: readonly (readonly [SqlExpr, SqlExpr])[]; readonly otherwise: SqlExpr | undefined }
  | { readonly _tag: 'Cast'; readonly arg: SqlExpr; readonly type: string }
  | { readonly _tag: 'Sub'; readonly query: SqlQuery }
  | { readonly _tag: 'In'; readonly arg: SqlExpr; readonly items: readonly SqlExpr[] | SqlQuery; readonly negated: boolean }
  | { readonly _tag: 'Between'; readonly arg: SqlExpr; readonly low: SqlExpr; readonly high: SqlExpr; readonly negated: boolean }
  | {
      readonly _tag: 'Like'
      readonly op: 'LIKE' | 'ILIKE'
      readonly arg: SqlExpr
      readonly pattern: SqlExpr
      readonly escape: SqlExpr | undefined
      readonly negated: boolean
    }
  /** A row value `(a, b, ...)`. */
  | { readonly _tag: 'Tuple'; readonly items: readonly SqlExpr[] }
  /** A sequence printed with single spaces (special forms, hand-written SQL). */
  | { readonly _tag: 'Seq'; readonly parts: readonly (SqlExpr | string)[]; readonly glue: string }

/** A window clause. */
export interface SqlWindow {
  readonly partitionBy: readonly SqlExpr[]
  readonly orderBy: readonly SqlOrder[]
  readonly frame: SqlExpr | undefined
}

/** A sort key; `nulls` only when the dialect prints NULLS FIRST/LAST. */
export interface SqlOrder {
  readonly expr: SqlExpr
  readonly desc: boolean
  readonly nulls: 'FIRST' | 'LAST' | undefined
}

/** FROM items. */
export type SqlFrom =
  | { readonly _tag: 'Table'; readonly name: string; readonly alias: string | undefined }
  | { readonly _tag: 'Join'; readonly kind: string; readonly left: SqlFrom; readonly right: SqlFrom; readonly on: SqlExpr | undefined }
  | { readonly _tag: 'Derived'; readonly query: SqlQuery; readonly alias: string; readonly lateral: boolean }

/** A WITH entry. */
export interface SqlCte {
  readonly name: string
  readonly columns: readonly string[] | undefined
  readonly query: SqlQuery
}

/** Queries. */
export type SqlQuery =
  | {
      readonly _tag: 'Select'
      readonly with: SqlWith | undefined
      readonly distinct: boolean
      readonly distinctOn: readonly SqlExpr[] | undefined
      readonly columns: readonly { readonly expr: SqlExpr; readonly alias: string | undefined }[]
      readonly from: SqlFrom | undefined
      readonly where: SqlExpr | undefined
      readonly groupBy: readonly SqlExpr[]
      readonly having: SqlExpr | undefined
      readonly orderBy: readonly SqlOrder[]
      readonly limit: SqlExpr | undefined
      readonly offset: SqlExpr | undefined
      readonly lock: SqlExpr | undefined
    }
  | {
      readonly _tag: 'Compound'
      readonly with: SqlWith | undefined
      readonly op: string
      readonly left: SqlQuery
      readonly right: SqlQuery
      /** The compound's own ORDER BY / LIMIT / OFFSET (keys are result column names). */
      readonly orderBy: readonly SqlOrder[]
      readonly limit: SqlExpr | undefined
      readonly offset: SqlExpr | undefined
    }
  | { readonly _tag: 'RawQuery'; readonly with: SqlWith | undefined; readonly body: SqlExpr }

/** A WITH clause. */
export interface SqlWith {
  readonly recursive: boolean
  readonly ctes: readonly SqlCte[]
}

/** Statements. */
export type SqlStatement =
  | SqlQuery
  | {
      readonly _tag: 'Insert'
      readonly with: SqlWith | undefined
      readonly table: string
      readonly columns: readonly string[]
      /** Set when every column takes its default (`DEFAULT VALUES` or MySQL's `() VALUES ()`). */
      readonly defaults: string | undefined
      /** MySQL 8's alias for the proposed row of an upsert (`VALUES (...) AS alias`). */
      readonly rowAlias: string | undefined
      readonly source: { readonly rows: readonly (readonly SqlExpr[])[] } | { readonly query: SqlQuery }
      readonly conflict: SqlExpr | undefined
      readonly returning: readonly { readonly expr: SqlExpr; readonly alias: string }[] | undefined
    }
  | {
      readonly _tag: 'Update'
      readonly with: SqlWith | undefined
      /** The target; for MySQL's multi-table form also the joined relations. */
      readonly target: SqlFrom
      readonly set: readonly (readonly [SqlExpr, SqlExpr])[]
      readonly from: SqlFrom | undefined
      readonly where: SqlExpr | undefined
      readonly returning: readonly { readonly expr: SqlExpr; readonly alias: string }[] | undefined
    }
  | {
      readonly _tag: 'Delete'
      readonly with: SqlWith | undefined
      /** For MySQL's multi-table form: the table (alias) rows are deleted from, before FROM. */
      readonly target: string | undefined
      readonly table: SqlFrom
      readonly using: SqlFrom | undefined
      readonly where: SqlExpr | undefined
      readonly returning: readonly { readonly expr: SqlExpr; readonly alias: string }[] | undefined
    }
  | { readonly _tag: 'Ddl'; readonly body: SqlExpr }

/** Shorthands used by lowering and dialects. */
export const S = {
  kw: (text: string): SqlExpr => ({ _tag: 'Kw', text }),
  ident: (...parts: string[]): SqlExpr => ({ _tag: 'Ident', parts }),
  seq: (parts: readonly (SqlExpr | string)[], glue = ' '): SqlExpr => ({ _tag: 'Seq', parts, glue }),
  call: (name: string, args: readonly SqlExpr[]): SqlExpr => ({ _tag: 'Call', name, args, distinct: false, filter: undefined, over: undefined }),
  infix: (op: string, level: number, ...args: SqlExpr[]): SqlExpr => ({ _tag: 'Infix', op, level, args }),
} as const

/** Operator precedence levels (higher binds tighter); the printer parenthesises by them. */
export const Level = { or: 1, and: 2, not: 3, cmp: 4, add: 5, mul: 6, concat: 7 } as const

/**
 * `left op right` with no ORDER BY / LIMIT of its own.
 *
 * @example
 * compound('UNION ALL', emptySelect(), emptySelect())
 */
export const compound = (op: string, left: SqlQuery, right: SqlQuery): SqlQuery => ({
  _tag: 'Compound',
  with: undefined,
  op,
  left,
  right,
  orderBy: [],
  limit: undefined,
  offset: undefined,
})

/** A query with a WITH clause attached. */
export const withWith = (q: SqlQuery, w: SqlWith | undefined): SqlQuery => ({ ...q, with: w }) as SqlQuery

/** An empty SELECT block to fill in. */
export const emptySelect = (): Extract<SqlQuery, { _tag: 'Select' }> => ({
  _tag: 'Select',
  with: undefined,
  distinct: false,
  distinctOn: undefined,
  columns: [],
  from: undefined,
  where: undefined,
  groupBy: [],
  having: undefined,
  orderBy: [],
  limit: undefined,
  offset: undefined,
  lock: undefined,
})
