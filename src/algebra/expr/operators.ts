/**
 * Operators: comparison, boolean, arithmetic, null tests, `in`, `between`,
 * `like`. Any plain value given where an expression is expected becomes a
 * bind parameter (`Value` node), typed by the column it is compared with so
 * interpreters can encode it (JSON, dates, booleans).
 */
import type { DataType } from '../data-type.js'
import type { Query } from '../query/query-node.js'
import { isQuery } from '../query/query-node.js'
import { isExpr, mk, type BinaryOp, type Expr, type ExprNode, type TypeOfExpr } from './expr-node.js'
import { exprType } from './type-of.js'

/** An expression of type `T`, or a plain value that becomes a bind parameter. */
export type Operand<T> = Expr<T> | Expr<NonNullable<T>> | Expr<NonNullable<T> | null> | NonNullable<T>

/** The TypeScript type of an operand. */
export type TypeOfOperand<O> = O extends { readonly _tag: string } ? TypeOfExpr<O> : O

/** `null` if any of the types admits null, else `never`. */
export type NullIn<T> = null extends T ? null : never

/** A predicate: true/false, or NULL when an operand is NULL. */
export type Predicate = Expr<boolean | null>

/** The data type of an expression when it is known (see `exprType`). */
export const typeOf = (e: ExprNode): DataType | undefined => exprType(e)

/**
 * The data type a plain JS value suggests when no column gives one (so
 * dialects that must type a bare parameter, like PostgreSQL in a select
 * list, can).
 */
export const inferType = (v: unknown): DataType | undefined => {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? T.integer : T.bigint) : T.double
    case 'bigint':
      return T.bigint
    case 'string':
      return T.text
    case 'boolean':
      return T.boolean
    default:
      return v instanceof Date ? T.timestamptz : undefined
  }
}

// Shared data type values (one object each, so caches keyed by them stay small).
const T = {
  integer: Object.freeze({ kind: 'integer' }),
  bigint: Object.freeze({ kind: 'bigint' }),
  double: Object.freeze({ kind: 'double' }),
  text: Object.freeze({ kind: 'text' }),
  boolean: Object.freeze({ kind: 'boolean' }),
  timestamptz: Object.freeze({ kind: 'timestamp', withTimeZone: true }),
} as const satisfies Record<string, DataType>

/** Shared data type values for the common kinds. */
export const dataTypes: { readonly integer: DataType; readonly bigint: DataType; readonly text: DataType } = T

/** A bind parameter holding `value`, typed by `type` or else by the JS value. */
export const val = <T>(value: T, type?: DataType): Expr<T> => mk({ _tag: 'Value', value, type: type ?? inferType(value) })

/**
 * A named bind parameter: its value is given when the statement is compiled
 * (`compile(dialect)(query, { name: value })`), so one compiled statement
 * serves many values.
 */
export const param = <T>(name: string, type?: DataType): Expr<T> => mk({ _tag: 'Param', name, type })

/** Lift an operand to an expression; a plain value takes the data type `hint`. */
export const lift = (x: unknown, hint: DataType | undefined): ExprNode =>
  isExpr(x) ? x : mk({ _tag: 'Value', value: x, type: hint ?? inferType(x) })

const binary = (op: BinaryOp, a: ExprNode, b: unknown): ExprNode =>
  mk({ _tag: 'Binary', op, left: a, right: lift(b, typeOf(a)) })

type Cmp = <T, B extends Operand<T>>(a: Expr<T>, b: B) => Expr<boolean | NullIn<T> | NullIn<TypeOfOperand<B>>>

/** `a = b`. */
export const eq: Cmp = (a, b) => binary('=', a, b) as never
/** `a <> b`. */
export const ne: Cmp = (a, b) => binary('<>', a, b) as never
/** `a < b`. */
export const lt: Cmp = (a, b) => binary('<', a, b) as never
/** `a <= b`. */
export const lte: Cmp = (a, b) => binary('<=', a, b) as never
/** `a > b`. */
export const gt: Cmp = (a, b) => binary('>', a, b) as never
/** `a >= b`. */
export const gte: Cmp = (a, b) => binary('>=', a, b) as never

/** Numeric types arithmetic applies to. */
type Num = number | bigint | string
type Arith = <T extends Num | null, B extends Operand<T>>(a: Expr<T>, b: B) => Expr<T | NullIn<TypeOfOperand<B>>>

