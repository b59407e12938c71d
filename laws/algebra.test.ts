/**
 * Algebra laws, on the evaluator under every profile and on every real
 * engine: rewrites a user (or an optimiser) may make must not change the
 * bag a query denotes.
 *
 * - filter fusion: σq(σp(t)) as a derived table = σ(p ∧ q)(t)
 * - union commutativity: a ∪ b = b ∪ a (with and without ALL)
 * - union associativity: (a ∪ b) ∪ c = a ∪ (b ∪ c)
 * - projection composition: π over a derived π = the composed π
 * - inner join associativity: (a ⋈p b) ⋈q c = a ⋈p (b ⋈q c)
 * - limit idempotence: limit n of (ordered q limit n) = ordered q limit n
 * - compile determinism: compiling a value twice (cache cleared) gives the same SQL and parameters
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../src/algebra/index.js'
import { clearStatementCache, compile, mariadb, mysql8, postgres, sqlite } from '../src/interpret/index.js'
import { schemaArb, type TableSpec } from './gen-data.js'
import { genInt, genPred, genQuery, genText, tableScope } from './gen-query.js'
import { runLaw, type Pair } from './equivalence.js'
import { LAW_TIMEOUT, params, report, RUNS, tally } from './support.js'
import { openTarget, targetNames, type Target } from './targets.js'

type Gen = fc.GeneratorValue
const pick = <A>(g: Gen, xs: readonly A[]): A => xs[g(fc.integer, { min: 0, max: xs.length - 1 })] as A

const allCols = (rel: { readonly c: Readonly<Record<string, Q.Expr<unknown>>> }): Q.Fields => ({ ...rel.c })
const kindsOf = (t: TableSpec) => t.cols.map((c) => c.kind)

const filterFusion = (tables: readonly TableSpec[], g: Gen): Pair => {
  const spec = pick(g, tables)
  const { scope, rel } = tableScope(tables, spec, 'd')
  const p = genPred(g, scope, 2)
  const q = genPred(g, scope, 2)
  const inner = pipe(Q.from(rel), Q.where(() => p), Q.select(() => allCols(rel)))
  const derived = Q.as('d')(inner as Q.Query<Record<string, unknown>>)
  return {
    lhs: pipe(Q.from(derived), Q.where(() => q), Q.select(() => allCols(derived))),
    rhs: pipe(Q.from(rel), Q.where(() => Q.and(p, q)), Q.select(() => allCols(rel))),
    kinds: kindsOf(spec),
    ordered: false,
  }
}

// A one-int-column select over a random table, filtered at random (every table's c0 is an integer).
const intBranch = (tables: readonly TableSpec[], g: Gen, alias: string): Q.QueryNode => {
  const spec = pick(g, tables)
  const { scope, rel } = tableScope(tables, spec, alias)
  return pipe(Q.from(rel), Q.where(() => genPred(g, scope, 1)), Q.select(() => ({ v: genInt(g, scope, 1) })))
}

const setOp = (g: Gen) => pick(g, [Q.union, Q.unionAll])

const unionCommutes = (tables: readonly TableSpec[], g: Gen): Pair => {
  const a = intBranch(tables, g, 'a') as Q.Query<unknown>
  const b = intBranch(tables, g, 'b') as Q.Query<unknown>
  const op = setOp(g)
  return { lhs: op(b)(a), rhs: op(a)(b), kinds: ['int'], ordered: false }
}

const unionAssociates = (tables: readonly TableSpec[], g: Gen): Pair => {
  const [a, b, c] = ['a', 'b', 'c'].map((x) => intBranch(tables, g, x) as Q.Query<unknown>) as [Q.Query<unknown>, Q.Query<unknown>, Q.Query<unknown>]
  const op = setOp(g)
  return { lhs: op(c)(op(b)(a)), rhs: op(op(c)(b))(a), kinds: ['int'], ordered: false }
}

const projectionComposes = (tables: readonly TableSpec[], g: Gen): Pair => {
  const spec = pick(g, tables)
  const { scope, rel } = tableScope(tables, spec, 'd')
  const p = genPred(g, scope, 1)
  const fields = Array.from({ length: 3 }, () => (g(fc.boolean) ? { e: genInt(g, scope, 2), kind: 'int' as const } : { e: genText(g, scope, 2), kind: 'text' as const }))
  const inner = pipe(Q.from(rel), Q.where(() => p), Q.select(() => Object.fromEntries(fields.map((f, i) => [`x${i}`, f.e]))))
  const derived = Q.as('p')(inner as Q.Query<Record<string, unknown>>)
  const chosen = Array.from({ length: g(fc.integer, { min: 1, max: 3 }) }, () => g(fc.integer, { min: 0, max: 2 }))
  return {
    lhs: pipe(Q.from(derived), Q.select((s) => Object.fromEntries(chosen.map((i, j) => [`y${j}`, (s.p as Record<string, Q.Expr<unknown>>)[`x${i}`] as Q.Expr<unknown>])))),
    rhs: pipe(Q.from(rel), Q.where(() => p), Q.select(() => Object.fromEntries(chosen.map((i, j) => [`y${j}`, fields[i]?.e as Q.Expr<unknown>])))),
    kinds: chosen.map((i) => fields[i]?.kind ?? 'int'),
    ordered: false,
  }
}

const joinAssociates = (tables: readonly TableSpec[], g: Gen): Pair => {
  const [a, b, c] = ['a', 'b', 'c'].map((x) => tableScope(tables, pick(g, tables), x).rel) as [Q.AnyTable, Q.AnyTable, Q.AnyTable]
  const cmp = pick(g, [Q.eq, Q.lt, Q.ne, Q.gte])
  const cmp2 = pick(g, [Q.eq, Q.lt, Q.ne, Q.gte])
  const col = (t: Q.AnyTable): Q.Expr<unknown> => t.c['c0'] as Q.Expr<unknown>
  const lhs = pipe(
    Q.from(a),
    Q.join(b, () => cmp(col(a), col(b))),
    Q.join(c, () => cmp2(col(b), col(c))),
    Q.select(() => ({ a0: col(a), b0: col(b), c0: col(c) })),
  )
  const bc = Q.as('bc')(pipe(Q.from(b), Q.join(c, () => cmp2(col(b), col(c))), Q.select(() => ({ b0: col(b), c0: col(c) }))) as Q.Query<{ b0: unknown; c0: unknown }>)
  const rhs = pipe(Q.from(a), Q.join(bc, (s) => cmp(col(a), s.bc.b0)), Q.select((s) => ({ a0: col(a), b0: s.bc.b0, c0: s.bc.c0 })))
  return { lhs, rhs, kinds: ['int', 'int', 'int'], ordered: false }
}

const limitIdempotent = (tables: readonly TableSpec[], g: Gen): Pair => {
  const spec = pick(g, tables)
  const { scope, rel } = tableScope(tables, spec, 'd')
  const n = g(fc.integer, { min: 0, max: 4 })
  const q = pipe(
    Q.from(rel),
    Q.where(() => genPred(g, scope, 1)),
    Q.orderBy(() => Object.values(rel.c).map((e) => (g(fc.boolean) ? Q.asc(e) : Q.desc(e)))),
    Q.limit(n),
    Q.select(() => allCols(rel)),
  )
  const outer = Q.as('e')(q as Q.Query<Record<string, unknown>>)
  return { lhs: pipe(Q.from(outer), Q.limit(n), Q.select(() => allCols(outer))), rhs: q, kinds: kindsOf(spec), ordered: false }
}

const laws: readonly (readonly [string, (tables: readonly TableSpec[], g: Gen) => Pair])[] = [
  ['filter-fusion', filterFusion],
  ['union-commutativity', unionCommutes],
  ['union-associativity', unionAssociates],
  ['projection-composition', projectionComposes],
  ['inner-join-associativity', joinAssociates],
  ['limit-idempotence', limitIdempotent],
]

describe.each(targetNames)('algebra laws on %s', (name) => {
  let target: Target | undefined
  beforeAll(async () => {
    target = await openTarget(name)
  })
  afterAll(async () => {
    await target?.close()
    for (const line of report().filter((l) => l.includes(` on ${name}:`) && laws.some(([law]) => l.startsWith(`law ${law} `)))) console.log(line)
  })
  for (const [law, pairOf] of laws) {
    it(`${law} (${RUNS} cases)`, () => runLaw(law, () => target as Target, pairOf), LAW_TIMEOUT)
  }
})

describe('compile determinism', () => {
  for (const d of [postgres, mariadb, mysql8, sqlite]) {
    it(`compiling a query twice gives the same SQL and parameters on ${d.name} (${RUNS} cases)`, () => {
      fc.assert(
        fc.property(schemaArb, fc.gen(), (tables, g) => {
          const { query } = genQuery(g, tables)
          const first = compile(d)(query)
          clearStatementCache(d)
          const second = compile(d)(query)
          const cached = compile(d)(query)
          expect(second).toEqual(first)
          expect(cached).toEqual(first)
          tally('compile-determinism', d.name, E.isRight(first) ? 'compiled' : `compile error ${first.left._tag}`)
        }),
        params(),
      )
      console.log(report().find((l) => l.startsWith(`law compile-determinism on ${d.name}:`)))
    })
  }
})
