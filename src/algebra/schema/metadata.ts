/**
 * A metadata collection: the tables of a schema and the foreign-key graph
 * between them, so that DDL (and later change-graph plans) can run in an
 * order that never violates a foreign key. A cycle of foreign keys is
 * created the way SQLAlchemy does it: every table first, without the keys
 * that close the cycle, then those keys by ALTER TABLE (see `fkPlan`).
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  addForeignKey,
  createIndex,
  createTable,
  dropForeignKey,
  dropTable,
  type CreateOptions,
  type DdlNode,
  type DropOptions,
} from '../ddl/ddl-node.js'
import { fkPlan, type FkPlan } from './fk-order.js'
import type { AnyTable } from './table.js'

export { fkPlan, type FkPlan, type LaterForeignKey } from './fk-order.js'

/** A set of tables by name, with the FK edges between them. */
export interface MetaData {
  readonly _tag: 'MetaData'
  readonly tables: ReadonlyMap<string, AnyTable>
  /** For each table, the tables its foreign keys point to (itself excluded). */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>
}

/** Errors of the FK graph. */
export type MetaDataError =
  | { readonly _tag: 'FkCycle'; readonly tables: readonly string[]; readonly message: string }
  | { readonly _tag: 'UnknownTable'; readonly table: string; readonly referencedBy: string; readonly message: string }

/**
 * How `createAll` / `dropAll` treat the foreign keys that must wait for
 * every table (cycles, `useAlter: true`): `alter` adds them by ALTER TABLE
 * after the CREATE TABLEs and drops them before the DROP TABLEs (PostgreSQL,
 * MySQL family); `inline` writes every key inside its CREATE TABLE (SQLite,
 * which cannot ALTER TABLE ADD CONSTRAINT and checks a key's target only
 * when rows are written).
 */
export type ForeignKeysMode = 'alter' | 'inline'

/** Options of `createAll`. */
export interface CreateAllOptions extends CreateOptions {
  readonly foreignKeys?: ForeignKeysMode
}
/** Options of `dropAll`. */
export interface DropAllOptions extends DropOptions {
  readonly foreignKeys?: ForeignKeysMode
}

/**
 * Collect tables (names must be unique).
 *
 * @example
 * const schema = metadata([users, posts, comments])
 */
export const metadata = (tables: readonly AnyTable[]): MetaData => {
  const byName = new Map<string, AnyTable>()
  for (const t of tables) {
    if (byName.has(t.name)) throw new TypeError(`metadata: table "${t.name}" given twice`)
    byName.set(t.name, t)
  }
  const dependsOn = new Map<string, readonly string[]>()
  for (const t of tables) {
    const deps = [...new Set(t.foreignKeys.map((f) => f.references().name))].filter((n) => n !== t.name)
    dependsOn.set(t.name, Object.freeze(deps))
  }
  return Object.freeze({ _tag: 'MetaData', tables: byName, dependsOn })
}

/**
 * Tables ordered so that every table comes after the tables it references,
 * except through the keys `fkPlan` leaves for ALTER TABLE (ties keep the
 * given order). A reference to a table outside the collection, or a cycle
 * of keys marked `useAlter: false`, is an error value.
 *
 * @example
 * tablesInFkOrder(metadata([comments, posts, users])) // Right([users, posts, comments])
 */
export const tablesInFkOrder = (md: MetaData): E.Either<MetaDataError, readonly AnyTable[]> => E.map((p: FkPlan) => p.tables)(fkPlan(md))

/**
 * CREATE TABLE (then its indexes) for every table in FK order; with
 * `foreignKeys: 'alter'` (the default) the keys that close a cycle are left
 * out and added by ALTER TABLE at the end.
 *
 * @example
 * createAll(metadata([users, posts]))                           // PostgreSQL, MySQL family
 * createAll(metadata([users, posts]), { foreignKeys: 'inline' }) // SQLite
 */
export const createAll = (md: MetaData, o?: CreateAllOptions): E.Either<MetaDataError, readonly DdlNode[]> =>
  E.map((p: FkPlan) => {
    const later = o?.foreignKeys === 'inline' ? [] : p.later
    const ifNotExists = o?.ifNotExists ?? false
    return Object.freeze([
      ...p.tables.flatMap((t) => [
        createTable(t, { ifNotExists, omitForeignKeys: later.filter((l) => l.table === t).map((l) => l.foreignKey) }),
        ...t.indexes.map((i) => createIndex(t, i.name, { ifNotExists })),
      ]),
      ...later.map((l) => addForeignKey(l.table, l.foreignKey)),
    ])
  })(fkPlan(md))

/**
 * DROP TABLE for every table in reverse FK order; with `foreignKeys:
 * 'alter'` (the default) the keys `createAll` added by ALTER TABLE are
 * dropped first. (On SQLite, dropping a table some remaining row still
 * references is a foreign-key violation: drop inside a transaction with
 * `PRAGMA defer_foreign_keys = ON`, or declare those keys deferrable.)
 *
 * @example
 * dropAll(metadata([users, posts]), { ifExists: true })
 */
export const dropAll = (md: MetaData, o?: DropAllOptions): E.Either<MetaDataError, readonly DdlNode[]> =>
  E.map((p: FkPlan) => {
    const later = o?.foreignKeys === 'inline' ? [] : p.later
    const ifExists = o?.ifExists ?? false
    return Object.freeze([...later.map((l) => dropForeignKey(l.table, l.foreignKey, { ifExists })), ...[...p.tables].reverse().map((t) => dropTable(t, { ifExists }))])
  })(fkPlan(md))
