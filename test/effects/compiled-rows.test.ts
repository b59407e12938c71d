/**
 * Compiled row checks and encoders (src/effects/graph/compiled-rows.ts)
 * against the general path: for random graphs whose rows mostly share a
 * shape (so that checks are compiled) with random values — fitting, too
 * long, out of range, of the wrong type, null, undefined, references,
 * unknown columns, properties in another order — planning with compiled
 * rows and without gives the same plan or the same problems, on every
 * dialect. Cases and seed: QUARRY_LAW_RUNS, QUARRY_LAW_SEED.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { G } from '../../src/effects/index.js'
import { insertCheck, rowChecksEnabled, rowEncoder, setRowChecks, updateCheck, type CheckColumn } from '../../src/effects/graph/compiled-rows.js'
import { quickFit } from '../../src/effects/graph/fits.js'
import { encodeCommon, isEncodeFailure } from '../../src/interpret/encode.js'
import { validate } from '../../src/effects/graph/validate.js'
import { mariadb, postgres, sqlite, type Dialect } from '../../src/interpret/index.js'

const RUNS = Number(process.env['QUARRY_LAW_RUNS'] ?? 200)
const SEED = Number(process.env['QUARRY_LAW_SEED'] ?? 20261125)

const parents = Q.table('cr_parents', { id: Q.integer().primaryKey().autoIncrement(), label: Q.text().notNull() })
/** The rows' table, and a twin of the same column names under another name, its `code` shorter (a run of one shape must stop at a row of another table). */
const rowsTable = (name: string) =>
  Q.table(
  name,
  {
    id: Q.integer().primaryKey().autoIncrement(),
    code: Q.varchar(name === 'cr_rows' ? 5 : 3).notNull(),
    note: Q.text(),
    small: Q.smallint().notNull(),
    big: Q.bigint(),
    ratio: Q.double(),
    flag: Q.boolean().notNull().default(false),
    parent_id: Q.integer(),
    at: Q.timestamp(),
    // Strings here are not bound as given (a number on SQLite, a JSON document everywhere): the encoders' string shortcut must not take them.
    amount: Q.numeric(10, 2),
    doc: Q.json(),
    // A version column for some updates (never among the changes: not in `columns`).
    rev: Q.integer(),
  },
  { foreignKeys: [{ columns: ['parent_id'], references: () => parents, referencedColumns: ['id'] }] },
)
const rows = rowsTable('cr_rows')
const twins = rowsTable('cr_twins')
const columns = ['code', 'note', 'small', 'big', 'ratio', 'flag', 'parent_id', 'at', 'amount', 'doc'] as const

/** A value for a column: mostly fitting ones of the column's type, else anything. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('ab', 'abcde', 'abcdef', '', 'héllo', '𝔸𝔹'),
  fc.integer({ min: -40_000, max: 40_000 }),
  fc.constantFrom(0.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, 2 ** 53, 12345678901234n),
  fc.boolean(),
  fc.constantFrom(null, undefined, new Date(0), { x: 1 }, [1], new Uint8Array([1])),
  fc.constantFrom(G.ref('p0'), G.ref('p1'), G.ref('nowhere')),
)
const fitting: Record<(typeof columns)[number], fc.Arbitrary<unknown>> = {
  code: fc.constantFrom('a', 'abc', 'abcde', 'éé'),
  note: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)),
  small: fc.integer({ min: -32_768, max: 32_767 }),
  big: fc.oneof(fc.integer(), fc.constant(null)),
  ratio: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
  flag: fc.boolean(),
  parent_id: fc.oneof(fc.constant(G.ref('p0')), fc.constant(G.ref('p1')), fc.integer({ min: 1, max: 9 }), fc.constant(null)),
  at: fc.oneof(fc.date({ noInvalidDate: true }), fc.constant(null)),
  amount: fc.oneof(fc.constantFrom('12.50', '0', '-3.1', '7'), fc.integer({ min: -1000, max: 1000 }), fc.constant(null)),
  doc: fc.oneof(fc.string({ maxLength: 6 }), fc.constant({ a: [1, 'x'] }), fc.constant(null)),
}
/** A column's value: fitting, or with weight `noise` against 24 anything (0: a valid graph, whose plans are compared; else mostly problems). */
const value = (c: (typeof columns)[number], noise: number): fc.Arbitrary<unknown> =>
  noise === 0 ? fitting[c] : fc.oneof({ weight: 24, arbitrary: fitting[c] }, { weight: noise, arbitrary: anyValue })

