/**
 * The three real engines as one list, for behaviour suites that run the
 * same tests on each (`describe.each(engines)`). Each entry opens a fresh,
 * empty database and a quarry driver for it.
 */
import { rmSync } from 'node:fs'
import type { Driver } from '../../src/drivers/driver.js'
import type { PoolLimited } from '../../src/drivers/pool.js'
import { mysqlDriver } from '../../src/drivers/mysql/index.js'
import { pgDriver } from '../../src/drivers/pg/index.js'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import { freshMysql, freshPostgres, freshSqliteFile, type FreshDatabase } from './databases.js'

/** A fresh database on one engine and a driver for it. */
export interface EngineDb {
  readonly driver: Driver & PoolLimited
  /** Positional placeholder `i` (1-based) in this engine's SQL. */
  readonly ph: (i: number) => string
  readonly drop: () => Promise<void>
}

/** One engine of a behaviour suite. */
export interface TestEngine {
  readonly name: 'postgresql' | 'mariadb' | 'sqlite'
  readonly fresh: () => Promise<EngineDb>
}

const serverDriverFor = (db: FreshDatabase, make: typeof pgDriver | typeof mysqlDriver): Driver =>
  make({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })

/** PostgreSQL, MariaDB and SQLite (a file database, so pools may hold several connections). */
export const engines: ReadonlyArray<TestEngine> = [
  {
    name: 'postgresql',
    fresh: async () => {
      const db = await freshPostgres()
      return { driver: serverDriverFor(db, pgDriver), ph: (i) => `$${i}`, drop: db.drop }
    },
  },
  {
    name: 'mariadb',
    fresh: async () => {
      const db = await freshMysql()
      return { driver: serverDriverFor(db, mysqlDriver), ph: () => '?', drop: db.drop }
    },
  },
  {
    name: 'sqlite',
    fresh: async () => {
      const file = freshSqliteFile()
      const drop = async (): Promise<void> => {
        for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
      }
      return { driver: sqliteDriver({ filename: file }), ph: () => '?', drop }
    },
  },
]
