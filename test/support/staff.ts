/**
 * A tiny schema with NULLs in the right places for the construct suites:
 * departments (one without staff) and staff with a manager hierarchy, a
 * nullable department, bonus, hire date and note. Small enough that every
 * expected row in a test can be checked by eye.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Q from '../../src/algebra/index.js'
import type { DdlNode, MetaDataError } from '../../src/algebra/index.js'
import * as M from '../../src/interpret/memory/index.js'
import { normalise, type Norm } from './normalise.js'
import { afterAll, beforeAll, expect } from 'vitest'
import type { EngineName, OpenDb, TestEngine } from './quarry-engines.js'

/** Departments. */
export const dept = Q.table('dept', { id: Q.integer().primaryKey(), name: Q.varchar(20).notNull().unique() })

/** Staff; `manager_id` references staff itself. */
export const staff = Q.table(
  'staff',
  {
    id: Q.integer().primaryKey(),
    name: Q.varchar(40).notNull(),
    dept_id: Q.integer(),
    manager_id: Q.integer(),
    salary: Q.integer().notNull(),
    bonus: Q.integer(),
    hired: Q.timestamp(),
    note: Q.text(),
  },
  {
    foreignKeys: [
      { columns: ['dept_id'], references: () => dept, referencedColumns: ['id'] },
      { columns: ['manager_id'], references: (): Q.AnyTable => staff, referencedColumns: ['id'] },
    ],
    indexes: [{ name: 'staff_dept_idx', columns: ['dept_id'] }],
  },
)

/** The schema. */
export const staffSchema = Q.metadata([staff, dept])

const at = (iso: string): Date => new Date(`${iso}T00:00:00Z`)

/** The rows, in id order. */
export const staffRows = [
  { id: 1, name: 'ada', dept_id: 1, manager_id: null, salary: 300, bonus: 50, hired: at('2020-01-15'), note: 'founder' },
  { id: 2, name: 'bob', dept_id: 1, manager_id: 1, salary: 200, bonus: null, hired: at('2021-03-01'), note: null },
  { id: 3, name: 'cy', dept_id: 2, manager_id: 1, salary: 150, bonus: 10, hired: at('2021-07-20'), note: '50% off_sale' },
  { id: 4, name: 'di', dept_id: 2, manager_id: 3, salary: 150, bonus: null, hired: null, note: 'x' },
  { id: 5, name: 'eve', dept_id: null, manager_id: 2, salary: 100, bonus: 5, hired: at('2022-12-31'), note: null },
] as const

/** Department rows. */
export const deptRows = [
  { id: 1, name: 'eng' },
  { id: 2, name: 'ops' },
  { id: 3, name: 'empty' },
] as const

/** Create the two tables (FK order from the metadata) and insert the rows with quarry. */
export const loadStaff = async (db: OpenDb): Promise<void> => {
  const ddl = E.getOrElse((e: MetaDataError): readonly DdlNode[] => {
    throw new Error(e.message)
  })(Q.createAll(staffSchema))
  for (const s of ddl) await db.run(s)
  await db.run(Q.insert(dept, deptRows))
  await db.run(Q.insert(staff, staffRows))
}

/**
 * Run `f` inside a transaction that is always rolled back, so data-changing
 * tests leave the shared rows as they were.
 */
export const rolledBack = async <T>(db: OpenDb, f: () => Promise<T>): Promise<T> => {
  await db.conn.begin()
  try {
    return await f()
  } finally {
    await db.conn.rollback()
  }
}

/** The evaluator profile that follows each engine where engines differ. */
export const profileOf: Readonly<Record<EngineName, M.Profile>> = { postgresql: M.postgresProfile, mariadb: M.mariadbProfile, sqlite: M.sqliteProfile }

const orThrow = <A>(r: E.Either<{ readonly message: string }, A>): A =>
  E.getOrElseW((e: { readonly message: string }) => {
    throw new Error(e.message)
  })(r)

/** The staff tables and rows in an in-memory database, created and filled by the same statements as `loadStaff`. */
const staffInMemory = (engine: EngineName): M.Database =>
  [...orThrow(Q.createAll(staffSchema)), Q.insert(dept, deptRows), Q.insert(staff, staffRows)].reduce(
    (db, st) => orThrow(M.execute(profileOf[engine])(st)(db)).db,
    M.emptyDatabase,
  )

/**
 * A query's rows from a real engine and from the evaluator under that
 * engine's profile, both normalised, for suites that check the two agree.
 */
const engineAndMemory =
  (db: OpenDb, engine: EngineName, memory: M.Database) =>
  async (q: Q.QueryNode, norms: Readonly<Record<string, Norm>> = {}): Promise<{ readonly engine: Record<string, unknown>[]; readonly memory: Record<string, unknown>[] }> => ({
    engine: normalise(await db.rows(q), norms),
    memory: normalise(orThrow(M.evaluate(profileOf[engine])(q)(memory)), norms),
  })

/**
 * For a `describe` per engine: the staff tables loaded on `engine` before
 * the suite (its connection closed after) and in the evaluator. `db()` is
 * the engine's database; `both` gives a query's rows from each, normalised;
 * `agreed` asserts they are equal (same rows, same order) and gives the
 * engine's.
 */
export const staffSuite = (engine: TestEngine) => {
  let open: OpenDb | undefined
  const memory = staffInMemory(engine.name)
  beforeAll(async () => {
    open = await engine.open()
    await loadStaff(open)
  })
  afterAll(async () => {
    await open?.close()
  })
  const db = (): OpenDb => {
    if (open === undefined) throw new Error('the staff database opens in beforeAll')
    return open
  }
  const both = (q: Q.QueryNode, norms: Readonly<Record<string, Norm>> = {}) => engineAndMemory(db(), engine.name, memory)(q, norms)
  const agreed = async (q: Q.QueryNode, norms: Readonly<Record<string, Norm>> = {}): Promise<Record<string, unknown>[]> => {
    const rows = await both(q, norms)
    expect(rows.memory).toEqual(rows.engine)
    return rows.engine
  }
  return { db, both, agreed }
}
