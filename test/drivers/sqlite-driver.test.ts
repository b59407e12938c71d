import { afterEach, describe, expect, it } from 'vitest'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import { sqliteTx } from '../../src/drivers/sqlite/sqlite-driver.js'
import type { Connection } from '../../src/drivers/driver.js'
import { freshSqliteFile } from '../support/databases.js'
import { failure } from '../support/failure.js'

const open: Connection[] = []
const connect = async (filename = ':memory:', busyTimeoutMs = 5000): Promise<Connection> => {
  const c = await sqliteDriver({ filename, busyTimeoutMs }).connect()
  open.push(c)
  return c
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()))
})


const schema = async (c: Connection): Promise<void> => {
  await c.execute('CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER CONSTRAINT n_small CHECK (n < 10))')
  await c.execute('CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id))')
}

describe('sqlite driver: statements', () => {
  it('returns rows, affected rows and generated ids', async () => {
    const c = await connect()
    await schema(c)
    const ins = await c.execute('INSERT INTO parent (name, n) VALUES (?, ?), (?, ?)', ['a', 1, 'b', 2])
    expect(ins).toEqual({ rows: [], affectedRows: 2, insertId: 2 })
    const upd = await c.execute('UPDATE parent SET n = n + 1 WHERE n >= ?', [1])
    expect(upd.affectedRows).toBe(2)
    const sel = await c.execute('SELECT id, name, n FROM parent ORDER BY id')
    expect(sel).toEqual({ rows: [{ id: 1, name: 'a', n: 2 }, { id: 2, name: 'b', n: 3 }], affectedRows: 0, insertId: undefined })
    const ret = await c.execute('DELETE FROM parent WHERE id = ? RETURNING name', [2])
    expect(ret).toEqual({ rows: [{ name: 'b' }], affectedRows: 1, insertId: undefined })
  })

  it('never runs a second ;-joined statement', async () => {
    const c = await connect()
    await schema(c)
    const e = await failure(c.execute('SELECT 1; DROP TABLE parent'))
    expect(e._tag).toBe('SyntaxError')
    expect((await c.execute("SELECT count(*) AS n FROM sqlite_master WHERE name = 'parent'")).rows).toEqual([{ n: 1 }])
  })

  it('encodes booleans, dates, bigints and bytes', async () => {
    const c = await connect()
    const at = new Date('2024-02-29T12:34:56.789Z')
    const r = await c.execute('SELECT ? AS t, ? AS f, ? AS d, ? AS big, ? AS bytes', [true, false, at, 2n ** 62n, new Uint8Array([1, 2, 255])])
    expect(r.rows[0]).toEqual({ t: 1, f: 0, d: '2024-02-29T12:34:56.789Z', big: 2 ** 62, bytes: Buffer.from([1, 2, 255]) })
  })

  it('keeps 64-bit integers exact when asked (safeIntegers), rounds them by default', async () => {
    const exact = await sqliteDriver({ filename: ':memory:', safeIntegers: true }).connect()
    open.push(exact)
    const big = 2n ** 63n - 1n
    expect((await exact.execute('SELECT ? AS big, 7 AS small', [big])).rows).toEqual([{ big, small: 7n }])
    const c = await connect()
    expect((await c.execute('SELECT ? AS big', [2n ** 53n + 1n])).rows).toEqual([{ big: 2 ** 53 }])
  })

  it('rejects non-scalar parameters before running anything', async () => {
    const c = await connect()
    await schema(c)
    for (const bad of [{ id: 1 }, [1, 2], Number.NaN, undefined, new Date(Number.NaN)]) {
      const e = await failure(c.execute('INSERT INTO parent (name) VALUES (?)', [bad as never]))
      expect(e._tag).toBe('InvalidParameter')
      expect(e.retryable).toBe(false)
    }
    expect((await c.execute('SELECT count(*) AS n FROM parent')).rows).toEqual([{ n: 0 }])
  })

  it('turns foreign keys on for every connection', async () => {
    const c = await connect()
    expect((await c.execute('PRAGMA foreign_keys')).rows).toEqual([{ foreign_keys: 1 }])
  })

  it('streams rows lazily and stops cleanly on break', async () => {
    const c = await connect()
    const sql = 'WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT i FROM s'
    let seen = 0
    for await (const row of c.stream<{ i: number }>(sql, [1_000_000])) {
      seen = row.i
      if (seen === 1500) break
    }
    expect(seen).toBe(1500)
    // The statement was finalised: the connection runs the next one at once.
    expect((await c.execute('SELECT 7 AS x')).rows).toEqual([{ x: 7 }])
    let total = 0
    for await (const _ of c.stream(sql, [10_000])) total++
    expect(total).toBe(10_000)
  })
})

