/**
 * Tables: a name, column definitions and table constraints, as one frozen
 * value. A table is also a relation: `t.c.col` is a column expression
 * qualified by the table's alias (its name unless `alias`ed for a self-join).
 */
import { mk, type Expr, type ExprNode } from '../expr/expr-node.js'
import type { AnyColumnDef, ColumnOptional, ColumnType } from './column.js'

/** Column definitions by SQL column name. */
export type Columns = Readonly<Record<string, AnyColumnDef>>

/** Column expressions of a table, by name. */
export type ColumnRefs<C extends Columns> = { readonly [K in keyof C]: Expr<ColumnType<C[K]>> }

/** Referential actions. */
export type FkAction = 'cascade' | 'restrict' | 'set null' | 'set default' | 'no action'

/** When a deferrable foreign key is checked by default: at commit (`deferred`) or per statement (`immediate`). */
export type FkDeferrable = 'deferred' | 'immediate'

/** A foreign key: local columns → columns of another (or the same) table. */
export interface ForeignKey {
  readonly name: string | undefined
  readonly columns: readonly string[]
  /** A thunk so that tables may reference each other or themselves. */
  readonly references: () => AnyTable
  readonly referencedColumns: readonly string[]
  readonly onDelete: FkAction | undefined
  readonly onUpdate: FkAction | undefined
  /**
   * Whether `createAll` adds this key by ALTER TABLE after every table exists: `true` always,
   * `false` never (a cycle through it is an `FkCycle` error), `undefined` when it closes a cycle.
   */
  readonly useAlter: boolean | undefined
  /** DEFERRABLE INITIALLY DEFERRED / IMMEDIATE; undefined: not deferrable. */
  readonly deferrable: FkDeferrable | undefined
}

/** An index; `where` makes it partial (PostgreSQL, SQLite). */
export interface Index {
  readonly name: string
  readonly columns: readonly string[]
  readonly unique: boolean
  readonly where: ExprNode | undefined
}

/** Constraints and indexes given to `table`. Column names are checked by type. */
export interface TableOptions<C extends Columns> {
  readonly primaryKey?: readonly (keyof C & string)[]
  readonly unique?: readonly (readonly (keyof C & string)[])[]
  readonly checks?: readonly { readonly name: string; readonly expr: ExprNode }[]
  readonly foreignKeys?: readonly ForeignKeyOption<C>[]
  readonly indexes?: readonly {
    readonly name: string
    readonly columns: readonly (keyof C & string)[]
    readonly unique?: boolean
    readonly where?: ExprNode
  }[]
}

/** A foreign key as written in `TableOptions`. */
export interface ForeignKeyOption<C extends Columns> {
  readonly name?: string
  readonly columns: readonly (keyof C & string)[]
  readonly references: () => AnyTable
  readonly referencedColumns: readonly string[]
  readonly onDelete?: FkAction
  readonly onUpdate?: FkAction
  /** See {@link ForeignKey.useAlter}: by default a key is added by ALTER TABLE only when it closes a cycle. */
  readonly useAlter?: boolean
  /** Make the key deferrable (PostgreSQL, SQLite), checked at commit (`deferred`) or per statement (`immediate`). */
  readonly deferrable?: FkDeferrable
}

/** A table (or an alias of one) with columns `C`. */
export interface Table<N extends string, C extends Columns, A extends string = N> {
  readonly _tag: 'Table'
  readonly name: N
  /** The name this relation goes by in a query (the table name unless aliased). */
  readonly alias: A
  readonly columns: C
  readonly c: ColumnRefs<C>
  readonly primaryKey: readonly string[]
  readonly uniques: readonly (readonly string[])[]
  readonly checks: readonly { readonly name: string; readonly expr: ExprNode }[]
  readonly foreignKeys: readonly ForeignKey[]
  readonly indexes: readonly Index[]
}

/** Any table. */
export type AnyTable = Table<string, Columns, string>

/** The row a table gives when selected. */
export type RowOf<T> = T extends Table<string, infer C, string> ? { readonly [K in keyof C]: ColumnType<C[K]> } : never

type RequiredKeys<C extends Columns> = { [K in keyof C]: ColumnOptional<C[K]> extends true ? never : K }[keyof C]
type OptionalKeys<C extends Columns> = Exclude<keyof C, RequiredKeys<C>>

/** What `insert` accepts for a table: required columns plus optional ones. */
export type InsertRowOf<T> =
  T extends Table<string, infer C, string>
    ? { readonly [K in RequiredKeys<C>]: ColumnType<C[K]> | Expr<ColumnType<C[K]>> } & {
        readonly [K in OptionalKeys<C>]?: ColumnType<C[K]> | Expr<ColumnType<C[K]>>
      }
    : never

const refs = <C extends Columns>(alias: string, columns: C): ColumnRefs<C> => {
  const out: Record<string, Expr<unknown>> = {}
  for (const [name, def] of Object.entries(columns)) out[name] = Object.freeze(mk({ _tag: 'Column', source: alias, name, type: def.spec.type }))
  return Object.freeze(out) as ColumnRefs<C>
}

/**
 * Define a table. Constraints that need column expressions (checks, partial
 * indexes) may be given by a function of the column refs.
 *
 * @example
 * const users = table('users', { id: integer().primaryKey(), name: text().notNull() })
 */
export const table = <const N extends string, const C extends Columns>(
  name: N,
  columns: C,
  options?: TableOptions<C> | ((c: ColumnRefs<C>) => TableOptions<C>),
): Table<N, C> => {
  const c = refs(name, columns)
  const o: TableOptions<C> = typeof options === 'function' ? options(c) : (options ?? {})
  const inline = Object.entries(columns).filter(([, d]) => d.spec.primaryKey).map(([n]) => n)
  if (o.primaryKey !== undefined && inline.length > 0) {
    throw new Error(`table ${name}: give the primary key either on columns or in options, not both`)
  }
  return Object.freeze({
    _tag: 'Table' as const,
    name,
    alias: name,
    columns: Object.freeze({ ...columns }),
    c,
    primaryKey: Object.freeze([...(o.primaryKey ?? inline)]),
    uniques: Object.freeze([
      ...Object.entries(columns).filter(([, d]) => d.spec.unique).map(([n]) => Object.freeze([n])),
      ...(o.unique ?? []).map((u) => Object.freeze([...u])),
    ]),
    checks: Object.freeze((o.checks ?? []).map((k) => Object.freeze({ ...k }))),
    foreignKeys: Object.freeze(
      (o.foreignKeys ?? []).map((f) =>
        Object.freeze({
          name: f.name,
          columns: Object.freeze([...f.columns]),
          references: f.references,
          referencedColumns: Object.freeze([...f.referencedColumns]),
          onDelete: f.onDelete,
          onUpdate: f.onUpdate,
          useAlter: f.useAlter,
          deferrable: f.deferrable,
        }),
      ),
    ),
    indexes: Object.freeze(
      (o.indexes ?? []).map((i) =>
        Object.freeze({ name: i.name, columns: Object.freeze([...i.columns]), unique: i.unique ?? false, where: i.where }),
      ),
    ),
  })
}

/**
 * The same table under another name in a query, for self-joins.
 *
 * @example
 * const boss = alias(employees, 'boss') // boss.c.id is "boss"."id"
 */
export const alias =
  <A extends string>(name: A) =>
  <N extends string, C extends Columns>(t: Table<N, C, string>): Table<N, C, A> =>
    Object.freeze({ ...t, alias: name, c: refs(name, t.columns) })
