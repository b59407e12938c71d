/**
 * Failures that need more than one session, on the real MariaDB: deadlock,
 * serializable conflicts, lock wait timeout, and connections killed by an
 * administrator (idle, and in the middle of a statement).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { freshMysql, killMysqlConnection, type FreshDatabase } from '../support/databases.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import type { Connection, Driver } from '../../src/drivers/driver.js'
import type { DbError } from '../../src/drivers/errors.js'
import { failure } from '../support/failure.js'

let db: FreshDatabase
let driver: Driver
let a: Connection
let b: Connection
let observer: Connection
/** Server ids of `a` and `b`, read before they can block. */
let idA: number


const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const connectionId = async (c: Connection): Promise<number> =>
  Number((await c.execute<{ id: number }>('SELECT CONNECTION_ID() AS id')).rows[0]!.id)

/**
 * Wait until session `id` is blocked on a row lock, so the next step really
 * conflicts. InnoDB refreshes information_schema.innodb_trx only when it
 * was last read more than 0.1 s ago, so polling faster than that would
 * keep reading the same stale snapshot.
 */
const waitForLockWait = async (id: number): Promise<void> => {
  for (let i = 0; i < 40; i++) {
    await sleep(120)
    const r = await observer.execute(
      "SELECT 1 FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = ? AND trx_state = 'LOCK WAIT'",
      [id],
    )
    if (r.rows.length > 0) return
  }
  const all = await observer.execute('SELECT trx_mysql_thread_id, trx_state FROM information_schema.innodb_trx')
  throw new Error(`session ${id} never waited for a lock: ${JSON.stringify(all.rows)}`)
}

beforeAll(async () => {
  db = await freshMysql()
  driver = mysqlDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  observer = await driver.connect()
  await observer.execute('CREATE TABLE acct (id INT PRIMARY KEY, v INT NOT NULL)')
})

beforeEach(async () => {
  await observer.execute('DELETE FROM acct')
  await observer.execute('INSERT INTO acct VALUES (1, 100), (2, 100)')
  a = await driver.connect()
  b = await driver.connect()
  idA = await connectionId(a)
  return async () => {
    await a.close()
    await b.close()
  }
})

afterAll(async () => {
  await observer?.close()
  await db?.drop()
})

/** Of two concurrent statements exactly one must fail: return the failure and roll both back. */
const oneVictim = async (pa: Promise<unknown>, pb: Promise<unknown>): Promise<DbError> => {
  const [ra, rb] = await Promise.allSettled([pa, pb])
  const failures = [ra, rb].filter((r): r is PromiseRejectedResult => r.status === 'rejected')
  expect(failures).toHaveLength(1)
  await a.rollback()
  await b.rollback()
  return failures[0]!.reason as DbError
}

describe('mysql concurrency failures', () => {
  it('Deadlock: two transactions lock rows in opposite order', async () => {
    await a.begin()
    await b.begin()
    await a.execute('UPDATE acct SET v = v - 1 WHERE id = ?', [1])
    await b.execute('UPDATE acct SET v = v - 1 WHERE id = ?', [2])
    const pa = a.execute('UPDATE acct SET v = v + 1 WHERE id = ?', [2])
    await waitForLockWait(idA)
    const pb = b.execute('UPDATE acct SET v = v + 1 WHERE id = ?', [1])
    const e = await oneVictim(pa, pb)
    expect(e).toMatchObject({ _tag: 'Deadlock', retryable: true, code: '1213', sql: 'UPDATE acct SET v = v + 1 WHERE id = ?', params: ['<number>'] })
    expect((e.cause as { code?: string }).code).toBe('ER_LOCK_DEADLOCK')
  })

  it('serializable conflict: MariaDB reports it as a Deadlock (retryable)', async () => {
    // MariaDB has no serialization-failure error. Under SERIALIZABLE, InnoDB turns
    // plain SELECTs into locking reads (shared row locks), so "each reads a row, then
    // updates the row the other read" becomes a lock cycle that InnoDB breaks by
    // killing one transaction with ER_LOCK_DEADLOCK. Either way the answer to the
    // caller is the same as PostgreSQL's 40001: retry the whole transaction.
    await a.begin({ isolation: 'serializable' })
    await b.begin({ isolation: 'serializable' })
    expect((await a.execute('SELECT v FROM acct WHERE id = ?', [1])).rows).toEqual([{ v: 100 }])
    expect((await b.execute('SELECT v FROM acct WHERE id = ?', [2])).rows).toEqual([{ v: 100 }])
    const pa = a.execute('UPDATE acct SET v = ? WHERE id = ?', [0, 2])
    await waitForLockWait(idA)
    const pb = b.execute('UPDATE acct SET v = ? WHERE id = ?', [0, 1])
    const e = await oneVictim(pa, pb)
    expect(e).toMatchObject({ _tag: 'Deadlock', retryable: true, code: '1213' })
  })

  it('LockTimeout: waiting on a row another transaction holds', async () => {
    await a.begin()
    await a.execute('UPDATE acct SET v = 0 WHERE id = ?', [1])
    await b.execute('SET SESSION innodb_lock_wait_timeout = 1')
    await b.begin()
    const started = Date.now()
    const e = await failure(b.execute('UPDATE acct SET v = 1 WHERE id = ?', [1]))
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(e).toMatchObject({ _tag: 'LockTimeout', retryable: true, code: '1205', params: ['<number>'] })
    expect(b.state).toBe('failed')
    await b.rollback()
    await a.rollback()
  })

  it('ConnectionLost: a connection killed while idle fails its next statement and becomes closed', async () => {
    const id = await connectionId(a)
    await killMysqlConnection(id)
    // The server closes the idle socket; with no 'error' listener this would crash the process.
    await sleep(200)
    const e = await failure(a.execute('SELECT ? AS x', [1]))
    expect(e).toMatchObject({ _tag: 'ConnectionLost', retryable: true, sql: 'SELECT ? AS x' })
    expect(a.state).toBe('closed')
    expect((await failure(a.ping()))._tag).toBe('ConnectionLost')
  })

  it('ConnectionLost: a connection killed mid-statement, inside a transaction', async () => {
    await b.begin()
    const id = await connectionId(b)
    const running = failure(b.execute('SELECT SLEEP(5)'))
    await sleep(100)
    await killMysqlConnection(id)
    const e = await running
    expect(e).toMatchObject({ _tag: 'ConnectionLost', retryable: true, code: 'PROTOCOL_CONNECTION_LOST', sql: 'SELECT SLEEP(5)' })
    expect(b.state).toBe('closed')
    expect((await failure(b.commit()))._tag).toBe('InvalidState')
  })

  it('ping notices a connection killed while idle, for pool validation', async () => {
    await killMysqlConnection(await connectionId(a))
    await sleep(200)
    expect((await failure(a.ping()))._tag).toBe('ConnectionLost')
    expect(a.state).toBe('closed')
  })
})
