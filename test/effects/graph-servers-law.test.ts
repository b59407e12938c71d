/**
 * Change graphs committed on PostgreSQL and on MariaDB agree with the
 * in-memory engine running that engine's profile (the reference semantics;
 * memory-commit.test.ts holds SQLite to it the same way): the random blog
 * graphs of support/blog-law.ts, inserts and then updates and deletes of
 * what they left, each committed on both from the same state. Every case
 * compares the outcome (the persisted rows and the statement count, or the
 * error's tag, step and cause) and the table dumps afterwards. Each case
 * starts from empty tables whose keys count from 1 again, as the memory
 * engine's do.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { createEngine, createMemoryEngine, execute, runPromise, sql, type Engine } from '../../src/effects/index.js'
import * as M from '../../src/interpret/memory/index.js'
import { engines, type EngineDb } from '../support/engines.js'
import { commitsAgree, expectEveryOutcome, insertsArb, opArb, schema, tables } from './support/blog-law.js'

const RUNS = Math.max(40, Number(process.env['QUARRY_LAW_RUNS'] ?? 60))
const SEED = Number(process.env['QUARRY_LAW_SEED'] ?? 20261207)

const PROFILE = { postgresql: M.postgresProfile, mariadb: M.mariadbProfile } as const

/** Empty the tables and restart their keys at 1. */
const reset = async (e: Engine, name: 'postgresql' | 'mariadb'): Promise<void> => {
  const names = tables.map((t) => t.name)
  if (name === 'postgresql') {
    await runPromise(e)(sql(`TRUNCATE ${names.join(', ')} RESTART IDENTITY CASCADE`))
    return
  }
  // One connection (the pool holds one), so the session setting covers the TRUNCATEs.
  await runPromise(e)(sql('SET FOREIGN_KEY_CHECKS = 0'))
  for (const t of names) await runPromise(e)(sql(`TRUNCATE TABLE ${t}`))
  await runPromise(e)(sql('SET FOREIGN_KEY_CHECKS = 1'))
}

describe.each(engines.filter((x) => x.name !== 'sqlite'))('change graphs on $name and in memory agree', (engine) => {
  const name = engine.name as 'postgresql' | 'mariadb'
  let db: EngineDb
  let e: Engine
  beforeAll(async () => {
    db = await engine.fresh()
    e = createEngine(db.driver, { pool: { max: 1 } })
    const ddl = Q.createAll(schema)
    if (E.isLeft(ddl)) throw new Error(ddl.left.message)
    for (const s of ddl.right) await runPromise(e)(execute(s))
  })
  afterAll(async () => {
    await e.close()
    await db.drop()
  })

  it(`${RUNS} random graphs of inserts, then of updates and deletes (seed ${SEED})`, async () => {
    const seen = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(insertsArb, fc.array(opArb, { maxLength: 5 }), async (inserts, ops) => {
        await reset(e, name)
        const mem = createMemoryEngine({ tables, profile: PROFILE[name] })
        try {
          await commitsAgree(e, mem, inserts, ops, seen)
        } finally {
          await mem.close()
        }
      }),
      { numRuns: RUNS, seed: SEED },
    )
    expectEveryOutcome(seen)
  }, 300_000)
})
