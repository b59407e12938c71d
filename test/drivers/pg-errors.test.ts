/**
 * classifyPg against real failing statements: each error class is provoked
 * on the real PostgreSQL server and checked for its tag, retry verdict,
 * SQLSTATE, constraint, statement, redacted parameters and native cause.
 * Concurrency errors (deadlock, serialization, lock timeout) live in
 * pg-concurrency.test.ts, lost connections in pg-connection-lost.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { classifyPg, pgDriver } from '../../src/drivers/pg/index.js'
import type { Connection, Driver, Param } from '../../src/drivers/driver.js'
import { describe as describeError, type DbError } from '../../src/drivers/errors.js'
import { freshPostgres, type FreshDatabase } from '../support/databases.js'

let db: FreshDatabase
let driver: Driver
let c: Connection

const failing = async (sql: string, params: ReadonlyArray<Param> = []): Promise<DbError> => {
  const e = await c.execute(sql, params).then(
    () => undefined,
    (err: unknown) => err,
  )
  if (e === undefined) throw new Error(`expected ${sql} to fail`)
  return e as DbError
}

beforeAll(async () => {
  db = await freshPostgres()
  driver = pgDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  const setup = await driver.connect()
  await setup.execute('CREATE TABLE parents (id int PRIMARY KEY, email text CONSTRAINT parents_email_key UNIQUE)')
  await setup.execute(
    'CREATE TABLE kids (id int PRIMARY KEY, parent_id int NOT NULL CONSTRAINT kids_parent_fk REFERENCES parents (id), age int CONSTRAINT kids_age_check CHECK (age >= 0))',
  )
  await setup.execute("INSERT INTO parents VALUES (1, 'taken')")
  await setup.close()
})
afterAll(() => db.drop())

beforeAll(async () => {
  c = await driver.connect()
})
afterEach(() => {
  // Every failure leaves the autocommit connection usable.
  expect(c.state).toBe('idle')
})
afterAll(() => c.close())

describe('classifyPg on real statements', () => {
  it('unique violation: 23505 with constraint, redacted params and the pg error as cause', async () => {
    const sql = 'INSERT INTO parents (id, email) VALUES ($1, $2)'
    const e = await failing(sql, [2, 'taken'])
    expect(e).toMatchObject({
      _tag: 'UniqueViolation',
      retryable: false,
      dialect: 'postgres',
      code: '23505',
      constraint: 'parents_email_key',
      sql,
      params: ['<number>', '<string(5)>'],
    })
    expect(e).toBeInstanceOf(Error)
    expect(e.cause).toBeInstanceOf(pg.DatabaseError)
    expect((e.cause as pg.DatabaseError).code).toBe('23505')
    // The server's detail quotes the key value; quarry's message and description must not.
    expect((e.cause as pg.DatabaseError).detail).toContain('taken')
    expect(e.message).not.toContain('taken')
    expect(describeError(e)).not.toContain('taken')
  })

  it('foreign-key violation: 23503 with the constraint name', async () => {
    const e = await failing('INSERT INTO kids (id, parent_id) VALUES ($1, $2)', [1, 99])
    expect(e).toMatchObject({ _tag: 'ForeignKeyViolation', retryable: false, code: '23503', constraint: 'kids_parent_fk', params: ['<number>', '<number>'] })
  })

  it('not-null violation: 23502', async () => {
    const e = await failing('INSERT INTO kids (id, parent_id) VALUES ($1, $2)', [1, null])
    expect(e).toMatchObject({ _tag: 'NotNullViolation', retryable: false, code: '23502', params: ['<number>', 'null'] })
    expect(e.cause).toBeInstanceOf(pg.DatabaseError)
  })

  it('check violation: 23514 with the constraint name', async () => {
    const e = await failing('INSERT INTO kids (id, parent_id, age) VALUES ($1, $2, $3)', [1, 1, -4])
    expect(e).toMatchObject({ _tag: 'CheckViolation', retryable: false, code: '23514', constraint: 'kids_age_check' })
  })

  it.each([
    ['42601', 'SELEC 1'],
    ['42P01', 'SELECT * FROM no_such_table'],
    ['42703', 'SELECT no_such_column FROM parents'],
    ['42883', 'SELECT no_such_function(1)'],
    ['42804', "SELECT 1 WHERE 'x'::text"], // datatype_mismatch: the rest of class 42
  ])('class 42 (%s) is SyntaxError', async (code, sql) => {
    const e = await failing(sql)
    expect(e).toMatchObject({ _tag: 'SyntaxError', retryable: false, code, sql, params: [] })
    expect(e.cause).toBeInstanceOf(pg.DatabaseError)
  })

  it('feature_not_supported (0A000) is Unsupported, naming the feature', async () => {
    const e = await failing('SELECT count(*) FROM parents FOR UPDATE')
    expect(e).toMatchObject({ _tag: 'Unsupported', retryable: false, code: '0A000' })
    expect((e as DbError & { feature: string }).feature).toMatch(/FOR UPDATE/)
  })

  it('anything else is Unknown with the original attached (cardinality_violation, 21000)', async () => {
    const e = await failing('SELECT (SELECT 1 UNION ALL SELECT 2) AS x')
    expect(e).toMatchObject({ _tag: 'Unknown', retryable: false, code: '21000' })
    expect((e.cause as pg.DatabaseError).code).toBe('21000')
  })

  it('a data exception (SQLSTATE class 22) is DataException with the original attached (division by zero, 22012)', async () => {
    const e = await failing('SELECT 1 / $1::int', [0])
    expect(e).toMatchObject({ _tag: 'DataException', retryable: false, code: '22012', params: ['<number>'] })
    expect((e.cause as pg.DatabaseError).message).toBe('division by zero')
  })

  it('data exceptions do not leak the bad value through the message unless showParams', async () => {
    const e = await failing('SELECT $1::int', ['s3cret'])
    expect(e).toMatchObject({ _tag: 'DataException', code: '22P02', params: ['<string(6)>'] })
    expect(e.message).not.toContain('s3cret')
    expect((e.cause as Error).message).toContain('s3cret')

    const shown = await pgDriver({ host: db.host, port: db.port, user: db.user, database: db.database, showParams: true }).connect()
    try {
      const e2 = await shown.execute('SELECT $1::int', ['s3cret']).catch((x: unknown) => x as DbError)
      expect(e2).toMatchObject({ _tag: 'DataException', code: '22P02', params: ['"s3cret"'] })
      expect((e2 as DbError).message).toContain('s3cret')
    } finally {
      await shown.close()
    }
  })
})

describe('classifyPg on client-side failures', () => {
  // These come from node's socket layer or node-postgres itself, not from
  // the server; pg-connection-lost.test.ts provokes the real ones it can.
  it.each([
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [new Error('Connection terminated unexpectedly')],
    [new Error('Connection terminated')],
    [new Error('Client has encountered a connection error and is not queryable')],
    [new Error('Client was closed and is not queryable')],
  ])('%s is ConnectionLost', (native) => {
    const e = classifyPg(native, { sql: 'SELECT 1', params: ['x'] })
    expect(e).toMatchObject({ _tag: 'ConnectionLost', retryable: true, dialect: 'postgres', sql: 'SELECT 1', params: ['<string(1)>'] })
    expect(e.cause).toBe(native)
  })

  it('a non-Error value is Unknown and kept as cause', () => {
    const e = classifyPg('weird', {})
    expect(e).toMatchObject({ _tag: 'Unknown', message: 'weird', cause: 'weird', code: undefined })
  })
})
