/**
 * A {@link RawConnection} over one `pg.Client`: the few lines that actually
 * talk to node-postgres. `connection.ts` wraps it with the transaction state
 * machine, parameter checks and error classification.
 *
 * Two rules shape it:
 * - every statement goes through the extended protocol (`queryMode:
 *   'extended'`), which carries exactly one statement, so a `;`-joined
 *   second statement is rejected by the server instead of being run — even
 *   when there are no parameters;
 * - the client always has 'error' and 'end' listeners: a backend killed
 *   while the client is idle makes it emit 'error', and an EventEmitter
 *   with no listener would throw that out of the socket callback and crash
 *   the process.
 */
import type pg from 'pg'
import Cursor from 'pg-cursor'
import type { ExecResult, Param } from '../driver.js'
import type { RawConnection } from '../connection.js'
import { runPipelined } from './pg-batch.js'
import { withAccessors } from '../accessors.js'

/** `queryMode` exists in pg >= 8.14 but not yet in @types/pg. */
interface ExtendedQueryConfig extends pg.QueryConfig<Param[]> {
  readonly queryMode: 'extended'
}

type Callback = (err: Error | null, res: pg.QueryResult) => void
type ExtendedQuery = (config: ExtendedQueryConfig, callback: Callback) => void

/**
 * Rows affected: pg's `rowCount` is the command tag's count, which for a
 * SELECT is the number of rows returned — quarry reports 0 there, as the
 * other drivers do.
 */
const affected = (res: pg.QueryResult): number => (res.command === 'SELECT' ? 0 : (res.rowCount ?? 0))

/**
 * Wrap a connected (or connecting) client. Listeners are attached here, so
 * call this before `client.connect()` to cover failures during connect too.
 *
 * Parameters are handed to pg unchanged: its `prepareValue` already sends a
 * bigint as its decimal text and a Uint8Array as bytea (Buffer view), so
 * converting here would only cost an array copy per call.
 */
export const pgRawConnection = (client: pg.Client): RawConnection => {
  let alive = true
  const gone = (): void => {
    alive = false
  }
  client.on('error', gone)
  client.on('end', gone)

  // The callback form avoids the extra promise and stack capture of pg's
  // promise API; one promise per statement is all the wrapper allocates.
  const query = client.query.bind(client) as unknown as ExtendedQuery

  /** Close a cursor, but never wait past the death of the connection. */
  const closeCursor = (cursor: Cursor): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        client.removeListener('end', done)
        client.removeListener('error', done)
        resolve()
      }
      if (!alive) return done()
      client.once('end', done)
      client.once('error', done)
      cursor.close().then(done, done)
    })

  // `alive` is attached afterwards: a literal with an accessor is a slow object (accessors.ts).
  const methods: Omit<RawConnection, 'alive'> = {
    dialect: 'postgres',

    run<R>(sql: string, params: ReadonlyArray<Param>): Promise<ExecResult<R>> {
      return new Promise((resolve, reject) => {
        query({ text: sql, values: params as Param[], queryMode: 'extended' }, (err, res) => {
          if (err) reject(err)
          else resolve({ rows: res.rows as R[], affectedRows: affected(res), insertId: undefined })
        })
      })
    },

    // One pipelined round trip, atomic by itself when no transaction is open (see pg-batch.ts).
    runMany<R>(sql: string, sets: ReadonlyArray<ReadonlyArray<Param>>): Promise<ExecResult<R>[]> {
      return runPipelined<R>(client, sql, sets)
    },

    async *stream<R>(sql: string, params: ReadonlyArray<Param>, batchSize: number): AsyncIterable<R> {
      const cursor = client.query(new Cursor<R>(sql, params as Param[]))
      // After an error the cursor has already synced and its portal is gone;
      // closing it again would wait for a ReadyForQuery that never comes.
      let failed = false
      try {
        for (;;) {
          let rows: R[]
          try {
            rows = await cursor.read(batchSize)
          } catch (e) {
            failed = true
            throw e
          }
          for (const row of rows) yield row
          // A short batch means the portal ran to completion: no need to ask again.
          if (rows.length < batchSize) return
        }
      } finally {
        // Also reached when the consumer breaks out early: release the portal
        // so the connection can run the next statement.
        if (!failed) await closeCursor(cursor)
      }
    },

    close(): Promise<void> {
      alive = false
      // end() destroys the socket itself when the client is dead or a query hangs.
      return client.end().catch(() => undefined)
    },
  }
  return withAccessors<typeof methods, Pick<RawConnection, 'alive'>>(methods, { alive: () => alive })
}
