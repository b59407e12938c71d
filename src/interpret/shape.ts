/**
 * The shape walk: one pass over a statement that yields its *shape* and its
 * bound values in a fixed order. The shape is a sequence of small integers
 * naming every node kind, identifier, operator and type but no bound value;
 * two statements with one shape compile to the same SQL, so it keys the
 * statement cache (a hash picks the bucket, the whole sequence is compared,
 * so a hash collision can never return another statement's SQL). On a
 * cache miss the walk also records where each value sits and which CTEs to
 * hoist.
 */
import { type CteDef, type DataType, type ExprNode, type FromItem, type OrderKey, type QueryNode, type StatementNode, type FrameBound } from '../algebra/index.js'
import { invalidQuery, type InvalidQuery } from './errors.js'
import { isFrameOffset } from './lower-expr.js'
import { outputPosition } from './same-expr.js'
import { column, flag, frozenRefId, idOf, push, reset, str, ty } from './shape-buffer.js'

export { shapeCopy, shapeHash, shapeMatches } from './shape-buffer.js'

/** What a miss-mode walk records besides the shape. */
export interface WalkRecord {
  readonly index: Map<object, number>
  readonly ctes: CteDef[]
  readonly cteByName: Map<string, CteDef>
  error: InvalidQuery | undefined
}

// The walk is synchronous and calls no user code, so module state is safe and avoids allocation.
let values: unknown[] = []
let positions = false
let rec: WalkRecord | undefined

const value = (node: object, v: unknown, t: DataType | undefined): void => {
  if (rec !== undefined) rec.index.set(node, values.length)
  values.push(v)
  ty(t)
}

/** A node kind the walk does not know: a compile error (the switches below are exhaustive). */
const absurd = (x: never): never => {
  throw new Error(`shape walk: unknown node ${JSON.stringify(x)}`)
}

// One number per node kind (distinct, and total over the tags); each case below pushes its own.
const TAG: { readonly [K in ExprNode['_tag'] | FromItem['_tag'] | QueryNode['_tag']]: number } = {
  Column: 1, Value: 2, Param: 3, Excluded: 4, Binary: 5, Logical: 6, Not: 7, Negate: 8, IsNull: 9,
  IsDistinct: 10, InList: 11, InQuery: 12, Between: 13, Like: 14, Case: 15, Cast: 16, Concat: 17, Builtin: 18,
  Func: 19, Extract: 20, Agg: 21, WinFn: 22, Over: 23, Subquery: 24, Exists: 25, Text: 26,
  TableRef: 27, Join: 28, Derived: 29, CteRef: 30, Select: 31, SetOp: 32, Values: 33, TextQuery: 34,
  TupleInList: 35, TupleInQuery: 36,
}

// Operators and join kinds by a fixed table (cheaper than interning the string on every walk).
// A string outside the table (only a hand-made node can hold one) is spelled out behind 0.
const known = (id: number | undefined, s: string): void => {
  if (id !== undefined) return push(id)
  push(0)
  str(s)
}
const BINARY_OP: { readonly [K in Extract<ExprNode, { _tag: 'Binary' }>['op']]: number } = {
  '=': 1, '<>': 2, '<': 3, '<=': 4, '>': 5, '>=': 6, '+': 7, '-': 8, '*': 9, '/': 10, '%': 11,
}
const JOIN_KIND: { readonly [K in Extract<FromItem, { _tag: 'Join' }>['kind']]: number } = { inner: 1, left: 2, right: 3, full: 4, cross: 5 }

const exprs = (es: readonly ExprNode[]): void => {
  push(es.length)
  for (const e of es) expr(e)
}
const opt = (e: ExprNode | undefined): void => {
  if (e === undefined) push(0)
  else expr(e)
}
const orderKeys = (ks: readonly OrderKey[]): void => {
  push(ks.length)
  for (const k of ks) {
    expr(k.expr)
    flag(k.direction === 'desc')
    push(k.nulls === undefined ? 0 : k.nulls === 'first' ? 1 : 2)
  }
}
const bound = (b: FrameBound): void => {
  str(b.kind)
  // Offsets are structure (printed as numbers), so their value is part of the shape.
  if (b.kind === 'preceding' || b.kind === 'following') push(isFrameOffset(b.offset) ? b.offset.value : -1)
}

