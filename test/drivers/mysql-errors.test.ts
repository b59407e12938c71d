/**
 * classifyMysql on real failing statements against MariaDB: each error
 * class is provoked by the engine itself and checked for its tag, retry
 * verdict, errno, constraint name, SQL, redacted parameters and cause.
 * (Errors that need two connections are in mysql-concurrency.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshMysql, type FreshDatabase } from '../support/databases.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import type { Connection, Param } from '../../src/drivers/driver.js'
import type { DbError } from '../../src/drivers/errors.js'
import { failure } from '../support/failure.js'

let db: FreshDatabase
let conn: Connection


/** Run a failing statement and return the error, checking what every error must carry. */
const failing = async (sql: string, params: ReadonlyArray<Param> = []): Promise<DbError> => {
  const e = await failure(conn.execute(sql, params))
  expect(e).toBeInstanceOf(Error)
  expect(e.dialect).toBe('mysql')
  expect(e.sql).toBe(sql)
  expect((e.cause as { errno?: number }).errno).toBe(Number(e.code))
  return e
}

beforeAll(async () => {
  db = await freshMysql()
  conn = await mysqlDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database }).connect()
  await conn.execute('CREATE TABLE parent (id INT PRIMARY KEY, email VARCHAR(50) NOT NULL, CONSTRAINT uq_email UNIQUE (email))')
  await conn.execute(
    'CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, qty INT NOT NULL DEFAULT 1, note VARCHAR(5),' +
      ' CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id),' +
      ' CONSTRAINT chk_qty_positive CHECK (qty > 0))',
  )
  await conn.execute('INSERT INTO parent VALUES (1, ?)', ['a@b.c'])
  await conn.execute('INSERT INTO child (id, parent_id) VALUES (1, 1)')
})

afterAll(async () => {
  await conn?.close()
  await db?.drop()
})

describe('classifyMysql on real MariaDB errors', () => {
  it('UniqueViolation names the key and redacts the duplicate value', async () => {
    const e = await failing('INSERT INTO parent VALUES (?, ?)', [2, 'a@b.c'])
    expect(e).toMatchObject({ _tag: 'UniqueViolation', retryable: false, code: '1062', constraint: 'uq_email', params: ['<number>', '<string(5)>'] })
    expect(e.message).not.toContain('a@b.c')
    expect((e.cause as Error).message).toContain('a@b.c')
    const pk = await failing('INSERT INTO parent VALUES (?, ?)', [1, 'x@y.z'])
    expect(pk).toMatchObject({ _tag: 'UniqueViolation', constraint: 'PRIMARY' })
  })

  it('shows values when the driver opts in', async () => {
    const shown = await mysqlDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database, showParams: true }).connect()
    const e = await failure(shown.execute('INSERT INTO parent VALUES (?, ?)', [2, 'a@b.c']))
    expect(e.params).toEqual(['2', '"a@b.c"'])
    expect(e.message).toContain("'a@b.c'")
    await shown.close()
  })

  it('ForeignKeyViolation for an orphan child and for deleting a referenced parent', async () => {
    const orphan = await failing('INSERT INTO child (id, parent_id) VALUES (?, ?)', [2, 99])
    expect(orphan).toMatchObject({ _tag: 'ForeignKeyViolation', retryable: false, code: '1452', constraint: 'fk_child_parent' })
    const parent = await failing('DELETE FROM parent WHERE id = ?', [1])
    expect(parent).toMatchObject({ _tag: 'ForeignKeyViolation', code: '1451', constraint: 'fk_child_parent', params: ['<number>'] })
  })

  it('NotNullViolation for an explicit NULL and for a missing value without default', async () => {
    const explicit = await failing('INSERT INTO child (id, qty) VALUES (?, ?)', [3, null])
    expect(explicit).toMatchObject({ _tag: 'NotNullViolation', retryable: false, code: '1048', params: ['<number>', 'null'] })
    const missing = await failing('INSERT INTO parent (id) VALUES (?)', [3])
    expect(missing).toMatchObject({ _tag: 'NotNullViolation', code: '1364' })
  })

  it('CheckViolation names the CHECK constraint', async () => {
    const e = await failing('INSERT INTO child (id, qty) VALUES (?, ?)', [4, -1])
    expect(e).toMatchObject({ _tag: 'CheckViolation', retryable: false, code: '4025', constraint: 'chk_qty_positive' })
  })

  it('SyntaxError for parse errors and unknown tables or columns', async () => {
    expect(await failing('SELEKT 1')).toMatchObject({ _tag: 'SyntaxError', retryable: false, code: '1064', params: [] })
    expect(await failing('SELECT * FROM nope')).toMatchObject({ _tag: 'SyntaxError', code: '1146' })
    expect(await failing('SELECT nope FROM parent WHERE id = ?', [1])).toMatchObject({ _tag: 'SyntaxError', code: '1054' })
  })

  it('Unsupported for a feature MariaDB lacks', async () => {
    const e = await failing('SELECT id FROM parent WHERE id IN (SELECT id FROM parent LIMIT 1)')
    expect(e).toMatchObject({ _tag: 'Unsupported', retryable: false, code: '1235' })
    expect((e as DbError & { feature: string }).feature).toContain('LIMIT & IN/ALL/ANY/SOME subquery')
  })

  it('LockTimeout for a statement that exceeds max_statement_time (1969)', async () => {
    const e = await failing('SET STATEMENT max_statement_time = 0.05 FOR SELECT SLEEP(2)')
    expect(e).toMatchObject({ _tag: 'LockTimeout', retryable: true, code: '1969' })
  })

  it('DataException for a value that does not fit (strict mode): too long, out of range, not a number, division by zero', async () => {
    const e = await failing('INSERT INTO child (id, note) VALUES (?, ?)', [5, 'far too long'])
    expect(e).toMatchObject({ _tag: 'DataException', retryable: false, code: '1406', constraint: undefined })
    expect((e.cause as { code?: string }).code).toBe('ER_DATA_TOO_LONG')
    expect(await failing('INSERT INTO child (id, note) VALUES (?, ?)', [3_000_000_000, 'x'])).toMatchObject({ _tag: 'DataException', code: '1264' })
    expect(await failing("INSERT INTO child (id, note) VALUES ('abc', 'x')")).toMatchObject({ _tag: 'DataException', code: '1366' })
    expect(await failing('INSERT INTO child (id, note) VALUES (1 % 0, ?)', ['x'])).toMatchObject({ _tag: 'DataException', code: '1365' })
  })

  it('Unknown keeps anything else, with its errno and cause', async () => {
    // Not one of the classified failures: a SIGNAL with a state of the user's own.
    const e = await failing("SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'custom'")
    expect(e).toMatchObject({ _tag: 'Unknown', retryable: false, code: '1644', constraint: undefined, message: expect.stringContaining('custom') })
  })

  it('a failed statement inside a transaction moves it to failed; rollback recovers', async () => {
    await conn.begin()
    await failing('INSERT INTO parent VALUES (?, ?)', [1, 'dup@x.y'])
    expect(conn.state).toBe('failed')
    expect((await failure(conn.execute('SELECT 1')))._tag).toBe('InvalidState')
    await conn.rollback()
    expect(conn.state).toBe('idle')
    expect((await conn.execute('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
  })
})