describe('sqlite driver: errors', () => {
  it('classifies constraint violations with the constraint and redacted params', async () => {
    const c = await connect()
    await schema(c)
    await c.execute('INSERT INTO parent (id, name) VALUES (1, ?)', ['alice'])
    const unique = await failure(c.execute('INSERT INTO parent (name) VALUES (?)', ['alice']))
    expect(unique).toMatchObject({ _tag: 'UniqueViolation', retryable: false, code: 'SQLITE_CONSTRAINT_UNIQUE', constraint: 'parent.name', params: ['<string(5)>'], sql: 'INSERT INTO parent (name) VALUES (?)' })
    expect(unique.cause).toBeInstanceOf(Error)
    const pk = await failure(c.execute('INSERT INTO parent (id, name) VALUES (?, ?)', [1, 'x']))
    expect(pk._tag).toBe('UniqueViolation')
    const fk = await failure(c.execute('INSERT INTO child (parent_id) VALUES (?)', [99]))
    expect(fk).toMatchObject({ _tag: 'ForeignKeyViolation', code: 'SQLITE_CONSTRAINT_FOREIGNKEY', params: ['<number>'] })
    const nn = await failure(c.execute('INSERT INTO parent (name) VALUES (?)', [null]))
    expect(nn).toMatchObject({ _tag: 'NotNullViolation', constraint: 'parent.name', params: ['null'] })
    const check = await failure(c.execute('INSERT INTO parent (name, n) VALUES (?, ?)', ['z', 11]))
    expect(check).toMatchObject({ _tag: 'CheckViolation', constraint: 'n_small' })
    const syntax = await failure(c.execute('SELEC 1'))
    expect(syntax).toMatchObject({ _tag: 'SyntaxError', retryable: false })
    const unknownTable = await failure(c.execute('SELECT * FROM nope'))
    expect(unknownTable._tag).toBe('SyntaxError')
  })

  it('classifies values that do not fit as DataException: sum() past 64 bits, a STRICT column of another type, a non-integer rowid', async () => {
    const c = await connect()
    await c.execute('CREATE TABLE big (v INTEGER)')
    await c.execute('INSERT INTO big VALUES (9223372036854775807), (1)')
    expect(await failure(c.execute('SELECT sum(v) AS s FROM big'))).toMatchObject({ _tag: 'DataException', retryable: false, code: 'SQLITE_ERROR' })
    await c.execute('CREATE TABLE strict_t (n INTEGER) STRICT')
    expect(await failure(c.execute('INSERT INTO strict_t VALUES (?)', ['abc']))).toMatchObject({ _tag: 'DataException', code: 'SQLITE_CONSTRAINT_DATATYPE' })
    await c.execute('CREATE TABLE keyed (id INTEGER PRIMARY KEY)')
    expect(await failure(c.execute('INSERT INTO keyed VALUES (?)', ['abc']))).toMatchObject({ _tag: 'DataException', code: 'SQLITE_MISMATCH' })
  })

  it('shows parameter values only when asked', async () => {
    const c = await sqliteDriver({ filename: ':memory:', showParams: true }).connect()
    open.push(c)
    await schema(c)
    await c.execute('INSERT INTO parent (name) VALUES (?)', ['alice'])
    const e = await failure(c.execute('INSERT INTO parent (name) VALUES (?)', ['alice']))
    expect(e.params).toEqual(['"alice"'])
  })

  it('reports a busy database as a retryable LockTimeout', async () => {
    const file = freshSqliteFile()
    const a = await connect(file)
    const b = await connect(file, 50)
    await a.execute('CREATE TABLE t (x INTEGER)')
    await a.begin()
    await a.execute('INSERT INTO t VALUES (1)')
    const e = await failure(b.begin())
    expect(e).toMatchObject({ _tag: 'LockTimeout', retryable: true })
    expect(b.state).toBe('idle')
    await a.commit()
    await b.begin()
    await b.execute('INSERT INTO t VALUES (2)')
    await b.commit()
    expect((await a.execute('SELECT count(*) AS n FROM t')).rows).toEqual([{ n: 2 }])
  })

  it('cannot open a missing read-only file: ConnectFailed', async () => {
    const e = await failure(sqliteDriver({ filename: '/nonexistent/dir/x.db', readonly: true }).connect())
    expect(e).toMatchObject({ _tag: 'ConnectFailed', retryable: true, dialect: 'sqlite' })
  })
})

