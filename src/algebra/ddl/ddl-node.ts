/**
 * DDL statements as values: create/drop table and index, each optionally
 * guarded by IF [NOT] EXISTS. quarry issues exactly the schema the user
 * defined; it never invents columns, names or constraints.
 */
import type { AnyTable, Index } from '../schema/table.js'

/** Every DDL statement. */
export type DdlNode =
  | { readonly _tag: 'CreateTable'; readonly table: AnyTable; readonly ifNotExists: boolean }
  | { readonly _tag: 'DropTable'; readonly table: AnyTable; readonly ifExists: boolean }
  | { readonly _tag: 'CreateIndex'; readonly table: AnyTable; readonly index: Index; readonly ifNotExists: boolean }
  | { readonly _tag: 'DropIndex'; readonly table: AnyTable; readonly index: Index; readonly ifExists: boolean }

/** Options of create statements. */
export interface CreateOptions {
  readonly ifNotExists?: boolean
}
/** Options of drop statements. */
export interface DropOptions {
  readonly ifExists?: boolean
}

/** CREATE TABLE with its columns, keys, checks and foreign keys (not its indexes). */
export const createTable = (t: AnyTable, o?: CreateOptions): DdlNode =>
  Object.freeze({ _tag: 'CreateTable', table: t, ifNotExists: o?.ifNotExists ?? false })

/** DROP TABLE. */
export const dropTable = (t: AnyTable, o?: DropOptions): DdlNode => Object.freeze({ _tag: 'DropTable', table: t, ifExists: o?.ifExists ?? false })

const indexNamed = (t: AnyTable, name: string): Index => {
  const i = t.indexes.find((x) => x.name === name)
  if (i === undefined) throw new TypeError(`table ${t.name} has no index "${name}"`)
  return i
}

/** CREATE [UNIQUE] INDEX for an index declared on the table. */
export const createIndex = (t: AnyTable, name: string, o?: CreateOptions): DdlNode =>
  Object.freeze({ _tag: 'CreateIndex', table: t, index: indexNamed(t, name), ifNotExists: o?.ifNotExists ?? false })

/** DROP INDEX for an index declared on the table. */
export const dropIndex = (t: AnyTable, name: string, o?: DropOptions): DdlNode =>
  Object.freeze({ _tag: 'DropIndex', table: t, index: indexNamed(t, name), ifExists: o?.ifExists ?? false })
