/**
 * Driver-layer workloads: quarry's Connection against the raw client doing
 * the same work by hand — same SQL, same parameters, same method of the
 * client library (prepared `execute` on mysql2, a cached statement on
 * better-sqlite3, a parameterised query on pg).
 *
 * - `driver-point-select`: one row by primary key, many times.
 * - `driver-select-10k`: all 10,000 rows of a table.
 */
import Database from 'better-sqlite3'
import mysql from 'mysql2/promise'
import pg from 'pg'
import type { Connection } from '../../src/drivers/driver.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import { pgDriver } from '../../src/drivers/pg/index.js'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import type { BenchEngines } from '../engines.js'
import { compare, type Measurement } from '../measure.js'

const ROWS = 10_000

const ddl = (engine: 'postgres' | 'mysql' | 'sqlite'): string =>
  `CREATE TABLE bench_users (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL, score INTEGER NOT NULL, active ${engine === 'postgres' ? 'BOOLEAN' : 'SMALLINT'} NOT NULL)`

const seedRows = (): unknown[][] =>
  Array.from({ length: ROWS }, (_, i) => [i + 1, `user ${i + 1}`, `user${i + 1}@example.com`, (i * 7919) % 1000, i % 3 === 0])

/** Insert the rows in pages through the quarry connection (setup only, not timed). */
const seed = async (c: Connection, engine: 'postgres' | 'mysql' | 'sqlite'): Promise<void> => {
  await c.execute('DROP TABLE IF EXISTS bench_users')
  await c.execute(ddl(engine))
  const rows = seedRows()
  const page = 500
  for (let at = 0; at < rows.length; at += page) {
    const chunk = rows.slice(at, at + page)
    const ph = (i: number): string => (engine === 'postgres' ? `$${i}` : '?')
    const values = chunk.map((_, r) => `(${[1, 2, 3, 4, 5].map((k) => ph(r * 5 + k)).join(', ')})`).join(', ')
    await c.execute(`INSERT INTO bench_users (id, name, email, score, active) VALUES ${values}`, chunk.flat() as never)
  }
}

const POINT = { postgres: 'SELECT id, name, email, score, active FROM bench_users WHERE id = $1', other: 'SELECT id, name, email, score, active FROM bench_users WHERE id = ?' }
const ALL = 'SELECT id, name, email, score, active FROM bench_users'

let next = 0
const key = (): number => (next = (next % ROWS) + 1)

/** Run both driver workloads on the three engines. */
export const driverWorkloads = async (engines: BenchEngines): Promise<Measurement[]> => {
  const out: Measurement[] = []

  // PostgreSQL
  {
    const q = await pgDriver(engines.postgres).connect()
    await seed(q, 'postgres')
    const raw = new pg.Client(engines.postgres)
    await raw.connect()
    out.push(await compare('driver-point-select', 'postgresql', () => q.execute(POINT.postgres, [key()]), () => raw.query(POINT.postgres, [key()]), { unit: 'µs/op', rounds: 21 }))
    out.push(await compare('driver-select-10k', 'postgresql', () => q.execute(ALL), () => raw.query(ALL), { unit: 'ms/op', rounds: 11, batchMs: 150 }))
    await raw.end()
    await q.close()
  }

  // MariaDB
  {
    const q = await mysqlDriver(engines.mysql).connect()
    await seed(q, 'mysql')
    const raw = await mysql.createConnection({ ...engines.mysql, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z' })
    out.push(await compare('driver-point-select', 'mariadb', () => q.execute(POINT.other, [key()]), () => raw.execute(POINT.other, [key()]), { unit: 'µs/op', rounds: 21 }))
    out.push(await compare('driver-select-10k', 'mariadb', () => q.execute(ALL), () => raw.query(ALL), { unit: 'ms/op', rounds: 11, batchMs: 150 }))
    await raw.end()
    await q.close()
  }

  // SQLite
  {
    const q = await sqliteDriver({ filename: engines.sqliteFile }).connect()
    await seed(q, 'sqlite')
    const raw = new Database(engines.sqliteFile)
    const point = raw.prepare(POINT.other)
    const all = raw.prepare(ALL)
    out.push(await compare('driver-point-select', 'sqlite', () => q.execute(POINT.other, [key()]), () => point.all(key()), { unit: 'µs/op', rounds: 21 }))
    out.push(await compare('driver-select-10k', 'sqlite', () => q.execute(ALL), () => all.all(), { unit: 'ms/op', rounds: 11, batchMs: 150 }))
    raw.close()
    await q.close()
  }
  return out
}
