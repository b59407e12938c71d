/**
 * Lowering of queries and FROM items to SQL blocks. Set-operation operands
 * that SQL cannot take bare (ordered or limited selects and set
 * operations, other set operations of a different kind, VALUES, text) are
 * wrapped as derived tables, which every dialect accepts with the same
 * meaning. Constant ORDER BY and GROUP BY keys never reach the SQL as
 * literals (engines read those as column ordinals).
 */
import type { CteDef, ExprNode, FromItem, OrderKey, QueryNode, SelectNode, SetOpNode } from '../algebra/index.js'
import { aggregatesIn, holdsAggregate, isConstant } from './constant-expr.js'
import { need, type Ctx } from './context.js'
import { fold } from './fold.js'
import { exprLowering, keeping, orderKeys } from './lower-expr.js'
import { outputPosition } from './same-expr.js'
import { compound, emptySelect, Level, S, type SqlExpr, type SqlFrom, type SqlOrder, type SqlQuery, type SqlWith } from './sql-tree.js'

const joinWord = { inner: 'INNER JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', full: 'FULL JOIN', cross: 'CROSS JOIN' } as const

// The context of the query being lowered; the folds below are built once at module level.
let QC: Ctx = undefined as never
let QE: (e: ExprNode) => SqlExpr = undefined as never
const within = <A, R>(ctx: Ctx, f: (a: A) => R, a: A): R => {
  const prev = QC
  const prevE = QE
  QC = ctx
  QE = exprLowering(ctx, lowerQuery)
  try {
    return f(a)
  } finally {
    QC = prev
    QE = prevE
  }
}
const lowerE = (e: ExprNode): SqlExpr => QE(e)

/** Lower a FROM item (tables, joins, derived tables, CTE references). */
export const lowerFrom = (ctx: Ctx, item: FromItem): SqlFrom => within(ctx, fromFold, item)

const fromFold: (f: FromItem) => SqlFrom = fold<FromItem, SqlFrom>({
  TableRef: (n) => ({ _tag: 'Table', name: n.table.name, alias: n.alias === n.table.name ? undefined : n.alias }),
  CteRef: (n) => ({ _tag: 'Table', name: n.name, alias: n.alias === n.name ? undefined : n.alias }),
  Derived: (n) => {
    if (n.lateral) need(QC, QC.d.capabilities.lateral, 'LATERAL')
    return { _tag: 'Derived', query: lowerQuery(QC, n.query), alias: n.alias, lateral: n.lateral }
  },
  Join: (n): SqlFrom => {
    if (n.kind === 'right') need(QC, QC.d.capabilities.rightJoin, 'RIGHT JOIN')
    if (n.kind === 'full') need(QC, QC.d.capabilities.fullJoin, 'FULL JOIN')
    return { _tag: 'Join', kind: joinWord[n.kind], left: fromFold(n.left), right: fromFold(n.right), on: n.on === undefined ? undefined : lowerE(n.on) }
  },
})

/** Lower a query (subqueries included); CTEs are not hoisted here. */
export const lowerQuery = (ctx: Ctx, node: QueryNode): SqlQuery => within(ctx, queryFold, node)

const lock = (s: SelectNode): SqlExpr | undefined => {
  const l = s.lock
  if (l === undefined) return undefined
  const locks = QC.d.capabilities.locks
  if (!need(QC, locks !== undefined, 'row locks (FOR UPDATE / FOR SHARE)') || locks === undefined) return undefined
  const parts: (SqlExpr | string)[] = [l.strength === 'update' ? locks.update : locks.share]
  if (l.of.length > 0 && need(QC, locks.of, 'FOR UPDATE OF')) parts.push('OF', S.seq(l.of.map((a) => S.ident(a)), ', '))
  if (l.wait === 'nowait' && need(QC, locks.nowait, 'NOWAIT')) parts.push('NOWAIT')
  if (l.wait === 'skip locked' && need(QC, locks.skipLocked, 'SKIP LOCKED')) parts.push('SKIP LOCKED')
  return S.seq(parts)
}

