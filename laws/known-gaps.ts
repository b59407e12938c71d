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
 * engine bugs (pinned in engine-differences.test.ts, logged in
 * docs/gaps/issue4-interpreter-and-engines.md). The law counts them under the gap's id
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
 * E6: SQLite 3.51.2 applies OFFSET wrongly to a select whose WHERE holds
 * EXISTS over a table of several rows (`SELECT c0 FROM t2 WHERE EXISTS
 * (SELECT 1 FROM t2) LIMIT -1 OFFSET 3` over three rows gives two rows):
 * counted for every SQLite select block with both an OFFSET and an EXISTS.
 *
 * E7: MariaDB 10.11 evaluates `(scalar subquery) IN (correlated subquery)`
 * to true where it is false (`(SELECT SUM(0 - c2) FROM t0) IN (SELECT
 * a.c2 - 1 FROM t0)` with -3 vs {2}): counted for every MariaDB query with
 * an IN subquery whose left side holds a scalar subquery.
 *
 * E8: MariaDB 10.11 keeps the groups of `HAVING COUNT(*) IN (SELECT 0 FROM
 * t0)` (a count of 1 is not in {0}): counted for every MariaDB select block
 * whose HAVING holds an IN subquery over an aggregate.
 *
 * The interpreter gaps Q1–Q5 are fixed (issue 4, session 8: the laws compare
 * those cases again).
 */
export const knownWrongRows = (engine: EngineName, q: Q.StatementNode): string | undefined => {
  // The select blocks whose rows come out: the query's own, or those of an INSERT … SELECT.
  const blocks = (x: Q.StatementNode): Q.SelectNode[] =>
    x._tag === 'Select' ? [x] : x._tag === 'SetOp' ? [...blocks(x.left), ...blocks(x.right)] : x._tag === 'Insert' && x.source.kind === 'query' ? blocks(x.source.query) : []
  if (engine === 'mariadb' && blocks(q).some((b) => b.distinct && (b.groupBy.length > 0 || b.fields.some((f) => hasAggregate(f.expr))))) return 'E4'
  if (engine === 'mariadb' && blocks(q).some((b) => b.distinct && b.offset !== undefined && !b.fields.some((f) => anyNode(f.expr, (n) => n._tag === 'Column')))) return 'E5'
  if (engine === 'mariadb' && anyNode(q, (n) => n._tag === 'InQuery' && anyNode(n['arg'] as object, (m) => m._tag === 'Subquery'))) return 'E7'
  if (engine === 'mariadb' && anyNode(q, (n) => n._tag === 'Select' && n['having'] !== undefined && anyNode(n['having'] as object, (m) => m._tag === 'InQuery' && hasAggregate(m['arg'] as Q.ExprNode)))) return 'E8'
  if (engine === 'sqlite' && anyNode(q, (n) => n._tag === 'Select' && n['offset'] !== undefined && n['where'] !== undefined && anyNode(n['where'] as object, (m) => m._tag === 'Exists'))) return 'E6'
  return undefined
}

/**
 * Data changes whose effect an engine gives differently from the evaluator
 * without an error (laws/mutations.test.ts counts them under the id): the
 * query gaps above where a change's subqueries meet them, and
 *
 * E9: SQLite evaluates a correlated subquery in an UPDATE's SET — and, in
 * some plans, its WHERE — against the rows the statement has already
 * updated (`UPDATE t0 SET c0 = (SELECT MAX(ABS(x.c0)) FROM t0 AS x WHERE
 * x.c0 > t0.c0)` over -3, -1, 0 gives 1, 1, 1 where PostgreSQL, MariaDB and
 * the evaluator read the table as it was: 1, 0, NULL). An uncorrelated
 * subquery sees the table as it was. Counted for every SQLite UPDATE whose
 * SET or WHERE holds a subquery reading the table it updates.
 */
export const knownWrongChange = (engine: EngineName, s: Q.StatementNode): string | undefined => {
  // The query gaps, met in the change's subqueries.
  const inQuery = knownWrongRows(engine, s)
  if (inQuery !== undefined) return inQuery
  if (engine === 'sqlite' && s._tag === 'Update') {
    const target = s.table.name
    const readsTarget = (q: unknown): boolean => anyNode(q as object, (m) => m._tag === 'Table' && m['name'] === target)
    if ([...s.set, s.where].some((a) => a !== undefined && anyNode(a, (n) => (n._tag === 'Subquery' || n._tag === 'Exists' || n._tag === 'InQuery' || n._tag === 'TupleInQuery') && readsTarget(n['query'])))) return 'E9'
  }
  return undefined
}

/**
 * Errors an engine raises in a data change where the evaluator does not:
 *
 * E10: MariaDB's default SQL mode (STRICT_TRANS_TABLES with
 * ERROR_FOR_DIVISION_BY_ZERO) makes a division or modulo by zero an error
 * in an INSERT's values and in an UPDATE's SET and WHERE (a query gives
 * NULL, as the evaluator does; a DELETE's WHERE too; and an UPDATE's WHERE
 * over constants only is folded before the rows are read, without error).
 */
export const knownChangeError = (engine: EngineName, s: Q.StatementNode, failure: unknown): string | undefined =>
  engine === 'mariadb' && (s._tag === 'Update' || s._tag === 'Insert') && /^Division by 0/u.test(String((failure as { message?: unknown }).message)) ? 'E10' : undefined

/**
 * Engines that report a broken constraint as another error:
 *
 * E11: MariaDB reports a NULL written to a NOT NULL column by an aggregate
 * INSERT … SELECT, the NULL coming from a scalar subquery (`INSERT INTO t0
 * (c0, c1) SELECT MIN(c0), (SELECT MIN(x.c0) FROM t0 AS x WHERE x.c1 IS
 * NULL) FROM t0`), as "Data truncated" (1265, a DataException) where the
 * other engines and the evaluator say NOT NULL (MariaDB itself says
 * "cannot be null", 1048, for a plain NULL there).
 */
export const knownConstraintError = (engine: EngineName, s: Q.StatementNode, kind: string, failure: unknown): string | undefined =>
  engine === 'mariadb' && s._tag === 'Insert' && kind === 'not-null' && (failure as { code?: unknown }).code === '1265' ? 'E11' : undefined

