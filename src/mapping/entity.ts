/**
 * Entities: a record type mapped to a table, or to any select or join
 * (read-only, since such a row cannot be written back). An entity lists its
 * fields (property = column name, data type, nullability, io-ts codec), its
 * key (the primary key unless stated) and its io-ts codec; its TypeScript
 * type is inferred from the table's columns or the declared view columns.
 */
import * as t from 'io-ts'
import * as Q from '../algebra/index.js'
import { fieldCodec } from './codecs.js'

declare const entityType: unique symbol

/** One mapped column. */
export interface FieldSpec {
  readonly prop: string
  readonly column: string
  readonly type: Q.DataType
  readonly nullable: boolean
  /** The io-ts codec of the loaded value. */
  readonly codec: t.Mixed
  /** True when the user gave the codec (the fast decoder then runs it). */
  readonly custom: boolean
}

/** Where an entity's rows come from. */
export type EntitySource =
  | { readonly _tag: 'Table'; readonly table: Q.AnyTable }
  | { readonly _tag: 'Query'; readonly query: Q.QueryNode }

/** An entity whose objects have type `A`. */
export interface Entity<A> {
  readonly _tag: 'Entity'
  readonly name: string
  readonly source: EntitySource
  readonly fields: readonly FieldSpec[]
  /** Key properties (one object per key within a load); empty: no identity. */
  readonly key: readonly string[]
  /** False for entities over a select or join. */
  readonly writable: boolean
  /**
   * The version column for optimistic concurrency, if any: an entity change
   * graph writes a row only while this column still holds the loaded value,
   * and increments it.
   */
  readonly version: string | undefined
  readonly codec: t.Decoder<unknown, A>
  readonly [entityType]?: A
}

/** Any entity. */
export type AnyEntity = Entity<any>

/** The object type of an entity. */
export type EntityType<E> = E extends Entity<infer A> ? A : never

/** Codecs that refine some columns: each decodes the column's loaded value. */
export type ColumnCodecs<C extends Q.Columns> = { readonly [K in keyof C]?: t.Decoder<Q.ColumnType<C[K]>, any> }

type Flat<T> = { readonly [K in keyof T]: T[K] } & {}

/** The object type of a table entity with column codecs `X`. */
export type TableEntity<C extends Q.Columns, X> = Flat<{
  readonly [K in keyof C]: K extends keyof X ? (X[K] extends t.Decoder<any, infer A> ? A : never) : Q.ColumnType<C[K]>
}>

/** Options of `entity`. */
export interface EntityOptions<C extends Q.Columns, X extends ColumnCodecs<C>> {
  /** Name in errors (default: the table name). */
  readonly name?: string
  /** Key columns (default: the table's primary key). */
  readonly key?: readonly (keyof C & string)[]
  readonly codecs?: X
  /** An integer column used for optimistic concurrency when objects are saved (see {@link Entity.version}). */
  readonly version?: keyof C & string
}

const make = <A>(name: string, source: EntitySource, fields: readonly FieldSpec[], key: readonly string[], writable: boolean, version?: string): Entity<A> => {
  for (const k of key) if (!fields.some((f) => f.prop === k)) throw new TypeError(`entity ${name}: key "${k}" is not one of its columns`)
  const v = version === undefined ? undefined : fields.find((f) => f.prop === version)
  if (version !== undefined && (v === undefined || (v.type.kind !== 'integer' && v.type.kind !== 'smallint' && v.type.kind !== 'bigint') || key.includes(version)))
    throw new TypeError(`entity ${name}: version "${version}" must be an integer column outside the key`)
  const codec = t.type(Object.fromEntries(fields.map((f) => [f.prop, f.codec])), name) as unknown as t.Decoder<unknown, A>
  return Object.freeze({ _tag: 'Entity', name, source, fields: Object.freeze(fields), key: Object.freeze([...key]), writable, version, codec })
}

