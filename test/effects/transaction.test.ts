/**
 * Programs, transactions and savepoints through the effects runtime on the
 * three real engines: commit, rollback on failure and on throw, nested
 * transactions as savepoints that undo only the nested work, and options
 * that only make sense on the outermost transaction.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, run, runPromise, sql, transaction, type Engine, type Program } from '../../src/effects/index.js'
import { engines, type EngineDb } from '../support/engines.js'

describe.each(engines)('transactions on $name', (engine) => {
  let db: EngineDb
  let e: Engine
  const count = (): Promise<number> =>
    runPromise(e)(pipe(sql<{ n: number | string }>('SELECT count(*) AS n FROM t'), RTE.map((r) => Number(r.rows[0]!.n))))
  const insert = (x: number): Program<unknown> => sql(`INSERT INTO t (x) VALUES (${db.ph(1)})`, [x])
  const boom: Program<never> = sql('SELECT * FROM no_such_table') as Program<never>

  beforeAll(async () => {
    db = await engine.fresh()
    e = createEngine(db.driver, { pool: { max: 3 } })
    await runPromise(e)(sql('CREATE TABLE t (x INTEGER PRIMARY KEY)'))
  })
  afterAll(async () => {
    await e.close()
    await db.drop()
  })

  it('commits a program that succeeds and rolls back one that fails', async () => {
    const before = await count()
    await runPromise(e)(transaction()(pipe(insert(1), RTE.chain(() => insert(2)))))
    expect(await count()).toBe(before + 2)
    const failed = await run(e)(transaction()(pipe(insert(3), RTE.chain(() => insert(1)))))()
    expect(E.isLeft(failed) && failed.left._tag).toBe('UniqueViolation')
    expect(await count()).toBe(before + 2)
  })

  it('rolls back when the program throws, and rethrows', async () => {
    const before = await count()
    const throwing: Program<never> = () => () => Promise.reject(new Error('a bug in user code'))
    await expect(runPromise(e)(transaction()(pipe(insert(10), RTE.chain(() => throwing))))).rejects.toThrow('a bug in user code')
    expect(await count()).toBe(before)
  })

  it('a nested transaction is a savepoint: its failure undoes only the nested work', async () => {
    const before = await count()
    const program = transaction()(
      pipe(
        insert(20),
        RTE.chain(() =>
          pipe(
            transaction()(pipe(insert(21), RTE.chain(() => boom))),
            RTE.orElse((): Program<string> => RTE.right('recovered')),
          ),
        ),
        RTE.chain(() => insert(22)),
      ),
    )
    await runPromise(e)(program)
    const rows = await runPromise(e)(sql<{ x: number }>('SELECT x FROM t WHERE x >= 20 ORDER BY x'))
    expect(rows.rows.map((r) => Number(r.x))).toEqual([20, 22])
    expect(await count()).toBe(before + 2)
  })

  it('savepoints nest to any depth and release on success', async () => {
    const depth3 = transaction()(transaction()(transaction()(insert(30))))
    const observed = await runPromise(e)(
      transaction()(
        pipe(
          depth3,
          RTE.chain(() => (s) => async () => E.right(s.connection.savepoints)),
        ),
      ),
    )
    expect(observed).toEqual([])
    expect((await runPromise(e)(sql<{ x: number }>('SELECT x FROM t WHERE x = 30'))).rows).toHaveLength(1)
  })

  it('refuses isolation or read-only on a nested transaction', async () => {
    const r = await run(e)(transaction()(transaction({ readOnly: true })(insert(40))))()
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidState')
    expect((await runPromise(e)(sql('SELECT x FROM t WHERE x = 40'))).rows).toHaveLength(0)
  })

  it('read-only outer transactions refuse writes', async () => {
    const r = await run(e)(transaction({ readOnly: true })(insert(50)))()
    expect(E.isLeft(r)).toBe(true)
    expect((await runPromise(e)(sql('SELECT x FROM t WHERE x = 50'))).rows).toHaveLength(0)
  })

  it('a connection returned with an open transaction is rolled back by the pool', async () => {
    const before = await count()
    const leaky: Program<void> = (s) => async () => {
      await s.connection.begin()
      await s.connection.execute(`INSERT INTO t (x) VALUES (${db.ph(1)})`, [60])
      return E.right(undefined)
    }
    await runPromise(e)(leaky)
    expect(await count()).toBe(before)
  })
})
