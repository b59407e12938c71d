/**
 * Rows saved by primary key, without a node key (`G.saveRow`, `G.save`), on
 * PostgreSQL, MariaDB, SQLite and the in-memory engine: only changed
 * columns written, a reference to a new row resolved, optimistic
 * concurrency, not among the persisted rows by node; and without a
 * database: problems and plans name such a row by its table and key, two
 * changes of one row are refused whichever has a key, a split by engine
 * places it, and nothing can reference it (a type error).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { createEngine, createMemoryEngine, execute, G, query, run, runPromise, splitGraph, type Engine } from '../../src/effects/index.js'
import { postgres } from '../../src/interpret/index.js'
import * as M from '../../src/interpret/memory/index.js'
import { engines } from '../support/engines.js'

const accounts = Q.table('save_accounts', {
  id: Q.integer().primaryKey().autoIncrement(),
  name: Q.varchar(20).notNull(),
  balance: Q.integer().notNull(),
  version: Q.integer().notNull().default(1),
})
const notes = Q.table(
  'save_notes',
  { id: Q.integer().primaryKey().autoIncrement(), account_id: Q.integer().notNull(), body: Q.text().notNull() },
  { foreignKeys: [{ columns: ['account_id'], references: (): Q.AnyTable => accounts, referencedColumns: ['id'] }] },
)
const tables = [accounts, notes]

type Account = Q.RowOf<typeof accounts>
type Note = Q.RowOf<typeof notes>

/** Each engine the suite runs on: the three databases, and the in-memory engine on the SQLite profile. */
const targets: readonly { readonly name: string; readonly open: () => Promise<{ engine: Engine; close: () => Promise<void> }> }[] = [
  ...engines.map((t) => ({
    name: t.name,
    open: async () => {
      const db = await t.fresh()
      const engine = createEngine(db.driver, { pool: { max: 2 } })
      for (const table of tables) await runPromise(engine)(execute(Q.createTable(table)))
      return {
        engine,
        close: async () => {
          await engine.close()
          await db.drop()
        },
      }
    },
  })),
  { name: 'memory', open: async () => ({ engine: createMemoryEngine({ tables, profile: M.sqliteProfile }), close: async () => undefined }) },
]

const numbers = (rows: readonly Record<string, unknown>[]): Record<string, unknown>[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))

describe.each(targets)('rows saved by primary key on $name', (target) => {
  let e: Engine
  let close: () => Promise<void>
  const rows = async (t: typeof accounts | typeof notes): Promise<Record<string, unknown>[]> =>
    numbers(await runPromise(e)(query<Record<string, unknown>>(pipe(Q.from(t as Q.AnyTable), Q.orderBy(() => [t.c.id])))))
  const load = async (): Promise<{ accounts: Account[]; notes: Note[] }> => ({ accounts: (await rows(accounts)) as Account[], notes: (await rows(notes)) as Note[] })

  beforeAll(async () => {
    ;({ engine: e, close } = await target.open())
  })
  afterAll(() => close())
  beforeEach(async () => {
    await runPromise(e)(execute(Q.deleteFrom(notes)))
    await runPromise(e)(execute(Q.deleteFrom(accounts)))
    await runPromise(e)(
      G.commit(
        pipe(
          G.empty,
          // Keys far from the ones generated (PostgreSQL's identity does not skip keys given).
          G.insert('a1', accounts, { id: 101, name: 'ada', balance: 10 }),
          G.insert('a2', accounts, { id: 102, name: 'bob', balance: 20 }),
          G.insert('n1', notes, { id: 101, account_id: 101, body: 'hello' }),
        ),
      ),
    )
  })

  it('writes only the changed columns, resolves a reference to a new row, and leaves the rows out of persisted.rows', async () => {
    const before = await load()
    const [ada, bob] = before.accounts as [Account, Account]
    const g = pipe(
      G.empty,
      G.save(accounts, ada, { name: 'Ada' }),
      // The name is unchanged: only the balance is written.
      G.save(accounts, bob, { name: 'bob', balance: 25 }),
      G.insert('cy', accounts, { name: 'cy', balance: 0 }),
      G.save(notes, before.notes[0]!, { account_id: G.ref('cy') }),
    )
    const planned = G.plan(g, postgres)
    if (E.isLeft(planned)) throw new Error(planned.left.message)
    expect(planned.right.steps.filter((s) => s._tag === 'Update').map((s) => [s.table, s.columns, s.nodes])).toEqual([
      ['save_accounts', ['name'], [undefined]],
      ['save_accounts', ['balance'], [undefined]],
      ['save_notes', ['account_id'], [undefined]],
    ])
    const done = await runPromise(e)(G.commit(g))
    expect([...done.rows.keys()]).toEqual(['cy'])
    expect(done.rows.size).toBe(1)
    const cy = Number(done.rows.get('cy')?.['id'])
    expect(await load()).toEqual({
      // The generated key is 1 on PostgreSQL (its identity ignores keys given), 103 elsewhere.
      accounts: [
        { id: cy, name: 'cy', balance: 0, version: 1 },
        { id: 101, name: 'Ada', balance: 10, version: 1 },
        { id: 102, name: 'bob', balance: 25, version: 1 },
      ].sort((a, b) => a.id - b.id),
      notes: [{ id: 101, account_id: cy, body: 'hello' }],
    })
  })

  it('checks the version: a stale row fails the commit with StaleRow naming its key, nothing written; a current one is bumped', async () => {
    const before = await load()
    const [ada, bob] = before.accounts as [Account, Account]
    await runPromise(e)(execute(Q.update(accounts, { set: () => ({ version: 2 }), where: (a) => Q.eq(a.save_accounts.id, 102) })))
    const stale = await run(e)(G.commit(G.fromNodes([G.saveRow(accounts, ada, { balance: 11 }, { version: 'version' }), G.saveRow(accounts, bob, { balance: 21 }, { version: 'version' })])))()
    expect(E.isLeft(stale) && stale.left).toMatchObject({ _tag: 'StaleRow', table: 'save_accounts', key: { id: 102 }, expected: 1, actual: 2 })
    expect((await load()).accounts.map((a) => [a.balance, a.version])).toEqual([
      [10, 1],
      [20, 2],
    ])
    await runPromise(e)(G.commit(G.fromNodes([G.saveRow(accounts, ada, { balance: 11 }, { version: 'version' })])))
    expect((await load()).accounts.map((a) => [a.balance, a.version])).toEqual([
      [11, 2],
      [20, 2],
    ])
  })
})

