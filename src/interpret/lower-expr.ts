/**
 * Lowering of expressions: the algebra's expression nodes become SQL-shaped
 * expressions for one dialect. Dialect differences are resolved here, by
 * capability flags and dialect functions: ILIKE, IS DISTINCT FROM, aggregate
 * FILTER, concatenation, date parts, empty IN lists, upsert's proposed row.
 */
import {
  exprType,
  foldExpr,
  outputColumns,
  type DataType,
  type ExprFold,
  type ExprNode,
  type OrderKey,
  type QueryNode,
  type TextPart,
  type WindowSpec,
  type FrameBound,
} from '../algebra/index.js'
import { aggregatesIn } from './constant-expr.js'
import { fail, need, type Ctx } from './context.js'
import { invalidQuery } from './errors.js'
import { emptySelect, Level, S, type SqlExpr, type SqlOrder, type SqlQuery, type SqlWindow } from './sql-tree.js'

/** Lowers subqueries; supplied by the query lowering (the two are mutually recursive). */
export type LowerQuery = (ctx: Ctx, q: QueryNode) => SqlQuery

const levelOf = (op: string): number =>
  op === '+' || op === '-' ? Level.add : op === '*' || op === '/' || op === '%' ? Level.mul : Level.cmp

const isIntegral = (t: DataType | undefined): boolean => t !== undefined && (t.kind === 'integer' || t.kind === 'bigint' || t.kind === 'smallint')
/** SQL text with quoted strings, quoted identifiers and comments blanked out. */
const unquoted = (s: string): string =>
  s.replace(/'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, ' ')

const FUNC_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/

/** A bind parameter slot for a value node (or a literal in DDL). */
const valueSlot = (ctx: Ctx, key: object, value: unknown, type: import('../algebra/index.js').DataType | undefined): SqlExpr => {
  if (ctx.ddl) {
    const lit = ctx.d.literal(value)
    return lit === undefined ? fail(ctx, invalidQuery(`a ${typeof value} cannot appear as a literal in DDL`)) : S.kw(lit)
  }
  const index = ctx.index.get(key)
  if (index === undefined) return fail(ctx, invalidQuery('internal: value not found by the shape walk'))
  return { _tag: 'Slot', entry: { kind: 'value', index, type } }
}

const lowerings = new WeakMap<Ctx, (e: ExprNode) => SqlExpr>()

/** The expression lowering for a context (one small wrapper per context). */
export const exprLowering = (ctx: Ctx, lowerQuery: LowerQuery): ((e: ExprNode) => SqlExpr) => {
  let f = lowerings.get(ctx)
  if (f === undefined) {
    f = (e: ExprNode): SqlExpr => {
      const pc = C
      const pl = LQ
      C = ctx
      LQ = lowerQuery
      try {
        return lower(e)
      } finally {
        C = pc
        LQ = pl
      }
    }
    lowerings.set(ctx, f)
  }
  return f
}

// The lowering is one module-level fold; `C` and `LQ` are the context and query lowering of the
// call in progress (set around each entry, restored after). Building the handlers once, not per
// compile, keeps compilation cheap (and free of per-call closures).
let C: Ctx = undefined as never
let LQ: LowerQuery = undefined as never

const bool = (b: boolean): SqlExpr => S.kw(C.d.booleanLiteral(b))
const q = (n: QueryNode): SqlQuery => LQ(C, n)
const textPart = (node: ExprNode & { readonly params: Readonly<Record<string, unknown>> }, p: TextPart): SqlExpr | string => {
  switch (p.kind) {
    case 'sql':
      if (C.d.placeholderInText.test(unquoted(p.text)))
        return fail(C, invalidQuery(`hand-written SQL holds placeholder syntax for ${C.d.name} (${JSON.stringify(p.text)}); use :name parameters or interpolate values`))
      return p.text
    case 'expr':
      return lower(p.expr)
    case 'param':
      if (Object.prototype.hasOwnProperty.call(node.params, p.name)) return valueSlot(C, p, node.params[p.name], undefined)
      if (C.ddl) return fail(C, invalidQuery(`named parameter :${p.name} cannot appear in DDL`))
      return { _tag: 'Slot', entry: { kind: 'named', name: p.name, type: undefined } }
  }
}
// A bare parameter whose type only the value knows (PostgreSQL would otherwise read it as text).
const isBare = (e: SqlExpr): boolean => e._tag === 'Slot'
/** Cast every operand when all of them are bare parameters (nothing else types them). */
const typedIfAllBare = (es: readonly SqlExpr[]): readonly SqlExpr[] => (C.d.capabilities.castBareParams && es.every(isBare) ? es.map(typed) : es)
const typed = (e: SqlExpr): SqlExpr =>
  C.d.capabilities.castBareParams && e._tag === 'Slot' && e.entry.type !== undefined ? { _tag: 'Cast', arg: e, type: C.d.castType(e.entry.type) } : e
/** A row value `(a, b, ...)`. */
const tuple = (items: readonly SqlExpr[]): SqlExpr => ({ _tag: 'Tuple', items })
/**
 * `x IN ()` is FALSE and `x NOT IN ()` TRUE, even for a NULL x: printed as
 * that constant (never the invalid `IN ()`), which lets a planner skip the
 * scan. When x holds an aggregate or window call, dropping it would make an
 * aggregate query a per-row one (gap Q5), so its aggregates stay, in a CASE
 * whose every branch is the constant.
 */
const emptyIn = (args: readonly ExprNode[], negated: boolean): SqlExpr => {
  const kept = args.flatMap(aggregatesIn)
  return kept.length === 0 ? bool(negated) : keeping(C, kept.map(lower), negated)
}
/**
 * `CASE WHEN x IS NULL THEN c ... ELSE c END`: the constant c, with each x
 * (an aggregate, see `aggregatesIn`) still in the query.
 *
 * @example
 * keeping(ctx, [S.call('COUNT', [S.kw('*')])], false) // CASE WHEN COUNT(*) IS NULL THEN FALSE ELSE FALSE END
 */
export const keeping = (ctx: Ctx, xs: readonly SqlExpr[], c: boolean): SqlExpr => {
  const k = S.kw(ctx.d.booleanLiteral(c))
  return { _tag: 'Case', whens: xs.map((x) => [{ _tag: 'Postfix', op: 'IS NULL', arg: x }, k] as const), otherwise: k }
}
// MySQL refuses LIMIT directly in IN (...); selecting from it as a derived table means the same.
const inSubquery = (query: QueryNode): SqlQuery => {
  const sub = q(query)
  const limited = (query._tag === 'Select' || query._tag === 'SetOp') && (query.limit !== undefined || query.offset !== undefined)
  return limited && !C.d.capabilities.limitInInSubquery
    ? { ...emptySelect(), columns: [{ expr: S.kw('*'), alias: undefined }], from: { _tag: 'Derived', query: sub, alias: 'q', lateral: false } }
    : sub
}
const NUMERIC: DataType = Object.freeze({ kind: 'numeric', precision: undefined, scale: undefined })
const DOUBLE: DataType = Object.freeze({ kind: 'double' })
/** The float type of an expression (double or real), also through arithmetic whose type only the engine knows (a float operand makes it one). */
const floatType = (e: ExprNode): DataType | undefined => {
  const t = exprType(e)
  if (t !== undefined) return t.kind === 'double' || t.kind === 'real' ? t : undefined
  if (e._tag === 'Negate') return floatType(e.arg)
  if (e._tag !== 'Binary' || e.op === '=' || e.op === '<>' || e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') return undefined
  return floatType(e.left) !== undefined || floatType(e.right) !== undefined ? DOUBLE : undefined
}
const handlers: ExprFold<SqlExpr> = {
  Column: (n) => (C.ddl || n.source === '' ? S.ident(n.name) : S.ident(n.source, n.name)),
  Value: (n) => valueSlot(C, n, n.value, n.type),
  Param: (n) =>
    C.ddl ? fail(C, invalidQuery(`named parameter ${n.name} cannot appear in DDL`)) : { _tag: 'Slot', entry: { kind: 'named', name: n.name, type: n.type } },
  Excluded: (n) =>
    C.d.capabilities.proposedRow === 'excluded'
      ? S.ident('excluded', n.name)
      : C.rowAlias !== undefined
        ? S.ident(C.rowAlias, n.name)
        : S.call('VALUES', [S.ident(n.name)]),
  Binary: (n) => {
    // Integer / integer truncates on PostgreSQL and SQLite; MySQL needs DIV for the same result.
    const op = n.op === '/' && isIntegral(exprType(n.left)) && isIntegral(exprType(n.right)) ? C.d.capabilities.integerDivision : n.op
    const [l, r] = typedIfAllBare([lower(n.left), lower(n.right)]) as [SqlExpr, SqlExpr]
    return S.infix(op, levelOf(n.op), l, r)
  },
  Logical: (n) => {
    if (n.args.length === 0) return bool(n.op === 'and')
    if (n.args.length === 1) return lower(n.args[0] as ExprNode)
    return S.infix(n.op === 'and' ? 'AND' : 'OR', n.op === 'and' ? Level.and : Level.or, ...n.args.map(lower))
  },
  Not: (n) => ({ _tag: 'Prefix', op: 'NOT', arg: typed(lower(n.arg)) }),
  Negate: (n) => ({ _tag: 'Prefix', op: '-', arg: typed(lower(n.arg)) }),
  IsNull: (n) => ({ _tag: 'Postfix', op: n.negated ? 'IS NOT NULL' : 'IS NULL', arg: typed(lower(n.arg)) }),
  IsDistinct: (n) => {
    const [l, r] = typedIfAllBare([lower(n.left), lower(n.right)]) as [SqlExpr, SqlExpr]
    switch (C.d.capabilities.distinctFrom) {
      case 'is-distinct-from':
        return S.infix(n.negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', Level.cmp, l, r)
      case 'is':
        return S.infix(n.negated ? 'IS' : 'IS NOT', Level.cmp, l, r)
      case 'null-safe-equal': {
        const eq = S.infix('<=>', Level.cmp, l, r)
        return n.negated ? eq : { _tag: 'Prefix', op: 'NOT', arg: eq }
      }
    }
  },
  InList: (n) =>
    n.list.length === 0 ? emptyIn([n.arg], n.negated) : { _tag: 'In', arg: typed(lower(n.arg)), items: n.list.map(lower), negated: n.negated },
  InQuery: (n) => ({ _tag: 'In', arg: typed(lower(n.arg)), items: inSubquery(n.query), negated: n.negated }),
  TupleInList: (n) => {
    if (n.args.length === 0) return fail(C, invalidQuery('a row-value IN needs at least one expression'))
    if (n.rows.length === 0) return emptyIn(n.args, n.negated)
    const width = n.args.length
    if (n.rows.some((r) => r.length !== width)) return fail(C, invalidQuery(`a row-value IN compares ${width} expressions with a row of another width`))
    const rows = n.rows.map((r) => tuple(r.map(lower)))
    // SQLite reads `(a, b) IN ((1, 2))` as a list of scalars; it takes rows as a VALUES list.
    const items = C.d.capabilities.rowValueList === 'values' ? [S.seq(['VALUES ', S.seq(rows, ', ')], '')] : rows
    return { _tag: 'In', arg: tuple(n.args.map((a) => typed(lower(a)))), items, negated: n.negated }
  },
  TupleInQuery: (n) => {
    const width = outputColumns(n.query).length
    if (n.args.length === 0 || width !== n.args.length)
      return fail(C, invalidQuery(`a row-value IN compares ${n.args.length} expressions with a query of ${width} columns`))
    return { _tag: 'In', arg: tuple(n.args.map((a) => typed(lower(a)))), items: inSubquery(n.query), negated: n.negated }
  },
  Between: (n) => ({ _tag: 'Between', arg: typed(lower(n.arg)), low: lower(n.low), high: lower(n.high), negated: n.negated }),
  Like: (n) => {
    const esc = n.escape === undefined ? undefined : lower(n.escape)
    if (!n.caseInsensitive || C.d.capabilities.ilike)
      return { _tag: 'Like', op: n.caseInsensitive ? 'ILIKE' : 'LIKE', arg: typed(lower(n.arg)), pattern: lower(n.pattern), escape: esc, negated: n.negated }
    const lc = C.d.builtin('lower')
    return { _tag: 'Like', op: 'LIKE', arg: S.call(lc, [lower(n.arg)]), pattern: S.call(lc, [lower(n.pattern)]), escape: esc, negated: n.negated }
  },
  Case: (n) => ({
    _tag: 'Case',
    whens: n.whens.map((w) => [typed(lower(w.when)), typed(lower(w.then))] as const),
    otherwise: n.otherwise === undefined ? undefined : typed(lower(n.otherwise)),
  }),
  Cast: (n) => ({ _tag: 'Cast', arg: lower(n.arg), type: C.d.castType(n.to) }),
  Concat: (n) => C.d.concat(typedIfAllBare(n.args.map(lower))),
  // Overloaded built-ins (ABS, ROUND, COALESCE...) need typed arguments to pick the right variant.
  Builtin: (n) => {
    const x = n.args[0]
    const t = n.fn === 'round' && x !== undefined && C.d.capabilities.roundDigits === 'numeric' ? floatType(x) : undefined
    if (x === undefined || t === undefined) return S.call(C.d.builtin(n.fn), n.args.map((a) => typed(lower(a))))
    // round(double precision, integer) does not exist on PostgreSQL: round as NUMERIC, give back the float type.
    const exact: SqlExpr = { _tag: 'Cast', arg: lower(x), type: C.d.castType(NUMERIC) }
    return { _tag: 'Cast', arg: S.call(C.d.builtin(n.fn), [exact, ...n.args.slice(1).map((a) => typed(lower(a)))]), type: C.d.castType(t) }
  },
  // Typed like built-in arguments: PostgreSQL resolves `abs($1)` as abs(double precision) (gap Q3).
  Func: (n) =>
    FUNC_NAME.test(n.name) ? S.call(n.name, n.args.map((a) => typed(lower(a)))) : fail(C, invalidQuery(`"${n.name}" is not a plain function name`)),
  Extract: (n) => C.d.extract(n.part, typed(lower(n.arg))),
  Agg: (n) => {
    const name = n.fn.toUpperCase()
    const arg = n.arg === undefined ? S.kw('*') : typed(lower(n.arg))
    if (n.filter === undefined) return { _tag: 'Call', name, args: [arg], distinct: n.distinct, filter: undefined, over: undefined }
    const f = lower(n.filter)
    if (C.d.capabilities.aggregateFilter) return { _tag: 'Call', name, args: [arg], distinct: n.distinct, filter: f, over: undefined }
    // Aggregates skip NULLs, so CASE WHEN p THEN x END gives the same result as FILTER (WHERE p).
    const inner: SqlExpr = { _tag: 'Case', whens: [[f, n.arg === undefined ? S.kw('1') : arg]], otherwise: undefined }
    return { _tag: 'Call', name, args: [inner], distinct: n.distinct, filter: undefined, over: undefined }
  },
  WinFn: (n) => {
    if (n.fn !== 'lag' && n.fn !== 'lead') return S.call(n.fn.toUpperCase(), n.args.map((a) => typed(lower(a))))
    if (n.args.length > 2) need(C, C.d.capabilities.lagDefault, `${n.fn.toUpperCase()} with a default value`)
    // The offset is structure (see `lag`): printed as a number, like a frame offset.
    return S.call(n.fn.toUpperCase(), n.args.map((a, i) => (i === 1 ? frameOffset(a) : typed(lower(a)))))
  },
  Over: (n) => {
    const call = lower(n.call)
    return call._tag === 'Call' ? { ...call, over: windowOf(n.window) } : call
  },
  Subquery: (n) => ({ _tag: 'Sub', query: q(n.query) }),
  Exists: (n) => ({ _tag: 'Prefix', op: 'EXISTS', arg: { _tag: 'Sub', query: q(n.query) } }),
  Text: (n) => S.seq(n.parts.map((p) => textPart(n, p)), ''),
}
const lower = foldExpr(handlers)
const bound = (b: FrameBound): SqlExpr => {
  switch (b.kind) {
    case 'unbounded-preceding':
      return S.kw('UNBOUNDED PRECEDING')
    case 'unbounded-following':
      return S.kw('UNBOUNDED FOLLOWING')
    case 'current-row':
      return S.kw('CURRENT ROW')
    case 'preceding':
      return S.seq([frameOffset(b.offset), 'PRECEDING'])
    case 'following':
      return S.seq([frameOffset(b.offset), 'FOLLOWING'])
  }
}
// A checked integer from the query's structure (see FrameBound), printed as a number, never a user string.
const frameOffset = (e: ExprNode): SqlExpr =>
  isFrameOffset(e) ? S.kw(String(e.value)) : fail(C, invalidQuery('a window frame offset must be an integer from 0 to 2147483647'))
const windowOf = (w: WindowSpec): SqlWindow => ({
  partitionBy: w.partitionBy.map(lower),
  orderBy: orderKeys(C, lower, w.orderBy),
  frame: w.frame === undefined ? undefined : S.seq([w.frame.unit.toUpperCase(), 'BETWEEN', bound(w.frame.start), 'AND', bound(w.frame.end)]),
})

/** Whether a frame offset is what `preceding` / `following` build: a Value holding a small non-negative integer. */
export const isFrameOffset = (e: ExprNode): e is Extract<ExprNode, { _tag: 'Value' }> & { readonly value: number } =>
  e._tag === 'Value' && typeof e.value === 'number' && Number.isSafeInteger(e.value) && e.value >= 0 && e.value <= 2147483647

/**
 * Sort keys; NULLS FIRST/LAST is printed where the dialect has it and
 * otherwise emulated by a leading `x IS NULL` key (same order).
 */
export const orderKeys = (ctx: Ctx, lower: (e: ExprNode) => SqlExpr, keys: readonly OrderKey[]): readonly SqlOrder[] =>
  keys.flatMap((k): SqlOrder[] => {
    const e = lower(k.expr)
    const desc = k.direction === 'desc'
    if (k.nulls === undefined) return [{ expr: e, desc, nulls: undefined }]
    if (ctx.d.capabilities.nullsOrder) return [{ expr: e, desc, nulls: k.nulls === 'first' ? 'FIRST' : 'LAST' }]
    return [
      { expr: { _tag: 'Postfix', op: 'IS NULL', arg: e }, desc: k.nulls === 'first', nulls: undefined },
      { expr: e, desc, nulls: undefined },
    ]
  })