// PostgreSQL cannot match parameters across clauses: an equal output column is named by position.
const byPosition =
  (s: SelectNode) =>
  (e: ExprNode): SqlExpr => {
    const i = QC.d.capabilities.groupByPosition ? outputPosition(s, e) : 0
    return i > 0 ? S.kw(String(i)) : lowerE(e)
  }

// MySQL and SQLite need a LIMIT to have an OFFSET: the dialect's "no limit".
const limitOf = (limit: ExprNode | undefined, offset: ExprNode | undefined): SqlExpr | undefined =>
  limit === undefined ? (offset !== undefined && QC.d.limitAll !== undefined ? S.kw(QC.d.limitAll) : undefined) : lowerE(limit)

/**
 * ORDER BY keys: a constant key orders nothing, and engines read one as a
 * column ordinal or reject it (gap Q4), so it is dropped — unless it holds
 * an aggregate, which makes the query an aggregate one: its aggregates are
 * kept, in a CASE that no engine folds to a literal. With `aggregated` (a
 * SELECT DISTINCT that is an aggregate query already) such a key is dropped
 * too: it changes nothing there, and PostgreSQL refuses a DISTINCT ORDER BY
 * key that is not in the select list (gap Q1).
 */
const sortKeys = (keys: readonly OrderKey[], lower: (e: ExprNode) => SqlExpr, aggregated = false): readonly SqlOrder[] =>
  orderKeys(
    QC,
    (e) => (isConstant(e) ? keeping(QC, aggregatesIn(e).map(lowerE), false) : lower(e)),
    keys.filter((k) => !isConstant(k.expr) || (!aggregated && holdsAggregate(k.expr))),
  )

/** A SELECT DISTINCT whose rows are groups whatever its ORDER BY says: grouped, filtered by HAVING, or aggregating in a field. */
const distinctAggregate = (s: SelectNode): boolean =>
  s.distinct && (s.groupBy.length > 0 || s.having !== undefined || s.fields.some((f) => holdsAggregate(f.expr)))

/**
 * GROUP BY keys. A constant key splits no group, so it is dropped when
 * another key remains; GROUP BY only constants still means "one group, or
 * none without rows", so it becomes `1 = 1`: a literal would be read as an
 * ordinal (SQLite) or refused (PostgreSQL), as in ORDER BY.
 */
const groupKeys = (s: SelectNode): readonly SqlExpr[] => {
  if (s.groupBy.length === 0) return []
  const keys = s.groupBy.filter((g) => !isConstant(g))
  return keys.length > 0 ? keys.map(byPosition(s)) : [S.infix('=', Level.cmp, S.kw('1'), S.kw('1'))]
}

const select = (s: SelectNode): SqlQuery => {
  if (s.distinctOn !== undefined) need(QC, QC.d.capabilities.distinctOn, 'DISTINCT ON')
  const limit = limitOf(s.limit, s.offset)
  return {
    _tag: 'Select',
    with: undefined,
    distinct: s.distinct,
    distinctOn: s.distinctOn?.map(lowerE),
    columns: s.fields.map((f) => {
      const e = lowerE(f.expr)
      const expr = QC.d.capabilities.castBareParams && e._tag === 'Slot' && e.entry.type !== undefined ? { _tag: 'Cast' as const, arg: e, type: QC.d.castType(e.entry.type) } : e
      const same = expr._tag === 'Ident' && expr.parts[expr.parts.length - 1] === f.name
      return { expr, alias: same ? undefined : f.name }
    }),
    from: s.from === undefined ? undefined : fromFold(s.from),
    where: s.where === undefined ? undefined : lowerE(s.where),
    groupBy: groupKeys(s),
    having: s.having === undefined ? undefined : lowerE(s.having),
    orderBy: sortKeys(s.orderBy, byPosition(s), distinctAggregate(s)),
    limit,
    offset: s.offset === undefined ? undefined : lowerE(s.offset),
    lock: lock(s),
  }
}

