/**
 * FROM items as a total fold: stored tables, joins (inner, left, right,
 * full, cross; lateral derived tables re-evaluated per left row), derived
 * tables and CTE references (recursive ones iterated to a fixpoint). The
 * result is the list of frames (one record per alias) and each alias's
 * columns, so an outer join can pad the missing side with NULLs.
 */
import type { CteDef, FromItem } from '../../algebra/index.js'
import { nullRec, rowEnv, type Env, type Frame, type Rec, type Result } from './env.js'
import { invalidReference, runtimeError } from './errors.js'
import { fromJs, holds } from './expr.js'
import { evalQuery, setOpRows } from './query.js'
import type { SqlValue } from './values.js'

/** The rows of a FROM item and the columns of each of its aliases. */
export interface Rows {
  readonly aliases: ReadonlyMap<string, readonly string[]>
  readonly frames: readonly Frame[]
}

type Handlers = { readonly [K in FromItem['_tag']]: (item: Extract<FromItem, { readonly _tag: K }>, env: Env) => Rows }

const recsOf = (r: Result, columns: readonly string[]): Rec[] =>
  r.rows.map((row) => {
    const rec: Record<string, SqlValue> = {}
    columns.forEach((c, i) => (rec[c] = row[i] ?? null))
    return rec
  })

const single = (alias: string, columns: readonly string[], recs: readonly Rec[]): Rows => ({
  aliases: new Map([[alias, columns]]),
  frames: recs.map((r) => ({ [alias]: r })),
})

/** Recursive CTEs stop with an error past this many rows (an engine would run until it ran out of memory). */
export const RECURSION_LIMIT = 100_000

/** The rows of a CTE definition, evaluated once per statement. */
export const cteRows = (def: CteDef, env: Env): Result => {
  const memo = env.ctx.ctes.get(def)
  if (memo !== undefined) return memo
  const top = rowEnv(env.ctx, undefined, {})
  let result: Result
  if (!def.recursive || def.query._tag !== 'SetOp') result = evalQuery(def.query, top)
  else {
    const body = def.query
    const base = evalQuery(body.left, top)
    const distinct = !body.all
    let all: Result = distinct ? setOpRows(env.ctx.profile, 'union', false, base, { columns: base.columns, rows: [] }) : base
    let working = all
    const saved = env.ctx.recursive.get(def.name)
    try {
      while (working.rows.length > 0) {
        env.ctx.recursive.set(def.name, { columns: def.columns, rows: working.rows })
        const step = evalQuery(body.right, top)
        const fresh = distinct ? setOpRows(env.ctx.profile, 'except', false, step, all) : step
        if (fresh.rows.length === 0) break
        all = { columns: all.columns, rows: [...all.rows, ...fresh.rows] }
        if (all.rows.length > RECURSION_LIMIT) return runtimeError(`recursive CTE ${def.name} passed ${RECURSION_LIMIT} rows`)
        working = fresh
      }
    } finally {
      if (saved === undefined) env.ctx.recursive.delete(def.name)
      else env.ctx.recursive.set(def.name, saved)
    }
    result = all
  }
  const named = { columns: def.columns, rows: result.rows }
  env.ctx.ctes.set(def, named)
  return named
}

const joinRows = (item: Extract<FromItem, { readonly _tag: 'Join' }>, env: Env): Rows => {
  const left = evalFrom(item.left, env)
  const lateral = item.right._tag === 'Derived' && item.right.lateral
  const rightOnce = lateral ? undefined : evalFrom(item.right, env)
  const rightFor = (l: Frame): Rows => rightOnce ?? evalFrom(item.right, rowEnv(env.ctx, env, l))
  const rightAliases = (rightOnce ?? evalFrom(item.right, rowEnv(env.ctx, env, padFrame(left.aliases)))).aliases
  const aliases = new Map([...left.aliases, ...rightAliases])
  const on = item.on
  const matches = (f: Frame): boolean => on === undefined || holds(on, rowEnv(env.ctx, env, f))
  const out: Frame[] = []
  const rightMatched = new Set<number>()
  for (const l of left.frames) {
    const rights = rightFor(l).frames
    let any = false
    rights.forEach((r, j) => {
      const f = { ...l, ...r }
      if (item.kind === 'cross' || matches(f)) {
        out.push(f)
        any = true
        rightMatched.add(j)
      }
    })
    if (!any && (item.kind === 'left' || item.kind === 'full')) out.push({ ...l, ...padFrame(rightAliases) })
  }
  if (item.kind === 'right' || item.kind === 'full') {
    if (rightOnce === undefined) return runtimeError('a right or full join with a lateral table')
    rightOnce.frames.forEach((r, j) => {
      if (!rightMatched.has(j)) out.push({ ...padFrame(left.aliases), ...r })
    })
  }
  return { aliases, frames: out }
}

/** A frame of NULL rows for the given aliases. */
export const padFrame = (aliases: ReadonlyMap<string, readonly string[]>): Frame => {
  const f: Record<string, Rec> = {}
  for (const [a, cols] of aliases) f[a] = nullRec(cols)
  return f
}

const handlers: Handlers = {
  TableRef: (item, env) => {
    const src = env.ctx.table(item.table.name)
    if (src === undefined) return invalidReference(`no table "${item.table.name}"`)
    const types = item.table.columns
    const recs = src.rows.map((row) => {
      const rec: Record<string, SqlValue> = {}
      for (const c of src.columns) rec[c] = fromJs(row[c], types[c]?.spec.type)
      return rec
    })
    return single(item.alias, src.columns, recs)
  },
  Join: joinRows,
  Derived: (item, env) => {
    const r = evalQuery(item.query, env)
    return single(item.alias, r.columns, recsOf(r, r.columns))
  },
  CteRef: (item, env) => {
    const r = item.def === undefined ? env.ctx.recursive.get(item.name) : cteRows(item.def, env)
    if (r === undefined) return invalidReference(`CTE "${item.name}" referenced outside its definition`)
    return single(item.alias, r.columns, recsOf(r, r.columns))
  },
}

/** The rows of a FROM item; `env` is the enclosing query's (for correlated and lateral references). */
export const evalFrom = (item: FromItem, env: Env): Rows => (handlers[item._tag] as (i: FromItem, env: Env) => Rows)(item, env)
