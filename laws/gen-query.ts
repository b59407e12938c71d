/**
 * Well-typed random queries over a generated schema, built with quarry's
 * own combinators: joins of every kind, filters with three-valued logic,
 * projections, aggregates with GROUP BY / HAVING, DISTINCT, set operations
 * with and without ALL, correlated and uncorrelated subqueries (scalar,
 * EXISTS, IN), ORDER BY with NULL placement, LIMIT / OFFSET. Every
 * expression is generated at a kind (int, text, bool), so the query is one
 * every engine accepts; each output column records its kind for comparison.
 */
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../src/algebra/index.js'
import type { Kind, TableSpec } from './gen-data.js'

type Gen = fc.GeneratorValue
type E = Q.Expr<unknown>
type P = Q.Predicate

/** A source in scope: its alias and the table it reads. */
interface Source {
  readonly alias: string
  readonly spec: TableSpec
}

/** Where expressions are generated: the sources in scope (innermost first) and, in a grouped select, the group columns. */
export interface Scope {
  readonly sources: readonly Source[]
  readonly grouped: readonly { readonly e: E; readonly kind: 'int' | 'text' }[] | undefined
  readonly depth: number
  readonly tables: readonly TableSpec[]
  readonly fresh: () => string
}

/** A generated query and the kinds of its output columns. */
export interface GenQuery {
  readonly query: Q.QueryNode
  readonly kinds: readonly Kind[]
  /** Whether the result is a list (top-level ORDER BY over every output column) rather than a bag. */
  readonly ordered: boolean
}

const pick = <A>(g: Gen, xs: readonly A[]): A => xs[g(fc.integer, { min: 0, max: xs.length - 1 })] as A
// Uniform: fast-check's numeric arbitraries lean towards their bounds, so the bias is taken off explicitly.
const chance = (g: Gen, p: number): boolean => g(fc.integer, { min: 0, max: 999 }) < p * 1000

const colsOf = (s: Scope, kind: 'int' | 'text'): E[] =>
  s.grouped !== undefined
    ? s.grouped.filter((c) => c.kind === kind).map((c) => c.e)
    : s.sources.flatMap((src) => src.spec.cols.filter((c) => c.kind === kind).map((c) => colOf(src, c.name)))

// One aliased table value per (table, alias), so a column expression is the same value wherever it is used.
const aliased = new WeakMap<Q.AnyTable, Map<string, Q.AnyTable>>()
const relOf = (src: Source): Q.AnyTable => {
  const byAlias = aliased.get(src.spec.table) ?? new Map<string, Q.AnyTable>()
  aliased.set(src.spec.table, byAlias)
  const t = byAlias.get(src.alias) ?? (Q.alias(src.alias)(src.spec.table) as Q.AnyTable)
  byAlias.set(src.alias, t)
  return t
}
const colOf = (src: Source, name: string): E => relOf(src).c[name] as E

const rowScope = (s: Scope): Scope => ({ ...s, grouped: undefined })

const intConst = (g: Gen): E => Q.val(pick(g, [0, 1, 2, -1, 3, 2147483647, -2147483648]), { kind: 'integer' })
const textConst = (g: Gen): E => Q.val(pick(g, ['', 'a', 'A', 'a ', 'b', 'é', '😀', 'ß']), { kind: 'text' })

