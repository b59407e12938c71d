/**
 * What an expression is evaluated against: the current row (one record per
 * source alias), the enclosing query's environment for correlated
 * references, the rows of the current group (for aggregates), the window
 * values of the current row, and the statement-wide context (profile,
 * database, parameters, evaluated CTEs).
 */
import type { CteDef, ExprNode } from '../../algebra/index.js'
import { invalidReference } from './errors.js'
import type { Profile } from './profile.js'
import type { SqlValue } from './values.js'

/** One row of one source: column name → value. */
export type Rec = Readonly<Record<string, SqlValue>>

/** The current row of a FROM clause: source alias → that source's row. */
export type Frame = Readonly<Record<string, Rec>>

/** A query result: column names and rows as value lists in column order. */
export interface Result {
  readonly columns: readonly string[]
  readonly rows: readonly (readonly SqlValue[])[]
}

/** A stored table's rows, as the evaluator reads them. */
export interface TableSource {
  readonly columns: readonly string[]
  readonly rows: readonly Rec[]
}

/** Statement-wide evaluation context. */
export interface Ctx {
  readonly profile: Profile
  /** The rows of a stored table by name (undefined: no such table). */
  readonly table: (name: string) => TableSource | undefined
  /** Values of named parameters. */
  readonly args: Readonly<Record<string, unknown>>
  /** Memo of evaluated CTEs, by definition (a CTE is evaluated once per statement). */
  readonly ctes: Map<CteDef, Result>
  /** The working table of each recursive CTE being evaluated, by name. */
  readonly recursive: Map<string, Result>
}

/** The environment of one expression evaluation. */
export interface Env {
  readonly frame: Frame
  readonly outer: Env | undefined
  /** The rows of the current group, when aggregates are being evaluated. */
  readonly group: readonly Frame[] | undefined
  /** Aggregate values of the current group, computed for every group before HAVING (as engines do), by `Agg` node. */
  readonly aggregates: ReadonlyMap<ExprNode, SqlValue> | undefined
  /** Window function values of the current row, by `Over` node. */
  readonly windows: ReadonlyMap<ExprNode, SqlValue> | undefined
  readonly ctx: Ctx
}

/** An environment for a row of a query nested in `outer` (or a top-level one). */
export const rowEnv = (ctx: Ctx, outer: Env | undefined, frame: Frame): Env => ({ frame, outer, group: undefined, aggregates: undefined, windows: undefined, ctx })

/** The value of `source.name`, looked up from the innermost query outwards (correlation). */
export const lookup = (env: Env, source: string, name: string): SqlValue => {
  for (let e: Env | undefined = env; e !== undefined; e = e.outer) {
    const r = e.frame[source]
    if (r !== undefined) {
      if (!(name in r)) return invalidReference(`source "${source}" has no column "${name}"`)
      return r[name] as SqlValue
    }
  }
  return invalidReference(`no source "${source}" in scope for column "${name}"`)
}

/** A row of NULLs for the given columns (the missing side of an outer join). */
export const nullRec = (columns: readonly string[]): Rec => {
  const r: Record<string, SqlValue> = {}
  for (const c of columns) r[c] = null
  return r
}
