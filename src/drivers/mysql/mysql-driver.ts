/**
 * The MySQL/MariaDB driver over mysql2. Defaults are lossless (BIGINT and
 * DECIMAL as strings, like pg; UTC; utf8mb4) unless the caller overrides
 * them; a few settings are forced because the Connection contract depends
 * on them: one statement per call, positional parameters, rows as objects.
 */
import type { ConnectionOptions } from 'mysql2'
import type { Connection, Driver } from '../driver.js'
import { makeConnection, type CommonOptions } from '../connection.js'
import { dbError, type ConnectFailed } from '../errors.js'
import { classifyMysql } from './mysql-classify.js'
import { mysqlRaw } from './mysql-raw.js'
import { mysqlTx } from './mysql-tx.js'

/** mysql2's connection options plus quarry's common driver options. */
export type MysqlOptions = ConnectionOptions & CommonOptions

/** Defaults a caller may override. */
const DEFAULTS: ConnectionOptions = {
  supportBigNumbers: true,
  bigNumberStrings: true,
  timezone: 'Z',
  charset: 'utf8mb4',
  // mysql2 keeps up to 16,000 prepared statements per connection (server memory, and
  // max_prepared_stmt_count is server-wide): keep a bounded LRU of the hot ones.
  maxPreparedStatements: 256,
}

/** `flags` without MULTI_STATEMENTS, which would let a `;`-joined second statement run. */
const withoutMultiStatements = (flags: ConnectionOptions['flags']): string[] => {
  const list = flags === undefined ? [] : Array.isArray(flags) ? flags : String(flags).split(',')
  return [...list.map((f) => f.trim()).filter((f) => f.replace(/^[+]/, '').toUpperCase() !== 'MULTI_STATEMENTS'), '-MULTI_STATEMENTS']
}

/** The mysql2 configuration a driver opens its connections with. */
export const mysqlConfig = (options: MysqlOptions): ConnectionOptions => {
  const { showParams: _showParams, ...client } = options
  return {
    ...DEFAULTS,
    ...client,
    multipleStatements: false,
    flags: withoutMultiStatements(client.flags),
    namedPlaceholders: false,
    rowsAsArray: false,
    nestTables: false,
  }
}

/**
 * A driver for MySQL 8 and MariaDB 10.11+ (dialect `mysql`). Each
 * `connect()` opens one session; a failure to open is `ConnectFailed` with
 * the mysql2 error as its cause.
 *
 * @example
 * const driver = mysqlDriver({ host: '127.0.0.1', port: 3306, user: 'app', password: 'secret', database: 'shop' })
 * const conn = await driver.connect()
 * const { rows } = await conn.execute('SELECT id, name FROM users WHERE id = ?', [42])
 * await conn.close()
 */
export const mysqlDriver = (options: MysqlOptions): Driver => {
  const config = mysqlConfig(options)
  const common: CommonOptions = options.showParams === undefined ? {} : { showParams: options.showParams }
  const where = `${config.host ?? 'localhost'}:${config.port ?? 3306}`
  return {
    dialect: 'mysql',
    async connect(): Promise<Connection> {
      try {
        return makeConnection(await mysqlRaw(config), mysqlTx, classifyMysql, common)
      } catch (e) {
        const native = e as { message?: unknown; errno?: unknown; code?: unknown }
        const code = typeof native.errno === 'number' && native.errno > 0 ? String(native.errno) : typeof native.code === 'string' ? native.code : undefined
        throw dbError<ConnectFailed>('ConnectFailed', `could not connect to mysql at ${where}: ${String(native.message ?? e)}`, {
          dialect: 'mysql',
          code,
          cause: e,
        })
      }
    },
  }
}
