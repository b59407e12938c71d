/**
 * What "immutable" guarantees for query values. Per-query nodes are readonly
 * by type and never changed by a combinator, but not frozen (freezing each
 * node cost more than the cached-compile budget; see `mk`). Values built once
 * and shared between queries, or remembered by identity by the statement
 * cache, stay frozen.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { posts, users } from '../interpret/fixtures.js'

describe('query values', () => {
  it('combinators never change their input', () => {
    const base = pipe(
      Q.from(users),
      Q.join(posts, (s) => Q.eq(s.posts.author_id, s.users.id)),
      Q.where((s) => Q.eq(s.users.id, 1)),
      Q.orderBy((s) => [s.users.id]),
      Q.groupBy((s) => [s.users.id]),
    )
    const before = { ...base }
    const where = base.where
    const orderBy = [...base.orderBy]
    const groupBy = [...base.groupBy]
    const a = pipe(
      base,
      Q.where((s) => Q.gt(s.posts.id, 2)),
      Q.orderBy((s) => [Q.desc(s.posts.id)]),
      Q.groupBy((s) => [s.posts.id]),
      Q.limit(5),
      Q.distinct,
    )
    expect(a).not.toBe(base)
    expect({ ...base }).toEqual(before)
    expect(base.where).toBe(where)
    expect(base.orderBy).toEqual(orderBy)
    expect(base.groupBy).toEqual(groupBy)
    expect(base.limit).toBeUndefined()
  })

  it('are readonly by type', () => {
    const q = pipe(Q.from(users), Q.where((s) => Q.eq(s.users.id, 1)))
    const typeOnly = (): void => {
      // @ts-expect-error a query node's fields are readonly
      q.where = undefined
      // @ts-expect-error so are its arrays
      q.orderBy.push(Q.asc(users.c.id))
    }
    expect(typeof typeOnly).toBe('function')
  })

  it('values shared between queries or cached by identity are frozen', () => {
    // Column expressions of a table: the statement cache numbers them by identity.
    expect(Object.isFrozen(users.c)).toBe(true)
    expect(Object.isFrozen(users.c.id)).toBe(true)
    // `from(table)` is one shared select per table, with its fields and scope.
    const f = Q.from(users)
    expect(Q.from(users)).toBe(f)
    expect(Object.isFrozen(f) && Object.isFrozen(f.fields) && Object.isFrozen(f.fields[0]) && Object.isFrozen(f.scope)).toBe(true)
    expect(Object.isFrozen(f.from)).toBe(true)
    // The scope after a join is shared by every query joining the same relations.
    const j1 = pipe(f, Q.join(posts, (s) => Q.eq(s.posts.author_id, s.users.id)))
    const j2 = pipe(f, Q.join(posts, (s) => Q.eq(s.posts.id, 3)))
    expect(j1.scope).toBe(j2.scope)
    expect(Object.isFrozen(j1.scope)).toBe(true)
  })

  it('a self-join without an alias is still refused after the scope is shared', () => {
    const f = Q.from(users)
    expect(() => pipe(f, Q.join(users as never, () => Q.val(true)))).toThrow(/already in scope/)
    expect(() => pipe(f, Q.join(users as never, () => Q.val(true)))).toThrow(/already in scope/)
  })
})
