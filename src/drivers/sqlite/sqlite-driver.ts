/**
 * The SQLite driver over better-sqlite3. better-sqlite3 is synchronous, so
 * "async" here only means the interface: each call completes before it
 * returns. Prepared statements are cached per connection; every connection
 * turns foreign keys on; write transactions begin IMMEDIATE so a writer
 * takes the lock up front instead of failing half-way with SQLITE_BUSY.
 *
 * Parameters SQLite cannot bind natively are encoded: booleans as 1/0,
 * Dates as ISO-8601 text (the format SQLite's date functions read),
 * Uint8Array as a Buffer view.
 */
import Database from 'better-sqlite3'
import type { Driver, ExecResult, Param } from '../driver.js'
import { makeConnection, type CommonOptions, type RawConnection, type TxDialect } from '../connection.js'
import { fromNative } from '../errors.js'
import type { PoolLimited } from '../pool.js'
import { classifySqlite } from './sqlite-classify.js'
import { batchFailure, isBatchFailure } from '../batch.js'
import { withAccessors } from '../accessors.js'
import { isEncoded } from '../params.js'

/** How to open a SQLite database. */
export interface SqliteOptions extends CommonOptions {
  /** A file path, or `:memory:` (each connection then has its own database). */
  readonly filename: string
  /** Open read-only (default false). */
  readonly readonly?: boolean
  /** How long a writer waits for the lock before SQLITE_BUSY, in ms (default 5000). */
  readonly busyTimeoutMs?: number
  /** Use write-ahead logging for file databases, so readers never block the writer (default true). */
  readonly wal?: boolean
  /** Prepared statements kept per connection (default 256). */
  readonly statementCacheSize?: number
  /**
   * Read every INTEGER as a BigInt (default false). better-sqlite3 otherwise
   * returns JavaScript numbers, which round 64-bit values past 2^53; the
   * mapping layer's loaders turn safe BigInts back into numbers per column.
   */
  readonly safeIntegers?: boolean
}

type Statement = Database.Statement<unknown[], unknown>

const quote = (name: string): string => `"${name}"`

/** SQLite's transaction control (exported for its tests). */
export const sqliteTx: TxDialect = {
  // SQLite is always serializable, which satisfies every requested level.
  begin: (o) => (o.readOnly === true ? ['BEGIN DEFERRED', 'PRAGMA query_only = ON'] : ['BEGIN IMMEDIATE']),
  // Only after a read-only transaction: a PRAGMA expires the connection's prepared statements.
  afterEnd: (o) => (o.readOnly === true ? ['PRAGMA query_only = OFF'] : []),
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: (n) => `SAVEPOINT ${quote(n)}`,
  release: (n) => `RELEASE SAVEPOINT ${quote(n)}`,
  rollbackTo: (n) => `ROLLBACK TO SAVEPOINT ${quote(n)}`,
  twoPhase: { unsupported: 'two-phase commit' },
}

/**
 * Checked parameters only reach here, so an object is a Date or a Uint8Array. `typeof` first:
 * `instanceof` on a primitive (the usual number or string) is a slow path in V8, and this
 * runs per parameter of every statement.
 */
const needsEncoding = (p: Param): boolean =>
  typeof p === 'object' ? p !== null && !Buffer.isBuffer(p) : typeof p === 'boolean'

const encode = (p: Param): unknown => {
  if (typeof p === 'boolean') return p ? 1 : 0
  if (p instanceof Date) return p.toISOString()
  if (p instanceof Uint8Array) return Buffer.from(p.buffer, p.byteOffset, p.byteLength)
  return p
}

/**
 * Parameters as better-sqlite3 takes them; the same array when nothing needs encoding, or when
 * the SQLite dialect encoded them (booleans as 1n/0n, Dates as text; better-sqlite3 binds any
 * Uint8Array): scanning a planned 1,000-row UPDATE's 3,000 parameters took some 20 µs.
 */
const bindable = (params: ReadonlyArray<Param>): unknown[] => {
  // Only long lists are worth the lookup: a point select's few parameters are scanned faster.
  if (params.length > 16 && isEncoded(params)) return params as unknown[]
  for (let i = 0; i < params.length; i++) if (needsEncoding(params[i]!)) return params.map(encode)
  return params as unknown[]
}

/**
 * `stmt.all(...args)` without the spread for the common short argument
 * lists: a spread call into the native binding costs about 45 ns more,
 * a measurable share of a point select that takes under 4 µs in all.
 */
const allRows = (stmt: Statement, a: readonly unknown[]): unknown[] => {
  switch (a.length) {
    case 0:
      return stmt.all()
    case 1:
      return stmt.all(a[0])
    case 2:
      return stmt.all(a[0], a[1])
    case 3:
      return stmt.all(a[0], a[1], a[2])
    default:
      return stmt.all(...a)
  }
}

/**
 * `stmt.run(...args)` likewise, up to four arguments: a one-row UPDATE run
 * per row of a batch takes about 1 µs, and the spread was some 45 ns of it.
 * (A separate switch, not `allRows` with the method passed in: the native
 * methods are called directly here, not through `Function.prototype.call`.)
 */
const runRow = (stmt: Statement, a: readonly unknown[]): Database.RunResult => {
  switch (a.length) {
    case 0:
      return stmt.run()
    case 1:
      return stmt.run(a[0])
    case 2:
      return stmt.run(a[0], a[1])
    case 3:
      return stmt.run(a[0], a[1], a[2])
    case 4:
      return stmt.run(a[0], a[1], a[2], a[3])
    default:
      return stmt.run(...a)
  }
}

