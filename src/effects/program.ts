/**
 * Programs: database work as values. A `Program<A>` is an fp-ts
 * `ReaderTaskEither<Session, QuarryError, A>` — it needs a session (an
 * engine and one borrowed connection), may fail with a typed error, and
 * yields an `A` when run. Nothing happens until `run` (see `run.ts`) hands it
 * a session; programs compose with fp-ts (`pipe`, `RTE.chain`, `sequenceT`).
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import type { StatementNode } from '../algebra/index.js'
import type { Connection, ExecManyResult, ExecResult, Param, Row } from '../drivers/driver.js'
import { isDbError, type DbError, type Unknown } from '../drivers/errors.js'
import { dbError } from '../drivers/errors.js'
import { compile, type Args, type CompileError } from '../interpret/index.js'
import type { MappingError } from '../mapping/index.js'
import type { Engine } from './engine.js'
import { emit } from './events.js'
import type { GraphError } from './graph/errors.js'

/** Every failure a program can report: database (incl. pool), compile, or change-graph errors. */
export type QuarryError = DbError | CompileError | GraphError | MappingError

/** What a running program reads: its engine, its connection, its transaction depth. */
export interface Session {
  readonly engine: Engine
  readonly connection: Connection
  /** 0 outside a transaction, 1 in a transaction, n > 1 inside n - 1 savepoints. */
  readonly depth: number
}

/** Database work that needs a {@link Session} and yields `A` or a {@link QuarryError}. */
export type Program<A> = RTE.ReaderTaskEither<Session, QuarryError, A>

/** Anything a driver rejected with that is not a DbError is a bug; keep it visible as Unknown. */
const asError = (e: unknown): QuarryError =>
  isDbError(e) ? e : dbError<Unknown>('Unknown', e instanceof Error ? e.message : String(e), { cause: e })

/** Run SQL on the session's connection, telling the engine's listeners. */
export const executeOn = async <R>(s: Session, text: string, params: ReadonlyArray<Param>): Promise<E.Either<QuarryError, ExecResult<R>>> => {
  const l = s.engine.listeners
  if (l.beforeExecute.length === 0 && l.afterExecute.length === 0) {
    try {
      return E.right(await s.connection.execute<R>(text, params))
    } catch (e) {
      return E.left(asError(e))
    }
  }
  emit(l, 'beforeExecute', { sql: text, params })
  const t0 = performance.now()
  try {
    const r = await s.connection.execute<R>(text, params)
    emit(l, 'afterExecute', { sql: text, params, ms: performance.now() - t0, rows: r.rows.length, error: undefined })
    return E.right(r)
  } catch (e) {
    emit(l, 'afterExecute', { sql: text, params, ms: performance.now() - t0, rows: 0, error: e })
    return E.left(asError(e))
  }
}

const NO_PARAMS: ReadonlyArray<Param> = []

/**
 * Run SQL once per parameter set on the session's connection
 * (`Connection.executeMany`: prepared once, run per set in one call). To
 * listeners the batch is one statement — one beforeExecute/afterExecute,
 * with the first parameter set.
 */
const executeManyOn = async <R>(s: Session, text: string, sets: ReadonlyArray<ReadonlyArray<Param>>): Promise<E.Either<QuarryError, ExecManyResult<R>>> => {
  const l = s.engine.listeners
  const quiet = l.beforeExecute.length === 0 && l.afterExecute.length === 0
  const params = sets[0] ?? NO_PARAMS
  if (!quiet) emit(l, 'beforeExecute', { sql: text, params })
  const t0 = quiet ? 0 : performance.now()
  try {
    const r = await s.connection.executeMany<R>(text, sets)
    if (!quiet) emit(l, 'afterExecute', { sql: text, params, ms: performance.now() - t0, rows: 0, error: undefined })
    return E.right(r)
  } catch (e) {
    if (!quiet) emit(l, 'afterExecute', { sql: text, params, ms: performance.now() - t0, rows: 0, error: e })
    return E.left(asError(e))
  }
}

/**
 * Hand-written SQL run once per parameter set, in one call to the driver
 * (the batch of an UPDATE or INSERT written by hand).
 *
 * @example
 * const p = sqlMany('UPDATE account SET balance = ? WHERE id = ?', [[10, 1], [20, 2]])
 */
export const sqlMany =
  <R = Row>(text: string, sets: ReadonlyArray<ReadonlyArray<Param>>): Program<ExecManyResult<R>> =>
  (s) =>
  () =>
    executeManyOn<R>(s, text, sets)

/**
 * Hand-written SQL with positional parameters, in the engine's placeholder
 * style — the escape hatch that needs no query value.
 *
 * @example
 * const p = sql<{ n: number }>('SELECT count(*) AS n FROM album WHERE artist_id = ?', [1])
 */
export const sql =
  <R = Row>(text: string, params: ReadonlyArray<Param> = []): Program<ExecResult<R>> =>
  (s) =>
  () =>
    executeOn<R>(s, text, params)

/**
 * Compile a statement value for the engine's dialect and run it; named
 * parameters take their values from `args`. A compile error (an
 * unsupported construct, a missing parameter) fails the program before
 * anything is sent.
 */
export const execute =
  <R = Row>(statement: StatementNode, args?: Args): Program<ExecResult<R>> =>
  (s) =>
  () => {
    // An engine without SQL (in memory) evaluates the value itself.
    const evaluate = s.engine.evaluate
    if (evaluate !== undefined) return evaluate<R>(s, statement, args)
    const compiled = compile(s.engine.dialect)(statement, args)
    if (E.isLeft(compiled)) return Promise.resolve(compiled)
    return executeOn<R>(s, compiled.right.sql, compiled.right.params as ReadonlyArray<Param>)
  }

/** Compile and run a query, yielding its rows. */
export const query = <R = Row>(statement: StatementNode, args?: Args): Program<ReadonlyArray<R>> => {
  const run = execute<R>(statement, args)
  return (s) => async () => E.map((r: ExecResult<R>) => r.rows)(await run(s)())
}
