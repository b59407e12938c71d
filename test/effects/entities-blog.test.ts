/**
 * Entity change graphs with database-generated keys, on PostgreSQL, MariaDB
 * and SQLite: keys flow from new parents to children, to many-to-many
 * links and to an association entity with its own column; a stale version
 * fails with StaleRow and writes nothing; invalid graphs are typed errors
 * naming entity, property and value, found before a connection is taken.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { createEngine, EG, loadWith, run, runPromise, sql, type Engine } from '../../src/effects/index.js'
import * as M from '../../src/mapping/index.js'
import { engines, type EngineDb } from '../support/engines.js'
import * as B from './support/entities-blog.js'

const ok = <T>(r: E.Either<{ readonly message: string }, T>): T => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const UserGraph = EG.shape(B.UserE, B.blogInclude)
const ratingsInclude = { posts: M.nest(B.userPosts, { comments: B.postComments, tags: B.postTagLinks }), ratings: M.nest(B.userRatings, { post: B.ratingPost }) }
const RatingGraph = EG.shape(B.UserE, ratingsInclude)

/** A read-only entity: each user with their number of posts. */
const PostCountE = M.view(
  'PostCount',
  pipe(
    Q.from(B.users),
    Q.select((s) => ({ id: s.eg_users.id, name: s.eg_users.name })),
  ),
  { id: Q.integer().notNull(), name: Q.varchar(40).notNull() },
  { key: ['id'] },
)