/** Columns with a quick test: shapes of these alone have compiled checks (a date, decimal or JSON column sends every row the general way). */
const quickColumns = columns.filter((c) => c !== 'at' && c !== 'amount' && c !== 'doc')
/** A shape: some columns in some order (half the time quick ones only), an unknown one now and then. */
const shape = fc
  .tuple(fc.oneof(fc.shuffledSubarray([...quickColumns], { minLength: 1 }), fc.shuffledSubarray([...columns], { minLength: 1 })), fc.nat(9))
  .map(([cs, odd]) => (odd === 0 ? [...cs, 'nope'] : cs))

const rowOf = (keys: readonly string[], noise: number): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(...keys.map((k) => (k === 'nope' ? anyValue : value(k as (typeof columns)[number], noise)))).map((vs) => {
    const r: Record<string, unknown> = {}
    keys.forEach((k, i) => (r[k] = vs[i]))
    return r
  })

/** Rows mostly of one shape (enough to compile its check), now and then of another (in half the cases); half the cases without noise. */
const rowList = fc.tuple(shape, shape, fc.constantFrom(0, 0, 1, 4), fc.boolean()).chain(([main, other, noise, alone]) =>
  fc.array(fc.oneof({ weight: 19, arbitrary: rowOf(main, noise) }, { weight: 1, arbitrary: rowOf(alone ? main : other, noise) }), { minLength: 40, maxLength: 90 }),
)

const parentNodes = [G.insertRow('p0', parents, { label: 'a' }), G.updateRow('p1', parents, { id: 1, label: 'b' }, { label: 'c' })]

/** New rows (when `mixed`, now and then one of the twin table among them). */
const insertGraph = (rs: readonly Record<string, unknown>[], mixed: boolean): G.ChangeGraph =>
  G.fromNodes([...parentNodes, ...rs.map((r, i) => G.insertRow(`r${i}`, mixed && i % 11 === 5 ? twins : rows, r as G.GraphRowOf<typeof rows>))])

/**
 * Updates: each row's snapshot (a fitting row with key i + 1) and the row as
 * its changes; now and then a row with a version column and, when `mixed`,
 * one of the twin table among rows of the common shape.
 */
const updateGraph = (rs: readonly Record<string, unknown>[], keyless: boolean, mixed: boolean): G.ChangeGraph =>
  G.fromNodes([
    // Mixed: an update of another table first; else every update is of the rows' table (a uniform save, one group, unless a row differs).
    ...(mixed ? parentNodes : [parentNodes[0]!, G.insertRow('p1', parents, { label: 'c' })]),
    ...rs.map((r, i) => {
      const id = keyless && i % 7 === 3 ? null : i + 1
      // Unmixed, values the changes seldom repeat, so that a save is often uniform (what a run's bookkeeping must get right).
      const snapshot = mixed
        ? { id, code: 'abc', note: null, small: 1, big: null, ratio: 0.5, flag: false, parent_id: null, at: null, rev: 1 }
        : { id, code: 'zz', note: 'snap!', small: 32_000, big: 424_242, ratio: 0.125, flag: false, parent_id: 99, at: null, rev: 1 }
      const table = mixed && i % 11 === 5 ? twins : rows
      return G.updateRow(`r${i}`, table, snapshot as unknown as Q.RowOf<typeof rows>, r as G.ChangesOf<typeof rows>, i % 13 === 0 ? { version: 'rev' } : undefined)
    }),
  ])