/** An integer expression. */
export const genInt = (g: Gen, s: Scope, d: number): E => {
  const cols = colsOf(s, 'int')
  const leaf = (): E => (cols.length > 0 && chance(g, 0.8) ? pick(g, cols) : intConst(g))
  if (d <= 0) return s.grouped !== undefined && chance(g, 0.5) ? genAgg(g, s, 'int') : leaf()
  switch (g(fc.integer, { min: 0, max: 9 })) {
    case 0:
      return Q.add(genInt(g, s, d - 1) as Q.Expr<number>, genInt(g, s, d - 1) as Q.Expr<number>)
    case 1:
      return Q.sub(genInt(g, s, d - 1) as Q.Expr<number>, genInt(g, s, d - 1) as Q.Expr<number>)
    case 2:
      return Q.mul(genInt(g, s, d - 1) as Q.Expr<number>, genInt(g, s, d - 1) as Q.Expr<number>)
    case 3:
      return Q.mod(genInt(g, s, d - 1) as Q.Expr<number>, genInt(g, s, d - 1) as Q.Expr<number>)
    case 4:
      return Q.caseWhen([[genPred(g, s, d - 1), genInt(g, s, d - 1)]], genInt(g, s, d - 1)) as E
    case 5:
      return Q.coalesce(genInt(g, s, d - 1), genInt(g, s, d - 1)) as E
    case 6:
      return Q.length(genText(g, s, d - 1) as Q.Expr<string>) as E
    case 7:
      return s.depth < 2 ? genScalarSub(g, s) : leaf()
    case 8:
      return s.grouped !== undefined ? genAgg(g, s, 'int') : Q.abs(genInt(g, s, d - 1) as Q.Expr<number>)
    default:
      return leaf()
  }
}

/** A text expression. */
export const genText = (g: Gen, s: Scope, d: number): E => {
  const cols = colsOf(s, 'text')
  const leaf = (): E => (cols.length > 0 && chance(g, 0.8) ? pick(g, cols) : textConst(g))
  if (d <= 0) return leaf()
  switch (g(fc.integer, { min: 0, max: 6 })) {
    case 0:
      return Q.lower(genText(g, s, d - 1) as Q.Expr<string>)
    case 1:
      return Q.upper(genText(g, s, d - 1) as Q.Expr<string>)
    case 2:
      return Q.concat(genText(g, s, d - 1) as Q.Expr<string>, genText(g, s, d - 1) as Q.Expr<string>) as E
    case 3:
      return Q.coalesce(genText(g, s, d - 1), genText(g, s, d - 1)) as E
    case 4:
      return s.grouped !== undefined ? genAgg(g, s, 'text') : leaf()
    default:
      return leaf()
  }
}

const genOfKind = (g: Gen, s: Scope, kind: 'int' | 'text', d: number): E => (kind === 'int' ? genInt(g, s, d) : genText(g, s, d))

/** A predicate (three-valued). */
export const genPred = (g: Gen, s: Scope, d: number): P => {
  const kind = pick(g, ['int', 'int', 'text'] as const)
  const x = (): E => genOfKind(g, s, kind, Math.max(d - 1, 0))
  switch (g(fc.integer, { min: 0, max: d <= 0 ? 3 : 11 })) {
    case 0:
    case 1:
      return pick(g, [Q.eq, Q.ne, Q.lt, Q.lte, Q.gt, Q.gte])(x(), x()) as P
    case 2:
      return (chance(g, 0.5) ? Q.isNull(x()) : Q.isNotNull(x())) as P
    case 3:
      return (chance(g, 0.5) ? Q.isIn : Q.notIn)(x(), Array.from({ length: g(fc.integer, { min: 0, max: 3 }) }, () => (chance(g, 0.2) ? Q.val(null, { kind: kind === 'int' ? 'integer' : 'text' }) : x()))) as P
    case 4:
      return Q.and(genPred(g, s, d - 1), genPred(g, s, d - 1)) as P
    case 5:
      return Q.or(genPred(g, s, d - 1), genPred(g, s, d - 1)) as P
    case 6:
      return Q.not(genPred(g, s, d - 1)) as P
    case 7:
      return (chance(g, 0.5) ? Q.between : Q.notBetween)(x(), x(), x()) as P
    case 8:
      return (chance(g, 0.5) ? Q.like : Q.notLike)(genText(g, s, 0) as Q.Expr<string>, pick(g, ['a%', '%a', '_', '%', 'A%', '%😀%', '_b', ''])) as P
    case 9:
      return (chance(g, 0.5) ? Q.isDistinctFrom : Q.isNotDistinctFrom)(x(), x()) as P
    case 10:
      return s.depth < 2 ? genExists(g, s) : (Q.isNull(x()) as P)
    default:
      return s.depth < 2 ? genInSub(g, s, kind) : (Q.isNotNull(x()) as P)
  }
}

