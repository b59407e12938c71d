/**
 * Read replicas: one primary and its replicas as one {@link Engine}, so
 * every program (queries, loads, commits, transactions) runs on the group
 * unchanged. Each borrow of the group's "connection" routes statement by
 * statement: a read outside a transaction goes to a replica (round robin,
 * or the caller's chooser, one replica per borrow); a write, a transaction
 * and everything after them in the same borrow go to the primary, so a
 * program reads its own writes. `usePrimary(program)` sends a whole program
 * to the primary (read-your-writes across borrows, reads that must not lag).
 *
 * A read is recognised from the SQL text, conservatively: it starts with
 * SELECT, WITH, VALUES, TABLE or SHOW, and names no data-changing keyword,
 * row lock, SELECT … INTO, or sequence/lock function anywhere outside
 * quotes and comments. Anything else is a write: misjudging a read as a
 * write costs a trip to the primary, never a write sent to a replica.
 *
 * Events: listeners on the group see every statement run through it;
 * each member engine's own beforeExecute/afterExecute listeners also see
 * the statements that ran on that member.
 */
import * as E from 'fp-ts/lib/Either.js'
import { withAccessors } from '../../drivers/accessors.js'
import type { Connection, ExecResult, Param, Row, StreamOptions } from '../../drivers/driver.js'
import type { Pool, PoolStats } from '../../drivers/pool.js'
import type { Engine } from '../engine.js'
import { addListener, emit, noListeners, type Listeners } from '../events.js'
import type { Program } from '../program.js'
import { invalidSetup, type MultiFailure } from './errors.js'
import { isRead } from './read-sql.js'

/** A primary and its replicas. */
export interface ReplicaOptions {
  readonly primary: Engine
  readonly replicas: readonly Engine[]
  /** The replica for a borrow's reads (default: round robin). */
  readonly choose?: (replicas: readonly Engine[]) => Engine
  /** The group's name (default: the primary's). */
  readonly name?: string
}

/** What a borrow of the group holds: at most one connection per side, taken on first use. */
interface Borrow {
  primary: Connection | undefined
  replica: { readonly engine: Engine; readonly conn: Connection } | undefined
  /** Once the primary has been used, everything stays there. */
  pinned: boolean
}

const mark: unique symbol = Symbol('quarry.replicas.connection')

interface Routing extends Connection {
  readonly [mark]: { readonly borrow: Borrow; readonly primaryView: Connection }
}

/** Run a statement on a member, telling the member's own listeners. */
const onMember = async <R>(engine: Engine, c: Connection, text: string, params: ReadonlyArray<Param>): Promise<ExecResult<R>> => {
  const l = engine.listeners
  if (l.beforeExecute.length === 0 && l.afterExecute.length === 0) return c.execute<R>(text, params)
  emit(l, 'beforeExecute', { sql: text, params })
  const t0 = performance.now()
  try {
    const r = await c.execute<R>(text, params)
    emit(l, 'afterExecute', { sql: text, params, ms: performance.now() - t0, rows: r.rows.length, error: undefined })
    return r
  } catch (e) {
    emit(l, 'afterExecute', { sql: text, params, ms: performance.now() - t0, rows: 0, error: e })
    throw e
  }
}