/** `a + b`. */
export const add: Arith = (a, b) => binary('+', a, b) as never
/** `a - b`. */
export const sub: Arith = (a, b) => binary('-', a, b) as never
/** `a * b`. */
export const mul: Arith = (a, b) => binary('*', a, b) as never
/** `a / b` (integer division on integer operands, as the engine does it). */
export const div: Arith = (a, b) => binary('/', a, b) as never
/** `a % b`. */
export const mod: Arith = (a, b) => binary('%', a, b) as never
/** `-a`. */
export const neg = <T extends Num | null>(a: Expr<T>): Expr<T> => mk({ _tag: 'Negate', arg: a })

type NullsOf<Ps extends readonly Predicate[]> = { [K in keyof Ps]: NullIn<TypeOfExpr<Ps[K]>> }[number]

// A rest parameter is always a fresh array, so `ps` is the node's own: no copy needed.
/** `p AND q AND ...` (`and()` of nothing is TRUE). */
export const and = <Ps extends readonly Predicate[]>(...ps: Ps): Expr<boolean | NullsOf<Ps>> =>
  mk({ _tag: 'Logical', op: 'and', args: ps })
/** `p OR q OR ...` (`or()` of nothing is FALSE). */
export const or = <Ps extends readonly Predicate[]>(...ps: Ps): Expr<boolean | NullsOf<Ps>> =>
  mk({ _tag: 'Logical', op: 'or', args: ps })
/** `NOT p`. */
export const not = <T extends boolean | null>(p: Expr<T>): Expr<T> => mk({ _tag: 'Not', arg: p })

/** `a IS NULL`. */
export const isNull = (a: Expr<unknown>): Expr<boolean> => mk({ _tag: 'IsNull', arg: a, negated: false })
/** `a IS NOT NULL`. */
export const isNotNull = (a: Expr<unknown>): Expr<boolean> => mk({ _tag: 'IsNull', arg: a, negated: true })
/** `a IS DISTINCT FROM b`: inequality where NULL equals NULL (never NULL itself). */
export const isDistinctFrom = <T>(a: Expr<T>, b: Operand<T> | null): Expr<boolean> =>
  mk({ _tag: 'IsDistinct', left: a, right: lift(b, typeOf(a)), negated: false })
/** `a IS NOT DISTINCT FROM b`: null-safe equality. */
export const isNotDistinctFrom = <T>(a: Expr<T>, b: Operand<T> | null): Expr<boolean> =>
  mk({ _tag: 'IsDistinct', left: a, right: lift(b, typeOf(a)), negated: true })

const inOf = (a: ExprNode, xs: readonly unknown[] | Query<unknown>, negated: boolean): ExprNode =>
  isQuery(xs)
    ? mk({ _tag: 'InQuery', arg: a, query: xs, negated })
    : mk({ _tag: 'InList', arg: a, list: (xs as readonly unknown[]).map((x) => lift(x, typeOf(a))), negated })

/**
 * `a IN (...)` over a list or a one-column query. An empty list is FALSE
 * (never the invalid `IN ()`).
 */
export const isIn = <T>(a: Expr<T>, xs: readonly Operand<T>[] | Query<{ readonly [k: string]: T }>): Expr<boolean | NullIn<T>> =>
  inOf(a, xs as readonly unknown[] | Query<unknown>, false) as Expr<boolean | NullIn<T>>
/** `a NOT IN (...)`; an empty list is TRUE. */
export const notIn = <T>(a: Expr<T>, xs: readonly Operand<T>[] | Query<{ readonly [k: string]: T }>): Expr<boolean | NullIn<T>> =>
  inOf(a, xs as readonly unknown[] | Query<unknown>, true) as Expr<boolean | NullIn<T>>

/** One row of operands for the expressions `Es` (plain values become parameters typed by their column). */
export type TupleOperands<Es extends readonly Expr<unknown>[]> = { readonly [K in keyof Es]: Operand<TypeOfExpr<Es[K]>> }

/** `null` if any expression of the tuple may be NULL. */
export type NullInTuple<Es extends readonly Expr<unknown>[]> = { [K in keyof Es]: NullIn<TypeOfExpr<Es[K]>> }[number]

const tupleInOf = (es: readonly ExprNode[], xs: readonly (readonly unknown[])[] | Query<unknown>, negated: boolean): ExprNode =>
  isQuery(xs)
    ? mk({ _tag: 'TupleInQuery', args: es, query: xs, negated })
    : mk({ _tag: 'TupleInList', args: es, rows: (xs as readonly (readonly unknown[])[]).map((r) => r.map((x, i) => lift(x, es[i] === undefined ? undefined : typeOf(es[i])))), negated })

