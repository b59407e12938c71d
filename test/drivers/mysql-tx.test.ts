/**
 * Transactions on the real MariaDB through the MySQL driver: visibility to a
 * second session, isolation level and read-only actually applied, savepoints
 * after a failed statement, and XA two-phase commit across connections.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import mysql from 'mysql2/promise'
import { freshMysql, type FreshDatabase } from '../support/databases.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import type { Connection, Driver } from '../../src/drivers/driver.js'
import type { DbError } from '../../src/drivers/errors.js'
import { failure } from '../support/failure.js'

let db: FreshDatabase
let driver: Driver
let a: Connection
let b: Connection


/** XA ids are server-wide: make each test's unique. */
const newXid = (): string => `quarry-${randomBytes(6).toString('hex')}`

const ids = async (c: Connection): Promise<number[]> =>
  (await c.execute<{ id: number }>('SELECT id FROM items ORDER BY id')).rows.map((r) => r.id)

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * The isolation level and access mode InnoDB really uses for this session's
 * open transaction. InnoDB serves innodb_trx from a snapshot refreshed at
 * most every 0.1 s, so wait that long first or we may read the previous
 * transaction's row.
 */
const trxInfo = async (c: Connection): Promise<{ level: string; readOnly: number } | undefined> => {
  await sleep(150)
  const r = await c.execute<{ level: string; readOnly: number }>(
    'SELECT trx_isolation_level AS level, trx_is_read_only AS readOnly FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()',
  )
  return r.rows[0]
}

beforeAll(async () => {
  db = await freshMysql()
  driver = mysqlDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  a = await driver.connect()
  b = await driver.connect()
  await a.execute('CREATE TABLE items (id INT PRIMARY KEY)')
})

beforeEach(async () => {
  // A failed test must not leave the next one inside its transaction.
  if (a.state === 'active' || a.state === 'failed') await a.rollback()
  await a.execute('DELETE FROM items')
})

afterAll(async () => {
  await a?.close()
  await b?.close()
  await db?.drop()
})

