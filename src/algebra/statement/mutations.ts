/**
 * Constructors for INSERT / UPDATE / DELETE and their upsert and RETURNING
 * clauses. Plain values become bind parameters typed by their column;
 * client-side column defaults are filled in here, so a statement value shows
 * exactly what will be written.
 *
 * @example
 * pipe(insert(users, [{ name: 'ada', email: 'a@x' }]), returning((s) => ({ id: s.users.id })))
 */
import { mk, type Expr, type ExprNode, type TypeOfExpr } from '../expr/expr-node.js'
import { lift, type Predicate } from '../expr/operators.js'
import { fromItemOf, type AliasOf, type ColsOf, type Relation } from '../query/relation.js'
import type { Cols, Field, Query, QueryNode, Scope } from '../query/query-node.js'
import type { RowOfFields, Fields } from '../query/select.js'
import type { ColumnRefs, Columns, InsertRowOf, RowOf, Table } from '../schema/table.js'
import type { Assignment, DeleteNode, InsertNode, Mutation, MutationNode, OnConflict, UpdateNode } from './mutation-node.js'

type Flat<T> = { readonly [K in keyof T]: T[K] } & {}
type TableScope<T> = T extends Table<string, infer C, infer A> ? { readonly [K in A]: ColumnRefs<C> } : never
type AnyT = Table<string, Columns, string>

/** The values an UPDATE may set: per column, a value or an expression. */
export type SetOf<T> = { readonly [K in keyof RowOf<T>]?: RowOf<T>[K] | Expr<RowOf<T>[K]> }

const scopeOf = (t: AnyT): Scope => Object.freeze({ [t.alias]: t.c as Cols })

const assignments = (t: AnyT, set: Readonly<Record<string, unknown>>): readonly Assignment[] =>
  Object.freeze(
    Object.entries(set)
      .filter(([, v]) => v !== undefined)
      .map(([column, v]) => {
        const def = t.columns[column]
        if (def === undefined) throw new TypeError(`table ${t.name} has no column "${column}"`)
        return Object.freeze({ column, expr: lift(v, def.spec.type) })
      }),
  )

/**
 * INSERT one row or many. Columns are the union of the rows' keys (in table
 * order); a row that lacks one gets the column's client default, else DEFAULT.
 */
export const insert = <T extends AnyT>(
  t: T,
  rows: InsertRowOf<T> | readonly InsertRowOf<T>[],
): Mutation<InsertNode, TableScope<T>, never> => {
  const list = (Array.isArray(rows) ? rows : [rows]) as readonly Readonly<Record<string, unknown>>[]
  if (list.length === 0) throw new TypeError('insert needs at least one row')
  for (const r of list) for (const k of Object.keys(r)) if (!(k in t.columns)) throw new TypeError(`table ${t.name} has no column "${k}"`)
  const columns = Object.keys(t.columns).filter(
    (c) => t.columns[c]?.spec.default !== undefined || list.some((r) => r[c] !== undefined),
  )
  const cells = list.map((r) =>
    Object.freeze(
      columns.map((c): ExprNode | undefined => {
        const spec = (t.columns[c] as Columns[string]).spec
        const v = r[c]
        return v !== undefined ? lift(v, spec.type) : spec.default !== undefined ? lift(spec.default.value, spec.type) : undefined
      }),
    ),
  )
  return Object.freeze({
    _tag: 'Insert',
    table: t,
    columns: Object.freeze(columns),
    source: Object.freeze({ kind: 'rows', rows: Object.freeze(cells) }),
    onConflict: undefined,
    returning: undefined,
    where: undefined,
    scope: scopeOf(t),
  }) as Mutation<InsertNode, TableScope<T>, never>
}

/** INSERT INTO t (columns) SELECT ... */
export const insertFrom = <T extends AnyT, const K extends readonly (keyof RowOf<T> & string)[]>(
  t: T,
  columns: K,
  query: Query<{ readonly [I in keyof K]: unknown }> | QueryNode,
): Mutation<InsertNode, TableScope<T>, never> =>
  Object.freeze({
    _tag: 'Insert',
    table: t,
    columns: Object.freeze([...columns]),
    source: Object.freeze({ kind: 'query', query: query as QueryNode }),
    onConflict: undefined,
    returning: undefined,
    where: undefined,
    scope: scopeOf(t),
  }) as Mutation<InsertNode, TableScope<T>, never>

const withConflict = <M extends InsertNode>(m: M, c: OnConflict): M => Object.freeze({ ...m, onConflict: Object.freeze(c) })

/** ON CONFLICT (target) DO NOTHING (on MySQL: a no-op ON DUPLICATE KEY UPDATE). */
export const onConflictDoNothing =
  (target: readonly string[] = []) =>
  <S extends Scope, R>(m: Mutation<InsertNode, S, R>): Mutation<InsertNode, S, R> =>
    withConflict(m, { target: Object.freeze([...target]), action: Object.freeze({ kind: 'nothing' }) })

/** The columns of the one table a mutation's scope holds. */
export type TableCols<S> = S[keyof S]

/** SET values given as column expressions: a value or an expression per column. */
export type SetOfCols<C> = { readonly [K in keyof C]?: TypeOfExpr<C[K]> | C[K] }