/**
 * Row-value IN: `(a, b) IN ((1, 2), (3, 4))`, or `(a, b) IN (SELECT x, y ...)`.
 * Each row must have one value per expression (a row or query of another
 * width is an InvalidQuery error at compile time). An empty list is FALSE,
 * as for `isIn`. SQLite spells the list `IN (VALUES (?, ?), ...)`.
 *
 * @example
 * where((s) => isInTuple([s.posts.author_id, s.posts.id], [[1, 10], [2, 20]]))
 */
export const isInTuple = <const Es extends readonly Expr<unknown>[]>(
  es: Es,
  xs: readonly TupleOperands<Es>[] | Query<{ readonly [k: string]: unknown }>,
): Expr<boolean | NullInTuple<Es>> => tupleInOf(es, xs as readonly (readonly unknown[])[] | Query<unknown>, false) as never

/**
 * Row-value NOT IN; an empty list is TRUE.
 *
 * @example
 * where((s) => notInTuple([s.posts.author_id, s.posts.id], [[1, 10]]))
 */
export const notInTuple = <const Es extends readonly Expr<unknown>[]>(
  es: Es,
  xs: readonly TupleOperands<Es>[] | Query<{ readonly [k: string]: unknown }>,
): Expr<boolean | NullInTuple<Es>> => tupleInOf(es, xs as readonly (readonly unknown[])[] | Query<unknown>, true) as never

/** `a BETWEEN low AND high` (inclusive). */
export const between = <T>(a: Expr<T>, low: Operand<T>, high: Operand<T>): Expr<boolean | NullIn<T>> =>
  mk({ _tag: 'Between', arg: a, low: lift(low, typeOf(a)), high: lift(high, typeOf(a)), negated: false })
/** `a NOT BETWEEN low AND high`. */
export const notBetween = <T>(a: Expr<T>, low: Operand<T>, high: Operand<T>): Expr<boolean | NullIn<T>> =>
  mk({ _tag: 'Between', arg: a, low: lift(low, typeOf(a)), high: lift(high, typeOf(a)), negated: true })

/** Options of the `like` family: an escape character for `%` and `_`. */
export interface LikeOptions {
  readonly escape?: string
}

const likeOf = (a: ExprNode, p: unknown, ci: boolean, negated: boolean, o: LikeOptions | undefined): ExprNode =>
  mk({
    _tag: 'Like',
    arg: a,
    pattern: lift(p, T.text),
    escape: o?.escape === undefined ? undefined : lift(o.escape, T.text),
    caseInsensitive: ci,
    negated,
  })

/**
 * `a LIKE pattern [ESCAPE e]`. Case sensitivity is the engine's: PostgreSQL
 * matches case-sensitively, MySQL (default collations) and SQLite (ASCII)
 * do not; `ilike` is case-insensitive on all three. Without `escape`, the
 * escape character is the engine's default (`\` on PostgreSQL and MySQL,
 * none on SQLite): give one when the pattern may hold `%` or `_` literally.
 */
export const like = <T extends string | null>(a: Expr<T>, pattern: Operand<string>, o?: LikeOptions): Expr<boolean | NullIn<T>> =>
  likeOf(a, pattern, false, false, o) as Expr<boolean | NullIn<T>>
/** `a NOT LIKE pattern`. */
export const notLike = <T extends string | null>(a: Expr<T>, pattern: Operand<string>, o?: LikeOptions): Expr<boolean | NullIn<T>> =>
  likeOf(a, pattern, false, true, o) as Expr<boolean | NullIn<T>>
/** Case-insensitive like (`ILIKE` on PostgreSQL, `LOWER(a) LIKE LOWER(p)` elsewhere). */
export const ilike = <T extends string | null>(a: Expr<T>, pattern: Operand<string>, o?: LikeOptions): Expr<boolean | NullIn<T>> =>
  likeOf(a, pattern, true, false, o) as Expr<boolean | NullIn<T>>
/** Case-insensitive not like. */
export const notIlike = <T extends string | null>(a: Expr<T>, pattern: Operand<string>, o?: LikeOptions): Expr<boolean | NullIn<T>> =>
  likeOf(a, pattern, true, true, o) as Expr<boolean | NullIn<T>>

/** Escape `%`, `_` and the escape character itself in a string meant to match literally. */
export const escapeLike = (s: string, escape = '\\'): string =>
  Array.from(s, (ch) => (ch === escape || ch === '%' || ch === '_' ? escape + ch : ch)).join('')
