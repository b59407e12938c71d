/**
 * The one shared printer: folds the SQL-shaped tree into text and the list
 * of parameter slots in placeholder order. It asks the dialect only for
 * quoting, placeholders and the identifier limit; every identifier is
 * quoted and checked, every value is a placeholder.
 */
import type { Ctx } from './context.js'
import { fold } from './fold.js'
import type { PlanEntry, SqlExpr, SqlFrom, SqlOrder, SqlQuery, SqlStatement, SqlWith } from './sql-tree.js'

// UTF-8 length without encoding: 1–4 bytes by code point (surrogate pairs are 4 together).
const byteLength = (s: string): number => {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** Printed statement: SQL text and where each placeholder's value comes from. */
export interface Printed {
  readonly sql: string
  readonly plan: readonly PlanEntry[]
}

// The printer's state for the statement in progress: handlers are built once at module level.
interface State {
  readonly ctx: Ctx
  readonly d: Ctx['d']
  readonly plan: PlanEntry[]
  readonly seen: Map<string, string>
}
let P: State = undefined as never


const ident = (name: string): string => {
  const hit = P.seen.get(name)
  if (hit !== undefined) return hit
  const problem = name === '' || name.includes('\u0000') ? 'is empty or contains NUL' : P.d.identifierProblem(name)
  if (problem !== undefined) {
    P.ctx.errors.push({ _tag: 'InvalidIdentifier', identifier: name, message: `identifier ${JSON.stringify(name)} ${problem}` })
  } else if (P.d.identifierLimit !== undefined) {
    const { max, unit } = P.d.identifierLimit
    const len = unit === 'bytes' ? byteLength(name) : [...name].length
    if (len > max)
      P.ctx.errors.push({
        _tag: 'IdentifierTooLong',
        identifier: name,
        limit: `${max} ${unit}`,
        dialect: P.d.name,
        message: `identifier "${name}" is ${len} ${unit}; ${P.d.name} allows ${max}`,
      })
  }
  const q = P.d.quoteIdent(name)
  P.seen.set(name, q)
  return q
}

// Precedence: an operand is parenthesised unless it binds tighter than its parent,
// or continues an associative chain of the same operator (AND, OR, ||, left of + and *).
const levelOf = (e: SqlExpr): number =>
  e._tag === 'Infix' ? e.level : e._tag === 'Prefix' && e.op === 'NOT' ? 3 : e._tag === 'Prefix' && e.op === '-' ? 8 : e._tag === 'Between' || e._tag === 'Like' || e._tag === 'In' || e._tag === 'Postfix' ? 4 : e._tag === 'Seq' ? 0 : 99
const wrapIf = (e: SqlExpr, cond: boolean): string => (cond ? `(${expr(e)})` : expr(e))
const atom = (e: SqlExpr): string => wrapIf(e, levelOf(e) < 99)
const infixOperand = (parent: Extract<SqlExpr, { _tag: 'Infix' }>, a: SqlExpr, i: number): string => {
  const la = levelOf(a)
  if (la !== parent.level) return wrapIf(a, la < parent.level)
  const chain = a._tag === 'Infix' && a.op === parent.op && (parent.level <= 2 || parent.level === 7 || (i === 0 && parent.level !== 4))
  return wrapIf(a, !chain)
}

const windowText = (w: NonNullable<Extract<SqlExpr, { _tag: 'Call' }>['over']>): string => {
  const parts: string[] = []
  if (w.partitionBy.length > 0) parts.push('PARTITION BY ' + w.partitionBy.map(expr).join(', '))
  if (w.orderBy.length > 0) parts.push('ORDER BY ' + w.orderBy.map(order).join(', '))
  if (w.frame !== undefined) parts.push(expr(w.frame))
  return `OVER (${parts.join(' ')})`
}

const expr: (e: SqlExpr) => string = fold<SqlExpr, string>({
  Ident: (e) => e.parts.map(ident).join('.'),
  Slot: (e) => {
    P.plan.push(e.entry)
    return P.d.placeholder(P.plan.length)
  },
  Kw: (e) => e.text,
  Infix: (e) => e.args.map((a, i) => infixOperand(e, a, i)).join(` ${e.op} `),
  Prefix: (e) => (e.op === 'EXISTS' ? `EXISTS ${expr(e.arg)}` : e.op === '-' ? `-${atom(e.arg)}` : `NOT ${atom(e.arg)}`),
  Postfix: (e) => `${atom(e.arg)} ${e.op}`,
  Call: (e) => {
    const inner = (e.distinct ? 'DISTINCT ' : '') + e.args.map(expr).join(', ')
    let s = `${e.name}(${inner})`
    if (e.filter !== undefined) s += ` FILTER (WHERE ${expr(e.filter)})`
    if (e.over !== undefined) s += ' ' + windowText(e.over)
    return s
  },
  Case: (e) =>
    'CASE ' +
    e.whens.map(([w, t]) => `WHEN ${expr(w)} THEN ${expr(t)}`).join(' ') +
    (e.otherwise === undefined ? '' : ` ELSE ${expr(e.otherwise)}`) +
    ' END',
  Cast: (e) => `CAST(${expr(e.arg)} AS ${e.type})`,
  Sub: (e) => `(${query(e.query)})`,
  In: (e) => `${atom(e.arg)} ${e.negated ? 'NOT IN' : 'IN'} (${Array.isArray(e.items) ? (e.items as readonly SqlExpr[]).map(expr).join(', ') : query(e.items as SqlQuery)})`,
  Between: (e) => `${atom(e.arg)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${atom(e.low)} AND ${atom(e.high)}`,
  Like: (e) =>
    `${atom(e.arg)} ${e.negated ? 'NOT ' : ''}${e.op} ${atom(e.pattern)}` + (e.escape === undefined ? '' : ` ESCAPE ${atom(e.escape)}`),
  Tuple: (e) => `(${e.items.map(expr).join(', ')})`,
  Seq: (e) => e.parts.map((p) => (typeof p === 'string' ? p : expr(p))).join(e.glue),
})

const order = (o: SqlOrder): string => expr(o.expr) + (o.desc ? ' DESC' : ' ASC') + (o.nulls === undefined ? '' : ` NULLS ${o.nulls}`)

const from: (f: SqlFrom) => string = fold<SqlFrom, string>({
  Table: (f) => ident(f.name) + (f.alias === undefined ? '' : ` AS ${ident(f.alias)}`),
  Join: (f) =>
    f.kind === ','
      ? `${from(f.left)}, ${from(f.right)}`
      : `${from(f.left)} ${f.kind} ${from(f.right)}` + (f.on === undefined ? (f.kind.startsWith('CROSS') ? '' : ' ON TRUE') : ` ON ${expr(f.on)}`),
  Derived: (f) => `${f.lateral ? 'LATERAL ' : ''}(${query(f.query)}) AS ${ident(f.alias)}`,
})

const withText = (w: SqlWith | undefined): string =>
  w === undefined
    ? ''
    : (w.recursive ? 'WITH RECURSIVE ' : 'WITH ') +
      w.ctes.map((c) => ident(c.name) + (c.columns === undefined ? '' : `(${c.columns.map(ident).join(', ')})`) + ` AS (${query(c.query)})`).join(', ') +
      ' '

// ORDER BY, LIMIT and OFFSET of a select block or a compound.
const paging = (q: { readonly orderBy: readonly SqlOrder[]; readonly limit: SqlExpr | undefined; readonly offset: SqlExpr | undefined }): string => {
  let s = ''
  if (q.orderBy.length > 0) s += ' ORDER BY ' + q.orderBy.map(order).join(', ')
  if (q.limit !== undefined) s += ' LIMIT ' + expr(q.limit)
  if (q.offset !== undefined) s += ' OFFSET ' + expr(q.offset)
  return s
}

const query: (q: SqlQuery) => string = fold<SqlQuery, string>({
  Select: (q) => {
    let s = withText(q.with) + 'SELECT '
    if (q.distinctOn !== undefined) s += `DISTINCT ON (${q.distinctOn.map(expr).join(', ')}) `
    else if (q.distinct) s += 'DISTINCT '
    s += q.columns.map((c) => expr(c.expr) + (c.alias === undefined ? '' : ` AS ${ident(c.alias)}`)).join(', ')
    if (q.from !== undefined) s += ' FROM ' + from(q.from)
    if (q.where !== undefined) s += ' WHERE ' + expr(q.where)
    if (q.groupBy.length > 0) s += ' GROUP BY ' + q.groupBy.map(expr).join(', ')
    if (q.having !== undefined) s += ' HAVING ' + expr(q.having)
    s += paging(q)
    if (q.lock !== undefined) s += ' ' + expr(q.lock)
    return s
  },
  Compound: (q) => withText(q.with) + `${query(q.left)} ${q.op} ${query(q.right)}` + paging(q),
  RawQuery: (q) => withText(q.with) + expr(q.body),
})

const returning = (r: readonly { readonly expr: SqlExpr; readonly alias: string }[] | undefined): string =>
  r === undefined ? '' : ' RETURNING ' + r.map((c) => expr(c.expr) + (c.expr._tag === 'Ident' && c.expr.parts[c.expr.parts.length - 1] === c.alias ? '' : ` AS ${ident(c.alias)}`)).join(', ')

const statement = fold<SqlStatement, string>({
  Select: query,
  Compound: query,
  RawQuery: query,
  Insert: (s) => {
    if (s.defaults !== undefined) return withText(s.with) + `INSERT INTO ${ident(s.table)} ${s.defaults}` + returning(s.returning)
    let out = withText(s.with) + `INSERT INTO ${ident(s.table)} (${s.columns.map(ident).join(', ')}) `
    out += 'query' in s.source ? query(s.source.query) : 'VALUES ' + s.source.rows.map((r) => `(${r.map(expr).join(', ')})`).join(', ')
    if (s.rowAlias !== undefined) out += ` AS ${ident(s.rowAlias)}`
    if (s.conflict !== undefined) out += ' ' + expr(s.conflict)
    return out + returning(s.returning)
  },
  Update: (s) => {
    let out = withText(s.with) + `UPDATE ${from(s.target)} SET ` + s.set.map(([c, v]) => `${expr(c)} = ${expr(v)}`).join(', ')
    if (s.from !== undefined) out += ' FROM ' + from(s.from)
    if (s.where !== undefined) out += ' WHERE ' + expr(s.where)
    return out + returning(s.returning)
  },
  Delete: (s) => {
    let out = withText(s.with) + 'DELETE ' + (s.target === undefined ? '' : ident(s.target) + ' ') + `FROM ${from(s.table)}`
    if (s.using !== undefined) out += (s.target === undefined ? ' USING ' : ', ') + from(s.using)
    if (s.where !== undefined) out += ' WHERE ' + expr(s.where)
    return out + returning(s.returning)
  },
  Ddl: (s) => expr(s.body),
})


/** Print a lowered statement. Identifier problems are recorded in `ctx.errors`. */
export const print = (ctx: Ctx, stmt: SqlStatement): Printed => {
  const prev = P
  P = { ctx, d: ctx.d, plan: [], seen: new Map() }
  try {
    return { sql: statement(stmt), plan: P.plan }
  } finally {
    P = prev
  }
}
