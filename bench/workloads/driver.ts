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

/**
 * Server workloads use SESSIONS connections per side, taken in turn. With
 * one connection each, which core the two server backends happen to share
 * with the client biased a side by ±10-30% from run to run (seen here on 2
 * cores); rotating over several backends averages that placement out.
 */
const SESSIONS = 4
const rotate = <C>(cs: ReadonlyArray<C>): (() => C) => {
  let i = 0
  return () => cs[(i = (i + 1) % cs.length)]!
}
const open = <C>(make: () => Promise<C>): Promise<C[]> => Promise.all(Array.from({ length: SESSIONS }, make))

/** Run both driver workloads on the three engines. */
export const driverWorkloads = async (engines: BenchEngines): Promise<Measurement[]> => {
  const out: Measurement[] = []

  // PostgreSQL
  if (engines.wants('postgresql')) {
    const qs = await open(() => pgDriver(engines.postgres).connect())
    await seed(qs[0]!, 'postgres')
    const raws = await open(async () => {
      const c = new pg.Client(engines.postgres)
      await c.connect()
      return c
    })
    const q = rotate(qs)
    const raw = rotate(raws)
    out.push(await compare('driver-point-select', 'postgresql', () => q().execute(POINT.postgres, [key()]), () => raw().query(POINT.postgres, [key()]), { unit: 'µs/op', rounds: 31 }))
    out.push(await compare('driver-select-10k', 'postgresql', () => q().execute(ALL), () => raw().query(ALL), { unit: 'ms/op', rounds: 11, batchMs: 150 }))
    await Promise.all([...raws.map((c) => c.end()), ...qs.map((c) => c.close())])
  }

  // MariaDB
  if (engines.wants('mariadb')) {
    const qs = await open(() => mysqlDriver(engines.mysql).connect())
    await seed(qs[0]!, 'mysql')
    const raws = await open(() => mysql.createConnection({ ...engines.mysql, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z' }))
    const q = rotate(qs)
    const raw = rotate(raws)
    out.push(await compare('driver-point-select', 'mariadb', () => q().execute(POINT.other, [key()]), () => raw().execute(POINT.other, [key()]), { unit: 'µs/op', rounds: 31 }))
    out.push(await compare('driver-select-10k', 'mariadb', () => q().execute(ALL), () => raw().query(ALL), { unit: 'ms/op', rounds: 11, batchMs: 150 }))
    await Promise.all([...raws.map((c) => c.end()), ...qs.map((c) => c.close())])
  }

  // SQLite
  if (engines.wants('sqlite')) {
    const q = await sqliteDriver({ filename: engines.sqliteFile }).connect()
    await seed(q, 'sqlite')
    const raw = new Database(engines.sqliteFile)
    const point = raw.prepare(POINT.other)
    const all = raw.prepare(ALL)
    out.push(await compare('driver-point-select', 'sqlite', () => q.execute(POINT.other, [key()]), () => point.all(key()), { unit: 'µs/op', rounds: 31 }))
    out.push(await compare('driver-select-10k', 'sqlite', () => q.execute(ALL), () => all.all(), { unit: 'ms/op', rounds: 11, batchMs: 150 }))
    raw.close()
    await q.close()
  }
  return out
}
