/**
 * What is particular to the in-memory engine: hand-written SQL and
 * two-phase commit are typed `Unsupported` naming it; sessions are
 * serialised (one connection: a concurrent reader never sees half a
 * transaction, and a session that waits too long gets AcquireTimeout);
 * listeners get the SQL the profile's dialect prints, computed only when
 * someone listens; database failures carry the tags a real engine gives;
 * insertId follows the profile's engine family; DDL values run on it.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { commit, createMemoryEngine, execute, G, query, run, runPromise, sql, transaction, type Program } from '../../src/effects/index.js'
import { postgres, statementCacheSize } from '../../src/interpret/index.js'
import * as M from '../../src/interpret/memory/index.js'

const items = Q.table(
  'items',
  { id: Q.integer().primaryKey().autoIncrement(), name: Q.text().notNull(), qty: Q.integer().notNull().default(1) },
  (c) => ({ checks: [{ name: 'qty_positive', expr: Q.gt(c.qty, 0) }] }),
)
const notes = Q.table(
  'notes',
  { id: Q.integer().primaryKey().autoIncrement(), item_id: Q.integer().notNull(), body: Q.text() },
  { foreignKeys: [{ columns: ['item_id'], references: () => items, referencedColumns: ['id'], onDelete: 'cascade' }] },
)
const schema = Q.metadata([items, notes])

const insertItem = (name: string, qty = 1): Program<unknown> => execute(Q.insert(items, { name, qty }))
const names: Program<string[]> = pipe(
  query<{ name: string }>(pipe(Q.from(items), Q.orderBy((s) => [s.items.id]))),
  RTE.map((rows) => rows.map((r) => r.name)),
)
const sleep = (ms: number): Program<void> => () => () => new Promise((r) => setTimeout(() => r(E.right(undefined)), ms))
const tagOf = <A>(r: E.Either<{ readonly _tag: string }, A>): string => (E.isLeft(r) ? r.left._tag : 'Right')

describe('the in-memory engine', () => {
  it('refuses hand-written SQL and two-phase commit with Unsupported naming the engine', async () => {
    const e = createMemoryEngine({ tables: schema })
    const r = await run(e)(sql('SELECT 1'))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'Unsupported', sql: 'SELECT 1', feature: 'hand-written SQL on the in-memory engine' })
    const c = await e.pool.acquire()
    await expect(c.beginTwoPhase('x1')).rejects.toMatchObject({ _tag: 'Unsupported', feature: 'two-phase commit on the in-memory engine' })
    const stream = c.stream('SELECT 1')[Symbol.asyncIterator]()
    await expect(stream.next()).rejects.toMatchObject({ _tag: 'Unsupported' })
    await e.pool.release(c)
    await e.close()
  })

  it('creates tables from DDL values, and from a metadata value', async () => {
    const fromDdl = createMemoryEngine()
    const ddl = E.getOrElseW(() => [] as readonly Q.DdlNode[])(Q.createAll(schema))
    for (const s of ddl) await runPromise(fromDdl)(execute(s))
    await runPromise(fromDdl)(insertItem('a'))
    expect(await runPromise(fromDdl)(names)).toEqual(['a'])
    expect([...fromDdl.database().tables.keys()].sort()).toEqual(['items', 'notes'])
    expect([...createMemoryEngine({ tables: schema }).database().tables.keys()].sort()).toEqual(['items', 'notes'])
  })

  it('serialises sessions: a concurrent reader never sees half a transaction', async () => {
    const e = createMemoryEngine({ tables: schema })
    const writer = run(e)(transaction()(pipe(insertItem('a'), RTE.chain(() => sleep(20)), RTE.chain(() => insertItem('b')))))()
    const reader = run(e)(names)()
    const [w, seen] = await Promise.all([writer, reader])
    expect(E.isRight(w)).toBe(true)
    expect(seen).toEqual(E.right(['a', 'b']))
  })

  it('a session that waits longer than acquireTimeoutMs fails with AcquireTimeout', async () => {
    const e = createMemoryEngine({ tables: schema, acquireTimeoutMs: 30 })
    const holder = run(e)(sleep(200))()
    const waiter = await run(e)(names)()
    expect(tagOf(waiter)).toBe('AcquireTimeout')
    await holder
    await e.close()
  })

  it('announces statements with the SQL of the profile dialect, printed only when someone listens', async () => {
    const e = createMemoryEngine({ tables: schema, profile: M.postgresProfile })
    const odd = pipe(Q.from(items), Q.where((s) => Q.like(s.items.name, 'memory-only-shape-%')))
    const before = statementCacheSize(postgres)
    await runPromise(e)(query(odd))
    expect(statementCacheSize(postgres)).toBe(before)
    const events: string[] = []
    const offs = [
      e.on('beforeExecute', (x) => events.push(`before ${x.sql} ${JSON.stringify(x.params)}`)),
      e.on('afterExecute', (x) => events.push(`after ${x.error === undefined ? 'ok' : (x.error as { _tag: string })._tag}`)),
      e.on('begin', (x) => events.push(`begin ${x.depth}`)),
      e.on('rollback', (x) => events.push(`rollback ${x.depth}`)),
      e.on('beforeFlush', (x) => events.push(`flush ${x.statements}`)),
      e.on('afterFlush', (x) => events.push(`flushed ${x.error === undefined ? 'ok' : 'error'}`)),
    ]
    await run(e)(transaction()(insertItem('x', 0)))()
    await runPromise(e)(commit(pipe(G.empty, G.insert('i', items, { name: 'y' }))))
    offs.forEach((off) => off())
    expect(events).toEqual([
      'begin 1',
      'before INSERT INTO "items" ("name", "qty") VALUES ($1, $2) ["x",0]',
      'after CheckViolation',
      'rollback 1',
      'begin 1',
      'flush 1',
      'before INSERT INTO "items" ("name", "qty") VALUES ($1, $2) RETURNING "items"."id" ["y",1]',
      'after ok',
      'flushed ok',
    ])
  })

  it('reports constraint failures and unknown tables with the tags real engines use', async () => {
    const e = createMemoryEngine({ tables: schema })
    const tag = async (p: Program<unknown>): Promise<string> => tagOf(await run(e)(p)())
    expect(await tag(insertItem('x', 0))).toBe('CheckViolation')
    expect(await tag(execute(Q.insert(items, { name: null as never })))).toBe('NotNullViolation')
    expect(await tag(execute(Q.insert(notes, { item_id: 77 })))).toBe('ForeignKeyViolation')
    expect(await tag(execute(Q.insert(items, [{ id: 1, name: 'a' }, { id: 1, name: 'b' }])))).toBe('UniqueViolation')
    expect(await tag(query(Q.from(Q.table('nowhere', { id: Q.integer() }))))).toBe('SyntaxError')
    expect(await runPromise(e)(names)).toEqual([])
  })

  it('reports a value that does not fit as DataException, as the engines do, and other run-time failures as Unknown', async () => {
    const e = createMemoryEngine({ tables: schema })
    const tag = async (p: Program<unknown>): Promise<string> => tagOf(await run(e)(p)())
    const one = Q.selectValues({ x: Q.val(1, { kind: 'integer' }) })
    // PostgreSQL's profile: division by zero and 32-bit overflow are errors there.
    expect(await tag(query(Q.selectValues({ x: Q.div(Q.val(1, { kind: 'integer' }), Q.val(0, { kind: 'integer' })) })))).toBe('DataException')
    expect(await tag(query(Q.selectValues({ x: Q.add(Q.val(2147483647, { kind: 'integer' }), Q.val(1, { kind: 'integer' })) })))).toBe('DataException')
    expect(await tag(query(pipe(one, Q.limit(-1))))).toBe('DataException')
    expect(await tag(query(Q.selectValues({ x: Q.scalar(Q.unionAll(one)(one)) })))).toBe('Unknown')
  })

  it('a failed statement leaves the transaction failed until it is rolled back to a savepoint', async () => {
    const e = createMemoryEngine({ tables: schema })
    const program: Program<string[]> = (s) => async () => {
      await s.connection.begin()
      await s.connection.savepoint('sp')
      await insertItem('bad', 0)(s)()
      const refused = await insertItem('good')(s)()
      await s.connection.rollbackToSavepoint('sp')
      await insertItem('good')(s)()
      await s.connection.commit()
      return E.right([tagOf(refused), s.connection.state])
    }
    expect(await runPromise(e)(program)).toEqual(['InvalidState', 'idle'])
    expect(await runPromise(e)(names)).toEqual(['good'])
  })

  it('read-only transactions refuse writes with the error PostgreSQL gives (25006), and roll back', async () => {
    const e = createMemoryEngine({ tables: schema })
    const r = await run(e)(transaction({ readOnly: true, isolation: 'read committed' })(pipe(names, RTE.chain(() => insertItem('a')))))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'Unknown', code: '25006' })
    expect(await runPromise(e)(names)).toEqual([])
  })

  it('reports insertId as the profile engine does: first id (MariaDB), last id (SQLite), none (PostgreSQL)', async () => {
    const ids = async (profile: M.Profile): Promise<unknown> => {
      const e = createMemoryEngine({ tables: schema, profile })
      return (await runPromise(e)(execute(Q.insert(items, [{ name: 'a' }, { name: 'b' }, { name: 'c' }])))).insertId
    }
    expect([await ids(M.mariadbProfile), await ids(M.sqliteProfile), await ids(M.postgresProfile)]).toEqual([1, 3, undefined])
  })

  it('the committed database is an immutable value: a rollback leaves an earlier snapshot equal', async () => {
    const e = createMemoryEngine({ tables: schema })
    await runPromise(e)(insertItem('kept'))
    const snapshot = e.database()
    await run(e)(transaction()(pipe(insertItem('gone'), RTE.chain(() => insertItem('bad', 0)))))()
    expect(e.database()).toBe(snapshot)
    const next = createMemoryEngine({ database: snapshot })
    expect(await runPromise(next)(names)).toEqual(['kept'])
  })
})