const fieldOf = (name: string, def: Q.AnyColumnDef, custom: t.Mixed | undefined): FieldSpec =>
  Object.freeze({
    prop: name,
    column: name,
    type: def.spec.type,
    nullable: def.spec.nullable,
    codec: custom ?? fieldCodec(def.spec.type, def.spec.nullable),
    custom: custom !== undefined,
  })

/**
 * Map a table to an entity: one property per column, keyed by the primary key.
 *
 * @example
 * const ArtistE = entity(Artist) // Entity<{ readonly ArtistId: number; readonly Name: string | null }>
 * const UserE = entity(users, { version: 'version' }) // saves check and bump users.version
 */
export const entity = <N extends string, C extends Q.Columns, X extends ColumnCodecs<C> = {}>(
  table: Q.Table<N, C, string>,
  options?: EntityOptions<C, X>,
): Entity<TableEntity<C, X>> => {
  const codecs = (options?.codecs ?? {}) as Readonly<Record<string, t.Mixed | undefined>>
  const fields = Object.entries(table.columns).map(([name, def]) => fieldOf(name, def, codecs[name]))
  return make(options?.name ?? table.name, { _tag: 'Table', table }, fields, options?.key ?? table.primaryKey, true, options?.version)
}

/**
 * Declared result columns of a view: a column builder per output column
 * used, whose type must fit the query's (it may be narrower: NOT NULL on an
 * aggregate the query types as nullable is checked when rows are decoded).
 */
export type ViewColumns<R> = { readonly [K in keyof R]?: Q.ColumnDef<R[K], boolean> }

/**
 * Map any select (a join, an aggregate, a text query) to a read-only entity.
 * The columns used are declared with column builders, which give their data
 * type and nullability (aggregates carry neither in the query value); each
 * must be an output column of the query.
 *
 * @example
 * const spend = pipe(from(Invoice), groupBy((s) => [s.Invoice.CustomerId]),
 *   select((s) => ({ CustomerId: s.Invoice.CustomerId, Total: sum(s.Invoice.Total) })))
 * const CustomerSpend = view('CustomerSpend', spend, { CustomerId: integer().notNull(), Total: numeric(10, 2).notNull() }, { key: ['CustomerId'] })
 */
export const view = <R, const D extends ViewColumns<R>>(
  name: string,
  query: Q.Query<R>,
  columns: D,
  options: { readonly key: readonly (keyof D & string)[] },
): Entity<Flat<{ readonly [K in keyof D]: Q.ColumnType<D[K]> }>> => {
  const out = new Set(Q.outputColumns(query).map((c) => c.name))
  const fields = Object.entries(columns as Readonly<Record<string, Q.AnyColumnDef>>).map(([col, def]) => {
    if (!out.has(col)) throw new TypeError(`view ${name}: "${col}" is not an output column of the query (${[...out].join(', ')})`)
    return fieldOf(col, def, undefined)
  })
  return make(name, { _tag: 'Query', query }, fields, options.key, false)
}

const relations = new WeakMap<AnyEntity, Map<string, Q.Relation>>()

/** The entity's rows as a relation under `alias` (the table aliased, or the query as a derived table). */
export const relationOf = (e: AnyEntity, alias: string): Q.Relation => {
  let m = relations.get(e)
  if (m === undefined) relations.set(e, (m = new Map()))
  let r = m.get(alias)
  if (r === undefined) {
    r = e.source._tag === 'Table' ? Q.alias(alias)(e.source.table) : (Q.as(alias)(e.source.query as Q.Query<Record<string, unknown>>) as Q.Relation)
    m.set(alias, r)
  }
  return r
}

/** The column expression of an entity property within a relation from `relationOf`. */
export const columnOf = (r: Q.Relation, e: AnyEntity, prop: string): Q.Expr<unknown> => {
  const f = e.fields.find((x) => x.prop === prop)
  const c = (r.c as Q.Cols)[f?.column ?? prop]
  if (c === undefined) throw new TypeError(`entity ${e.name}: no column for "${prop}"`)
  return c
}
