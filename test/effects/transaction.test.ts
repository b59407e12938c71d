/**
 * Programs, transactions and savepoints through the effects runtime on the
 * three real engines and the in-memory engine: commit, rollback on failure
 * and on throw, nested transactions as savepoints that undo only the nested
 * work, and options that only make sense on the outermost transaction. The
 * programs are statement values, so the same ones run on all four.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { execute, query, run, runPromise, transaction, type Engine, type Program } from '../../src/effects/index.js'
import { runtimeEngines } from './support/runtime-engines.js'

const t = Q.table('t', { x: Q.integer().primaryKey() })
const missing = Q.table('no_such_table', { x: Q.integer() })

describe.each(runtimeEngines)('transactions on $name', (engine) => {
  let e: Engine
  let drop: () => Promise<void>
  const xs = (min = 0): Program<number[]> =>
    pipe(
      query<{ x: number | string }>(pipe(Q.from(t), Q.where((s) => Q.gte(s.t.x, min)), Q.orderBy((s) => [s.t.x]))),
      RTE.map((rows) => rows.map((r) => Number(r.x))),
    )
  const count = async (): Promise<number> => (await runPromise(e)(xs())).length
  const insert = (x: number): Program<unknown> => execute(Q.insert(t, { x }))
  const boom: Program<never> = query(Q.from(missing)) as Program<never>

  beforeAll(async () => {
    ;({ engine: e, drop } = await engine.open({ max: 3 }))
    await runPromise(e)(execute(Q.createTable(t)))
  })
  afterAll(async () => {
    await e.close()
    await drop()
  })

  it('commits a program that succeeds and rolls back one that fails', async () => {
    const before = await count()
    await runPromise(e)(transaction()(pipe(insert(1), RTE.chain(() => insert(2)))))
    expect(await count()).toBe(before + 2)
    const failed = await run(e)(transaction()(pipe(insert(3), RTE.chain(() => insert(1)))))()
    expect(E.isLeft(failed) && failed.left._tag).toBe('UniqueViolation')
    expect(await count()).toBe(before + 2)
  })

  it('an unknown table is the same SyntaxError everywhere', async () => {
    const r = await run(e)(boom)()
    expect(E.isLeft(r) && r.left._tag).toBe('SyntaxError')
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
    expect(await runPromise(e)(xs(20))).toEqual([20, 22])
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
    expect(await runPromise(e)(xs(30))).toEqual([30])
  })

  it('refuses isolation or read-only on a nested transaction', async () => {
    const r = await run(e)(transaction()(transaction({ readOnly: true })(insert(40))))()
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidState')
    expect(await runPromise(e)(xs(40))).toEqual([])
  })

  it('read-only outer transactions refuse writes; isolation levels are accepted', async () => {
    const r = await run(e)(transaction({ readOnly: true })(insert(50)))()
    expect(E.isLeft(r)).toBe(true)
    expect(await runPromise(e)(xs(50))).toEqual([])
    await runPromise(e)(transaction({ isolation: 'serializable' })(insert(55)))
    expect(await runPromise(e)(xs(55))).toEqual([55])
  })

  it('a connection returned with an open transaction is rolled back by the pool', async () => {
    const before = await count()
    const leaky: Program<void> = (s) => async () => {
      await s.connection.begin()
      const r = await insert(60)(s)()
      return E.map(() => undefined)(r)
    }
    await runPromise(e)(leaky)
    expect(await count()).toBe(before)
  })
})
