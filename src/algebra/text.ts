/**
 * The text escape hatch: hand-written SQL with named bind parameters
 * (`:name`) or interpolated values and expressions (`sql` template), usable
 * as an expression, a whole query (`textQuery`) or a derived table
 * (`as(alias)(textQuery(...))`). Values never enter the SQL text.
 */
import type { AnyColumnDef, ColumnType } from './schema/column.js'
import { isExpr, mk, type Expr, type TextPart } from './expr/expr-node.js'
import { isQuery, mkQuery, type Query } from './query/query-node.js'

/** A text fragment: `Text` expression node. */
export type SqlText<T> = Expr<T> & { readonly _tag: 'Text' }

// Finds `:name` outside quotes and comments; `::` (a PostgreSQL cast) is not a parameter.
const parse = (src: string): TextPart[] => {
  const parts: TextPart[] = []
  let buf = ''
  let i = 0
  const n = src.length
  while (i < n) {
    const ch = src[i] as string
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1
      while (j < n && !(src[j] === ch && src[j + 1] !== ch)) j += src[j] === ch ? 2 : 1
      buf += src.slice(i, j + 1)
      i = j + 1
    } else if (ch === '-' && src[i + 1] === '-') {
      const j = src.indexOf('\n', i)
      const end = j === -1 ? n : j
      buf += src.slice(i, end)
      i = end
    } else if (ch === ':' && src[i + 1] === ':') {
      buf += '::'
      i += 2
    } else if (ch === ':' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
      let j = i + 1
      while (j < n && /[A-Za-z0-9_]/.test(src[j] as string)) j++
      if (buf !== '') parts.push({ kind: 'sql', text: buf })
      buf = ''
      parts.push({ kind: 'param', name: src.slice(i + 1, j) })
      i = j
    } else {
      buf += ch
      i++
    }
  }
  if (buf !== '') parts.push({ kind: 'sql', text: buf })
  return parts
}

/**
 * Hand-written SQL as an expression; `:name` marks a named parameter whose
 * value is in `params` or given at compile time.
 *
 * @example
 * rawSql<number>('extract(epoch from :t)', { t: new Date() })
 */
export const rawSql = <T>(source: string, params: Readonly<Record<string, unknown>> = {}): SqlText<T> =>
  mk({ _tag: 'Text', parts: Object.freeze(parse(source).map((p) => Object.freeze(p))), params: Object.freeze({ ...params }) }) as SqlText<T>

/**
 * Tagged template: interpolated expressions are embedded, queries become
 * parenthesised subqueries, any other value becomes a bind parameter.
 *
 * @example
 * sql<boolean>`${users.c.name} ~ ${pattern}`
 */
export const sql = <T = unknown>(strings: TemplateStringsArray, ...args: readonly unknown[]): SqlText<T> => {
  const parts: TextPart[] = []
  strings.forEach((s, i) => {
    if (s !== '') parts.push({ kind: 'sql', text: s })
    if (i < args.length) {
      const a = args[i]
      const e = isExpr(a) ? a : isQuery(a) ? mk({ _tag: 'Subquery', query: a }) : mk({ _tag: 'Value', value: a, type: undefined })
      parts.push({ kind: 'expr', expr: e })
    }
  })
  return mk({ _tag: 'Text', parts: Object.freeze(parts), params: Object.freeze({}) }) as SqlText<T>
}

/** Declared result columns of a text query. */
export type TextColumns = { readonly [name: string]: AnyColumnDef }

/**
 * A hand-written whole query with declared result columns (their types are
 * the row type). Usable anywhere a query is: alone, in `as(...)`, `cte(...)`.
 *
 * @example
 * textQuery(rawSql('select id, name from users where id = :id', { id: 1 }), { id: integer().notNull(), name: text() })
 */
export const textQuery = <C extends TextColumns>(
  t: SqlText<unknown>,
  columns: C,
): Query<{ readonly [K in keyof C]: ColumnType<C[K]> }> =>
  mkQuery({
    _tag: 'TextQuery',
    parts: t.parts,
    params: t.params,
    columns: Object.freeze(Object.entries(columns).map(([name, d]) => Object.freeze({ name, type: d.spec.type }))),
  })
