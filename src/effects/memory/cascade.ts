/**
 * The cascade deletes of a change graph as statement values, for the
 * in-memory engine. The plan (`graph/deletes.ts`) holds them as SQL text;
 * this walks the same metadata in the same order — children of every
 * foreign key without ON DELETE SET NULL / SET DEFAULT, deepest first, the
 * database's own ON DELETE CASCADE left to the store — and builds the same
 * predicate as a correlated EXISTS, so each statement pairs with one plan
 * step (`flush.ts` checks the pairing by table and FK path).
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../../algebra/index.js'
import type { Cells } from '../graph/graph.js'

/** One cascade delete: the table it deletes from, its FK path as the plan prints it, the statement. */
export interface CascadeStatement {
  readonly table: string
  readonly path: string
  readonly statement: Q.StatementNode
}

/**
 * A column of a table as an expression (the table's alias qualifies it), by name.
 *
 * @example
 * Q.eq(column(users, 'id'), 7)
 */
export const column = (t: Q.AnyTable, c: string): Q.Expr<unknown> => (t.c as Readonly<Record<string, Q.Expr<unknown>>>)[c]!

/**
 * The row of `t` whose key columns hold `key`'s values.
 *
 * @example
 * Q.deleteFrom(users, () => keyEquals(users, ['id'], { id: 7 }))
 */
export const keyEquals = (t: Q.AnyTable, columns: readonly string[], key: Cells): Q.Predicate =>
  Q.and(...columns.map((c) => Q.eq(column(t, c), key[c] as never)))

/**
 * The deletes that must run before the rows of `table` with primary keys
 * `keys` are deleted, in the plan's order.
 *
 * @example
 * cascadeStatements(schema, users, [{ id: 7 }]) // [{ table: 'posts', path: 'users <- posts', statement }]
 */
export const cascadeStatements = (md: Q.MetaData, table: Q.AnyTable, keys: readonly Cells[]): readonly CascadeStatement[] => {
  const out: CascadeStatement[] = []
  const walk = (parent: Q.AnyTable, pred: Q.Predicate, path: readonly string[]): void => {
    for (const child of md.tables.values())
      for (const fk of child.foreignKeys) {
        if (fk.references().name !== parent.name) continue
        if (fk.onDelete === 'set null' || fk.onDelete === 'set default') continue
        // A cycle on the path was refused when the graph was planned.
        if (child.name === parent.name || path.includes(child.name)) continue
        const linked = fk.columns.map((c, i) => Q.eq(column(parent, fk.referencedColumns[i]!), column(child, c) as never))
        const childPred = Q.exists(pipe(Q.from(parent), Q.where(() => Q.and(...linked, pred)), Q.select(() => ({ one: Q.val(1) }))))
        walk(child, childPred, [...path, child.name])
        if (fk.onDelete !== 'cascade')
          out.push({ table: child.name, path: [...path, child.name].join(' <- '), statement: Q.deleteFrom(child, () => childPred) })
      }
  }
  walk(table, Q.or(...keys.map((k) => keyEquals(table, table.primaryKey, k))), [table.name])
  return out
}
