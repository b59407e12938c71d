/**
 * INSERT, UPDATE and DELETE as a total fold over `MutationNode`, each
 * giving the new database, the number of rows written and the RETURNING
 * rows. Upserts resolve conflicts row by row against the table as it
 * stands; referential actions and every constraint are applied after the
 * statement, and a violation leaves the database as it was (the caller
 * simply keeps the old value).
 */
import type { AnyTable, DataType, Field, MutationNode } from '../../algebra/index.js'
import { applyActions, validate } from './constraints.js'
import { ctxOf, decodeRec, toStored } from './context.js'
import { rowEnv, type Ctx, type Env, type Frame, type Rec, type Result } from './env.js'
import { dataError, invalidReference, runtimeError } from './errors.js'
import { evalExpr, EXCLUDED, holds } from './expr.js'
import { evalFrom } from './from.js'
import type { Profile } from './profile.js'
import { evalQuery } from './query.js'
import { tableData, withTable, type Database, type TableData } from './store.js'
import { rowKey, type SqlValue } from './values.js'

/** What a data change gives: the new database, rows written, RETURNING rows. */
export interface Written {
  readonly db: Database
  readonly rowCount: number
  readonly returning: Result | undefined
}

type Handlers = { readonly [K in MutationNode['_tag']]: (s: Extract<MutationNode, { readonly _tag: K }>, p: Profile, db: Database, args: Readonly<Record<string, unknown>>) => Written }

const returningOf = (fields: readonly Field[] | undefined, ctx: Ctx, frames: readonly Frame[]): Result | undefined =>
  fields === undefined ? undefined : { columns: fields.map((f) => f.name), rows: frames.map((f) => fields.map((x) => evalExpr(x.expr, rowEnv(ctx, undefined, f)))) }

/** The range of each integer column type, for profiles whose engines refuse a value past it. */
const INTEGER_RANGE: Partial<Record<DataType['kind'], readonly [bigint, bigint]>> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
}

/** A row as stored: each value in its column's stored form, an integer past its column's range refused where the profile's engine refuses it. */
const store = (p: Profile, t: AnyTable, rec: Readonly<Record<string, SqlValue>>): Rec => {
  const out: Record<string, SqlValue> = {}
  for (const [c, def] of Object.entries(t.columns)) {
    const v = rec[c] ?? null
    const range = p.storeOutOfRange === 'error' ? INTEGER_RANGE[def.spec.type.kind] : undefined
    if (range !== undefined && (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) && (BigInt(v) < range[0] || BigInt(v) > range[1]))
      dataError(`${String(v)} is out of range for ${t.name}.${c} (${def.spec.type.kind})`)
    out[c] = toStored(def.spec.type, v)
  }
  return Object.freeze(out)
}

const finish = (p: Profile, db: Database): Database => {
  validate(p, db)
  return db
}

const conflictKeys = (t: AnyTable, target: readonly string[]): readonly (readonly string[])[] => {
  const all = [...(t.primaryKey.length > 0 ? [t.primaryKey] : []), ...t.uniques, ...t.indexes.filter((i) => i.unique && i.where === undefined).map((i) => i.columns)]
  return target.length === 0 ? all : all.filter((k) => k.length === target.length && k.every((c) => target.includes(c)))
}

