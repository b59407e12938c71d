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
import { commitWith, createEngine, createMemoryEngine, execute, G, query, runPromise, type Engine, type Persisted, type QuarryError } from '../../src/effects/index.js'
import * as M from '../../src/interpret/memory/index.js'
import { comments, posts, users } from './support/blog.js'

const tags = Q.table('tags', { id: Q.integer().primaryKey().autoIncrement(), label: Q.text().notNull() }, { unique: [['label']] })
const tables = [users, posts, comments, tags] as const
const schema = Q.metadata([...tables])

type Row = Record<string, unknown>
type Dump = Record<string, Row[]>

const norm = (r: Readonly<Row>): Row => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))

const dump = async (e: Engine): Promise<Dump> => {
  const out: Dump = {}
  for (const t of tables) out[t.name] = (await runPromise(e)(query<Row>(pipe(Q.from(t as Q.AnyTable), Q.orderBy(() => [(t.c as { id: Q.Expr<number> }).id]))))).map(norm)
  return out
}

/** What a commit gave, in a form both engines must agree on. */
const outcome = (r: E.Either<QuarryError, Persisted>): unknown => {
  if (E.isRight(r)) return { rows: [...r.right.rows].map(([k, v]) => [k, norm(v)]), statements: r.right.statements }
  const e = r.left
  switch (e._tag) {
    case 'FlushFailed':
      return { tag: e._tag, step: e.step, cause: e.cause._tag }
    case 'StaleRow':
      return { tag: e._tag, table: e.table, key: e.key, expected: e.expected, actual: e.actual, step: e.step }
    default:
      return { tag: e._tag }
  }
}

/** A label for the coverage tally: which kind of outcome a case had. */
const kind = (r: E.Either<QuarryError, Persisted>): string =>
  E.isRight(r) ? 'ok' : r.left._tag === 'FlushFailed' ? `FlushFailed:${r.left.cause._tag}` : r.left._tag

const sqliteEngine = async (): Promise<Engine> => {
  const e = createEngine(sqliteDriver({ filename: ':memory:' }))
  for (const t of tables) await runPromise(e)(execute(Q.createTable(t)))
  return e
}

// --- random graphs ---

const userArb = fc.record({
  name: fc.constantFrom('ada', 'bob', 'cy'),
  manager: fc.option(fc.nat(5), { nil: undefined }),
  best: fc.option(fc.nat(3), { nil: undefined }),
  posts: fc.array(fc.record({ title: fc.constantFrom('p', 'q'), comments: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }) }), { maxLength: 3 }),
})
const insertsArb = fc.record({
  users: fc.array(userArb, { minLength: 1, maxLength: 4 }),
  tags: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 3 }),
  orphan: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
})
type Inserts = typeof insertsArb extends fc.Arbitrary<infer T> ? T : never

const insertGraph = (c: Inserts): G.ChangeGraph => {
  const nodes: G.ChangeNode[] = []
  const n = c.users.length
  c.users.forEach((u, i) => {
    const manager = u.manager === undefined || u.manager % n === i ? {} : { manager_id: G.ref(`u${u.manager % n}`) }
    const best = u.best === undefined || u.posts.length === 0 ? {} : { best_post_id: G.ref(`p${i}_${u.best % u.posts.length}`) }
    nodes.push(G.insertRow(`u${i}`, users, { name: u.name, ...manager, ...best }))
    u.posts.forEach((p, j) => {
      nodes.push(G.insertRow(`p${i}_${j}`, posts, { author_id: G.ref(`u${i}`), title: p.title }))
      p.comments.forEach((body, k) => nodes.push(G.insertRow(`c${i}_${j}_${k}`, comments, { post_id: G.ref(`p${i}_${j}`), body })))
    })
  })
  c.tags.forEach((label, k) => nodes.push(G.insertRow(`t${k}`, tags, { label })))
  if (c.orphan) nodes.push(G.insertRow('orphan', comments, { post_id: 999_999, body: 'nobody' }))
  return G.fromNodes(nodes)
}

