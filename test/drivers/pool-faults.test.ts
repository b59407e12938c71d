/**
 * The pool under real load on PostgreSQL and MariaDB: 1,000 concurrent
 * borrowers on 10 connections while about 5% of the connections are killed
 * by an administrator (pg_terminate_backend, KILL); idle connections killed
 * behind the pool's back; a server that is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Driver } from '../../src/drivers/driver.js'
import { isDbError, type DbError } from '../../src/drivers/errors.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import { pgDriver } from '../../src/drivers/pg/index.js'
import { createPool } from '../../src/drivers/pool.js'
import { freePort } from '../harness/process.js'
import {
  freshMysql,
  freshPostgres,
  killMysqlConnection,
  killPostgresBackend,
  type FreshDatabase,
} from '../support/databases.js'

interface Engine {
  readonly name: string
  readonly fresh: () => Promise<FreshDatabase>
  readonly driver: (db: Omit<FreshDatabase, 'drop'>) => Driver
  /** The statement that tells a connection its own server-side id. */
  readonly whoAmI: string
  readonly kill: (id: number) => Promise<unknown>
  readonly echo: string
}

const engines: ReadonlyArray<Engine> = [
  {
    name: 'postgresql',
    fresh: freshPostgres,
    driver: (db) => pgDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database }),
    whoAmI: 'SELECT pg_backend_pid() AS id',
    kill: killPostgresBackend,
    echo: 'SELECT $1::int AS n',
  },
  {
    name: 'mariadb',
    fresh: freshMysql,
    driver: (db) => mysqlDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database }),
    whoAmI: 'SELECT CONNECTION_ID() AS id',
    kill: killMysqlConnection,
    echo: 'SELECT ? AS n',
  },
]

const outcome = async <T>(p: Promise<T>): Promise<{ ok: T } | { err: DbError }> => {
  try {
    return { ok: await p }
  } catch (e) {
    if (isDbError(e)) return { err: e }
    throw e
  }
}

describe.each(engines)('pool on $name', (engine) => {
  let db: FreshDatabase
  beforeAll(async () => {
    db = await engine.fresh()
  })
  afterAll(async () => {
    await db.drop()
  })

  it('1,000 concurrent borrowers with ~5% of connections killed: each succeeds or fails with ConnectionLost, and the pool recovers', async () => {
    const pool = createPool(engine.driver(db), { max: 10, acquireTimeoutMs: 20_000 })
    try {
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          outcome(
            pool.use(async (c) => {
              if (i % 20 === 7) {
                const me = await c.execute<{ id: number | string }>(engine.whoAmI)
                await engine.kill(Number(me.rows[0]!.id))
              }
              const r = await c.execute<{ n: number | string }>(engine.echo, [i])
              return Number(r.rows[0]!.n)
            }),
          ),
        ),
      )
      const failures = results.flatMap((r) => ('err' in r ? [r.err] : []))
      const successes = results.flatMap((r, i) => ('ok' in r ? [[r.ok, i]] : []))
      for (const [n, i] of successes) expect(n).toBe(i)
      expect(failures.map((e) => e._tag).filter((t) => t !== 'ConnectionLost')).toEqual([])
      // The kills really happened (a kill can race the next statement, so not all 50 need fail).
      expect(failures.length).toBeGreaterThan(25)
      expect(failures.length).toBeLessThanOrEqual(50)
      expect(pool.stats()).toMatchObject({ borrowed: 0, pending: 0 })
      expect(pool.stats().size).toBeLessThanOrEqual(10)

      // Kill every connection while idle in the pool: validation on borrow replaces them.
      const idle: number[] = []
      const held = await Promise.all(Array.from({ length: 10 }, () => pool.acquire()))
      for (const c of held) idle.push(Number((await c.execute<{ id: number | string }>(engine.whoAmI)).rows[0]!.id))
      await Promise.all(held.map((c) => pool.release(c)))
      await Promise.all(idle.map((id) => engine.kill(id)))
      await new Promise((r) => setTimeout(r, 200))
      const after = await Promise.all(
        Array.from({ length: 100 }, (_, i) => pool.use((c) => c.execute<{ n: number | string }>(engine.echo, [i]))),
      )
      expect(after.map((r) => Number(r.rows[0]!.n))).toEqual(Array.from({ length: 100 }, (_, i) => i))
      expect(pool.stats()).toMatchObject({ borrowed: 0, pending: 0 })
    } finally {
      await pool.close()
    }
  })

  it('acquire timeout fires within its bound when all connections are busy', async () => {
    const pool = createPool(engine.driver(db), { max: 2, acquireTimeoutMs: 300 })
    try {
      const held = await Promise.all([pool.acquire(), pool.acquire()])
      const started = Date.now()
      const r = await outcome(pool.acquire())
      const waited = Date.now() - started
      expect('err' in r && r.err._tag).toBe('AcquireTimeout')
      expect(waited).toBeGreaterThanOrEqual(290)
      expect(waited).toBeLessThan(3000)
      await Promise.all(held.map((c) => pool.release(c)))
      expect((await pool.use((c) => c.execute(engine.echo, [1]))).rows).toHaveLength(1)
    } finally {
      await pool.close()
    }
  })

  it('database down: every acquire rejects with the connection error as its cause', async () => {
    const port = await freePort() // nothing listens here
    let attempts = 0
    const down = engine.driver({ ...db, port })
    const counting: Driver = { dialect: down.dialect, connect: () => (attempts++, down.connect()) }
    const pool = createPool(counting, { max: 5, acquireTimeoutMs: 800, initialBackoffMs: 50, maxBackoffMs: 500 })
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => outcome(pool.acquire())))
      for (const r of results) {
        expect('err' in r).toBe(true)
        if (!('err' in r)) continue
        expect(r.err._tag).toBe('AcquireTimeout')
        const cause = r.err.cause
        expect(isDbError(cause) && cause._tag).toBe('ConnectFailed')
        expect(String((cause as DbError).cause)).toMatch(/ECONNREFUSED/)
      }
      expect(attempts).toBeGreaterThan(0)
      expect(attempts).toBeLessThan(60)
    } finally {
      await pool.close()
    }
  })
})