describe.each(engines)('entity change graphs with generated keys, $name', (engine) => {
  let db: EngineDb
  let e: Engine
  const load = (ids: readonly number[]) => runPromise(e)(loadWith((d) => M.load(d)(B.UserE, B.blogInclude, { where: (c) => Q.isIn(c.id, [...ids]) })))

  beforeAll(async () => {
    db = await engine.fresh()
    e = createEngine(db.driver, { pool: { max: 2 } })
    await B.createBlog(e)
  })
  afterAll(async () => {
    await e.close()
    await db.drop()
  })

  it('carries generated keys from users to posts, comments and tag links (a new tag shared by two posts is inserted once)', async () => {
    const news = { label: 'news' }
    const graph = [
      { name: 'ada', posts: [{ title: 'one', comments: [{ body: 'first!' }, { body: 'second' }], tags: [news] }, { title: 'two', comments: [], tags: [news, { label: 'misc' }] }] },
      { name: 'bob', posts: [] },
    ]
    const changes = ok(EG.save(UserGraph)(graph))
    const steps = ok(EG.plan(changes, e.dialect)).steps
    expect(steps.flatMap((s) => (s._tag === 'Insert' ? [[s.table, s.nodes.length, s.generated?.column]] : []))).toEqual([
      ['eg_users', 2, 'id'],
      ['eg_tags', 2, 'id'],
      ['eg_posts', 2, 'id'],
      ['eg_comments', 2, 'id'],
      ['eg_post_tags', 3, undefined],
    ])
    const saved = await runPromise(e)(EG.commit(changes))
    const [ada, bob] = saved
    expect(typeof ada?.id).toBe('number')
    expect(ada?.version).toBe(1)
    expect(ada?.posts.every((p) => p.author_id === ada.id)).toBe(true)
    expect(ada?.posts[0]?.tags[0]).toBe(ada?.posts[1]?.tags[0]) // one object per row, as a load gives
    expect(await load([ada!.id, bob!.id])).toEqual(saved)
  })

  it('saves an association entity with its own column, pointing at a post new in the same graph', async () => {
    const post = { title: 'rated', comments: [], tags: [] }
    const graph = [
      { name: 'cy', posts: [post], ratings: [] },
      { name: 'di', posts: [], ratings: [{ stars: 5, post }] },
    ]
    const saved = await runPromise(e)(EG.commit(ok(EG.save(RatingGraph)(graph))))
    expect(saved[1]?.ratings[0]).toMatchObject({ user_id: saved[1]?.id, post_id: saved[0]?.posts[0]?.id, stars: 5 })
    const reloaded = await runPromise(e)(loadWith((d) => M.load(d)(B.UserE, ratingsInclude, { where: (c) => Q.isIn(c.id, saved.map((u) => u.id)) })))
    expect(reloaded).toEqual(saved)
  })

  it('inserts a new many-to-one parent before its child, and a one-to-one child keyed by its parent; removing it deletes the orphan', async () => {
    const PostGraph = EG.shape(B.PostE, { author: M.nest(B.postAuthor, { profile: B.userProfile }) })
    const [post] = await runPromise(e)(EG.commit(ok(EG.save(PostGraph)([{ title: 'by a new author', author: { name: 'hal', profile: { bio: 'hello' } } }]))))
    expect(post?.author_id).toBe(post?.author?.id)
    expect(post?.author?.profile).toEqual({ user_id: post?.author?.id, bio: 'hello' })
    const ProfileGraph = EG.shape(B.UserE, { profile: B.userProfile })
    const load1 = () => runPromise(e)(loadWith((d) => M.load(d)(B.UserE, { profile: B.userProfile }, { where: (c) => Q.eq(c.id, post!.author_id) })))
    const [hal] = await load1()
    expect(hal).toEqual({ ...post?.author, profile: post?.author?.profile })
    // Removed from its user: the one-to-one cascades delete-orphan, so the profile row is deleted.
    const replaced = EG.save(ProfileGraph, EG.snapshot(ProfileGraph, [hal!]))([{ ...hal!, profile: null }])
    const saved = await runPromise(e)(EG.commit(ok(replaced)))
    expect(saved[0]?.profile).toBeNull()
    expect(await load1()).toEqual(saved)
  })

  it('a stale version fails with StaleRow, and nothing of the graph is written', async () => {
    const [ada] = await runPromise(e)(EG.commit(ok(EG.save(UserGraph)([{ name: 'eve', posts: [] }]))))
    const [loaded] = await load([ada!.id])
    const before = EG.snapshot(UserGraph, [loaded!])
    // Someone else saves first.
    await runPromise(e)(EG.commit(ok(EG.save(UserGraph, before)([{ ...loaded!, name: 'eve (theirs)' }]))))
    const mine = ok(EG.save(UserGraph, before)([{ ...loaded!, name: 'eve (mine)', posts: [{ title: 'lost', comments: [], tags: [] }] }]))
    const r = await run(e)(EG.commit(mine))()
    expect(E.isLeft(r) && r.left._tag).toBe('StaleRow')
    expect(E.isLeft(r) && r.left._tag === 'StaleRow' && [r.left.expected, r.left.actual]).toEqual([1, 2])
    expect(await load([ada!.id])).toEqual([{ ...loaded, name: 'eve (theirs)', version: 2 }])
    // Deleting from the stale snapshot is refused the same way.
    const gone = await run(e)(EG.commit(ok(EG.remove(UserGraph)([loaded!]))))()
    expect(E.isLeft(gone) && gone.left._tag).toBe('StaleRow')
    expect(await load([ada!.id])).toHaveLength(1)
  })

  it('invalid graphs are typed errors naming entity, property and value, and take no connection', async () => {
    const fresh = createEngine(db.driver, { pool: { max: 1 } })
    let connects = 0
    fresh.on('connect', () => connects++)
    const [saved] = await runPromise(e)(EG.commit(ok(EG.save(UserGraph)([{ name: 'fay', posts: [{ title: 't', comments: [], tags: [] }] }]))))
    const problems = (r: E.Either<EG.InvalidEntityGraph, unknown>) => (E.isLeft(r) ? r.left.problems : [])

    expect(problems(EG.save(UserGraph)([{ name: 42 as unknown as string, posts: [] }]))).toMatchObject([
      { _tag: 'ValueDoesNotFit', entity: 'eg_users', property: 'name', value: 42, path: 'eg_users[0]' },
    ])
    expect(problems(EG.save(UserGraph)([{ name: 'x', nickname: 'y' } as never]))).toMatchObject([{ _tag: 'UnknownProperty', entity: 'eg_users', property: 'nickname' }])
    expect(problems(EG.save(EG.shape(B.PostE))([{ title: 'orphan' }]))).toMatchObject([
      { _tag: 'MissingRelation', entity: 'eg_posts', properties: ['author_id'], references: 'eg_users' },
    ])
    expect(problems(EG.save(EG.shape(PostCountE))([{ id: 1, name: 'x' }]))).toMatchObject([{ _tag: 'ReadOnlyEntity', entity: 'PostCount' }])
    // A persisted user whose posts were not loaded: removing or adding posts would be guesswork.
    const bare = EG.snapshot(EG.shape(B.UserE), [saved!])
    expect(problems(EG.save(UserGraph, bare)([{ ...saved!, posts: [] }]))).toMatchObject([{ _tag: 'NotLoaded', entity: 'eg_users', relationship: 'posts' }])
    // Two different versions of one persisted object.
    const { posts: _posts, ...plain } = saved!
    expect(problems(EG.save(EG.shape(B.UserE), bare)([{ ...plain, name: 'a' }, { ...plain, name: 'b' }]))).toMatchObject([{ _tag: 'ConflictingObjects', entity: 'eg_users', path: 'eg_users[1]', other: 'eg_users[0]' }])
    // A relationship without save-update can only point at a persisted object.
    const byKeyOnly = M.manyToOne(B.PostE, B.UserE, { local: ['author_id'], cascade: [] })
    expect(problems(EG.save(EG.shape(B.PostE, { author: byKeyOnly }))([{ title: 't', author: { name: 'nobody' } }]))).toMatchObject([
      { _tag: 'NotPersisted', entity: 'eg_users', path: 'eg_posts[0].author' },
      { _tag: 'MissingRelation', entity: 'eg_posts', properties: ['author_id'] },
    ])

    // Past the entity checks, the change graph's own (a title longer than varchar(50)) still fails before a connection.
    const tooLong = await EG.commitWith(fresh)(ok(EG.save(UserGraph)([{ name: 'gil', posts: [{ title: 'x'.repeat(51), comments: [], tags: [] }] }])))()
    expect(E.isLeft(tooLong) && tooLong.left._tag).toBe('InvalidGraph')
    expect(E.isLeft(tooLong) && tooLong.left.message).toMatch(/eg_users\[0\]\.posts\[0\].*eg_posts\.title/)
    expect(connects).toBe(0)
    expect(fresh.pool.stats().size).toBe(0)
    await fresh.close()
    const names = await runPromise(e)(sql<{ name: string }>('SELECT name FROM eg_users'))
    expect(names.rows.map((r) => r.name)).not.toContain('gil')
  })
})
