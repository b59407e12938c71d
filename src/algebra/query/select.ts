/**
 * The select block and its data-last combinators. Each combinator returns a
 * new node (readonly, not frozen: see `mk`); callbacks receive the scope (column expressions by source
 * alias) so that outer joins can make the joined side's types nullable.
 *
 * @example
 * pipe(
 *   from(users),
 *   leftJoin(posts, (s) => eq(s.posts.author_id, s.users.id)),
 *   where((s) => eq(s.users.name, 'ada')),
 *   select((s) => ({ name: s.users.name, title: s.posts.title })), // title: string | null
 * )
 */
import { mk, type Expr, type ExprNode, type TypeOfExpr } from '../expr/expr-node.js'
import { dataTypes, lift, type Predicate } from '../expr/operators.js'
import { toOrderKey, type OrderInput } from '../expr/order.js'
import { colsFor, fromItemOf, type AliasOf, type ColsOf, type Relation } from './relation.js'
import {
  mkQuery,
  outputColumns,
  queryBrand,
  type Cols,
  type FromItem,
  type JoinKind,
  type Lock,
  type Query,
  type Scope,
  type ScopeOf,
  type Scoped,
  type SelectNode,
  type SetOpNode,
} from './query-node.js'

/** A select block with scope `S` (sources in FROM) and row type `R`. */
export type Select<S extends Scope, R> = SelectNode & Query<R> & Scoped<S>

/** Column expressions made nullable (the far side of an outer join). */
export type NullableCols<C> = { readonly [K in keyof C]: Expr<TypeOfExpr<C[K]> | null> }
/** Every source of a scope made nullable. */
export type NullableScope<S> = { readonly [A in keyof S]: NullableCols<S[A]> }
/** A row with every column nullable. */
export type NullableRow<R> = { readonly [K in keyof R]: R[K] | null }
/** The row type given by a record of field expressions. */
export type RowOfFields<F> = { readonly [K in keyof F]: TypeOfExpr<F[K]> }
type Flat<T> = { readonly [K in keyof T]: T[K] } & {}

/** Fields of a select: output name → expression. */
export type Fields = { readonly [name: string]: Expr<unknown> }

const fieldsOf = (f: Fields): SelectNode['fields'] => {
  // A for-in loop: Object.entries costs several times more on this hot path.
  const out: { readonly name: string; readonly expr: Expr<unknown> }[] = []
  for (const name in f) out.push({ name, expr: f[name] as Expr<unknown> })
  return out
}

const empty: Omit<SelectNode, '_tag' | 'from' | 'fields' | 'scope'> = Object.freeze({
  where: undefined,
  distinct: false,
  distinctOn: undefined,
  groupBy: Object.freeze([]),
  having: undefined,
  orderBy: Object.freeze([]),
  limit: undefined,
  offset: undefined,
  lock: undefined,
})

