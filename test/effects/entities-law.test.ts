/**
 * The law "commit then reload equals the graph", for entity change graphs,
 * on PostgreSQL, MariaDB, SQLite and the in-memory engine: fast-check builds random nested graphs
 * (users → posts → comments, tags many-to-many, new tags shared between
 * posts and existing ones referenced), saves them, and reloads them with
 * the load plan of the same shape; then it edits the reloaded graph at
 * random (renames, posts and comments removed — deleted as orphans — or
 * added, tags relinked), saves the diff, and reloads again. Both reloads
 * must equal what the save gave back (collections compared by key, the
 * order a load gives). The seed is printed on failure (QUARRY_SEED=… reruns it).
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { EG, loadWith, runPromise, type Engine } from '../../src/effects/index.js'
import * as M from '../../src/mapping/index.js'
import * as B from './support/entities-blog.js'
import { runtimeEngines } from './support/runtime-engines.js'

const RUNS = 100
const seed = Number(process.env['QUARRY_SEED'] ?? Date.now() % 2 ** 31)

const UserGraph = EG.shape(B.UserE, B.blogInclude)
type Tag = M.EntityType<typeof B.TagE>
type Saved = EG.Saved<M.EntityType<typeof B.UserE>, typeof B.blogInclude>

const text = (max: number) => fc.string({ unit: fc.constantFrom(...'abcxyz éü'), minLength: 1, maxLength: max })

/** A graph to insert: tag choices are indices into [existing tags, new tags]. */
const graphArb = fc.record({
  newTags: fc.array(text(10), { maxLength: 3 }),
  users: fc.array(
    fc.record({
      name: text(12),
      posts: fc.array(fc.record({ title: text(20), comments: fc.array(text(15), { maxLength: 3 }), tags: fc.uniqueArray(fc.nat(5), { maxLength: 3 }) }), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
})

/** Random edits of a saved graph, as choices the edit function reads in order. */
const editArb = fc.record({
  renames: fc.array(fc.option(text(12)), { minLength: 3, maxLength: 3 }),
  keep: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  retitle: fc.array(fc.option(text(20)), { minLength: 12, maxLength: 12 }),
  keepComments: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
  addComments: fc.array(fc.array(text(15), { maxLength: 2 }), { minLength: 12, maxLength: 12 }),
  tags: fc.array(fc.uniqueArray(fc.nat(8), { maxLength: 3 }), { minLength: 12, maxLength: 12 }),
  addPosts: fc.array(fc.array(text(20), { maxLength: 2 }), { minLength: 3, maxLength: 3 }),
})

const byId = <T extends { readonly id: number }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a.id - b.id)
/** A graph with every collection ordered by key (the order a load gives). */
const normal = (users: readonly Saved[]) =>
  byId(users).map((u) => ({ ...u, posts: byId(u.posts).map((p) => ({ ...p, comments: byId(p.comments), tags: byId(p.tags) })) }))

describe.each(runtimeEngines)('entity change graphs: commit then reload equals the graph, $name', (engine) => {
  let drop: () => Promise<void>
  let e: Engine
  let existing: readonly Tag[] = []
  let known: EG.Snapshot = EG.emptySnapshot
  const load = (ids: readonly number[]) => runPromise(e)(loadWith((d) => M.load(d)(B.UserE, B.blogInclude, { where: (c) => Q.isIn(c.id, [...ids]) })))
  const commit = <T>(changes: E.Either<EG.InvalidEntityGraph, EG.EntityChanges<T>>): Promise<T> => {
    if (E.isLeft(changes)) throw new Error(changes.left.message)
    return runPromise(e)(EG.commit(changes.right))
  }

  beforeAll(async () => {
    ;({ engine: e, drop } = await engine.open({ max: 2 }))
    await B.createBlog(e)
    const TagGraph = EG.shape(B.TagE)
    existing = await commit(EG.save(TagGraph)([{ label: 'e0' }, { label: 'e1' }, { label: 'e2' }]))
    known = EG.snapshot(TagGraph, existing)
  })
  afterAll(async () => {
    await e.close()
    await drop()
  })

  it(`holds for ${RUNS} random graphs inserted, then edited and saved by diff (seed ${seed})`, async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, editArb, async (g, ed) => {
        // Insert: new tags are shared objects, existing ones come from the snapshot.
        const fresh = g.newTags.map((label) => ({ label }))
        const pool: readonly Partial<Tag>[] = [...existing, ...fresh]
        const draft = g.users.map((u) => ({
          name: u.name,
          posts: u.posts.map((p) => ({ title: p.title, comments: p.comments.map((body) => ({ body })), tags: p.tags.flatMap((i) => (pool[i] === undefined ? [] : [pool[i]!])) })),
        }))
        const saved = await commit(EG.save(UserGraph, known)(draft))
        const loaded = await load(saved.map((u) => u.id))
        expect(normal(loaded)).toEqual(normal(saved))

        // Edit the reloaded graph and save the diff.
        const tagsNow = [...new Map([...existing, ...loaded.flatMap((u) => u.posts.flatMap((p) => p.tags))].map((t) => [t.id, t])).values()]
        let post = 0
        let comment = 0
        const edited = loaded.map((u, ui) => ({
          ...u,
          name: ed.renames[ui] ?? u.name,
          posts: [
            ...u.posts.flatMap((p) => {
              const i = post++
              if (ed.keep[i] === false) return []
              return [
                {
                  ...p,
                  title: ed.retitle[i] ?? p.title,
                  comments: [...p.comments.filter(() => ed.keepComments[comment++ % 40] !== false), ...(ed.addComments[i] ?? []).map((body) => ({ body }))],
                  tags: (ed.tags[i] ?? []).flatMap((t) => (tagsNow[t] === undefined ? [] : [tagsNow[t]!])),
                },
              ]
            }),
            ...(ed.addPosts[ui] ?? []).map((title) => ({ title, comments: [{ body: 'new' }], tags: tagsNow.slice(0, 1) })),
          ],
        }))
        const before = EG.merge(known, EG.snapshot(UserGraph, loaded))
        const saved2 = await commit(EG.save(UserGraph, before)(edited))
        const loaded2 = await load(saved2.map((u) => u.id))
        expect(normal(loaded2)).toEqual(normal(saved2))
      }),
      { numRuns: RUNS, seed },
    )
  })
})
