/**
 * The state of one compilation: the dialect, the errors found so far (a
 * compile collects errors as values and reports the first; it never throws),
 * and where each bound value sits in the shape walk.
 */
import type { CteDef } from '../algebra/index.js'
import type { Dialect } from './dialect.js'
import { unsupported, type CompileError } from './errors.js'
import { S, type SqlExpr } from './sql-tree.js'

/** Compilation state shared by lowering and printing. */
export interface Ctx {
  readonly d: Dialect
  readonly errors: CompileError[]
  /** Value node (or text parameter part) → its index among the shape walk's values. */
  readonly index: ReadonlyMap<object, number>
  /** CTE definitions to hoist, in dependency order. */
  readonly ctes: readonly CteDef[]
  /** In DDL, values are printed as literals (DDL takes no bind parameters). */
  readonly ddl: boolean
  /** Inside an upsert whose proposed row is aliased (MySQL 8's `VALUES (...) AS alias`): the alias. */
  readonly rowAlias?: string
}

/** Record an error; returns a placeholder so lowering can carry on. */
export const fail = (ctx: Ctx, e: CompileError): SqlExpr => {
  ctx.errors.push(e)
  return S.kw('NULL')
}

/** Require a capability, recording Unsupported when missing. */
export const need = (ctx: Ctx, ok: boolean, feature: string): boolean => {
  if (!ok) ctx.errors.push(unsupported(feature, ctx.d.name))
  return ok
}

/** The same context for DDL (values as literals). */
export const ddlCtx = (ctx: Ctx): Ctx => ({ ...ctx, ddl: true })
