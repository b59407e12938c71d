/**
 * The numeric kind of an expression as the engine types it, which decides
 * integer vs. real division and PostgreSQL's 32-bit overflow check. Only the
 * distinction matters here, so anything not known to be integral is `other`.
 */
import type { DataType, ExprNode, QueryNode } from '../../algebra/index.js'
import type { Profile } from './profile.js'

/** `int4`: a 32-bit integer on PostgreSQL; `int`: a 64-bit integer; `other`: anything else. */
export type NumKind = 'int4' | 'int' | 'other'

const ofType = (t: DataType | undefined): NumKind =>
  t === undefined ? 'other' : t.kind === 'integer' || t.kind === 'smallint' ? 'int4' : t.kind === 'bigint' ? 'int' : 'other'

const join = (a: NumKind, b: NumKind): NumKind => (a === 'other' || b === 'other' ? 'other' : a === 'int4' && b === 'int4' ? 'int4' : 'int')

const widen = (k: NumKind): NumKind => (k === 'other' ? 'other' : 'int')

const ofQuery = (q: QueryNode, p: Profile): NumKind => {
  switch (q._tag) {
    case 'Select':
      return q.fields[0] === undefined ? 'other' : numKind(p)(q.fields[0].expr)
    case 'SetOp':
      return join(ofQuery(q.left, p), ofQuery(q.right, p))
    case 'Values':
      return ofType(q.columns[0]?.type)
    case 'TextQuery':
      return 'other'
  }
}

/** The numeric kind of an expression under a profile. */
export const numKind =
  (p: Profile) =>
  (e: ExprNode): NumKind => {
    const k = numKind(p)
    switch (e._tag) {
      case 'Column':
        return ofType(e.type)
      case 'Value':
      case 'Param':
        return p.boundNumbersAreReal ? 'other' : ofType(e.type)
      case 'Binary':
        if (e.op === '/' && p.division === 'mysql') return typedIntegral(e) ? 'int' : 'other'
        return ['+', '-', '*', '/', '%'].includes(e.op) ? join(k(e.left), k(e.right)) : 'other'
      case 'Negate':
        return k(e.arg)
      case 'Agg':
        if (e.fn === 'count') return 'int'
        // PostgreSQL sums a bigint into numeric (so a division by it is no longer an integer division).
        if (e.fn === 'sum') return e.arg === undefined || (p.name === 'postgres' && k(e.arg) === 'int') ? 'other' : widen(k(e.arg))
        if (e.fn === 'avg') return 'other'
        return e.arg === undefined ? 'other' : k(e.arg)
      case 'WinFn':
        return e.fn === 'row_number' || e.fn === 'rank' || e.fn === 'dense_rank' || e.fn === 'ntile' ? 'int' : e.args[0] === undefined ? 'other' : k(e.args[0])
      case 'Over':
        return k(e.call)
      case 'Cast':
        return ofType(e.to)
      case 'Extract':
        return 'int4'
      case 'Builtin':
        if (e.fn === 'length') return 'int4'
        if (e.fn === 'abs') return e.args[0] === undefined ? 'other' : k(e.args[0])
        if (e.fn === 'coalesce') return e.args.map(k).reduce(join, 'int4')
        return e.fn === 'nullif' && e.args[0] !== undefined ? k(e.args[0]) : 'other'
      case 'Case':
        return [...e.whens.map((w) => k(w.then)), ...(e.otherwise === undefined ? [] : [k(e.otherwise)])].reduce(join, 'int4')
      case 'Subquery':
        return ofQuery(e.query, p)
      default:
        return 'other'
    }
  }

const integralType = (t: DataType | undefined): boolean => t !== undefined && (t.kind === 'integer' || t.kind === 'bigint' || t.kind === 'smallint')

/**
 * Whether quarry itself types the expression as an integer (what the
 * interpreters read to print MySQL's `DIV` for an integer division),
 * independent of how the engine stores the operands.
 */
export const typedIntegral = (e: ExprNode): boolean => {
  switch (e._tag) {
    case 'Column':
    case 'Value':
    case 'Param':
    case 'Excluded':
      return integralType(e.type)
    case 'Cast':
      return integralType(e.to)
    case 'Negate':
      return typedIntegral(e.arg)
    case 'Binary':
      return !['=', '<>', '<', '<=', '>', '>='].includes(e.op) && typedIntegral(e.left) && typedIntegral(e.right)
    case 'Case':
      return e.whens[0] !== undefined && typedIntegral(e.whens[0].then)
    case 'Builtin':
      return e.fn === 'length' || (['abs', 'coalesce', 'nullif', 'round'].includes(e.fn) && e.args[0] !== undefined && typedIntegral(e.args[0]))
    case 'Extract':
      return true
    case 'Agg':
      return e.fn === 'count' || (e.fn !== 'avg' && e.arg !== undefined && typedIntegral(e.arg))
    case 'WinFn':
      return ['row_number', 'rank', 'dense_rank', 'ntile'].includes(e.fn) || (e.args[0] !== undefined && typedIntegral(e.args[0]))
    case 'Over':
      return typedIntegral(e.call)
    case 'Subquery':
      return e.query._tag === 'Select' && e.query.fields[0] !== undefined && typedIntegral(e.query.fields[0].expr)
    default:
      return false
  }
}
