/**
 * Foreign-key cycles in a metadata (pure): which keys wait for ALTER TABLE,
 * the order tables are created in, and the DDL values createAll / dropAll
 * give. A property checks random schemas: every key created inline points
 * to a table created earlier (or to its own table), and every key left for
 * ALTER TABLE lies on a cycle or was marked useAlter.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'

const users: Q.AnyTable = Q.table(
  'users',
  { id: Q.integer().primaryKey(), manager_id: Q.integer(), best_post_id: Q.integer() },
  {
    foreignKeys: [
      { columns: ['manager_id'], references: () => users, referencedColumns: ['id'] },
      { columns: ['best_post_id'], references: () => posts, referencedColumns: ['id'] },
    ],
  },
)
const posts: Q.AnyTable = Q.table(
  'posts',
  { id: Q.integer().primaryKey(), author_id: Q.integer().notNull() },
  { foreignKeys: [{ columns: ['author_id'], references: () => users, referencedColumns: ['id'] }], indexes: [{ name: 'posts_author_idx', columns: ['author_id'] }] },
)
const comments = Q.table(
  'comments',
  { id: Q.integer().primaryKey(), post_id: Q.integer().notNull() },
  { foreignKeys: [{ columns: ['post_id'], references: () => posts, referencedColumns: ['id'] }] },
)

const ok = <T>(e: E.Either<Q.MetaDataError, T>): T => {
  if (E.isLeft(e)) throw new Error(e.left.message)
  return e.right
}
const names = (p: Q.FkPlan) => ({ tables: p.tables.map((t) => t.name), later: p.later.map((l) => Q.foreignKeyName(l.table, l.foreignKey)) })
const shown = (ss: readonly Q.DdlNode[]): string[] =>
  ss.map((s) => {
    switch (s._tag) {
      case 'CreateTable':
        return `create ${s.table.name}${s.omitForeignKeys === undefined ? '' : ` without ${s.omitForeignKeys.map((f) => f.columns.join()).join(' ')}`}`
      case 'DropTable':
        return `drop ${s.table.name}`
      case 'CreateIndex':
        return `create index ${s.index.name}`
      case 'DropIndex':
        return `drop index ${s.index.name}`
      case 'AlterTable':
        return `${s.action._tag === 'AddForeignKey' ? 'add' : 'drop'} ${s.action.name}`
    }
  })

describe('foreign-key cycles', () => {
  it('the keys between the tables of a cycle wait for ALTER TABLE; a self-reference and the keys into the cycle do not', () => {
    expect(names(ok(Q.fkPlan(Q.metadata([comments, posts, users]))))).toEqual({
      tables: ['posts', 'comments', 'users'],
      later: ['posts_author_id_fkey', 'users_best_post_id_fkey'],
    })
  })

  it('createAll adds the waiting keys after every table; dropAll drops them before any table', () => {
    const md = Q.metadata([users, posts, comments])
    expect(shown(ok(Q.createAll(md)))).toEqual([
      'create users without best_post_id',
      'create posts without author_id',
      'create index posts_author_idx',
      'create comments',
      'add users_best_post_id_fkey',
      'add posts_author_id_fkey',
    ])
    expect(shown(ok(Q.dropAll(md)))).toEqual(['drop users_best_post_id_fkey', 'drop posts_author_id_fkey', 'drop comments', 'drop posts', 'drop users'])
  })

  it("foreignKeys: 'inline' (SQLite) writes every key in its CREATE TABLE and alters nothing", () => {
    const md = Q.metadata([users, posts, comments])
    expect(shown(ok(Q.createAll(md, { foreignKeys: 'inline' })))).toEqual(['create users', 'create posts', 'create index posts_author_idx', 'create comments'])
    expect(shown(ok(Q.dropAll(md, { foreignKeys: 'inline' })))).toEqual(['drop comments', 'drop posts', 'drop users'])
  })

  it('useAlter: true defers a key outside any cycle; useAlter: false keeps a key of a cycle inline and orders by it', () => {
    const a: Q.AnyTable = Q.table('a', { id: Q.integer().primaryKey(), b_id: Q.integer() }, { foreignKeys: [{ columns: ['b_id'], references: () => b, referencedColumns: ['id'], useAlter: true }] })
    const b = Q.table('b', { id: Q.integer().primaryKey() })
    expect(names(ok(Q.fkPlan(Q.metadata([a, b]))))).toEqual({ tables: ['a', 'b'], later: ['a_b_id_fkey'] })
    const u: Q.AnyTable = Q.table('u', { id: Q.integer().primaryKey(), p_id: Q.integer() }, { foreignKeys: [{ name: 'u_best', columns: ['p_id'], references: () => p, referencedColumns: ['id'] }] })
    const p: Q.AnyTable = Q.table('p', { id: Q.integer().primaryKey(), u_id: Q.integer() }, { foreignKeys: [{ columns: ['u_id'], references: () => u, referencedColumns: ['id'], useAlter: false }] })
    expect(names(ok(Q.fkPlan(Q.metadata([p, u]))))).toEqual({ tables: ['u', 'p'], later: ['u_best'] })
  })

  it('a three-table cycle defers its three keys; a table hanging off it does not', () => {
    const ref = (to: () => Q.AnyTable) => ({ foreignKeys: [{ columns: ['r' as const], references: to, referencedColumns: ['id'] }] })
    const a: Q.AnyTable = Q.table('a', { id: Q.integer().primaryKey(), r: Q.integer() }, ref(() => b))
    const b: Q.AnyTable = Q.table('b', { id: Q.integer().primaryKey(), r: Q.integer() }, ref(() => c))
    const c: Q.AnyTable = Q.table('c', { id: Q.integer().primaryKey(), r: Q.integer() }, ref(() => a))
    const d: Q.AnyTable = Q.table('d', { id: Q.integer().primaryKey(), r: Q.integer() }, ref(() => b))
    expect(names(ok(Q.fkPlan(Q.metadata([d, a, b, c]))))).toEqual({ tables: ['b', 'd', 'a', 'c'], later: ['b_r_fkey', 'a_r_fkey', 'c_r_fkey'] })
  })

  it('addForeignKey / dropForeignKey find a key by name, columns or value; an unknown key is a TypeError', () => {
    const byCols = Q.addForeignKey(users, ['best_post_id'])
    expect(Q.addForeignKey(users, 'users_best_post_id_fkey')).toEqual(byCols)
    expect(Q.addForeignKey(users, users.foreignKeys[1] as Q.ForeignKey)).toEqual(byCols)
    expect(byCols).toMatchObject({ _tag: 'AlterTable', action: { _tag: 'AddForeignKey', name: 'users_best_post_id_fkey' } })
    expect(Q.dropForeignKey(users, ['manager_id'], { ifExists: true })).toMatchObject({ action: { _tag: 'DropForeignKey', name: 'users_manager_id_fkey', ifExists: true } })
    expect(() => Q.addForeignKey(users, ['nope'])).toThrow(/users has no foreign key \(nope\)/)
    expect(() => Q.createTable(users, { omitForeignKeys: ['posts_author_id_fkey'] })).toThrow(TypeError)
    expect(Object.isFrozen(byCols)).toBe(true)
  })
})

/** A random schema: `n` tables, each with some keys to random tables (itself included), some marked useAlter. */
const schema = fc.integer({ min: 1, max: 7 }).chain((n) =>
  fc.array(fc.array(fc.record({ to: fc.nat({ max: n - 1 }), alter: fc.constantFrom<boolean | undefined>(undefined, undefined, undefined, true) }), { maxLength: 3 }), {
    minLength: n,
    maxLength: n,
  }),
)