const handlers: Handlers = {
  Insert: (s, p, db0, args) => {
    const t = s.table
    const ctx = ctxOf(p, db0, args)
    const empty = rowEnv(ctx, undefined, {})
    let data: TableData = tableData(db0, t.name)
    const proposed: Readonly<Record<string, SqlValue>>[] = []
    const source =
      s.source.kind === 'rows'
        ? s.source.rows.map((cells) => cells.map((c) => (c === undefined ? undefined : evalExpr(c, empty))))
        : evalQuery(s.source.query, empty).rows
    for (const cells of source) {
      const rec: Record<string, SqlValue> = {}
      for (const [c, def] of Object.entries(t.columns)) {
        const i = s.columns.indexOf(c)
        const given = i < 0 ? undefined : cells[i]
        if (given !== undefined) rec[c] = given
        else if (def.spec.default !== undefined) rec[c] = def.spec.default.value as SqlValue
        else if (def.spec.serverDefault !== undefined) rec[c] = evalExpr(def.spec.serverDefault, empty)
        else if (def.spec.autoIncrement) rec[c] = data.nextId
        else rec[c] = null
      }
      for (const c of s.columns) if (!(c in t.columns)) invalidReference(`table ${t.name} has no column "${c}"`)
      const auto = Object.entries(t.columns).find(([, d]) => d.spec.autoIncrement)
      const used = auto === undefined ? undefined : rec[auto[0]]
      data = { ...data, nextId: typeof used === 'number' && used >= data.nextId ? used + 1 : data.nextId }
      proposed.push(rec)
    }
    const written: Frame[] = []
    let rows = [...data.rows]
    // Rows this statement inserted or updated, by position: an upsert meeting one again (a key proposed twice).
    const touched = new Set<number>()
    // The rows reported: those written, or MySQL's count of an upsert — 1 a row inserted, 2 a row updated, 1 a row
    // found and left as it was (the drivers ask for found rows, so DO NOTHING's no-op update counts too).
    const mysqlCount = p.upsertCount === 'mysql' && s.onConflict !== undefined
    let reported = 0
    for (const rec of proposed) {
      const stored = store(p, t, rec)
      const oc = s.onConflict
      const clash =
        oc === undefined
          ? -1
          : rows.findIndex((r) =>
              conflictKeys(t, oc.target).some((k) => {
                const a = k.map((c) => stored[c] ?? null)
                return !a.includes(null) && rowKey(p)(a) === rowKey(p)(k.map((c) => r[c] ?? null))
              }),
            )
      if (oc === undefined || clash < 0) {
        touched.add(rows.push(stored) - 1)
        written.push({ [t.alias]: decodeRec(t.columns, stored) })
        reported++
        continue
      }
      if (oc.action.kind === 'nothing') {
        if (mysqlCount) reported++
        continue
      }
      if (touched.has(clash) && p.upsertSameRowTwice === 'error') runtimeError('ON CONFLICT DO UPDATE command cannot affect row a second time')
      touched.add(clash)
      const current = decodeRec(t.columns, rows[clash] as Rec)
      const env: Env = rowEnv(ctxOf(p, withTable(db0, { ...data, rows }), args), undefined, { [t.alias]: current, [t.name]: current, [EXCLUDED]: decodeRec(t.columns, stored) })
      if (oc.action.where !== undefined && !holds(oc.action.where, env)) continue
      const next: Record<string, SqlValue> = { ...current }
      for (const a of oc.action.set) next[a.column] = evalExpr(a.expr, env)
      const updated = store(p, t, next)
      // MySQL counts a row the update changed twice (compared before the row is replaced).
      reported += mysqlCount && Object.keys(t.columns).some((c) => rowKey(p)([updated[c] ?? null]) !== rowKey(p)([(rows[clash] as Rec)[c] ?? null])) ? 2 : 1
      rows = rows.map((r, i) => (i === clash ? updated : r))
      written.push({ [t.alias]: decodeRec(t.columns, updated) })
    }
    const db = finish(p, withTable(db0, { ...data, rows }))
    return { db, rowCount: reported, returning: returningOf(s.returning, ctxOf(p, db, args), written) }
  },
  Update: (s, p, db0, args) => {
    const t = s.table
    const ctx = ctxOf(p, db0, args)
    const data = tableData(db0, t.name)
    const others = s.from === undefined ? undefined : evalFrom(s.from, rowEnv(ctx, undefined, {})).frames
    const changes: [Rec, Rec][] = []
    const written: Frame[] = []
    const rows = data.rows.map((r) => {
      const old = decodeRec(t.columns, r)
      const base: Frame = { [t.alias]: old }
      const frame = (others ?? [{}]).map((o) => ({ ...o, ...base })).find((f) => s.where === undefined || holds(s.where, rowEnv(ctx, undefined, f)))
      if (frame === undefined) return r
      const next: Record<string, SqlValue> = { ...old }
      for (const a of s.set) next[a.column] = evalExpr(a.expr, rowEnv(ctx, undefined, frame))
      const stored = store(p, t, next)
      changes.push([old, decodeRec(t.columns, stored)])
      written.push({ ...frame, [t.alias]: decodeRec(t.columns, stored) })
      return stored
    })
    const db = finish(p, applyActions(p, withTable(db0, { ...data, rows }), t.name, [], changes))
    return { db, rowCount: written.length, returning: returningOf(s.returning, ctxOf(p, db, args), written) }
  },
  Delete: (s, p, db0, args) => {
    const t = s.table
    const ctx = ctxOf(p, db0, args)
    const data = tableData(db0, t.name)
    const others = s.using === undefined ? undefined : evalFrom(s.using, rowEnv(ctx, undefined, {})).frames
    const removed: Rec[] = []
    const written: Frame[] = []
    const rows = data.rows.filter((r) => {
      const old = decodeRec(t.columns, r)
      const frame = (others ?? [{}]).map((o) => ({ ...o, [t.alias]: old })).find((f) => s.where === undefined || holds(s.where, rowEnv(ctx, undefined, f)))
      if (frame === undefined) return true
      removed.push(old)
      written.push(frame)
      return false
    })
    const db = finish(p, applyActions(p, withTable(db0, { ...data, rows }), t.name, removed, []))
    return { db, rowCount: written.length, returning: returningOf(s.returning, ctx, written) }
  },
}

/** Apply a data change to a database under a profile. */
export const applyMutation = (s: MutationNode, p: Profile, db: Database, args: Readonly<Record<string, unknown>>): Written =>
  (handlers[s._tag] as (s: MutationNode, p: Profile, db: Database, args: Readonly<Record<string, unknown>>) => Written)(s, p, db, args)
