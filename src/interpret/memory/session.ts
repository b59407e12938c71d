/**
 * Transactions and savepoints over the immutable database, as an explicit
 * state machine: `idle` (autocommit) or `active` with the snapshot taken at
 * BEGIN and a stack of named savepoints. Every snapshot is just a reference
 * to an older database value, so ROLLBACK [TO SAVEPOINT] is dropping the
 * newer one. An illegal move (COMMIT when idle, an unknown savepoint) is a
 * `TransactionStateError`, never undefined behaviour.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TransactionStateError } from './errors.js'
import type { Database } from './store.js'

/** A session over an in-memory database. */
export type Session =
  | { readonly state: 'idle'; readonly db: Database }
  | {
      readonly state: 'active'
      readonly db: Database
      /** The database as it was at BEGIN. */
      readonly begun: Database
      /** Savepoints, innermost last. */
      readonly savepoints: readonly { readonly name: string; readonly db: Database }[]
    }

const fail = (message: string): E.Either<TransactionStateError, never> => E.left({ _tag: 'TransactionStateError', message })

/** A session in autocommit mode over `db`. */
export const session = (db: Database): Session => ({ state: 'idle', db })

/** BEGIN. */
export const begin = (s: Session): E.Either<TransactionStateError, Session> =>
  s.state === 'active' ? fail('BEGIN inside a transaction (use a savepoint)') : E.right({ state: 'active', db: s.db, begun: s.db, savepoints: [] })

/** COMMIT: the transaction's database becomes the session's. */
export const commit = (s: Session): E.Either<TransactionStateError, Session> =>
  s.state === 'idle' ? fail('COMMIT without a transaction') : E.right({ state: 'idle', db: s.db })

/** ROLLBACK: back to the database as it was at BEGIN. */
export const rollback = (s: Session): E.Either<TransactionStateError, Session> =>
  s.state === 'idle' ? fail('ROLLBACK without a transaction') : E.right({ state: 'idle', db: s.begun })

/** SAVEPOINT name (a name used again hides the older one until it is released, as in PostgreSQL). */
export const savepoint =
  (name: string) =>
  (s: Session): E.Either<TransactionStateError, Session> =>
    s.state === 'idle' ? fail(`SAVEPOINT ${name} without a transaction`) : E.right({ ...s, savepoints: [...s.savepoints, { name, db: s.db }] })

const find = (s: Extract<Session, { readonly state: 'active' }>, name: string): number => {
  for (let i = s.savepoints.length - 1; i >= 0; i--) if (s.savepoints[i]?.name === name) return i
  return -1
}

/** ROLLBACK TO SAVEPOINT name: the database as it was then; the savepoint stays, later ones go. */
export const rollbackTo =
  (name: string) =>
  (s: Session): E.Either<TransactionStateError, Session> => {
    if (s.state === 'idle') return fail(`ROLLBACK TO SAVEPOINT ${name} without a transaction`)
    const i = find(s, name)
    if (i < 0) return fail(`no savepoint ${name}`)
    const sp = s.savepoints[i] as { readonly db: Database }
    return E.right({ ...s, db: sp.db, savepoints: s.savepoints.slice(0, i + 1) })
  }

/** RELEASE SAVEPOINT name: keep the changes; the savepoint and later ones go. */
export const release =
  (name: string) =>
  (s: Session): E.Either<TransactionStateError, Session> => {
    if (s.state === 'idle') return fail(`RELEASE SAVEPOINT ${name} without a transaction`)
    const i = find(s, name)
    if (i < 0) return fail(`no savepoint ${name}`)
    return E.right({ ...s, savepoints: s.savepoints.slice(0, i) })
  }
