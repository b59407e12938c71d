/**
 * XA bookkeeping for one MySQL/MariaDB session. The shared state machine
 * ends every transaction with plain `COMMIT`/`ROLLBACK`, which the server
 * refuses inside an XA branch (XAER_RMFAIL), and MariaDB 10.11 keeps a
 * prepared branch attached to the session that prepared it: that session
 * can touch no table until the branch is committed, and no other session
 * can commit it (XAER_NOTA) until the preparing one disconnects. So this
 * module watches the XA statements going by and:
 *
 * - turns `ROLLBACK` in a branch into `XA END` + `XA ROLLBACK`, and `COMMIT`
 *   into `XA END` + `XA COMMIT … ONE PHASE`, so `rollback()` (and a pool
 *   returning a connection mid-transaction) leaves a clean session;
 * - after a successful `XA PREPARE`, calls `detach`, which swaps in a fresh
 *   session so the branch is recoverable from any connection and this one
 *   is idle, as the Connection interface promises;
 * - when `XA END`/`XA PREPARE` fails, rolls the branch back, since the
 *   state machine then considers the transaction over;
 * - retries `XA COMMIT`/`XA ROLLBACK` of a branch the server does not know
 *   (XAER_NOTA) for up to 0.1 s: MariaDB detaches a leaving session's
 *   branch during its cleanup, so a commit sent the moment the preparing
 *   session disconnected can arrive before the branch is recoverable
 *   (seen about once in 50 tries here).
 */
import type { ExecResult, Param } from '../driver.js'

type Send = <R>(sql: string, params: ReadonlyArray<Param>) => Promise<ExecResult<R>>

const EMPTY: ReadonlyArray<Param> = []
const XA_STATEMENT = /^XA (START|END|PREPARE|COMMIT|ROLLBACK) '([^']*)'/
const ignore = (): void => undefined
const XAER_NOTA = 1397
const NOTA_RETRIES = 5
const NOTA_DELAY_MS = 20
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const isNota = (e: unknown): boolean => (e as { errno?: unknown } | null)?.errno === XAER_NOTA

/** Runs statements through `send`, keeping XA branches of the session consistent. */
export interface XaSession {
  /** True while a branch is attached to the session: every statement must go through {@link XaSession.run}. */
  readonly attached: boolean
  run<R>(sql: string, params: ReadonlyArray<Param>): Promise<ExecResult<R>>
}

/** Track the XA branch of one session that runs its statements through `send`. */
export const xaSession = (send: Send, detach: () => Promise<void>): XaSession => {
  let xid: string | undefined
  let ended = false

  const forget = (): void => {
    xid = undefined
    ended = false
  }

  /** Best effort: the branch is abandoned; leave the session usable. */
  const abandon = async (x: string): Promise<void> => {
    if (!ended) await send(`XA END '${x}'`, EMPTY).then(ignore, ignore)
    await send(`XA ROLLBACK '${x}'`, EMPTY).then(ignore, ignore)
    forget()
  }

  const endBranch = async <R>(sql: 'COMMIT' | 'ROLLBACK', x: string): Promise<ExecResult<R>> => {
    if (sql === 'ROLLBACK') {
      // After a deadlock XA END itself reports the rollback (XA_RBDEADLOCK); XA ROLLBACK still clears the branch.
      if (!ended) await send(`XA END '${x}'`, EMPTY).then(ignore, ignore)
      try {
        return await send<R>(`XA ROLLBACK '${x}'`, EMPTY)
      } finally {
        forget()
      }
    }
    try {
      if (!ended) await send(`XA END '${x}'`, EMPTY)
      ended = true
      const result = await send<R>(`XA COMMIT '${x}' ONE PHASE`, EMPTY)
      forget()
      return result
    } catch (e) {
      await abandon(x)
      throw e
    }
  }

  /** Resend a commit/rollback of a branch that may not be detached yet; the last error if it never is. */
  const retryNota = async <R>(sql: string, params: ReadonlyArray<Param>, first: unknown): Promise<ExecResult<R>> => {
    let last = first
    for (let i = 0; i < NOTA_RETRIES && isNota(last); i++) {
      await sleep(NOTA_DELAY_MS)
      try {
        return await send<R>(sql, params)
      } catch (e) {
        last = e
      }
    }
    throw last
  }

  return {
    get attached() {
      return xid !== undefined
    },
    async run<R>(sql: string, params: ReadonlyArray<Param>): Promise<ExecResult<R>> {
      if (xid !== undefined && (sql === 'COMMIT' || sql === 'ROLLBACK')) return endBranch<R>(sql, xid)
      const m = XA_STATEMENT.exec(sql)
      if (m === null) return send<R>(sql, params)
      const verb = m[1]
      const target = m[2] ?? ''
      let result: ExecResult<R>
      try {
        result = await send<R>(sql, params)
      } catch (e) {
        if ((verb === 'END' || verb === 'PREPARE') && target === xid) await abandon(target)
        if ((verb === 'COMMIT' || verb === 'ROLLBACK') && xid === undefined && isNota(e)) return retryNota<R>(sql, params, e)
        throw e
      }
      if (verb === 'START') {
        xid = target
        ended = false
      } else if (verb === 'END') {
        ended = true
      } else if (verb === 'PREPARE') {
        forget()
        await detach()
      } else if (target === xid) {
        forget()
      }
      return result
    },
  }
}
