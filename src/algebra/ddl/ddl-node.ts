/**
 * DDL statements as values: create/drop table and index, each optionally
 * guarded by IF [NOT] EXISTS, and ALTER TABLE adding or dropping a foreign
 * key (how a schema whose foreign keys form a cycle is created: every table
 * first, then the keys that close the cycle). quarry issues exactly the
 * schema the user defined; the one name it derives is that of a foreign key
 * added later, which ALTER TABLE needs (see `foreignKeyName`).
 */
import type { AnyTable, ForeignKey, Index } from '../schema/table.js'

/** What an ALTER TABLE does. */
export type AlterAction =
  | { readonly _tag: 'AddForeignKey'; readonly foreignKey: ForeignKey; readonly name: string }
  | { readonly _tag: 'DropForeignKey'; readonly foreignKey: ForeignKey; readonly name: string; readonly ifExists: boolean }

/** Every DDL statement. */
export type DdlNode =
  | {
      readonly _tag: 'CreateTable'
      readonly table: AnyTable
      readonly ifNotExists: boolean
      /** Foreign keys of the table left out, to be added by ALTER TABLE once the tables they reference exist. */
      readonly omitForeignKeys?: readonly ForeignKey[]
    }
  | { readonly _tag: 'DropTable'; readonly table: AnyTable; readonly ifExists: boolean }
  | { readonly _tag: 'CreateIndex'; readonly table: AnyTable; readonly index: Index; readonly ifNotExists: boolean }
  | { readonly _tag: 'DropIndex'; readonly table: AnyTable; readonly index: Index; readonly ifExists: boolean }
  | { readonly _tag: 'AlterTable'; readonly table: AnyTable; readonly action: AlterAction }

/** Options of create statements. */
export interface CreateOptions {
  readonly ifNotExists?: boolean
}
/** Options of CREATE TABLE. */
export interface CreateTableOptions extends CreateOptions {
  /** Foreign keys (as in `t.foreignKeys`, or by name or columns) to leave out, for a later `addForeignKey`. */
  readonly omitForeignKeys?: readonly (ForeignKey | ForeignKeyRef)[]
}
/** Options of drop statements. */
export interface DropOptions {
  readonly ifExists?: boolean
}

/** A foreign key of a table named by its constraint name or by its local columns. */
export type ForeignKeyRef = string | readonly string[]

/**
 * The constraint name of a foreign key: the one the user gave, else
 * `<table>_<columns>_fkey` (PostgreSQL's own default, so the name is the same
 * whether the key was written inline or added later). A name past the
 * dialect's identifier limit is an `IdentifierTooLong` error when compiled:
 * give the key a `name` then.
 *
 * @example
 * foreignKeyName(posts, posts.foreignKeys[0]!) // 'posts_author_id_fkey'
 */
export const foreignKeyName = (t: AnyTable, f: ForeignKey): string => f.name ?? `${t.name}_${f.columns.join('_')}_fkey`

const sameColumns = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((c, i) => c === b[i])

const foreignKeyOf = (t: AnyTable, key: ForeignKey | ForeignKeyRef): ForeignKey => {
  const f =
    typeof key === 'string'
      ? t.foreignKeys.find((x) => foreignKeyName(t, x) === key)
      : 'references' in key
        ? t.foreignKeys.find((x) => x === key)
        : t.foreignKeys.find((x) => sameColumns(x.columns, key))
  if (f !== undefined) return f
  // A key that is not the table's is a programming error in the schema code, like an unknown index name.
  const named = typeof key === 'string' ? `"${key}"` : `(${('references' in key ? key.columns : key).join(', ')})`
  throw new TypeError(`table ${t.name} has no foreign key ${named}`)
}

/**
 * CREATE TABLE with its columns, keys, checks and foreign keys (not its
 * indexes); `omitForeignKeys` leaves some keys for a later `addForeignKey`.
 *
 * @example
 * createTable(users, { ifNotExists: true })
 * createTable(users, { omitForeignKeys: [['best_post_id']] }) // then addForeignKey(users, ['best_post_id'])
 */
export const createTable = (t: AnyTable, o?: CreateTableOptions): DdlNode => {
  const omit = (o?.omitForeignKeys ?? []).map((k) => foreignKeyOf(t, k))
  return Object.freeze({
    _tag: 'CreateTable',
    table: t,
    ifNotExists: o?.ifNotExists ?? false,
    ...(omit.length === 0 ? {} : { omitForeignKeys: Object.freeze(omit) }),
  })
}

/**
 * DROP TABLE.
 *
 * @example
 * dropTable(users, { ifExists: true })
 */
export const dropTable = (t: AnyTable, o?: DropOptions): DdlNode => Object.freeze({ _tag: 'DropTable', table: t, ifExists: o?.ifExists ?? false })

/**
 * ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY for a foreign key declared on
 * the table (named by `foreignKeyName`). SQLite cannot: `Unsupported` there.
 *
 * @example
 * addForeignKey(users, ['best_post_id']) // ALTER TABLE "users" ADD CONSTRAINT "users_best_post_id_fkey" FOREIGN KEY ...
 */
export const addForeignKey = (t: AnyTable, key: ForeignKey | ForeignKeyRef): DdlNode => {
  const foreignKey = foreignKeyOf(t, key)
  return Object.freeze({ _tag: 'AlterTable', table: t, action: Object.freeze({ _tag: 'AddForeignKey', foreignKey, name: foreignKeyName(t, foreignKey) }) })
}

/**
 * ALTER TABLE ... DROP CONSTRAINT (MySQL: DROP FOREIGN KEY) for a foreign key
 * declared on the table. SQLite cannot: `Unsupported` there.
 *
 * @example
 * dropForeignKey(users, 'users_best_post_id_fkey', { ifExists: true })
 */
export const dropForeignKey = (t: AnyTable, key: ForeignKey | ForeignKeyRef, o?: DropOptions): DdlNode => {
  const foreignKey = foreignKeyOf(t, key)
  return Object.freeze({
    _tag: 'AlterTable',
    table: t,
    action: Object.freeze({ _tag: 'DropForeignKey', foreignKey, name: foreignKeyName(t, foreignKey), ifExists: o?.ifExists ?? false }),
  })
}

const indexNamed = (t: AnyTable, name: string): Index => {
  const i = t.indexes.find((x) => x.name === name)
  if (i === undefined) throw new TypeError(`table ${t.name} has no index "${name}"`)
  return i
}

/**
 * CREATE [UNIQUE] INDEX for an index declared on the table.
 *
 * @example
 * createIndex(posts, 'posts_author_idx')
 */
export const createIndex = (t: AnyTable, name: string, o?: CreateOptions): DdlNode =>
  Object.freeze({ _tag: 'CreateIndex', table: t, index: indexNamed(t, name), ifNotExists: o?.ifNotExists ?? false })

/**
 * DROP INDEX for an index declared on the table.
 *
 * @example
 * dropIndex(posts, 'posts_author_idx', { ifExists: true })
 */
export const dropIndex = (t: AnyTable, name: string, o?: DropOptions): DdlNode =>
  Object.freeze({ _tag: 'DropIndex', table: t, index: indexNamed(t, name), ifExists: o?.ifExists ?? false })
