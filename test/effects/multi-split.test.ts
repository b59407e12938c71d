/**
 * Splitting a change graph by engine, without a database: parts come in an
 * order where every cross-engine reference points to an earlier part
 * (whatever order the nodes were added in), rows without an engine follow
 * the row they reference, engines referencing each other both ways are
 * refused, a part is checked up front except for the cells another engine
 * fills in, and once those are known they are planned as plain values.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { mariadb, postgres } from '../../src/interpret/index.js'
import { G, splitGraph } from '../../src/effects/index.js'
import { checkPart, planPart } from '../../src/effects/multi/split.js'

const users = Q.table('users', { id: Q.integer().primaryKey().autoIncrement(), name: Q.text().notNull() })
const orders = Q.table('orders', { id: Q.integer().primaryKey().autoIncrement(), user_id: Q.integer().notNull(), item: Q.text().notNull() })
const lines = Q.table('lines', { id: Q.integer().primaryKey().autoIncrement(), order_id: Q.integer().notNull(), qty: Q.integer().notNull() })

const byTable = (n: G.ChangeNode) => E.right(n.table.name === 'users' ? 'pg' : n.table.name === 'orders' ? 'my' : undefined)

describe('splitGraph', () => {
  // Children first on purpose: the order comes from the references, not from the graph.
  const g = pipe(
    G.empty,
    G.insert('l1', lines, { order_id: G.ref('o1'), qty: 2 }),
    G.insert('o1', orders, { user_id: G.ref('u1'), item: 'book' }),
    G.insert('u1', users, { name: 'ada' }),
  )

  it('orders parts so that referenced engines come first; rows without an engine follow their reference', () => {
    const s = splitGraph(g, byTable)
    if (E.isLeft(s)) throw new Error(s.left.message)
    expect(s.right.parts.map((p) => [p.engine, p.nodes.map((n) => n.key)])).toEqual([
      ['pg', ['u1']],
      ['my', ['l1', 'o1']],
    ])
  })

  it('refuses engines that reference each other both ways, and a row with nowhere to go', () => {
    const both = pipe(G.empty, G.insert('u1', users, { name: G.ref('o1', 'item') as never }), G.insert('o1', orders, { user_id: G.ref('u1'), item: 'x' }))
    expect(splitGraph(both, byTable)).toMatchObject(E.left({ _tag: 'CrossEngineCycle', engines: ['pg', 'my'] }))
    expect(splitGraph(pipe(G.empty, G.insert('l', lines, { order_id: 1, qty: 1 })), byTable)).toMatchObject(E.left({ _tag: 'NoShard', node: 'l' }))
  })

  it('checks a part up front except the cells another engine fills; plans them as values once known', () => {
    const s = splitGraph(g, byTable)
    if (E.isLeft(s)) throw new Error(s.left.message)
    const my = s.right.parts[1]!
    expect(checkPart(s.right, my, mariadb)).toEqual(E.right(undefined))
    const bad = splitGraph(pipe(g, G.insert('o2', orders, { user_id: G.ref('u1'), item: 42 as never })), byTable)
    if (E.isLeft(bad)) throw new Error(bad.left.message)
    expect(checkPart(bad.right, bad.right.parts[1]!, mariadb)).toMatchObject(E.left({ _tag: 'InvalidGraph', problems: [{ _tag: 'ValueDoesNotFit', node: 'o2' }] }))
    const planned = planPart(s.right, my, mariadb, (node, column) => (node === 'u1' && column === 'id' ? 41 : undefined))
    if (E.isLeft(planned)) throw new Error(planned.left.message)
    const insertOrder = planned.right.plan.steps.find((x) => x._tag === 'Insert' && x.table === 'orders')
    expect(insertOrder?.params).toContain(41)
    expect(E.isRight(planPart(s.right, s.right.parts[0]!, postgres, () => undefined))).toBe(true)
  })
})
