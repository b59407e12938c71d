/**
 * Relations: what `from` and the joins accept. A table, a derived table
 * (`as(alias)(query)`), or a CTE reference; each has an alias and column
 * expressions `c` qualified by that alias.
 */
import type { DataType } from '../data-type.js'
import { mk, type Expr } from '../expr/expr-node.js'
import type { Table, Columns, ColumnRefs } from '../schema/table.js'
import { mkQuery, outputColumns, type Cols, type CteDef, type FromItem, type Query, type QueryNode } from './query-node.js'

declare const relCols: unique symbol

/** A derived table: a query under an alias, optionally LATERAL. */
export type Derived<A extends string, C extends Cols> = Extract<FromItem, { readonly _tag: 'Derived' }> & {
  readonly alias: A
  readonly c: C
}

/** A reference to a common table expression. */
export type CteRel<A extends string, C extends Cols> = Extract<FromItem, { readonly _tag: 'CteRef' }> & {
  readonly alias: A
  readonly c: C
  readonly [relCols]?: C
}

/** Anything usable in `from` / `join`. */
export type Relation =
  | Table<string, Columns, string>
  | Derived<string, Cols>
  | CteRel<string, Cols>

/** The alias of a relation (its name in the scope). */
export type AliasOf<R> = R extends { readonly alias: infer A extends string } ? A : never

/** The column expressions of a relation. */
export type ColsOf<R> = R extends Table<string, infer C, string> ? ColumnRefs<C> : R extends { readonly c: infer C extends Cols } ? C : never

/** Column expressions for query output columns, qualified by `alias`. */
export type RowCols<R> = { readonly [K in keyof R]: Expr<R[K]> }

/** Column refs for named output columns under an alias. */
export const colsFor = (alias: string, columns: readonly { readonly name: string; readonly type: DataType | undefined }[]): Cols => {
  const out: Record<string, Expr<unknown>> = {}
  for (const c of columns) out[c.name] = Object.freeze(mk({ _tag: 'Column', source: alias, name: c.name, type: c.type }))
  return Object.freeze(out)
}

/**
 * Use a query as a derived table under `alias`.
 *
 * @example
 * const recent = pipe(recentPosts, as('recent')) // from(recent), recent.c.id
 */
export const as =
  <A extends string>(alias: A) =>
  <R>(q: Query<R>): Derived<A, RowCols<R>> =>
    mkQuery({ _tag: 'Derived', query: q, alias, lateral: false, c: colsFor(alias, outputColumns(q)) } as never)

/** Mark a derived table LATERAL: it may refer to the sources joined before it. */
export const lateral = <A extends string, C extends Cols>(d: Derived<A, C>): Derived<A, C> => mkQuery({ ...d, lateral: true } as never)

/**
 * A common table expression named `name`. Referencing it in a query hoists
 * its definition into that statement's `WITH` clause.
 */
export const cte =
  <A extends string>(name: A) =>
  <R>(q: Query<R>): CteRel<A, RowCols<R>> => {
    const def: CteDef = Object.freeze({
      name,
      columns: Object.freeze(outputColumns(q).map((c) => c.name)),
      query: q,
      recursive: false,
    })
    return mkQuery({ _tag: 'CteRef', name, alias: name, def, c: colsFor(name, outputColumns(q)) } as never)
  }

/**
 * A recursive CTE: `base UNION [ALL] step(self)`, where `self` stands for the
 * CTE itself inside `step`.
 *
 * @example
 * const chain = recursiveCte('chain', base, (self) => pipe(from(employees), join(self, ...), select(...)))
 */
export const recursiveCte = <A extends string, R>(
  name: A,
  base: Query<R>,
  step: (self: CteRel<A, RowCols<R>>) => Query<R>,
  options?: { readonly distinct?: boolean },
): CteRel<A, RowCols<R>> => {
  const cols = outputColumns(base)
  const self = mkQuery({ _tag: 'CteRef', name, alias: name, def: undefined, c: colsFor(name, cols) } as never) as CteRel<A, RowCols<R>>
  const body: QueryNode = mkQuery({
    _tag: 'SetOp',
    op: 'union',
    all: options?.distinct !== true,
    left: base,
    right: step(self),
    orderBy: [],
    limit: undefined,
    offset: undefined,
  })
  const def: CteDef = Object.freeze({ name, columns: Object.freeze(cols.map((c) => c.name)), query: body, recursive: true })
  return mkQuery({ _tag: 'CteRef', name, alias: name, def, c: colsFor(name, cols) } as never)
}

/** Reference a CTE under another alias (e.g. to join it with itself). */
export const cteAlias =
  <A extends string>(alias: A) =>
  <C extends Cols>(r: CteRel<string, C>): CteRel<A, C> =>
    mkQuery({ ...r, alias, c: colsFor(alias, Object.entries(r.c).map(([name, e]) => ({ name, type: e._tag === 'Column' ? e.type : undefined }))) } as never)

/** The FROM item a relation stands for. */
export const fromItemOf = (r: Relation): FromItem => {
  if (r._tag !== 'Table') return r
  let item = tableRefs.get(r)
  if (item === undefined) {
    item = Object.freeze({ _tag: 'TableRef', table: r, alias: r.alias })
    tableRefs.set(r, item)
  }
  return item
}
const tableRefs = new WeakMap<object, FromItem>()