/**
 * ON CONFLICT (target) DO UPDATE SET ... — `set` receives the proposed row
 * (`excluded`, `VALUES()` on MySQL) and the table's current columns.
 *
 * @example
 * onConflictDoUpdate(['email'], (ex) => ({ name: ex.name }))
 */
export const onConflictDoUpdate =
  <S extends Scope>(
    target: readonly (keyof TableCols<S> & string)[],
    set: (excluded: TableCols<S>, current: TableCols<S>) => SetOfCols<TableCols<S>>,
    where?: (excluded: TableCols<S>, current: TableCols<S>) => Predicate,
  ) =>
  <R>(m: Mutation<InsertNode, S, R>): Mutation<InsertNode, S, R> => {
    const ex: Record<string, Expr<unknown>> = {}
    for (const [name, def] of Object.entries(m.table.columns)) ex[name] = mk({ _tag: 'Excluded', name, type: def.spec.type })
    const excluded = Object.freeze(ex) as unknown as TableCols<S>
    const current = m.table.c as unknown as TableCols<S>
    return withConflict(m, {
      target: Object.freeze([...target]),
      action: Object.freeze({
        kind: 'update',
        set: assignments(m.table, set(excluded, current) as Readonly<Record<string, unknown>>),
        where: where?.(excluded, current),
      }),
    })
  }

/** What `update` takes: SET values, an optional FROM relation and WHERE. */
export interface UpdateInput<T extends AnyT, S> {
  readonly set: (s: S) => SetOf<T>
  readonly where?: (s: S) => Predicate
}

/**
 * UPDATE t SET ... WHERE ...; callbacks receive the scope (the table by its alias).
 *
 * @example
 * update(users, { set: () => ({ name: 'x' }), where: (s) => eq(s.users.id, 1) })
 */
export const update = <T extends AnyT>(t: T, u: UpdateInput<T, Flat<TableScope<T>>>): Mutation<UpdateNode, TableScope<T>, never> => {
  const scope = scopeOf(t)
  return Object.freeze({
    _tag: 'Update',
    table: t,
    set: assignments(t, u.set(scope as Flat<TableScope<T>>) as Readonly<Record<string, unknown>>),
    from: undefined,
    where: u.where?.(scope as Flat<TableScope<T>>),
    returning: undefined,
    scope,
  }) as Mutation<UpdateNode, TableScope<T>, never>
}

/**
 * UPDATE t SET ... FROM r WHERE ... (`UPDATE t, r SET ...` on MySQL): the
 * join condition goes in `where`.
 */
export const updateFrom = <T extends AnyT, F extends Relation>(
  t: T,
  r: F,
  u: UpdateInput<T, Flat<TableScope<T> & { readonly [K in AliasOf<F>]: ColsOf<F> }>>,
): Mutation<UpdateNode, Flat<TableScope<T> & { readonly [K in AliasOf<F>]: ColsOf<F> }>, never> => {
  const scope = Object.freeze({ ...scopeOf(t), [r.alias]: r.c as Cols })
  return Object.freeze({
    _tag: 'Update',
    table: t,
    set: assignments(t, u.set(scope as never) as Readonly<Record<string, unknown>>),
    from: fromItemOf(r),
    where: u.where?.(scope as never),
    returning: undefined,
    scope,
  }) as never
}

/** DELETE FROM t [WHERE ...]. */
export const deleteFrom = <T extends AnyT>(
  t: T,
  where?: (s: Flat<TableScope<T>>) => Predicate,
): Mutation<DeleteNode, TableScope<T>, never> => {
  const scope = scopeOf(t)
  return Object.freeze({
    _tag: 'Delete',
    table: t,
    using: undefined,
    where: where?.(scope as Flat<TableScope<T>>),
    returning: undefined,
    scope,
  }) as Mutation<DeleteNode, TableScope<T>, never>
}

/**
 * DELETE FROM t USING r WHERE ... (`DELETE t FROM t, r` on MySQL; SQLite has
 * no such form and gives Unsupported): the join condition goes in `where`.
 */
export const deleteUsing = <T extends AnyT, F extends Relation>(
  t: T,
  r: F,
  where: (s: Flat<TableScope<T> & { readonly [K in AliasOf<F>]: ColsOf<F> }>) => Predicate,
): Mutation<DeleteNode, Flat<TableScope<T> & { readonly [K in AliasOf<F>]: ColsOf<F> }>, never> => {
  const scope = Object.freeze({ ...scopeOf(t), [r.alias]: r.c as Cols })
  return Object.freeze({
    _tag: 'Delete',
    table: t,
    using: fromItemOf(r),
    where: where(scope as never),
    returning: undefined,
    scope,
  }) as never
}

/**
 * RETURNING: the rows written, as fields chosen from the scope (the table by
 * its alias); it comes last in a pipe. Dialects without it for this
 * statement give Unsupported.
 *
 * @example
 * pipe(insert(users, row), returning((s) => ({ id: s.users.id })))
 */
export const returning =
  <S extends Scope, F extends Fields>(f: (s: S) => F) =>
  <R>(m: Mutation<MutationNode, S, R>): Mutation<MutationNode, S, Flat<RowOfFields<F>>> => {
    const fields: readonly Field[] = Object.freeze(
      Object.entries(f(m.scope as S)).map(([name, expr]) => Object.freeze({ name, expr })),
    )
    return Object.freeze({ ...m, returning: fields }) as never
  }
