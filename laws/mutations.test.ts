/**
 * The mutation law: a random INSERT … SELECT (a generated query over the
 * tables), UPDATE (a column set to a generated expression of the row) or
 * DELETE, with a generated WHERE (three-valued
 * logic, subqueries over the other tables, arithmetic that overflows),
 * compiled for each dialect and run on its real engine, leaves the same
 * tables — compared as bags — and reports the same number of rows as the
 * in-memory evaluator under that dialect's profile. A run-time error
 * (overflow, division by zero, a value too long) must happen on both
 * sides; a statement the dialect cannot express is counted, not compared.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../src/algebra/index.js'
import type { Dialect } from '../src/interpret/index.js'
import * as M from '../src/interpret/memory/index.js'
import { engines } from '../test/support/quarry-engines.js'
import { schemaArb, type TableSpec } from './gen-data.js'
import { genInt, genPred, genRows, genText, tableScope } from './gen-query.js'
import { knownChangeError, knownConstraintError, knownGap, knownWrongChange } from './known-gaps.js'
import { isDataException, LAW_TIMEOUT, lawEngine, memoryDb, normRows, params, profileOf, runOnEngine, RUNS, tally } from './support.js'

const LAW = 'mutations'

type Gen = fc.GeneratorValue

/** A random INSERT … SELECT, UPDATE or DELETE of one of the tables, and the table it changes. */
const genChange = (g: Gen, tables: readonly TableSpec[]): { readonly statement: Q.MutationNode; readonly target: TableSpec } => {
  const target = tables[g(fc.integer, { min: 0, max: tables.length - 1 })]!
  // INSERT … SELECT of a generated query (over any of the tables, the target among them) into every column.
  if (g(fc.integer, { min: 0, max: 3 }) === 0) {
    const rows = genRows(g, tables, target.cols.map((c) => c.kind))
    return { statement: Q.insertFrom(target.table, target.cols.map((c) => c.name) as never, rows.query), target }
  }
  const { scope } = tableScope(tables, target, target.table.name)
  const rowScope = { ...scope, depth: 1 }
  const where = g(fc.integer, { min: 0, max: 9 }) < 8 ? genPred(g, rowScope, g(fc.integer, { min: 0, max: 3 })) : undefined
  if (g(fc.boolean)) return { statement: Q.deleteFrom(target.table, where === undefined ? undefined : () => where), target }
  const col = target.cols[g(fc.integer, { min: 0, max: target.cols.length - 1 })]!
  const depth = g(fc.integer, { min: 0, max: 3 })
  const value = col.kind === 'int' ? genInt(g, rowScope, depth) : genText(g, rowScope, depth)
  const set = g(fc.integer, { min: 0, max: 9 }) < 2 && col.nullable ? Q.val(null, { kind: col.kind === 'int' ? 'integer' : 'text' }) : value
  return { statement: Q.update(target.table, { set: () => ({ [col.name]: set }) as never, ...(where === undefined ? {} : { where: () => where }) }), target }
}

/**
 * A random change, with RETURNING of every column of the changed rows half
 * the time where the dialect has it for that statement (MariaDB: INSERT and
 * DELETE).
 */
const genMutation = (g: Gen, tables: readonly TableSpec[], d: Dialect): { readonly statement: Q.MutationNode; readonly target: TableSpec } => {
  const { statement, target } = genChange(g, tables)
  const kind = statement._tag === 'Insert' ? 'insert' : statement._tag === 'Update' ? 'update' : 'delete'
  if (!d.capabilities.returning[kind] || !g(fc.boolean)) return { statement, target }
  const fields = target.cols.map((c) => Object.freeze({ name: c.name, expr: target.table.c[c.name] as Q.ExprNode }))
  return { statement: Object.freeze({ ...statement, returning: Object.freeze(fields) }), target }
}

/** The driver's error tag for each kind of constraint the evaluator reports. */
const CONSTRAINT_TAG = { unique: 'UniqueViolation', 'primary-key': 'UniqueViolation', 'not-null': 'NotNullViolation', check: 'CheckViolation', 'foreign-key': 'ForeignKeyViolation' } as const

const everyRow = (t: TableSpec): Q.QueryNode => pipe(Q.from(t.table)) as Q.QueryNode

