/** Pieces several dialects share: quoting by doubling, standard literals, CHECK-backed enums. */
import type { DataType } from '../../algebra/index.js'

/** Quote an identifier with `q`, doubling any `q` inside it. */
export const quoteWith =
  (q: string) =>
  (name: string): string =>
    q + name.split(q).join(q + q) + q

/**
 * A DDL literal in standard SQL: finite numbers, bigints, booleans (as
 * given by `bool`), NULL and strings with `'` doubled. `backslash` doubles
 * backslashes too (MySQL, where `\` escapes inside strings by default).
 */
export const standardLiteral =
  (bool: (b: boolean) => string, backslash: boolean) =>
  (v: unknown): string | undefined => {
    switch (typeof v) {
      case 'number':
        return Number.isFinite(v) ? String(v) : undefined
      case 'bigint':
        return v.toString()
      case 'boolean':
        return bool(v)
      case 'string': {
        if (v.includes('\u0000')) return undefined
        const s = v.split("'").join("''")
        return `'${backslash ? s.split('\\').join('\\\\') : s}'`
      }
      case 'object':
        return v === null ? 'NULL' : undefined
      default:
        return undefined
    }
  }

/** `TEXT CHECK ("col" IN ('a', 'b'))` for dialects without an inline enum type. */
export const enumAsCheckedText = (t: Extract<DataType, { kind: 'enum' }>, column: string, quote: (s: string) => string, lit: (v: unknown) => string | undefined): string =>
  `TEXT CHECK (${quote(column)} IN (${t.values.map((v) => lit(v) ?? "''").join(', ')}))`
