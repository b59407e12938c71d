/**
 * A connection pool per engine on generic-pool, with the hazards TOOLCHAIN.md
 * measured taken out:
 *
 * - generic-pool retries a failing `create()` in a tight loop and reports
 *   only "ResourceRequest timed out". Here a failed connect waits with
 *   exponential backoff before it reports failure, and an acquire that times
 *   out rejects with `AcquireTimeout` whose `cause` is the last connect (or
 *   validation) failure — the real reason.
 * - A `validate` that throws or hangs wedges generic-pool for good. Here
 *   validation never rejects: a throw or a timeout just means "invalid", and
 *   the connection is destroyed.
 * - A connection whose backend died is never handed out again; one returned
 *   mid-transaction is rolled back before reuse (destroyed if that fails).
 *
 * The last connection given back is kept aside ("parked", still borrowed
 * as generic-pool sees it) while nobody waits, and the next acquire takes
 * it at once: a unit of work right after other work found generic-pool's
 * path (a request, its timeout timer, the validation promise, the queue)
 * cold in the CPU caches, and borrowing plus giving back took 42 + 10 µs
 * there against 2 + 4 µs parked (a 1,000-row SQLite save, bench/RESULTS.md).
 * A parked connection goes back to generic-pool once it has waited
 * `validateAfterIdleMs` or `idleTimeoutMs` (so it is pinged before reuse,
 * and evicted when idle, as before), and on close; a connection given back
 * while someone waits goes to them; the stats count a parked one as
 * available.
 *
 * SQLite policy: `:memory:` databases belong to one connection, so a pool
 * over one holds exactly one connection (the driver's `maxConnections`). A
 * file database may have several; writers take the lock with BEGIN
 * IMMEDIATE and wait up to the busy timeout, so there is one writer at a time
 * while readers (WAL mode) never block.
 */
import genericPool from 'generic-pool'
import type { Connection, DialectName, Driver } from './driver.js'
import {
  dbError,
  isDbError,
  type AcquireTimeout,
  type DbError,
  type InvalidState,
  type PoolClosed,
  type Unknown,
} from './errors.js'

/** How a pool sizes, checks and retires its connections. */
export interface PoolOptions {
  /** Connections kept open even when idle (default 0). */
  readonly min?: number
  /** Most connections open at once (default 10; SQLite `:memory:`: always 1). */
  readonly max?: number
  /** How long `acquire` may wait, always applied (default 30 s). */
  readonly acquireTimeoutMs?: number
  /** Idle connections above `min` are closed after this long (default 30 s). */
  readonly idleTimeoutMs?: number
  /** How often idle connections are checked (default 1 s). */
  readonly evictionIntervalMs?: number
  /** Connections older than this are closed instead of reused (default 30 min). */
  readonly maxLifetimeMs?: number
  /** Ping a connection before handing it out (default true). */
  readonly validateOnBorrow?: boolean
  /**
   * Skip the ping for a connection returned less than this long ago and not
   * known dead (default 1 s): a connection in steady use is not pinged
   * before every unit of work, which would cost a round trip each time.
   * 0 pings on every borrow.
   */
  readonly validateAfterIdleMs?: number
  /** How long a ping may take before the connection is deemed dead (default 5 s). */
  readonly validateTimeoutMs?: number
  /** First wait after a failed connect; doubles up to `maxBackoffMs` (default 50 ms). */
  readonly initialBackoffMs?: number
  /** Longest wait between connect attempts (default 2 s). */
  readonly maxBackoffMs?: number
  /** How long `close` waits for borrowed connections before closing them anyway (default 30 s). */
  readonly closeTimeoutMs?: number
}

/** A snapshot of what the pool holds. */
export interface PoolStats {
  /** Connections open (idle + borrowed + being checked). */
  readonly size: number
  /** Idle connections ready to hand out. */
  readonly available: number
  /** Connections handed out and not yet released. */
  readonly borrowed: number
  /** Acquires waiting for a connection. */
  readonly pending: number
  readonly min: number
  readonly max: number
}

