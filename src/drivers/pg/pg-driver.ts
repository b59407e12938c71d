/**
 * The PostgreSQL {@link Driver}: each `connect()` opens one `pg.Client` and
 * wraps it in quarry's shared {@link Connection}. Type parsing is pg's
 * default for the client (int8 and numeric arrive as strings, losslessly);
 * the mapping layer decodes them. No global pg state is touched.
 */
import pg from 'pg'
import type { Connection, Driver } from '../driver.js'
import { makeConnection, type CommonOptions } from '../connection.js'
import { classifyPg, connectFailedPg } from './pg-classify.js'
import { pgRawConnection } from './pg-raw.js'
import { pgTx } from './pg-tx.js'

/** Options of {@link pgDriver}: node-postgres client settings plus quarry's own. */
export type PgDriverOptions = pg.ClientConfig & CommonOptions

/**
 * A driver that opens PostgreSQL connections with node-postgres.
 *
 * A failed connect rejects with `ConnectFailed` (retryable) whose `cause` is
 * pg's error, and the half-open client is ended so nothing leaks.
 *
 * @example
 * ```ts
 * const driver = pgDriver({ host: '127.0.0.1', port: 5432, user: 'app', database: 'app' })
 * const conn = await driver.connect()
 * const { rows } = await conn.execute('SELECT id, name FROM users WHERE id = $1', [42])
 * await conn.close()
 * ```
 */
export const pgDriver = (options: PgDriverOptions): Driver => {
  const { showParams, ...clientConfig } = options
  const common: CommonOptions = showParams === undefined ? {} : { showParams }
  return {
    dialect: 'postgres',
    async connect(): Promise<Connection> {
      const client = new pg.Client(clientConfig)
      // Listeners go on before connect: errors while connecting must not crash either.
      const raw = pgRawConnection(client)
      try {
        await client.connect()
      } catch (e) {
        await raw.close()
        throw connectFailedPg(e, clientConfig)
      }
      return makeConnection(raw, pgTx, classifyPg, common)
    },
  }
}
