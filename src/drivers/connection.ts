/**
 * The one implementation of {@link Connection} shared by every driver. A
 * driver supplies a {@link RawConnection} (run one statement, stream, close,
 * classify native errors) and a {@link TxDialect} (the SQL of transaction
 * control); this module owns the transaction state machine, parameter
 * checks and error classification, so the three drivers cannot drift apart.
 */
import type {
  BeginOptions,
  Connection,
  DialectName,
  ExecManyResult,
  ExecResult,
  Param,
  Row,
  StreamOptions,
  TxState,
} from './driver.js'
import {
  dbError,
  isDbError,
  type ConnectionLost,
  type DbError,
  type ErrorContext,
  type InvalidState,
  type Unsupported,
} from './errors.js'
import { checkParams } from './params.js'
import { checkParamSets, isBatchFailure, totalAffected } from './batch.js'
import { withAccessors } from './accessors.js'

/** What a driver must provide: raw statement execution against its client. */
export interface RawConnection {
  readonly dialect: DialectName
  /**
   * Run one statement; may throw or reject with the client's native error.
   * A synchronous client (better-sqlite3) returns the result directly,
   * which spares a promise on the hot path.
   */
  run<R>(sql: string, params: ReadonlyArray<Param>): ExecResult<R> | Promise<ExecResult<R>>
  /**
   * Run one statement once per set (at least one), in order, stopping at
   * the first failure, which it throws as a `BatchFailure` (batch.ts)
   * naming the set that was running. When `standalone` (the connection has
   * no transaction open) the driver makes the batch all or nothing in a
   * transaction of its own. A synchronous client returns the results directly.
   */
  runMany<R>(
    sql: string,
    sets: ReadonlyArray<ReadonlyArray<Param>>,
    standalone: boolean,
  ): ReadonlyArray<ExecResult<R>> | Promise<ReadonlyArray<ExecResult<R>>>
  /** Stream one statement's rows in batches; may throw native errors. */
  stream<R>(sql: string, params: ReadonlyArray<Param>, batchSize: number): AsyncIterable<R>
  /** Close the client; must not reject. */
  close(): Promise<void>
  /** False once the client saw its backend die. */
  readonly alive: boolean
  /**
   * Called by `prepare()` once the prepare statements succeeded, for an
   * engine whose session stays tied to the prepared transaction (MariaDB):
   * the driver swaps in a fresh session. Must not reject, since the
   * transaction is prepared by then; if no session can be had, `alive`
   * turns false and the connection is closed.
   */
  afterPrepare?(): Promise<void>
}

/** The SQL a dialect uses for transaction control. */
export interface TxDialect {
  /** Statements that start a transaction. */
  begin(options: BeginOptions): ReadonlyArray<string>
  /**
   * Statements run after commit/rollback to restore what `begin(options)` changed in the session
   * (may be empty). Only what was changed: on SQLite a PRAGMA expires every prepared statement of
   * the connection, so restoring after each transaction re-prepared every cached statement.
   */
  afterEnd(options: BeginOptions): ReadonlyArray<string>
  readonly commit: string
  readonly rollback: string
  savepoint(name: string): string
  release(name: string): string
  rollbackTo(name: string): string
  /** Two-phase commit, or the name of the missing feature. */
  readonly twoPhase: TwoPhaseDialect | { readonly unsupported: string }
}

/** The SQL of two-phase commit. xids are validated before they get here. */
export interface TwoPhaseDialect {
  begin(xid: string, options: BeginOptions): ReadonlyArray<string>
  prepare(xid: string): ReadonlyArray<string>
  /** Statements that commit a two-phase transaction without preparing it (`commit()`). */
  commitOnePhase(xid: string): ReadonlyArray<string>
  /**
   * Statements that roll back a two-phase transaction that is not prepared
   * (`rollback()`, and the clean-up after a failed prepare or one-phase
   * commit, so they must be harmless when the engine already ended it).
   * Each is attempted even when an earlier one fails, and the last one's
   * outcome is the rollback's: after a deadlock MySQL refuses `XA END`, yet
   * `XA ROLLBACK` still has to clear the branch.
   */
  rollback(xid: string): ReadonlyArray<string>
  commitPrepared(xid: string): string
  rollbackPrepared(xid: string): string
  /** A query listing prepared xids, and how to read one from a row. */
  readonly listPrepared: string
  readonly xidOf: (row: Row) => string
}

