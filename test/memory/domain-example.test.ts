/**
 * How a user tests a domain layer without a database: the domain code
 * builds query values (the same ones it compiles for production), and the
 * test evaluates them in memory under the profile of the production
 * dialect. This file is the example laws/README.md points to.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import * as M from '../../src/interpret/memory/index.js'

// --- the domain layer (would live in the application) ---
const customers = Q.table('customers', { id: Q.integer().primaryKey(), name: Q.text().notNull(), country: Q.text() })
const orders = Q.table(
  'orders',
  { id: Q.integer().primaryKey().autoIncrement(), customer: Q.integer().notNull(), total: Q.numeric(10, 2).notNull() },
  { foreignKeys: [{ columns: ['customer'], references: () => customers, referencedColumns: ['id'], onDelete: 'cascade' }] },
)

/** Customers with their order count and spend, biggest spenders first (customers without orders too). */
const spendByCustomer = (minOrders: number) =>
  pipe(
    Q.from(customers),
    Q.leftJoin(orders, (s) => Q.eq(s.orders.customer, s.customers.id)),
    Q.groupBy((s) => [s.customers.id, s.customers.name]),
    Q.having(() => Q.gte(Q.count(), minOrders)),
    Q.select((s) => ({ name: s.customers.name, orders: Q.count(s.orders.id), spend: Q.coalesce(Q.sum(s.orders.total), '0') })),
    Q.orderBy((s) => [Q.desc(Q.coalesce(Q.sum(s.orders.total), '0')), s.customers.name]),
  )

// --- the test ---
const exec = M.execute(M.postgresProfile)
const seed = (statements: readonly Q.StatementNode[]): M.Database =>
  statements.reduce(
    (db, s) =>
      E.getOrElseW((e: M.EvalError) => {
        throw new Error(e.message)
      })(exec(s)(db)).db,
    M.databaseOf([customers, orders]),
  )

describe('a domain query tested in memory', () => {
  const db = seed([
    Q.insert(customers, [{ id: 1, name: 'ada', country: 'uk' }, { id: 2, name: 'bob', country: null }, { id: 3, name: 'cy', country: 'fr' }]),
    Q.insert(orders, [{ customer: 1, total: '10.50' }, { customer: 1, total: '4.50' }, { customer: 3, total: '20.00' }]),
  ])

  it('returns the rows PostgreSQL would return', () => {
    expect(M.evaluate(M.postgresProfile)(spendByCustomer(1))(db)).toEqual(
      E.right([
        { name: 'cy', orders: 1, spend: '20.00' },
        { name: 'ada', orders: 2, spend: '15.00' },
        { name: 'bob', orders: 0, spend: '0.00' },
      ]),
    )
  })

  it('rejects a change that breaks a constraint, leaving the data as it was', () => {
    const r = exec(Q.insert(orders, { customer: 9, total: '1.00' }))(db)
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConstraintViolation', kind: 'foreign-key' } })
    const after = exec(Q.deleteFrom(customers, (s) => Q.eq(s.customers.id, 1)))(db)
    expect(pipe(after, E.chain((x) => M.evaluate(M.postgresProfile)(Q.from(orders))(x.db)), E.map((rs) => rs.length))).toEqual(E.right(1))
  })
})