const genAgg = (g: Gen, s: Scope, kind: 'int' | 'text'): E => {
  const row = rowScope(s)
  if (kind === 'text') return pick(g, [Q.min, Q.max])(genText(g, row, 1))
  switch (g(fc.integer, { min: 0, max: 4 })) {
    case 0:
      return Q.count()
    case 1:
      return Q.count(genOfKind(g, row, pick(g, ['int', 'text'] as const), 1))
    case 2:
      return Q.sum(genInt(g, row, 1) as Q.Expr<number>)
    case 3:
      return Q.countDistinct(genInt(g, row, 0))
    default:
      return pick(g, [Q.min, Q.max])(genInt(g, row, 1))
  }
}

/** A FROM source over a random table, with a fresh alias. */
const source = (g: Gen, s: Scope): Source => ({ alias: s.fresh(), spec: pick(g, s.tables) })

// A subquery of a grouped select is not correlated: its outer columns would have to be grouping columns.
const innerScope = (s: Scope, srcs: readonly Source[]): Scope => ({
  ...s,
  sources: s.grouped === undefined ? [...srcs, ...s.sources] : srcs,
  grouped: undefined,
  depth: s.depth + 1,
})

const fromOf = (src: Source): Q.Select<Q.Scope, unknown> => Q.from(relOf(src)) as never

const genScalarSub = (g: Gen, s: Scope): E => {
  const src = source(g, s)
  const inner = innerScope(s, [src])
  // The aggregate reads the subquery's own source: an aggregate of outer columns only belongs to the outer query (not evaluated in memory).
  const q = pipe(fromOf(src), Q.where(() => genPred(g, inner, 1)), Q.select(() => ({ v: genAgg(g, { ...inner, sources: [src], grouped: [] }, 'int') })))
  return Q.scalar(q as Q.Query<{ readonly v: unknown }>) as E
}

const genExists = (g: Gen, s: Scope): P => {
  const src = source(g, s)
  const inner = innerScope(s, [src])
  const q = pipe(fromOf(src), Q.where(() => genPred(g, inner, 1)), Q.select(() => ({ one: Q.val(1, { kind: 'integer' }) })))
  return (chance(g, 0.5) ? Q.exists(q) : Q.not(Q.exists(q))) as P
}

const genInSub = (g: Gen, s: Scope, kind: 'int' | 'text'): P => {
  const src = source(g, s)
  const inner = innerScope(s, [src])
  const q = pipe(fromOf(src), Q.where(() => genPred(g, inner, 1)), Q.select(() => ({ v: genOfKind(g, inner, kind, 1) })))
  const x = genOfKind(g, s, kind, 1)
  return (chance(g, 0.5) ? Q.isIn(x, q as never) : Q.notIn(x, q as never)) as P
}

const genField = (g: Gen, s: Scope, want: Kind | undefined): { readonly e: E; readonly kind: Kind } => {
  const kind = want ?? pick(g, ['int', 'int', 'text', 'bool', 'float'] as const)
  switch (kind) {
    case 'int':
    case 'text':
      return { e: genOfKind(g, s, kind, 2), kind }
    case 'bool':
      return { e: genPred(g, s, 1), kind }
    case 'float':
      // Division and averages: the engines type them differently, so they are compared as rounded numbers.
      return s.grouped !== undefined && chance(g, 0.5)
        ? { e: Q.avg(genInt(g, rowScope(s), 1) as Q.Expr<number>), kind }
        : { e: Q.div(genInt(g, s, 1) as Q.Expr<number>, genInt(g, s, 1) as Q.Expr<number>), kind }
  }
}

