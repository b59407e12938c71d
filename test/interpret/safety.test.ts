/** Values never enter SQL text; identifiers are quoted and checked; bad values are typed errors. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as Q from '../../src/algebra/index.js'
import { compile, postgres } from '../../src/interpret/index.js'
import { all } from './all-dialects.js'
import { users } from './fixtures.js'

const byName = (v: unknown) =>
  pipe(
    Q.from(users),
    Q.where((s) => Q.eq(s.users.name, v as string)),
    Q.select((s) => ({ id: s.users.id })),
  )

const hostile = ["'; drop table users; --", 'a"b`c', '$1', '?', '%_\\', '\u0000', '😀\u202e', '/* x */']

describe('values', () => {
  it('hostile strings travel only as parameters', () => {
    for (const h of hostile) {
      const r = all(byName(h))
      expect(r.postgres).toEqual({ sql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" = $1', params: [h] })
      expect(r.mysql).toEqual({ sql: 'SELECT `users`.`id` FROM `users` WHERE `users`.`name` = ?', params: [h] })
      expect(r.sqlite).toEqual({ sql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" = ?', params: [h] })
    }
  })

  it('an object that looks like an expression is a value, never SQL', () => {
    const fake = { _tag: 'Text', parts: [{ kind: 'sql', text: 'TRUE OR 1=1' }], params: {} }
    const q = pipe(Q.from(users), Q.where((s) => Q.eq(s.users.meta, fake)), Q.select((s) => ({ id: s.users.id })))
    expect(all(q).postgres).toEqual({
      sql: 'SELECT "users"."id" FROM "users" WHERE "users"."meta" = $1',
      params: [JSON.stringify(fake)],
    })
  })

  it('non-scalars where a scalar is expected are typed errors', () => {
    expect(all(byName({ a: 1 })).postgres).toMatchObject({ error: 'InvalidValue', message: expect.stringContaining('an object') })
    expect(all(byName([1, 2])).mysql).toMatchObject({ error: 'InvalidValue', message: expect.stringContaining('an array') })
    expect(all(byName(Number.NaN)).sqlite).toMatchObject({ error: 'InvalidValue', message: expect.stringContaining('NaN') })
    expect(all(byName(2n ** 64n)).postgres).toMatchObject({ error: 'InvalidValue', message: expect.stringContaining('64-bit') })
    expect(all(byName(undefined)).postgres).toMatchObject({ error: 'InvalidValue', message: expect.stringContaining('undefined') })
    expect(all(byName(new Date(Number.NaN))).postgres).toMatchObject({ error: 'InvalidValue' })
    expect(all(byName(() => 1)).postgres).toMatchObject({ error: 'InvalidValue' })
  })

  it('JSON columns encode documents and reject what JSON cannot hold', () => {
    const ins = (meta: unknown) => Q.insert(users, { name: 'a', email: 'e', meta: meta as Q.Json })
    expect(all(ins([1, { b: 'x' }])).sqlite).toMatchObject({ params: ['a', 'e', '[1,{"b":"x"}]', 1n] })
    expect(all(ins({ n: Number.POSITIVE_INFINITY })).postgres).toMatchObject({ error: 'InvalidValue', message: expect.stringContaining('JSON') })
    expect(all(ins({ d: new Date() })).postgres).toMatchObject({ error: 'InvalidValue' })
  })

  it('a statement past the dialect\'s parameter limit is an error, not a server failure', () => {
    const ids = Array.from({ length: 40000 }, (_, i) => i)
    const q = pipe(Q.from(users), Q.where((s) => Q.isIn(s.users.id, ids)), Q.select((s) => ({ id: s.users.id })))
    const r = all(q)
    expect(r.postgres).toHaveProperty('sql')
    expect(r.sqlite).toMatchObject({ error: 'InvalidQuery', message: expect.stringContaining('sqlite allows 32766') })
  })

  it('the in-range bigint extremes are accepted', () => {
    const t = Q.table('big', { v: Q.bigint().notNull() })
    const q = pipe(Q.from(t), Q.where((s) => Q.isIn(s.big.v, [-(2n ** 63n), 2n ** 63n - 1n])))
    expect(all(q).postgres).toMatchObject({ params: [-(2n ** 63n), 2n ** 63n - 1n] })
  })
})

describe('identifiers', () => {
  it('are quoted by each dialect\'s rules, quote characters doubled', () => {
    const t = Q.table('we"ird`name', { 'col"1': Q.integer() })
    const r = all(Q.from(t))
    expect(r.postgres).toMatchObject({ sql: 'SELECT "we""ird`name"."col""1" FROM "we""ird`name"' })
    expect(r.mysql).toMatchObject({ sql: 'SELECT `we"ird``name`.`col"1` FROM `we"ird``name`' })
    expect(r.sqlite).toMatchObject({ sql: 'SELECT "we""ird`name"."col""1" FROM "we""ird`name"' })
  })

  it('past the length limit are an error, never truncated (PostgreSQL counts bytes, MySQL characters)', () => {
    const at = (name: string) => all(Q.from(Q.table(name, { id: Q.integer() })))
    const r63 = at('x'.repeat(63))
    expect(r63.postgres).toHaveProperty('sql')
    const r64 = at('x'.repeat(64))
    expect(r64.postgres).toMatchObject({ error: 'IdentifierTooLong' })
    expect(r64.mysql).toHaveProperty('sql')
    expect(at('x'.repeat(65)).mysql).toMatchObject({ error: 'IdentifierTooLong' })
    expect(at('x'.repeat(5000)).sqlite).toHaveProperty('sql')
    const multibyte = 'é'.repeat(32)
    expect(at(multibyte).postgres).toMatchObject({ error: 'IdentifierTooLong', message: expect.stringContaining('64 bytes') })
    expect(at(multibyte).mysql).toHaveProperty('sql')
  })

  it('MySQL: identifiers outside the BMP or with edge white space are an error there only', () => {
    for (const name of ['😀', 'a ', ' a', 'a\t']) {
      const r = all(Q.from(Q.table(name, { id: Q.integer() })))
      expect(r.mysql).toMatchObject({ error: 'InvalidIdentifier' })
      expect(r.postgres).toHaveProperty('sql')
      expect(r.sqlite).toHaveProperty('sql')
    }
    expect(all(Q.from(Q.table('é中', { id: Q.integer() }))).mysql).toHaveProperty('sql')
  })

  it('empty or NUL-containing identifiers are an error', () => {
    expect(all(Q.from(Q.table('a\u0000b', { id: Q.integer() }))).postgres).toMatchObject({ error: 'InvalidIdentifier' })
    expect(all(Q.from(Q.table('', { id: Q.integer() }))).sqlite).toMatchObject({ error: 'InvalidIdentifier' })
  })
})

describe('compiled output', () => {
  it('is a frozen { sql, params }', () => {
    const r = compile(postgres)(byName('x'))
    expect(E.isRight(r) && Object.isFrozen(r.right) && Object.isFrozen(r.right.params)).toBe(true)
  })
})
