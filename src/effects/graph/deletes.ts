/**
 * Deletes: rows of the graph by key lists, children before parents, and —
 * where the user asked quarry to cascade — the rows that reference them
 * first. quarry never invents a cascade: a foreign key with ON DELETE
 * CASCADE / SET NULL / SET DEFAULT is left to the database; only a key
 * without such an action makes quarry delete the referencing rows (and,
 * below a database cascade, the rows that would block it).
 */
import type { MetaData } from '../../algebra/schema/metadata.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import type { Dialect } from '../../interpret/index.js'
import type { GraphProblem } from './errors.js'
import { builder, keyIn, type Built, type Slot } from './sql.js'

type B = ReturnType<typeof builder>

/** A delete statement on behalf of a cascade. */
export interface CascadeDelete extends Built {
  readonly table: string
  /** The FK path from the deleted table, e.g. `users <- posts <- comments`. */
  readonly path: string
}

const cols = (b: B, t: AnyTable, cs: readonly string[]): string => {
  const list = cs.map((c) => `${b.q(t.name)}.${b.q(c)}`)
  return list.length === 1 ? list[0]! : `(${list.join(', ')})`
}

/**
 * The deletes that must run before deleting rows of `table` chosen by
 * `keys`, deepest first; a self-referencing or cyclic FK path is a problem
 * (it would need a recursive delete, which quarry does not plan).
 */
export const cascadeDeletes = (d: Dialect, md: MetaData, table: AnyTable, keys: readonly (readonly Slot[])[], problems: GraphProblem[]): readonly CascadeDelete[] => {
  const out: CascadeDelete[] = []
  const walk = (parent: AnyTable, pred: (b: B) => string, path: readonly string[]): void => {
    for (const child of md.tables.values())
      for (const fk of child.foreignKeys) {
        if (fk.references().name !== parent.name) continue
        if (fk.onDelete === 'set null' || fk.onDelete === 'set default') continue
        if (child.name === parent.name || path.includes(child.name)) {
          problems.push({ _tag: 'CascadeCycle', table: child.name, message: `cascading a delete of ${table.name} reaches ${child.name} again (${[...path, child.name].join(' <- ')}); delete those rows explicitly` })
          continue
        }
        const childPred = (b: B): string =>
          `${cols(b, child, fk.columns)} IN (SELECT ${fk.referencedColumns.map((c) => `${b.q(parent.name)}.${b.q(c)}`).join(', ')} FROM ${b.q(parent.name)} WHERE ${pred(b)})`
        walk(child, childPred, [...path, child.name])
        if (fk.onDelete !== 'cascade') {
          const b = builder(d)
          const sql = `DELETE FROM ${b.q(child.name)} WHERE ${childPred(b)}`
          out.push({ sql, params: b.params, table: child.name, path: [...path, child.name].join(' <- ') })
        }
      }
  }
  walk(table, (b) => keyIn(b, d, `${b.q(table.name)}.`, table.primaryKey, keys), [table.name])
  return out
}

/** DELETE of the rows with the given keys (and versions, when the key list includes the version column). */
export const deleteSql = (d: Dialect, t: AnyTable, keyColumns: readonly string[], keys: readonly (readonly Slot[])[]): Built => {
  const b = builder(d)
  return { sql: `DELETE FROM ${b.q(t.name)} WHERE ${keyIn(b, d, '', keyColumns, keys)}`, params: b.params }
}

/**
 * Tables ordered children first: a table comes before the tables its
 * foreign keys reference (self references ignored; a cycle between tables
 * keeps graph order for the rest).
 */
export const childrenFirst = (tables: readonly AnyTable[]): readonly AnyTable[] => {
  const left = [...tables]
  const out: AnyTable[] = []
  while (left.length > 0) {
    const referenced = new Set(left.flatMap((t) => t.foreignKeys.map((f) => f.references().name).filter((n) => n !== t.name)))
    const i = left.findIndex((t) => !referenced.has(t.name))
    out.push(...left.splice(i < 0 ? 0 : i, 1))
  }
  return out
}
