/**
 * Savepoint sequences against a pure model, on the three real engines and
 * the in-memory engine (its connection must follow the same state machine).
 * fast-check generates sequences of begin / insert / failing insert /
 * savepoint / release / rollback-to / commit / rollback; after each step the
 * rows the connection sees must be the model's, and every move the model
 * forbids must be refused with InvalidState before reaching the server.
 *
 * Savepoint names are reused on purpose: quarry gives every engine MySQL's
 * rule (a new savepoint with an existing name replaces the old one).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import type { Connection, ExecResult } from '../../src/drivers/driver.js'
import { isDbError } from '../../src/drivers/errors.js'
import { execute, type Engine } from '../../src/effects/index.js'
import { runtimeEngines } from './support/runtime-engines.js'

const t = Q.table('t', { x: Q.integer().primaryKey() })

interface Tx {
  rows: number[]
  savepoints: { name: string; rows: number[] }[]
  failed: boolean
}
interface Model {
  committed: number[]
  tx: Tx | undefined
  next: number
}
interface Real {
  readonly c: Connection
  /** Run a statement value on the connection; rejects with the program's error. */
  readonly exec: (s: Q.StatementNode) => Promise<ExecResult<{ x: number | string }>>
}

/** Statement values through the runtime on `c`, so the memory engine (which has no SQL) runs the same commands. */
const execOn =
  (engine: Engine, c: Connection): Real['exec'] =>
  async (statement) => {
    const r = await execute<{ x: number | string }>(statement)({ engine, connection: c, depth: 0 })()
    if (E.isLeft(r)) throw r.left
    return r.right
  }
const insertOf = (x: number): Q.StatementNode => Q.insert(t, { x })
const all: Q.StatementNode = pipe(Q.from(t), Q.orderBy((s) => [s.t.x]))

const NAMES = ['a', 'b', 'c'] as const
const sorted = (xs: ReadonlyArray<number>): number[] => [...xs].sort((a, b) => a - b)
const visible = (m: Model): number[] => sorted(m.tx?.rows ?? m.committed)

const refused = async (p: Promise<unknown>): Promise<void> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(isDbError(e) && e._tag).toBe('InvalidState')
}

const check = async (m: Model, r: Real): Promise<void> => {
  if (m.tx?.failed === true) return refused(r.exec(all))
  const rows = await r.exec(all)
  expect(rows.rows.map((row) => Number(row.x))).toEqual(visible(m))
  expect(r.c.state).toBe(m.tx === undefined ? 'idle' : 'active')
  expect(r.c.savepoints).toEqual(m.tx?.savepoints.map((s) => s.name) ?? [])
}

type Cmd = fc.AsyncCommand<Model, Real>
const cmd = (name: string, step: (m: Model, r: Real) => Promise<void>): Cmd => ({
  check: () => true,
  run: async (m, r) => {
    await step(m, r)
    await check(m, r)
  },
  toString: () => name,
})

const begin = cmd('begin', async (m, r) => {
  if (m.tx !== undefined) return refused(r.c.begin())
  await r.c.begin()
  m.tx = { rows: [...m.committed], savepoints: [], failed: false }
})

const insert = cmd('insert', async (m, r) => {
  const v = m.next++
  if (m.tx?.failed === true) return refused(r.exec(insertOf(v)))
  await r.exec(insertOf(v))
  ;(m.tx?.rows ?? m.committed).push(v)
})

const duplicate = cmd('insert duplicate', async (m, r) => {
  const rows = m.tx?.rows ?? m.committed
  const v = rows[0]
  if (v === undefined || m.tx?.failed === true) return
  const e = await r.exec(insertOf(v)).then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(isDbError(e) && e._tag).toBe('UniqueViolation')
  if (m.tx !== undefined) m.tx.failed = true
})

const savepoint = (name: string): Cmd =>
  cmd(`savepoint ${name}`, async (m, r) => {
    if (m.tx === undefined || m.tx.failed) return refused(r.c.savepoint(name))
    await r.c.savepoint(name)
    m.tx.savepoints = [...m.tx.savepoints.filter((s) => s.name !== name), { name, rows: [...m.tx.rows] }]
  })

const release = (name: string): Cmd =>
  cmd(`release ${name}`, async (m, r) => {
    const at = m.tx?.savepoints.findIndex((s) => s.name === name) ?? -1
    if (m.tx === undefined || m.tx.failed || at < 0) return refused(r.c.releaseSavepoint(name))
    await r.c.releaseSavepoint(name)
    m.tx.savepoints = m.tx.savepoints.slice(0, at)
  })

const rollbackTo = (name: string): Cmd =>
  cmd(`rollback to ${name}`, async (m, r) => {
    const at = m.tx?.savepoints.findIndex((s) => s.name === name) ?? -1
    if (m.tx === undefined || at < 0) return refused(r.c.rollbackToSavepoint(name))
    await r.c.rollbackToSavepoint(name)
    m.tx.rows = [...m.tx.savepoints[at]!.rows]
    m.tx.savepoints = m.tx.savepoints.slice(0, at + 1)
    m.tx.failed = false
  })

const commit = cmd('commit', async (m, r) => {
  if (m.tx === undefined || m.tx.failed) return refused(r.c.commit())
  await r.c.commit()
  m.committed = m.tx.rows
  m.tx = undefined
})

const rollback = cmd('rollback', async (m, r) => {
  if (m.tx === undefined) return refused(r.c.rollback())
  await r.c.rollback()
  m.tx = undefined
})

const commands = fc.commands(
  [
    fc.constant(begin),
    fc.constant(insert),
    fc.constant(insert),
    fc.constant(duplicate),
    fc.constantFrom(...NAMES).map(savepoint),
    fc.constantFrom(...NAMES).map(release),
    fc.constantFrom(...NAMES).map(rollbackTo),
    fc.constant(commit),
    fc.constant(rollback),
  ],
  { maxCommands: 30, size: 'max' },
)

const RUNS = Number(process.env['QUARRY_LAW_RUNS'] ?? 200)
const SEED = Number(process.env['QUARRY_LAW_SEED'] ?? 20261125)

describe.each(runtimeEngines)('savepoint sequences on $name agree with the model', (runtime) => {
  let engine: Engine
  let drop: () => Promise<void>
  let c: Connection
  let exec: Real['exec']
  beforeAll(async () => {
    ;({ engine, drop } = await runtime.open())
    c = await engine.pool.acquire()
    exec = execOn(engine, c)
    await exec(Q.createTable(t))
  })
  afterAll(async () => {
    await engine.pool.release(c)
    await engine.close()
    await drop()
  })

  it(`${RUNS} random sequences (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        if (c.state !== 'idle') await c.rollback()
        await exec(Q.deleteFrom(t))
        await fc.asyncModelRun(() => ({ model: { committed: [], tx: undefined, next: 1 }, real: { c, exec } }), cmds)
      }),
      { numRuns: RUNS, seed: SEED },
    )
  }, 120_000)
})
