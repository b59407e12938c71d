/**
 * Fresh, isolated databases on the real engines for one test file. Each call
 * creates a new database with a random name on the run's PostgreSQL or
 * MariaDB server (or a new SQLite file), and `drop()` removes it.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import mysql from 'mysql2/promise'
import { inject } from 'vitest'
import type { ServerInfo } from '../harness/engines-info.js'

/** Coordinates of one fresh database. */
export interface FreshDatabase {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly database: string
  /** Drop the database (terminating leftover sessions first). */
  readonly drop: () => Promise<void>
}

const randomName = (): string => `q_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`

/** Admin coordinates of the run's PostgreSQL server. */
export const postgresServer = (): ServerInfo => inject('engines').postgres
/** Admin coordinates of the run's MariaDB server. */
export const mysqlServer = (): ServerInfo => inject('engines').mysql

const pgAdmin = async <T>(f: (c: pg.Client) => Promise<T>): Promise<T> => {
  const s = postgresServer()
  const c = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database })
  c.on('error', () => undefined)
  await c.connect()
  try {
    return await f(c)
  } finally {
    await c.end()
  }
}

const mysqlAdmin = async <T>(f: (c: mysql.Connection) => Promise<T>): Promise<T> => {
  const s = mysqlServer()
  const c = await mysql.createConnection({ host: s.host, port: s.port, user: s.user, password: s.password })
  try {
    return await f(c)
  } finally {
    await c.end()
  }
}

/** A new empty PostgreSQL database (binary collation, UTF-8). */
export const freshPostgres = async (): Promise<FreshDatabase> => {
  const s = postgresServer()
  const name = randomName()
  await pgAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`))
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password,
    database: name,
    drop: () =>
      pgAdmin(async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])
        await c.query(`DROP DATABASE IF EXISTS "${name}"`)
      }),
  }
}

/** A new empty MariaDB database (utf8mb4, binary collation). */
export const freshMysql = async (): Promise<FreshDatabase> => {
  const s = mysqlServer()
  const name = randomName()
  await mysqlAdmin((c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`))
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password,
    database: name,
    drop: () =>
      mysqlAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``)
      }),
  }
}

/** A path for a new SQLite database file in the run's scratch directory. */
export const freshSqliteFile = (): string => join(inject('engines').tmpdir, `${randomName()}.sqlite`)

/** Terminate a PostgreSQL backend by pid, as an administrator would. */
export const killPostgresBackend = (pid: number): Promise<unknown> =>
  pgAdmin((c) => c.query('SELECT pg_terminate_backend($1)', [pid]))

/** Kill a MariaDB connection by id, as an administrator would. */
export const killMysqlConnection = (id: number): Promise<unknown> => mysqlAdmin((c) => c.query(`KILL ${Number(id)}`))
