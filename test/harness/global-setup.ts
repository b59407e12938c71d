/**
 * vitest global setup: brings up the three real engines once per run and
 * hands their coordinates to every test file via `inject('engines')`.
 *
 * - PostgreSQL and MariaDB are started as throwaway servers in a temporary
 *   directory, unless QUARRY_PG_URL / QUARRY_MYSQL_URL point at existing ones.
 * - They are stopped in teardown, on SIGINT/SIGTERM, and — should this process
 *   die abruptly — by a watchdog shell that outlives it.
 * - One line names each engine and its version before any test runs.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { TestProject } from 'vitest/node'
import type { EnginesInfo, ServerInfo } from './engines-info.js'
import { parseUrl } from './engines-info.js'
import { mariadbVersion, startMariadb } from './mariadb-server.js'
import { postgresVersion, startPostgres } from './postgres-server.js'
import { watchdog, type ServerProcess } from './process.js'

declare module 'vitest' {
  export interface ProvidedContext {
    engines: EnginesInfo
  }
}

const MYSQL_USER = 'quarry'
const MYSQL_PASSWORD = 'quarry-test'

const started: ServerProcess[] = []
let pgProcess: ServerProcess | undefined
let base = ''

const stopAll = async (): Promise<void> => {
  // Fast shutdown: SIGINT is PostgreSQL's "fast" mode; mariadbd treats SIGTERM as a clean stop.
  await Promise.all(started.splice(0).map((p) => p.stop(p === pgProcess ? 'SIGINT' : 'SIGTERM', 10_000)))
  if (base !== '') rmSync(base, { recursive: true, force: true })
}

const onSignal = (signal: NodeJS.Signals): void => {
  void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
}

const postgresInfo = async (): Promise<ServerInfo> => {
  const url = process.env['QUARRY_PG_URL']
  if (url !== undefined && url !== '') {
    const info = parseUrl(url, { port: 5432, database: 'postgres' })
    return { ...info, version: await postgresVersion(info), owned: false }
  }
  const pgServer = await startPostgres(base)
  pgProcess = pgServer.process
  started.push(pgServer.process)
  const info = { host: '127.0.0.1', port: pgServer.port, user: 'postgres', password: '', database: 'postgres' }
  return { ...info, version: await postgresVersion(info), owned: true }
}

const mysqlInfo = async (): Promise<ServerInfo> => {
  const url = process.env['QUARRY_MYSQL_URL']
  if (url !== undefined && url !== '') {
    const info = parseUrl(url, { port: 3306, database: 'mysql' })
    return { ...info, version: await mariadbVersion(info), owned: false }
  }
  const server = await startMariadb(base, MYSQL_USER, MYSQL_PASSWORD)
  started.push(server.process)
  const info = { host: '127.0.0.1', port: server.port, user: MYSQL_USER, password: MYSQL_PASSWORD, database: 'mysql' }
  return { ...info, version: await mariadbVersion(info), owned: true }
}

const sqliteVersion = (): string => {
  const db = new Database(':memory:')
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
  } finally {
    db.close()
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  base = mkdtempSync(join(tmpdir(), 'quarry-'))
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const [postgres, mysql] = await Promise.all([postgresInfo(), mysqlInfo()])
    const pgids = started.map((p) => p.child.pid).filter((p): p is number => p !== undefined)
    watchdog(pgids, base)
    const sqlite = { version: sqliteVersion() }
    const kind = (s: ServerInfo): string => (s.owned ? 'throwaway' : 'existing')
    console.log(
      `engines: postgresql ${postgres.version} (${kind(postgres)}, port ${postgres.port}), ` +
        `mariadb ${mysql.version} (${kind(mysql)}, port ${mysql.port}), sqlite ${sqlite.version}`,
    )
    const scratch = join(base, 'scratch')
    const info: EnginesInfo = { postgres, mysql, sqlite, tmpdir: scratch }
    mkdirSync(scratch)
    chmodSync(scratch, 0o777)
    project.provide('engines', info)
  } catch (e) {
    await stopAll()
    throw e
  }
  return async () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await stopAll()
  }
}
