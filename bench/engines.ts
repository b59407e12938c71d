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

/** The engines a benchmark reports on. */
export type EngineName = 'postgresql' | 'mariadb' | 'sqlite'

/** The three engines, ready for a benchmark (a server left out by `wants` is not started). */
export interface BenchEngines {
  readonly postgres: ServerDb
  readonly mysql: ServerDb
  readonly sqliteFile: string
  /** Whether the run measures this engine (`npm run bench -- persistence sqlite`). */
  readonly wants: (engine: EngineName) => boolean
  readonly stop: () => Promise<void>
}

/** Where a server that was not started would be: connecting to it fails at once. */
const NOT_STARTED: ServerDb = { host: '127.0.0.1', port: 0, user: '', password: '', database: '' }

const DB = 'quarry_bench'

/** Start (or reach) the engines `only` names (all by default) and create an empty benchmark database on each. */
export const startEngines = async (only?: string): Promise<BenchEngines> => {
  const wants = (engine: EngineName): boolean => only === undefined || engine.includes(only)
  const base = mkdtempSync(join(tmpdir(), 'quarry-bench-'))
  const servers: { proc: ServerProcess; signal: NodeJS.Signals }[] = []
  const pgUrl = process.env['QUARRY_PG_URL']
  const myUrl = process.env['QUARRY_MYSQL_URL']
  const startPg = async (): Promise<ServerDb> => {
    if (pgUrl) return parseUrl(pgUrl, { port: 5432, database: 'postgres' })
    const s = await startPostgres(base)
    // SIGINT is PostgreSQL's fast shutdown.
    servers.push({ proc: s.process, signal: 'SIGINT' })
    return { host: '127.0.0.1', port: s.port, user: 'postgres', password: '', database: 'postgres' }
  }
  const startMy = async (): Promise<ServerDb> => {
    if (myUrl) return parseUrl(myUrl, { port: 3306, database: 'mysql' })
    const s = await startMariadb(base, 'quarry', 'quarry-bench')
    servers.push({ proc: s.process, signal: 'SIGTERM' })
    return { host: '127.0.0.1', port: s.port, user: 'quarry', password: 'quarry-bench', database: 'mysql' }
  }
  const [pgAdmin, myAdmin] = await Promise.all([wants('postgresql') ? startPg() : undefined, wants('mariadb') ? startMy() : undefined])
  watchdog(servers.map((s) => s.proc.child.pid).filter((p): p is number => p !== undefined), base)
  if (pgAdmin !== undefined) {
    const pc = new pg.Client(pgAdmin)
    await pc.connect()
    await pc.query(`DROP DATABASE IF EXISTS ${DB}`)
    await pc.query(`CREATE DATABASE ${DB} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`)
    await pc.end()
  }
  if (myAdmin !== undefined) {
    const mc = await mysql.createConnection(myAdmin)
    await mc.query(`DROP DATABASE IF EXISTS ${DB}`)
    await mc.query(`CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
    await mc.end()
  }
  return {
    postgres: pgAdmin === undefined ? NOT_STARTED : { ...pgAdmin, database: DB },
    mysql: myAdmin === undefined ? NOT_STARTED : { ...myAdmin, database: DB },
    sqliteFile: join(base, 'bench.sqlite'),
    wants,
    stop: async () => {
      await Promise.all(servers.map((s) => s.proc.stop(s.signal, 10_000)))
      rmSync(base, { recursive: true, force: true })
    },
  }
}