/** One select block; `want` fixes the output kinds (for set operations). */
const genSelect = (g: Gen, top: Scope, want: readonly Kind[] | undefined, orderable: boolean): GenQuery => {
  const a = source(g, top)
  let q = fromOf(a)
  const srcs: Source[] = [a]
  if (top.tables.length > 0 && chance(g, 0.5)) {
    const b = source(g, top)
    srcs.push(b)
    const kind = pick(g, ['inner', 'left', 'right', 'full', 'cross'] as const)
    const on = (): P => genPred(g, { ...top, sources: srcs, grouped: undefined }, 1)
    const rel = relOf(b)
    q = (kind === 'cross' ? Q.crossJoin(rel)(q) : kind === 'inner' ? Q.join(rel, on)(q) : kind === 'left' ? Q.leftJoin(rel, on)(q) : kind === 'right' ? Q.rightJoin(rel, on)(q) : Q.fullJoin(rel, on)(q)) as never
  }
  const s: Scope = { ...top, sources: srcs, grouped: undefined }
  if (chance(g, 0.6)) q = Q.where(() => genPred(g, s, 2))(q)
  const groupedMode = chance(g, 0.35)
  let gs = s
  if (groupedMode) {
    const candidates = srcs.flatMap((src) => src.spec.cols.map((c) => ({ e: colOf(src, c.name), kind: c.kind })))
    const keys = candidates.filter(() => chance(g, 0.3))
    gs = { ...s, grouped: keys }
    if (keys.length > 0) q = Q.groupBy(() => keys.map((k) => k.e))(q)
    if (chance(g, 0.4)) q = Q.having(() => genPred(g, gs, 1))(q)
  }
  const n = want?.length ?? g(fc.integer, { min: 1, max: 3 })
  const fields = Array.from({ length: n }, (_, i) => genField(g, gs, want?.[i]))
  q = Q.select(() => Object.fromEntries(fields.map((f, i) => [`f${i}`, f.e])))(q) as never
  if (chance(g, 0.2)) q = Q.distinct(q)
  let ordered = false
  if (orderable && chance(g, 0.4)) {
    ordered = true
    q = Q.orderBy(() =>
      fields.map((f) => {
        const dir = pick(g, [Q.asc, Q.desc])
        const nulls = pick(g, [undefined, 'nulls first', 'nulls last'] as const)
        return nulls === undefined ? dir(f.e) : dir(f.e, nulls)
      }),
    )(q)
    if (chance(g, 0.5)) q = Q.limit(g(fc.integer, { min: 0, max: 4 }))(q)
    if (chance(g, 0.3)) q = Q.offset(g(fc.integer, { min: 0, max: 3 }))(q)
  }
  return { query: q, kinds: fields.map((f) => f.kind), ordered }
}

/** A scope over one table under an alias, for laws that build their own queries around generated expressions. */
export const tableScope = (tables: readonly TableSpec[], spec: TableSpec, alias: string): { readonly scope: Scope; readonly rel: Q.AnyTable } => {
  let n = 0
  const src: Source = { alias, spec }
  return { scope: { sources: [src], grouped: undefined, depth: 1, tables, fresh: () => `${alias}_${n++}` }, rel: relOf(src) }
}

/** The outermost scope of a generated query over `tables`. */
const topScope = (tables: readonly TableSpec[]): Scope => {
  let n = 0
  return { sources: [], grouped: undefined, depth: 0, tables, fresh: () => `s${n++}` }
}

/** A random select block over the tables whose output columns have the given kinds (rows for an INSERT … SELECT). */
export const genRows = (g: Gen, tables: readonly TableSpec[], kinds: readonly Kind[]): GenQuery => genSelect(g, topScope(tables), kinds, true)

/** A random query over the tables: a select block or a set operation of two. */
export const genQuery = (g: Gen, tables: readonly TableSpec[]): GenQuery => {
  const top = topScope(tables)
  if (!chance(g, 0.25)) return genSelect(g, top, undefined, true)
  const kinds = Array.from({ length: g(fc.integer, { min: 1, max: 2 }) }, () => pick(g, ['int', 'text'] as const))
  const l = genSelect(g, top, kinds, false)
  const r = genSelect(g, top, kinds, false)
  const op = pick(g, [Q.union, Q.unionAll, Q.intersect, Q.intersectAll, Q.except, Q.exceptAll])
  return { query: op(r.query as Q.Query<unknown>)(l.query as Q.Query<unknown>) as Q.QueryNode, kinds, ordered: false }
}