/** Turns a native client error into a {@link DbError}. */
export type Classify = (native: unknown, context: ErrorContext) => DbError

/** Options shared by every driver. */
export interface CommonOptions {
  /** Show parameter values in errors instead of their types (default false). */
  readonly showParams?: boolean
}

const SAVEPOINT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/
const XID = /^[A-Za-z0-9_.:-]{1,64}$/

const EMPTY: ReadonlyArray<Param> = []

/** Wrap a raw client connection in quarry's {@link Connection}. */
export const makeConnection = (
  raw: RawConnection,
  tx: TxDialect,
  classify: Classify,
  options: CommonOptions = {},
): Connection => {
  const dialect = raw.dialect
  const showParams = options.showParams === true
  let state: TxState = 'idle'
  let savepoints: ReadonlyArray<string> = []
  let twoPhaseXid: string | undefined
  let closing: Promise<void> | undefined

  const fail = (native: unknown, sql: string | undefined, params: ReadonlyArray<Param> | undefined, paramSet?: number): DbError => {
    const err = isDbError(native) ? native : classify(native, { dialect, sql, params, showParams, paramSet })
    if (err._tag === 'ConnectionLost' || !raw.alive) state = 'closed'
    else if (state === 'active') state = 'failed'
    return err
  }

  const invalid = (what: string, sql?: string): InvalidState =>
    dbError<InvalidState>('InvalidState', `cannot ${what} while the connection is ${state}`, { dialect, sql }, { state })

  const guardStatement = (sql: string): InvalidState | undefined => {
    if (state === 'closed') return invalid('run a statement', sql)
    if (state === 'failed')
      return dbError<InvalidState>(
        'InvalidState',
        'the transaction failed: roll it back (or roll back to a savepoint) before running more statements',
        { dialect, sql },
        { state },
      )
    return undefined
  }

  /** Run one control statement; a failure is classified and updates the state. */
  const statement = async (sql: string): Promise<void> => {
    try {
      await raw.run(sql, EMPTY)
    } catch (e) {
      throw fail(e, sql, undefined)
    }
  }

  /** Run control statements, stopping at the first failure. */
  const control = async (statements: ReadonlyArray<string>): Promise<void> => {
    for (const sql of statements) await statement(sql)
  }

  /** Run every statement even if an earlier one fails; the outcome is the last one's (see {@link TwoPhaseDialect.rollback}). */
  const attemptAll = async (statements: ReadonlyArray<string>): Promise<void> => {
    const last = statements.length - 1
    for (let i = 0; i <= last; i++) {
      try {
        await statement(statements[i]!)
      } catch (e) {
        if (i === last || state === 'closed') throw e
      }
    }
  }

  /** Best effort after a failed prepare or one-phase commit: leave no half-ended transaction on the session. */
  const abandon = async (tp: TwoPhaseDialect, xid: string): Promise<void> => {
    if (state !== 'closed') await attemptAll(tp.rollback(xid)).catch(() => undefined)
  }

  const checkName = (name: string): void => {
    if (!SAVEPOINT_NAME.test(name))
      throw dbError<InvalidState>(
        'InvalidState',
        `savepoint name ${JSON.stringify(name)} is not a plain identifier (letters, digits, _; at most 63)`,
        { dialect },
        { state },
      )
  }

  const checkXid = (xid: string): void => {
    if (!XID.test(xid))
      throw dbError<InvalidState>(
        'InvalidState',
        `transaction id ${JSON.stringify(xid)} must be 1-64 characters of letters, digits, '_', '.', ':' or '-'`,
        { dialect },
        { state },
      )
  }

  const twoPhase = (): TwoPhaseDialect => {
    if ('unsupported' in tx.twoPhase)
      throw dbError<Unsupported>(
        'Unsupported',
        `${tx.twoPhase.unsupported} is not supported by ${dialect}`,
        { dialect },
        { feature: tx.twoPhase.unsupported },
      )
    return tx.twoPhase
  }

  /** Back to idle after commit/rollback/prepare, unless the connection died meanwhile. */
  const finishTransaction = (): void => {
    if (state !== 'closed') state = 'idle'
    savepoints = []
    twoPhaseXid = undefined
  }

  /** Commit a two-phase transaction in one phase; on failure roll it back so the session is clean. */
  const commitOnePhase = async (tp: TwoPhaseDialect, xid: string): Promise<void> => {
    try {
      await control(tp.commitOnePhase(xid))
    } catch (e) {
      await abandon(tp, xid)
      throw e
    }
  }

  /** What the running transaction's begin changed in the session, to undo when it ends. */
  let restore: ReadonlyArray<string> = []
  const restoreSession = async (): Promise<void> => {
    const statements = restore
    restore = []
    if (statements.length > 0) await control(statements)
  }

  const end = async (commit: boolean): Promise<void> => {
    if (!(state === 'active' || (!commit && state === 'failed'))) throw invalid(commit ? 'commit' : 'roll back')
    const xid = twoPhaseXid
    try {
      if (xid === undefined) await statement(commit ? tx.commit : tx.rollback)
      else if (commit) await commitOnePhase(twoPhase(), xid)
      else await attemptAll(twoPhase().rollback(xid))
    } catch (e) {
      // PostgreSQL and MySQL end the transaction when COMMIT fails; SQLite keeps it open when COMMIT is
      // refused (a deferred foreign key, SQLITE_BUSY). Roll back so that, everywhere, the connection is
      // idle with nothing pending; where the transaction is already over this is a no-op or a harmless error.
      if (commit && xid === undefined)
        try {
          await raw.run(tx.rollback, EMPTY)
        } catch {
          // The transaction was already over.
        }
      // Best effort: a read-only SQLite session must not stay read-only after a failed end.
      await restoreSession().catch(() => undefined)
      throw e
    } finally {
      finishTransaction()
    }
    await restoreSession()
  }

  const methods: Omit<Connection, 'state' | 'savepoints' | 'alive'> = {
    dialect,
    openedAt: Date.now(),

    // Not `async`: one promise per call, not three, on the hottest path.
    execute<R = Row>(sql: string, params: ReadonlyArray<Param> = EMPTY): Promise<ExecResult<R>> {
      const bad = guardStatement(sql) ?? checkParams(params, dialect, sql, showParams)
      if (bad !== undefined) return Promise.reject(bad)
      let result: ExecResult<R> | Promise<ExecResult<R>>
      try {
        result = raw.run<R>(sql, params)
      } catch (e) {
        return Promise.reject(fail(e, sql, params))
      }
      if (result instanceof Promise) {
        return result.then(undefined, (e: unknown) => {
          throw fail(e, sql, params)
        })
      }
      return Promise.resolve(result)
    },

    executeMany<R = Row>(sql: string, sets: ReadonlyArray<ReadonlyArray<Param>>): Promise<ExecManyResult<R>> {
      const bad = guardStatement(sql) ?? checkParamSets(sets, dialect, sql, showParams)
      if (bad !== undefined) return Promise.reject(bad)
      if (sets.length === 0) return Promise.resolve({ affectedRows: 0, results: [] })
      const failed = (e: unknown): DbError =>
        isBatchFailure(e) ? fail(e.cause, sql, e.set === undefined ? undefined : sets[e.set], e.set) : fail(e, sql, undefined)
      const summed = (results: ReadonlyArray<ExecResult<R>>): ExecManyResult<R> => ({ affectedRows: totalAffected(results), results })
      let results: ReadonlyArray<ExecResult<R>> | Promise<ReadonlyArray<ExecResult<R>>>
      try {
        results = raw.runMany<R>(sql, sets, state === 'idle')
      } catch (e) {
        return Promise.reject(failed(e))
      }
      if (results instanceof Promise) {
        return results.then(summed, (e: unknown) => {
          throw failed(e)
        })
      }
      return Promise.resolve(summed(results))
    },

    stream<R = Row>(sql: string, params: ReadonlyArray<Param> = EMPTY, opts: StreamOptions = {}): AsyncIterable<R> {
      const batchSize = opts.batchSize ?? 500
      return {
        async *[Symbol.asyncIterator]() {
          const bad = guardStatement(sql) ?? checkParams(params, dialect, sql, showParams)
          if (bad !== undefined) throw bad
          try {
            yield* raw.stream<R>(sql, params, batchSize)
          } catch (e) {
            throw fail(e, sql, params)
          }
        },
      }
    },

    async begin(opts: BeginOptions = {}) {
      if (state !== 'idle') throw invalid('begin a transaction')
      restore = tx.afterEnd(opts)
      await control(tx.begin(opts))
      state = 'active'
    },
    commit: () => end(true),
    rollback: () => end(false),

    async savepoint(name: string) {
      checkName(name)
      if (state !== 'active') throw invalid('open a savepoint')
      await control([tx.savepoint(name)])
      savepoints = [...savepoints.filter((s) => s !== name), name]
    },
    async releaseSavepoint(name: string) {
      checkName(name)
      if (state !== 'active') throw invalid('release a savepoint')
      const at = savepoints.lastIndexOf(name)
      if (at < 0) throw invalid(`release unknown savepoint ${name}`)
      await control([tx.release(name)])
      savepoints = savepoints.slice(0, at)
    },
    async rollbackToSavepoint(name: string) {
      checkName(name)
      if (state !== 'active' && state !== 'failed') throw invalid('roll back to a savepoint')
      const at = savepoints.lastIndexOf(name)
      if (at < 0) throw invalid(`roll back to unknown savepoint ${name}`)
      const wasFailed = state === 'failed'
      if (wasFailed) state = 'active'
      try {
        await control([tx.rollbackTo(name)])
      } catch (e) {
        if (wasFailed && state === 'active') state = 'failed'
        throw e
      }
      savepoints = savepoints.slice(0, at + 1)
    },

    async beginTwoPhase(xid: string, opts: BeginOptions = {}) {
      const tp = twoPhase()
      checkXid(xid)
      if (state !== 'idle') throw invalid('begin a two-phase transaction')
      restore = tx.afterEnd(opts)
      await control(tp.begin(xid, opts))
      state = 'active'
      twoPhaseXid = xid
    },
    async prepare() {
      const tp = twoPhase()
      if (state !== 'active' || twoPhaseXid === undefined) throw invalid('prepare (no two-phase transaction is active)')
      const xid = twoPhaseXid
      try {
        await control(tp.prepare(xid))
      } catch (e) {
        await abandon(tp, xid)
        throw e
      } finally {
        // Prepared or rolled back, the transaction no longer belongs to this session.
        finishTransaction()
      }
      if (raw.afterPrepare !== undefined) {
        // A fresh session starts with the defaults: nothing for afterEnd to restore.
        restore = []
        await raw.afterPrepare()
        if (!raw.alive) state = 'closed'
      } else await restoreSession()
    },
    async commitPrepared(xid: string) {
      const tp = twoPhase()
      checkXid(xid)
      if (state !== 'idle') throw invalid('commit a prepared transaction')
      await control([tp.commitPrepared(xid)])
    },
    async rollbackPrepared(xid: string) {
      const tp = twoPhase()
      checkXid(xid)
      if (state !== 'idle') throw invalid('roll back a prepared transaction')
      await control([tp.rollbackPrepared(xid)])
    },
    async listPrepared() {
      const tp = twoPhase()
      const guard = guardStatement(tp.listPrepared)
      if (guard !== undefined) throw guard
      try {
        const r = await raw.run<Row>(tp.listPrepared, EMPTY)
        return r.rows.map(tp.xidOf)
      } catch (e) {
        throw fail(e, tp.listPrepared, undefined)
      }
    },

    async ping() {
      if (state === 'closed' || !raw.alive) {
        state = 'closed'
        throw dbError<ConnectionLost>('ConnectionLost', 'the connection is closed', { dialect })
      }
      await control(['SELECT 1'])
    },
    close() {
      state = 'closed'
      closing ??= raw.close()
      return closing
    },
  }
  // Accessors attached afterwards keep the object's fast properties (see accessors.ts).
  return withAccessors<typeof methods, Pick<Connection, 'state' | 'savepoints' | 'alive'>>(methods, {
    state: () => state,
    savepoints: () => savepoints,
    alive: () => state !== 'closed' && raw.alive,
  })
}
