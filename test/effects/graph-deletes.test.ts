/**
 * When deletes run, on PostgreSQL, MariaDB and SQLite: rows of a
 * self-referencing table children first (MariaDB checks a foreign key row
 * by row, so one DELETE of a parent and its child fails there); a unique
 * value or a primary key moved from a deleted row to a new row in one
 * graph (the delete runs before the insert); and rows moved off a parent
 * by an update before that parent is deleted (that delete waits).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { createEngine, execute, G, runPromise, sql, type Engine } from '../../src/effects/index.js'
import { postgres } from '../../src/interpret/index.js'
import { engines, type EngineDb } from '../support/engines.js'

const tree = Q.table('tree', { id: Q.integer().primaryKey(), parent_id: Q.integer(), name: Q.text().notNull() }, {
  foreignKeys: [{ columns: ['parent_id'], references: (): Q.AnyTable => tree, referencedColumns: ['id'] }],
})
const handles = Q.table('handles', { id: Q.integer().primaryKey().autoIncrement(), name: Q.varchar(40).notNull() }, { unique: [['name']] })
const owners = Q.table('owners', { id: Q.integer().primaryKey().autoIncrement(), name: Q.text().notNull() })
const pets = Q.table('pets', { id: Q.integer().primaryKey().autoIncrement(), owner_id: Q.integer().notNull(), name: Q.text().notNull() }, {
  foreignKeys: [{ columns: ['owner_id'], references: (): Q.AnyTable => owners, referencedColumns: ['id'] }],
})

/** A root, its child and grandchild, and a second child; deleted in graph order root first. */
const family = [
  { id: 1, parent_id: null, name: 'root' },
  { id: 2, parent_id: 1, name: 'child' },
  { id: 3, parent_id: 2, name: 'grandchild' },
  { id: 4, parent_id: 1, name: 'other child' },
]
const deleteFamily = G.fromNodes(family.map((r) => G.deleteRow(r.name, tree, r)))

/** The node lists of a plan's steps, in order. */
const stepNodes = (g: G.ChangeGraph): readonly (readonly (string | undefined)[])[] =>
  E.match(
    () => [],
    (p: G.Plan) => p.steps.map((s) => (s._tag === 'ReadIncrement' ? [] : s.nodes)),
  )(G.plan(g, postgres))

describe('delete order in the plan', () => {
  it('rows of a self-referencing table go children first, one statement per level', () => {
    expect(stepNodes(deleteFamily)).toEqual([['grandchild', 'other child'], ['child'], ['root']])
  })
  it('a delete nothing waits for runs before the inserts; one whose rows an update may move waits for the updates', () => {
    const move = pipe(G.empty, G.insert('new', handles, { name: 'ada' }), G.remove('old', handles, { id: 1, name: 'ada' }))
    expect(stepNodes(move)).toEqual([['old'], ['new']])
    const rehome = pipe(
      G.empty,
      G.remove('o1', owners, { id: 1 }),
      G.insert('o2', owners, { name: 'bea' }),
      G.update('p1', pets, { id: 1, owner_id: 1, name: 'rex' }, { owner_id: G.ref('o2') }),
    )
    expect(stepNodes(rehome)).toEqual([['o2'], ['p1'], ['o1']])
  })
})

describe.each(engines)('delete order on $name', (engine) => {
  let db: EngineDb
  let e: Engine
  const rows = async (table: string): Promise<unknown[]> =>
    (await runPromise(e)(sql<Record<string, unknown>>(`SELECT name FROM ${table} ORDER BY id`))).rows.map((r) => r['name'])

  beforeAll(async () => {
    db = await engine.fresh()
    e = createEngine(db.driver, { pool: { max: 2 } })
    for (const t of [tree, handles, owners, pets]) await runPromise(e)(execute(Q.createTable(t)))
  })
  afterAll(async () => {
    await e.close()
    await db.drop()
  })
  beforeEach(async () => {
    for (const t of ['pets', 'owners', 'handles']) await runPromise(e)(sql(`DELETE FROM ${t}`))
    await runPromise(e)(sql('UPDATE tree SET parent_id = NULL'))
    await runPromise(e)(sql('DELETE FROM tree'))
  })

  it('deletes a parent and its descendants in one graph, children first', async () => {
    await runPromise(e)(G.commit(G.fromNodes(family.map((r) => G.insertRow(r.name, tree, r)))))
    const done = await runPromise(e)(G.commit(deleteFamily))
    expect(done.statements).toBe(3)
    expect(await rows('tree')).toEqual([])
  })

  it('moves a unique value from a deleted row to a new one, and reuses a deleted primary key', async () => {
    const first = await runPromise(e)(G.commit(G.insert('ada', handles, { name: 'ada' })(G.empty)))
    const oldId = Number(first.rows.get('ada')?.['id'])
    const moved = await runPromise(e)(G.commit(pipe(G.empty, G.insert('new', handles, { name: 'ada' }), G.remove('old', handles, { id: oldId, name: 'ada' }))))
    const newId = Number(moved.rows.get('new')?.['id'])
    expect(newId).not.toBe(oldId)
    expect((await runPromise(e)(sql<{ id: unknown }>('SELECT id FROM handles'))).rows.map((r) => Number(r.id))).toEqual([newId])

    await runPromise(e)(G.commit(G.insert('t', tree, { id: 10, parent_id: null, name: 'before' })(G.empty)))
    await runPromise(e)(G.commit(pipe(G.empty, G.insert('again', tree, { id: 10, parent_id: null, name: 'after' }), G.remove('gone', tree, { id: 10 }))))
    expect(await rows('tree')).toEqual(['after'])
  })

  it('re-homes a child to a new parent, then deletes the old parent', async () => {
    const setup = await runPromise(e)(G.commit(pipe(G.empty, G.insert('o1', owners, { name: 'al' }), G.insert('p1', pets, { name: 'rex', owner_id: G.ref('o1') }))))
    const o1 = Number(setup.rows.get('o1')?.['id'])
    const p1 = Number(setup.rows.get('p1')?.['id'])
    await runPromise(e)(
      G.commit(
        pipe(
          G.empty,
          G.remove('o1', owners, { id: o1 }),
          G.insert('o2', owners, { name: 'bea' }),
          G.update('p1', pets, { id: p1, owner_id: o1, name: 'rex' }, { owner_id: G.ref('o2') }),
        ),
      ),
    )
    expect(await rows('owners')).toEqual(['bea'])
    expect(await rows('pets')).toEqual(['rex'])
  })
})
