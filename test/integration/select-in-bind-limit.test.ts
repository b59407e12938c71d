/**
 * Select-in loading takes its bind-parameter limit from the dialect record
 * (`capabilities.maxParams`), the number compile checks and the change
 * graph batches by: a dialect whose limit is lowered to 10 splits the key
 * list of 25 parents into three statements on every engine, and every
 * child still finds its parent.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { withCapabilities } from '../../src/interpret/index.js'
import * as M from '../../src/mapping/index.js'
import { runPlan } from '../mapping/support/run-plan.js'
import { engines, type OpenDb } from '../support/quarry-engines.js'
import { Kids, ParentE, Parents, kids } from '../mapping/support/parents-kids.js'

describe.each(engines)('select-in reads the bind limit from the dialect on $name', (engine) => {
  let db: OpenDb
  beforeAll(async () => {
    db = await engine.open()
    await db.run(Q.createTable(Parents))
    await db.run(Q.createTable(Kids))
    await db.run(Q.insert(Parents, Array.from({ length: 25 }, (_, i) => ({ id: i + 1 }))))
    await db.run(Q.insert(Kids, Array.from({ length: 25 }, (_, i) => ({ id: 100 + i, parent_id: 25 - i }))))
  })
  afterAll(async () => {
    await db?.close()
  })

  it('maxParams 10: 25 keys in three statements; the default limit: one', async () => {
    const small = await runPlan(db.conn, M.load(withCapabilities(db.dialect, { maxParams: 10 }))(ParentE, { kids }))
    const usual = await runPlan(db.conn, M.load(db.dialect)(ParentE, { kids }))
    expect([small.roundTrips, usual.roundTrips]).toEqual([1 + 3, 1 + 1])
    for (const r of [small, usual]) {
      if (E.isLeft(r.result)) throw new Error(r.result.left.message)
      expect(r.result.right.map((p) => [p.id, p.kids.map((k) => k.id)])).toEqual(Array.from({ length: 25 }, (_, i) => [i + 1, [125 - (i + 1)]]))
    }
  })
})