describe('rows saved by primary key, without a database', () => {
  const ada: Account = { id: 1, name: 'ada', balance: 10, version: 1 }
  const bob: Account = { id: 2, name: 'bob', balance: 20, version: 1 }

  it('names such a row by its table and key in problems', () => {
    const p = G.plan(G.fromNodes([G.saveRow(accounts, ada, { name: 'a name far longer than twenty' })]), postgres)
    expect(E.isLeft(p) && p.left.problems).toEqual([
      expect.objectContaining({ _tag: 'ValueDoesNotFit', node: 'save_accounts(id=1)', column: 'name', message: expect.stringMatching(/^row save_accounts\(id=1\): save_accounts\.name /) }),
    ])
  })

  it('refuses two changes of one row, with or without a key, naming both', () => {
    const twice = G.plan(G.fromNodes([G.saveRow(accounts, ada, { balance: 1 }), G.saveRow(accounts, bob, { balance: 2 }), G.saveRow(accounts, ada, { name: 'x' })]), postgres)
    expect(E.isLeft(twice) && twice.left.problems).toEqual([expect.objectContaining({ _tag: 'DuplicateRow', node: 'save_accounts(id=1)', other: 'save_accounts(id=1)' })])
    const mixed = G.plan(G.fromNodes([G.updateRow('mine', accounts, ada, { balance: 1 }), G.saveRow(accounts, ada, { name: 'x' })]), postgres)
    expect(E.isLeft(mixed) && mixed.left.problems).toEqual([
      expect.objectContaining({ _tag: 'DuplicateRow', node: 'save_accounts(id=1)', other: 'mine', message: expect.stringContaining('row save_accounts(id=1) updates the row of save_accounts (id = 1) that node "mine" updates') }),
    ])
  })

  it('counts such rows in a printed plan', () => {
    const p = G.plan(G.fromNodes([G.updateRow('mine', accounts, ada, { balance: 1 }), G.saveRow(accounts, bob, { balance: 2 })]), postgres)
    if (E.isLeft(p)) throw new Error(p.left.message)
    expect(G.printPlan(p.right)).toContain('update 2 save_accounts row(s) [mine, 1 saved by primary key] setting balance')
  })

  it('places such a row when a graph is split by engine', () => {
    const s = splitGraph(G.fromNodes([G.saveRow(accounts, ada, { balance: 1 }), G.saveRow(accounts, bob, { balance: 2 })]), (n) =>
      E.right(n._tag === 'UpdateRow' && n.snapshot['id'] === 1 ? 'odd' : 'even'),
    )
    if (E.isLeft(s)) throw new Error(s.left.message)
    expect(s.right.parts.map((p) => [p.engine, p.nodes.map((n) => G.nodeName(n))])).toEqual([
      ['odd', ['save_accounts(id=1)']],
      ['even', ['save_accounts(id=2)']],
    ])
  })

  it('cannot be referenced', () => {
    // @ts-expect-error: a row saved without a key has no name to reference it by
    G.ref(G.saveRow(accounts, ada, { balance: 1 }))
    expect(G.ref(G.updateRow('mine', accounts, ada, { balance: 1 })).node).toBe('mine')
  })
})
