/**
 * A {@link Connection} over the in-memory evaluator, so that everything the
 * runtime does with a connection (transactions, savepoints, the pool's
 * rollback of a connection returned mid-transaction) works unchanged.
 * Transactions follow the drivers' state machine exactly — idle, active,
 * failed (a failed statement must be rolled back, or rolled back to a
 * savepoint, before anything else runs), closed — and a savepoint name used
 * again replaces the older one, as on every real engine through quarry.
 *
 * The data are immutable `Database` values: BEGIN and SAVEPOINT keep a
 * reference, ROLLBACK [TO SAVEPOINT] goes back to it, COMMIT publishes the
 * transaction's value to the engine's store. There is no SQL here: raw SQL
 * (`execute(text)`, `stream`) is a typed `Unsupported`; statement values
 * run through {@link evaluatorOf}.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { StatementNode } from '../../algebra/index.js'
import type { BeginOptions, Connection, DialectName, ExecResult, Row, TxState } from '../../drivers/driver.js'
import { withAccessors } from '../../drivers/accessors.js'
import { dbError, type ConnectionLost, type DbError, type InvalidState, type Unknown } from '../../drivers/errors.js'
import type { Args } from '../../interpret/index.js'
import * as M from '../../interpret/memory/index.js'
import { MEMORY, rawSqlUnsupported, toDbError, unsupported } from './errors.js'

/** The committed database, shared by the engine and its connection. */
export interface MemoryStore {
  db: M.Database
}

/** Runs a statement value in a connection's transaction (or in autocommit). */
export type Evaluator = <R = Row>(statement: StatementNode, args: Args | undefined) => E.Either<DbError, ExecResult<R>>

interface Tx {
  db: M.Database
  savepoints: readonly { readonly name: string; readonly db: M.Database }[]
  readonly readOnly: boolean
}

const evaluators = new WeakMap<Connection, Evaluator>()

/**
 * The evaluator of an in-memory connection; undefined for any other connection.
 *
 * @example
 * const rows = evaluatorOf(session.connection)?.(Q.from(users), undefined)
 */
export const evaluatorOf = (c: Connection): Evaluator | undefined => evaluators.get(c)

const SAVEPOINT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

const WRITES: ReadonlySet<StatementNode['_tag']> = new Set(['Insert', 'Update', 'Delete', 'CreateTable', 'DropTable', 'CreateIndex', 'DropIndex'])

/** The id a real engine of the profile's family reports after an insert, from the auto-increment counter's move. */
const insertIdOf = (profile: M.Profile, table: string, before: M.Database, after: M.Database): number | undefined => {
  if (profile.name === 'postgres') return undefined
  const was = before.tables.get(table)?.nextId
  const now = after.tables.get(table)?.nextId
  if (was === undefined || now === undefined || now <= was) return undefined
  // MySQL/MariaDB report the first generated id, SQLite the last.
  return profile.name === 'sqlite' ? now - 1 : was
}

/**
 * Open a connection over `store` evaluating under `profile`; `dialect` is
 * the driver family its errors name.
 *
 * @example
 * const c = memoryConnection({ db: M.databaseOf([users]) }, M.postgresProfile, 'postgres')
 * await c.begin()
 * evaluatorOf(c)?.(Q.insert(users, { name: 'ada' }), undefined)
 * await c.commit()
 */
