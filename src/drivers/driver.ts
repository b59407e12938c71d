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

/** What {@link Connection.executeMany} produced. */
export interface ExecManyResult<R = Row> {
  /** The sum of every set's affected rows. */
  readonly affectedRows: number
  /**
   * One result per parameter set, in order: its rows (for `RETURNING` or a
   * select), affected rows (a stale optimistic update shows as 0 here) and
   * generated id (MySQL/MariaDB and SQLite).
   */
  readonly results: ReadonlyArray<ExecResult<R>>
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
   * Run one statement once per parameter set, in order, in one call: the
   * batch form of {@link execute} for the same insert/update/delete over
   * many rows. Every set is checked before anything is sent (a bad value in
   * the last set writes nothing), and all sets must bind the same number of
   * values. The batch is all or nothing: inside a transaction a failure
   * fails the transaction as `execute` does; on an idle connection the
   * batch runs in a transaction of its own (PostgreSQL: one pipelined round
   * trip, whose Sync commits or rolls back the lot; MySQL/MariaDB and
   * SQLite: begin … commit around the sets), so statements that commit
   * implicitly (MySQL DDL) are not batch material. A failure rejects with
   * the {@link DbError} of the first failing set, whose `paramSet` is that
   * set's index. No sets: nothing is sent.
   *
   * How each engine runs it: SQLite prepares once and steps the statement
   * per set synchronously; PostgreSQL parses once and pipelines one
   * bind/execute per set before a single Sync; MySQL/MariaDB executes the
   * server-side prepared statement once per set (one round trip each).
   *
   * @example
   * const { affectedRows, results } = await conn.executeMany('UPDATE users SET name = ? WHERE id = ? AND version = ?', [
   *   ['ada', 1, 3],
   *   ['alan', 2, 7],
   * ])
   * const stale = results.findIndex((r) => r.affectedRows === 0)
   */
  executeMany<R = Row>(sql: string, paramSets: ReadonlyArray<ReadonlyArray<Param>>): Promise<ExecManyResult<R>>
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
