/**
 * The shape walk: one pass over a statement that yields its *shape* (a
 * string naming every node, identifier and type but no bound value) and its
 * bound values in a fixed order. Two statements with one shape compile to
 * the same SQL, so the shape keys the statement cache. On a cache miss the
 * walk also records where each value sits and which CTEs to hoist.
 */
import { showDataType, type CteDef, type DataType, type ExprNode, type FromItem, type OrderKey, type QueryNode, type StatementNode, type FrameBound } from '../algebra/index.js'
import { invalidQuery, type InvalidQuery } from './errors.js'

/** What a miss-mode walk records besides the shape. */
export interface WalkRecord {
  readonly index: Map<object, number>
  readonly ctes: CteDef[]
  readonly cteByName: Map<string, CteDef>
  error: InvalidQuery | undefined
}

// The walk is synchronous and calls no user code, so module state is safe and avoids allocation.
let key = ''
let values: unknown[] = []
let rec: WalkRecord | undefined

const ids = new WeakMap<object, number>()
let nextId = 0
const idOf = (o: object): number => {
  let id = ids.get(o)
  if (id === undefined) {
    id = ++nextId
    ids.set(o, id)
  }
  return id
}

const ty = (t: DataType | undefined): string => (t === undefined ? '' : showDataType(t))
const str = (s: string): void => {
  key += s.length + ':' + s
}
const value = (node: object, v: unknown, t: DataType | undefined): void => {
  if (rec !== undefined) rec.index.set(node, values.length)
  values.push(v)
  key += '?' + ty(t) + ';'
}

const exprs = (es: readonly ExprNode[]): void => {
  key += '[' + es.length
  for (const e of es) expr(e)
  key += ']'
}
const opt = (e: ExprNode | undefined): void => {
  if (e === undefined) key += '_'
  else expr(e)
}
const orderKeys = (ks: readonly OrderKey[]): void => {
  key += '[' + ks.length
  for (const k of ks) {
    expr(k.expr)
    key += k.direction + (k.nulls ?? '')
  }
  key += ']'
}
const bound = (b: FrameBound): void => {
  key += b.kind
  if (b.kind === 'preceding' || b.kind === 'following') expr(b.offset)
}

function expr(e: ExprNode): void {
  key += e._tag
  switch (e._tag) {
    case 'Column':
      str(e.source)
      str(e.name)
      return
    case 'Value':
      return value(e, e.value, e.type)
    case 'Param':
      str(e.name)
      key += ty(e.type)
      return
    case 'Excluded':
      return str(e.name)
    case 'Binary':
      key += e.op
      expr(e.left)
      return expr(e.right)
    case 'Logical':
      key += e.op
      return exprs(e.args)
    case 'Not':
    case 'Negate':
      return expr(e.arg)
    case 'IsNull':
      key += e.negated ? '!' : ''
      return expr(e.arg)
    case 'IsDistinct':
      key += e.negated ? '!' : ''
      expr(e.left)
      return expr(e.right)
    case 'InList':
      key += e.negated ? '!' : ''
      expr(e.arg)
      return exprs(e.list)
    case 'InQuery':
      key += e.negated ? '!' : ''
      expr(e.arg)
      return query(e.query)
    case 'Between':
      key += e.negated ? '!' : ''
      expr(e.arg)
      expr(e.low)
      return expr(e.high)
    case 'Like':
      key += (e.negated ? '!' : '') + (e.caseInsensitive ? 'i' : '')
      expr(e.arg)
      expr(e.pattern)
      return opt(e.escape)
    case 'Case':
      key += e.whens.length
      for (const w of e.whens) {
        expr(w.when)
        expr(w.then)
      }
      return opt(e.otherwise)
    case 'Cast':
      key += ty(e.to)
      return expr(e.arg)
    case 'Concat':
      return exprs(e.args)
    case 'Builtin':
      key += e.fn
      return exprs(e.args)
    case 'Func':
      str(e.name)
      return exprs(e.args)
    case 'Extract':
      key += e.part
      return expr(e.arg)
    case 'Agg':
      key += e.fn + (e.distinct ? 'd' : '')
      opt(e.arg)
      return opt(e.filter)
    case 'WinFn':
      key += e.fn
      return exprs(e.args)
    case 'Over': {
      expr(e.call)
      const w = e.window
      exprs(w.partitionBy)
      orderKeys(w.orderBy)
      if (w.frame === undefined) key += '_'
      else {
        key += w.frame.unit
        bound(w.frame.start)
        bound(w.frame.end)
      }
      return
    }
    case 'Subquery':
    case 'Exists':
      return query(e.query)
    case 'Text':
      key += '[' + e.parts.length
      for (const p of e.parts) {
        if (p.kind === 'sql') str(p.text)
        else if (p.kind === 'expr') expr(p.expr)
        else if (Object.prototype.hasOwnProperty.call(e.params, p.name)) value(p, e.params[p.name], undefined)
        else str(':' + p.name)
      }
      key += ']'
      return
  }
}