describe.each(engines)('mutation law on $name', (engine) => {
  const open = lawEngine(LAW, engine)
  const profile = profileOf(engine.name)

  it(`agrees with the evaluator (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(schemaArb, fc.gen(), async (tables, g) => {
        const db = open()
        const { statement, target } = genMutation(g, tables, engine.dialect)
        const ran = await runOnEngine(db, tables, statement)
        if (ran.kind === 'unsupported') return void tally(LAW, engine.name, `unsupported ${ran.feature}`)
        const { setup, failure, where } = ran
        const affected = ran.result?.affectedRows
        const returned = ran.result?.rows ?? []
        const mem = M.execute(profile)(statement)(memoryDb(profile, setup))
        const wrong = knownWrongChange(engine.name, statement)
        if (wrong !== undefined) return void tally(LAW, engine.name, `known gap ${wrong}`)
        if (affected === undefined) {
          const gap = knownGap(engine.name, failure) ?? knownChangeError(engine.name, statement, failure)
          if (gap !== undefined) return void tally(LAW, engine.name, `known gap ${gap}`)
          if (E.isLeft(mem) && mem.left._tag === 'RuntimeError') {
            // A value that does not fit is a DataException on the engine too — or, where the engine met another row
            // first, that row's broken constraint (engines check NOT NULL row by row; the evaluator at the end).
            if (mem.left.data) expect(['DataException', ...Object.values(CONSTRAINT_TAG)], `the error, evaluator (${mem.left.message}) vs ${engine.name}${where}`).toContain((failure as { _tag?: unknown })._tag)
            return void tally(LAW, engine.name, 'error on both')
          }
          // A constraint broken on both sides must be the same kind of constraint (NOT NULL set to NULL, …).
          if (E.isLeft(mem) && mem.left._tag === 'ConstraintViolation') {
            const quirk = knownConstraintError(engine.name, statement, mem.left.kind, failure)
            if (quirk !== undefined) return void tally(LAW, engine.name, `known gap ${quirk}`)
            expect((failure as { _tag?: unknown })._tag, `the constraint broken, evaluator vs ${engine.name}${where}`).toBe(CONSTRAINT_TAG[mem.left.kind])
            return void tally(LAW, engine.name, `${mem.left.kind} violation on both`)
          }
          if (isDataException(failure)) return void tally(LAW, engine.name, 'data exception on the engine only')
          throw new Error(`${engine.name} failed (${String((failure as Error).message)}) where the evaluator gave ${E.isRight(mem) ? `${mem.right.rowCount} rows` : mem.left.message}${where}`)
        }
        if (E.isLeft(mem) && mem.left._tag === 'RuntimeError') return void tally(LAW, engine.name, 'data exception in memory only')
        if (E.isLeft(mem)) throw new Error(`evaluator failed (${mem.left._tag}: ${mem.left.message}) where ${engine.name} changed ${affected} rows${where}`)
        expect(affected, `rows reported, evaluator vs ${engine.name}${where}`).toBe(mem.right.rowCount)
        if (statement.returning !== undefined) {
          const cols = target.cols.map((c) => c.name)
          const kinds = target.cols.map((c) => c.kind)
          expect(normRows(mem.right.rows, cols, kinds, false, profile.padSpace), `RETURNING, evaluator vs ${engine.name}${where}`).toEqual(normRows(returned, cols, kinds, false, profile.padSpace))
        }
        for (const t of tables) {
          const cols = t.cols.map((c) => c.name)
          const kinds = t.cols.map((c) => c.kind)
          const real = await db.rows(everyRow(t))
          const inMemory = M.evaluate(profile)(everyRow(t))(mem.right.db)
          if (E.isLeft(inMemory)) throw new Error(`evaluator could not read ${t.table.name}: ${inMemory.left.message}`)
          expect(normRows(inMemory.right, cols, kinds, false, profile.padSpace), `${t.table.name} after, evaluator vs ${engine.name}${where}`).toEqual(normRows(real, cols, kinds, false, profile.padSpace))
        }
        tally(LAW, engine.name, `compared ${statement._tag.toLowerCase()} of ${affected === 0 ? 'no row' : 'rows'}${statement.returning === undefined ? '' : ' returning them'}`)
      }),
      params({ shrink: false }),
    )
  }, LAW_TIMEOUT)
})
