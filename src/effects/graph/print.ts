/**
 * A plan as readable numbered steps: what each statement does, for which
 * nodes, what it produces, then its SQL and parameters (a reference to a
 * key written by an earlier step shows as `<node.column>`).
 */
import { ddlWords } from './ddl.js'
import type { Plan, Step } from './plan.js'
import { isKeySlot, type Slot } from './sql.js'

const showValue = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v)
  if (v instanceof Date) return v.toISOString()
  if (v instanceof Uint8Array) return `<bytes(${v.byteLength})>`
  if (typeof v === 'bigint') return `${v}n`
  return String(v)
}

const showSlot = (s: Slot): string => (isKeySlot(s) ? `<${s.node}.${s.column}>` : showValue(s))

/** A step's nodes: the first keys, then how many more; rows saved without a key (see `saveRow`) counted. */
const nodes = (all: readonly (string | undefined)[]): string => {
  const ns = all.filter((n): n is string => n !== undefined)
  const named = ns.length <= 6 ? ns.join(', ') : `${ns.slice(0, 5).join(', ')}, … ${ns.length - 5} more`
  const unnamed = all.length - ns.length
  return unnamed === 0 ? named : `${named}${named === '' ? '' : ', '}${unnamed} saved by primary key`
}

/** One line saying what a step does and produces. */
export const describeStep = (s: Step): string => {
  switch (s._tag) {
    case 'ReadIncrement':
      return 'read @@auto_increment_increment → the step between consecutive generated ids'
    case 'Schema':
      return `schema change [${s.nodes.join(', ')}]: ${ddlWords(s.statement)}`
    case 'Insert':
      return `insert ${s.nodes.length} ${s.table} row(s) [${nodes(s.nodes)}]${s.generated === undefined ? '' : ` → generated ${s.table}.${s.generated.column} by ${s.generated.strategy === 'returning' ? 'RETURNING, matched by insertion order' : s.generated.strategy === 'first-insert-id' ? 'first insertId + consecutive' : 'last insert rowid − consecutive'}`}`
    case 'Update':
      return `${s.post ? 'post-update (closes a reference cycle)' : 'update'} ${s.nodes.length} ${s.table} row(s) [${nodes(s.nodes)}] setting ${s.columns.join(', ')}${s.check === undefined ? '' : ` if ${s.check.version} unchanged`}`
    case 'Delete':
      return s.cascade === undefined
        ? `delete ${s.nodes.length} ${s.table} row(s) [${nodes(s.nodes)}]${s.check === undefined ? '' : ` if ${s.check.version} unchanged`}`
        : `delete ${s.table} rows referencing deleted rows (cascade ${s.cascade}) for [${nodes(s.nodes)}]`
  }
}

/**
 * Print a plan as numbered steps.
 *
 * @example
 * console.log(printPlan(p))
 * // 1. insert 1 users row(s) [ada] → generated users.id by RETURNING, matched by insertion order
 * //    WITH "quarry_v" ("name", "quarry_ord") AS (VALUES (CAST($1 AS TEXT), CAST($2 AS INTEGER))) INSERT INTO "users" ("name") SELECT "name" FROM "quarry_v" ORDER BY "quarry_ord" RETURNING "id"
 * //    params: ["ada", 0]
 */
export const printPlan = (p: Plan, options: { readonly maxParams?: number } = {}): string => {
  const max = options.maxParams ?? 12
  const lines = [`plan for ${p.dialect}: ${p.steps.length} statement(s)`]
  p.steps.forEach((s, i) => {
    lines.push(`${i + 1}. ${describeStep(s)}`)
    const check = s._tag === 'Update' || s._tag === 'Delete' ? s.check : undefined
    if (check?.mode === 'lock-first') lines.push(`   first, lock and check versions: ${check.probe.sql}`)
    lines.push(`   ${s.sql}`)
    const shown = (ps: readonly Slot[]): string => `[${ps.slice(0, max).map(showSlot).join(', ')}${ps.length > max ? `, … ${ps.length - max} more` : ''}]`
    if (s.params.length > 0) lines.push(`   params: ${shown(s.params)}`)
  })
  return lines.join('\n')
}
