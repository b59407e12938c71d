/**
 * Generated decoders: one object per key within a load, absent entities on
 * the outer side of a join, composite keys, user codecs, and the typed
 * DecodeError that names entity, column, value and io-ts path.
 */
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/mapping/index.js'

const Users = Q.table('users', { id: Q.integer().primaryKey(), email: Q.text().notNull(), big: Q.bigint(), admin: Q.boolean().notNull() })
interface EmailBrand {
  readonly Email: unique symbol
}
const Email = t.brand(t.string, (s): s is t.Branded<string, EmailBrand> => s.includes('@'), 'Email')
const UserE = M.entity(Users, { name: 'User', codecs: { email: Email } })
const Pairs = Q.table('pairs', { a: Q.text().notNull(), b: Q.integer().notNull(), v: Q.text() }, { primaryKey: ['a', 'b'] })
const PairE = M.entity(Pairs)

const spec = (e: M.AnyEntity, optional = false): M.DecoderSpec => ({ labels: e.fields.map((f) => f.prop), optional, inits: [] })

describe('generated decoders', () => {
  it('decodes a row into the entity type, one object per key', () => {
    const dec = M.decoderFor('sqlite', UserE, spec(UserE))
    const ids = M.newIdentity()
    const a = dec.decode({ id: 1, email: 'a@x', big: 5, admin: 1 }, ids)
    expect(a).toEqual({ id: 1, email: 'a@x', big: 5n, admin: true })
    expect(dec.decode({ id: 1, email: 'other@x', big: 5, admin: 0 }, ids)).toBe(a)
    expect(dec.decode({ id: 2, email: 'b@x', big: null, admin: 0 }, ids)).toEqual({ id: 2, email: 'b@x', big: null, admin: false })
    expect(ids.created).toBe(2)
  })

  it('gives null for an absent entity (all key columns NULL) when optional', () => {
    const dec = M.decoderFor('postgres', UserE, spec(UserE, true))
    expect(dec.decode({ id: null, email: null, big: null, admin: null }, M.newIdentity())).toBeNull()
  })

  it('keys composite primary keys injectively', () => {
    const dec = M.decoderFor('postgres', PairE, spec(PairE))
    const ids = M.newIdentity()
    const x = dec.decode({ a: 'k1', b: 2, v: 'x' }, ids)
    const y = dec.decode({ a: 'k', b: 12, v: 'y' }, ids)
    expect(x).not.toBe(y)
    expect(dec.decode({ a: 'k1', b: 2, v: 'ignored' }, ids)).toBe(x)
  })

  it('explains a value that does not fit with entity, column, value and path', () => {
    const dec = M.decoderFor('postgres', UserE, spec(UserE))
    const row = { id: 3, email: 'c@x', big: '1.5', admin: true }
    expect(dec.decode(row, M.newIdentity())).toBeUndefined()
    expect(dec.explain(row)).toMatchObject({ _tag: 'DecodeError', entity: 'User', column: 'big', value: '1.5', path: 'User.big', expected: 'bigint | null' })
  })

  it('runs user codecs and reports their failures with the io-ts path', () => {
    const dec = M.decoderFor('postgres', UserE, spec(UserE))
    const row = { id: 4, email: 'no-at-sign', big: null, admin: false }
    expect(dec.decode(row, M.newIdentity())).toBeUndefined()
    const e = dec.explain(row)
    expect(e).toMatchObject({ entity: 'User', column: 'email', value: 'no-at-sign', path: 'User.email', expected: 'Email' })
    expect(e.message).toBe('User: column email has "no-at-sign", which does not fit Email at User.email (refused by its codec)')
  })

  it('gives the entity an io-ts codec for the loaded object', () => {
    expect(UserE.codec.decode({ id: 1, email: 'a@x', big: 1n, admin: true })._tag).toBe('Right')
    expect(UserE.codec.decode({ id: 1.5, email: 'a@x', big: null, admin: true })._tag).toBe('Left')
  })
})
