/**
 * Adjacency data with a cycle and a composite self-reference, on the three
 * engines: the recursive CTE of `loadTree` terminates (UNION, not UNION
 * ALL) and assembly links the objects as the data says, one per key.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/mapping/index.js'
import { engines, type OpenDb } from '../support/quarry-engines.js'
import { runPlan } from './support/run-plan.js'

const Nodes = Q.table('nodes', { id: Q.integer().primaryKey(), parent: Q.integer(), label: Q.text().notNull() })
const NodeE = M.entity(Nodes, { name: 'Node' })
const children = M.oneToMany(NodeE, NodeE, { remote: ['parent'] })

/** Folders keyed by (drive, path id), parent on the same drive: a composite self-reference. */
const Folders = Q.table('folders', { drive: Q.varchar(10).notNull(), id: Q.integer().notNull(), up: Q.integer() }, { primaryKey: ['drive', 'id'] })
const FolderE = M.entity(Folders, { name: 'Folder' })
const subfolders = M.oneToMany(FolderE, FolderE, { local: ['drive', 'id'], remote: ['drive', 'up'] })

describe.each(engines)('adjacency trees with cycles and composite keys on $name', (engine) => {
  let db: OpenDb

  beforeAll(async () => {
    db = await engine.open()
    await db.run(Q.createTable(Nodes))
    // 1 → 2 → 3 → 1 is a cycle; 4 hangs below 3.
    await db.run(Q.insert(Nodes, [{ id: 1, parent: 3, label: 'a' }, { id: 2, parent: 1, label: 'b' }, { id: 3, parent: 2, label: 'c' }, { id: 4, parent: 3, label: 'd' }]))
    await db.run(Q.createTable(Folders))
    await db.run(Q.insert(Folders, [{ drive: 'c', id: 1, up: null }, { drive: 'c', id: 2, up: 1 }, { drive: 'd', id: 1, up: null }, { drive: 'd', id: 2, up: 1 }, { drive: 'd', id: 3, up: 2 }]))
  })
  afterAll(async () => {
    await db?.close()
  })

  it('terminates on a cycle and links the objects as the data says', async () => {
    const ran = await runPlan(db.conn, M.loadTree(db.dialect)(NodeE, { children }, { roots: (c) => Q.eq(c.id, 1) }))
    expect(ran.roundTrips).toBe(1)
    const [root] = E.getOrElseW(() => [] as never[])(ran.result)
    expect(root?.label).toBe('a')
    const b = root?.children[0]
    const c = b?.children[0]
    expect([b?.label, c?.label, c?.children.map((n) => n.label)]).toEqual(['b', 'c', ['a', 'd']])
    expect(c?.children[0]).toBe(root)
  })

  it('follows a composite self-reference without mixing drives', async () => {
    const ran = await runPlan(db.conn, M.loadTree(db.dialect)(FolderE, { subfolders }, { roots: (c) => Q.isNull(c.up) }))
    type F = { readonly drive: string; readonly id: number; readonly subfolders: readonly F[] }
    const shape = (f: F): unknown => [`${f.drive}${f.id}`, f.subfolders.map(shape)]
    expect(E.map((fs: readonly F[]) => fs.map(shape))(ran.result)).toEqual(E.right([['c1', [['c2', []]]], ['d1', [['d2', [['d3', []]]]]]]))
  })
})