const routingConnection = (o: ReplicaOptions, pick: () => Engine): Routing => {
  const borrow: Borrow = { primary: undefined, replica: undefined, pinned: false }
  const primary = async (): Promise<Connection> => {
    borrow.pinned = true
    return (borrow.primary ??= await o.primary.pool.acquire())
  }
  const replica = async (): Promise<{ readonly engine: Engine; readonly conn: Connection }> => {
    if (borrow.replica !== undefined) return borrow.replica
    const engine = pick()
    return (borrow.replica = { engine, conn: await engine.pool.acquire() })
  }
  const make = (force: boolean): Connection => {
    const toReplica = (text: string): boolean => !force && !borrow.pinned && o.replicas.length > 0 && isRead(text)
    // The accessors are attached afterwards: a literal with an accessor is a slow object (drivers/accessors.ts).
    const methods: Omit<Connection, 'state' | 'savepoints' | 'alive'> = {
      dialect: o.primary.pool.dialect,
      openedAt: Date.now(),
      async execute<R = Row>(text: string, params: ReadonlyArray<Param> = []) {
        if (toReplica(text)) {
          const r = await replica()
          return onMember<R>(r.engine, r.conn, text, params)
        }
        return onMember<R>(o.primary, await primary(), text, params)
      },
      // A batch always goes to the primary (batches write).
      executeMany: async (text, sets) => (await primary()).executeMany(text, sets),
      stream<R = Row>(text: string, params: ReadonlyArray<Param> = [], options?: StreamOptions): AsyncIterable<R> {
        return {
          async *[Symbol.asyncIterator]() {
            const conn = toReplica(text) ? (await replica()).conn : await primary()
            yield* conn.stream<R>(text, params, options)
          },
        }
      },
      begin: async (x) => (await primary()).begin(x),
      commit: async () => (await primary()).commit(),
      rollback: async () => (await primary()).rollback(),
      savepoint: async (n) => (await primary()).savepoint(n),
      releaseSavepoint: async (n) => (await primary()).releaseSavepoint(n),
      rollbackToSavepoint: async (n) => (await primary()).rollbackToSavepoint(n),
      beginTwoPhase: async (x, b) => (await primary()).beginTwoPhase(x, b),
      prepare: async () => (await primary()).prepare(),
      commitPrepared: async (x) => (await primary()).commitPrepared(x),
      rollbackPrepared: async (x) => (await primary()).rollbackPrepared(x),
      listPrepared: async () => (await primary()).listPrepared(),
      ping: async () => {
        await borrow.primary?.ping()
        await borrow.replica?.conn.ping()
      },
      close: async () => {
        await borrow.primary?.close()
        await borrow.replica?.conn.close()
      },
    }
    return withAccessors(methods, {
      state: () => borrow.primary?.state ?? 'idle',
      savepoints: () => borrow.primary?.savepoints ?? [],
      alive: () => (borrow.primary?.alive ?? true) && (borrow.replica?.conn.alive ?? true),
    })
  }
  const primaryView = make(true)
  return Object.assign(make(false), { [mark]: { borrow, primaryView } })
}

const isRouting = (c: Connection): c is Routing => mark in c

/** Give a borrow's member connections back to their pools. */
const releaseBorrow = async (o: ReplicaOptions, c: Connection): Promise<void> => {
  if (!isRouting(c)) return
  const b = c[mark].borrow
  if (b.primary !== undefined) await o.primary.pool.release(b.primary)
  if (b.replica !== undefined) await b.replica.engine.pool.release(b.replica.conn)
  b.primary = undefined
  b.replica = undefined
}

const sumStats = (pools: readonly Pool[]): PoolStats =>
  pools
    .map((p) => p.stats())
    .reduce((a, s) => ({ size: a.size + s.size, available: a.available + s.available, borrowed: a.borrowed + s.borrowed, pending: a.pending + s.pending, min: a.min + s.min, max: a.max + s.max }))

/**
 * A primary and its replicas as one engine. Replicas must speak the
 * primary's dialect.
 *
 * @example
 * const db = replicated({ primary, replicas: [r1, r2] })
 * if (E.isRight(db)) await runPromise(db.right)(query(Q.from(users))) // runs on r1 or r2
 */
export const replicated = (o: ReplicaOptions): E.Either<MultiFailure, Engine> => {
  const other = o.replicas.find((r) => r.dialect.name !== o.primary.dialect.name)
  if (other !== undefined) return E.left(invalidSetup(`replica ${other.name} speaks ${other.dialect.name}, its primary ${o.primary.name} speaks ${o.primary.dialect.name}`))
  let next = 0
  const pick = o.choose === undefined ? () => o.replicas[next++ % o.replicas.length]! : () => o.choose!(o.replicas)
  const members = [o.primary, ...o.replicas]
  const listeners: Listeners = noListeners()
  const pool: Pool = {
    dialect: o.primary.pool.dialect,
    acquire: async () => routingConnection(o, pick),
    release: (c) => releaseBorrow(o, c),
    use: async (f) => {
      const c = routingConnection(o, pick)
      try {
        return await f(c)
      } finally {
        await releaseBorrow(o, c)
      }
    },
    stats: () => sumStats(members.map((m) => m.pool)),
    close: async () => {
      await Promise.all(members.map((m) => m.close()))
    },
  }
  return E.right({
    name: o.name ?? o.primary.name,
    dialect: o.primary.dialect,
    pool,
    listeners,
    on: addListener(listeners),
    close: () => pool.close(),
  })
}

/**
 * Run a program on the primary only (on any other engine: unchanged), for
 * reads that must see the latest writes.
 *
 * @example
 * const fresh = await runPromise(db)(usePrimary(query(Q.from(users))))
 */
export const usePrimary =
  <A>(program: Program<A>): Program<A> =>
  (s) =>
    isRouting(s.connection) ? program({ ...s, connection: s.connection[mark].primaryView }) : program(s)
