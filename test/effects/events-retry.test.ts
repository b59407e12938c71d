/**
 * Engine events, the retry combinator and compile errors in programs.
 * SQLite files are enough here: events and retries live above the driver.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { afterEach, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { dbError, type Deadlock, type SyntaxError } from '../../src/drivers/errors.js'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import { createEngine, execute, retry, run, runPromise, sql, transaction, type Engine, type Program, type QuarryError } from '../../src/effects/index.js'
import { mysql8 } from '../../src/interpret/index.js'
import { freshSqliteFile } from '../support/databases.js'

const open: Engine[] = []
const engineOn = (file: string, busyTimeoutMs = 5000): Engine => {
  const e = createEngine(sqliteDriver({ filename: file, busyTimeoutMs }), { pool: { max: 2 } })
  open.push(e)
  return e
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()))
})

describe('events', () => {
  it('tell listeners about connections, statements and transactions, and can be removed', async () => {
    const e = engineOn(freshSqliteFile())
    const seen: string[] = []
    e.on('connect', (p) => seen.push(`connect ${p.dialect}`))
    const off = e.on('beforeExecute', (p) => seen.push(`before ${p.sql} ${JSON.stringify(p.params)}`))
    e.on('afterExecute', (p) => seen.push(`after ${p.rows} rows${p.error === undefined ? '' : ' error'}`))
    e.on('begin', (p) => seen.push(`begin ${p.depth}`))
    e.on('commit', (p) => seen.push(`commit ${p.depth}`))
    e.on('rollback', (p) => seen.push(`rollback ${p.depth}`))
    await runPromise(e)(sql('CREATE TABLE t (x INTEGER PRIMARY KEY)'))
    await run(e)(transaction()(pipe(sql('INSERT INTO t VALUES (?)', [1]), RTE.chain(() => transaction()(sql('INSERT INTO t VALUES (?)', [1]))))))()
    off()
    await runPromise(e)(sql('SELECT x FROM t'))
    expect(seen).toEqual([
      'connect sqlite',
      'before CREATE TABLE t (x INTEGER PRIMARY KEY) []',
      'after 0 rows',
      'begin 1',
      'before INSERT INTO t VALUES (?) [1]',
      'after 0 rows',
      'begin 2',
      'before INSERT INTO t VALUES (?) [1]',
      'after 0 rows error',
      'rollback 2',
      'rollback 1',
      'after 0 rows',
    ])
  })

  it('a throwing listener does not break the program', async () => {
    const e = engineOn(freshSqliteFile())
    e.on('beforeExecute', () => {
      throw new Error('listener bug')
    })
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => void errors.push(args)
    try {
      const r = await runPromise(e)(sql<{ one: number }>('SELECT 1 AS one'))
      expect(r.rows).toEqual([{ one: 1 }])
    } finally {
      console.error = original
    }
    expect(errors).toHaveLength(1)
  })
})

describe('compile errors', () => {
  it('fail the program before anything is sent', async () => {
    const e = createEngine(sqliteDriver({ filename: freshSqliteFile() }), { dialect: mysql8 })
    open.push(e)
    const sent: string[] = []
    e.on('beforeExecute', (p) => sent.push(p.sql))
    const t = Q.table('t', { x: Q.integer() })
    const full = pipe(Q.from(t), Q.fullJoin(Q.alias('u')(t), (s) => Q.eq(s.t.x, s.u.x)))
    const r = await run(e)(execute(full))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'Unsupported', dialect: 'mysql8' })
    expect(sent).toEqual([])
  })
})

describe('retry', () => {
  it('runs the work again while it fails with a retryable error', async () => {
    let calls = 0
    const flaky: TE.TaskEither<QuarryError, string> = async () =>
      ++calls < 3 ? E.left(dbError<Deadlock>('Deadlock', 'deadlock detected', {})) : E.right('done')
    expect(await retry({ backoffMs: 1 })(flaky)()).toEqual(E.right('done'))
    expect(calls).toBe(3)
  })

  it('gives up after its retries, and never retries a non-retryable error', async () => {
    let calls = 0
    const alwaysDeadlock: TE.TaskEither<QuarryError, never> = async () => (calls++, E.left(dbError<Deadlock>('Deadlock', 'deadlock', {})))
    const r = await retry({ retries: 2, backoffMs: 1 })(alwaysDeadlock)()
    expect(E.isLeft(r) && r.left._tag).toBe('Deadlock')
    expect(calls).toBe(3)
    let syntaxCalls = 0
    const syntax: TE.TaskEither<QuarryError, never> = async () => (syntaxCalls++, E.left(dbError<SyntaxError>('SyntaxError', 'bad', {})))
    await retry({ backoffMs: 1 })(syntax)()
    expect(syntaxCalls).toBe(1)
  })

  it('retries a whole transaction that hit a real lock timeout until the lock is free', async () => {
    const file = freshSqliteFile()
    const holder = engineOn(file)
    const e = engineOn(file, 10)
    await runPromise(holder)(sql('CREATE TABLE t (x INTEGER)'))
    // Hold the write lock for 150 ms on another connection.
    const holding = runPromise(holder)(
      transaction()(pipe(sql('INSERT INTO t VALUES (1)'), RTE.chain(() => RTE.fromTask(() => new Promise((r) => setTimeout(r, 150)))))),
    )
    await new Promise((r) => setTimeout(r, 20))
    let attempts = 0
    const counted: Program<void> = () => async () => {
      attempts++
      return E.right(undefined)
    }
    const work = run(e)(pipe(counted, RTE.chain(() => transaction()(sql('INSERT INTO t VALUES (2)')))))
    const r = await retry({ retries: 8, backoffMs: 20 })(work)()
    await holding
    expect(E.isRight(r)).toBe(true)
    expect(attempts).toBeGreaterThan(1)
    const rows = await runPromise(e)(sql<{ x: number }>('SELECT x FROM t ORDER BY x'))
    expect(rows.rows).toEqual([{ x: 1 }, { x: 2 }])
  })
})
