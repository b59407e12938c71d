/**
 * Structural equality of expressions, values included. PostgreSQL cannot
 * tell that `GROUP BY x + $4` is the `x + $1` of the select list, so where a
 * GROUP BY or ORDER BY expression with parameters equals an output column,
 * the PostgreSQL dialect refers to that column by its position instead.
 * The decision depends on values, so the shape walk records it too.
 */
import type { ExprNode, SelectNode } from '../algebra/index.js'

// Subqueries are compared by identity only: their scopes make a deep comparison costly
// (a subquery built once and used in both the select list and ORDER BY is one object).
const opaque = new Set(['Subquery', 'Exists', 'InQuery'])

/** Deep equality of two expression trees (values by `Object.is`, dates by time). */
export const sameExpr = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b)
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameExpr(x, b[i]))
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime()
  if (a instanceof Uint8Array || b instanceof Uint8Array) return false
  const tag = (a as { _tag?: unknown })._tag
  if (typeof tag === 'string' && opaque.has(tag)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => sameExpr((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/**
 * May an expression hold a bind parameter? A subquery is assumed to (it is
 * not looked into): PostgreSQL would see its two copies' placeholders as
 * different expressions too (gap Q1, `SELECT DISTINCT (SELECT ... $1)`).
 */
export const hasParam = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null) return false
  if (Array.isArray(e)) return e.some(hasParam)
  const tag = (e as { _tag?: unknown })._tag
  if (tag === 'Value' || tag === 'Param' || tag === 'Text') return true
  if (typeof tag === 'string' && opaque.has(tag)) return true
  if (tag === 'Column') return false
  return Object.values(e).some((v) => typeof v === 'object' && v !== null && hasParam(v))
}

/**
 * The 1-based position of the output column an expression with parameters
 * equals, or 0 when it has no parameter or equals no output column.
 */
export const outputPosition = (s: SelectNode, e: ExprNode): number => {
  if (e._tag === 'Column' || !hasParam(e)) return 0
  return s.fields.findIndex((f) => sameExpr(f.expr, e)) + 1
}
