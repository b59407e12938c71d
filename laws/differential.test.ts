/**
 * The differential law: a random schema, data and query, compiled for each
 * dialect and run on its real engine (PostgreSQL, MariaDB, SQLite), returns
 * the same bag — or list, when the query orders by every output column —
 * as the in-memory evaluator under that dialect's profile. A run-time
 * error (division by zero, integer overflow) must happen on both sides. A
 * construct the dialect cannot express (Unsupported at compile time) is
 * counted, not compared; so is a known interpreter gap (see README).
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../src/algebra/index.js'
import * as M from '../src/interpret/memory/index.js'
import { engines } from '../test/support/quarry-engines.js'
import { schemaArb, type TableSpec } from './gen-data.js'
import { genQuery } from './gen-query.js'
import { knownGap, knownWrongRows } from './known-gaps.js'
import { isDataException, LAW_TIMEOUT, lawEngine, memoryDb, normRows, params, profileOf, runOnEngine, RUNS, tally } from './support.js'


const LAW = 'differential'

/** Does some column hold two texts that differ only in trailing spaces? */
const hasPadSpaceTwins = (tables: readonly TableSpec[]): boolean =>
  tables.some((t) =>
    t.cols.some((_, i) => {
      const texts = [...new Set(t.rows.map((r) => r[i]).filter((v): v is string => typeof v === 'string'))]
      return new Set(texts.map((x) => x.replace(/ +$/u, ''))).size < texts.length
    }),
  )

describe.each(engines)('differential law on $name', (engine) => {
  const open = lawEngine(LAW, engine)
  const profile = profileOf(engine.name)

  it(`agrees with the evaluator (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(schemaArb, fc.gen(), async (tables, g) => {
        const db = open()
        const gq = genQuery(g, tables)
        const ran = await runOnEngine(db, tables, gq.query)
        if (ran.kind === 'unsupported') return void tally(LAW, engine.name, `unsupported ${ran.feature}`)
        const { setup, failure, where } = ran
        const real = ran.result?.rows
        const mem = M.evaluate(profile)(gq.query)(memoryDb(profile, setup))
        const wrong = knownWrongRows(engine.name, gq.query)
        if (wrong !== undefined) return void tally(LAW, engine.name, `known gap ${wrong}`)
        if (real === undefined) {
          const gap = knownGap(engine.name, failure)
          if (gap !== undefined) return void tally(LAW, engine.name, `known gap ${gap}`)
          if (E.isLeft(mem) && mem.left._tag === 'RuntimeError') {
            // A value that does not fit (division by zero, overflow) is a DataException on the engine too.
            if (mem.left.data) expect((failure as { _tag?: unknown })._tag, `the error, evaluator (${mem.left.message}) vs ${engine.name}${where}`).toBe('DataException')
            return void tally(LAW, engine.name, 'error on both')
          }
          // SQL leaves the evaluation order open: an engine may raise for a value the evaluator never computes (and the reverse, below).
          if (isDataException(failure)) return void tally(LAW, engine.name, 'data exception on the engine only')
          throw new Error(`${engine.name} failed (${String((failure as Error).message)}) where the evaluator gave ${JSON.stringify(mem)}${where}`)
        }
        if (E.isLeft(mem) && mem.left._tag === 'RuntimeError') return void tally(LAW, engine.name, 'data exception in memory only')
        if (E.isLeft(mem)) throw new Error(`evaluator failed (${mem.left._tag}: ${mem.left.message}) where ${engine.name} gave ${JSON.stringify(real)}${where}`)
        const cols = Q.outputColumns(gq.query).map((c) => c.name)
        const a = normRows(real, cols, gq.kinds, gq.ordered, profile.padSpace)
        const b = normRows(mem.right, cols, gq.kinds, gq.ordered, profile.padSpace)
        // Under PAD SPACE 'a' and 'a ' are one value; which one a group, DISTINCT or a set operation keeps is
        // the engine's choice, and what is computed from it (its length) may differ. Only when the data has such twins.
        if (profile.padSpace && JSON.stringify(a) !== JSON.stringify(b) && hasPadSpaceTwins(tables)) return void tally(LAW, engine.name, 'unspecified PAD SPACE representative')
        expect(b, `evaluator vs ${engine.name}${where}`).toEqual(a)
        tally(LAW, engine.name, gq.ordered ? 'compared as list' : 'compared as bag')
      }),
      params({ shrink: false }),
    )
  }, LAW_TIMEOUT)
})