/** A pool of connections to one database. */
export interface Pool {
  readonly dialect: DialectName
  /** Borrow a connection; always pair with {@link Pool.release} (or use {@link Pool.use}). */
  acquire(): Promise<Connection>
  /** Give a connection back: rolled back if mid-transaction, destroyed if dead or too old. */
  release(connection: Connection): Promise<void>
  /** Borrow a connection for the duration of `f`, releasing it however `f` ends. */
  use<T>(f: (connection: Connection) => Promise<T>): Promise<T>
  /** What the pool holds now. */
  stats(): PoolStats
  /**
   * Stop handing out connections, wait (up to `closeTimeoutMs`) for borrowed
   * ones to come back, then close all — borrowed ones too, once time is up.
   */
  close(): Promise<void>
}

/** A driver may cap its pools (SQLite `:memory:` has one connection per database). */
export interface PoolLimited {
  readonly maxConnections?: number
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref()
  })

/** Resolves to `true` only if `p` resolves within `ms`; never rejects. */
const settlesWithin = (p: Promise<unknown>, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    timer.unref()
    p.then(
      () => {
        clearTimeout(timer)
        resolve(true)
      },
      () => {
        clearTimeout(timer)
        resolve(false)
      },
    )
  })

const unknown = (dialect: DialectName, e: unknown): DbError =>
  isDbError(e) ? e : dbError<Unknown>('Unknown', e instanceof Error ? e.message : String(e), { dialect, cause: e })

/**
 * Create a pool over a driver.
 *
 * @example
 * const pool = createPool(sqliteDriver({ filename: 'app.db' }), { max: 4 })
 * const rows = await pool.use((c) => c.execute('SELECT 1 AS one'))
 * await pool.close()
 */
