/**
 * Streaming large results from MariaDB through the MySQL driver: the
 * socket is paused while the consumer is slow (the server blocks instead of
 * the client buffering everything), an early `break` drains the rest and
 * leaves the connection usable with its transaction intact, and failures
 * (bad SQL, a killed session) end the stream with a classified error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshMysql, killMysqlConnection, type FreshDatabase } from '../support/databases.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import type { Connection, Driver } from '../../src/drivers/driver.js'
import type { DbError } from '../../src/drivers/errors.js'

let db: FreshDatabase
let driver: Driver
let conn: Connection
let observer: Connection

const N = 200_000
// The sequence engine's seq is BIGINT UNSIGNED, which arrives as a string (lossless default).
// ~210 bytes a row on the wire: about 42 MB in all, far more than socket buffers hold.
const WIDE = `SELECT seq, REPEAT('x', 200) AS pad FROM seq_1_to_${N}`
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const connectionId = async (c: Connection): Promise<number> =>
  Number((await c.execute<{ id: number }>('SELECT CONNECTION_ID() AS id')).rows[0]!.id)

const streamFailure = async (rows: AsyncIterable<unknown>): Promise<DbError> => {
  try {
    for await (const _ of rows) {
      // consume
    }
  } catch (e) {
    return e as DbError
  }
  throw new Error('expected the stream to fail')
}

beforeAll(async () => {
  db = await freshMysql()
  driver = mysqlDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  conn = await driver.connect()
  observer = await driver.connect()
  await conn.execute('CREATE TABLE log (id INT PRIMARY KEY)')
})

afterAll(async () => {
  await conn?.close()
  await observer?.close()
  await db?.drop()
})

describe('mysql stream', () => {
  it('streams 200k rows with bounded buffering: the server waits for a slow consumer', async () => {
    const id = await connectionId(conn)
    const heapBefore = process.memoryUsage().heapUsed
    let count = 0
    let last = 0
    let serverWhilePaused: ReadonlyArray<unknown> = []
    let heapWhilePaused = 0
    for await (const row of conn.stream<{ seq: string; pad: string }>(WIDE, [], { batchSize: 100 })) {
      count++
      expect(Number(row.seq)).toBe(last + 1)
      last = Number(row.seq)
      if (count === 10) {
        await sleep(500)
        heapWhilePaused = process.memoryUsage().heapUsed
        // Had the client kept reading, the server would have sent all 42 MB by now and be idle.
        serverWhilePaused = (
          await observer.execute<{ command: string }>('SELECT command FROM information_schema.processlist WHERE id = ?', [id])
        ).rows
      }
    }
    expect(count).toBe(N)
    expect(serverWhilePaused).toEqual([{ command: 'Query' }])
    // Holding every row as objects would take well over 50 MB; a paused socket holds a few hundred rows.
    expect(heapWhilePaused - heapBefore).toBeLessThan(32 * 1024 * 1024)
    expect(conn.state).toBe('idle')
  })

  it('streams a parameterised statement (prepared, binary protocol)', async () => {
    const seen: string[] = []
    for await (const row of conn.stream<{ seq: string }>('SELECT seq FROM seq_1_to_1000 WHERE seq > ? AND seq <= ?', [990, 995n])) seen.push(row.seq)
    expect(seen).toEqual(['991', '992', '993', '994', '995'])
  })

  it('drains the rest after an early break: the connection and its transaction stay usable', async () => {
    await conn.begin()
    await conn.execute('INSERT INTO log VALUES (?)', [1])
    let count = 0
    for await (const _ of conn.stream(WIDE, [], { batchSize: 50 })) {
      if (++count === 100) break
    }
    expect(conn.state).toBe('active')
    // The next statement runs at once on the same session: nothing of the old result is left on the wire.
    expect((await conn.execute('SELECT ? AS one', [1])).rows).toEqual([{ one: 1 }])
    await conn.execute('INSERT INTO log VALUES (?)', [2])
    await conn.commit()
    expect((await observer.execute('SELECT id FROM log ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }])
  })

  it('fails a stream on bad SQL with a classified error and keeps the connection', async () => {
    const e = await streamFailure(conn.stream('SELECT nope FROM seq_1_to_10 WHERE seq > ?', [1]))
    expect(e).toMatchObject({ _tag: 'SyntaxError', code: '1054', sql: 'SELECT nope FROM seq_1_to_10 WHERE seq > ?', params: ['<number>'] })
    const text = await streamFailure(conn.stream('SELEKT 1'))
    expect(text).toMatchObject({ _tag: 'SyntaxError', code: '1064' })
    expect(conn.state).toBe('idle')
    expect((await conn.execute('SELECT 2 AS two')).rows).toEqual([{ two: 2 }])
  })

  it('ends with ConnectionLost, not a hang, when the session is killed mid-stream', async () => {
    const victim = await driver.connect()
    const id = await connectionId(victim)
    let count = 0
    const e = await streamFailure(
      (async function* () {
        for await (const row of victim.stream(WIDE, [], { batchSize: 100 })) {
          if (++count === 10) await killMysqlConnection(id)
          yield row
        }
      })(),
    )
    expect(e).toMatchObject({ _tag: 'ConnectionLost', retryable: true })
    expect(count).toBeLessThan(N)
    expect(victim.state).toBe('closed')
    await victim.close()
  })
})