function expr(e: ExprNode): void {
  switch (e._tag) {
    case 'Column':
      push(TAG.Column)
      return column(e)
    case 'Value':
      push(TAG.Value)
      return value(e, e.value, e.type)
    case 'Param':
      push(TAG.Param)
      str(e.name)
      return ty(e.type)
    case 'Excluded':
      push(TAG.Excluded)
      return str(e.name)
    case 'Binary':
      push(TAG.Binary)
      known(BINARY_OP[e.op], e.op)
      expr(e.left)
      return expr(e.right)
    case 'Logical':
      push(TAG.Logical)
      flag(e.op === 'or')
      return exprs(e.args)
    case 'Not':
      push(TAG.Not)
      return expr(e.arg)
    case 'Negate':
      push(TAG.Negate)
      return expr(e.arg)
    case 'IsNull':
      push(TAG.IsNull)
      flag(e.negated)
      return expr(e.arg)
    case 'IsDistinct':
      push(TAG.IsDistinct)
      flag(e.negated)
      expr(e.left)
      return expr(e.right)
    case 'InList':
      push(TAG.InList)
      flag(e.negated)
      expr(e.arg)
      return exprs(e.list)
    case 'InQuery':
      push(TAG.InQuery)
      flag(e.negated)
      expr(e.arg)
      return query(e.query)
    case 'TupleInList':
      push(TAG.TupleInList)
      flag(e.negated)
      exprs(e.args)
      push(e.rows.length)
      for (const r of e.rows) exprs(r)
      return
    case 'TupleInQuery':
      push(TAG.TupleInQuery)
      flag(e.negated)
      exprs(e.args)
      return query(e.query)
    case 'Between':
      push(TAG.Between)
      flag(e.negated)
      expr(e.arg)
      expr(e.low)
      return expr(e.high)
    case 'Like':
      push(TAG.Like)
      flag(e.negated)
      flag(e.caseInsensitive)
      expr(e.arg)
      expr(e.pattern)
      return opt(e.escape)
    case 'Case':
      push(TAG.Case)
      push(e.whens.length)
      for (const w of e.whens) {
        expr(w.when)
        expr(w.then)
      }
      return opt(e.otherwise)
    case 'Cast':
      push(TAG.Cast)
      ty(e.to)
      return expr(e.arg)
    case 'Concat':
      push(TAG.Concat)
      return exprs(e.args)
    case 'Builtin':
      push(TAG.Builtin)
      str(e.fn)
      return exprs(e.args)
    case 'Func':
      push(TAG.Func)
      str(e.name)
      return exprs(e.args)
    case 'Extract':
      push(TAG.Extract)
      str(e.part)
      return expr(e.arg)
    case 'Agg':
      push(TAG.Agg)
      str(e.fn)
      flag(e.distinct)
      opt(e.arg)
      return opt(e.filter)
    case 'WinFn':
      push(TAG.WinFn)
      str(e.fn)
      if (e.fn !== 'lag' && e.fn !== 'lead') return exprs(e.args)
      // LAG/LEAD offsets are structure, printed as numbers: their value is part of the shape.
      push(e.args.length)
      e.args.forEach((a, i) => (i === 1 ? push(isFrameOffset(a) ? a.value : -1) : expr(a)))
      return
    case 'Over': {
      push(TAG.Over)
      expr(e.call)
      const w = e.window
      exprs(w.partitionBy)
      orderKeys(w.orderBy)
      if (w.frame === undefined) push(0)
      else {
        str(w.frame.unit)
        bound(w.frame.start)
        bound(w.frame.end)
      }
      return
    }
    case 'Subquery':
      push(TAG.Subquery)
      return query(e.query)
    case 'Exists':
      push(TAG.Exists)
      return query(e.query)
    case 'Text':
      push(TAG.Text)
      push(e.parts.length)
      for (const p of e.parts) {
        if (p.kind === 'sql') {
          push(1)
          str(p.text)
        } else if (p.kind === 'expr') {
          push(2)
          expr(p.expr)
        } else if (Object.prototype.hasOwnProperty.call(e.params, p.name)) {
          push(3)
          value(p, e.params[p.name], undefined)
        } else {
          push(4)
          str(p.name)
        }
      }
      return
    default:
      return absurd(e)
  }
}

function from(f: FromItem): void {
  switch (f._tag) {
    case 'TableRef': {
      push(TAG.TableRef)
      // A frozen ref (the one `from`/`join` share per table) fixes its table and alias: its id says both.
      const shared = frozenRefId(f)
      if (shared !== 0) return push(shared)
      push(0)
      push(idOf(f.table))
      str(f.table.name)
      return str(f.alias)
    }
    case 'Join':
      push(TAG.Join)
      known(JOIN_KIND[f.kind], f.kind)
      from(f.left)
      from(f.right)
      return opt(f.on)
    case 'Derived':
      push(TAG.Derived)
      flag(f.lateral)
      str(f.alias)
      return query(f.query)
    case 'CteRef': {
      push(TAG.CteRef)
      str(f.name)
      str(f.alias)
      const def = f.def
      if (def === undefined) return push(0)
      push(idOf(def))
      // Walked at every reference in both modes, so values line up between hit and miss walks.
      query(def.query)
      if (rec !== undefined) {
        const known = rec.cteByName.get(def.name)
        if (known === undefined) {
          rec.cteByName.set(def.name, def)
          rec.ctes.push(def)
        } else if (known !== def) rec.error = invalidQuery(`two different CTEs are named "${def.name}"`)
      }
      return
    }
    default:
      return absurd(f)
  }
}

