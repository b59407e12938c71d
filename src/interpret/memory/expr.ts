/**
 * The expression evaluator: a total fold over `ExprNode` (one handler per
 * `_tag`; a new node kind is a compile error here) giving the SQL value of
 * an expression in an environment, with three-valued logic throughout.
 */
import type { ExprNode, ExprTag, ExprOf } from '../../algebra/index.js'
import { aggregate } from './aggregate.js'
import { arithmetic } from './arith.js'
import { lookup, type Env } from './env.js'
import { dataError, invalidReference, notEvaluable, runtimeError } from './errors.js'
import { numKind, typedIntegral } from './kinds.js'
import { evalQuery } from './query.js'
import { builtin, castTo, extractPart, likeMatch, namedFunction, toText } from './scalar-fns.js'
import { compareValues, isTrue, sqlEquals, triNot, truth, valueKey, type SqlValue, type Tri } from './values.js'

/** The source alias under which an upsert's proposed row (`excluded`) is in scope. */
export const EXCLUDED = '\u0000excluded'

type Handlers = { readonly [K in ExprTag]: (node: ExprOf<K>, env: Env) => SqlValue }

/** Convert a stored or bound JS value to the evaluator's value (exact decimals become numbers). */
export const fromJs = (v: unknown, type: ExprOf<'Value'>['type']): SqlValue => {
  if (v === undefined || v === null) return null
  if (type !== undefined && type.kind === 'numeric' && typeof v === 'string') return Number(v)
  if (type !== undefined && (type.kind === 'json' || type.kind === 'jsonb') && typeof v !== 'string') return JSON.stringify(v)
  return v as SqlValue
}

const compare = (env: Env, op: '=' | '<>' | '<' | '<=' | '>' | '>=', l: SqlValue, r: SqlValue): Tri => {
  if (l === null || r === null) return null
  const c = compareValues(env.ctx.profile)(l, r)
  switch (op) {
    case '=':
      return c === 0
    case '<>':
      return c !== 0
    case '<':
      return c < 0
    case '<=':
      return c <= 0
    case '>':
      return c > 0
    case '>=':
      return c >= 0
  }
}

/** `x IN (candidates)` in three-valued logic. */
export const inCandidates = (env: Env, x: SqlValue, candidates: readonly SqlValue[]): Tri => {
  if (candidates.length === 0) return false
  if (x === null) return null
  let unknown = false
  for (const c of candidates) {
    const t = sqlEquals(env.ctx.profile)(x, c)
    if (t === true) return true
    if (t === null) unknown = true
  }
  return unknown ? null : false
}

const neg = (negated: boolean, t: Tri): Tri => (negated ? triNot(t) : t)

/** `(x1, x2) IN (rows)` in three-valued logic: rows compare pairwise (FALSE if a pair differs, NULL if a pair is unknown). */
const inRows = (env: Env, xs: readonly SqlValue[], rows: readonly (readonly SqlValue[])[]): Tri => {
  const eq = sqlEquals(env.ctx.profile)
  let unknown = false
  for (const r of rows) {
    let t: Tri = true
    for (let i = 0; i < xs.length && t !== false; i++) {
      const e = eq(xs[i] ?? null, r[i] ?? null)
      if (e !== true) t = e
    }
    if (t === true) return true
    if (t === null) unknown = true
  }
  return unknown ? null : false
}

