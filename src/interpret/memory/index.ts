/**
 * quarry's in-memory engine: the reference semantics of the algebra and a
 * database-free engine for tests. Queries, data changes and DDL are
 * evaluated over an immutable `Database` under a dialect `Profile` (where
 * engines differ; see profile.ts). Nothing here does I/O.
 *
 * @example
 * const db0 = databaseOf([users])
 * const db1 = pipe(db0, execute(postgresProfile)(insert(users, [{ id: 1, name: 'ada' }])), E.map((r) => r.db))
 * const rows = pipe(db1, E.chain(evaluate(postgresProfile)(pipe(from(users), select((s) => ({ name: s.users.name }))))))
 */
import * as E from 'fp-ts/lib/Either.js'
import { outputColumns, type QueryNode, type StatementNode, type StatementTag } from '../../algebra/index.js'
import { ctxOf, toStored } from './context.js'
import { rowEnv, type Result } from './env.js'
import { catchAbort, type EvalError } from './errors.js'
import { applyMutation } from './mutate.js'
import type { Profile } from './profile.js'
import { evalQuery } from './query.js'
import type { Session } from './session.js'
import { applyDdl, type Database } from './store.js'

export * from './profile.js'
export * from './session.js'
export type { EvalError, RuntimeError, NotEvaluable, InvalidReference, ConstraintViolation, TransactionStateError } from './errors.js'
export { databaseOf, emptyDatabase, type Database, type TableData } from './store.js'
export type { SqlValue } from './values.js'

/** A result row: output column name → value (exact decimals as strings, as a driver gives them). */
export type Row = Readonly<Record<string, unknown>>

/** Named parameter values (as `compile` takes them). */
export type Args = Readonly<Record<string, unknown>>

/** What executing a statement gives: the new database, the rows (query or RETURNING) and the rows written. */
export interface Executed {
  readonly db: Database
  readonly rows: readonly Row[]
  readonly rowCount: number
}

const toRows = (columns: readonly { readonly name: string; readonly type: Parameters<typeof toStored>[0] }[], r: Result): Row[] =>
  r.rows.map((vs) => {
    const row: Record<string, unknown> = {}
    r.columns.forEach((c, i) => (row[c] = toStored(columns[i]?.type, vs[i] ?? null)))
    return row
  })

const queryRows = (p: Profile, q: QueryNode, db: Database, args: Args): Row[] => {
  const ctx = ctxOf(p, db, args)
  return toRows(outputColumns(q), evalQuery(q, rowEnv(ctx, undefined, {})))
}

type Handlers = { readonly [K in StatementTag]: (s: Extract<StatementNode, { readonly _tag: K }>, p: Profile, db: Database, args: Args) => Executed }

const query = (s: QueryNode, p: Profile, db: Database, args: Args): Executed => {
  const rows = queryRows(p, s, db, args)
  return { db, rows, rowCount: rows.length }
}
const mutation = (s: Extract<StatementNode, { readonly _tag: 'Insert' | 'Update' | 'Delete' }>, p: Profile, db: Database, args: Args): Executed => {
  const w = applyMutation(s, p, db, args)
  const fields = s.returning ?? []
  return { db: w.db, rowCount: w.rowCount, rows: w.returning === undefined ? [] : toRows(fields.map((f) => ({ name: f.name, type: outputColumns({ _tag: 'Select', fields: [f] } as never)[0]?.type })), w.returning) }
}
const ddl = (s: Extract<StatementNode, { readonly _tag: 'CreateTable' | 'DropTable' | 'CreateIndex' | 'DropIndex' | 'AlterTable' }>, _p: Profile, db: Database): Executed => ({
  db: applyDdl(s, db),
  rows: [],
  rowCount: 0,
})

const statements: Handlers = {
  Select: query,
  SetOp: query,
  Values: query,
  TextQuery: query,
  Insert: mutation,
  Update: mutation,
  Delete: mutation,
  CreateTable: ddl,
  DropTable: ddl,
  CreateIndex: ddl,
  DropIndex: ddl,
  AlterTable: ddl,
}

/**
 * Evaluate a query over a database: the rows in the query's order (SQL
 * order where the query has ORDER BY; otherwise the evaluator's, which no
 * engine promises).
 */
export const evaluate =
  (p: Profile) =>
  (q: QueryNode, args: Args = {}) =>
  (db: Database): E.Either<EvalError, readonly Row[]> => {
    const r = catchAbort(() => queryRows(p, q, db, args))
    return r.ok ? E.right(r.value) : E.left(r.error)
  }

/**
 * Execute any statement (query, data change, DDL). A failed statement
 * changes nothing: the caller still holds the old database.
 */
export const execute =
  (p: Profile) =>
  (s: StatementNode, args: Args = {}) =>
  (db: Database): E.Either<EvalError, Executed> => {
    const r = catchAbort(() => (statements[s._tag] as (s: StatementNode, p: Profile, db: Database, args: Args) => Executed)(s, p, db, args))
    return r.ok ? E.right(r.value) : E.left(r.error)
  }

/** Execute a statement in a session (inside a transaction or in autocommit); a failure leaves the session as it was. */
export const executeIn =
  (p: Profile) =>
  (s: StatementNode, args: Args = {}) =>
  (sess: Session): E.Either<EvalError, { readonly session: Session; readonly rows: readonly Row[]; readonly rowCount: number }> =>
    E.map((x: Executed) => ({ session: { ...sess, db: x.db }, rows: x.rows, rowCount: x.rowCount }))(execute(p)(s, args)(sess.db))
