/**
 * The PostgreSQL driver's statement path on the real server: results and
 * affected rows, parameter binding, one statement per execution, parameter
 * checks that send nothing, and connect failures.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { pgDriver } from '../../src/drivers/pg/index.js'
import type { Connection, Driver } from '../../src/drivers/driver.js'
import { freshPostgres, type FreshDatabase } from '../support/databases.js'

let db: FreshDatabase
let driver: Driver
const open: Connection[] = []

const connect = async (): Promise<Connection> => {
  const c = await driver.connect()
  open.push(c)
  return c
}

beforeAll(async () => {
  db = await freshPostgres()
  driver = pgDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  const c = await driver.connect()
  await c.execute('CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, qty int NOT NULL DEFAULT 0)')
  await c.execute('CREATE TABLE victim (id int)')
  await c.close()
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()))
})
afterAll(() => db.drop())

describe('pg driver: execute', () => {
  it('reports rows, affectedRows for insert/update/delete and 0 for select', async () => {
    const c = await connect()
    expect(c.dialect).toBe('postgres')
    const ins = await c.execute('INSERT INTO items (name, qty) VALUES ($1, 1), ($2, 2), ($3, 3) RETURNING id', ['a', 'b', 'c'])
    expect(ins.affectedRows).toBe(3)
    expect(ins.rows).toHaveLength(3)
    expect(ins.insertId).toBeUndefined()
    const upd = await c.execute('UPDATE items SET qty = qty + 10 WHERE qty >= $1', [2])
    expect(upd).toEqual({ rows: [], affectedRows: 2, insertId: undefined })
    const sel = await c.execute<{ name: string; qty: number }>('SELECT name, qty FROM items ORDER BY name')
    expect(sel.rows).toEqual([
      { name: 'a', qty: 1 },
      { name: 'b', qty: 12 },
      { name: 'c', qty: 13 },
    ])
    expect(sel.affectedRows).toBe(0)
    const del = await c.execute('DELETE FROM items WHERE name <> $1', ['a'])
    expect(del.affectedRows).toBe(2)
    const ddl = await c.execute('CREATE TEMP TABLE scratch (x int)')
    expect(ddl).toEqual({ rows: [], affectedRows: 0, insertId: undefined })
  })

  it('binds every scalar kind and keeps pg default (lossless) parsing', async () => {
    const c = await connect()
    const big = 9007199254740993n // 2^53 + 1: not representable as a number
    const bytes = new Uint8Array([0, 1, 254, 255])
    const when = new Date('2024-02-29T12:34:56.789Z')
    const r = await c.execute('SELECT $1::int8 AS big, $2::bytea AS bytes, $3::timestamptz AS ts, $4::bool AS yes, $5::text AS nothing, $6::float8 AS num, $7::numeric AS dec', [
      big,
      bytes,
      when,
      true,
      null,
      1.5,
      '12345678901234567890.123456789',
    ])
    const row = r.rows[0]
    // int8 and numeric come back as strings: the mapping layer decodes them without loss.
    expect(row).toEqual({
      big: '9007199254740993',
      bytes: Buffer.from([0, 1, 254, 255]),
      ts: when,
      yes: true,
      nothing: null,
      num: 1.5,
      dec: '12345678901234567890.123456789',
    })
  })

  it('never runs a second ;-joined statement, with or without parameters', async () => {
    const c = await connect()
    await expect(c.execute('SELECT 1; DROP TABLE victim')).rejects.toMatchObject({
      _tag: 'SyntaxError',
      code: '42601',
      retryable: false,
      sql: 'SELECT 1; DROP TABLE victim',
    })
    await expect(c.execute('SELECT $1::int; DROP TABLE victim', [1])).rejects.toMatchObject({ _tag: 'SyntaxError' })
    const still = await c.execute("SELECT to_regclass('victim') IS NOT NULL AS present")
    expect(still.rows).toEqual([{ present: true }])
    expect(c.state).toBe('idle')
  })

  it('rejects object, array, NaN and undefined parameters with InvalidParameter and sends nothing', async () => {
    const c = await connect()
    await c.begin()
    const bad: ReadonlyArray<[unknown, number]> = [
      [{ toString: () => 'x' }, 1],
      [['a', 'b'], 1],
      [Number.NaN, 1],
      [undefined, 1],
    ]
    for (const [value, index] of bad) {
      const err = await c.execute('INSERT INTO items (name, qty) VALUES ($1, $2)', ['ok', value as number]).catch((e: unknown) => e)
      expect(err).toMatchObject({ _tag: 'InvalidParameter', index, retryable: false, sql: 'INSERT INTO items (name, qty) VALUES ($1, $2)' })
      // Had anything reached the server, the transaction would now be aborted ('failed').
      expect(c.state).toBe('active')
    }
    const n = await c.execute("SELECT count(*)::int AS n FROM items WHERE name = 'ok'")
    expect(n.rows).toEqual([{ n: 0 }])
    await c.rollback()
  })

  it('closes idempotently and then refuses statements with InvalidState', async () => {
    const c = await connect()
    await c.close()
    await c.close()
    expect(c.state).toBe('closed')
    await expect(c.execute('SELECT 1')).rejects.toMatchObject({ _tag: 'InvalidState' })
    await expect(c.ping()).rejects.toMatchObject({ _tag: 'ConnectionLost' })
  })

  it('answers ping on a live connection', async () => {
    const c = await connect()
    await expect(c.ping()).resolves.toBeUndefined()
    expect(typeof c.openedAt).toBe('number')
  })
})

describe('pg driver: connect failures', () => {
  it('a refused port is ConnectFailed (retryable) with the socket error as cause', async () => {
    const probe = pgDriver({ host: '127.0.0.1', port: 1, user: db.user, database: db.database })
    const err = await probe.connect().catch((e: unknown) => e)
    expect(err).toMatchObject({ _tag: 'ConnectFailed', retryable: true, dialect: 'postgres', code: 'ECONNREFUSED' })
    expect((err as Error).message).toContain('127.0.0.1:1/')
    expect((err as { cause: { code?: string } }).cause.code).toBe('ECONNREFUSED')
  })

  it('an unknown database is ConnectFailed with the server error (3D000) as cause', async () => {
    const probe = pgDriver({ host: db.host, port: db.port, user: db.user, password: 'secret-pw', database: 'no_such_db' })
    const err = await probe.connect().catch((e: unknown) => e)
    expect(err).toMatchObject({ _tag: 'ConnectFailed', retryable: true, code: '3D000' })
    expect((err as Error).message).not.toContain('secret-pw')
    expect((err as { cause: unknown }).cause).toBeInstanceOf(pg.DatabaseError)
  })

  it('a connection string password never appears in the error message', async () => {
    const probe = pgDriver({ connectionString: `postgres://someone:hunter2@127.0.0.1:1/${db.database}` })
    const err = await probe.connect().then(
      () => new Error('connected unexpectedly'),
      (e: unknown) => e as Error,
    )
    expect(err).toMatchObject({ _tag: 'ConnectFailed', code: 'ECONNREFUSED' })
    expect(err.message).toContain('someone:***@127.0.0.1:1')
    expect(err.message).not.toContain('hunter2')
  })

  it('an unknown role is ConnectFailed (28000)', async () => {
    const probe = pgDriver({ host: db.host, port: db.port, user: 'nobody_here', database: db.database })
    await expect(probe.connect()).rejects.toMatchObject({ _tag: 'ConnectFailed', code: '28000' })
  })
})
