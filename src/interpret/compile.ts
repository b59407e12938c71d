/**
 * Compiling a statement for a dialect: `compile(dialect)(statement, args?)`
 * gives `Either<CompileError, Compiled>`. It walks the statement once for its
 * shape and values; a statement of a known shape reuses the SQL and the
 * parameter plan from the cache, so only the values are encoded again.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { StatementNode } from '../algebra/index.js'
import type { Ctx } from './context.js'
import type { Dialect } from './dialect.js'
import { invalidQuery, type CompileError } from './errors.js'
import { isEncodeFailure } from './encode.js'
import { lowerStatement } from './lower-statement.js'
import { print } from './printer.js'
import { newRecord, shapeCopy, shapeHash, shapeMatches, walk } from './shape.js'
import type { PlanEntry } from './sql-tree.js'

/** A compiled statement: SQL text and its bind parameters, in placeholder order. */
export interface Compiled {
  readonly sql: string
  readonly params: readonly unknown[]
}

/** Values of named parameters (`param('name')`, `:name` in text). */
export type Args = Readonly<Record<string, unknown>>

type Entry = { readonly ok: true; readonly sql: string; readonly plan: readonly PlanEntry[] } | { readonly ok: false; readonly error: CompileError }

/** Entries under one shape hash (almost always one). */
type Bucket = { readonly shape: Int32Array; readonly entry: Entry }[]

const MAX_ENTRIES = 2000
/** A dialect's cache, in a holder so that `compile(d)` can keep it and `clearStatementCache` can swap the map. */
type Cache = { entries: Map<number, Bucket> }
const caches = new WeakMap<Dialect, Cache>()

const cacheFor = (d: Dialect): Cache => {
  let c = caches.get(d)
  if (c === undefined) {
    c = { entries: new Map() }
    caches.set(d, c)
  }
  return c
}

const remember = (cache: Map<number, Bucket>, hash: number, shape: Int32Array, entry: Entry): void => {
  if (cache.size >= MAX_ENTRIES) {
    // Evict the oldest quarter (Map keeps insertion order): cheap and good enough for a shape cache.
    let n = MAX_ENTRIES >> 2
    for (const k of cache.keys()) {
      cache.delete(k)
      if (--n === 0) break
    }
  }
  const bucket = cache.get(hash)
  if (bucket === undefined) cache.set(hash, [{ shape, entry }])
  else bucket.push({ shape, entry })
}

const build = (d: Dialect, s: StatementNode): Entry => {
  const record = newRecord()
  walk(s, record, d.capabilities.groupByPosition)
  if (record.error !== undefined) return { ok: false, error: record.error }
  const ctx: Ctx = { d, errors: [], index: record.index, ctes: record.ctes, ddl: false }
  const lowered = lowerStatement(ctx, s)
  const printed = print(ctx, lowered)
  const first = ctx.errors[0]
  if (first !== undefined) return { ok: false, error: first }
  const max = d.capabilities.maxParams
  if (printed.plan.length > max)
    return { ok: false, error: invalidQuery(`the statement has ${printed.plan.length} parameters; ${d.name} allows ${max} (split it, e.g. into batches)`) }
  return { ok: true, sql: printed.sql, plan: printed.plan }
}

const bind = (d: Dialect, e: Entry, values: readonly unknown[], args: Args | undefined): E.Either<CompileError, Compiled> => {
  if (!e.ok) return E.left(e.error)
  const plan = e.plan
  const params = new Array<unknown>(plan.length)
  for (let i = 0; i < plan.length; i++) {
    const p = plan[i] as PlanEntry
    let v: unknown
    if (p.kind === 'value') v = values[p.index]
    else {
      if (args === undefined || !Object.prototype.hasOwnProperty.call(args, p.name))
        return E.left({ _tag: 'MissingParam', name: p.name, message: `no value given for parameter "${p.name}"` })
      v = args[p.name]
    }
    const r = d.encode(v, p.type)
    if (isEncodeFailure(r)) return E.left({ _tag: 'InvalidValue', param: i + 1, message: `parameter ${i + 1} ${r.message}` })
    params[i] = r
  }
  return E.right(Object.freeze({ sql: e.sql, params: Object.freeze(params) }))
}

/**
 * Compile a statement for a dialect. Named parameters take their values
 * from `args`. Never throws for bad input: every problem is a `CompileError`.
 *
 * @example
 * const r = compile(postgres)(pipe(from(users), where((s) => eq(s.users.id, 1))))
 * // Right({ sql: 'SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" = $1', params: [1] })
 */
export const compile = (d: Dialect): ((s: StatementNode, args?: Args) => E.Either<CompileError, Compiled>) => {
  // Looked up once per `compile(d)`, not per statement.
  const cache = cacheFor(d)
  const positions = d.capabilities.groupByPosition
  return (s, args) => {
    const { cacheable, values } = walk(s, undefined, positions)
    if (!cacheable) return bind(d, build(d, s), values, args)
    const hash = shapeHash()
    const bucket = cache.entries.get(hash)
    if (bucket !== undefined) for (const b of bucket) if (shapeMatches(b.shape)) return bind(d, b.entry, values, args)
    const shape = shapeCopy()
    const entry = build(d, s)
    remember(cache.entries, hash, shape, entry)
    return bind(d, entry, values, args)
  }
}

/** How many statement shapes are cached for a dialect. */
export const statementCacheSize = (d: Dialect): number => {
  let n = 0
  for (const b of caches.get(d)?.entries.values() ?? []) n += b.length
  return n
}

/** Forget every cached statement shape (for tests and benchmarks). */
export const clearStatementCache = (d: Dialect): void => {
  // A new map rather than `Map#clear`, which cost the uncached benchmark some 4 µs per call.
  const c = caches.get(d)
  if (c !== undefined) c.entries = new Map()
}
