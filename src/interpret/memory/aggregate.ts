/**
 * Aggregates over the rows of a group (or of a window frame): NULLs are
 * skipped, `count(*)` counts rows, `distinct` keeps one of each value, a
 * filter restricts the rows, and every aggregate but `count` is NULL over
 * no values.
 */
import type { ExprOf } from '../../algebra/index.js'
import { decimalQuotient, roundHalfAway, toNumber } from './arith.js'
import type { Env } from './env.js'
import { evalExpr, holds } from './expr.js'
import { numKind } from './kinds.js'
import { dataError } from './errors.js'
import { compareValues, valueKey, type SqlValue } from './values.js'

const integral = (v: Exclude<SqlValue, null>): boolean => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))

/** The value of an aggregate over the environments of its rows. */
export const aggregate = (n: ExprOf<'Agg'>, rows: readonly Env[]): SqlValue => {
  const first = rows[0]
  const kept = n.filter === undefined ? rows : rows.filter((r) => holds(n.filter as NonNullable<typeof n.filter>, r))
  if (n.arg === undefined) return kept.length
  const arg = n.arg
  let values = kept.map((r) => evalExpr(arg, r)).filter((v): v is Exclude<SqlValue, null> => v !== null)
  if (first === undefined) return n.fn === 'count' ? 0 : null
  const p = first.ctx.profile
  if (n.distinct) {
    const seen = new Set<string>()
    values = values.filter((v) => {
      const k = valueKey(p)(v)
      if (seen.has(k)) return false
      seen.add(k)
      return true
    })
  }
  if (n.fn === 'count') return values.length
  if (values.length === 0) return null
  switch (n.fn) {
    case 'sum':
      if (values.every(integral)) {
        // Exact, like the engines' integer sums (past 2^53 too).
        const total = values.reduce<bigint>((s, v) => s + BigInt(v as number | bigint), 0n)
        if (p.sumOverflow === 'error' && (total > 2n ** 63n - 1n || total < -(2n ** 63n))) return dataError('integer overflow')
        return Number.isSafeInteger(Number(total)) ? Number(total) : total
      }
      return values.reduce<number>((s, v) => s + toNumber(p, v), 0)
    case 'avg': {
      if (numKind(p)(arg) !== 'other' && values.every(integral)) {
        // An integer-typed argument: exact like the engines' integer sums: past 2^53 a double running sum is off in the last bits.
        const total = values.reduce<bigint>((s, v) => s + BigInt(v as number | bigint), 0n)
        if (p.integerAverage === 'double') return Number(total) / values.length
        return Number(decimalQuotient(total, BigInt(values.length), p.decimalAverage ? 4 : 20, p.decimalAverage))
      }
      const avg = values.reduce<number>((s, v) => s + toNumber(p, v), 0) / values.length
      return p.decimalAverage && numKind(p)(arg) !== 'other' ? roundHalfAway(avg, 4) : avg
    }
    case 'min':
      return values.reduce((m, v) => (compareValues(p)(v, m) < 0 ? v : m))
    case 'max':
      return values.reduce((m, v) => (compareValues(p)(v, m) > 0 ? v : m))
  }
}
