/**
 * How a user tests a domain layer's service functions with no database:
 * the services are ordinary programs (queries, a change-graph commit, a
 * transaction) written once for production; the test runs them on
 * `createMemoryEngine` under the production dialect's profile. Errors
 * arrive with the tags a real engine gives, so the service's own error
 * handling (matching `_tag`) is exercised too.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { commit, createMemoryEngine, G, query, retry, run, runPromise, transaction, type Program } from '../../src/effects/index.js'
import * as M from '../../src/interpret/memory/index.js'

// --- the domain layer (would live in the application) ---
const customers = Q.table('customers', { id: Q.integer().primaryKey().autoIncrement(), email: Q.text().notNull().unique(), name: Q.text().notNull() })
const orders = Q.table(
  'orders',
  { id: Q.integer().primaryKey().autoIncrement(), customer_id: Q.integer().notNull(), status: Q.text().notNull().default('open') },
  { foreignKeys: [{ columns: ['customer_id'], references: () => customers, referencedColumns: ['id'] }] },
)
const lines = Q.table(
  'order_lines',
  { id: Q.integer().primaryKey().autoIncrement(), order_id: Q.integer().notNull(), sku: Q.text().notNull(), qty: Q.integer().notNull(), price: Q.numeric(10, 2).notNull() },
  (c) => ({
    foreignKeys: [{ columns: ['order_id'], references: () => orders, referencedColumns: ['id'], onDelete: 'cascade' }],
    checks: [{ name: 'qty_positive', expr: Q.gt(c.qty, 0) }],
  }),
)
const schema = [customers, orders, lines]

type Signup = { readonly _tag: 'EmailTaken'; readonly email: string }
type Ordering = { readonly _tag: 'NoSuchCustomer'; readonly id: number } | { readonly _tag: 'BadLine'; readonly sku: string }

/** Sign a customer up; a taken email is a domain error, found by the database's unique constraint. */
const signUp = (email: string, name: string): Program<E.Either<Signup, number>> =>
  pipe(
    commit(pipe(G.empty, G.insert('c', customers, { email, name }))),
    RTE.map((p): E.Either<Signup, number> => E.right(p.rows.get('c')!['id'] as number)),
    RTE.orElse((e) =>
      e._tag === 'FlushFailed' && e.cause._tag === 'UniqueViolation' ? RTE.right(E.left<Signup>({ _tag: 'EmailTaken', email })) : RTE.left(e),
    ),
  )

/** Place an order with its lines in one transaction: the customer must exist, every line must pass the checks. */
const placeOrder = (customerId: number, items: readonly { readonly sku: string; readonly qty: number; readonly price: string }[]): Program<E.Either<Ordering, number>> =>
  transaction()(
    pipe(
      query(pipe(Q.from(customers), Q.where((s) => Q.eq(s.customers.id, customerId)))),
      RTE.chain((found): Program<E.Either<Ordering, number>> => {
        if (found.length === 0) return RTE.right(E.left({ _tag: 'NoSuchCustomer', id: customerId }))
        const graph = G.fromNodes([
          G.insertRow('order', orders, { customer_id: customerId }),
          ...items.map((it, i) => G.insertRow(`line${i}`, lines, { order_id: G.ref('order'), ...it })),
        ])
        return pipe(
          commit(graph),
          RTE.map((p): E.Either<Ordering, number> => E.right(p.rows.get('order')!['id'] as number)),
          RTE.orElse((e): Program<E.Either<Ordering, number>> => {
            const bad = e._tag === 'FlushFailed' && e.cause._tag === 'CheckViolation' ? items.find((it) => it.qty <= 0) : undefined
            return bad === undefined ? RTE.left(e) : RTE.right(E.left<Ordering>({ _tag: 'BadLine', sku: bad.sku }))
          }),
        )
      }),
    ),
  )

/** What each customer spent (each line's price is its total), biggest first. */
const spend = pipe(
  Q.from(customers),
  Q.leftJoin(orders, (s) => Q.eq(s.orders.customer_id, s.customers.id)),
  Q.leftJoin(lines, (s) => Q.eq(s.order_lines.order_id, s.orders.id)),
  Q.groupBy((s) => [s.customers.id, s.customers.name]),
  Q.select((s) => ({ name: s.customers.name, total: Q.coalesce(Q.sum(s.order_lines.price), '0') })),
  Q.orderBy((s) => [Q.desc(Q.coalesce(Q.sum(s.order_lines.price), '0')), s.customers.name]),
)

// --- the tests: no database anywhere ---
describe('a domain layer tested on the in-memory engine', () => {
  const engine = () => createMemoryEngine({ tables: schema, profile: M.postgresProfile })

  it('signs up, orders and reports spend as PostgreSQL would', async () => {
    const e = engine()
    const ada = await runPromise(e)(signUp('ada@x', 'ada'))
    const bob = await runPromise(e)(signUp('bob@x', 'bob'))
    expect([ada, bob]).toEqual([E.right(1), E.right(2)])
    expect(await runPromise(e)(placeOrder(1, [{ sku: 'tea', qty: 2, price: '3.50' }, { sku: 'cup', qty: 1, price: '9.99' }]))).toEqual(E.right(1))
    expect(await runPromise(e)(placeOrder(2, [{ sku: 'tea', qty: 1, price: '3.50' }]))).toEqual(E.right(2))
    expect(await runPromise(e)(query(spend))).toEqual([
      { name: 'ada', total: '13.49' },
      { name: 'bob', total: '3.50' },
    ])
  })

  it('turns the database errors the service expects into domain errors, leaving no trace', async () => {
    const e = engine()
    await runPromise(e)(signUp('ada@x', 'ada'))
    expect(await runPromise(e)(signUp('ada@x', 'another ada'))).toEqual(E.left({ _tag: 'EmailTaken', email: 'ada@x' }))
    expect(await runPromise(e)(placeOrder(9, [{ sku: 'tea', qty: 1, price: '1.00' }]))).toEqual(E.left({ _tag: 'NoSuchCustomer', id: 9 }))
    expect(await runPromise(e)(placeOrder(1, [{ sku: 'tea', qty: 1, price: '1.00' }, { sku: 'air', qty: 0, price: '0.00' }]))).toEqual(
      E.left({ _tag: 'BadLine', sku: 'air' }),
    )
    // The failed order rolled back as a whole: no order row, no line.
    expect(await runPromise(e)(query(Q.from(orders)))).toEqual([])
    expect(await runPromise(e)(query(spend))).toEqual([{ name: 'ada', total: '0.00' }])
  })

  it('an unexpected database error still fails the program with its typed error (and retry leaves it alone)', async () => {
    const e = engine()
    const orphan = commit(pipe(G.empty, G.insert('o', orders, { customer_id: 42 })))
    const r = await retry({ retries: 2, backoffMs: 1 })(run(e)(orphan))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'FlushFailed', retryable: false, cause: { _tag: 'ForeignKeyViolation' } })
  })
})