describe('sqlite driver: transactions', () => {
  it('commits and rolls back, visible to another connection only after commit', async () => {
    const file = freshSqliteFile()
    const a = await connect(file)
    const b = await connect(file)
    await a.execute('CREATE TABLE t (x INTEGER)')
    await a.begin()
    await a.execute('INSERT INTO t VALUES (1)')
    expect((await b.execute('SELECT count(*) AS n FROM t')).rows).toEqual([{ n: 0 }])
    await a.commit()
    expect((await b.execute('SELECT count(*) AS n FROM t')).rows).toEqual([{ n: 1 }])
    await a.begin()
    await a.execute('INSERT INTO t VALUES (2)')
    await a.rollback()
    expect((await b.execute('SELECT count(*) AS n FROM t')).rows).toEqual([{ n: 1 }])
  })

  it('enforces read-only transactions and restores writes after', async () => {
    const c = await connect()
    await c.execute('CREATE TABLE t (x INTEGER)')
    await c.begin({ readOnly: true, isolation: 'serializable' })
    const e = await failure(c.execute('INSERT INTO t VALUES (1)'))
    expect(e._tag).not.toBe('InvalidState')
    expect(c.state).toBe('failed')
    await c.rollback()
    await c.execute('INSERT INTO t VALUES (1)')
    expect((await c.execute('SELECT count(*) AS n FROM t')).rows).toEqual([{ n: 1 }])
  })

  it('savepoints: a failure puts the transaction in failed state until rolled back to', async () => {
    const c = await connect()
    await schema(c)
    await c.begin()
    await c.execute("INSERT INTO parent (name) VALUES ('kept')")
    await c.savepoint('sp1')
    await c.execute("INSERT INTO parent (name) VALUES ('undone')")
    await failure(c.execute("INSERT INTO parent (name) VALUES ('kept')"))
    expect(c.state).toBe('failed')
    const blocked = await failure(c.execute('SELECT 1'))
    expect(blocked._tag).toBe('InvalidState')
    await c.rollbackToSavepoint('sp1')
    expect(c.state).toBe('active')
    expect(c.savepoints).toEqual(['sp1'])
    await c.releaseSavepoint('sp1')
    expect(c.savepoints).toEqual([])
    await c.commit()
    expect((await c.execute('SELECT name FROM parent')).rows).toEqual([{ name: 'kept' }])
  })

  it('rejects illegal moves and bad names without touching the database', async () => {
    const c = await connect()
    expect((await failure(c.commit()))._tag).toBe('InvalidState')
    expect((await failure(c.savepoint('x')))._tag).toBe('InvalidState')
    await c.begin()
    expect((await failure(c.begin()))._tag).toBe('InvalidState')
    expect((await failure(c.savepoint('a"; DROP TABLE x; --')))._tag).toBe('InvalidState')
    expect((await failure(c.releaseSavepoint('never_opened')))._tag).toBe('InvalidState')
    await c.rollback()
    await c.close()
    expect((await failure(c.execute('SELECT 1')))._tag).toBe('InvalidState')
    expect((await failure(c.ping()))._tag).toBe('ConnectionLost')
  })

  it('has no two-phase commit: a typed Unsupported error', async () => {
    const c = await connect()
    const e = await failure(c.beginTwoPhase('xid-1'))
    expect(e).toMatchObject({ _tag: 'Unsupported', feature: 'two-phase commit', dialect: 'sqlite' })
    expect((await failure(c.listPrepared()))._tag).toBe('Unsupported')
    expect(c.state).toBe('idle')
  })
})

describe('sqlite driver: session restored only where a transaction changed it', () => {
  it('runs PRAGMA query_only = OFF after a read-only transaction and nothing after a read-write one', () => {
    // A PRAGMA expires every prepared statement of the connection: after each read-write transaction
    // it made every cached statement prepare again (≈ 0.3 ms for a 1,000-row UPDATE … FROM (VALUES …)).
    expect(sqliteTx.afterEnd({})).toEqual([])
    expect(sqliteTx.afterEnd({ isolation: 'serializable' })).toEqual([])
    expect(sqliteTx.afterEnd({ readOnly: true })).toEqual(['PRAGMA query_only = OFF'])
  })

  it('writes again after a read-only transaction ends, by commit or by rollback', async () => {
    const c = await sqliteDriver({ filename: freshSqliteFile() }).connect()
    try {
      await c.execute('CREATE TABLE t (x INTEGER)')
      await c.begin({ readOnly: true })
      await c.execute('SELECT COUNT(*) FROM t')
      await c.commit()
      await c.execute('INSERT INTO t VALUES (1)')
      await c.begin({ readOnly: true })
      expect((await failure(c.execute('INSERT INTO t VALUES (0)'))).message).toContain('readonly')
      await c.rollback()
      await c.execute('INSERT INTO t VALUES (2)')
      expect((await c.execute<{ n: number }>('SELECT COUNT(*) AS n FROM t')).rows[0]?.n).toBe(2)
    } finally {
      await c.close()
    }
  })
})
