/**
 * Horizontal sharding: several engines with the same schema, a shard key
 * read from each row, and a chooser from key to shard. A change graph's
 * rows go to the shard their key chooses (a row without a key of its own,
 * such as a child whose parent key is a `G.ref`, goes where the row it
 * references goes), and a graph over several shards commits atomically with
 * two-phase commit. Queries go to one shard (by id or by key) or to all,
 * rows concatenated in shard order; `queryAll` can sort the concatenation
 * and apply a global limit/offset, which is exact for ORDER BY … LIMIT when
 * each shard is asked for its first `offset + limit` rows in that order.
 * Aggregates are not merged: sum or count per shard and combine the rows.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StatementNode } from '../../algebra/index.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import type { Row } from '../../drivers/driver.js'
import type { Args } from '../../interpret/index.js'
import type { Engine } from '../engine.js'
import { isRef, type Cells, type ChangeGraph, type ChangeNode } from '../graph/graph.js'
import { query, type Program } from '../program.js'
import { run } from '../run.js'
import { byName, commitAcross, type CommitAcrossOptions } from './commit-across.js'
import { invalidSetup, unknownShard, type MultiFailure } from './errors.js'
import type { MultiPersisted } from './two-phase.js'

/** How rows map to shards. */
export interface ShardingOptions<K> {
  /** Engines by shard id (each engine with its own name). */
  readonly shards: Readonly<Record<string, Engine>>
  /** The shard key of a row; undefined (or a `G.ref`): the row follows the row it references. */
  readonly keyOf: (table: AnyTable, row: Cells) => K | undefined
  /** The shard id of a key. */
  readonly shardOf: (key: K) => string
}

/** A sharded set of engines. */
export interface Shards<K> extends ShardingOptions<K> {
  readonly _tag: 'Shards'
  readonly ids: readonly string[]
}

/**
 * Define the shards.
 *
 * @example
 * const s = sharding({ shards: { even: pgA, odd: pgB }, keyOf: (t, row) => row['tenant_id'] as number | undefined, shardOf: (k: number) => (k % 2 === 0 ? 'even' : 'odd') })
 */
export const sharding = <K>(o: ShardingOptions<K>): E.Either<MultiFailure, Shards<K>> => {
  const ids = Object.keys(o.shards)
  if (ids.length === 0) return E.left(invalidSetup('sharding needs at least one shard'))
  const named = byName(ids.map((id) => o.shards[id]!))
  if (E.isLeft(named)) return named
  if (named.right.size !== ids.length) return E.left(invalidSetup('each shard needs its own engine'))
  return E.right(Object.freeze({ _tag: 'Shards' as const, ...o, ids: Object.freeze(ids) }))
}

/**
 * The engine of a shard id.
 *
 * @example
 * shardEngine(s)('even') // E.right(pgA)
 */
export const shardEngine =
  <K>(s: Shards<K>) =>
  (id: string): E.Either<MultiFailure, Engine> => {
    const e = s.shards[id]
    return e === undefined ? E.left(unknownShard(id, s.ids)) : E.right(e)
  }

/** The row a node is about: an insert's values, an update's snapshot with its changes, a delete's key. */
const rowOf = (n: ChangeNode): Cells => (n._tag === 'InsertRow' ? n.values : n._tag === 'UpdateRow' ? { ...n.snapshot, ...n.changes } : n._tag === 'DeleteRow' ? n.row : {})

/**
 * Commit a graph over the shards: one transaction when its rows fall on
 * one shard, two-phase commit when on several (decision records on
 * `options.log`, default the first shard).
 *
 * @example
 * const r = await commitSharded(s)(pipe(G.empty, G.insert('t1', tenants, { id: 1 }), G.insert('t2', tenants, { id: 2 })))()
 */
export const commitSharded =
  <K>(s: Shards<K>, options: CommitAcrossOptions = {}) =>
  (graph: ChangeGraph): TE.TaskEither<MultiFailure, MultiPersisted> =>
    commitAcross(
      s.ids.map((id) => s.shards[id]!),
      (n) => {
        const key = s.keyOf(n.table, rowOf(n))
        if (key === undefined || isRef(key)) return E.right(undefined)
        const id = s.shardOf(key)
        const e = s.shards[id]
        return e === undefined ? E.left(unknownShard(id, s.ids)) : E.right(e.name)
      },
      { log: s.shards[s.ids[0]!]!, ...options },
    )(graph)

/**
 * Run a program on one shard.
 *
 * @example
 * await runShard(s)('even')(sql('DELETE FROM sessions'))()
 */
export const runShard =
  <K>(s: Shards<K>) =>
  (id: string) =>
  <A>(program: Program<A>): TE.TaskEither<MultiFailure, A> => {
    const e = shardEngine(s)(id)
    return E.isLeft(e) ? TE.left(e.left) : run(e.right)(program)
  }

/**
 * Run a query on the shard that holds `key`.
 *
 * @example
 * const rows = await queryByKey(s)(7)(pipe(Q.from(orders), Q.where((x) => Q.eq(x.orders.tenant_id, 7))))()
 */
export const queryByKey =
  <K>(s: Shards<K>) =>
  (key: K) =>
  <R = Row>(statement: StatementNode, args?: Args): TE.TaskEither<MultiFailure, ReadonlyArray<R>> =>
    runShard(s)(s.shardOf(key))(query<R>(statement, args))

/** How `queryAll` merges the shards' rows. */
export interface MergeOptions<R> {
  /** Sort the concatenated rows (stable, so equal rows keep shard order). */
  readonly orderBy?: (a: R, b: R) => number
  /** Skip this many rows of the merged result. */
  readonly offset?: number
  /** Keep at most this many rows of the merged result. */
  readonly limit?: number
}

/**
 * Run a query on every shard (concurrently) and concatenate the rows in
 * shard order; with `orderBy`/`limit`/`offset`, merge them as one ordered
 * result. The first shard to fail fails the whole query.
 *
 * @example
 * // The 10 newest orders overall: each shard's 10 newest, merged.
 * const newest = await queryAll(s)(pipe(Q.from(orders), Q.orderBy((x) => [Q.desc(x.orders.at)]), Q.limit(10)), undefined, { orderBy: (a, b) => +b.at - +a.at, limit: 10 })()
 */
export const queryAll =
  <K>(s: Shards<K>) =>
  <R = Row>(statement: StatementNode, args?: Args, merge: MergeOptions<R> = {}): TE.TaskEither<MultiFailure, ReadonlyArray<R>> =>
  async () => {
    const results = await Promise.all(s.ids.map((id) => run(s.shards[id]!)(query<R>(statement, args))()))
    const rows: R[] = []
    for (const r of results) {
      if (E.isLeft(r)) return r
      rows.push(...r.right)
    }
    if (merge.orderBy !== undefined) rows.sort(merge.orderBy)
    const start = merge.offset ?? 0
    return E.right(merge.limit === undefined && start === 0 ? rows : rows.slice(start, merge.limit === undefined ? undefined : start + merge.limit))
  }
