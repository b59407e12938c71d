/**
 * Pool behaviour that does not depend on a server: sizing, release rules,
 * timeouts, backoff, validation, lifetimes. Run on SQLite files; the same
 * pool under real PostgreSQL and MariaDB load, with killed connections, is in
 * pool-faults.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createPool, type Pool } from '../../src/drivers/pool.js'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import type { Connection, Driver } from '../../src/drivers/driver.js'
import { isDbError } from '../../src/drivers/errors.js'
import { freshSqliteFile } from '../support/databases.js'
import { failure } from '../support/failure.js'

const pools: Pool[] = []
const track = (p: Pool): Pool => {
  pools.push(p)
  return p
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()))
})


/** A driver whose connections' ping is replaced, to inject validation faults. */
const withPing = (d: Driver, ping: (c: Connection) => Promise<void>): Driver => ({
  dialect: d.dialect,
  connect: async () => {
    const c = await d.connect()
    return new Proxy(c, { get: (t, k) => (k === 'ping' ? () => ping(t) : Reflect.get(t, k)) })
  },
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('pool', () => {
  it('runs 1,000 concurrent borrowers on 10 connections and leaks nothing', async () => {
    const file = freshSqliteFile()
    const setup = await sqliteDriver({ filename: file }).connect()
    await setup.execute('CREATE TABLE hits (n INTEGER)')
    await setup.close()
    const pool = track(createPool(sqliteDriver({ filename: file }), { max: 10 }))
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        pool.use(async (c) => {
          await c.execute('INSERT INTO hits VALUES (?)', [i])
          await sleep(0)
          return i
        }),
      ),
    )
    expect(results).toHaveLength(1000)
    expect(pool.stats()).toMatchObject({ borrowed: 0, pending: 0 })
    expect(pool.stats().size).toBeLessThanOrEqual(10)
    const total = await pool.use((c) => c.execute<{ n: number }>('SELECT count(*) AS n FROM hits'))
    expect(total.rows).toEqual([{ n: 1000 }])
  })

  it('holds exactly one connection for an in-memory SQLite database', async () => {
    const pool = track(createPool(sqliteDriver({ filename: ':memory:' }), { max: 8 }))
    expect(pool.stats().max).toBe(1)
    await pool.use((c) => c.execute('CREATE TABLE t (x INTEGER)'))
    await Promise.all(Array.from({ length: 20 }, (_, i) => pool.use((c) => c.execute('INSERT INTO t VALUES (?)', [i]))))
    expect((await pool.use((c) => c.execute('SELECT count(*) AS n FROM t'))).rows).toEqual([{ n: 20 }])
  })

  it('rolls back a connection returned mid-transaction before reuse', async () => {
    const pool = track(createPool(sqliteDriver({ filename: ':memory:' })))
    await pool.use((c) => c.execute('CREATE TABLE t (x INTEGER)'))
    const c = await pool.acquire()
    await c.begin()
    await c.execute('INSERT INTO t VALUES (1)')
    await pool.release(c)
    const again = await pool.acquire()
    expect(again).toBe(c)
    expect(again.state).toBe('idle')
    expect((await again.execute('SELECT count(*) AS n FROM t')).rows).toEqual([{ n: 0 }])
    await pool.release(again)
  })

  it('discards a dead connection instead of reusing it', async () => {
    const pool = track(createPool(sqliteDriver({ filename: freshSqliteFile() })))
    const c = await pool.acquire()
    await c.close()
    await pool.release(c)
    expect(pool.stats().size).toBe(0)
    const fresh = await pool.acquire()
    expect(fresh).not.toBe(c)
    expect((await fresh.execute('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    await pool.release(fresh)
  })

  it('times out an acquire within its bound when every connection is busy', async () => {
    const pool = track(createPool(sqliteDriver({ filename: ':memory:' }), { acquireTimeoutMs: 200 }))
    const held = await pool.acquire()
    const started = Date.now()
    const e = await failure(pool.acquire())
    const waited = Date.now() - started
    expect(e).toMatchObject({ _tag: 'AcquireTimeout', timeoutMs: 200, retryable: true })
    expect(e.cause).toBeUndefined()
    expect(waited).toBeGreaterThanOrEqual(190)
    expect(waited).toBeLessThan(2000)
    await pool.release(held)
    expect(pool.stats().pending).toBe(0)
  })

  it('database down: every acquire rejects with the connect error as cause, with backoff between attempts', async () => {
    let attempts = 0
    const down = sqliteDriver({ filename: '/nonexistent/quarry/down.db', readonly: true })
    const counting: Driver = { dialect: 'sqlite', connect: () => (attempts++, down.connect()) }
    const pool = track(createPool(counting, { max: 4, acquireTimeoutMs: 600, initialBackoffMs: 50, maxBackoffMs: 400 }))
    const errors = await Promise.all(Array.from({ length: 12 }, () => failure(pool.acquire())))
    for (const e of errors) {
      expect(e._tag).toBe('AcquireTimeout')
      expect(isDbError(e.cause) && e.cause._tag).toBe('ConnectFailed')
      expect(e.message).toMatch(/cannot open SQLite database/)
    }
    // Without backoff generic-pool retries ~190 times a second per slot.
    expect(attempts).toBeLessThan(40)
    expect(attempts).toBeGreaterThan(0)
  })

  it('a validation that throws or hangs never wedges the pool', async () => {
    let mode: 'ok' | 'throw' | 'hang' = 'ok'
    const base = sqliteDriver({ filename: freshSqliteFile() })
    const driver = withPing(base, async (c) => {
      const now = mode
      mode = 'ok' // only the next validation misbehaves
      if (now === 'throw') throw new Error('validation blew up')
      if (now === 'hang') return new Promise(() => undefined)
      await c.execute('SELECT 1')
    })
    const pool = track(createPool(driver, { max: 1, validateTimeoutMs: 100, acquireTimeoutMs: 3000, validateAfterIdleMs: 0 }))
    const first = await pool.acquire()
    await pool.release(first)
    mode = 'throw'
    const second = await pool.acquire() // ping throws → destroyed → a new connection
    expect(second).not.toBe(first)
    await pool.release(second)
    mode = 'hang'
    const started = Date.now()
    const third = await pool.acquire() // ping hangs → timed out → destroyed → a new one
    expect(Date.now() - started).toBeLessThan(2000)
    expect(third).not.toBe(second)
    await pool.release(third)
    const fourth = await pool.acquire() // ping works → reused
    expect(fourth).toBe(third)
    await pool.release(fourth)
    expect(pool.stats()).toMatchObject({ size: 1, borrowed: 0 })
  })

  it('pings only connections idle longer than validateAfterIdleMs, and never hands out a dead one', async () => {
    let pings = 0
    const driver = withPing(sqliteDriver({ filename: freshSqliteFile() }), async (c) => {
      pings++
      await c.execute('SELECT 1')
    })
    const pool = track(createPool(driver, { max: 1, validateAfterIdleMs: 150 }))
    const first = await pool.acquire() // brand new: validated
    const afterCreate = pings
    await pool.release(first)
    for (let i = 0; i < 5; i++) await pool.use((c) => c.execute('SELECT 2')) // in steady use: no ping
    expect(pings).toBe(afterCreate)
    await sleep(200)
    await pool.use((c) => c.execute('SELECT 3')) // idle past the window: pinged
    expect(pings).toBe(afterCreate + 1)
    const c = await pool.acquire()
    await pool.release(c)
    await c.close() // dies while idle, inside the window
    const fresh = await pool.acquire()
    expect(fresh).not.toBe(c)
    expect(fresh.alive).toBe(true)
    await pool.release(fresh)
  })

  it('a connection given back is lent again at once, or to whoever waits; parked, it counts as available and is closed with the pool', async () => {
    const pool = createPool(sqliteDriver({ filename: freshSqliteFile() }), { max: 1 })
    const a = await pool.acquire()
    await pool.release(a)
    expect(pool.stats()).toMatchObject({ size: 1, available: 1, borrowed: 0, pending: 0 })
    const again = await pool.acquire()
    expect(again).toBe(a)
    expect(pool.stats()).toMatchObject({ size: 1, available: 0, borrowed: 1 })
    // Someone waits: the connection goes to them, not back to the side.
    const waiting = pool.acquire()
    await sleep(20)
    expect(pool.stats().pending).toBe(1)
    await pool.release(again)
    const next = await waiting
    expect(next).toBe(a)
    expect((await next.execute<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    await pool.release(next)
    await pool.close()
    expect(a.alive).toBe(false)
    expect(pool.stats()).toMatchObject({ size: 0, available: 0, borrowed: 0 })
  })

  it('close() waits for borrowed connections, then closes them after its timeout', async () => {
    const pool = createPool(sqliteDriver({ filename: freshSqliteFile() }), { closeTimeoutMs: 150 })
    const kept = await pool.acquire()
    const returned = await pool.acquire()
    setTimeout(() => void pool.release(returned), 20)
    const started = Date.now()
    await pool.close()
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(kept.state).toBe('closed')
    expect(pool.stats().size).toBe(0)
  })

  it('retires connections past their lifetime and evicts idle ones', async () => {
    const pool = track(
      createPool(sqliteDriver({ filename: freshSqliteFile() }), { maxLifetimeMs: 80, idleTimeoutMs: 100, evictionIntervalMs: 30 }),
    )
    const a = await pool.acquire()
    await sleep(120)
    await pool.release(a) // too old: destroyed on release
    expect(pool.stats().size).toBe(0)
    const b = await pool.acquire()
    expect(b).not.toBe(a)
    await pool.release(b)
    expect(pool.stats().available).toBe(1)
    await sleep(400)
    expect(pool.stats().size).toBe(0) // evicted while idle
  })

  it('keeps min connections and refuses work once closed', async () => {
    const pool = createPool(sqliteDriver({ filename: freshSqliteFile() }), { min: 2, max: 4 })
    await sleep(100)
    expect(pool.stats().size).toBe(2)
    const c = await pool.acquire()
    await pool.release(c)
    expect((await failure(pool.release(c)))._tag).toBe('InvalidState')
    await pool.close()
    expect(pool.stats().size).toBe(0)
    expect((await failure(pool.acquire()))._tag).toBe('PoolClosed')
    await pool.close() // idempotent
  })
})