const build = (spec: readonly (readonly { to: number; alter: boolean | undefined }[])[]): Q.AnyTable[] => {
  const tables: Q.AnyTable[] = []
  spec.forEach((keys, i) => {
    const columns: Record<string, Q.AnyColumnDef> = { id: Q.integer().primaryKey() }
    keys.forEach((_, k) => (columns[`r${k}`] = Q.integer()))
    tables.push(
      Q.table(`t${i}`, columns, {
        foreignKeys: keys.map((f, k) => ({ columns: [`r${k}`], references: () => tables[f.to] as Q.AnyTable, referencedColumns: ['id'], ...(f.alter === undefined ? {} : { useAlter: f.alter }) })),
      }),
    )
  })
  return tables
}

/** Whether `from` reaches `to` through foreign keys (a key from `to` back to `from` then closes a cycle). */
const reaches = (from: Q.AnyTable, to: Q.AnyTable): boolean => {
  const seen = new Set<string>()
  const go = (t: Q.AnyTable): boolean => t === to || (!seen.has(t.name) && (seen.add(t.name), t.foreignKeys.some((f) => go(f.references()))))
  return go(from)
}

describe('every schema gets a creation order (property)', () => {
  it('inline keys point backwards; waiting keys are marked or on a cycle; the plan is deterministic', () => {
    fc.assert(
      fc.property(schema, (spec) => {
        const md = Q.metadata(build(spec))
        const plan = ok(Q.fkPlan(md))
        expect(ok(Q.fkPlan(Q.metadata([...md.tables.values()])))).toEqual(plan)
        expect(plan.tables).toHaveLength(md.tables.size)
        const position = new Map(plan.tables.map((t, i) => [t.name, i]))
        const later = new Set(plan.later.map((l) => l.foreignKey))
        for (const t of plan.tables)
          for (const f of t.foreignKeys) {
            if (later.has(f)) expect(f.useAlter === true || (f.references() !== t && reaches(f.references(), t))).toBe(true)
            else expect(position.get(f.references().name)).toBeLessThanOrEqual(position.get(t.name) as number)
          }
      }),
      { numRuns: 300 },
    )
  })
})
