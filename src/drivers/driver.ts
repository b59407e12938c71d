/**
 * The one small interface quarry speaks to every database through. A driver
 * moves SQL text, positional parameters and rows; it knows nothing of the
 * query algebra. Every method rejects only with a {@link DbError} (see
 * `errors.ts`), so callers can fold over failures by `_tag`.
 */

/** The SQL families quarry's drivers speak. */
export type DialectName = 'postgres' | 'mysql' | 'sqlite'

/**
 * A scalar bind parameter. Objects and arrays are never accepted: a driver
 * rejects them with `InvalidParameter` instead of letting a client library
 * turn them into SQL fragments.
 */
export type Param = null | boolean | number | bigint | string | Date | Uint8Array

/** A result row as the client library decoded it, keyed by column label. */
export type Row = Readonly<Record<string, unknown>>

/** What one statement produced. */
export interface ExecResult<R = Row> {
  /** Rows returned (empty for statements without a result set). */
  readonly rows: ReadonlyArray<R>
  /** Rows affected by an insert/update/delete (0 for a pure select). */
  readonly affectedRows: number
  /**
   * A generated key the engine reports without `RETURNING`, as the engine
   * defines it: MySQL/MariaDB give the FIRST id of a multi-row insert
   * (`insertId`), SQLite the LAST (`last_insert_rowid()`); `undefined` on
   * PostgreSQL, where `RETURNING` is the way, and when nothing was inserted.
   */
  readonly insertId: bigint | number | undefined
}

/** Standard SQL isolation levels. */
export type IsolationLevel = 'read uncommitted' | 'read committed' | 'repeatable read' | 'serializable'

/** Options for {@link Connection.begin}. */
export interface BeginOptions {
  readonly isolation?: IsolationLevel
  readonly readOnly?: boolean
}

/** Options for {@link Connection.stream}. */
export interface StreamOptions {
  /** Rows fetched from the server per round trip (default 500). */
  readonly batchSize?: number
}

/**
 * Where a connection's transaction stands. Moves that the state does not
 * allow (commit when idle, savepoint outside a transaction, begin twice)
 * reject with `InvalidState` before anything is sent to the server.
 *
 * - `idle`: no transaction.
 * - `active`: inside begin … commit/rollback.
 * - `failed`: a statement failed inside the transaction; PostgreSQL refuses
 *   further statements until rollback or rollback-to-savepoint, and quarry
 *   applies the same rule on every engine so programs behave alike.
 * - `closed`: the connection was closed or its backend died.
 */
export type TxState = 'idle' | 'active' | 'failed' | 'closed'

/** One live connection to a database. Not safe for concurrent use. */
export interface Connection {
  readonly dialect: DialectName
  /** Where the connection's transaction stands. */
  readonly state: TxState
  /** Savepoints currently open, innermost last. */
  readonly savepoints: ReadonlyArray<string>
  /** Time the connection was opened (ms since epoch), for pool lifetimes. */
  readonly openedAt: number
  /**
   * False once the client library has seen the backend go away (a killed
   * session, a closed socket) or the connection was closed. Costs nothing:
   * it reads what the client's events already told it.
   */
  readonly alive: boolean

  /** Run exactly one statement with positional parameters. */
  execute<R = Row>(sql: string, params?: ReadonlyArray<Param>): Promise<ExecResult<R>>
  /**
   * Stream a result with back-pressure: rows are fetched in batches as the
   * consumer pulls them. Breaking out of the loop releases the server cursor.
   */
  stream<R = Row>(sql: string, params?: ReadonlyArray<Param>, options?: StreamOptions): AsyncIterable<R>

  /** Start a transaction (SQLite: `BEGIN IMMEDIATE` unless read-only). */
  begin(options?: BeginOptions): Promise<void>
  commit(): Promise<void>
  rollback(): Promise<void>

  /** Open a savepoint; `name` must be a plain identifier. */
  savepoint(name: string): Promise<void>
  releaseSavepoint(name: string): Promise<void>
  rollbackToSavepoint(name: string): Promise<void>

  /**
   * Start a transaction that will be committed in two phases under the
   * global id `xid` (PostgreSQL `BEGIN` … `PREPARE TRANSACTION`, MySQL
   * `XA START`). SQLite rejects with `Unsupported`.
   */
  beginTwoPhase(xid: string, options?: BeginOptions): Promise<void>
  /**
   * Prepare the two-phase transaction; the connection becomes idle. If
   * preparing fails, the transaction is rolled back. On MySQL/MariaDB the
   * connection then continues on a fresh session (MariaDB ties a prepared
   * branch to the session that prepared it), so session settings made with
   * `SET`, user variables and temporary tables are lost; the driver's
   * connection options apply again.
   */
  prepare(): Promise<void>
  /** Commit a prepared transaction by id, from any connection. */
  commitPrepared(xid: string): Promise<void>
  /** Roll back a prepared transaction by id, from any connection. */
  rollbackPrepared(xid: string): Promise<void>
  /** Ids of prepared (in-doubt) transactions on this server. */
  listPrepared(): Promise<ReadonlyArray<string>>

  /** Cheap liveness check used by pools on borrow. */
  ping(): Promise<void>
  /** Close the connection; idempotent. */
  close(): Promise<void>
}

/** Opens connections to one database. */
export interface Driver {
  readonly dialect: DialectName
  connect(): Promise<Connection>
}