describe('mysql transactions', () => {
  it('hides uncommitted work from another session and shows it after commit', async () => {
    await a.begin()
    await a.execute('INSERT INTO items VALUES (?)', [1])
    expect(await ids(a)).toEqual([1])
    expect(await ids(b)).toEqual([])
    await a.commit()
    expect(a.state).toBe('idle')
    expect(await ids(b)).toEqual([1])
  })

  it('discards work on rollback', async () => {
    await a.begin()
    await a.execute('INSERT INTO items VALUES (?)', [2])
    await a.rollback()
    expect(await ids(b)).toEqual([])
  })

  it('applies the isolation level to that transaction only', async () => {
    await a.begin({ isolation: 'read committed' })
    await ids(a) // InnoDB starts the transaction at its first read
    // @@tx_isolation is the session default; the running transaction's level is in innodb_trx.
    expect((await a.execute('SELECT @@tx_isolation AS s')).rows).toEqual([{ s: 'REPEATABLE-READ' }])
    expect(await trxInfo(a)).toEqual({ level: 'READ COMMITTED', readOnly: 0 })
    // Read committed really behaves so: b's commit is visible inside a's transaction.
    await b.execute('INSERT INTO items VALUES (?)', [3])
    expect(await ids(a)).toEqual([3])
    await a.commit()
    // SET TRANSACTION applied to that one transaction: the next is REPEATABLE READ again,
    // whose snapshot does not see b's later commit.
    await a.begin()
    expect(await ids(a)).toEqual([3])
    expect(await trxInfo(a)).toEqual({ level: 'REPEATABLE READ', readOnly: 0 })
    await b.execute('INSERT INTO items VALUES (?)', [4])
    expect(await ids(a)).toEqual([3])
    await a.commit()
    await a.begin({ isolation: 'serializable' })
    await ids(a)
    expect((await trxInfo(a))?.level).toBe('SERIALIZABLE')
    await a.rollback()
  })

  it('makes a read-only transaction refuse writes', async () => {
    await a.begin({ readOnly: true, isolation: 'repeatable read' })
    await ids(a)
    expect(await trxInfo(a)).toEqual({ level: 'REPEATABLE READ', readOnly: 1 })
    const e = await failure(a.execute('INSERT INTO items VALUES (?)', [4]))
    expect((e.cause as { errno?: number }).errno).toBe(1792) // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
    expect(a.state).toBe('failed')
    await a.rollback()
    expect(await ids(b)).toEqual([])
  })

  it('recovers from a failed statement by rolling back to a savepoint', async () => {
    await a.begin()
    await a.execute('INSERT INTO items VALUES (?)', [1])
    await a.savepoint('before_dup')
    await a.execute('INSERT INTO items VALUES (?)', [2])
    expect((await failure(a.execute('INSERT INTO items VALUES (?)', [1])))._tag).toBe('UniqueViolation')
    expect(a.state).toBe('failed')
    await a.rollbackToSavepoint('before_dup')
    expect(a.state).toBe('active')
    expect(a.savepoints).toEqual(['before_dup'])
    await a.execute('INSERT INTO items VALUES (?)', [5])
    await a.savepoint('inner')
    await a.releaseSavepoint('inner')
    expect(a.savepoints).toEqual(['before_dup'])
    await a.commit()
    // Work before the savepoint survived, work after it (2) was undone.
    expect(await ids(b)).toEqual([1, 5])
  })

  it('two-phase: prepare, list, then commit from another connection', async () => {
    const xid = newXid()
    await a.beginTwoPhase(xid)
    await a.execute('INSERT INTO items VALUES (?)', [7])
    await a.prepare()
    expect(a.state).toBe('idle')
    expect(await b.listPrepared()).toContain(xid)
    expect(await ids(b)).toEqual([])
    // The preparing connection is usable again (MariaDB would refuse table access
    // with XAER_RMFAIL while the branch is attached to its session).
    expect(await ids(a)).toEqual([])
    await b.commitPrepared(xid)
    expect(await ids(b)).toEqual([7])
    expect(await a.listPrepared()).not.toContain(xid)
  })

  it('two-phase: rollbackPrepared discards, and commitPrepared works on the preparing connection', async () => {
    const dropped = newXid()
    await a.beginTwoPhase(dropped)
    await a.execute('INSERT INTO items VALUES (?)', [8])
    await a.prepare()
    await b.rollbackPrepared(dropped)
    expect(await b.listPrepared()).not.toContain(dropped)
    const kept = newXid()
    await a.beginTwoPhase(kept, { isolation: 'read committed' })
    await a.execute('INSERT INTO items VALUES (?)', [9])
    await a.prepare()
    await a.commitPrepared(kept)
    expect(await ids(b)).toEqual([9])
  })

  it('two-phase: commits a branch the moment another client that prepared it disconnects', async () => {
    // MariaDB detaches a leaving session's branch during its cleanup, a moment after the
    // disconnect; the driver retries XAER_NOTA briefly rather than fail such a commit.
    for (let i = 0; i < 10; i++) {
      const xid = newXid()
      const other = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
      await other.query(`XA START '${xid}'`)
      await other.query('INSERT INTO items VALUES (?)', [100 + i])
      await other.query(`XA END '${xid}'`)
      await other.query(`XA PREPARE '${xid}'`)
      void other.end()
      await b.commitPrepared(xid)
    }
    expect((await ids(b)).length).toBe(10)
  })

  it('two-phase: unknown xids are errors, not silent successes', async () => {
    const e = await failure(b.commitPrepared(newXid()))
    expect(e.code).toBe('1397') // XAER_NOTA
    expect(b.state).toBe('idle')
  })

  it('two-phase: rollback() and commit() before prepare end the XA branch cleanly', async () => {
    const rolled = newXid()
    await a.beginTwoPhase(rolled)
    await a.execute('INSERT INTO items VALUES (?)', [10])
    await a.rollback()
    expect(a.state).toBe('idle')
    const committed = newXid()
    await a.beginTwoPhase(committed)
    await a.execute('INSERT INTO items VALUES (?)', [11])
    await a.commit() // one-phase XA commit
    // The session is free for an ordinary transaction again.
    await a.begin()
    await a.execute('INSERT INTO items VALUES (?)', [12])
    await a.commit()
    expect(await ids(b)).toEqual([11, 12])
    expect(await b.listPrepared()).not.toContain(rolled)
  })

  it('two-phase: rollback() after a deadlock in the branch leaves both sessions usable', async () => {
    await a.execute('INSERT INTO items VALUES (1), (2)')
    const [xa, xb] = [newXid(), newXid()]
    await a.beginTwoPhase(xa)
    await b.beginTwoPhase(xb)
    await a.execute('SELECT id FROM items WHERE id = 1 FOR UPDATE')
    await b.execute('SELECT id FROM items WHERE id = 2 FOR UPDATE')
    // Whichever of the two arrives second closes the cycle; InnoDB picks one victim.
    const results = await Promise.allSettled([
      a.execute('SELECT id FROM items WHERE id = 2 FOR UPDATE'),
      b.execute('SELECT id FROM items WHERE id = 1 FOR UPDATE'),
    ])
    const victims = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as DbError] : []))
    expect(victims.map((e) => e._tag)).toEqual(['Deadlock'])
    // The victim's branch is ROLLBACK ONLY: XA END fails (XAER_RMFAIL), XA ROLLBACK must still clear it.
    await a.rollback()
    await b.rollback()
    expect([a.state, b.state]).toEqual(['idle', 'idle'])
    for (const c of [a, b]) {
      await c.begin()
      await c.execute('SELECT id FROM items FOR UPDATE')
      await c.commit()
    }
    expect(await b.listPrepared()).not.toContain(xa)
    expect(await b.listPrepared()).not.toContain(xb)
  })

  it('two-phase: a failed prepare or one-phase commit rolls the branch back and leaves the session clean', async () => {
    for (const finish of [() => a.prepare(), () => a.commit()]) {
      const xid = newXid()
      await a.beginTwoPhase(xid)
      await a.execute('INSERT INTO items VALUES (?)', [14])
      // Ended behind the state machine's back, so the XA END that prepare/commit sends fails.
      await a.execute(`XA END '${xid}'`)
      expect((await failure(finish())).code).toBe('1399') // XAER_RMFAIL
      expect(a.state).toBe('idle')
      // Still in XA, the session would refuse START TRANSACTION with XAER_RMFAIL.
      await a.begin()
      expect(await ids(a)).toEqual([])
      await a.commit()
      expect(await b.listPrepared()).not.toContain(xid)
    }
  })

  it('two-phase: after prepare the connection continues on a fresh session', async () => {
    await a.execute('SET @quarry_marker = 1')
    const xid = newXid()
    await a.beginTwoPhase(xid)
    await a.execute('INSERT INTO items VALUES (?)', [15])
    await a.prepare()
    expect((await a.execute('SELECT @quarry_marker AS m')).rows).toEqual([{ m: null }])
    await a.rollbackPrepared(xid)
  })

  it('two-phase: read-only applies to the XA branch', async () => {
    const xid = newXid()
    await a.beginTwoPhase(xid, { readOnly: true })
    const e = await failure(a.execute('INSERT INTO items VALUES (?)', [13]))
    expect((e.cause as { errno?: number }).errno).toBe(1792)
    await a.rollback()
    expect(a.state).toBe('idle')
    expect(await ids(b)).toEqual([])
  })

  it('supports savepoints inside an XA branch, then prepares and commits it', async () => {
    const xid = newXid()
    await a.beginTwoPhase(xid)
    await a.execute('INSERT INTO items VALUES (?)', [21])
    await a.savepoint('sp')
    await a.execute('INSERT INTO items VALUES (?)', [22])
    await a.rollbackToSavepoint('sp')
    await a.prepare()
    await b.commitPrepared(xid)
    expect(await ids(b)).toEqual([21])
  })
})
