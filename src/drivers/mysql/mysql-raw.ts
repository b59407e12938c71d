/**
 * One mysql2 session as a {@link RawConnection}. It uses mysql2's callback
 * API: the promise wrapper adds a `[rows, fields]` tuple and another layer
 * of closures per call, and streaming needs the callback connection anyway.
 * Statements with parameters go through `execute()` (server-side prepared
 * statements: the values never become SQL text); statements without go
 * through `query()`, because XA and some control statements cannot be
 * prepared.
 */
import mysql, { type Connection, type ConnectionOptions } from 'mysql2'
import type { ExecResult, Param } from '../driver.js'
import type { RawConnection } from '../connection.js'
import { streamRows, type ActiveStream } from './mysql-stream.js'
import { batchFailure, isBatchFailure } from '../batch.js'
import { withAccessors } from '../accessors.js'

const NO_ROWS: ReadonlyArray<never> = []
const QUIT_TIMEOUT_MS = 2_000
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n
const XAER_NOTA = 1397
const NOTA_RETRIES = 5
const NOTA_DELAY_MS = 20
/** Finishing a prepared XA branch (`TwoPhaseDialect.commitPrepared`/`rollbackPrepared`), not `… ONE PHASE`. */
const FINISH_PREPARED = /^XA (?:COMMIT|ROLLBACK) '[^']*'$/

type Callback = (err: Error | null, result: unknown) => void
/** The part of mysql2's Connection this module calls, with honest parameter types. */
interface Client {
  query(sql: string, cb: Callback): unknown
  execute(sql: string, values: ReadonlyArray<unknown>, cb: Callback): unknown
}

/**
 * bigint would be sent as text, which the server turns into a double in
 * arithmetic (`? + 1` loses precision past 2^53): send it as BIGINT (or
 * BIGINT UNSIGNED, or DECIMAL past 64 bits). A Uint8Array that is not a
 * Buffer would be sent as a string in the connection charset: wrap it.
 */
const convert = (p: Param): unknown => {
  if (typeof p === 'bigint') {
    const T = mysql.TypedParameter
    if (p >= INT64_MIN && p <= INT64_MAX) return T.BIGINT(p)
    return p >= 0n && p <= UINT64_MAX ? T.BIGINT.unsigned(p) : T.DECIMAL(p)
  }
  if (p instanceof Uint8Array && !Buffer.isBuffer(p)) return Buffer.from(p.buffer, p.byteOffset, p.byteLength)
  return p
}

/** `typeof` before `instanceof`, which is a slow path in V8 for the usual primitive. */
const needsConversion = (p: Param): boolean =>
  typeof p === 'bigint' || (typeof p === 'object' && p instanceof Uint8Array && !Buffer.isBuffer(p))

/** Parameters as mysql2 should get them; the same array when nothing needs converting. */
export const bindable = (params: ReadonlyArray<Param>): ReadonlyArray<unknown> => {
  for (let i = 0; i < params.length; i++) if (needsConversion(params[i]!)) return params.map(convert)
  return params
}

/**
 * True when `sql` finishes a prepared branch the server does not know yet.
 * MariaDB releases the branch of a disconnecting session during that
 * session's clean-up, a moment after its socket closed, so a commit sent
 * right after the preparer left (see `afterPrepare`, or another client)
 * can meet XAER_NOTA (seen about once in 50 tries). Only XA statements
 * fail with XAER_NOTA, so this is never reached on any other statement's way.
 */
const branchNotReleasedYet = (err: Error, sql: string): boolean =>
  (err as { errno?: unknown }).errno === XAER_NOTA && FINISH_PREPARED.test(sql)

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const toId = (id: unknown): bigint | number | undefined =>
  id === 0 || id === undefined || id === null ? undefined : typeof id === 'string' ? BigInt(id) : (id as number)

/**
 * A statement that writes and returns rows: MariaDB's `DELETE … RETURNING`
 * and `INSERT`/`REPLACE … RETURNING` (it has no `UPDATE … RETURNING` and no
 * data-changing CTE), after any leading comments.
 */
const WRITES_ROWS = /^\s*(?:(?:\/\*[\s\S]*?\*\/|--[^\n]*\n|#[^\n]*\n)\s*)*(?:delete|insert|replace)\b/i

/**
 * A mysql2 result (rows, ResultSetHeader, or a CALL's list of both) as an
 * {@link ExecResult}. A statement with `RETURNING` comes back as rows
 * alone, with no header to count what it wrote: one row is returned per
 * row written, so its affected rows are its rows (a versioned delete's
 * count is how a stale row is found).
 */
const toResult = <R>(result: unknown, sql: string): ExecResult<R> => {
  if (Array.isArray(result)) {
    // rowsAsArray is forced off, so an array of arrays can only be a CALL's result sets.
    if (result.length > 0 && Array.isArray(result[0])) {
      const last = result[result.length - 1] as { affectedRows?: number; insertId?: unknown }
      return { rows: result[0] as R[], affectedRows: Number(last.affectedRows ?? 0), insertId: toId(last.insertId) }
    }
    return { rows: result as R[], affectedRows: result.length > 0 && WRITES_ROWS.test(sql) ? result.length : 0, insertId: undefined }
  }
  const header = result as { affectedRows: number; insertId: unknown }
  return { rows: NO_ROWS, affectedRows: Number(header.affectedRows), insertId: toId(header.insertId) }
}

/**
 * Open one mysql2 connection. `onDeath` hears every fatal error and the
 * server closing the socket, from the moment the client exists, so a
 * connection killed while idle can never crash the process.
 */
export const openClient = (config: ConnectionOptions, onDeath: (c: Connection, e: Error) => void): Promise<Connection> =>
  new Promise((resolve, reject) => {
    const c = mysql.createConnection(config)
    c.on('error', (e: Error) => onDeath(c, e))
    c.on('end', () => onDeath(c, Object.assign(new Error('Connection lost: the server closed the connection'), { code: 'PROTOCOL_CONNECTION_LOST' })))
    c.connect((err) => (err ? (c.destroy(), reject(err)) : resolve(c)))
  })

/** Ask the server to end the session and wait until it has closed the socket. */
const quit = (c: Connection): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => {
      c.destroy()
      resolve()
    }, QUIT_TIMEOUT_MS)
    c.once('end', () => {
      clearTimeout(timer)
      resolve()
    })
    c.end()
  })