/** Everything planning decides, on each dialect: the printed plan (statements and parameters) or the problems. */
const outcome = (g: G.ChangeGraph): string[] => {
  const checked = validate(g)
  const masks = E.isRight(checked) ? [[...checked.right.inserts.masks].join(), [...checked.right.updates.masks].join(), [...checked.right.inserts.flags].join()] : []
  return [
    ...masks,
    ...[postgres, mariadb, sqlite].map((d) =>
      E.match(
        (e: G.InvalidGraph) => `invalid: ${e.message}`,
        (p: G.Plan) => G.printPlan(p),
      )(G.plan(g, d)),
    ),
  ]
}

const both = (g: G.ChangeGraph): { compiled: string[]; general: string[] } => {
  // Twice compiled: the first run may still be counting rows before it compiles.
  outcome(g)
  const compiled = outcome(g)
  setRowChecks(false)
  try {
    return { compiled, general: outcome(g) }
  } finally {
    setRowChecks(true)
  }
}

describe(`compiled rows agree with the general path (${RUNS} cases, seed ${SEED})`, () => {
  afterAll(() => void setRowChecks(true))

  it('new rows', () => {
    fc.assert(
      fc.property(rowList, fc.boolean(), (rs, mixed) => {
        const { compiled, general } = both(insertGraph(rs, mixed))
        expect(compiled).toEqual(general)
      }),
      { numRuns: RUNS, seed: SEED },
    )
  })

  it('updates by diff (changes equal to the snapshot, keys missing)', () => {
    fc.assert(
      fc.property(rowList, fc.boolean(), fc.boolean(), (rs, keyless, mixed) => {
        const { compiled, general } = both(updateGraph(rs, keyless, mixed))
        expect(compiled).toEqual(general)
      }),
      { numRuns: RUNS, seed: SEED },
    )
  })

  it('bulk rows checked by a compiled loop get client defaults, required-column problems, generated keys and references as row by row', () => {
    const bulk = (name: string) =>
      Q.table(name, { id: Q.integer().primaryKey().autoIncrement(), code: Q.varchar(5).notNull(), flag: Q.boolean().notNull().default(false), up: Q.integer() }, {
        foreignKeys: [{ columns: ['up'], references: () => parents, referencedColumns: ['id'] }],
      })
    const t = bulk('cr_bulk')
    const t2 = bulk('cr_bulk_too')
    // Rows past the 80th are the second table's; the parent node only when a row refers to it (another table's row makes no graph uniform).
    const plans = (rs: readonly Record<string, unknown>[]): { compiled: string[]; general: string[] } => {
      const nodes = rs.map((r, i) => G.insertRow(`b${i}`, i >= 80 ? t2 : t, r as G.GraphRowOf<typeof t>))
      return both(G.fromNodes(rs.some((r) => G.isRef(r['up'])) ? [parentNodes[0]!, ...nodes] : nodes))
    }
    const agree = (rs: readonly Record<string, unknown>[]): string => {
      const { compiled, general } = plans(rs)
      expect(compiled).toEqual(general)
      return compiled.join('\n')
    }
    const many = (f: (i: number) => Record<string, unknown>): Record<string, unknown>[] => Array.from({ length: 80 }, (_, i) => f(i))
    // The defaulted flag left out: every row gets it (a loop that skipped defaults would insert without the column).
    expect(agree(many(() => ({ code: 'abc' })))).toContain('"flag"')
    // A required column left out: one problem per row, compiled or not.
    expect(agree(many(() => ({ flag: true })))).toContain('cr_bulk.code is required')
    // The key given: not generated; references counted and resolved through the loop's flags.
    expect(agree(many((i) => ({ id: i + 1, code: 'abc', flag: true })))).not.toContain('generated cr_bulk.id')
    expect(agree(many((i) => ({ code: 'abc', flag: i % 2 === 0, up: i % 3 === 0 ? G.ref('p0') : null })))).toContain('generated cr_bulk.id')
    // Rows of a second table of the same columns right after: two statements, not one (a loop's rows keep their table).
    expect(agree([...many(() => ({ code: 'abc', flag: true })), ...many(() => ({ code: 'xyz', flag: false }))])).toContain('insert 80 cr_bulk_too row(s)')
  })

  it('a value the dialect refuses to encode stops a compiled page; the row-by-row path reports it', () => {
    const t = Q.table('cr_page', { id: Q.integer().primaryKey(), name: Q.text().notNull(), n: Q.integer().notNull() })
    // A dialect whose encode refuses one string that validation accepts.
    const picky: Dialect = { ...sqlite, encode: (v, type) => (v === 'nope' ? encodeCommon(undefined, type) : sqlite.encode(v, type)) }
    const g = G.fromNodes(Array.from({ length: 80 }, (_, i) => G.updateRow(`u${i}`, t, { id: i + 1, name: 'a', n: 0 }, { name: i === 70 ? 'nope' : `n${i}`, n: i + 1 })))
    const planned = (): string => E.match((e: G.InvalidGraph) => e.message, (p: G.Plan) => G.printPlan(p))(G.plan(g, picky))
    planned()
    const compiled = planned()
    setRowChecks(false)
    const general = planned()
    setRowChecks(true)
    expect(compiled).toEqual(general)
    expect(compiled).toContain('u70')
  })

  it('the compiled functions themselves: the common case, and -1 for anything else', () => {
    // This runtime compiles code, so the law above compared two different paths.
    expect(rowChecksEnabled()).toBe(true)
    const cs: CheckColumn[] = [
      { name: 'code', quick: quickFit({ kind: 'varchar', length: 5 }), nullable: false },
      { name: 'small', quick: quickFit({ kind: 'smallint' }), nullable: false },
      { name: 'note', quick: quickFit({ kind: 'text' }), nullable: true },
    ]
    const ins = insertCheck(cs)!
    expect(ins({ code: 'abc', small: 3, note: null })).toBe(0)
    expect(ins({ code: 'abc', small: G.ref('x'), note: G.ref('y') })).toBe(2)
    expect([
      ins({ small: 3, code: 'abc', note: null }),
      ins({ code: 'abc', small: 3 }),
      ins({ code: 'abc', small: 3, note: 'n', more: 1 }),
      ins({ code: 'abcdef', small: 3, note: 'n' }),
      ins({ code: 'abc', small: 40_000, note: 'n' }),
      ins({ code: null, small: 3, note: 'n' }),
      ins({ code: 'abc', small: undefined, note: 'n' }),
      ins({ code: 'abc', small: 1.5, note: 'n' }),
    ]).toEqual([-1, -1, -1, -1, -1, -1, -1, -1])
    const upd = updateCheck(cs, 'id')!
    const snap = { id: 1, code: 'abc', small: 3, note: 'n' }
    expect(upd({ code: 'xyz', small: 4, note: null }, snap)).toBe(0)
    expect([
      upd({ code: 'abc', small: 4, note: null }, snap),
      upd({ code: 'xyz', small: 4, note: null }, { ...snap, note: null }),
      upd({ code: 'xyz', small: 4, note: null }, { ...snap, id: null }),
      upd({ code: 'xyz', small: G.ref('x'), note: null }, snap),
      upd({ small: 4, code: 'xyz', note: null }, snap),
    ]).toEqual([-1, -1, -1, -1, -1])
    // A shape with a column of no quick test is not compiled (almost every row would be -1).
    expect(insertCheck([...cs, { name: 'at', quick: quickFit({ kind: 'timestamp', withTimeZone: false }), nullable: true }])).toBeUndefined()
    const enc = rowEncoder({ encode: sqlite.encode, failed: isEncodeFailure }, rows, ['small', 'code'], [{ kind: 'smallint' }, { kind: 'varchar', length: 5 }])!
    const params: unknown[] = [0]
    expect(enc({ code: 'abc', small: 3 }, params, 1)).toBe(true)
    expect(params).toEqual([0, 3n, 'abc'])
    expect(enc({ code: 'abc', small: Number.NaN }, params, 1)).toBe(false)
    // A reference: written as the callback answers, or (without one) the general path's.
    expect(enc({ code: 'abc', small: G.ref('x') }, params, 1)).toBe(false)
    expect(enc({ code: 'abc', small: G.ref('x') }, params, 1, 7, (v, j, row) => `${(v as G.Ref).node}:${j}:${row}`)).toBe(true)
    expect(params).toEqual([0, 'x:0:7', 'abc'])
  })
})