const wrap = (inner: SqlQuery): SqlQuery => ({
  ...emptySelect(),
  columns: [{ expr: S.kw('*'), alias: undefined }],
  from: { _tag: 'Derived', query: inner, alias: 'q', lateral: false },
})

const unpaged = (q: SelectNode | SetOpNode): boolean => q.orderBy.length === 0 && q.limit === undefined && q.offset === undefined

const bareSelect = (q: QueryNode): boolean => q._tag === 'Select' && unpaged(q) && q.lock === undefined

/**
 * A set operation, with its own ORDER BY / LIMIT / OFFSET printed after it
 * when every key is a result column (all that PostgreSQL and SQLite take
 * there); other keys (expressions, MariaDB's NULLS emulation) order a
 * derived table of it. An ordered or limited member is wrapped, since
 * SQLite takes no parenthesised member.
 */
const setOp = (n: SetOpNode): SqlQuery => {
  if (n.op === 'intersect') need(QC, QC.d.capabilities.intersect, 'INTERSECT')
  if (n.op === 'except') need(QC, QC.d.capabilities.except, 'EXCEPT')
  if (n.all && n.op !== 'union') need(QC, QC.d.capabilities.setOpAll, `${n.op.toUpperCase()} ALL`)
  const sameChain = (x: QueryNode): boolean => x._tag === 'SetOp' && x.op === n.op && x.all === n.all && unpaged(x)
  const left = bareSelect(n.left) || sameChain(n.left) ? lowerQuery(QC, n.left) : wrap(lowerQuery(QC, n.left))
  const right = bareSelect(n.right) ? lowerQuery(QC, n.right) : wrap(lowerQuery(QC, n.right))
  const body = compound(n.op.toUpperCase() + (n.all ? ' ALL' : ''), left, right)
  if (unpaged(n)) return body
  const orderBy = sortKeys(n.orderBy, lowerE)
  const paging = { orderBy, limit: limitOf(n.limit, n.offset), offset: n.offset === undefined ? undefined : lowerE(n.offset) }
  return orderBy.every((k) => k.expr._tag === 'Ident') ? { ...body, ...paging } : { ...wrap(body), ...paging }
}

const queryFold: (q: QueryNode) => SqlQuery = fold<QueryNode, SqlQuery>({
  Select: select,
  SetOp: setOp,
  Values: (n) => {
    // VALUES as SELECT ... UNION ALL SELECT ...: the one form that names and types columns on all three engines.
    const rows = n.rows.map(
      (r, i): SqlQuery => ({
        ...emptySelect(),
        columns: r.map((e: ExprNode, j) => {
          const c = n.columns[j]
          const v = lowerE(e)
          return i === 0 && c !== undefined
            ? { expr: c.type === undefined ? v : { _tag: 'Cast', arg: v, type: QC.d.castType(c.type) }, alias: c.name }
            : { expr: v, alias: undefined }
        }),
      }),
    )
    return rows.slice(1).reduce<SqlQuery>((acc, r) => compound('UNION ALL', acc, r), rows[0] as SqlQuery)
  },
  TextQuery: (n) => ({ _tag: 'RawQuery', with: undefined, body: lowerE({ _tag: 'Text', parts: n.parts, params: n.params }) }),
})

/** The WITH clause for hoisted CTE definitions. */
export const withClause = (ctx: Ctx, defs: readonly CteDef[]): SqlWith | undefined =>
  defs.length === 0
    ? undefined
    : {
        recursive: defs.some((c) => c.recursive),
        ctes: defs.map((c) => ({ name: c.name, columns: c.recursive ? c.columns : undefined, query: lowerQuery(ctx, c.query) })),
      }
