/**
 * Properties of compilation over random predicates and values: the cache
 * never changes the result, values never enter the SQL text, compilation is
 * deterministic, and filters fuse.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { clearStatementCache, compile, mariadb, mysql8, postgres, sqlite, type Dialect } from '../../src/interpret/index.js'
import { posts, users } from './fixtures.js'

const dialects: readonly Dialect[] = [postgres, mariadb, mysql8, sqlite]

// Strings marked so that finding one in SQL text can only mean it was spliced in.
const marked = fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }).map((s) => `§${s}§`)
const scalar = fc.oneof(marked, fc.integer(), fc.boolean(), fc.constant(null))

type Pred = Q.Predicate
const leaf: fc.Arbitrary<Pred> = fc.oneof(
  fc.tuple(marked, fc.constantFrom(Q.eq, Q.ne, Q.lt, Q.gte)).map(([v, op]) => op(users.c.name, v)),
  fc.tuple(fc.integer(), fc.integer()).map(([a, b]) => Q.between(users.c.id, a, b)),
  fc.array(fc.integer(), { maxLength: 4 }).map((xs) => Q.isIn(users.c.id, xs)),
  marked.map((v) => Q.ilike(users.c.email, v)),
  scalar.map((v) => Q.isDistinctFrom(users.c.bio, v as string | null)),
  marked.map((v) => Q.sql<boolean>`${users.c.name} = ${v}`),
  fc.integer().map((n) => Q.exists(pipe(Q.from(posts), Q.where((s) => Q.gt(s.posts.score, n))))),
)
const pred: fc.Arbitrary<Pred> = fc.letrec<{ p: Pred }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('p'), { maxLength: 3 }).map((ps) => Q.and(...ps)),
    fc.array(tie('p'), { maxLength: 3 }).map((ps) => Q.or(...ps)),
    tie('p').map((p) => Q.not(p)),
  ),
})).p

const query = (p: Pred, limit: number) => pipe(Q.from(users), Q.where(() => p), Q.select((s) => ({ id: s.users.id })), Q.limit(limit))

const valuesOf = (r: E.Either<unknown, { readonly params: readonly unknown[] }>): readonly unknown[] => (E.isRight(r) ? r.right.params : [])

describe('compilation properties', () => {
  it('a cache hit gives what a fresh compile gives', () => {
    fc.assert(
      fc.property(pred, pred, fc.nat(1000), (p1, p2, n) => {
        for (const d of dialects) {
          const warm = compile(d)(query(p1, n))
          const hit = compile(d)(query(p1, n + 1))
          clearStatementCache(d)
          const cold = compile(d)(query(p1, n + 1))
          expect(hit).toEqual(cold)
          expect(E.isRight(warm) && E.isRight(hit) ? warm.right.sql === hit.right.sql : true).toBe(true)
          // an unrelated query compiled in between changes nothing
          compile(d)(query(p2, n))
          expect(compile(d)(query(p1, n + 1))).toEqual(cold)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('bound values never appear in the SQL text', () => {
    fc.assert(
      fc.property(pred, (p) => {
        for (const d of dialects) {
          const r = compile(d)(query(p, 5))
          if (E.isLeft(r)) continue
          for (const v of r.right.params) if (typeof v === 'string' && v.startsWith('§')) expect(r.right.sql.includes(v)).toBe(false)
          expect(r.right.sql.includes('§')).toBe(false)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('placeholders match parameters', () => {
    fc.assert(
      fc.property(pred, (p) => {
        const pg = compile(postgres)(query(p, 1))
        const my = compile(mariadb)(query(p, 1))
        if (E.isRight(pg)) expect((pg.right.sql.match(/\$\d+/g) ?? []).length).toBe(pg.right.params.length)
        if (E.isRight(my)) expect(my.right.sql.split('?').length - 1).toBe(my.right.params.length)
        expect(valuesOf(pg)).toEqual(valuesOf(my))
      }),
      { numRuns: 200 },
    )
  })

  it('a dialect that binds strings of a type as given (encode.stringsAsGiven) answers every string of that type unchanged', () => {
    const types: readonly Q.DataType[] = [
      { kind: 'integer' }, { kind: 'bigint' }, { kind: 'smallint' }, { kind: 'text' }, { kind: 'varchar', length: 5 }, { kind: 'char', length: 3 },
      { kind: 'boolean' }, { kind: 'numeric', precision: 10, scale: 2 }, { kind: 'numeric', precision: undefined, scale: undefined }, { kind: 'real' },
      { kind: 'double' }, { kind: 'date' }, { kind: 'time' }, { kind: 'timestamp', withTimeZone: true }, { kind: 'timestamp', withTimeZone: false },
      { kind: 'json' }, { kind: 'jsonb' }, { kind: 'uuid' }, { kind: 'bytes' }, { kind: 'enum', name: 'mood', values: ['ok'] },
    ]
    const strings = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('', '12', '-1.5', '1e3', '{"a":1}', '[1]', 'true', '2020-01-01', '00:00:01'))
    fc.assert(
      fc.property(fc.constantFrom(...dialects), fc.constantFrom<Q.DataType | undefined>(...types, undefined), strings, (d, t, s) => d.encode.stringsAsGiven?.(t) !== true || d.encode(s, t) === s),
      { numRuns: 500 },
    )
    // And they say so where it matters: text columns are as given, JSON ones are not (a string there is a document).
    for (const d of dialects) expect([d.encode.stringsAsGiven?.({ kind: 'text' }), d.encode.stringsAsGiven?.({ kind: 'json' })]).toEqual([true, false])
  })

  it('filter fusion: where(p) then where(q) is where(and(p, q))', () => {
    fc.assert(
      fc.property(pred, pred, (p, q) => {
        const twice = pipe(Q.from(users), Q.where(() => p), Q.where(() => q))
        const once = pipe(Q.from(users), Q.where(() => Q.and(p, q)))
        for (const d of dialects) expect(compile(d)(twice)).toEqual(compile(d)(once))
      }),
      { numRuns: 100 },
    )
  })
})