const handlers: Handlers = {
  Column: (n, env) => lookup(env, n.source, n.name),
  Value: (n) => fromJs(n.value, n.type),
  Param: (n, env) =>
    n.name in env.ctx.args ? fromJs(env.ctx.args[n.name], n.type) : invalidReference(`no value for parameter "${n.name}"`),
  Binary: (n, env) => {
    const l = evalExpr(n.left, env)
    const r = evalExpr(n.right, env)
    switch (n.op) {
      case '=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return compare(env, n.op, l, r)
      default: {
        const k = numKind(env.ctx.profile)
        const integral = k(n.left) !== 'other' && k(n.right) !== 'other'
        return arithmetic(env.ctx.profile, n.op, l, r, k(n), integral, typedIntegral(n.left) && typedIntegral(n.right))
      }
    }
  },
  Logical: (n, env) => {
    // Every operand is evaluated (as an engine may), so a run-time error is not hidden by short-circuiting.
    const ts = n.args.map((a) => truth(evalExpr(a, env)))
    if (n.op === 'and') return ts.includes(false) ? false : ts.includes(null) ? null : true
    return ts.includes(true) ? true : ts.includes(null) ? null : false
  },
  Not: (n, env) => triNot(truth(evalExpr(n.arg, env))),
  Negate: (n, env) => {
    const v = evalExpr(n.arg, env)
    return v === null ? null : arithmetic(env.ctx.profile, '-', 0, v, numKind(env.ctx.profile)(n), true)
  },
  IsNull: (n, env) => (evalExpr(n.arg, env) === null) !== n.negated,
  IsDistinct: (n, env) => {
    const l = evalExpr(n.left, env)
    const r = evalExpr(n.right, env)
    const same = l === null || r === null ? l === r : compareValues(env.ctx.profile)(l, r) === 0
    return n.negated ? same : !same
  },
  InList: (n, env) => {
    const x = evalExpr(n.arg, env)
    return neg(n.negated, inCandidates(env, x, n.list.map((e) => evalExpr(e, env))))
  },
  InQuery: (n, env) => {
    const x = evalExpr(n.arg, env)
    const r = evalQuery(n.query, env)
    return neg(n.negated, inCandidates(env, x, r.rows.map((row) => row[0] ?? null)))
  },
  TupleInList: (n, env) => {
    if (n.rows.some((r) => r.length !== n.args.length)) return runtimeError('a row-value IN compares rows of different widths')
    const xs = n.args.map((a) => evalExpr(a, env))
    return neg(n.negated, inRows(env, xs, n.rows.map((r) => r.map((e) => evalExpr(e, env)))))
  },
  TupleInQuery: (n, env) => {
    const xs = n.args.map((a) => evalExpr(a, env))
    return neg(n.negated, inRows(env, xs, evalQuery(n.query, env).rows))
  },
  Between: (n, env) => {
    const x = evalExpr(n.arg, env)
    const lo = compare(env, '>=', x, evalExpr(n.low, env))
    const hi = compare(env, '<=', x, evalExpr(n.high, env))
    return neg(n.negated, lo === false || hi === false ? false : lo === null || hi === null ? null : true)
  },
  Like: (n, env) => {
    const p = env.ctx.profile
    const s = evalExpr(n.arg, env)
    const pat = evalExpr(n.pattern, env)
    const esc = n.escape === undefined ? undefined : evalExpr(n.escape, env)
    if (s === null || pat === null || esc === null) return null
    const fold = n.caseInsensitive ? p.caseMapping : p.likeFoldsAscii ? 'ascii' : 'none'
    return likeMatch(toText(p, s), toText(p, pat), esc === undefined ? (p.name === 'sqlite' ? undefined : '\\') : toText(p, esc), fold) !== n.negated
  },
  Case: (n, env) => {
    for (const w of n.whens) if (isTrue(evalExpr(w.when, env))) return evalExpr(w.then, env)
    return n.otherwise === undefined ? null : evalExpr(n.otherwise, env)
  },
  Cast: (n, env) => castTo(env.ctx.profile, evalExpr(n.arg, env), n.to),
  Concat: (n, env) => {
    const vs = n.args.map((a) => evalExpr(a, env))
    return vs.some((v) => v === null) ? null : vs.map((v) => toText(env.ctx.profile, v as Exclude<SqlValue, null>)).join('')
  },
  Builtin: (n, env) => {
    const p = env.ctx.profile
    const v = builtin(p, n.fn, n.args.map((a) => evalExpr(a, env)))
    // abs(-2147483648) does not fit a 32-bit integer either.
    if (n.fn === 'abs' && p.int32Overflow && typeof v === 'number' && v > 2147483647 && n.args[0] !== undefined && numKind(p)(n.args[0]) === 'int4') return dataError('integer out of range')
    return v
  },
  Func: (n, env) => namedFunction(env.ctx.profile, n.name, n.args.map((a) => evalExpr(a, env))),
  Extract: (n, env) => extractPart(n.part, evalExpr(n.arg, env)),
  Agg: (n, env) => {
    const known = env.aggregates?.get(n)
    if (known !== undefined) return known
    if (env.group === undefined) return runtimeError(`aggregate ${n.fn} used outside a grouped query`)
    const group = env.group
    return aggregate(n, group.map((frame) => ({ ...env, frame, group: undefined, aggregates: undefined, windows: undefined })))
  },
  WinFn: (n) => runtimeError(`window function ${n.fn} needs OVER`),
  Over: (n, env) => {
    const v = env.windows?.get(n)
    return v === undefined ? runtimeError('window function outside a select list or order by') : v
  },
  Subquery: (n, env) => {
    const r = evalQuery(n.query, env)
    if (r.rows.length > 1 && env.ctx.profile.scalarSubqueryManyRows === 'error') return runtimeError('more than one row returned by a subquery used as an expression')
    return r.rows[0]?.[0] ?? null
  },
  Exists: (n, env) => evalQuery(n.query, env).rows.length > 0,
  Excluded: (n, env) => lookup(env, EXCLUDED, n.name),
  Text: (_n, env) => notEvaluable('hand-written SQL text (rawSql)', env.ctx.profile.name),
}

/** The value of an expression in an environment. */
export const evalExpr = (e: ExprNode, env: Env): SqlValue => (handlers[e._tag] as (n: ExprNode, env: Env) => SqlValue)(e, env)

/** Is the predicate TRUE for this environment (what WHERE, ON and HAVING keep)? */
export const holds = (e: ExprNode, env: Env): boolean => isTrue(evalExpr(e, env))

/** The grouping key of a list of values under the environment's profile. */
export const keyOf = (env: Env, vs: readonly SqlValue[]): string => vs.map(valueKey(env.ctx.profile)).join('\u0000')
