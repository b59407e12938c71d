/**
 * Set operations and VALUES lists. Operands must have the same columns; the
 * result row type admits what either side admits. A set operation takes
 * `orderBy`, `limit` and `offset` directly; their callbacks receive the
 * result's columns.
 *
 * @example
 * pipe(
 *   from(users),
 *   select((s) => ({ name: s.users.name })),
 *   union(pipe(from(posts), select((s) => ({ name: s.posts.title })))),
 *   orderBy((r) => [r.name]),
 *   limit(10),
 * )
 */
import type { ColumnType, AnyColumnDef } from '../schema/column.js'
import { lift } from '../expr/operators.js'
import type { RowCols } from './relation.js'
import { mkQuery, type Query, type QueryNode, type Scoped, type SetOpNode } from './query-node.js'

/** The row type of a set operation over rows `A` and `B`. */
export type UnionRow<A, B> = { readonly [K in keyof A]: A[K] | (K extends keyof B ? B[K] : never) }

/** A set operation with rows `R`; `orderBy` callbacks receive its result columns. */
export type SetQuery<R> = SetOpNode & Query<R> & Scoped<RowCols<R>>

const setOp =
  (op: 'union' | 'intersect' | 'except', all: boolean) =>
  <B>(right: Query<B>) =>
  <A>(left: Query<A>): SetQuery<UnionRow<A, B>> =>
    mkQuery({ _tag: 'SetOp', op, all, left: left as QueryNode, right: right as QueryNode, orderBy: [], limit: undefined, offset: undefined }) as never

/** `left UNION right` (duplicates removed). `pipe(a, union(b))`. */
export const union = setOp('union', false)
/** `left UNION ALL right` (bag union). */
export const unionAll = setOp('union', true)
/** `left INTERSECT right`. */
export const intersect = setOp('intersect', false)
/** `left INTERSECT ALL right` (PostgreSQL, MariaDB). */
export const intersectAll = setOp('intersect', true)
/** `left EXCEPT right`. */
export const except = setOp('except', false)
/** `left EXCEPT ALL right` (PostgreSQL, MariaDB). */
export const exceptAll = setOp('except', true)

/** Column definitions that type a VALUES list. */
export type ValueColumns = { readonly [name: string]: AnyColumnDef }

/** The row type of a VALUES list. */
export type ValuesRow<C extends ValueColumns> = { readonly [K in keyof C]: ColumnType<C[K]> }

/**
 * A VALUES list as a query (use `as(alias)` to join it). Columns are typed
 * by column builders so that every dialect gets the same column types.
 *
 * @example
 * values({ id: integer().notNull(), name: text() }, [{ id: 1, name: 'a' }])
 */
export const values = <C extends ValueColumns>(columns: C, rows: readonly ValuesRow<C>[]): Query<ValuesRow<C>> => {
  if (rows.length === 0) throw new TypeError('values() needs at least one row')
  const cols = Object.entries(columns).map(([name, def]) => Object.freeze({ name, type: def.spec.type }))
  return mkQuery({
    _tag: 'Values',
    columns: Object.freeze(cols),
    rows: Object.freeze(rows.map((r) => Object.freeze(cols.map((c) => lift((r as Record<string, unknown>)[c.name] ?? null, c.type))))),
  })
}