function from(f: FromItem): void {
  key += f._tag
  switch (f._tag) {
    case 'TableRef':
      key += idOf(f.table)
      str(f.table.name)
      return str(f.alias)
    case 'Join':
      key += f.kind
      from(f.left)
      from(f.right)
      return opt(f.on)
    case 'Derived':
      key += f.lateral ? 'L' : ''
      str(f.alias)
      return query(f.query)
    case 'CteRef': {
      str(f.name)
      str(f.alias)
      const def = f.def
      if (def === undefined) return
      key += idOf(def)
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
  }
}

function query(q: QueryNode): void {
  key += q._tag
  switch (q._tag) {
    case 'Select':
      key += q.distinct ? 'D' : ''
      if (q.distinctOn !== undefined) exprs(q.distinctOn)
      if (q.from === undefined) key += '_'
      else from(q.from)
      key += '[' + q.fields.length
      for (const f of q.fields) {
        str(f.name)
        expr(f.expr)
      }
      key += ']'
      opt(q.where)
      exprs(q.groupBy)
      opt(q.having)
      orderKeys(q.orderBy)
      opt(q.limit)
      opt(q.offset)
      if (q.lock !== undefined) key += q.lock.strength + q.lock.wait + q.lock.of.join(',')
      return
    case 'SetOp':
      key += q.op + (q.all ? 'A' : '') + '('
      query(q.left)
      key += ','
      query(q.right)
      key += ')'
      return
    case 'Values':
      for (const c of q.columns) {
        str(c.name)
        key += ty(c.type)
      }
      key += q.rows.length
      for (const r of q.rows) exprs(r)
      return
    case 'TextQuery':
      for (const c of q.columns) {
        str(c.name)
        key += ty(c.type)
      }
      return expr({ _tag: 'Text', parts: q.parts, params: q.params })
  }
}

const fields = (fs: readonly { readonly name: string; readonly expr: ExprNode }[] | undefined): void => {
  if (fs === undefined) key += '_'
  else
    for (const f of fs) {
      str(f.name)
      expr(f.expr)
    }
}

function statement(s: StatementNode): boolean {
  switch (s._tag) {
    case 'Insert':
      key += 'Insert' + idOf(s.table) + s.columns.join(',')
      if (s.source.kind === 'query') query(s.source.query)
      else
        for (const r of s.source.rows) {
          key += '('
          for (const c of r) opt(c)
          key += ')'
        }
      if (s.onConflict !== undefined) {
        key += 'C' + s.onConflict.target.join(',') + s.onConflict.action.kind
        if (s.onConflict.action.kind === 'update') {
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
      key += 'Update' + idOf(s.table)
      for (const a of s.set) {
        str(a.column)
        expr(a.expr)
      }
      if (s.from === undefined) key += '_'
      else from(s.from)
      opt(s.where)
      fields(s.returning)
      return true
    case 'Delete':
      key += 'Delete' + idOf(s.table)
      opt(s.where)
      fields(s.returning)
      return true
    case 'CreateTable':
    case 'DropTable':
    case 'CreateIndex':
    case 'DropIndex':
      return false
    default:
      query(s)
      return true
  }
}

/**
 * Walk a statement: its shape key (undefined for DDL, which is not cached)
 * and its bound values in walk order. With `record`, also note each value's
 * position and the CTEs to hoist.
 */
export const walk = (s: StatementNode, record?: WalkRecord): { readonly key: string | undefined; readonly values: unknown[] } => {
  key = ''
  values = []
  rec = record
  try {
    const cacheable = statement(s)
    return { key: cacheable ? key : undefined, values }
  } finally {
    rec = undefined
  }
}

/** A fresh record for a miss-mode walk. */
export const newRecord = (): WalkRecord => ({ index: new Map(), ctes: [], cteByName: new Map(), error: undefined })
