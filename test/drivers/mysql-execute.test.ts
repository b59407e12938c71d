/**
 * The MySQL driver's statement execution on the real MariaDB: results,
 * counts and generated ids, one statement per call, parameter binding and
 * rejection, round-trips of the scalar types, and connect failures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshMysql, type FreshDatabase } from '../support/databases.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import type { Connection, Driver, Param } from '../../src/drivers/driver.js'
import { failure } from '../support/failure.js'

let db: FreshDatabase
let driver: Driver
let conn: Connection


beforeAll(async () => {
  db = await freshMysql()
  driver = mysqlDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
  conn = await driver.connect()
  await conn.execute('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50))')
  await conn.execute(
    'CREATE TABLE vals (id INT PRIMARY KEY, big BIGINT, ubig BIGINT UNSIGNED, dec65 DECIMAL(65,0), at DATETIME(3), bytes VARBINARY(16), flag BOOLEAN)',
  )
})

afterAll(async () => {
  await conn?.close()
  await db?.drop()
})

describe('mysql execute', () => {
  it('returns rows for a result set and counts for writes', async () => {
    const ins = await conn.execute('INSERT INTO t (name) VALUES (?), (?)', ['a', 'b'])
    expect(ins.affectedRows).toBe(2)
    expect(ins.insertId).toBe(1) // the first id of a multi-row insert
    const one = await conn.execute('INSERT INTO t (name) VALUES (?)', ['c'])
    expect(one).toEqual({ rows: [], affectedRows: 1, insertId: 3 })
    const upd = await conn.execute('UPDATE t SET name = UPPER(name) WHERE id >= ?', [2])
    expect(upd.affectedRows).toBe(2)
    expect(upd.insertId).toBeUndefined()
    const sel = await conn.execute('SELECT id, name FROM t ORDER BY id')
    expect(sel.rows).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'B' },
      { id: 3, name: 'C' },
    ])
    expect(sel.affectedRows).toBe(0)
    const del = await conn.execute('DELETE FROM t WHERE id = ?', [3])
    expect(del).toEqual({ rows: [], affectedRows: 1, insertId: undefined })
    // A statement without a result set and without parameters goes through the text protocol.
    expect(await conn.execute("UPDATE t SET name = 'z' WHERE id = 999")).toEqual({ rows: [], affectedRows: 0, insertId: undefined })
  })

  it('counts the rows a statement with RETURNING wrote as its affected rows (MariaDB sends no header for it)', async () => {
    await conn.execute('INSERT INTO t (id, name) VALUES (?, ?), (?, ?)', [20, 'r1', 21, 'r2'])
    const del = await conn.execute('DELETE FROM t WHERE id IN (?, ?, ?) RETURNING id', [20, 21, 22])
    expect(del).toEqual({ rows: [{ id: 20 }, { id: 21 }], affectedRows: 2, insertId: undefined })
    // After comments, in any case; and a statement that wrote nothing counts 0.
    const ins = await conn.execute('/* a */ -- b\n insert INTO t (id, name) VALUES (?, ?) returning name', [23, 'r3'])
    expect(ins).toEqual({ rows: [{ name: 'r3' }], affectedRows: 1, insertId: undefined })
    expect((await conn.execute('DELETE FROM t WHERE id = ? RETURNING id', [999])).affectedRows).toBe(0)
    // A select is not a write, whatever its rows.
    expect((await conn.execute('SELECT id FROM t WHERE id = ?', [23])).affectedRows).toBe(0)
  })

  it('reports matched rows for an update that changes nothing (FOUND_ROWS, like PostgreSQL)', async () => {
    await conn.execute('INSERT INTO t (id, name) VALUES (?, ?)', [10, 'same'])
    const r = await conn.execute('UPDATE t SET name = ? WHERE id = ?', ['same', 10])
    expect(r.affectedRows).toBe(1)
  })

  it('never runs a second ;-joined statement, with or without parameters', async () => {
    await conn.execute('CREATE TABLE victim (id INT)')
    const text = await failure(conn.execute('SELECT 1; DROP TABLE victim'))
    expect(text._tag).toBe('SyntaxError')
    expect(text.code).toBe('1064')
    const prepared = await failure(conn.execute('SELECT ?; DROP TABLE victim', [1]))
    expect(prepared._tag).toBe('SyntaxError')
    const still = await conn.execute<{ n: string }>(
      "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'victim'",
    )
    expect(still.rows).toEqual([{ n: '1' }])
  })

  it('rejects objects and arrays as parameters before anything is sent', async () => {
    // knex CVE-2016-20018: mysql2 query() would expand { id: 1 } into `id` = 1, matching every row.
    const before = await conn.execute<{ n: string }>('SELECT COUNT(*) AS n FROM t')
    const obj = await failure(conn.execute('DELETE FROM t WHERE id = ?', [{ id: 1 } as unknown as Param]))
    expect(obj._tag).toBe('InvalidParameter')
    expect(obj).toMatchObject({ index: 0, sql: 'DELETE FROM t WHERE id = ?', params: ['null'] })
    const arr = await failure(conn.execute('DELETE FROM t WHERE id IN (?)', [[1, 2] as unknown as Param]))
    expect(arr._tag).toBe('InvalidParameter')
    expect((await conn.execute<{ n: string }>('SELECT COUNT(*) AS n FROM t')).rows).toEqual(before.rows)
    expect(conn.state).toBe('idle')
  })

  it('round-trips bigint, Date, Uint8Array and boolean parameters', async () => {
    const at = new Date('2024-02-29T23:59:58.123Z')
    const bytes = new Uint8Array([0, 1, 127, 128, 255])
    const huge = 10n ** 40n
    await conn.execute('INSERT INTO vals VALUES (?, ?, ?, ?, ?, ?, ?)', [1, 9007199254740993n, 2n ** 64n - 1n, huge, at, bytes, true])
    const r = await conn.execute<Record<string, unknown>>('SELECT * FROM vals WHERE big = ?', [9007199254740993n])
    expect(r.rows).toHaveLength(1)
    const row = r.rows[0]!
    expect(row['big']).toBe('9007199254740993')
    expect(row['ubig']).toBe('18446744073709551615')
    expect(row['dec65']).toBe(huge.toString())
    expect(row['at']).toEqual(at)
    expect(Buffer.isBuffer(row['bytes'])).toBe(true)
    expect([...(row['bytes'] as Buffer)]).toEqual([...bytes])
    expect(row['flag']).toBe(1)
    // The neighbour of a value past 2^53 does not match: bigint is bound exactly, not as a double.
    expect((await conn.execute('SELECT id FROM vals WHERE big = ?', [9007199254740992n])).rows).toEqual([])
    // ...and stays exact in arithmetic, where a string parameter would become a double.
    const sum = await conn.execute('SELECT ? + 1 AS s, ? AS b, ? AS f, ? AS d', [9007199254740993n, bytes, false, at])
    expect(sum.rows).toEqual([{ s: '9007199254740994', b: Buffer.from(bytes), f: 0, d: at }])
    // Bytes stay bytes even as a subarray view with an offset.
    const view = new Uint8Array([9, 9, 0, 255, 9]).subarray(2, 4)
    expect((await conn.execute('SELECT HEX(?) AS h', [view])).rows).toEqual([{ h: '00FF' }])
  })

  it('binds text exactly, however it looks', async () => {
    const tricky = ["'; DROP TABLE t; --", '\\', 'héllo 😀', '?', '']
    for (const s of tricky) expect((await conn.execute('SELECT ? AS s', [s])).rows).toEqual([{ s }])
    expect((await conn.execute('SELECT ? AS n', [null])).rows).toEqual([{ n: null }])
  })

  it('returns the first result set of a CALL', async () => {
    await conn.execute('CREATE PROCEDURE two_rows(IN x INT) SELECT x AS v UNION ALL SELECT x + 1')
    const r = await conn.execute('CALL two_rows(?)', [5])
    // x + 1 widens the union's column to BIGINT, which comes back as a string (lossless default).
    expect(r.rows).toEqual([{ v: '5' }, { v: '6' }])
  })

  it('keeps the prepared-statement cache bounded', async () => {
    const small = mysqlDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database, maxPreparedStatements: 8 })
    const c = await small.connect()
    const closes = async (): Promise<number> => {
      const r = await c.execute<{ Value: string }>("SHOW SESSION STATUS LIKE 'Com_stmt_close'")
      return Number(r.rows[0]!.Value)
    }
    const before = await closes()
    for (let i = 0; i < 40; i++) await c.execute(`SELECT ? + ${i} AS v`, [i])
    // Every statement past the eighth evicts (and closes on the server) the least recently used one.
    expect((await closes()) - before).toBe(32)
    await c.close()
  })

  it('reports a failed connect as ConnectFailed with the native cause', async () => {
    const bad = mysqlDriver({ host: db.host, port: db.port, user: db.user, password: 'wrong', database: db.database })
    const e = await failure(bad.connect())
    expect(e._tag).toBe('ConnectFailed')
    expect(e.retryable).toBe(true)
    expect(e.code).toBe('1045')
    expect((e.cause as { code?: string }).code).toBe('ER_ACCESS_DENIED_ERROR')
    const closed = mysqlDriver({ host: '127.0.0.1', port: 1, user: 'x' })
    const refused = await failure(closed.connect())
    expect(refused._tag).toBe('ConnectFailed')
    expect(refused.code).toBe('ECONNREFUSED')
  })

  it('closes idempotently and then refuses statements', async () => {
    const c = await driver.connect()
    await Promise.all([c.close(), c.close()])
    expect(c.state).toBe('closed')
    expect((await failure(c.execute('SELECT 1')))._tag).toBe('InvalidState')
  })
})
