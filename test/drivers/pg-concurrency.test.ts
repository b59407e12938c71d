/**
 * Errors that need two real sessions racing on the PostgreSQL server:
 * deadlock (the server's deadlock_timeout is 100ms in the test harness),
 * serialization failure between SERIALIZABLE transactions, lock_timeout
 * and statement_timeout.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import pg from 'pg'
import { pgDriver } from '../../src/drivers/pg/index.js'
import type { Connection, Driver } from '../../src/drivers/driver.js'
import type { DbError } from '../../src/drivers/errors.js'
import { freshPostgres, type FreshDatabase } from '../support/databases.js'

let db: FreshDatabase
let driver: Driver
let a: Connection
let b: Connection

beforeAll(async () => {
  db = await freshPostgres()
  driver = pgDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  const setup = await driver.connect()
  await setup.execute('CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)')
  await setup.close()
})
afterAll(() => db.drop())

beforeEach(async () => {
  ;[a, b] = await Promise.all([driver.connect(), driver.connect()])
  await a.execute('TRUNCATE accounts')
  await a.execute('INSERT INTO accounts VALUES (1, 100), (2, 100)')
})
afterEach(async () => {
  await Promise.all([a.close(), b.close()])
})

/**
 * Settle a statement; a failure inside a transaction rolls it back so the
 * other session can go on (a failed COMMIT has already ended it).
 */
const settle = (conn: Connection, p: Promise<unknown>): Promise<{ error?: DbError; stateAtError?: string }> =>
  p.then(
    () => ({}),
    async (error: unknown) => {
      const stateAtError = conn.state
      if (stateAtError === 'failed') await conn.rollback()
      return { error: error as DbError, stateAtError }
    },
  )

describe('pg concurrency errors', () => {
  it('a real deadlock: exactly one session is the victim, with Deadlock (40P01, retryable)', async () => {
    await a.begin()
    await b.begin()
    await a.execute('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [1])
    await b.execute('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [2])
    // Each now waits for the row the other holds.
    const sql = 'UPDATE accounts SET balance = balance + 1 WHERE id = $1'
    const [ra, rb] = await Promise.all([settle(a, a.execute(sql, [2])), settle(b, b.execute(sql, [1]))])
    const victims = [ra, rb].filter((r) => r.error !== undefined)
    expect(victims).toHaveLength(1)
    const v = victims[0]!
    expect(v.error).toMatchObject({ _tag: 'Deadlock', retryable: true, code: '40P01', sql, params: ['<number>'] })
    expect(v.error?.cause).toBeInstanceOf(pg.DatabaseError)
    expect(v.stateAtError).toBe('failed')
    // The survivor's work is intact and commits.
    const survivor = ra.error === undefined ? a : b
    expect(survivor.state).toBe('active')
    await survivor.commit()
    const r = await a.execute<{ total: number }>('SELECT sum(balance)::int AS total FROM accounts')
    expect(r.rows).toEqual([{ total: 200 }])
  })

  it('a read-write dependency cycle between SERIALIZABLE transactions is SerializationFailure (40001)', async () => {
    const errors: DbError[] = []
    const step = async (conn: Connection, f: () => Promise<unknown>): Promise<void> => {
      if (conn.state !== 'active') return // this one already failed and was rolled back
      const r = await settle(conn, f())
      if (r.error !== undefined) errors.push(r.error)
    }
    await a.begin({ isolation: 'serializable' })
    await b.begin({ isolation: 'serializable' })
    // Write skew: each reads the total, then writes a row the other's read covered.
    await step(a, () => a.execute('SELECT sum(balance) FROM accounts'))
    await step(b, () => b.execute('SELECT sum(balance) FROM accounts'))
    await step(a, () => a.execute('UPDATE accounts SET balance = balance - 150 WHERE id = $1', [1]))
    await step(b, () => b.execute('UPDATE accounts SET balance = balance - 150 WHERE id = $1', [2]))
    await step(a, () => a.commit())
    await step(b, () => b.commit())
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ _tag: 'SerializationFailure', retryable: true, code: '40001' })
    expect(errors[0]?.cause).toBeInstanceOf(pg.DatabaseError)
    expect([a.state, b.state]).toEqual(['idle', 'idle'])
    const r = await a.execute<{ total: number }>('SELECT sum(balance)::int AS total FROM accounts')
    expect(r.rows).toEqual([{ total: 50 }]) // one withdrawal went through, not both
  })

  it("waiting past lock_timeout for a row another session holds is LockTimeout (55P03)", async () => {
    await a.begin()
    await a.execute('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', [1])
    await b.execute("SET lock_timeout = '100ms'")
    const started = Date.now()
    const sql = 'UPDATE accounts SET balance = 0 WHERE id = $1'
    const e = await b.execute(sql, [1]).catch((x: unknown) => x as DbError)
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
    expect(e).toMatchObject({ _tag: 'LockTimeout', retryable: true, code: '55P03', sql, params: ['<number>'] })
    expect(b.state).toBe('idle')
    await a.rollback()
    await expect(b.execute(sql, [1])).resolves.toMatchObject({ affectedRows: 1 })
  })

  it('a statement cancelled by statement_timeout is LockTimeout (57014) and the session stays usable', async () => {
    await b.execute("SET statement_timeout = '50ms'")
    const e = await b.execute('SELECT pg_sleep(5)').catch((x: unknown) => x as DbError)
    expect(e).toMatchObject({ _tag: 'LockTimeout', retryable: true, code: '57014', sql: 'SELECT pg_sleep(5)' })
    await expect(b.execute('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] })
  })
})
