/**
 * What the laws share: the run settings (cases, seed), the per-law and
 * per-engine case counters that `npm run laws` prints, the in-memory
 * "engines" (one per dialect profile), and result normalisation so rows
 * from a driver and from the evaluator compare as bags or lists.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Q from '../src/algebra/index.js'
import { afterAll, beforeAll } from 'vitest'
import * as M from '../src/interpret/memory/index.js'
import type { OpenDb, TestEngine } from '../test/support/quarry-engines.js'
import type { ExecResult } from '../src/drivers/driver.js'
import { compile } from '../src/interpret/index.js'
import { setupStatements, showTable, teardownStatements, type Kind, type TableSpec } from './gen-data.js'

/** Cases per law per engine: 200 by default, `QUARRY_LAW_RUNS` raises it (`--deep` in laws/run.ts sets 10,000). */
export const RUNS = Number(process.env['QUARRY_LAW_RUNS'] ?? 200)

/** The fixed seed of every law (so a failure reproduces); `QUARRY_LAW_SEED` changes it. */
export const SEED = Number(process.env['QUARRY_LAW_SEED'] ?? 20261125)

/**
 * fast-check parameters: fixed seed, the run count, and the seed printed
 * with any failure. `shrink: false` (for laws on real engines, where each
 * try costs round trips) reports the first failing case as found.
 */
export const params = (o: { readonly runs?: number; readonly shrink?: boolean } = {}): { numRuns: number; seed: number; verbose: number; endOnFailure: boolean } => ({
  numRuns: o.runs ?? RUNS,
  seed: SEED,
  verbose: 1,
  endOnFailure: o.shrink === false,
})

/** Time allowed to one law on one engine (vitest's default is far too short for thousands of cases). */
export const LAW_TIMEOUT = Math.max(600_000, RUNS * 500)

const counts = new Map<string, Map<string, { cases: number; note: Map<string, number> }>>()

/** Count one case of `law` on `engine`; `outcome` (e.g. "compared", "unsupported: full join") is tallied too. */
export const tally = (law: string, engine: string, outcome = 'compared'): void => {
  const byEngine = counts.get(law) ?? new Map()
  counts.set(law, byEngine)
  const c = byEngine.get(engine) ?? { cases: 0, note: new Map<string, number>() }
  byEngine.set(engine, c)
  c.cases++
  c.note.set(outcome, (c.note.get(outcome) ?? 0) + 1)
}

/** The counters as printable lines: law, engine, cases, and the outcomes. */
export const report = (): string[] =>
  [...counts].flatMap(([law, byEngine]) =>
    [...byEngine].map(([engine, c]) => `law ${law} on ${engine}: ${c.cases} cases (${[...c.note].map(([k, n]) => `${k} ${n}`).join(', ')})`),
  )

/** The in-memory engines: the evaluator under each dialect's profile. */
export const memoryProfiles: readonly M.Profile[] = [M.postgresProfile, M.mariadbProfile, M.sqliteProfile]

/** The evaluator profile of each real engine. */
export const profileOf = (e: 'postgresql' | 'mariadb' | 'sqlite'): M.Profile => (e === 'postgresql' ? M.postgresProfile : e === 'mariadb' ? M.mariadbProfile : M.sqliteProfile)

/** Run statements on a fresh in-memory database; the failing statement's error if one fails. */
export const memoryDb = (p: M.Profile, setup: readonly Q.StatementNode[]): M.Database =>
  setup.reduce(
    (db, s) =>
      E.getOrElse((e: M.EvalError): M.Database => {
        throw new Error(`setup failed in memory: ${e.message}`)
      })(E.map((x: M.Executed) => x.db)(M.execute(p)(s)(db))),
    M.emptyDatabase,
  )

/** Round half away from zero to 4 decimal places (how engines disagree least on averages and quotients). */
const round4 = (x: number): number => {
  const r = Math.round(Math.abs(x) * 1e4) / 1e4
  return x < 0 ? -r : r === 0 ? 0 : r
}

