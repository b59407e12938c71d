/**
 * The body shared by the algebra laws and the oracles: two queries that
 * must give the same bag (or list) on one target. Outcomes that say nothing
 * about meaning are counted, not compared: Unsupported on the dialect, a
 * known gap, and a data exception raised on one side only (SQL leaves the
 * evaluation order open, so an engine may compute a value that overflows
 * where the other form never does).
 */
import fc from 'fast-check'
import { expect } from 'vitest'
import * as Q from '../src/algebra/index.js'
import type { Kind, TableSpec } from './gen-data.js'
import { schemaArb, showTable } from './gen-data.js'
import { knownWrongRows } from './known-gaps.js'
import { normRows, params, tally } from './support.js'

const engineNames = ['postgresql', 'mariadb', 'sqlite'] as const
import type { Outcome, Target } from './targets.js'

/** Two queries a law says are equivalent, with the kinds of their columns. */
export interface Pair {
  readonly lhs: Q.QueryNode
  readonly rhs: Q.QueryNode
  readonly kinds: readonly Kind[]
  readonly ordered: boolean
}

const describeOutcome = (o: Outcome): string => (o.kind === 'rows' ? JSON.stringify(o.rows) : o.kind === 'error' ? `error ${o.message}` : `unsupported ${o.feature}`)

/** Check one pair on a target; counts the outcome under `law`. */
export const checkPair = async (law: string, target: Target, tables: readonly TableSpec[], pair: Pair): Promise<void> => {
  const run = await target.load(tables)
  const a = await run(pair.lhs)
  const b = await run(pair.rhs)
  const where = `\n${tables.map(showTable).join('\n')}`
  for (const o of [a, b]) {
    if (o.kind === 'unsupported') return void tally(law, target.name, `unsupported ${o.feature}`)
    if (o.kind === 'error' && o.gap !== undefined) return void tally(law, target.name, `known gap ${o.gap}`)
  }
  if (a.kind === 'error' && b.kind === 'error') return void tally(law, target.name, 'error on both')
  if (a.kind === 'error' || b.kind === 'error') {
    const msg = a.kind === 'error' ? a.message : b.kind === 'error' ? b.message : ''
    if (/out of range|division by zero|overflow/iu.test(msg)) return void tally(law, target.name, 'data exception on one side')
    throw new Error(`${law} on ${target.name}: ${describeOutcome(a)} vs ${describeOutcome(b)}${where}`)
  }
  if (a.kind !== 'rows' || b.kind !== 'rows') return
  const cols = (q: Q.QueryNode) => Q.outputColumns(q).map((c) => c.name)
  const ra = normRows(a.rows, cols(pair.lhs), pair.kinds, pair.ordered, target.profile.padSpace)
  const rb = normRows(b.rows, cols(pair.rhs), pair.kinds, pair.ordered, target.profile.padSpace)
  // A confirmed engine bug (known-gaps.ts) is counted, only when the two sides really differ.
  const engine = engineNames.find((e) => e === target.name)
  const gap = engine === undefined ? undefined : (knownWrongRows(engine, pair.lhs) ?? knownWrongRows(engine, pair.rhs))
  if (gap !== undefined && JSON.stringify(ra) !== JSON.stringify(rb)) return void tally(law, target.name, `known gap ${gap}`)
  expect(rb, `${law} on ${target.name}${where}`).toEqual(ra)
  tally(law, target.name, 'compared')
}

/** Run a law on a target: `pairOf` builds the two queries from the tables and a generator. */
export const runLaw = (law: string, target: () => Target, pairOf: (tables: readonly TableSpec[], g: fc.GeneratorValue) => Pair): Promise<void> =>
  fc.assert(
    fc.asyncProperty(schemaArb, fc.gen(), (tables, g) => checkPair(law, target(), tables, pairOf(tables, g))),
    params({ shrink: false }),
  )
