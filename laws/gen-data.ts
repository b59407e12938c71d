/**
 * Arbitraries for small schemas and their data: one to three tables, each
 * with an integer column and up to two more (integer or text, nullable or
 * not), and up to six rows with NULLs, duplicates, empty tables, unicode
 * (including characters outside the BMP and trailing spaces) and extreme
 * integers. Text never holds NUL: PostgreSQL cannot store it at all (the
 * hostile-strings tests pin that), so it is data no engine-neutral case has.
 */
import fc from 'fast-check'
import * as Q from '../src/algebra/index.js'

/** The kinds of values the generated queries compute. */
export type Kind = 'int' | 'text' | 'bool' | 'float'

/** A generated column. */
export interface ColSpec {
  readonly name: string
  readonly kind: 'int' | 'text'
  readonly nullable: boolean
}

/** A generated table with its rows (cells in column order). */
export interface TableSpec {
  readonly table: Q.AnyTable
  readonly cols: readonly ColSpec[]
  readonly rows: readonly (readonly (number | string | null)[])[]
}

const INT32_MIN = -2147483648
const INT32_MAX = 2147483647

/** Integers: mostly small (so joins and groups meet), sometimes extreme. */
export const intValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(INT32_MIN, INT32_MAX, 1_000_000, -65_536) },
  { weight: 1, arbitrary: fc.integer({ min: INT32_MIN, max: INT32_MAX }) },
)

/** Texts: a small alphabet that collides on case, accents and trailing spaces, plus arbitrary graphemes. */
export const textValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('', 'a', 'A', 'a ', 'b', 'ab', 'é', 'É', 'ß', '😀', '%', '_', ' ', 'a%') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }).filter((s) => !s.includes('\u0000')) },
)

const colArb = (i: number): fc.Arbitrary<ColSpec> =>
  fc.record({ kind: i === 0 ? fc.constant('int' as const) : fc.constantFrom('int' as const, 'text' as const), nullable: fc.boolean() }).map((c) => ({ name: `c${i}`, ...c }))

const cell = (c: ColSpec): fc.Arbitrary<number | string | null> => {
  const v: fc.Arbitrary<number | string> = c.kind === 'int' ? intValue : textValue
  return c.nullable ? fc.oneof({ weight: 4, arbitrary: v }, { weight: 1, arbitrary: fc.constant(null) }) : v
}

const tableArb = (i: number): fc.Arbitrary<TableSpec> =>
  fc
    .integer({ min: 1, max: 3 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, j) => colArb(j))))
    .chain((cols) =>
      fc.array(fc.tuple(...cols.map(cell)), { maxLength: 6 }).map((rows) => {
        const defs: Record<string, Q.AnyColumnDef> = {}
        for (const c of cols) {
          const base = c.kind === 'int' ? Q.integer() : Q.varchar(20)
          defs[c.name] = (c.nullable ? base : base.notNull()) as Q.AnyColumnDef
        }
        const spec = { table: Q.table(`t${i}`, defs) as Q.AnyTable, cols, rows }
        // fast-check prints a counterexample with this: the schema and rows, not the table value's internals.
        return Object.assign(spec, { [fc.toStringMethod]: () => showTable(spec) })
      }),
    )

/** A table's schema and rows in one line. */
export const showTable = (t: TableSpec): string =>
  `${t.table.name}(${t.cols.map((c) => `${c.name} ${c.kind}${c.nullable ? '' : ' not null'}`).join(', ')}) = ${JSON.stringify(t.rows)}`

/** One to three tables named t0, t1, t2 with data. */
export const schemaArb: fc.Arbitrary<readonly TableSpec[]> = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => tableArb(i))))

/** The statements that create and fill the tables. */
export const setupStatements = (tables: readonly TableSpec[]): Q.StatementNode[] =>
  tables.flatMap((t) => [
    Q.createTable(t.table),
    ...(t.rows.length === 0
      ? []
      : [Q.insert(t.table, t.rows.map((r) => Object.fromEntries(t.cols.map((c, i) => [c.name, r[i] ?? null]))) as never)]),
  ])

const dummy = (name: string): Q.AnyTable => Q.table(name, { c0: Q.integer() }) as Q.AnyTable

/** DROP TABLE IF EXISTS for every table a case may have created. */
export const teardownStatements: readonly Q.StatementNode[] = ['t2', 't1', 't0'].map((n) => Q.dropTable(dummy(n), { ifExists: true }))
