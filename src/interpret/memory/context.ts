/**
 * Building the evaluation context of one statement over a database, and the
 * conversions between stored values (what a user inserted: exact decimals
 * as strings) and evaluated ones.
 */
import type { DataType } from '../../algebra/index.js'
import type { Ctx, Rec } from './env.js'
import { fromJs } from './expr.js'
import type { Profile } from './profile.js'
import type { Database } from './store.js'
import type { SqlValue } from './values.js'

/** The context of one statement: profile, the database's tables, parameter values. */
export const ctxOf = (profile: Profile, db: Database, args: Readonly<Record<string, unknown>>): Ctx => ({
  profile,
  table: (name) => {
    const t = db.tables.get(name)
    return t === undefined ? undefined : { columns: Object.keys(t.table.columns), rows: t.rows }
  },
  args,
  ctes: new Map(),
  recursive: new Map(),
})

/** An evaluated value as it is stored and returned for a column of type `t` (exact decimals as text with their scale). */
export const toStored = (t: DataType | undefined, v: SqlValue): SqlValue => {
  if (v === null || t === undefined) return v
  if (t.kind === 'numeric' && typeof v === 'number') return t.scale === undefined ? String(v) : v.toFixed(t.scale)
  if ((t.kind === 'integer' || t.kind === 'smallint') && typeof v === 'boolean') return v ? 1 : 0
  return v
}

/** A stored row decoded for evaluation under the table's column types. */
export const decodeRec = (columns: Readonly<Record<string, { readonly spec: { readonly type: DataType } }>>, row: Rec): Rec => {
  const out: Record<string, SqlValue> = {}
  for (const c of Object.keys(columns)) out[c] = fromJs(row[c], columns[c]?.spec.type)
  return out
}
