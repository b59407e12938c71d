/**
 * Oracles from database testing, on the evaluator under every profile and
 * on every real engine; each compares an engine (or the evaluator) with
 * itself, so they need no reference and catch optimiser bugs too.
 *
 * - ternary logic partitioning (TLP): the rows of q are the rows of q where
 *   p, plus where NOT p, plus where p IS NULL (as bags), for any predicate p.
 * - non-optimising reference (NoREC): count(*) where p equals
 *   sum(case when p then 1 else 0 end) over all rows.
 */
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, it } from 'vitest'
import * as Q from '../src/algebra/index.js'
import type { TableSpec } from './gen-data.js'
import { genPred, tableScope } from './gen-query.js'
import { runLaw, type Pair } from './equivalence.js'
import { LAW_TIMEOUT, report, RUNS } from './support.js'
import { openTarget, targetNames, type Target } from './targets.js'

type Gen = fc.GeneratorValue
const pick = <A>(g: Gen, xs: readonly A[]): A => xs[g(fc.integer, { min: 0, max: xs.length - 1 })] as A

/** A base query: a random table and a random predicate over it. */
const base = (tables: readonly TableSpec[], g: Gen) => {
  const spec = pick(g, tables)
  const { scope, rel } = tableScope(tables, spec, 'a')
  const p = genPred(g, scope, 3)
  const fields = () => ({ ...rel.c })
  return { spec, rel, p, fields }
}

const tlp = (tables: readonly TableSpec[], g: Gen): Pair => {
  const { spec, rel, p, fields } = base(tables, g)
  const part = (cond: Q.Predicate | undefined) => pipe(Q.from(rel), (q) => (cond === undefined ? q : Q.where(() => cond)(q)), Q.select(fields)) as Q.Query<unknown>
  const rhs = pipe(part(p), Q.unionAll(part(Q.not(p))), Q.unionAll(part(Q.isNull(p))))
  return { lhs: part(undefined), rhs, kinds: spec.cols.map((c) => c.kind), ordered: false }
}

const noRec = (tables: readonly TableSpec[], g: Gen): Pair => {
  const { rel, p } = base(tables, g)
  return {
    lhs: pipe(Q.from(rel), Q.where(() => p), Q.select(() => ({ n: Q.count() }))),
    rhs: pipe(Q.from(rel), Q.select(() => ({ n: Q.coalesce(Q.sum(Q.caseWhen([[p, 1]], 0) as Q.Expr<number>), 0) }))),
    kinds: ['int'],
    ordered: false,
  }
}

const laws = [
  ['ternary-logic-partitioning', tlp],
  ['non-optimising-reference', noRec],
] as const

describe.each(targetNames)('oracles on %s', (name) => {
  let target: Target | undefined
  beforeAll(async () => {
    target = await openTarget(name)
  })
  afterAll(async () => {
    await target?.close()
    for (const line of report().filter((l) => l.includes(` on ${name}:`))) console.log(line)
  })
  for (const [law, pairOf] of laws) {
    it(`${law} (${RUNS} cases)`, () => runLaw(law, () => target as Target, pairOf), LAW_TIMEOUT)
  }
})