const opArb = fc.record({
  kind: fc.constantFrom('rename', 'retitle', 'deletePost', 'deleteUser', 'deleteUserCascade', 'deleteComment', 'relabel'),
  pick: fc.nat(),
  stale: fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, { arbitrary: fc.constant(true), weight: 1 }),
})
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never

/** Updates and deletes of rows as they are now (one op per row at most). */
const changeGraph = (d: Dump, ops: readonly Op[]): G.ChangeGraph => {
  const used = new Set<string>()
  const nodes: G.ChangeNode[] = []
  const pick = (table: string, at: number): Row | undefined => {
    const rows = d[table] ?? []
    const row = rows[at % Math.max(1, rows.length)]
    if (row === undefined || used.has(`${table}:${String(row['id'])}`)) return undefined
    used.add(`${table}:${String(row['id'])}`)
    return row
  }
  ops.forEach((op, i) => {
    const key = `op${i}`
    const table = op.kind === 'retitle' || op.kind === 'deletePost' ? 'posts' : op.kind === 'deleteComment' ? 'comments' : op.kind === 'relabel' ? 'tags' : 'users'
    const row = pick(table, op.pick)
    if (row === undefined) return
    const snapshot = op.stale && 'version' in row ? { ...row, version: Number(row['version']) + 1 } : row
    switch (op.kind) {
      case 'rename':
        return void nodes.push(G.updateRow(key, users, snapshot as never, { name: `${String(row['name'])}!` }, { version: 'version' }))
      case 'retitle':
        return void nodes.push(G.updateRow(key, posts, row as never, { title: 'changed' }))
      case 'relabel':
        // Every label becomes 'a': a second tag relabelled, or an existing 'a', is a unique violation.
        return void nodes.push(G.updateRow(key, tags, row as never, { label: 'a' }))
      case 'deletePost':
        return void nodes.push(G.deleteRow(key, posts, { id: row['id'] as number }))
      case 'deleteComment':
        return void nodes.push(G.deleteRow(key, comments, { id: row['id'] as number }))
      case 'deleteUser':
        return void nodes.push(G.deleteRow(key, users, snapshot as never, { version: 'version' }))
      case 'deleteUserCascade':
        return void nodes.push(G.deleteRow(key, users, { id: row['id'] as number }, { cascade: schema }))
    }
  })
  return G.fromNodes(nodes)
}

const RUNS = Math.max(100, Number(process.env['QUARRY_LAW_RUNS'] ?? 120))
const SEED = Number(process.env['QUARRY_LAW_SEED'] ?? 20261125)

describe('change graphs on memory and on SQLite agree', () => {
  const seen = new Map<string, number>()
  const tally = (r: E.Either<QuarryError, Persisted>): void => void seen.set(kind(r), (seen.get(kind(r)) ?? 0) + 1)

  it(`${RUNS} random graphs of inserts, then of updates and deletes (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(insertsArb, fc.array(opArb, { maxLength: 5 }), async (inserts, ops) => {
        const lite = await sqliteEngine()
        const mem = createMemoryEngine({ tables, profile: M.sqliteProfile })
        try {
          // The changes are built from what the inserts left, so only once they ran.
          for (const build of [() => insertGraph(inserts), async () => changeGraph(await dump(lite), ops)]) {
            const graph = await build()
            const [a, b] = [await commitWith(mem)(graph)(), await commitWith(lite)(graph)()]
            tally(b)
            expect(outcome(a)).toEqual(outcome(b))
            expect(await dump(mem)).toEqual(await dump(lite))
          }
        } finally {
          await Promise.all([lite.close(), mem.close()])
        }
      }),
      { numRuns: RUNS, seed: SEED },
    )
    // The cases must have reached every outcome, or the comparison proved little.
    for (const k of ['ok', 'StaleRow', 'FlushFailed:UniqueViolation', 'FlushFailed:ForeignKeyViolation']) expect(seen.get(k) ?? 0, `outcomes seen: ${JSON.stringify([...seen])}`).toBeGreaterThan(0)
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