export const createPool = (driver: Driver & PoolLimited, options: PoolOptions = {}): Pool => {
  const dialect = driver.dialect
  const max = Math.max(1, Math.min(options.max ?? 10, driver.maxConnections ?? Number.POSITIVE_INFINITY))
  const min = Math.min(options.min ?? 0, max)
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 30_000
  const maxLifetimeMs = options.maxLifetimeMs ?? 30 * 60_000
  const validateTimeoutMs = options.validateTimeoutMs ?? 5_000
  const initialBackoffMs = options.initialBackoffMs ?? 50
  const maxBackoffMs = options.maxBackoffMs ?? 2_000

  let lastFailure: DbError | undefined
  let consecutiveFailures = 0
  let closed = false
  const borrowed = new Set<Connection>()
  const validateAfterIdleMs = options.validateAfterIdleMs ?? 1_000
  const validateOnBorrow = options.validateOnBorrow ?? true
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000
  const evictionIntervalMs = options.evictionIntervalMs ?? 1_000
  /** How long a connection stays parked (see the file's comment) before it goes back to generic-pool. */
  const parkMs = Math.min(validateAfterIdleMs, idleTimeoutMs)
  /** When each idle connection was last given back. */
  const returnedAt = new WeakMap<Connection, number>()

  const tooOld = (c: Connection): boolean => Date.now() - c.openedAt > maxLifetimeMs

  const pool = genericPool.createPool<Connection>(
    {
      async create() {
        try {
          const c = await driver.connect()
          consecutiveFailures = 0
          lastFailure = undefined
          return c
        } catch (e) {
          lastFailure = unknown(dialect, e)
          consecutiveFailures++
          // Back off before reporting, or generic-pool retries at once, forever.
          await sleep(Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(consecutiveFailures - 1, 16)))
          throw lastFailure
        }
      },
      async destroy(c) {
        await c.close().catch(() => undefined)
      },
      async validate(c) {
        if (c.state !== 'idle' || !c.alive || tooOld(c)) return false
        const since = returnedAt.get(c)
        if (since !== undefined && Date.now() - since < validateAfterIdleMs) return true
        const ping = c.ping()
        const ok = await settlesWithin(ping, validateTimeoutMs)
        if (!ok) ping.catch((e: unknown) => (lastFailure = unknown(dialect, e)))
        return ok
      },
    },
    {
      min,
      max,
      acquireTimeoutMillis: acquireTimeoutMs,
      testOnBorrow: validateOnBorrow,
      evictionRunIntervalMillis: evictionIntervalMs,
      softIdleTimeoutMillis: idleTimeoutMs,
      idleTimeoutMillis: maxLifetimeMs,
      autostart: true,
    },
  )
  // generic-pool emits these instead of rejecting; they are already recorded in `lastFailure`.
  pool.on('factoryCreateError', () => undefined)
  pool.on('factoryDestroyError', () => undefined)

  const closedError = (): PoolClosed => dbError<PoolClosed>('PoolClosed', 'the pool is closed', { dialect })

  /** The parked connection (see the file's comment) and when it was given back. */
  let parked: Connection | undefined
  let parkedAt = 0
  let sweeper: ReturnType<typeof setInterval> | undefined

  /** Give the parked connection to generic-pool (it was given back at `parkedAt`). */
  const unpark = async (): Promise<void> => {
    const c = parked
    if (c === undefined) return
    parked = undefined
    returnedAt.set(c, parkedAt)
    await pool.release(c)
  }

  /** The parked connection if it may be handed out as it is: idle, alive, young, and not idle long enough to need a ping. */
  const takeParked = async (): Promise<Connection | undefined> => {
    const c = parked
    if (c === undefined) return undefined
    if (c.state !== 'idle' || !c.alive || tooOld(c)) {
      parked = undefined
      await pool.destroy(c)
      return undefined
    }
    if (Date.now() - parkedAt >= parkMs) {
      await unpark()
      return undefined
    }
    parked = undefined
    return c
  }

  const acquire = async (): Promise<Connection> => {
    if (closed) throw closedError()
    const hot = await takeParked()
    if (hot !== undefined) {
      borrowed.add(hot)
      return hot
    }
    try {
      const c = await pool.acquire()
      borrowed.add(c)
      return c
    } catch (e) {
      if (closed) throw closedError()
      if (e instanceof Error && e.name === 'TimeoutError') {
        const cause = lastFailure
        const why = cause === undefined ? 'all connections stayed busy' : `last failure: ${cause.message}`
        throw dbError<AcquireTimeout>(
          'AcquireTimeout',
          `no ${dialect} connection within ${acquireTimeoutMs} ms (${why})`,
          { dialect, cause },
          { timeoutMs: acquireTimeoutMs },
        )
      }
      throw unknown(dialect, e)
    }
  }

  const release = async (c: Connection): Promise<void> => {
    if (!borrowed.delete(c))
      throw dbError<InvalidState>('InvalidState', 'this connection is not borrowed from this pool (released twice?)', { dialect }, { state: c.state })
    if (c.state === 'active' || c.state === 'failed') {
      // Returned mid-transaction: roll back so the next borrower starts clean.
      await c.rollback().catch(() => undefined)
    }
    if (c.state !== 'idle' || !c.alive || tooOld(c)) await pool.destroy(c)
    else if (parked === undefined && pool.pending === 0 && !closed) {
      parked = c
      parkedAt = Date.now()
      // One sweep per eviction interval for the pool's life (not a timer per release): a connection parked
      // past `validateAfterIdleMs` or `idleTimeoutMs` goes back to generic-pool, whose validation and idle
      // eviction then apply as before.
      sweeper ??= setInterval(() => {
        if (parked !== undefined && Date.now() - parkedAt >= parkMs) void unpark()
      }, Math.max(10, Math.min(parkMs, evictionIntervalMs))).unref()
    } else {
      returnedAt.set(c, Date.now())
      await pool.release(c)
    }
  }

  return {
    dialect,
    acquire,
    release,
    async use(f) {
      const c = await acquire()
      try {
        return await f(c)
      } finally {
        await release(c)
      }
    },
    stats: () => ({
      size: pool.size,
      // generic-pool still counts as available the connections `clear()` closed: none outlives the pool.
      available: Math.min(pool.available, pool.size) + (parked === undefined ? 0 : 1),
      borrowed: pool.borrowed - (parked === undefined ? 0 : 1),
      pending: pool.pending,
      min: pool.min,
      max: pool.max,
    }),
    async close() {
      if (closed) return
      closed = true
      if (sweeper !== undefined) clearInterval(sweeper)
      await unpark()
      const drained = pool.drain()
      if (!(await settlesWithin(drained, options.closeTimeoutMs ?? 30_000))) {
        // Time is up: take back what is still borrowed; its users see a closed connection.
        await Promise.all([...borrowed].map((c) => (borrowed.delete(c), pool.destroy(c))))
        await drained
      }
      await pool.clear()
    },
  }
}
