/**
 * Streaming through a pg-cursor portal on the real PostgreSQL server.
 * Back-pressure is observed on the server itself: each streamed row calls
 * nextval() on a sequence, and sequences are non-transactional, so a second
 * session sees exactly how many rows the server has produced so far. With
 * back-pressure that is never more than one batch ahead of the consumer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { pgDriver } from '../../src/drivers/pg/index.js'
import type { Connection, Driver } from '../../src/drivers/driver.js'
import type { DbError } from '../../src/drivers/errors.js'
import { freshPostgres, type FreshDatabase } from '../support/databases.js'

let db: FreshDatabase
let driver: Driver
const open: Connection[] = []

const connect = async (): Promise<Connection> => {
  const c = await driver.connect()
  open.push(c)
  return c
}
/** Rows the server has produced for the streamed query, seen from another session. */
const produced = async (observer: Connection, seq: string): Promise<number> => {
  const r = await observer.execute<{ n: string }>(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM ${seq}`)
  return Number(r.rows[0]!.n)
}
const openPortals = async (c: Connection): Promise<number> =>
  (await c.execute<{ n: number }>("SELECT count(*)::int AS n FROM pg_cursors WHERE name LIKE 'C\\_%'")).rows[0]!.n

beforeAll(async () => {
  db = await freshPostgres()
  driver = pgDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  const setup = await driver.connect()
  await setup.execute('CREATE SEQUENCE produced_all')
  await setup.execute('CREATE SEQUENCE produced_break')
  await setup.close()
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()))
})
afterAll(() => db.drop())

describe('pg driver: stream', () => {
  it('streams 100k rows in batches of 1000, never more than one batch ahead of the consumer', async () => {
    const [c, observer] = await Promise.all([connect(), connect()])
    const sql = "SELECT i, nextval('produced_all') AS n FROM generate_series(1, $1::int) AS s(i)"
    let consumed = 0
    let sum = 0
    let maxAhead = 0
    for await (const row of c.stream<{ i: number }>(sql, [100_000], { batchSize: 1000 })) {
      consumed++
      sum += row.i
      if (consumed % 9_999 === 0) {
        // The consumer is slow here (a round trip on another session): a client
        // that read ahead would let the server run on meanwhile.
        const ahead = (await produced(observer, 'produced_all')) - consumed
        maxAhead = Math.max(maxAhead, ahead)
      }
    }
    expect(consumed).toBe(100_000)
    expect(sum).toBe((100_000 * 100_001) / 2)
    expect(maxAhead).toBeGreaterThanOrEqual(0)
    expect(maxAhead).toBeLessThan(1000)
    expect(await produced(observer, 'produced_all')).toBe(100_000)
    expect(c.state).toBe('idle')
  })

  it('breaking out early stops the server, releases the portal, and the connection is usable', async () => {
    const [c, observer] = await Promise.all([connect(), connect()])
    await c.begin() // inside a transaction an unclosed portal would stay open until commit
    const sql = "SELECT i, nextval('produced_break') AS n FROM generate_series(1, 100000) AS s(i)"
    let consumed = 0
    for await (const _row of c.stream(sql, [], { batchSize: 1000 })) {
      if (++consumed === 1500) break
    }
    expect(consumed).toBe(1500)
    // Two batches were fetched; the rest was never produced.
    expect(await produced(observer, 'produced_break')).toBe(2000)
    expect(await openPortals(c)).toBe(0)
    expect(c.state).toBe('active')
    await expect(c.execute('SELECT 2 AS two')).resolves.toMatchObject({ rows: [{ two: 2 }] })
    // A second stream on the same connection works from the start.
    const again: number[] = []
    for await (const row of c.stream<{ i: number }>('SELECT i FROM generate_series(1, 5) AS s(i)', [], { batchSize: 2 })) again.push(row.i)
    expect(again).toEqual([1, 2, 3, 4, 5])
    await c.commit()
  })

  it('streams an empty result and a result that is an exact multiple of the batch size', async () => {
    const c = await connect()
    const none: unknown[] = []
    for await (const row of c.stream('SELECT 1 WHERE false')) none.push(row)
    expect(none).toEqual([])
    let n = 0
    for await (const _row of c.stream('SELECT i FROM generate_series(1, 10) AS s(i)', [], { batchSize: 5 })) n++
    expect(n).toBe(10)
    await expect(c.execute('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] })
  })

  it('a statement that fails mid-stream rejects with a classified error and leaves the connection usable', async () => {
    const c = await connect()
    const sql = 'SELECT 10 / (300 - i) AS q FROM generate_series(1, 1000) AS s(i)'
    let seen = 0
    const e = await (async () => {
      for await (const _row of c.stream(sql, [], { batchSize: 100 })) seen++
    })().catch((x: unknown) => x as DbError)
    expect(e).toMatchObject({ _tag: 'DataException', code: '22012', sql, params: [] })
    expect(seen).toBe(200) // the batches before the failing one were delivered
    expect(c.state).toBe('idle')
    await expect(c.execute('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] })
  })

  it('checks parameters and state before opening a portal', async () => {
    const c = await connect()
    const iterate = async (params: ReadonlyArray<unknown>): Promise<unknown> => {
      for await (const _row of c.stream('SELECT $1::int AS x', params as never)) return 'ran'
      return 'empty'
    }
    await expect(iterate([{}])).rejects.toMatchObject({ _tag: 'InvalidParameter', index: 0 })
    await expect(iterate([3])).resolves.toBe('ran')
    await c.close()
    await expect(iterate([3])).rejects.toMatchObject({ _tag: 'InvalidState', state: 'closed' })
  })

  it('a syntax error in a streamed statement is a SyntaxError, and ;-joined statements are refused', async () => {
    const c = await connect()
    const drain = async (sql: string): Promise<void> => {
      for await (const _row of c.stream(sql)) void _row
    }
    await expect(drain('SELEC 1')).rejects.toMatchObject({ _tag: 'SyntaxError', code: '42601' })
    await expect(drain('SELECT 1; SELECT 2')).rejects.toMatchObject({ _tag: 'SyntaxError', code: '42601' })
    await expect(c.execute('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] })
  })
})