/** A {@link RawConnection} over a connected mysql2 client opened with `config`. */
export const mysqlRaw = async (config: ConnectionOptions): Promise<RawConnection> => {
  let alive = true
  let active: ActiveStream | undefined
  let conn: Connection | undefined
  const onDeath = (c: Connection, e: Error): void => {
    // Events from a session this connection already let go of (after a detach) do not count.
    if (c !== conn) return
    alive = false
    active?.abort(e)
  }
  conn = await openClient(config, onDeath)
  let client = conn as unknown as Client

  /** Send one statement; a prepared branch not released yet is asked for again, for up to 0.1 s. */
  const send = <R>(sql: string, params: ReadonlyArray<Param>, retries = NOTA_RETRIES): Promise<ExecResult<R>> =>
    new Promise((resolve, reject) => {
      const done: Callback = (err, result) => {
        if (err === null) resolve(toResult<R>(result, sql))
        else if (retries > 0 && branchNotReleasedYet(err, sql)) resolve(sleep(NOTA_DELAY_MS).then(() => send<R>(sql, params, retries - 1)))
        else reject(err)
      }
      if (params.length === 0) client.query(sql, done)
      else client.execute(sql, bindable(params), done)
    })

  /** One server-side prepared execution per set, each after the last (mysql2 does not pipeline). */
  const sendSets = async <R>(sql: string, sets: ReadonlyArray<ReadonlyArray<Param>>): Promise<ExecResult<R>[]> => {
    const results: ExecResult<R>[] = new Array(sets.length)
    for (let i = 0; i < sets.length; i++) {
      try {
        results[i] = await send<R>(sql, sets[i]!)
      } catch (e) {
        throw batchFailure(i, e)
      }
    }
    return results
  }

  /** All or nothing on an idle session: a transaction of the batch's own around the sets. */
  const sendAtomically = async <R>(sql: string, sets: ReadonlyArray<ReadonlyArray<Param>>): Promise<ExecResult<R>[]> => {
    try {
      await send('START TRANSACTION', NO_ROWS)
    } catch (e) {
      throw batchFailure(undefined, e)
    }
    try {
      const results = await sendSets<R>(sql, sets)
      await send('COMMIT', NO_ROWS)
      return results
    } catch (e) {
      // The batch's own failure is the one to report; a dead session rolls back by itself.
      if (alive) await send('ROLLBACK', NO_ROWS).catch(() => undefined)
      throw isBatchFailure(e) ? e : batchFailure(undefined, e)
    }
  }

  /**
   * MariaDB 10.11 keeps a prepared branch tied to the session that prepared
   * it: that session can touch no table until the branch is finished, and no
   * other session can finish it (XAER_NOTA) until this one disconnects. So
   * swap in a fresh session and end the old one, which leaves the branch
   * recoverable from any connection.
   */
  const afterPrepare = async (): Promise<void> => {
    const old = conn!
    conn = undefined
    const [fresh] = await Promise.allSettled([openClient(config, onDeath), quit(old)])
    if (fresh.status === 'fulfilled') {
      conn = fresh.value
      client = conn as unknown as Client
    } else {
      // The branch is prepared and durable; only this connection is gone.
      alive = false
    }
  }

  // `alive` is attached afterwards: a literal with an accessor is a slow object (accessors.ts).
  const methods: Omit<RawConnection, 'alive'> = {
    dialect: 'mysql',
    run<R>(sql: string, params: ReadonlyArray<Param>): Promise<ExecResult<R>> {
      return send<R>(sql, params)
    },
    runMany<R>(sql: string, sets: ReadonlyArray<ReadonlyArray<Param>>, standalone: boolean): Promise<ExecResult<R>[]> {
      return standalone && sets.length > 1 ? sendAtomically<R>(sql, sets) : sendSets<R>(sql, sets)
    },
    afterPrepare,
    stream<R>(sql: string, params: ReadonlyArray<Param>, batchSize: number): AsyncIterable<R> {
      return streamRows<R>(conn, sql, params.length === 0 ? undefined : bindable(params), batchSize, (s) => (active = s))
    },
    async close() {
      const c = conn
      if (c === undefined) return
      const wasAlive = alive
      alive = false
      conn = undefined
      if (wasAlive) await quit(c)
      else c.destroy()
    },
  }
  return withAccessors<typeof methods, Pick<RawConnection, 'alive'>>(methods, { alive: () => alive })
}