export const memoryConnection = (store: MemoryStore, profile: M.Profile, dialect: DialectName): Connection => {
  let state: TxState = 'idle'
  let tx: Tx | undefined
  const run = M.execute(profile)

  const invalid = (what: string): InvalidState => dbError<InvalidState>('InvalidState', `cannot ${what} while the connection is ${state}`, { dialect }, { state })
  const refuse = (what: string): Promise<never> => Promise.reject(invalid(what))
  const checkName = (name: string): InvalidState | undefined =>
    SAVEPOINT_NAME.test(name)
      ? undefined
      : dbError<InvalidState>('InvalidState', `savepoint name ${JSON.stringify(name)} is not a plain identifier (letters, digits, _; at most 63)`, { dialect }, { state })
  const guard = (): InvalidState | undefined => {
    if (state === 'closed') return invalid('run a statement')
    if (state === 'failed')
      return dbError<InvalidState>('InvalidState', 'the transaction failed: roll it back (or roll back to a savepoint) before running more statements', { dialect }, { state })
    return undefined
  }
  const failed = (e: DbError): E.Either<DbError, never> => {
    if (state === 'active') state = 'failed'
    return E.left(e)
  }

  const evaluate: Evaluator = <R>(statement: StatementNode, args: Args | undefined): E.Either<DbError, ExecResult<R>> => {
    const bad = guard()
    if (bad !== undefined) return E.left(bad)
    if (tx?.readOnly === true && WRITES.has(statement._tag))
      // PostgreSQL's read_only_sql_transaction (25006), which no engine gives a tag of its own.
      return failed(dbError<Unknown>('Unknown', `cannot run ${statement._tag} in a read-only transaction`, { dialect, code: '25006' }))
    const before = tx === undefined ? store.db : tx.db
    const r = run(statement, args ?? {})(before)
    if (E.isLeft(r)) return failed(toDbError(r.left, dialect))
    const after = r.right.db
    if (tx === undefined) store.db = after
    else tx.db = after
    const isQuery = statement._tag === 'Select' || statement._tag === 'SetOp' || statement._tag === 'Values' || statement._tag === 'TextQuery'
    return E.right({
      rows: r.right.rows as ReadonlyArray<R>,
      affectedRows: isQuery ? 0 : r.right.rowCount,
      insertId: statement._tag === 'Insert' ? insertIdOf(profile, statement.table.name, before, after) : undefined,
    })
  }

  // The accessors are attached afterwards: a literal with an accessor is a slow object (drivers/accessors.ts).
  const methods: Omit<Connection, 'state' | 'savepoints' | 'alive'> = {
    dialect,
    openedAt: Date.now(),
    execute: (sql) => Promise.reject(state === 'closed' ? invalid('run a statement') : rawSqlUnsupported(dialect, sql, 'hand-written SQL')),
    executeMany: (sql) => Promise.reject(state === 'closed' ? invalid('run a statement') : rawSqlUnsupported(dialect, sql, 'hand-written SQL')),
    stream: (sql) => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(rawSqlUnsupported(dialect, sql, 'a streamed SQL statement')) }),
    }),
    begin: (options: BeginOptions = {}) => {
      if (state !== 'idle') return refuse('begin a transaction')
      // Isolation is accepted and always met: sessions are serialised (one connection), so every transaction is serializable.
      tx = { db: store.db, savepoints: [], readOnly: options.readOnly === true }
      state = 'active'
      return Promise.resolve()
    },
    commit: () => {
      if (state !== 'active' || tx === undefined) return refuse('commit')
      store.db = tx.db
      tx = undefined
      state = 'idle'
      return Promise.resolve()
    },
    rollback: () => {
      if (state !== 'active' && state !== 'failed') return refuse('roll back')
      tx = undefined
      state = 'idle'
      return Promise.resolve()
    },
    savepoint: (name) => {
      const bad = checkName(name)
      if (bad !== undefined) return Promise.reject(bad)
      if (state !== 'active' || tx === undefined) return refuse('open a savepoint')
      tx.savepoints = [...tx.savepoints.filter((s) => s.name !== name), { name, db: tx.db }]
      return Promise.resolve()
    },
    releaseSavepoint: (name) => {
      const bad = checkName(name)
      if (bad !== undefined) return Promise.reject(bad)
      if (state !== 'active' || tx === undefined) return refuse('release a savepoint')
      const at = tx.savepoints.map((s) => s.name).lastIndexOf(name)
      if (at < 0) return refuse(`release unknown savepoint ${name}`)
      tx.savepoints = tx.savepoints.slice(0, at)
      return Promise.resolve()
    },
    rollbackToSavepoint: (name) => {
      const bad = checkName(name)
      if (bad !== undefined) return Promise.reject(bad)
      if ((state !== 'active' && state !== 'failed') || tx === undefined) return refuse('roll back to a savepoint')
      const at = tx.savepoints.map((s) => s.name).lastIndexOf(name)
      if (at < 0) return refuse(`roll back to unknown savepoint ${name}`)
      tx.db = tx.savepoints[at]!.db
      tx.savepoints = tx.savepoints.slice(0, at + 1)
      state = 'active'
      return Promise.resolve()
    },
    beginTwoPhase: () => Promise.reject(unsupported(dialect, 'two-phase commit')),
    prepare: () => Promise.reject(unsupported(dialect, 'two-phase commit')),
    commitPrepared: () => Promise.reject(unsupported(dialect, 'two-phase commit')),
    rollbackPrepared: () => Promise.reject(unsupported(dialect, 'two-phase commit')),
    listPrepared: () => Promise.reject(unsupported(dialect, 'two-phase commit')),
    ping: () =>
      state === 'closed' ? Promise.reject(dbError<ConnectionLost>('ConnectionLost', `the connection to ${MEMORY} is closed`, { dialect })) : Promise.resolve(),
    close: () => {
      state = 'closed'
      tx = undefined
      return Promise.resolve()
    },
  }
  const connection: Connection = withAccessors(methods, {
    state: (): TxState => state,
    savepoints: (): readonly string[] => (tx === undefined ? [] : tx.savepoints.map((s) => s.name)),
    alive: (): boolean => state !== 'closed',
  })
  evaluators.set(connection, evaluate)
  return connection
}
