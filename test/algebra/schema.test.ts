import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { comments, employees, posts, users } from '../interpret/fixtures.js'

describe('column builders', () => {
  it('are frozen values; modifiers return new values', () => {
    const base = Q.text()
    const nn = base.notNull()
    expect(Object.isFrozen(base)).toBe(true)
    expect(base.spec.nullable).toBe(true)
    expect(nn.spec.nullable).toBe(false)
    expect(nn).not.toBe(base)
  })

  it('carry their data type', () => {
    expect(Q.varchar(20).spec.type).toEqual({ kind: 'varchar', length: 20 })
    expect(Q.numeric(10, 2).spec.type).toEqual({ kind: 'numeric', precision: 10, scale: 2 })
    expect(Q.timestamp({ withTimeZone: true }).spec.type).toEqual({ kind: 'timestamp', withTimeZone: true })
    expect(Q.enumOf('mood', ['happy', 'sad']).spec.type).toEqual({ kind: 'enum', name: 'mood', values: ['happy', 'sad'] })
  })

  it('primary key implies not null; defaults are recorded', () => {
    const id = Q.integer().primaryKey()
    expect(id.spec).toMatchObject({ primaryKey: true, nullable: false })
    expect(Q.boolean().notNull().default(true).spec.default).toEqual({ value: true })
  })

  it('have phantom TypeScript types', () => {
    expectTypeOf<Q.ColumnType<ReturnType<typeof Q.integer>>>().toEqualTypeOf<number | null>()
    const e = Q.enumOf('mood', ['happy', 'sad']).notNull()
    expectTypeOf<Q.ColumnType<typeof e>>().toEqualTypeOf<'happy' | 'sad'>()
    expectTypeOf<Q.ColumnOptional<typeof e>>().toEqualTypeOf<false>()
    const d = Q.text().notNull().default('x')
    expectTypeOf<Q.ColumnOptional<typeof d>>().toEqualTypeOf<true>()
  })
})

describe('table', () => {
  it('collects constraints from columns and options', () => {
    expect(users.primaryKey).toEqual(['id'])
    expect(users.uniques).toEqual([['email']])
    expect(posts.foreignKeys[0]).toMatchObject({ columns: ['author_id'], referencedColumns: ['id'], onDelete: 'cascade' })
    expect(posts.foreignKeys[0]?.references()).toBe(users)
  })

  it('supports composite primary keys and checks', () => {
    const t = Q.table('tags', { post_id: Q.integer().notNull(), tag: Q.text().notNull() }, (c) => ({
      primaryKey: ['post_id', 'tag'],
      checks: [{ name: 'tag_nonempty', expr: Q.gt(Q.length(c.tag), 0) }],
    }))
    expect(t.primaryKey).toEqual(['post_id', 'tag'])
    expect(t.checks[0]?.name).toBe('tag_nonempty')
  })

  it('rejects a primary key given twice', () => {
    expect(() => Q.table('x', { a: Q.integer().primaryKey() }, { primaryKey: ['a'] })).toThrow(/primary key/)
  })

  it('alias qualifies column refs by the alias', () => {
    const boss = Q.alias('boss')(employees)
    expect(boss.c.id).toMatchObject({ _tag: 'Column', source: 'boss', name: 'id' })
    expect(employees.c.id).toMatchObject({ source: 'employees' })
  })

  it('insert row types know required and optional columns', () => {
    type Ins = Q.InsertRowOf<typeof users>
    expectTypeOf<Ins>().toHaveProperty('name')
    expectTypeOf<{ name: string; email: string }>().toExtend<Ins>()
    expectTypeOf<{ name: string }>().not.toExtend<Ins>()
  })
})

describe('metadata', () => {
  it('orders tables by foreign keys, ignoring self references', () => {
    const md = Q.metadata([comments, posts, employees, users])
    const order = E.map((ts: readonly Q.AnyTable[]) => ts.map((t) => t.name))(Q.tablesInFkOrder(md))
    expect(order).toEqual(E.right(['users', 'posts', 'comments', 'employees']))
    expect(md.dependsOn.get('employees')).toEqual([])
  })

  it('orders a cycle by leaving its keys for ALTER TABLE; a cycle of useAlter: false keys is an error value', () => {
    const fk = (to: () => Q.AnyTable, useAlter?: boolean) => [{ columns: ['ref' as const], references: to, referencedColumns: ['id'], ...(useAlter === undefined ? {} : { useAlter }) }]
    const a: Q.AnyTable = Q.table('a', { id: Q.integer().primaryKey(), ref: Q.integer() }, { foreignKeys: fk(() => b) })
    const b: Q.AnyTable = Q.table('b', { id: Q.integer().primaryKey(), ref: Q.integer() }, { foreignKeys: fk(() => a) })
    expect(E.map((ts: readonly Q.AnyTable[]) => ts.map((t) => t.name))(Q.tablesInFkOrder(Q.metadata([b, a])))).toEqual(E.right(['b', 'a']))
    const x: Q.AnyTable = Q.table('x', { id: Q.integer().primaryKey(), ref: Q.integer() }, { foreignKeys: fk(() => y, false) })
    const y: Q.AnyTable = Q.table('y', { id: Q.integer().primaryKey(), ref: Q.integer() }, { foreignKeys: fk(() => x, false) })
    const r = Q.tablesInFkOrder(Q.metadata([x, y]))
    expect(r).toMatchObject(E.left({ _tag: 'FkCycle', tables: ['x', 'y', 'x'] }))
    expect(E.isLeft(r) && r.left.message).toMatch(/useAlter: false/)
  })

  it('reports a reference outside the collection', () => {
    const r = Q.tablesInFkOrder(Q.metadata([posts]))
    expect(r).toMatchObject(E.left({ _tag: 'UnknownTable', table: 'users', referencedBy: 'posts' }))
  })

  it('createAll and dropAll give DDL values in FK order', () => {
    const md = Q.metadata([posts, users])
    const tags = (r: E.Either<Q.MetaDataError, readonly Q.DdlNode[]>) =>
      E.map((ss: readonly Q.DdlNode[]) => ss.map((s) => `${s._tag}:${'index' in s ? s.index.name : s.table.name}`))(r)
    expect(tags(Q.createAll(md))).toEqual(E.right(['CreateTable:users', 'CreateTable:posts', 'CreateIndex:posts_author_idx']))
    expect(tags(Q.dropAll(md))).toEqual(E.right(['DropTable:posts', 'DropTable:users']))
  })
})

describe('exprType', () => {
  it('knows the logical type of derived columns', () => {
    const q = pipe(
      Q.from(posts),
      Q.groupBy((s) => [s.posts.author_id]),
      Q.select((s) => ({
        a: s.posts.author_id,
        n: Q.count(),
        avg: Q.avg(s.posts.score),
        top: Q.max(s.posts.title),
        big: Q.gt(Q.sum(s.posts.score), 10),
        len: Q.length(Q.lower(s.posts.title)),
        f: Q.fn<number>('whatever'),
      })),
    )
    expect(Q.outputColumns(q).map((c) => [c.name, c.type?.kind])).toEqual([
      ['a', 'integer'],
      ['n', 'integer'],
      ['avg', 'double'],
      ['top', 'text'],
      ['big', 'boolean'],
      ['len', 'integer'],
      ['f', undefined],
    ])
  })
})
