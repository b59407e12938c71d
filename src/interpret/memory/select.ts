/**
 * One select block, in SQL's logical order: FROM, WHERE, GROUP BY (or one
 * group for an aggregate query without it), HAVING, window functions, the
 * select list, DISTINCT / DISTINCT ON, ORDER BY, OFFSET and LIMIT.
 */
import type { SelectNode } from '../../algebra/index.js'
import { toNumber } from './arith.js'
import { rowEnv, type Env, type Frame, type Result } from './env.js'
import { dataError, runtimeError } from './errors.js'
import { evalExpr, holds, keyOf } from './expr.js'
import { evalFrom, padFrame } from './from.js'
import { sortBy } from './order.js'
import type { SqlValue } from './values.js'
import { collectAggregates, collectOvers, containsAggregate } from './walk.js'
import { computeWindows } from './window.js'

const count = (q: SelectNode, which: 'limit' | 'offset', env: Env): number | undefined => {
  const e = q[which]
  if (e === undefined) return undefined
  const v = evalExpr(e, env)
  if (v === null) return undefined
  const n = toNumber(env.ctx.profile, v)
  if (n < 0) return dataError(`${which.toUpperCase()} must not be negative`)
  return n
}

/** Evaluate a select block in the enclosing environment `outer`. */
export const evalSelect = (q: SelectNode, outer: Env): Result => {
  const ctx = outer.ctx
  const from = q.from === undefined ? { aliases: new Map<string, readonly string[]>(), frames: [{}] as Frame[] } : evalFrom(q.from, outer)
  const filtered = q.where === undefined ? from.frames : from.frames.filter((f) => holds(q.where as NonNullable<SelectNode['where']>, rowEnv(ctx, outer, f)))

  const orderExprs = q.orderBy.map((k) => k.expr)
  const listExprs = [...q.fields.map((f) => f.expr), ...orderExprs, ...(q.having === undefined ? [] : [q.having])]
  const fieldsAggregate = containsAggregate(q.fields.map((f) => f.expr))
  const havingOnly = q.having !== undefined && q.groupBy.length === 0 && !fieldsAggregate
  if (havingOnly && ctx.profile.havingWithoutGroupBy === 'error') return runtimeError('HAVING clause on a non-aggregate query')
  const grouped = q.groupBy.length > 0 || containsAggregate(listExprs) || (havingOnly && ctx.profile.havingWithoutGroupBy === 'one-group')

  // Each output candidate is an environment: a row, or a group with a representative row.
  let envs: Env[]
  if (!grouped) {
    envs = filtered.map((f) => rowEnv(ctx, outer, f))
    if (q.having !== undefined) envs = envs.filter((env) => holds(q.having as NonNullable<SelectNode['having']>, env))
  }
  else {
    const groups = new Map<string, Frame[]>()
    for (const f of filtered) {
      const env = rowEnv(ctx, outer, f)
      const k = keyOf(env, q.groupBy.map((e) => evalExpr(e, env)))
      const g = groups.get(k)
      if (g === undefined) groups.set(k, [f])
      else g.push(f)
    }
    if (groups.size === 0 && q.groupBy.length === 0) groups.set('', [])
    // Every aggregate is computed for every group before HAVING, so an error in one (overflow) is raised as an engine would.
    const aggs = collectAggregates(listExprs)
    envs = [...groups.values()].map((rows) => {
      const env: Env = { ...rowEnv(ctx, outer, rows[0] ?? padFrame(from.aliases)), group: rows }
      return { ...env, aggregates: new Map(aggs.map((a) => [a, evalExpr(a, env)] as const)) }
    })
    if (q.having !== undefined) envs = envs.filter((env) => holds(q.having as NonNullable<SelectNode['having']>, env))
  }

  const overs = collectOvers([...q.fields.map((f) => f.expr), ...orderExprs])
  if (overs.length > 0) {
    const values = computeWindows(overs, envs)
    envs = envs.map((env, i) => ({ ...env, windows: values[i] }))
  }

  let rows = envs.map((env) => ({ env, values: q.fields.map((f) => evalExpr(f.expr, env)) as readonly SqlValue[] }))

  if (q.distinct || q.distinctOn !== undefined) {
    // DISTINCT ON keeps the first row of each key in ORDER BY order, so sort first.
    if (q.distinctOn !== undefined) rows = sortBy(ctx.profile, q.orderBy, rows, (r) => orderExprs.map((e) => evalExpr(e, r.env)))
    const seen = new Set<string>()
    rows = rows.filter((r) => {
      const k = keyOf(r.env, q.distinctOn === undefined ? r.values : q.distinctOn.map((e) => evalExpr(e, r.env)))
      if (seen.has(k)) return false
      seen.add(k)
      return true
    })
  }
  if (q.orderBy.length > 0) rows = sortBy(ctx.profile, q.orderBy, rows, (r) => orderExprs.map((e) => evalExpr(e, r.env)))
  const off = count(q, 'offset', outer) ?? 0
  const lim = count(q, 'limit', outer)
  const page = rows.slice(off, lim === undefined ? undefined : off + lim)
  return { columns: q.fields.map((f) => f.name), rows: page.map((r) => r.values) }
}