// Every select node is built here with one fixed shape (fast to create, copy and walk).
// Not frozen (see `mk` for why); `from` freezes the one it shares between queries.
const make = (q: Omit<SelectNode, '_tag'>): SelectNode => {
  const node = {
    _tag: 'Select',
    from: q.from,
    where: q.where,
    fields: q.fields,
    distinct: q.distinct,
    distinctOn: q.distinctOn,
    groupBy: q.groupBy,
    having: q.having,
    orderBy: q.orderBy,
    limit: q.limit,
    offset: q.offset,
    lock: q.lock,
    scope: q.scope,
    [queryBrand]: true,
  } as const
  return node
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

// Every combinator copies its input through `next` (one allocation, the same fixed shape),
// changes one or two fields of the still-private copy, and returns it: nobody else has seen
// the copy yet, so this is building a new value, not mutating a shared one.
// (Written out in each combinator rather than through a callback: the closure per call showed in profiles.)
const next = (q: SelectNode): Mutable<SelectNode> => make(q)

/**
 * Start a select from one relation; until `select` is called the row is
 * that relation's columns.
 */
export const from = <T extends Relation>(r: T): Select<{ readonly [K in AliasOf<T>]: ColsOf<T> }, Flat<RowOfFields<ColsOf<T>>>> => {
  // The result depends on the relation alone and is immutable, so one value per relation is shared.
  let q = fromCache.get(r)
  if (q === undefined) {
    const c = r.c as Cols
    const fields = fieldsOf(c)
    for (const f of fields) Object.freeze(f)
    q = Object.freeze(make({ ...empty, from: fromItemOf(r), fields: Object.freeze(fields), scope: Object.freeze({ [r.alias]: c }) }))
    fromCache.set(r, q)
  }
  return q as never
}
const fromCache = new WeakMap<object, SelectNode>()

/** A select without FROM, e.g. `SELECT 1 AS one`. */
export const selectValues = <F extends Fields>(fields: F): Select<{}, Flat<RowOfFields<F>>> =>
  make({ ...empty, from: undefined, fields: fieldsOf(fields), scope: {} }) as never

/**
 * The scope after joining `r`: it depends only on the scope before and the
 * relation, so one frozen value per pair is shared by every query that
 * joins them (building it afresh, with a key known only at run time, was
 * the costliest step of building a query).
 */
const extendScope = (s: Scope, r: Relation): Scope => {
  let byRelation = scopes.get(s)
  if (byRelation === undefined) {
    byRelation = new WeakMap()
    scopes.set(s, byRelation)
  }
  let next = byRelation.get(r)
  if (next === undefined) {
    if (r.alias in s) throw new TypeError(`alias "${r.alias}" is already in scope: use alias() for self-joins`)
    next = Object.freeze({ ...s, [r.alias]: r.c as Cols })
    byRelation.set(r, next)
  }
  return next
}
const scopes = new WeakMap<Scope, WeakMap<Relation, Scope>>()

// One plain function (not curried): each join builds no closures beyond the one it returns.
const joinWith = (kind: JoinKind, r: Relation, on: ((s: Scope) => ExprNode) | undefined, q: SelectNode): SelectNode => {
  if (q.from === undefined) throw new TypeError('join needs a select with a from')
  const scope = extendScope(q.scope, r)
  const item: FromItem = { _tag: 'Join', kind, left: q.from, right: fromItemOf(r), on: on?.(scope) }
  const c = next(q)
  c.from = item
  c.scope = scope
  return c
}

type WithSource<S, T> = Flat<S & { readonly [K in AliasOf<T>]: ColsOf<T> }>

/** INNER JOIN `r` ON `on(scope)`. */
export const join =
  <S extends Scope, T extends Relation>(r: T, on: (s: WithSource<S, T>) => Predicate) =>
  <R>(q: Select<S, R>): Select<WithSource<S, T>, R> =>
    joinWith('inner', r, on as never, q) as never

/** LEFT JOIN: the joined relation's columns become nullable. */
export const leftJoin =
  <S extends Scope, T extends Relation>(r: T, on: (s: Flat<S & { readonly [K in AliasOf<T>]: NullableCols<ColsOf<T>> }>) => Predicate) =>
  <R>(q: Select<S, R>): Select<Flat<S & { readonly [K in AliasOf<T>]: NullableCols<ColsOf<T>> }>, R> =>
    joinWith('left', r, on as never, q) as never

/** RIGHT JOIN: everything joined before becomes nullable. */
export const rightJoin =
  <S extends Scope, T extends Relation>(r: T, on: (s: Flat<NullableScope<S> & { readonly [K in AliasOf<T>]: ColsOf<T> }>) => Predicate) =>
  <R>(q: Select<S, R>): Select<Flat<NullableScope<S> & { readonly [K in AliasOf<T>]: ColsOf<T> }>, NullableRow<R>> =>
    joinWith('right', r, on as never, q) as never

/** FULL JOIN: both sides become nullable. */
export const fullJoin =
  <S extends Scope, T extends Relation>(
    r: T,
    on: (s: Flat<NullableScope<S> & { readonly [K in AliasOf<T>]: NullableCols<ColsOf<T>> }>) => Predicate,
  ) =>
  <R>(
    q: Select<S, R>,
  ): Select<Flat<NullableScope<S> & { readonly [K in AliasOf<T>]: NullableCols<ColsOf<T>> }>, NullableRow<R>> =>
    joinWith('full', r, on as never, q) as never

/** CROSS JOIN (every pair of rows). */
export const crossJoin =
  <T extends Relation>(r: T) =>
  <S extends Scope, R>(q: Select<S, R>): Select<WithSource<S, T>, R> =>
    joinWith('cross', r, undefined, q) as never

const andWith = (a: ExprNode | undefined, b: ExprNode): ExprNode =>
  a === undefined ? b : mk({ _tag: 'Logical', op: 'and', args: [a, b] })

/**
 * Keep the rows where the predicate holds; several `where`s are ANDed.
 * (Updates and deletes have their own `where` in the statement module.)
 */
export const where =
  <S extends Scope>(p: (s: S) => Predicate) =>
  <R>(q: Select<S, R>): Select<S, R> => {
    const c = next(q)
    c.where = andWith(q.where, p(q.scope as S))
    return c as never
  }

/** Choose the output columns (replaces the current projection). */
export const select =
  <S extends Scope, F extends Fields>(f: (s: S) => F) =>
  <R>(q: Select<S, R>): Select<S, Flat<RowOfFields<F>>> => {
    const c = next(q)
    c.fields = fieldsOf(f(q.scope as S))
    return c as never
  }

/** GROUP BY. */
export const groupBy =
  <S extends Scope>(f: (s: S) => readonly Expr<unknown>[]) =>
  <R>(q: Select<S, R>): Select<S, R> => {
    const c = next(q)
    c.groupBy = [...q.groupBy, ...f(q.scope as S)]
    return c as never
  }

/** HAVING (ANDed with any earlier one). */
export const having =
  <S extends Scope>(p: (s: S) => Predicate) =>
  <R>(q: Select<S, R>): Select<S, R> => {
    const c = next(q)
    c.having = andWith(q.having, p(q.scope as S))
    return c as never
  }

/** What ORDER BY, LIMIT and OFFSET apply to: a select block, or a set operation (`SetQuery`). */
export type Sortable = (SelectNode | SetOpNode) & Scoped<unknown>

// A set operation's sort keys name its result columns, unqualified (`ORDER BY "total"`).
const resultCols = (q: SetOpNode): Cols => colsFor('', outputColumns(q))

/**
 * ORDER BY; later calls add keys after earlier ones. On a select the
 * callback receives the sources in scope; on a set operation (`union`...),
 * its result columns.
 *
 * @example
 * pipe(from(users), orderBy((s) => [desc(s.users.id)]))
 * pipe(from(users), select((s) => ({ name: s.users.name })), union(names), orderBy((r) => [r.name]))
 */
export const orderBy =
  // The default serves a direct call (`orderBy(f)(q)`), where nothing infers Q before the callback is typed.
  <Q extends Sortable = Select<Scope, unknown>>(f: (s: ScopeOf<Q>) => readonly OrderInput[]) =>
  (q: Q): Q => {
    if (q._tag === 'SetOp') return mkQuery({ ...(q as SetOpNode), orderBy: [...q.orderBy, ...f(resultCols(q) as ScopeOf<Q>).map(toOrderKey)] }) as never
    const c = next(q as SelectNode)
    c.orderBy = [...q.orderBy, ...f(c.scope as ScopeOf<Q>).map(toOrderKey)]
    return c as never
  }

/** LIMIT or OFFSET (a bound bigint) on a select or a set operation. */
const paging =
  (field: 'limit' | 'offset', n: number | Expr<number>) =>
  <Q extends SelectNode | SetOpNode>(q: Q): Q => {
    const e = lift(n, dataTypes.bigint)
    if (q._tag === 'SetOp') return mkQuery({ ...(q as SetOpNode), [field]: e }) as never
    const c = next(q as SelectNode)
    c[field] = e
    return c as never
  }

/**
 * LIMIT n (bound as a parameter), on a select or a set operation.
 *
 * @example
 * pipe(from(users), limit(10))
 */
export const limit = (n: number | Expr<number>): (<Q extends SelectNode | SetOpNode>(q: Q) => Q) => paging('limit', n)

/**
 * OFFSET n (bound as a parameter), on a select or a set operation.
 *
 * @example
 * pipe(from(users), orderBy((s) => [s.users.id]), limit(10), offset(20))
 */
export const offset = (n: number | Expr<number>): (<Q extends SelectNode | SetOpNode>(q: Q) => Q) => paging('offset', n)

/** SELECT DISTINCT. */
export const distinct = <S extends Scope, R>(q: Select<S, R>): Select<S, R> => {
  const c = next(q)
  c.distinct = true
  return c as never
}

/** SELECT DISTINCT ON (...) — PostgreSQL only; other dialects give Unsupported. */
export const distinctOn =
  <S extends Scope>(f: (s: S) => readonly Expr<unknown>[]) =>
  <R>(q: Select<S, R>): Select<S, R> => {
    const c = next(q)
    c.distinctOn = [...f(q.scope as S)]
    return c as never
  }

/** Options of a row lock. */
export interface LockOptions {
  /** Lock only rows of these sources (aliases). */
  readonly of?: readonly string[]
  readonly nowait?: boolean
  readonly skipLocked?: boolean
}

const lockWith = (strength: Lock['strength'], o: LockOptions | undefined): Lock => ({
  strength,
  of: [...(o?.of ?? [])],
  wait: o?.nowait === true ? 'nowait' : o?.skipLocked === true ? 'skip locked' : 'wait',
})

/** FOR UPDATE [OF ...] [NOWAIT | SKIP LOCKED]. */
export const forUpdate =
  (o?: LockOptions) =>
  <S extends Scope, R>(q: Select<S, R>): Select<S, R> => {
    const c = next(q)
    c.lock = lockWith('update', o)
    return c as never
  }

/** FOR SHARE (LOCK IN SHARE MODE on MariaDB) [NOWAIT | SKIP LOCKED]. */
export const forShare =
  (o?: LockOptions) =>
  <S extends Scope, R>(q: Select<S, R>): Select<S, R> => {
    const c = next(q)
    c.lock = lockWith('share', o)
    return c as never
  }
