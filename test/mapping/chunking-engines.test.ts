/**
 * Select-in key lists at the engines' real bind-parameter limits: 70,000
 * parents need two statements on PostgreSQL and MariaDB (65,535 parameters
 * each at most) and three on SQLite (32,766), and every child still finds
 * its parent.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/mapping/index.js'
import { engines, type OpenDb } from '../support/quarry-engines.js'
import { Kids, ParentE, Parents, kids } from './support/parents-kids.js'
import { runPlan } from './support/run-plan.js'

const PARENTS = 70_000

describe.each(engines)('select-in at the bind limit on $name', (engine) => {
  let db: OpenDb

  beforeAll(async () => {
    db = await engine.open()
    await db.run(Q.createTable(Parents))
    await db.run(Q.createTable(Kids))
    await db.conn.begin()
    for (let at = 0; at < PARENTS; at += 5000) await db.run(Q.insert(Parents, Array.from({ length: 5000 }, (_, i) => ({ id: at + i + 1 }))))
    await db.conn.commit()
    // A kid for the first and the last parent of every chunk.
    await db.run(Q.insert(Kids, [1, 32766, 32767, 65535, 65536, PARENTS].map((p, i) => ({ id: i + 1, parent_id: p }))))
  })
  afterAll(async () => {
    await db?.close()
  })

  it('splits the keys below the limit and attaches every child', async () => {
    const ran = await runPlan(db.conn, M.load(db.dialect)(ParentE, { kids }))
    expect(ran.roundTrips).toBe(engine.name === 'sqlite' ? 1 + 3 : 1 + 2)
    const parents = E.getOrElseW((e: M.MappingError) => {
      throw new Error(e.message)
    })(ran.result)
    expect(parents).toHaveLength(PARENTS)
    const withKids = parents.filter((p) => p.kids.length > 0).map((p) => [p.id, p.kids[0]?.parent_id])
    expect(withKids).toEqual([1, 32766, 32767, 65535, 65536, PARENTS].map((p) => [p, p]))
  })
})