/**
 * One value brought to a form every engine agrees on, by kind: integers as
 * numbers (drivers give bigint/decimal results as strings), quotients and
 * averages rounded to 4 places, booleans from 1/0, and — under a PAD SPACE
 * collation (MariaDB), where `'a'` and `'a '` are the same value and an
 * engine may return either — text without trailing spaces.
 */
export const normValue = (kind: Kind, v: unknown, padSpace: boolean): unknown => {
  if (v === null || v === undefined) return null
  switch (kind) {
    case 'int':
      return Number(v)
    case 'float':
      return round4(Number(v))
    case 'bool':
      return typeof v === 'boolean' ? v : Number(v) !== 0
    case 'text':
      return padSpace ? String(v).replace(/ +$/u, '') : String(v)
  }
}

/** Rows as value lists in column order, normalised; sorted unless `ordered` (bag vs. list). */
export const normRows = (rows: readonly Readonly<Record<string, unknown>>[], columns: readonly string[], kinds: readonly Kind[], ordered: boolean, padSpace: boolean): string[] => {
  const out = rows.map((r) => JSON.stringify(columns.map((c, i) => normValue(kinds[i] ?? 'text', r[c], padSpace))))
  return ordered ? out : out.sort()
}

/** A run-time data error (overflow, division by zero, …): the drivers' DataException (SQLSTATE class 22, MySQL's out-of-range errors). */
export const isDataException = (e: unknown): boolean => (e as { _tag?: unknown } | undefined)?._tag === 'DataException'

/**
 * The engine a law's \`describe\` block runs on: opened before its cases
 * (MariaDB's session comparing bound text like the columns, utf8mb4_bin: the
 * client default would make literal-to-literal comparisons case-insensitive),
 * closed after them, when the law's tally for the engine is printed. The
 * answer gives the open database to the cases.
 */
export const lawEngine = (law: string, engine: TestEngine): (() => OpenDb) => {
  let db: OpenDb | undefined
  beforeAll(async () => {
    db = await engine.open()
    if (engine.name === 'mariadb') await db.conn.execute('SET NAMES utf8mb4 COLLATE utf8mb4_bin', [])
  })
  afterAll(async () => {
    await db?.close()
    for (const line of report().filter((l) => l.startsWith(`law ${law} on ${engine.name}`))) console.log(line)
  })
  return () => {
    if (db === undefined) throw new Error(`${engine.name} is not open for the ${law} law`)
    return db
  }
}

/** What one generated statement gave on an engine: Unsupported when compiled, or its result or its failure. */
export type Ran =
  | { readonly kind: 'unsupported'; readonly feature: string }
  | {
      readonly kind: 'ran'
      readonly result: ExecResult | undefined
      readonly failure: unknown
      /** The statements that made and filled the tables (for the evaluator to start from the same data). */
      readonly setup: readonly Q.StatementNode[]
      /** The SQL, its parameters and the data, for a failure's message. */
      readonly where: string
    }

/**
 * Compile `statement` for the engine's dialect and run it on fresh `tables`
 * (dropped and made again, then filled): a law case's work on the engine.
 */
export const runOnEngine = async (db: OpenDb, tables: readonly TableSpec[], statement: Q.StatementNode): Promise<Ran> => {
  const compiled = compile(db.dialect)(statement)
  if (E.isLeft(compiled)) {
    if (compiled.left._tag !== 'Unsupported') throw new Error(`compile failed: ${compiled.left.message}`)
    return { kind: 'unsupported', feature: compiled.left.feature }
  }
  const { sql, params: ps } = compiled.right
  for (const s of teardownStatements) await db.run(s)
  const setup = setupStatements(tables)
  for (const s of setup) await db.run(s)
  const where = `\n${sql}\nparams ${JSON.stringify(ps, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\n${tables.map(showTable).join('\n')}`
  try {
    return { kind: 'ran', result: await db.conn.execute(sql, ps as never), failure: undefined, setup, where }
  } catch (e) {
    return { kind: 'ran', result: undefined, failure: e, setup, where }
  }
}
