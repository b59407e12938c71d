/**
 * Real engines for the benchmarks: the same throwaway PostgreSQL and MariaDB
 * servers the tests use (or existing ones from QUARRY_PG_URL /
 * QUARRY_MYSQL_URL), each with a fresh database, plus a SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import mysql from 'mysql2/promise'
import { parseUrl } from '../test/harness/engines-info.js'
import { startMariadb } from '../test/harness/mariadb-server.js'
import { startPostgres } from '../test/harness/postgres-server.js'
import { watchdog, type ServerProcess } from '../test/harness/process.js'

/** Where one server database lives. */
export interface ServerDb {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly database: string
}

/** The three engines, ready for a benchmark. */
export interface BenchEngines {
  readonly postgres: ServerDb
  readonly mysql: ServerDb
  readonly sqliteFile: string
  readonly stop: () => Promise<void>
}

const DB = 'quarry_bench'

/** Start (or reach) the engines and create an empty benchmark database on each. */
export const startEngines = async (): Promise<BenchEngines> => {
  const base = mkdtempSync(join(tmpdir(), 'quarry-bench-'))
  const servers: { proc: ServerProcess; signal: NodeJS.Signals }[] = []
  const pgUrl = process.env['QUARRY_PG_URL']
  const myUrl = process.env['QUARRY_MYSQL_URL']
  const [pgAdmin, myAdmin] = await Promise.all([
    pgUrl
      ? Promise.resolve(parseUrl(pgUrl, { port: 5432, database: 'postgres' }))
      : startPostgres(base).then((s) => {
          // SIGINT is PostgreSQL's fast shutdown.
          servers.push({ proc: s.process, signal: 'SIGINT' })
          return { host: '127.0.0.1', port: s.port, user: 'postgres', password: '', database: 'postgres' }
        }),
    myUrl
      ? Promise.resolve(parseUrl(myUrl, { port: 3306, database: 'mysql' }))
      : startMariadb(base, 'quarry', 'quarry-bench').then((s) => {
          servers.push({ proc: s.process, signal: 'SIGTERM' })
          return { host: '127.0.0.1', port: s.port, user: 'quarry', password: 'quarry-bench', database: 'mysql' }
        }),
  ])
  watchdog(servers.map((s) => s.proc.child.pid).filter((p): p is number => p !== undefined), base)
  const pc = new pg.Client(pgAdmin)
  await pc.connect()
  await pc.query(`DROP DATABASE IF EXISTS ${DB}`)
  await pc.query(`CREATE DATABASE ${DB} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`)
  await pc.end()
  const mc = await mysql.createConnection(myAdmin)
  await mc.query(`DROP DATABASE IF EXISTS ${DB}`)
  await mc.query(`CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
  await mc.end()
  return {
    postgres: { ...pgAdmin, database: DB },
    mysql: { ...myAdmin, database: DB },
    sqliteFile: join(base, 'bench.sqlite'),
    stop: async () => {
      await Promise.all(servers.map((s) => s.proc.stop(s.signal, 10_000)))
      rmSync(base, { recursive: true, force: true })
    },
  }
}
