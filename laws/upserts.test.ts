/**
 * The upsert law: a random multi-row INSERT into a keyed table, ON CONFLICT
 * DO NOTHING or DO UPDATE (ON DUPLICATE KEY UPDATE on MariaDB) from the
 * proposed and the current row, over random existing rows — keys proposed
 * twice in one statement included — run on each real engine and in the
 * evaluator under that engine's profile: the same table after, the same
 * rows reported, or an error on both sides.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../src/algebra/index.js'
import { compile } from '../src/interpret/index.js'
import * as M from '../src/interpret/memory/index.js'
import { engines } from '../test/support/quarry-engines.js'
import { LAW_TIMEOUT, lawEngine, memoryDb, normRows, params, profileOf, RUNS, tally } from './support.js'

const LAW = 'upserts'

const counter = Q.table('upsert_counter', { k: Q.varchar(4).primaryKey(), hits: Q.integer().notNull(), note: Q.varchar(8) })
type Row = { readonly k: string; readonly hits: number; readonly note: string | null }

const rowArb: fc.Arbitrary<Row> = fc.record({
  k: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  hits: fc.integer({ min: -3, max: 5 }),
  note: fc.option(fc.constantFrom('x', 'y', ''), { nil: null }),
})

const caseArb = fc.record({
  existing: fc.uniqueArray(rowArb, { selector: (r) => r.k, maxLength: 4 }),
  proposed: fc.array(rowArb, { minLength: 1, maxLength: 4 }),
  action: fc.constantFrom('nothing', 'sum', 'replace', 'keep-note', 'double'),
})
type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never

const statementOf = (c: Case): Q.StatementNode => {
  const insert = Q.insert(counter, c.proposed.map((r) => ({ ...r })))
  switch (c.action) {
    case 'nothing':
      return pipe(insert, Q.onConflictDoNothing(['k']))
    case 'sum':
      return pipe(insert, Q.onConflictDoUpdate(['k'], (ex, cur) => ({ hits: Q.add(cur.hits, ex.hits) })))
    case 'replace':
      return pipe(insert, Q.onConflictDoUpdate(['k'], (ex) => ({ hits: ex.hits, note: ex.note })))
    case 'keep-note':
      return pipe(insert, Q.onConflictDoUpdate(['k'], (ex, cur) => ({ note: Q.coalesce(cur.note, ex.note) })))
    case 'double':
      return pipe(insert, Q.onConflictDoUpdate(['k'], (_ex, cur) => ({ hits: Q.mul(cur.hits, 2) })))
  }
}

const KINDS = ['text', 'int', 'text'] as const
const COLS = ['k', 'hits', 'note']
const everyRow = pipe(Q.from(counter)) as Q.QueryNode

describe.each(engines)('upsert law on $name', (engine) => {
  const open = lawEngine(LAW, engine)
  const profile = profileOf(engine.name)

  it(`agrees with the evaluator (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const db = open()
        const statement = statementOf(c)
        const compiled = compile(engine.dialect)(statement)
        if (E.isLeft(compiled)) throw new Error(`compile failed: ${compiled.left.message}`)
        const { sql, params: ps } = compiled.right
        const setup: Q.StatementNode[] = [Q.createTable(counter), ...(c.existing.length === 0 ? [] : [Q.insert(counter, c.existing.map((r) => ({ ...r })))])]
        await db.run(Q.dropTable(counter, { ifExists: true }))
        for (const s of setup) await db.run(s)
        let affected: number | undefined
        let failure: unknown
        try {
          affected = (await db.conn.execute(sql, ps as never)).affectedRows
        } catch (e) {
          failure = e
        }
        const mem = M.execute(profile)(statement)(memoryDb(profile, setup))
        const where = `\n${sql}\nparams ${JSON.stringify(ps, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\nexisting ${JSON.stringify(c.existing)}`
        if (affected === undefined) {
          expect(E.isLeft(mem), `${engine.name} failed (${String((failure as Error).message)}) where the evaluator gave ${JSON.stringify(mem)}${where}`).toBe(true)
          return void tally(LAW, engine.name, `error on both (${String((failure as { _tag?: unknown })._tag)})`)
        }
        if (E.isLeft(mem)) throw new Error(`evaluator failed (${mem.left.message}) where ${engine.name} reported ${affected} rows${where}`)
        const real = await db.rows(everyRow)
        const inMemory = M.evaluate(profile)(everyRow)(mem.right.db)
        if (E.isLeft(inMemory)) throw new Error(inMemory.left.message)
        expect(normRows(inMemory.right, COLS, KINDS, false, profile.padSpace), `table after, evaluator vs ${engine.name}${where}`).toEqual(normRows(real, COLS, KINDS, false, profile.padSpace))
        expect(affected, `rows reported, evaluator vs ${engine.name}${where}`).toBe(mem.right.rowCount)
        tally(LAW, engine.name, `compared ${c.action}`)
      }),
      params(),
    )
  }, LAW_TIMEOUT)
})
