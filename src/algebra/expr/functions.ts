/**
 * Scalar functions, `case`, `cast`, date parts and the typed escape hatch
 * `fn<T>(name, ...args)` for any function the database has.
 */
import type { DataType, KindToTs } from '../data-type.js'
import type { Query } from '../query/query-node.js'
import { mk, type BuiltinFn, type DatePart, type Expr, type ExprNode } from './expr-node.js'
import { dataTypes, lift, typeOf, type NullIn, type Operand, type Predicate, type TypeOfOperand } from './operators.js'

const builtin = (fn: BuiltinFn, args: readonly unknown[], hint: DataType | undefined): ExprNode =>
  mk({ _tag: 'Builtin', fn, args: args.map((a) => lift(a, hint)) })

/** `LOWER(s)`. */
export const lower = <T extends string | null>(s: Expr<T>): Expr<T> => builtin('lower', [s], undefined) as Expr<T>
/** `UPPER(s)`. */
export const upper = <T extends string | null>(s: Expr<T>): Expr<T> => builtin('upper', [s], undefined) as Expr<T>
/** Length in characters (`CHAR_LENGTH` on MySQL, whose `LENGTH` counts bytes). */
export const length = <T extends string | null>(s: Expr<T>): Expr<number | NullIn<T>> =>
  builtin('length', [s], undefined) as Expr<number | NullIn<T>>
/** `TRIM(s)`: strip leading and trailing spaces. */
export const trim = <T extends string | null>(s: Expr<T>): Expr<T> => builtin('trim', [s], undefined) as Expr<T>
/** Substring from 1-based `start`, optionally `count` characters. */
export const substring = <T extends string | null>(s: Expr<T>, start: Operand<number>, count?: Operand<number>): Expr<T> =>
  builtin('substr', count === undefined ? [s, start] : [s, start, count], dataTypes.integer) as Expr<T>
/** `ABS(x)`. */
export const abs = <T extends number | string | bigint | null>(x: Expr<T>): Expr<T> => builtin('abs', [x], undefined) as Expr<T>
/** `ROUND(x, digits)`. */
export const round = <T extends number | string | null>(x: Expr<T>, digits: Operand<number> = 0): Expr<T> =>
  builtin('round', [x, digits], dataTypes.integer) as Expr<T>

/** First non-NULL argument; NULL only if the last one may be. */
export const coalesce = <T, L extends Operand<T>>(
  first: Expr<T>,
  ...rest: readonly [...Operand<T>[], L]
): Expr<NonNullable<T> | NullIn<TypeOfOperand<L>>> =>
  builtin('coalesce', [first, ...rest].map((x) => lift(x, typeOf(first))), undefined) as never
/** `NULLIF(a, b)`: NULL when a = b, else a. */
export const nullif = <T>(a: Expr<T>, b: Operand<T>): Expr<T | null> => builtin('nullif', [a, lift(b, typeOf(a))], undefined) as never

/**
 * String concatenation that is NULL when any part is NULL (`||`, or
 * `CONCAT` on MySQL). Plain strings become parameters.
 */
export const concat = <Ps extends readonly Operand<string | null>[]>(
  ...parts: Ps
): Expr<string | { [K in keyof Ps]: NullIn<TypeOfOperand<Ps[K]>> }[number]> =>
  mk({ _tag: 'Concat', args: parts.map((p) => lift(p, dataTypes.text)) })

/** A date/time part as an integer (`EXTRACT(YEAR FROM d)`; `strftime` on SQLite). */
export const extract = <T extends string | Date | null>(part: DatePart, d: Expr<T>): Expr<number | NullIn<T>> =>
  mk({ _tag: 'Extract', part, arg: d })

/** `CAST(x AS type)`; the result type follows the target data type. */
export const cast = <T, K extends DataType>(x: Expr<T>, to: K): Expr<KindToTs[K['kind']] | NullIn<T>> =>
  mk({ _tag: 'Cast', arg: x, to: Object.freeze(to) as DataType })

/**
 * The escape hatch for any SQL function: `fn<number>('greatest', a, b)`.
 * The name must be a plain identifier (checked at compile time); it is
 * printed as written, arguments become parameters.
 */
export const fn = <T>(name: string, ...args: readonly unknown[]): Expr<T> =>
  mk({ _tag: 'Func', name, args: args.map((a) => lift(a, undefined)) })

/** Literal types widened to their base type (`'a'` → `string`, `1` → `number`). */
export type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends bigint ? bigint : T

type CaseResult<Ws extends readonly (readonly [Predicate, unknown])[]> = {
  [K in keyof Ws]: Widen<TypeOfOperand<Ws[K][1]>>
}[number]

/**
 * `CASE WHEN p THEN x ... ELSE y END`; without `otherwise` the result may be NULL.
 *
 * @example
 * caseWhen([[gt(t.c.n, 0), 'pos'], [lt(t.c.n, 0), 'neg']], 'zero')
 */
export function caseWhen<const Ws extends readonly (readonly [Predicate, unknown])[]>(whens: Ws): Expr<CaseResult<Ws> | null>
export function caseWhen<const Ws extends readonly (readonly [Predicate, unknown])[], E>(
  whens: Ws,
  otherwise: E,
): Expr<CaseResult<Ws> | Widen<TypeOfOperand<E>>>
export function caseWhen(whens: readonly (readonly [Predicate, unknown])[], ...otherwise: readonly unknown[]): Expr<unknown> {
  const hint = whens.map(([, t]) => (typeof t === 'object' && t !== null && '_tag' in t ? typeOf(t as ExprNode) : undefined)).find((t) => t !== undefined)
  return mk({
    _tag: 'Case',
    whens: whens.map(([w, t]) => ({ when: w, then: lift(t, hint) })),
    otherwise: otherwise.length === 0 ? undefined : lift(otherwise[0], hint),
  })
}

/** A scalar subquery: the single value of a one-row, one-column query (NULL when no row). */
export const scalar = <R extends { readonly [k: string]: unknown }>(q: Query<R>): Expr<R[keyof R] | null> =>
  mk({ _tag: 'Subquery', query: q })

/** `EXISTS (query)`. */
export const exists = (q: Query<unknown>): Expr<boolean> => mk({ _tag: 'Exists', query: q })
