/**
 * Connection.executeMany on the three real engines: one statement run once
 * per parameter set, in order, with per-set results; all or nothing on an
 * idle connection; the failing set named in the error; parameter checks
 * that send nothing; one statement per execution; the transaction state
 * machine as for execute.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Connection, Param } from '../../src/drivers/driver.js'
import { engines, type EngineDb } from '../support/engines.js'
import { failure } from '../support/failure.js'

describe.each(engines)('executeMany on $name', (engine) => {
  let db: EngineDb
  const open: Connection[] = []
  const connect = async (): Promise<Connection> => {
    const c = await db.driver.connect()
    open.push(c)
    return c
  }
  const p = (i: number): string => db.ph(i)
  const count = async (c: Connection): Promise<number> =>
    Number((await c.execute<{ n: unknown }>('SELECT count(*) AS n FROM item')).rows[0]!.n)
  const ids = async (c: Connection): Promise<number[]> =>
    (await c.execute<{ id: unknown }>('SELECT id FROM item ORDER BY id')).rows.map((r) => Number(r.id))
  const insert = (): string => `INSERT INTO item (id, name, qty) VALUES (${p(1)}, ${p(2)}, ${p(3)})`

  beforeAll(async () => {
    db = await engine.fresh()
    const c = await db.driver.connect()
    await c.execute('CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE, qty INTEGER NOT NULL)')
    await c.execute('CREATE TABLE victim (id INTEGER)')
    await c.close()
  })
  afterEach(async () => {
    // Close first: a test may leave a transaction open that holds locks.
    await Promise.all(open.splice(0).map((x) => x.close()))
    const c = await db.driver.connect()
    await c.execute('DELETE FROM item')
    await c.close()
  })
  afterAll(() => db.drop())

  it('runs the statement once per set, in order, with per-set results and the summed count', async () => {
    const c = await connect()
    const ins = await c.executeMany(insert(), [
      [1, 'a', 10],
      [2, 'b', 20],
      [3, 'c', 30],
    ])
    expect(ins.affectedRows).toBe(3)
    expect(ins.results.map((r) => r.affectedRows)).toEqual([1, 1, 1])
    // Sets that match nothing show as 0: how a stale optimistic update is found.
    const upd = await c.executeMany(`UPDATE item SET qty = qty + ${p(1)} WHERE id = ${p(2)}`, [
      [1, 1],
      [5, 99],
      [7, 3],
    ])
    expect(upd.affectedRows).toBe(2)
    expect(upd.results.map((r) => r.affectedRows)).toEqual([1, 0, 1])
    // Each set's rows stay its own.
    const sel = await c.executeMany<{ name: string; qty: unknown }>(`SELECT name, qty FROM item WHERE id >= ${p(1)} ORDER BY id`, [[3], [99], [2]])
    expect(sel.results.map((r) => r.rows.map((row) => [row.name, Number(row.qty)]))).toEqual([[['c', 37]], [], [['b', 20], ['c', 37]]])
    expect(sel.affectedRows).toBe(0)
    expect(c.state).toBe('idle')
  })

  it('is all or nothing on an idle connection and names the failing set', async () => {
    const c = await connect()
    await c.execute(insert(), [1, 'a', 1])
    const e = await failure(
      c.executeMany(insert(), [
        [2, 'b', 2],
        [3, 'c', 3],
        [4, 'a', 4],
        [5, 'e', 5],
      ]),
    )
    expect(e).toMatchObject({ _tag: 'UniqueViolation', paramSet: 2, sql: insert(), params: ['<number>', '<string(1)>', '<number>'] })
    expect(e.message).toContain('(parameter set 2)')
    expect(await ids(c)).toEqual([1])
    expect(c.state).toBe('idle')
    // The session is clean: no transaction of the batch's own is left open.
    await c.begin()
    await c.execute(insert(), [9, 'z', 9])
    await c.rollback()
    expect(await ids(c)).toEqual([1])
  })

  it('inside a transaction fails the transaction, as execute does, and runs no set after the failing one', async () => {
    const c = await connect()
    await c.begin()
    await c.execute(insert(), [1, 'a', 1])
    await c.savepoint('before')
    const e = await failure(
      c.executeMany(insert(), [
        [2, 'b', 2],
        [3, 'a', 3],
        [4, 'd', 4],
      ]),
    )
    expect(e).toMatchObject({ _tag: 'UniqueViolation', paramSet: 1 })
    expect(c.state).toBe('failed')
    expect((await failure(c.execute('SELECT 1')))._tag).toBe('InvalidState')
    await c.rollbackToSavepoint('before')
    const ok = await c.executeMany(insert(), [
      [2, 'b', 2],
      [4, 'd', 4],
    ])
    expect(ok.affectedRows).toBe(2)
    await c.commit()
    expect(await ids(c)).toEqual([1, 2, 4])
  })

  it('checks every set before sending anything', async () => {
    const c = await connect()
    const sets: Param[][] = Array.from({ length: 50 }, (_, i) => [i + 1, `n${i}`, i])
    for (const bad of [{ id: 1 }, [1], Number.NaN, undefined]) {
      const e = await failure(c.executeMany(insert(), [...sets, [99, bad as never, 1]]))
      expect(e).toMatchObject({ _tag: 'InvalidParameter', paramSet: 50, index: 1, retryable: false })
    }
    const short = await failure(c.executeMany(insert(), [sets[0]!, [2, 'x']]))
    expect(short).toMatchObject({ _tag: 'InvalidParameter', paramSet: 1, index: 2 })
    expect(short.message).toContain('parameter set 1 has 2 values where set 0 has 3')
    expect(await count(c)).toBe(0)
  })

  it('never runs a second ;-joined statement', async () => {
    const c = await connect()
    const e = await failure(c.executeMany(`${insert()}; DROP TABLE victim`, [[1, 'a', 1], [2, 'b', 2]]))
    expect(e._tag).toBe('SyntaxError')
    expect(e.paramSet).toBe(0)
    expect(await count(c)).toBe(0)
    expect((await c.execute('SELECT count(*) AS n FROM victim')).rows).toHaveLength(1)
  })

  it('sends nothing for no sets, and follows the state machine', async () => {
    const c = await connect()
    expect(await c.executeMany(insert(), [])).toEqual({ affectedRows: 0, results: [] })
    await c.begin()
    await failure(c.execute('SELECT * FROM no_such_table'))
    expect((await failure(c.executeMany(insert(), [[1, 'a', 1]])))._tag).toBe('InvalidState')
    await c.rollback()
    await c.close()
    expect((await failure(c.executeMany(insert(), [[1, 'a', 1]])))._tag).toBe('InvalidState')
  })

  it('runs a 1,000-set batch on an idle connection and inside a transaction', async () => {
    const c = await connect()
    const rows: Param[][] = Array.from({ length: 1000 }, (_, i) => [i + 1, `n${i}`, i])
    expect((await c.executeMany(insert(), rows)).affectedRows).toBe(1000)
    await c.begin()
    const upd = await c.executeMany(
      `UPDATE item SET qty = ${p(1)} WHERE id = ${p(2)}`,
      rows.map(([id, , qty]) => [Number(qty) * 2, id!]),
    )
    await c.commit()
    expect(upd.results).toHaveLength(1000)
    expect(upd.affectedRows).toBe(1000)
    expect(Number((await c.execute<{ s: unknown }>('SELECT sum(qty) AS s FROM item')).rows[0]!.s)).toBe(999 * 1000)
  })

  it('reports a generated id per set where the engine has one', async () => {
    const c = await connect()
    await c.execute('CREATE TABLE IF NOT EXISTS auto_item (id INTEGER PRIMARY KEY ' + (engine.name === 'postgresql' ? 'GENERATED ALWAYS AS IDENTITY' : engine.name === 'mariadb' ? 'AUTO_INCREMENT' : '') + ', name VARCHAR(10))')
    const r = await c.executeMany(`INSERT INTO auto_item (name) VALUES (${p(1)})`, [['x'], ['y']])
    const got = r.results.map((x) => (x.insertId === undefined ? undefined : Number(x.insertId)))
    if (engine.name === 'postgresql') expect(got).toEqual([undefined, undefined])
    else expect(got[1]).toBe(got[0]! + 1)
  })
})