function query(q: QueryNode): void {
  switch (q._tag) {
    case 'Select':
      push(TAG.Select)
      flag(q.distinct)
      if (q.distinctOn === undefined) push(-1)
      else exprs(q.distinctOn)
      if (q.from === undefined) push(0)
      else from(q.from)
      push(q.fields.length)
      for (const f of q.fields) {
        str(f.name)
        expr(f.expr)
      }
      opt(q.where)
      exprs(q.groupBy)
      opt(q.having)
      orderKeys(q.orderBy)
      // Which GROUP BY / ORDER BY expressions print as output positions depends on values (see same-expr.ts).
      if (positions) {
        for (const g of q.groupBy) push(outputPosition(q, g))
        for (const k of q.orderBy) push(outputPosition(q, k.expr))
      }
      opt(q.limit)
      opt(q.offset)
      if (q.lock === undefined) push(0)
      else {
        push(1)
        str(q.lock.strength)
        str(q.lock.wait)
        push(q.lock.of.length)
        for (const a of q.lock.of) str(a)
      }
      return
    case 'SetOp':
      push(TAG.SetOp)
      str(q.op)
      flag(q.all)
      query(q.left)
      query(q.right)
      orderKeys(q.orderBy)
      opt(q.limit)
      return opt(q.offset)
    case 'Values':
      push(TAG.Values)
      push(q.columns.length)
      for (const c of q.columns) {
        str(c.name)
        ty(c.type)
      }
      push(q.rows.length)
      for (const r of q.rows) exprs(r)
      return
    case 'TextQuery':
      push(TAG.TextQuery)
      push(q.columns.length)
      for (const c of q.columns) {
        str(c.name)
        ty(c.type)
      }
      return expr({ _tag: 'Text', parts: q.parts, params: q.params })
    default:
      return absurd(q)
  }
}

const fields = (fs: readonly { readonly name: string; readonly expr: ExprNode }[] | undefined): void => {
  if (fs === undefined) return push(-1)
  push(fs.length)
  for (const f of fs) {
    str(f.name)
    expr(f.expr)
  }
}

function statement(s: StatementNode): boolean {
  switch (s._tag) {
    case 'Insert':
      push(-100)
      push(idOf(s.table))
      push(s.columns.length)
      for (const c of s.columns) str(c)
      if (s.source.kind === 'query') {
        push(1)
        query(s.source.query)
      } else {
        push(2)
        push(s.source.rows.length)
        for (const r of s.source.rows) for (const c of r) opt(c)
      }
      if (s.onConflict === undefined) push(0)
      else {
        push(1)
        push(s.onConflict.target.length)
        for (const c of s.onConflict.target) str(c)
        str(s.onConflict.action.kind)
        if (s.onConflict.action.kind === 'update') {
          push(s.onConflict.action.set.length)
          for (const a of s.onConflict.action.set) {
            str(a.column)
            expr(a.expr)
          }
          opt(s.onConflict.action.where)
        }
      }
      fields(s.returning)
      return true
    case 'Update':
      push(-101)
      push(idOf(s.table))
      push(s.set.length)
      for (const a of s.set) {
        str(a.column)
        expr(a.expr)
      }
      if (s.from === undefined) push(0)
      else from(s.from)
      opt(s.where)
      fields(s.returning)
      return true
    case 'Delete':
      push(-102)
      push(idOf(s.table))
      if (s.using === undefined) push(0)
      else from(s.using)
      opt(s.where)
      fields(s.returning)
      return true
    case 'CreateTable':
    case 'DropTable':
    case 'CreateIndex':
    case 'DropIndex':
    case 'AlterTable':
      return false
    default:
      query(s)
      return true
  }
}

/**
 * Walk a statement: whether it is cacheable (DDL is not) and its bound
 * values in walk order; the shape is left in the walk buffer for
 * `shapeHash` / `shapeMatches` / `shapeCopy`. With `record`, also note each
 * value's position and the CTEs to hoist.
 */
export const walk = (
  s: StatementNode,
  record?: WalkRecord,
  groupByPosition = false,
): { readonly cacheable: boolean; readonly values: unknown[] } => {
  reset()
  positions = groupByPosition
  values = []
  rec = record
  try {
    const cacheable = statement(s)
    return { cacheable, values }
  } finally {
    rec = undefined
  }
}

/** A fresh record for a miss-mode walk. */
export const newRecord = (): WalkRecord => ({ index: new Map(), ctes: [], cteByName: new Map(), error: undefined })
