/**
 * A dialect is a record of small functions and capability flags over the
 * one shared lowering and printer. Everything that differs between
 * PostgreSQL, MySQL/MariaDB and SQLite lives in such a record; no code
 * elsewhere asks which dialect it is printing for.
 */
import type { BuiltinFn, DataType, DatePart } from '../algebra/index.js'
import type { Encoded } from './encode.js'
import type { SqlExpr } from './sql-tree.js'

/** The dialects (MySQL comes in two profiles). */
export type DialectName = 'postgres' | 'mariadb' | 'mysql8' | 'sqlite'

/** What a dialect can express. A missing capability gives an Unsupported error. */
export interface Capabilities {
  readonly rightJoin: boolean
  readonly fullJoin: boolean
  readonly lateral: boolean
  readonly distinctOn: boolean
  readonly returning: { readonly insert: boolean; readonly update: boolean; readonly delete: boolean }
  readonly intersect: boolean
  readonly except: boolean
  /** Refer to an output column by position in GROUP BY / ORDER BY when the expression with parameters equals it. */
  readonly groupByPosition: boolean
  /** LIMIT inside an `IN (subquery)` (MySQL refuses it; a derived table around the subquery is the same). */
  readonly limitInInSubquery: boolean
  /** INTERSECT ALL / EXCEPT ALL. */
  readonly setOpAll: boolean
  /** NULLS FIRST / NULLS LAST in ORDER BY (else emulated with an IS NULL key). */
  readonly nullsOrder: boolean
  /** How integer operands divide: `/` truncates on PostgreSQL and SQLite; MySQL's `/` gives a decimal, `DIV` truncates. */
  readonly integerDivision: '/' | 'DIV'
  /** LAG / LEAD with a third, default-value argument. */
  readonly lagDefault: boolean
  /** `agg(...) FILTER (WHERE ...)` (else a CASE inside the aggregate). */
  readonly aggregateFilter: boolean
  /** ILIKE (else LOWER(a) LIKE LOWER(b)). */
  readonly ilike: boolean
  /** How null-safe comparison is spelled. */
  readonly distinctFrom: 'is-distinct-from' | 'null-safe-equal' | 'is'
  /** Row lock spellings; undefined when the dialect has no row locks. */
  readonly locks: { readonly update: string; readonly share: string; readonly of: boolean; readonly nowait: boolean; readonly skipLocked: boolean } | undefined
  readonly upsert: 'on-conflict' | 'on-duplicate-key'
  /**
   * How an upsert names the proposed row: `EXCLUDED.col`, MariaDB's `VALUES(col)`,
   * or MySQL 8's row alias (`VALUES (...) AS excluded`; its `VALUES()` is deprecated).
   */
  readonly proposedRow: 'excluded' | 'values-function' | 'row-alias'
  /** WHERE on ON CONFLICT DO UPDATE. */
  readonly upsertWhere: boolean
  /** UPDATE ... FROM (`from`), MySQL's multi-table UPDATE (`multi-table`). */
  readonly updateFrom: 'from' | 'multi-table' | false
  /** DELETE ... USING (`using`), MySQL's multi-table DELETE (`multi-table`). */
  readonly deleteUsing: 'using' | 'multi-table' | false
  /** `DEFAULT` as a value in a multi-row VALUES list. */
  readonly defaultInValues: boolean
  /** WITH before UPDATE / DELETE / INSERT. */
  readonly cteInMutations: boolean
  readonly partialIndex: boolean
  /** ON DELETE / ON UPDATE SET DEFAULT (InnoDB parses it but rejects the table). */
  readonly fkSetDefault: boolean
  /** Unbounded text, JSON or bytes columns in a key or index (MySQL needs a prefix length there). */
  readonly unboundedKeyColumns: boolean
  readonly createIndexIfNotExists: boolean
  readonly dropIndexIfExists: boolean
  /** Whether DROP INDEX names the table (`DROP INDEX i ON t`). */
  readonly dropIndexOnTable: boolean
  /**
   * Cast typed parameters where nothing around them gives a type: in a select
   * list, as CASE results, as function arguments, or when every operand is a
   * parameter (PostgreSQL would guess text, double or fail).
   */
  readonly castBareParams: boolean
}

/** The record that makes the shared printer speak one dialect. */
export interface Dialect {
  readonly name: DialectName
  readonly capabilities: Capabilities
  /** Quote an identifier (the printer has already checked it is valid). */
  readonly quoteIdent: (name: string) => string
  /** What makes a (non-empty, NUL-free) identifier unusable on this dialect, if anything. */
  readonly identifierProblem: (name: string) => string | undefined
  /** Identifier length limit, or undefined when there is none. */
  readonly identifierLimit: { readonly max: number; readonly unit: 'bytes' | 'characters' } | undefined
  /** The placeholder for the i-th (1-based) parameter. */
  readonly placeholder: (i: number) => string
  /** Finds placeholder syntax in hand-written SQL (outside quotes), which would break parameter numbering. */
  readonly placeholderInText: RegExp
  /** TRUE / FALSE as SQL text. */
  readonly booleanLiteral: (b: boolean) => string
  /** Column type in DDL. */
  readonly columnType: (t: DataType, column: string) => string
  /** Target type of CAST. */
  readonly castType: (t: DataType) => string
  /** A literal for DDL (defaults, checks), where bind parameters cannot go; undefined if not representable. */
  readonly literal: (v: unknown) => string | undefined
  /** Name of a built-in function. */
  readonly builtin: (fn: BuiltinFn) => string
  /** Null-propagating string concatenation. */
  readonly concat: (args: readonly SqlExpr[]) => SqlExpr
  /** A date part of a date/time value as an integer. */
  readonly extract: (part: DatePart, arg: SqlExpr) => SqlExpr
  /** What LIMIT to print when only OFFSET is given (undefined: no LIMIT needed). */
  readonly limitAll: string | undefined
  /** What follows `INSERT INTO t` when every column takes its default; undefined when `rows` such rows cannot be written. */
  readonly insertDefaults: (rows: number) => string | undefined
  /** DDL making a column database-generated; `inlinePrimaryKey` when it must be the column's inline PRIMARY KEY. */
  readonly autoIncrement: { readonly text: string; readonly inlinePrimaryKey: boolean }
  /** Encode a bound value for the driver: the value to bind, or an `EncodeFailure` saying why not. */
  readonly encode: (v: unknown, t: DataType | undefined) => Encoded
}

/** A dialect with some capabilities changed (e.g. a newer MySQL 8 that has INTERSECT). */
export const withCapabilities = (d: Dialect, changes: Partial<Capabilities>): Dialect =>
  Object.freeze({ ...d, capabilities: Object.freeze({ ...d.capabilities, ...changes }) })
