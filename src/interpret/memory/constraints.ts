/**
 * Constraints of stored tables: NOT NULL, CHECK (violated only when FALSE;
 * NULL passes), PRIMARY KEY and UNIQUE (rows with a NULL in the key never
 * clash), unique indexes (partial ones only over the rows they cover) and
 * foreign keys (MATCH SIMPLE: a key with a NULL references nothing). They
 * are checked on the whole database after each statement, once the
 * referential actions (cascade, set null, set default) have been applied,
 * as engines check NO ACTION at the end of the statement.
 */
import type { AnyTable, FkAction, ForeignKey } from '../../algebra/index.js'
import { ctxOf, decodeRec } from './context.js'
import { rowEnv, type Rec } from './env.js'
import { violation } from './errors.js'
import { evalExpr, holds } from './expr.js'
import type { Profile } from './profile.js'
import { tableData, withTable, type Database } from './store.js'
import { rowKey, truth, type SqlValue } from './values.js'

const values = (r: Rec, cols: readonly string[]): SqlValue[] => cols.map((c) => r[c] ?? null)

/** The unique keys of a table: primary key, unique constraints and unique indexes (with their partial predicate). */
const uniqueKeys = (t: AnyTable) => [
  ...(t.primaryKey.length > 0 ? [{ name: `${t.name}_pkey`, cols: t.primaryKey, where: undefined, kind: 'primary-key' as const }] : []),
  ...t.uniques.map((cols) => ({ name: `${t.name}_${cols.join('_')}_key`, cols, where: undefined, kind: 'unique' as const })),
  ...t.indexes.filter((i) => i.unique).map((i) => ({ name: i.name, cols: i.columns, where: i.where, kind: 'unique' as const })),
]

/** Check every constraint of every table; the first violation aborts. */
export const validate = (p: Profile, db: Database): void => {
  const ctx = ctxOf(p, db, {})
  for (const { table: t, rows } of db.tables.values()) {
    const decoded = rows.map((r) => decodeRec(t.columns, r))
    for (const r of decoded) {
      for (const [c, def] of Object.entries(t.columns)) {
        if ((!def.spec.nullable || t.primaryKey.includes(c)) && r[c] === null) violation('not-null', t.name, c, `column ${c} is NULL`)
      }
      for (const k of t.checks) {
        if (truth(evalExpr(k.expr, rowEnv(ctx, undefined, { [t.name]: r }))) === false) violation('check', t.name, k.name, 'the row fails the check')
      }
      for (const [c, def] of Object.entries(t.columns)) {
        const v = r[c]
        if (def.spec.type.kind === 'enum' && v !== null && v !== undefined && !def.spec.type.values.includes(String(v))) violation('check', t.name, c, `${String(v)} is not one of the enum's values`)
      }
    }
    for (const u of uniqueKeys(t)) {
      const seen = new Set<string>()
      for (const r of decoded) {
        if (u.where !== undefined && !holds(u.where, rowEnv(ctx, undefined, { [t.name]: r }))) continue
        const vs = values(r, u.cols)
        if (vs.includes(null)) continue
        const k = rowKey(p)(vs)
        if (seen.has(k)) violation(u.kind, t.name, u.name, `duplicate key (${u.cols.join(', ')}) = (${vs.map(String).join(', ')})`)
        seen.add(k)
      }
    }
    for (const fk of t.foreignKeys) {
      const parent = tableData(db, fk.references().name)
      const keys = new Set(parent.rows.map((r) => rowKey(p)(values(decodeRec(parent.table.columns, r), fk.referencedColumns))))
      for (const r of decoded) {
        const vs = values(r, fk.columns)
        if (vs.includes(null)) continue
        if (!keys.has(rowKey(p)(vs))) violation('foreign-key', t.name, fk.name ?? `${t.name}_${fk.columns.join('_')}_fkey`, `(${fk.columns.join(', ')}) = (${vs.map(String).join(', ')}) is not present in ${parent.table.name}`)
      }
    }
  }
}

/** The foreign keys of every table that reference `parent`. */
const referencing = (db: Database, parent: string): { readonly child: AnyTable; readonly fk: ForeignKey }[] =>
  [...db.tables.values()].flatMap(({ table }) => table.foreignKeys.filter((fk) => fk.references().name === parent).map((fk) => ({ child: table, fk })))

const defaultOf = (t: AnyTable, c: string): SqlValue => {
  const d = t.columns[c]?.spec.default
  return d === undefined ? null : (d.value as SqlValue)
}

/**
 * Apply the referential actions for parent rows that changed: `removed`
 * rows were deleted (ON DELETE), `updated` pairs changed key values (ON
 * UPDATE). Cascades recurse; RESTRICT / NO ACTION leave the child rows for
 * `validate` to reject.
 */
export const applyActions = (p: Profile, db: Database, parent: string, removed: readonly Rec[], updated: readonly (readonly [Rec, Rec])[]): Database => {
  let out = db
  for (const { child, fk } of referencing(db, parent)) {
    const keyOf = (r: Rec): string => rowKey(p)(values(r, fk.referencedColumns))
    const gone = new Set(removed.map(keyOf))
    const moved = new Map(updated.filter(([o, n]) => keyOf(o) !== keyOf(n)).map(([o, n]) => [keyOf(o), n] as const))
    if (gone.size === 0 && moved.size === 0) continue
    const data = tableData(out, child.name)
    const act = (action: FkAction | undefined): action is 'cascade' | 'set null' | 'set default' =>
      action === 'cascade' || action === 'set null' || action === 'set default'
    const deleted: Rec[] = []
    const changed: [Rec, Rec][] = []
    const rows: Rec[] = []
    for (const r of data.rows) {
      const vs = values(decodeRec(child.columns, r), fk.columns)
      const k = vs.includes(null) ? undefined : rowKey(p)(vs)
      const onDelete = k !== undefined && gone.has(k) && act(fk.onDelete) ? fk.onDelete : undefined
      const target = k === undefined ? undefined : moved.get(k)
      const onUpdate = target !== undefined && act(fk.onUpdate) ? fk.onUpdate : undefined
      const action = onDelete ?? onUpdate
      if (action === undefined) rows.push(r)
      else if (action === 'cascade' && onDelete !== undefined) deleted.push(r)
      else {
        const next: Record<string, SqlValue> = { ...r }
        fk.columns.forEach((c, i) => {
          next[c] = action === 'set null' ? null : action === 'set default' ? defaultOf(child, c) : ((target as Rec)[fk.referencedColumns[i] as string] ?? null)
        })
        rows.push(next)
        changed.push([r, next])
      }
    }
    out = withTable(out, { ...data, rows })
    if (deleted.length > 0 || changed.length > 0) out = applyActions(p, out, child.name, deleted, changed)
  }
  return out
}
