/** Pieces several dialects share: quoting by doubling, standard literals, CHECK-backed enums. */
import type { DataType } from '../../algebra/index.js'

/** Quote an identifier with `q`, doubling any `q` inside it. */
export const quoteWith =
  (q: string) =>
  (name: string): string =>
    q + name.split(q).join(q + q) + q

/**
 * A DDL literal in standard SQL: finite numbers, bigints, booleans (as
 * given by `bool`), NULL and strings with `'` doubled. Backslashes:
 * `'double'` doubles them (MySQL, where `\` escapes by default; with
 * NO_BACKSLASH_ESCAPES the text changes but stays one literal), `'e-string'`
 * writes strings holding one as PostgreSQL `E'...'` (right whatever
 * standard_conforming_strings says), `'none'` leaves them (SQLite).
 */
export const standardLiteral =
  (bool: (b: boolean) => string, backslash: 'double' | 'e-string' | 'none') =>
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
        if (backslash === 'none' || !s.includes('\\')) return `'${s}'`
        const doubled = s.split('\\').join('\\\\')
        return backslash === 'double' ? `'${doubled}'` : `E'${doubled}'`
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
