/**
 * `sqlMany`: hand-written SQL run once per parameter set in one driver
 * call, inside a program — rows written on every engine, a bad parameter
 * set rejected with its index before anything runs, and listeners told of
 * one statement. The in-memory engine refuses SQL text with Unsupported.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import { describe, expect, it } from 'vitest'
import { run, sql, sqlMany, transaction } from '../../src/effects/index.js'
import { engines } from '../support/engines.js'
import { runtimeEngines } from './support/runtime-engines.js'

describe.each(engines.map((e) => [e.name, e] as const))('sqlMany on %s', (name) => {
  const open = runtimeEngines.find((r) => r.name === name)!.open
  const ph = (n: number): string => (name === 'postgresql' ? `$${n}` : '?')

  it('writes every set in one call, as one statement to listeners', async () => {
    const { engine, drop } = await open()
    try {
      const seen: string[] = []
      await run(engine)(sql('CREATE TABLE many_t (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)'))()
      engine.on('beforeExecute', (e) => void seen.push(e.sql))
      const insert = `INSERT INTO many_t (id, name) VALUES (${ph(1)}, ${ph(2)})`
      const r = await run(engine)(transaction()(sqlMany(insert, [[1, 'a'], [2, 'b'], [3, 'c']])))()
      expect(E.isRight(r) && r.right.affectedRows).toBe(3)
      expect(seen).toEqual([insert])
      const rows = await run(engine)(sql<{ id: number; name: string }>('SELECT id, name FROM many_t ORDER BY id'))()
      expect(E.isRight(rows) && rows.right.rows.map((x) => [Number(x.id), x.name])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']])
    } finally {
      await engine.close()
      await drop()
    }
  })

  it('a set that cannot be bound is InvalidParameter naming it, and nothing is written', async () => {
    const { engine, drop } = await open()
    try {
      await run(engine)(sql('CREATE TABLE many_u (id INTEGER PRIMARY KEY)'))()
      const program = pipe(
        sqlMany(`INSERT INTO many_u (id) VALUES (${ph(1)})`, [[1], [{ not: 'a scalar' } as never]]),
        RTE.chain(() => sql('SELECT 1')),
      )
      const r = await run(engine)(transaction()(program))()
      expect(E.isLeft(r) && r.left._tag).toBe('InvalidParameter')
      expect(E.isLeft(r) && r.left._tag === 'InvalidParameter' && r.left.paramSet).toBe(1)
      const n = await run(engine)(sql<{ n: number }>('SELECT COUNT(*) AS n FROM many_u'))()
      expect(E.isRight(n) && Number(n.right.rows[0]?.n)).toBe(0)
    } finally {
      await engine.close()
      await drop()
    }
  })
})

describe('sqlMany on the in-memory engine', () => {
  it('is Unsupported, like any SQL text there', async () => {
    const { engine } = await runtimeEngines.find((r) => r.name === 'memory')!.open()
    const r = await run(engine)(sqlMany('UPDATE t SET a = ?', [[1]]))()
    expect(E.isLeft(r) && r.left._tag).toBe('Unsupported')
    await engine.close()
  })
})
