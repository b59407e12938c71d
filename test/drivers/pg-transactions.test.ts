/**
 * Transactions on the real PostgreSQL server, observed from a second
 * session: commit/rollback visibility, isolation level and read-only
 * actually applied, savepoint semantics with the 'failed' state, and
 * two-phase commit finished from another connection.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { pgDriver } from '../../src/drivers/pg/index.js'
import type { Connection, Driver, IsolationLevel } from '../../src/drivers/driver.js'
import { freshPostgres, type FreshDatabase } from '../support/databases.js'

let db: FreshDatabase
let driver: Driver
let c: Connection
let other: Connection

const ids = async (conn: Connection): Promise<number[]> =>
  (await conn.execute<{ id: number }>('SELECT id FROM notes ORDER BY id')).rows.map((r) => r.id)
// Prepared xids are server-wide: make them unique across concurrently running test files.
const xid = (label: string): string => `q-${label}-${randomBytes(4).toString('hex')}`

beforeAll(async () => {
  db = await freshPostgres()
  driver = pgDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  const setup = await driver.connect()
  await setup.execute('CREATE TABLE notes (id int PRIMARY KEY)')
  await setup.close()
})
beforeEach(async () => {
  ;[c, other] = await Promise.all([driver.connect(), driver.connect()])
  await c.execute('TRUNCATE notes')
})
afterEach(async () => {
  // A prepared transaction left behind would block dropping the database.
  for (const x of await other.listPrepared()) await other.rollbackPrepared(x)
  await Promise.all([c.close(), other.close()])
})
afterAll(() => db.drop())

describe('pg transactions', () => {
  it('commit makes writes visible to another session; rollback discards them', async () => {
    await c.begin()
    expect(c.state).toBe('active')
    await c.execute('INSERT INTO notes VALUES ($1)', [1])
    expect(await ids(other)).toEqual([])
    await c.commit()
    expect(c.state).toBe('idle')
    expect(await ids(other)).toEqual([1])

    await c.begin()
    await c.execute('INSERT INTO notes VALUES ($1)', [2])
    await c.rollback()
    expect(c.state).toBe('idle')
    expect(await ids(other)).toEqual([1])
  })

  it.each<IsolationLevel>(['read uncommitted', 'read committed', 'repeatable read', 'serializable'])(
    'begin applies isolation level %s',
    async (isolation) => {
      await c.begin({ isolation })
      const r = await c.execute<{ transaction_isolation: string }>('SHOW transaction_isolation')
      expect(r.rows).toEqual([{ transaction_isolation: isolation }])
      await c.commit()
      // Per transaction only: the next one is back to the default.
      const after = await c.execute<{ transaction_isolation: string }>('SHOW transaction_isolation')
      expect(after.rows).toEqual([{ transaction_isolation: 'read committed' }])
    },
  )

  it('a read-only transaction refuses writes (25006) and becomes failed', async () => {
    await c.begin({ isolation: 'repeatable read', readOnly: true })
    const ro = await c.execute<{ transaction_read_only: string }>('SHOW transaction_read_only')
    expect(ro.rows).toEqual([{ transaction_read_only: 'on' }])
    await expect(c.execute('INSERT INTO notes VALUES ($1)', [1])).rejects.toMatchObject({ code: '25006', retryable: false })
    expect(c.state).toBe('failed')
    await expect(c.execute('SELECT 1')).rejects.toMatchObject({ _tag: 'InvalidState', state: 'failed' })
    await expect(c.commit()).rejects.toMatchObject({ _tag: 'InvalidState' })
    await c.rollback()
    expect(c.state).toBe('idle')
    expect(await ids(other)).toEqual([])
  })

  it('rollback to a savepoint recovers a failed transaction and keeps earlier work', async () => {
    await c.begin()
    await c.execute('INSERT INTO notes VALUES ($1)', [1])
    await c.savepoint('before_dup')
    expect(c.savepoints).toEqual(['before_dup'])
    await expect(c.execute('INSERT INTO notes VALUES ($1)', [1])).rejects.toMatchObject({ _tag: 'UniqueViolation' })
    expect(c.state).toBe('failed')
    await c.rollbackToSavepoint('before_dup')
    expect(c.state).toBe('active')
    expect(c.savepoints).toEqual(['before_dup']) // still open after rollback-to, as in SQL
    await c.execute('INSERT INTO notes VALUES ($1)', [2])
    await c.commit()
    expect(await ids(other)).toEqual([1, 2])
  })

  it('rollback to a savepoint undoes only the work after it; release keeps it', async () => {
    await c.begin()
    await c.execute('INSERT INTO notes VALUES (1)')
    await c.savepoint('outer')
    await c.execute('INSERT INTO notes VALUES (2)')
    await c.savepoint('Inner') // quoted: the case is kept
    await c.execute('INSERT INTO notes VALUES (3)')
    expect(c.savepoints).toEqual(['outer', 'Inner'])
    await c.rollbackToSavepoint('Inner')
    expect(await ids(c)).toEqual([1, 2])
    await c.releaseSavepoint('outer') // releases Inner too
    expect(c.savepoints).toEqual([])
    await expect(c.rollbackToSavepoint('outer')).rejects.toMatchObject({ _tag: 'InvalidState' })
    await c.commit()
    expect(await ids(other)).toEqual([1, 2])
  })

  it('two-phase: prepare, list, then commit from another connection', async () => {
    const id = xid('commit')
    await c.beginTwoPhase(id)
    await c.execute('INSERT INTO notes VALUES ($1)', [7])
    await c.prepare()
    expect(c.state).toBe('idle')
    expect(await other.listPrepared()).toContain(id)
    expect(await ids(other)).toEqual([]) // prepared is not committed
    await c.close() // the prepared transaction outlives its session
    await other.commitPrepared(id)
    expect(await ids(other)).toEqual([7])
    expect(await other.listPrepared()).not.toContain(id)
  })

  it('two-phase: rollbackPrepared discards the work', async () => {
    const id = xid('rollback')
    await c.beginTwoPhase(id, { isolation: 'serializable' })
    await c.execute('INSERT INTO notes VALUES ($1)', [8])
    await c.prepare()
    await other.rollbackPrepared(id)
    expect(await other.listPrepared()).not.toContain(id)
    expect(await ids(other)).toEqual([])
  })

  it('two-phase: commit() and rollback() before prepare end it like an ordinary transaction', async () => {
    await c.beginTwoPhase(xid('one-phase'))
    await c.execute('INSERT INTO notes VALUES ($1)', [9])
    await c.commit()
    expect(c.state).toBe('idle')
    await c.beginTwoPhase(xid('rolled-back'))
    await c.execute('INSERT INTO notes VALUES ($1)', [10])
    await c.rollback()
    expect(c.state).toBe('idle')
    expect(await ids(other)).toEqual([9])
    expect(await other.listPrepared()).toEqual([])
    // The session is outside any transaction: a plain one starts and commits.
    await c.begin()
    await c.execute('INSERT INTO notes VALUES ($1)', [11])
    await c.commit()
    expect(await ids(other)).toEqual([9, 11])
  })

  it('two-phase: a failed prepare rolls the transaction back and leaves the session clean', async () => {
    const id = xid('taken')
    await other.beginTwoPhase(id)
    await other.prepare()
    await c.beginTwoPhase(id)
    await c.execute('INSERT INTO notes VALUES ($1)', [12])
    await expect(c.prepare()).rejects.toMatchObject({ code: '42710' }) // transaction identifier already in use
    expect(c.state).toBe('idle')
    expect(await ids(c)).toEqual([])
    const r = await c.execute<{ status: string }>('SELECT pg_current_xact_id_if_assigned() IS NULL AS status')
    expect(r.rows).toEqual([{ status: true }]) // no transaction left open
    expect(await other.listPrepared()).toEqual([id])
  })

  it('two-phase: finishing an unknown xid fails with the server error (42704)', async () => {
    await expect(other.commitPrepared(xid('missing'))).rejects.toMatchObject({ _tag: 'SyntaxError', code: '42704' })
    expect(other.state).toBe('idle')
  })

  it('transaction moves the state does not allow are refused before anything is sent', async () => {
    await expect(c.commit()).rejects.toMatchObject({ _tag: 'InvalidState', state: 'idle' })
    await expect(c.savepoint('sp')).rejects.toMatchObject({ _tag: 'InvalidState' })
    await expect(c.savepoint('bad name"; DROP TABLE notes; --')).rejects.toMatchObject({ _tag: 'InvalidState' })
    await expect(c.beginTwoPhase("x'; DROP TABLE notes; --")).rejects.toMatchObject({ _tag: 'InvalidState' })
    await c.begin()
    await expect(c.begin()).rejects.toMatchObject({ _tag: 'InvalidState', state: 'active' })
    await c.rollback()
    expect(await ids(other)).toEqual([])
  })
})
