/** Golden SQL: the text escape hatch as expression, whole query and derived table. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { all, golden } from './all-dialects.js'
import { users } from './fixtures.js'

describe('text escape hatch', () => {
  it('sql template: interpolated expressions are embedded, values become parameters', () => {
    const q = pipe(
      Q.from(users),
      Q.where((s) => Q.sql<boolean>`${s.users.name} <> ${'x'} and ${s.users.id} % 2 = 0`),
      Q.select((s) => ({ id: s.users.id })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE "users"."name" <> $1 and "users"."id" % 2 = 0  -- ["x"]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`name\` <> ? and \`users\`.\`id\` % 2 = 0  -- ["x"]
      sqlite:   SELECT "users"."id" FROM "users" WHERE "users"."name" <> ? and "users"."id" % 2 = 0  -- ["x"]
      "
    `)
  })

  it('text expressions are parenthesised as operands', () => {
    const q = pipe(Q.from(users), Q.select((s) => ({ v: Q.mul(Q.sql<number>`${s.users.id} + 1`, 2) })))
    expect(all(q).sqlite).toEqual({ sql: 'SELECT ("users"."id" + 1) * ? AS "v" FROM "users"', params: [2n] })
  })

  it('rawSql with named parameters: values from the text or from compile args', () => {
    const q = pipe(
      Q.from(users),
      Q.where(() => Q.rawSql<boolean>('users.id between :lo and :hi', { lo: 1 })),
      Q.select((s) => ({ id: s.users.id })),
    )
    expect(golden(q, { hi: 9 })).toMatchInlineSnapshot(`
      "
      postgres: SELECT "users"."id" FROM "users" WHERE users.id between $1 and $2  -- [1,9]
      mysql:    SELECT \`users\`.\`id\` FROM \`users\` WHERE users.id between ? and ?  -- [1,9]
      sqlite:   SELECT "users"."id" FROM "users" WHERE users.id between ? and ?  -- [1,9]
      "
    `)
    expect(all(q).mysql).toMatchObject({ error: 'MissingParam' })
  })

  it('placeholder syntax in hand-written SQL is an error (it would shift every parameter)', () => {
    const q = (t: string) => pipe(Q.from(users), Q.where(() => Q.rawSql<boolean>(t)), Q.select((s) => ({ id: s.users.id })))
    expect(all(q('users.id = $1'))).toMatchObject({ postgres: { error: 'InvalidQuery' }, mysql: { sql: expect.any(String) }, sqlite: { error: 'InvalidQuery' } })
    expect(all(q('users.id = ?'))).toMatchObject({ postgres: { sql: expect.any(String) }, mysql: { error: 'InvalidQuery' }, sqlite: { error: 'InvalidQuery' } })
    // inside quotes and comments it is just text
    expect(all(q("users.name <> '?$1' /* ? */ -- $1"))).toMatchObject({ postgres: { sql: expect.any(String) }, mysql: { sql: expect.any(String) }, sqlite: { sql: expect.any(String) } })
  })

  it('quotes, comments and :: casts are not parameters', () => {
    const t = Q.rawSql<string>(`select ':no', "a:b", x::text -- :nope\n, :yes`, { yes: 1 })
    expect(t.parts.filter((p) => p.kind === 'param').map((p) => (p.kind === 'param' ? p.name : ''))).toEqual(['yes'])
  })

  it('a whole query with declared columns, and the same as a derived table', () => {
    const hand = Q.textQuery(Q.rawSql('select id, name from users where id > :min', { min: 10 }), {
      id: Q.integer().notNull(),
      name: Q.text().notNull(),
    })
    expect(golden(hand)).toMatchInlineSnapshot(`
      "
      postgres: select id, name from users where id > $1  -- [10]
      mysql:    select id, name from users where id > ?  -- [10]
      sqlite:   select id, name from users where id > ?  -- [10]
      "
    `)
    const d = pipe(hand, Q.as('h'))
    const q = pipe(Q.from(d), Q.where((s) => Q.like(s.h.name, 'a%')), Q.select((s) => ({ n: s.h.name })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: SELECT "h"."name" AS "n" FROM (select id, name from users where id > $1) AS "h" WHERE "h"."name" LIKE $2  -- [10,"a%"]
      mysql:    SELECT \`h\`.\`name\` AS \`n\` FROM (select id, name from users where id > ?) AS \`h\` WHERE \`h\`.\`name\` LIKE ?  -- [10,"a%"]
      sqlite:   SELECT "h"."name" AS "n" FROM (select id, name from users where id > ?) AS "h" WHERE "h"."name" LIKE ?  -- [10,"a%"]
      "
    `)
  })
})
