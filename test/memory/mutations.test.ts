/**
 * Data changes in memory: RETURNING, upserts, every constraint kind with a
 * typed violation that leaves the database unchanged, the foreign-key
 * actions, and transactions with savepoints (a rollback is keeping an older
 * database value).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/interpret/memory/index.js'

const author = Q.table('author', { id: Q.integer().primaryKey(), email: Q.text().notNull().unique(), age: Q.integer() }, (c) => ({
  checks: [{ name: 'adult', expr: Q.gte(c.age, 18) }],
}))
const post = Q.table('post', { id: Q.integer().primaryKey().autoIncrement(), author: Q.integer(), title: Q.text().notNull() }, {
  foreignKeys: [{ columns: ['author'], references: () => author, referencedColumns: ['id'], onDelete: 'cascade', onUpdate: 'cascade' }],
})
const note = Q.table('note', { post: Q.integer(), body: Q.text() }, {
  foreignKeys: [{ columns: ['post'], references: () => post, referencedColumns: ['id'], onDelete: 'set null' }],
})

const exec = M.execute(M.postgresProfile)
const ok = (r: E.Either<M.EvalError, M.Executed>): M.Executed =>
  E.getOrElseW((e: M.EvalError) => {
    throw new Error(`${e._tag}: ${e.message}`)
  })(r)
const all = (db: M.Database, t: Q.AnyTable): readonly M.Row[] => ok(exec(Q.from(t as never))(db)).rows

const seeded = (): M.Database => {
  let db = M.databaseOf([author, post, note])
  db = ok(exec(Q.insert(author, [{ id: 1, email: 'a@x', age: 30 }, { id: 2, email: 'b@x', age: null }]))(db)).db
  db = ok(exec(Q.insert(post, [{ author: 1, title: 'p1' }, { author: 1, title: 'p2' }, { author: 2, title: 'p3' }]))(db)).db
  return ok(exec(Q.insert(note, [{ post: 1, body: 'n1' }, { post: 3, body: 'n3' }]))(db)).db
}

describe('in-memory data changes', () => {
  it('generates keys and returns the written rows', () => {
    const r = ok(exec(pipe(Q.insert(post, { author: 2, title: 'p4' }), Q.returning((s) => ({ id: s.post.id, title: s.post.title }))))(seeded()))
    expect(r.rows).toEqual([{ id: 4, title: 'p4' }])
  })

  it('rejects each constraint kind with a typed error and changes nothing', () => {
    const db = seeded()
    const kinds = [
      Q.insert(author, { id: 1, email: 'c@x' }),
      Q.insert(author, { id: 3, email: 'a@x' }),
      Q.insert(author, { id: 3, email: null as never }),
      Q.insert(author, { id: 3, email: 'c@x', age: 12 }),
      Q.insert(post, { author: 9, title: 't' }),
    ].map((s) => exec(s)(db))
    expect(kinds.map((r) => (E.isLeft(r) && r.left._tag === 'ConstraintViolation' ? r.left.kind : 'none'))).toEqual([
      'primary-key',
      'unique',
      'not-null',
      'check',
      'foreign-key',
    ])
    expect(all(db, author)).toHaveLength(2)
  })

  it('upserts: DO NOTHING skips, DO UPDATE sees the proposed row as excluded', () => {
    const db = seeded()
    const skip = ok(exec(pipe(Q.insert(author, { id: 1, email: 'z@x' }), Q.onConflictDoNothing(['id'])))(db))
    expect(skip.rowCount).toBe(0)
    const up = ok(exec(pipe(Q.insert(author, { id: 1, email: 'z@x' }), Q.onConflictDoUpdate(['id'], (ex) => ({ email: ex.email }))))(db))
    expect(all(up.db, author).find((r) => r['id'] === 1)).toEqual({ id: 1, email: 'z@x', age: 30 })
  })

  it('applies ON DELETE CASCADE / SET NULL and ON UPDATE CASCADE', () => {
    const db = ok(exec(Q.deleteFrom(author, (s) => Q.eq(s.author.id, 1)))(seeded())).db
    expect(all(db, post).map((r) => r['title'])).toEqual(['p3'])
    expect(all(db, note)).toEqual([{ post: null, body: 'n1' }, { post: 3, body: 'n3' }])
    const moved = ok(exec(Q.update(author, { set: () => ({ id: 20 }), where: (s) => Q.eq(s.author.id, 2) }))(db)).db
    expect(all(moved, post)).toEqual([{ id: 3, author: 20, title: 'p3' }])
  })

  it('updates and deletes with RETURNING', () => {
    const r = ok(exec(pipe(Q.update(post, { set: (s) => ({ title: Q.concat(s.post.title, '!') }), where: (s) => Q.eq(s.post.author, 1) }), Q.returning((s) => ({ t: s.post.title }))))(seeded()))
    expect(r.rows).toEqual([{ t: 'p1!' }, { t: 'p2!' }])
    const d = ok(exec(pipe(Q.deleteFrom(note), Q.returning((s) => ({ b: s.note.body }))))(seeded()))
    expect(d.rows).toEqual([{ b: 'n1' }, { b: 'n3' }])
  })

  it('rolls back to a savepoint and commits the rest; illegal moves are errors', () => {
    const run = M.executeIn(M.postgresProfile)
    const s0 = M.session(seeded())
    const result = pipe(
      M.begin(s0),
      E.chainW(run(Q.insert(author, { id: 3, email: 'c@x' }))),
      E.map((x) => x.session),
      E.chainW(M.savepoint('sp')),
      E.chainW(run(Q.deleteFrom(post))),
      E.map((x) => x.session),
      E.chainW(M.rollbackTo('sp')),
      E.chainW(M.commit),
    )
    const s1 = E.getOrElseW(() => s0)(result)
    expect(all(s1.db, author)).toHaveLength(3)
    expect(all(s1.db, post)).toHaveLength(3)
    expect(M.commit(s1)).toMatchObject({ _tag: 'Left', left: { _tag: 'TransactionStateError' } })
    const rolled = pipe(M.begin(s1), E.chainW(run(Q.deleteFrom(note))), E.chainW((x) => M.rollback(x.session)))
    expect(E.isRight(rolled) && all(rolled.right.db, note)).toHaveLength(2)
  })
})
