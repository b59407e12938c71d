/**
 * Interpreter gaps the laws meet, recognised by the engine's error so that
 * a law counts them (and prints the count) instead of failing on a bug that
 * is already logged. Each names its write-up in
 * docs/gaps/issue4-interpreter-and-engines.md; when the interpreter is fixed
 * the case is simply compared again, so nothing here can hide a new mismatch.
 */
import type * as Q from '../src/algebra/index.js'
import type { EngineName } from '../test/support/quarry-engines.js'

/** The id of the known gap an engine error shows, if it is one. */
export const knownGap = (engine: EngineName, failure: unknown): string | undefined => {
  const code = typeof failure === 'object' && failure !== null ? (failure as { code?: unknown }).code : undefined
  // Q1: SELECT DISTINCT ... ORDER BY the same expression, printed with fresh placeholders.
  if (engine === 'postgresql' && code === '42P10') return 'Q1'
  // Q2: a typed bind parameter whose type PostgreSQL cannot infer from its context ($1 IS NULL, $1 = $2).
  if (engine === 'postgresql' && (code === '42P18' || code === '42725' || code === '42883' || code === '42P08' || code === '42804')) return 'Q2'
  // Q4: an ORDER BY key that is (or folds to) a constant, e.g. an empty IN list printed as FALSE / 0: an ordinal or an error.
  const message = String((failure as { message?: unknown }).message)
  if (/non-integer constant in ORDER BY|Unknown column '\d+' in 'ORDER BY'|ORDER BY term out of range/u.test(message)) return 'Q4'
  // E1: MariaDB resolves HAVING of a SELECT DISTINCT against the select list only.
  if (engine === 'mariadb' && /Unknown column .* in '(HAVING|IN\/ALL\/ANY)'/u.test(String((failure as { message?: unknown }).message))) return 'E1'
  // E2: PostgreSQL runs FULL JOIN only on merge- or hash-joinable conditions (an equality of columns, roughly).
  if (engine === 'postgresql' && code === '0A000' && /FULL JOIN/u.test(String((failure as { message?: unknown }).message))) return 'E2'
  return undefined
}

/** Does any node reachable from `root` (expressions, subqueries, FROM items) satisfy `p`? */
const anyNode = (root: object, p: (n: { readonly _tag: string } & Record<string, unknown>) => boolean): boolean => {
  const seen = new Set<object>()
  const visit = (x: unknown): boolean => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return false
    seen.add(x)
    if ('_tag' in x && typeof x._tag === 'string' && p(x as never)) return true
    return Object.values(x).some(visit)
  }
  return visit(root)
}

const hasAggregate = (e: Q.ExprNode): boolean => anyNode(e, (n) => n._tag === 'Agg')

/**
 * Queries whose rows an engine gets wrong without an error: confirmed
 * engine bugs (pinned in engine-differences.test.ts) and interpreter bugs
 * (logged in docs/gaps/issue4-interpreter-and-engines.md). The law counts them under the gap's id
 * instead of comparing.
 *
 * E4: MariaDB 10.11 applies SELECT DISTINCT wrongly to grouped rows whose
 * fields are computed from aggregates: `SELECT DISTINCT AVG(ABS(c0)) ...
 * GROUP BY c0` keeps equal averages twice, `SELECT DISTINCT COUNT(*) % ?
 * ... GROUP BY c0` drops distinct counts.
 *
 * E5: MariaDB 10.11 returns a row for SELECT DISTINCT of fields without a
 * column (constants) with an OFFSET past the one distinct row
 * (`SELECT DISTINCT ABS(?) DIV ABS(?) ... ORDER BY ... LIMIT ... OFFSET 1`
 * over three rows gives one row, not none).
 *
 * Q5: `x IN ()` is printed as the constant FALSE (`x NOT IN ()` as TRUE),
 * dropping `x`; when `x` holds an aggregate the query stops being an
 * aggregate query (`SELECT count(*) IN () FROM t` gives one row per row of
 * t instead of one row), on every dialect.
 *
 * Q3: on PostgreSQL a bare integer-typed parameter as the argument of
 * ABS/ROUND is sent untyped, and PostgreSQL resolves it as double
 * precision, so `(a + b) / ABS($1)` divides as floats.
 */
export const knownWrongRows = (engine: EngineName, q: Q.QueryNode): string | undefined => {
  const blocks = (x: Q.QueryNode): Q.SelectNode[] => (x._tag === 'Select' ? [x] : x._tag === 'SetOp' ? [...blocks(x.left), ...blocks(x.right)] : [])
  if (engine === 'mariadb' && blocks(q).some((b) => b.distinct && (b.groupBy.length > 0 || b.fields.some((f) => hasAggregate(f.expr))))) return 'E4'
  if (engine === 'mariadb' && blocks(q).some((b) => b.distinct && b.offset !== undefined && !b.fields.some((f) => anyNode(f.expr, (n) => n._tag === 'Column')))) return 'E5'
  if (anyNode(q, (n) => n._tag === 'InList' && (n['list'] as readonly unknown[]).length === 0 && hasAggregate(n['arg'] as Q.ExprNode))) return 'Q5'
  if (engine === 'postgresql' && anyNode(q, (n) => n._tag === 'Builtin' && (n['fn'] === 'abs' || n['fn'] === 'round') && (n['args'] as Q.ExprNode[])[0]?._tag === 'Value')) return 'Q3'
  return undefined
}
