/**
 * Load plans as pure values: the statements they hold, key lists chunked
 * below each dialect's bind limit, and assembly run against canned rows
 * with `runWith` (no database): composite keys, many-to-many, errors.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { mariadb, postgres, sqlite, type Compiled } from '../../src/interpret/index.js'
import * as M from '../../src/mapping/index.js'

const Orders = Q.table('orders', { region: Q.text().notNull(), num: Q.integer().notNull(), note: Q.text() }, { primaryKey: ['region', 'num'] })
const Lines = Q.table('lines', { region: Q.text().notNull(), num: Q.integer().notNull(), line: Q.integer().notNull(), qty: Q.integer().notNull() }, { primaryKey: ['region', 'num', 'line'] })
const OrderE = M.entity(Orders)
const LineE = M.entity(Lines)
const orderLines = M.oneToMany(OrderE, LineE, { remote: ['region', 'num'] })
const lineOrder = M.manyToOne(LineE, OrderE, { local: ['region', 'num'] })

const Tags = Q.table('tags', { id: Q.integer().primaryKey(), name: Q.text().notNull() })
const OrderTags = Q.table('order_tags', { region: Q.text().notNull(), num: Q.integer().notNull(), tag: Q.integer().notNull() })
const TagE = M.entity(Tags)
const orderTags = M.manyToMany(OrderE, TagE, { through: OrderTags, local: ['region', 'num'], remote: ['tag'] })

const first = <A>(p: M.LoadPlan<A>): readonly Compiled[] => (p._tag === 'Fetch' ? p.statements : [])

describe('load plans', () => {
  it('is a value: the roots statement first, later levels only once rows are given', () => {
    const plan = M.load(postgres)(OrderE, { lines: orderLines })
    expect(plan._tag).toBe('Fetch')
    expect(first(plan).map((s) => s.sql)).toEqual(['SELECT "orders"."region", "orders"."num", "orders"."note" FROM "orders" ORDER BY "orders"."region" ASC, "orders"."num" ASC'])
    const next = plan._tag === 'Fetch' ? plan.next([[{ region: 'eu', num: 1, note: null }, { region: 'us', num: 1, note: 'x' }]]) : plan
    expect(first(next).map((s) => [s.sql, s.params])).toEqual([
      [
        'SELECT "c"."region", "c"."num", "c"."line", "c"."qty" FROM "lines" AS "c" WHERE "c"."region" = $1 AND "c"."num" = $2 OR "c"."region" = $3 AND "c"."num" = $4 ORDER BY "c"."region" ASC, "c"."num" ASC, "c"."line" ASC',
        ['eu', 1, 'us', 1],
      ],
    ])
  })

  it('assembles composite keys both ways with one object per key', () => {
    const orders = [{ region: 'eu', num: 1, note: null }, { region: 'us', num: 1, note: 'x' }]
    const lines = [{ region: 'eu', num: 1, line: 1, qty: 2 }, { region: 'eu', num: 1, line: 2, qty: 1 }, { region: 'us', num: 1, line: 1, qty: 5 }]
    const r = M.runWith(M.load(sqlite)(OrderE, { lines: M.nest(orderLines, { order: lineOrder }) }), (_, step) =>
      step.startsWith('orders (roots)') ? [orders] : step.startsWith('orders.lines') ? [lines] : [orders],
    )
    const got = E.getOrElseW(() => [] as never[])(r)
    expect(got.map((o) => [o.region, o.lines.map((l) => l.qty)])).toEqual([
      ['eu', [2, 1]],
      ['us', [5]],
    ])
    expect(got[0]?.lines[1]?.order).toBe(got[0])
  })

  it('chunks a long key list below the bind limit of each dialect', () => {
    const many = Array.from({ length: 70_000 }, (_, i) => ({ id: i + 1, name: `t${i}` }))
    const Things = Q.table('things', { id: Q.integer().primaryKey(), name: Q.text().notNull() })
    const Parts = Q.table('parts', { id: Q.integer().primaryKey(), thing: Q.integer().notNull() })
    const ThingE = M.entity(Things)
    const parts = M.oneToMany(ThingE, M.entity(Parts), { remote: ['thing'] })
    const sizes = [postgres, mariadb, sqlite].map((d) => {
      const p = M.load(d)(ThingE, { parts })
      const next = p._tag === 'Fetch' ? p.next([many]) : p
      return first(next).map((s) => s.params.length)
    })
    expect(sizes).toEqual([
      [65535, 4465],
      [65535, 4465],
      [32766, 32766, 4468],
    ])
  })

  it('loads many-to-many through the association table with link columns matched per parent', () => {
    const plan = M.load(mariadb)(OrderE, { tags: orderTags })
    const orders = [{ region: 'eu', num: 1, note: null }, { region: 'eu', num: 2, note: null }]
    const r = M.runWith(plan, (stmts, step) => {
      if (step.includes('roots')) return [orders]
      expect(stmts[0]?.sql).toBe(
        'SELECT `c`.`id`, `c`.`name`, `l`.`region` AS `__ql0`, `l`.`num` AS `__ql1` FROM `tags` AS `c` INNER JOIN `order_tags` AS `l` ON `l`.`tag` = `c`.`id` WHERE `l`.`region` = ? AND `l`.`num` = ? OR `l`.`region` = ? AND `l`.`num` = ? ORDER BY `c`.`id` ASC',
      )
      return [[{ id: 7, name: 'red', __ql0: 'eu', __ql1: 1 }, { id: 7, name: 'red', __ql0: 'eu', __ql1: 2 }, { id: 8, name: 'big', __ql0: 'eu', __ql1: 2 }]]
    })
    const got = E.getOrElseW(() => [] as never[])(r)
    expect(got.map((o) => o.tags.map((t) => t.name))).toEqual([['red'], ['red', 'big']])
    expect(got[0]?.tags[0]).toBe(got[1]?.tags[0])
  })

  it('assembles a joined load with absent children, shared parents and no duplicate children', () => {
    const plan = M.load(sqlite)(OrderE, { lines: orderLines, tags: orderTags }, { strategy: 'joined' })
    const row = (num: number, line: number | null, tag: number | null) => ({
      n0_0: 'eu', n0_1: num, n0_2: null,
      n1_0: line === null ? null : 'eu', n1_1: line === null ? null : num, n1_2: line, n1_3: line === null ? null : 1,
      n2_0: tag, n2_1: tag === null ? null : `t${tag}`,
    })
    const r = M.runWith(plan, () => [[row(1, 1, 7), row(1, 1, 8), row(1, 2, 7), row(1, 2, 8), row(2, null, null)]])
    const got = E.getOrElseW(() => [] as never[])(r)
    expect(got.map((o) => [o.num, o.lines.map((l) => l.line), o.tags.map((t) => t.id)])).toEqual([
      [1, [1, 2], [7, 8]],
      [2, [], []],
    ])
  })

  it('fails with typed errors: a statement the dialect cannot compile, results that do not match', () => {
    const firstPerRegion = pipe(Q.from(Orders), Q.distinctOn((s) => [s.orders.region]), Q.select((s) => ({ region: s.orders.region, num: s.orders.num })))
    const V = M.view('FirstOrder', firstPerRegion, { region: Q.text().notNull(), num: Q.integer().notNull() }, { key: ['region'] })
    const bad = M.load(sqlite)(V)
    expect(bad._tag === 'Done' && bad.result).toMatchObject(E.left({ _tag: 'PlanCompileError', step: 'FirstOrder (roots)', cause: { _tag: 'Unsupported', dialect: 'sqlite' } }))
    const plan = M.load(postgres)(OrderE)
    expect(M.runWith(plan, () => [])).toMatchObject(E.left({ _tag: 'ResultMismatch', expected: 1, received: 0 }))
    const msg = M.foldMappingError({ DecodeError: (e) => e.path, PlanCompileError: (e) => e.step, ResultMismatch: (e) => e.message })
    expect(E.isLeft(M.runWith(plan, () => [])) && msg((M.runWith(plan, () => []) as E.Left<M.MappingError>).left)).toBe('orders (roots): expected 1 result sets, received 0')
  })
})
