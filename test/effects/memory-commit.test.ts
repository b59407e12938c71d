/**
 * Change graphs committed on the in-memory engine and on SQLite must give
 * the same result: fast-check builds random graphs over the blog schema
 * (users ↔ posts cycle, self-references, cascading comments, unique tags),
 * commits each on both engines from the same state, then commits random
 * updates and deletes of what was written. Every case compares the
 * outcome — the persisted rows and statement count, or the error's tag,
 * step and cause — and the table dumps afterwards. The memory engine runs
 * SQLite's profile, so the plan (steps, batches, key strategy) is the same.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { sqliteDriver } from '../../src/drivers/sqlite/index.js'
import { commitWith, createEngine, createMemoryEngine, execute, G, runPromise, type Engine } from '../../src/effects/index.js'
import * as M from '../../src/interpret/memory/index.js'
import { comments, users } from './support/blog.js'
import { commitsAgree, dump, expectEveryOutcome, insertsArb, opArb, tables, tags } from './support/blog-law.js'

const sqliteEngine = async (): Promise<Engine> => {
  const e = createEngine(sqliteDriver({ filename: ':memory:' }))
  for (const t of tables) await runPromise(e)(execute(Q.createTable(t)))
  return e
}

const RUNS = Math.max(100, Number(process.env['QUARRY_LAW_RUNS'] ?? 120))
const SEED = Number(process.env['QUARRY_LAW_SEED'] ?? 20261125)

describe('change graphs on memory and on SQLite agree', () => {
  it(`${RUNS} random graphs of inserts, then of updates and deletes (seed ${SEED})`, async () => {
    const seen = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(insertsArb, fc.array(opArb, { maxLength: 5 }), async (inserts, ops) => {
        const lite = await sqliteEngine()
        const mem = createMemoryEngine({ tables, profile: M.sqliteProfile })
        try {
          await commitsAgree(lite, mem, inserts, ops, seen)
        } finally {
          await Promise.all([lite.close(), mem.close()])
        }
      }),
      { numRuns: RUNS, seed: SEED },
    )
    expectEveryOutcome(seen)
  }, 120_000)
})

describe('errors of a commit in memory have the tags a real engine gives', () => {
  const mem = (): Engine => createMemoryEngine({ tables, profile: M.sqliteProfile })

  it('a stale version is StaleRow, and nothing is written', async () => {
    const e = mem()
    const saved = await commitWith(e)(pipe(G.empty, G.insert('ada', users, { name: 'ada' }), G.insert('bob', users, { name: 'bob' })))()
    expect(E.isRight(saved)).toBe(true)
    const [ada, bob] = (await dump(e))['users']!
    const r = await commitWith(e)(
      pipe(G.empty, G.update('b', users, bob as never, { name: 'Bob' }, { version: 'version' }), G.update('a', users, { ...ada, version: 7 } as never, { name: 'Ada' }, { version: 'version' })),
    )()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'StaleRow', table: 'users', key: { id: 1 }, expected: 7, actual: 1, step: 1 })
    expect((await dump(e))['users']!.map((u) => u['name'])).toEqual(['ada', 'bob'])
  })

  it('a missing parent is FlushFailed with a ForeignKeyViolation cause naming the step', async () => {
    const r = await commitWith(mem())(pipe(G.empty, G.insert('t', tags, { label: 'x' }), G.insert('c', comments, { post_id: 42, body: 'b' })))()
    // Step 1 inserts the tag, step 2 the comment (one insert per table of a level, in graph order).
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'FlushFailed', step: 2, description: expect.stringMatching(/^insert 1 comments row/), cause: { _tag: 'ForeignKeyViolation' } })
    expect(E.isLeft(r) && r.left._tag === 'FlushFailed' && r.left.completed).toEqual([expect.stringMatching(/^1\. insert 1 tags row/)])
  })

  it('a duplicate is FlushFailed with a UniqueViolation cause; the engine stays usable', async () => {
    const e = mem()
    const r = await commitWith(e)(pipe(G.empty, G.insert('a', tags, { label: 'x' }), G.insert('b', tags, { label: 'x' })))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'FlushFailed', cause: { _tag: 'UniqueViolation', constraint: 'tags_label_key' } })
    const ok = await commitWith(e)(pipe(G.empty, G.insert('a', tags, { label: 'x' })))()
    expect(E.isRight(ok) && ok.right.rows.get('a')).toEqual({ label: 'x', id: 1 })
  })
})
