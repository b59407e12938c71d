/**
 * Window functions: for every `Over` node of a select list or ORDER BY,
 * the rows are partitioned, ordered within each partition, and each row
 * gets its value from its partition and frame. Ranking uses peers (rows
 * with equal sort keys); aggregates use the frame, which by default is the
 * whole partition without ORDER BY and "range from the start to the current
 * row's last peer" with it.
 */
import type { ExprNode, ExprOf, FrameBound } from '../../algebra/index.js'
import { aggregate } from './aggregate.js'
import { toNumber } from './arith.js'
import type { Env } from './env.js'
import { dataError, runtimeError } from './errors.js'
import { evalExpr, keyOf } from './expr.js'
import { compareKeys, sortBy } from './order.js'
import type { SqlValue } from './values.js'

type Over = ExprOf<'Over'>

const offsetOf = (b: FrameBound, env: Env): number => {
  if (b.kind !== 'preceding' && b.kind !== 'following') return 0
  const v = evalExpr(b.offset, env)
  if (v === null) return dataError('frame offset must not be NULL')
  return toNumber(env.ctx.profile, v)
}

/** Frame [lo, hi] (inclusive indexes into the ordered partition) of the row at `i`. */
const frameOf = (o: Over, part: readonly Env[], keys: readonly (readonly SqlValue[])[], i: number): readonly [number, number] => {
  const w = o.window
  const peersEnd = (j: number): number => {
    let k = j
    while (k + 1 < part.length && compareKeys(part[0]!.ctx.profile, w.orderBy)(keys[j]!, keys[k + 1]!) === 0) k++
    return k
  }
  const peersStart = (j: number): number => {
    let k = j
    while (k - 1 >= 0 && compareKeys(part[0]!.ctx.profile, w.orderBy)(keys[j]!, keys[k - 1]!) === 0) k--
    return k
  }
  const env = part[i] as Env
  if (w.frame === undefined) return w.orderBy.length === 0 ? [0, part.length - 1] : [0, peersEnd(i)]
  const bound = (b: FrameBound, isStart: boolean): number => {
    switch (b.kind) {
      case 'unbounded-preceding':
        return 0
      case 'unbounded-following':
        return part.length - 1
      case 'current-row':
        return w.frame?.unit === 'range' ? (isStart ? peersStart(i) : peersEnd(i)) : i
      case 'preceding':
      case 'following': {
        const n = offsetOf(b, env) * (b.kind === 'preceding' ? -1 : 1)
        if (w.frame?.unit === 'rows') return i + n
        // RANGE with an offset: rows whose (single, numeric) sort key is within n of this row's.
        const key = keys[i]?.[0] ?? null
        if (key === null) return isStart ? peersStart(i) : peersEnd(i)
        const dir = w.orderBy[0]?.direction === 'desc' ? -1 : 1
        const target = toNumber(env.ctx.profile, key) + n * dir
        const inside = (j: number): boolean => {
          const v = keys[j]?.[0] ?? null
          if (v === null) return false
          const d = (toNumber(env.ctx.profile, v) - target) * dir
          return isStart ? d >= 0 : d <= 0
        }
        if (isStart) {
          let j = 0
          while (j < part.length && !inside(j)) j++
          return j
        }
        let j = part.length - 1
        while (j >= 0 && !inside(j)) j--
        return j
      }
    }
  }
  return [Math.max(bound(w.frame.start, true), 0), Math.min(bound(w.frame.end, false), part.length - 1)]
}

const valueAt = (o: Over, part: readonly Env[], keys: readonly (readonly SqlValue[])[], i: number): SqlValue => {
  const call = o.call
  const env = part[i] as Env
  const p = env.ctx.profile
  const [lo, hi] = frameOf(o, part, keys, i)
  if (call._tag === 'Agg') return aggregate(call, lo > hi ? [] : part.slice(lo, hi + 1))
  if (call._tag !== 'WinFn') return runtimeError('over applies to a window function or an aggregate')
  const cmp = compareKeys(p, o.window.orderBy)
  switch (call.fn) {
    case 'row_number':
      return i + 1
    case 'rank': {
      let k = i
      while (k > 0 && cmp(keys[k - 1]!, keys[i]!) === 0) k--
      return k + 1
    }
    case 'dense_rank': {
      let rank = 1
      for (let k = 1; k <= i; k++) if (cmp(keys[k - 1]!, keys[k]!) !== 0) rank++
      return rank
    }
    case 'ntile': {
      const nv = call.args[0] === undefined ? null : evalExpr(call.args[0], env)
      if (nv === null) return null
      const n = toNumber(p, nv)
      if (n <= 0) return dataError('argument of ntile must be greater than zero')
      const size = Math.floor(part.length / n)
      const extra = part.length % n
      // The first `extra` buckets hold one row more.
      const big = extra * (size + 1)
      return i < big ? Math.floor(i / (size + 1)) + 1 : extra + Math.floor((i - big) / Math.max(size, 1)) + 1
    }
    case 'lag':
    case 'lead': {
      const [x, off, dflt] = call.args
      if (x === undefined) return runtimeError(`${call.fn} needs an argument`)
      const ov = off === undefined ? 1 : evalExpr(off, env)
      if (ov === null) return null
      const j = i + (call.fn === 'lag' ? -1 : 1) * toNumber(p, ov)
      const target = part[j]
      return target === undefined ? (dflt === undefined ? null : evalExpr(dflt, env)) : evalExpr(x, target)
    }
    case 'first_value':
    case 'last_value': {
      const x = call.args[0]
      if (x === undefined) return runtimeError(`${call.fn} needs an argument`)
      if (lo > hi) return null
      return evalExpr(x, part[call.fn === 'first_value' ? lo : hi] as Env)
    }
  }
}

/** The window values of every row (same order as `rows`), for the given `Over` nodes. */
export const computeWindows = (overs: readonly Over[], rows: readonly Env[]): Map<ExprNode, SqlValue>[] => {
  const out = rows.map(() => new Map<ExprNode, SqlValue>())
  const first = rows[0]
  if (first === undefined) return out
  const p = first.ctx.profile
  for (const o of overs) {
    const parts = new Map<string, number[]>()
    rows.forEach((env, idx) => {
      const k = keyOf(env, o.window.partitionBy.map((e) => evalExpr(e, env)))
      const list = parts.get(k)
      if (list === undefined) parts.set(k, [idx])
      else list.push(idx)
    })
    for (const idxs of parts.values()) {
      const keyed = idxs.map((idx) => ({ idx, k: o.window.orderBy.map((ok) => evalExpr(ok.expr, rows[idx] as Env)) }))
      const ordered = sortBy(p, o.window.orderBy, keyed, (x) => x.k)
      const part = ordered.map((x) => rows[x.idx] as Env)
      const keys = ordered.map((x) => x.k)
      ordered.forEach((x, i) => out[x.idx]?.set(o, valueAt(o, part, keys, i)))
    }
  }
  return out
}
