/**
 * A metadata collection: the tables of a schema and the foreign-key graph
 * between them, so that DDL (and later change-graph plans) can run in an
 * order that never violates a foreign key.
 */
import * as E from 'fp-ts/lib/Either.js'
import { createIndex, createTable, dropTable, type CreateOptions, type DdlNode, type DropOptions } from '../ddl/ddl-node.js'
import type { AnyTable } from './table.js'

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

/** Collect tables (names must be unique). */
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
 * Tables ordered so that every table comes after the tables it references
 * (ties keep the given order). A cycle, or a reference to a table outside
 * the collection, is an error value.
 */
export const tablesInFkOrder = (md: MetaData): E.Either<MetaDataError, readonly AnyTable[]> => {
  for (const [name, deps] of md.dependsOn) {
    for (const d of deps)
      if (!md.tables.has(d))
        return E.left({ _tag: 'UnknownTable', table: d, referencedBy: name, message: `table "${name}" references "${d}", which is not in the metadata` })
  }
  const done = new Set<string>()
  const out: AnyTable[] = []
  const visiting: string[] = []
  const visit = (name: string): MetaDataError | undefined => {
    if (done.has(name)) return undefined
    const at = visiting.indexOf(name)
    if (at >= 0) {
      const cycle = [...visiting.slice(at), name]
      return { _tag: 'FkCycle', tables: cycle, message: `foreign keys form a cycle: ${cycle.join(' -> ')}` }
    }
    visiting.push(name)
    for (const d of md.dependsOn.get(name) ?? []) {
      const err = visit(d)
      if (err !== undefined) return err
    }
    visiting.pop()
    done.add(name)
    out.push(md.tables.get(name) as AnyTable)
    return undefined
  }
  for (const name of md.tables.keys()) {
    const err = visit(name)
    if (err !== undefined) return E.left(err)
  }
  return E.right(Object.freeze(out))
}

/** CREATE TABLE (then its indexes) for every table, in FK order. */
export const createAll = (md: MetaData, o?: CreateOptions): E.Either<MetaDataError, readonly DdlNode[]> =>
  E.map((ts: readonly AnyTable[]) => ts.flatMap((t) => [createTable(t, o), ...t.indexes.map((i) => createIndex(t, i.name, o))]))(
    tablesInFkOrder(md),
  )

/** DROP TABLE for every table, in reverse FK order. */
export const dropAll = (md: MetaData, o?: DropOptions): E.Either<MetaDataError, readonly DdlNode[]> =>
  E.map((ts: readonly AnyTable[]) => [...ts].reverse().map((t) => dropTable(t, o)))(tablesInFkOrder(md))