/** A cached statement with its kind read once (they are native getters). */
interface Prepared {
  readonly stmt: Statement
  /** Returns rows (SELECT, PRAGMA, DML with RETURNING). */
  readonly reader: boolean
  /** Writes nothing (SELECT). */
  readonly readonly: boolean
}

const rawConnection = (db: Database.Database, cacheSize: number): RawConnection => {
  const cache = new Map<string, Prepared>()
  const prepare = (sql: string): Prepared => {
    let p = cache.get(sql)
    if (p === undefined) {
      const stmt = db.prepare(sql)
      p = { stmt, reader: stmt.reader, readonly: stmt.readonly }
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!)
      cache.set(sql, p)
    }
    return p
  }
  const runPrepared = <R>(p: Prepared, params: ReadonlyArray<Param>): ExecResult<R> => {
    if (p.reader) {
      const rows = allRows(p.stmt, bindable(params)) as R[]
      // A reader that writes is DML with RETURNING: one row per affected row.
      return { rows, affectedRows: p.readonly ? 0 : rows.length, insertId: undefined }
    }
    const info = runRow(p.stmt, bindable(params))
    return { rows: [], affectedRows: info.changes, insertId: info.changes > 0 ? info.lastInsertRowid : undefined }
  }
  /** Steps one prepared statement per set; the caller owns any transaction. */
  const runSets = <R>(sql: string, sets: ReadonlyArray<ReadonlyArray<Param>>): ExecResult<R>[] => {
    const results: ExecResult<R>[] = new Array(sets.length)
    let i = 0
    try {
      // A statement that does not prepare fails at set 0, as on the server engines.
      const p = prepare(sql)
      for (; i < sets.length; i++) results[i] = runPrepared<R>(p, sets[i]!)
    } catch (e) {
      throw batchFailure(i, e)
    }
    return results
  }
  // `alive` is attached afterwards: a literal with an accessor is a slow object (accessors.ts).
  const methods: Omit<RawConnection, 'alive'> = {
    dialect: 'sqlite',
    run<R>(sql: string, params: ReadonlyArray<Param>): ExecResult<R> {
      return runPrepared<R>(prepare(sql), params)
    },
    runMany<R>(sql: string, sets: ReadonlyArray<ReadonlyArray<Param>>, standalone: boolean): ExecResult<R>[] {
      if (!standalone || sets.length === 1) return runSets<R>(sql, sets)
      // All or nothing, and one journal commit for the batch instead of one per set.
      // A writer takes the lock up front (IMMEDIATE), as begin() does.
      let p: Prepared
      try {
        p = prepare(sql)
      } catch (e) {
        throw batchFailure(0, e)
      }
      try {
        prepare(p.readonly ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE').stmt.run()
      } catch (e) {
        throw batchFailure(undefined, e)
      }
      try {
        const results = runSets<R>(sql, sets)
        prepare('COMMIT').stmt.run()
        return results
      } catch (e) {
        // Some errors (SQLITE_FULL, …) have already rolled the transaction back.
        try {
          if (db.inTransaction) prepare('ROLLBACK').stmt.run()
        } catch {
          // The batch's own failure is the one to report.
        }
        throw isBatchFailure(e) ? e : batchFailure(undefined, e)
      }
    },
    async *stream<R>(sql: string, params: ReadonlyArray<Param>): AsyncIterable<R> {
      // iterate() steps the statement one row at a time: memory stays flat, and
      // returning early (break) finalises the iterator and frees the statement.
      yield* prepare(sql).stmt.iterate(...bindable(params)) as IterableIterator<R>
    },
    async close() {
      cache.clear()
      if (db.open) db.close()
    },
  }
  return withAccessors<typeof methods, Pick<RawConnection, 'alive'>>(methods, { alive: () => db.open })
}

/**
 * A driver for one SQLite database.
 *
 * @example
 * const driver = sqliteDriver({ filename: ':memory:' })
 * const conn = await driver.connect()
 * const { rows } = await conn.execute('SELECT ? AS answer', [42])
 */
export const sqliteDriver = (options: SqliteOptions): Driver & PoolLimited => ({
  dialect: 'sqlite',
  // A `:memory:` database lives and dies with its one connection.
  ...(options.filename === ':memory:' || options.filename === '' ? { maxConnections: 1 } : {}),
  async connect() {
    let db: Database.Database
    try {
      db = new Database(options.filename, {
        readonly: options.readonly === true,
        fileMustExist: options.readonly === true,
        timeout: options.busyTimeoutMs ?? 5000,
      })
      db.pragma('foreign_keys = ON')
      if (options.safeIntegers === true) db.defaultSafeIntegers(true)
      const isFile = options.filename !== ':memory:' && options.filename !== ''
      if (isFile && options.readonly !== true && options.wal !== false) db.pragma('journal_mode = WAL')
    } catch (e) {
      const code = (e as { code?: unknown }).code
      throw fromNative('ConnectFailed', `cannot open SQLite database ${JSON.stringify(options.filename)}: ${(e as Error).message}`, {
        dialect: 'sqlite',
        code: typeof code === 'string' ? code : undefined,
        cause: e,
      })
    }
    return makeConnection(rawConnection(db, options.statementCacheSize ?? 256), sqliteTx, classifySqlite, options)
  },
})
