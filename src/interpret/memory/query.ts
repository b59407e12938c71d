/**
 * Queries as a total fold: select blocks, set operations (bag semantics:
 * UNION ALL adds multiplicities, INTERSECT ALL takes the smaller, EXCEPT ALL
 * subtracts; without ALL each row once), VALUES lists, and hand-written
 * text queries (which cannot be evaluated in memory).
 */
import type { QueryNode, SetOpNode } from '../../algebra/index.js'
import { toNumber } from './arith.js'
import { rowEnv, type Env, type Result } from './env.js'
import { dataError, notEvaluable } from './errors.js'
import { sortBy } from './order.js'
import { evalExpr } from './expr.js'
import type { Profile } from './profile.js'
import { evalSelect } from './select.js'
import { rowKey, type SqlValue } from './values.js'

type Handlers = { readonly [K in QueryNode['_tag']]: (q: Extract<QueryNode, { readonly _tag: K }>, env: Env) => Result }

/** `left op [ALL] right` on evaluated rows; the result has the left side's columns. */
export const setOpRows = (p: Profile, op: 'union' | 'intersect' | 'except', all: boolean, left: Result, right: Result): Result => {
  const key = rowKey(p)
  const counts = (rows: readonly (readonly SqlValue[])[]): Map<string, number> => {
    const m = new Map<string, number>()
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1)
    return m
  }
  const out: (readonly SqlValue[])[] = []
  if (op === 'union') {
    if (all) return { columns: left.columns, rows: [...left.rows, ...right.rows] }
    const seen = new Set<string>()
    for (const r of [...left.rows, ...right.rows]) {
      const k = key(r)
      if (!seen.has(k)) {
        seen.add(k)
        out.push(r)
      }
    }
    return { columns: left.columns, rows: out }
  }
  const other = counts(right.rows)
  const emitted = new Map<string, number>()
  for (const r of left.rows) {
    const k = key(r)
    const n = emitted.get(k) ?? 0
    const inRight = other.get(k) ?? 0
    let keep: boolean
    if (op === 'intersect') keep = all ? n < inRight : n === 0 && inRight > 0
    else if (all) {
      // EXCEPT ALL: the first `inRight` copies are cancelled.
      const seenLeft = (emitted.get(`seen:${k}`) ?? 0) + 1
      emitted.set(`seen:${k}`, seenLeft)
      keep = seenLeft > inRight
    } else keep = n === 0 && inRight === 0
    if (keep) {
      emitted.set(k, n + 1)
      out.push(r)
    }
  }
  return { columns: left.columns, rows: out }
}

/** A set operation's own ORDER BY / OFFSET / LIMIT, over its result columns (keys are columns of source ''). */
const page = (q: SetOpNode, env: Env, r: Result): Result => {
  if (q.orderBy.length === 0 && q.limit === undefined && q.offset === undefined) return r
  const envOf = (row: readonly SqlValue[]): Env => rowEnv(env.ctx, env, { '': Object.fromEntries(r.columns.map((c, i) => [c, row[i] ?? null])) })
  const rows = q.orderBy.length === 0 ? r.rows : sortBy(env.ctx.profile, q.orderBy, r.rows, (row) => q.orderBy.map((k) => evalExpr(k.expr, envOf(row))))
  const count = (e: SetOpNode['limit']): number | undefined => {
    const v = e === undefined ? null : evalExpr(e, env)
    if (v === null) return undefined
    const n = toNumber(env.ctx.profile, v)
    return n < 0 ? dataError('LIMIT and OFFSET must not be negative') : n
  }
  const off = count(q.offset) ?? 0
  const lim = count(q.limit)
  return { columns: r.columns, rows: rows.slice(off, lim === undefined ? undefined : off + lim) }
}

const handlers: Handlers = {
  Select: (q, env) => evalSelect(q, env),
  SetOp: (q, env) => page(q, env, setOpRows(env.ctx.profile, q.op, q.all, evalQuery(q.left, env), evalQuery(q.right, env))),
  Values: (q, env) => ({ columns: q.columns.map((c) => c.name), rows: q.rows.map((row) => row.map((e) => evalExpr(e, env))) }),
  TextQuery: (_q, env) => notEvaluable('hand-written SQL text (textQuery)', env.ctx.profile.name),
}

/** Evaluate a query; `env` is the enclosing query's environment (for correlated subqueries). */
export const evalQuery = (q: QueryNode, env: Env): Result => (handlers[q._tag] as (q: QueryNode, env: Env) => Result)(q, env)
