/**
 * The in-memory engine's failures as the drivers' {@link DbError} union, so
 * a program that folds over `_tag` behaves the same on memory as on a real
 * engine: a constraint the evaluator enforces becomes the tag a real engine
 * gives for it, an unknown table the tag PostgreSQL gives (`SyntaxError`,
 * SQLSTATE class 42), a construct the evaluator cannot run `Unsupported`.
 */
import type { DialectName } from '../../drivers/driver.js'
import {
  dbError,
  type CheckViolation,
  type DataException,
  type DbError,
  type ForeignKeyViolation,
  type InvalidState,
  type NotNullViolation,
  type SyntaxError,
  type UniqueViolation,
  type Unknown,
  type Unsupported,
} from '../../drivers/errors.js'
import type { EvalError } from '../../interpret/memory/index.js'

/** The name errors and messages give the in-memory engine. */
export const MEMORY = 'the in-memory engine'

/**
 * An evaluation error as the DbError a real engine reports for the same
 * failure (total over {@link EvalError}).
 *
 * @example
 * toDbError({ _tag: 'ConstraintViolation', kind: 'unique', table: 'users', constraint: 'users_name_key', message: '…' }, 'postgres')._tag
 * // 'UniqueViolation'
 */
export const toDbError = (e: EvalError, dialect: DialectName): DbError => {
  const ctx = { dialect, cause: e }
  switch (e._tag) {
    case 'ConstraintViolation': {
      const c = { ...ctx, constraint: e.constraint }
      switch (e.kind) {
        case 'unique':
        case 'primary-key':
          return dbError<UniqueViolation>('UniqueViolation', e.message, c)
        case 'foreign-key':
          return dbError<ForeignKeyViolation>('ForeignKeyViolation', e.message, c)
        case 'not-null':
          return dbError<NotNullViolation>('NotNullViolation', e.message, c)
        case 'check':
          return dbError<CheckViolation>('CheckViolation', e.message, c)
      }
    }
    // eslint-disable-next-line no-fallthrough -- the inner switch is total
    case 'InvalidReference':
      return dbError<SyntaxError>('SyntaxError', e.message, ctx)
    case 'NotEvaluable':
      return dbError<Unsupported>('Unsupported', `${e.message} (${MEMORY})`, ctx, { feature: `${e.feature} on ${MEMORY}` })
    case 'RuntimeError':
      // Division by zero, overflow, …: what every engine reports as a data exception; the rest (a subquery of two rows) is Unknown there too.
      return e.data ? dbError<DataException>('DataException', e.message, ctx) : dbError<Unknown>('Unknown', e.message, ctx)
    case 'TransactionStateError':
      return dbError<InvalidState>('InvalidState', e.message, ctx, { state: 'active' })
  }
}

/**
 * Hand-written SQL cannot run where there is no SQL engine.
 *
 * @example
 * rawSqlUnsupported('postgres', 'SELECT 1', 'hand-written SQL').feature // 'hand-written SQL on the in-memory engine'
 */
export const rawSqlUnsupported = (dialect: DialectName, sql: string | undefined, what: string): Unsupported =>
  dbError<Unsupported>(
    'Unsupported',
    `${MEMORY} evaluates statement values and cannot run ${what}; express it as a query value (execute/query) or run it on a SQL engine`,
    { dialect, sql },
    { feature: `${what} on ${MEMORY}` },
  )

/**
 * A feature the in-memory engine does not have (two-phase commit).
 *
 * @example
 * unsupported('mysql', 'two-phase commit').message // 'two-phase commit is not supported by the in-memory engine'
 */
export const unsupported = (dialect: DialectName, feature: string): Unsupported =>
  dbError<Unsupported>('Unsupported', `${feature} is not supported by ${MEMORY}`, { dialect }, { feature: `${feature} on ${MEMORY}` })
