/**
 * The tables a statement touches: its target, every FROM item, CTE,
 * derived table and subquery (a subquery in a WHERE counts as much as a
 * join). Hand-written SQL text names no table quarry can see; such parts
 * are counted in `text`, for callers that want to refuse or route them.
 *
 * This is a structural walk over the node tree, not a fold with a handler
 * per node kind: the only facts it needs are "a `Table` value is a table"
 * and "a `Text`/`TextQuery` node is opaque", which hold for every node kind
 * the algebra has or will grow, so a new kind of expression or clause can
 * never make it miss a table (a fold would need a new case for each).
 */
import type { StatementNode } from '../../algebra/index.js'
import type { AnyTable } from '../../algebra/schema/table.js'

/** What a statement touches. */
export interface Touched {
  /** Tables by name. */
  readonly tables: ReadonlyMap<string, AnyTable>
  /** Number of hand-written SQL parts (their tables are unknown). */
  readonly text: number
}

/** Fields that hold no part of the statement's tree: scopes (column expressions of sources already walked) and literal values. */
const SKIP = new Set(['scope', 'value'])

/**
 * The tables a statement touches.
 *
 * @example
 * touched(pipe(Q.from(users), Q.join(posts, (s) => Q.eq(s.posts.author_id, s.users.id)))).tables.size // 2
 */
export const touched = (s: StatementNode): Touched => {
  const tables = new Map<string, AnyTable>()
  const seen = new Set<object>()
  let text = 0
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return
    seen.add(x)
    if (Array.isArray(x)) {
      for (const y of x) walk(y)
      return
    }
    const tag = (x as { _tag?: unknown })._tag
    if (tag === 'Table') {
      const t = x as AnyTable
      tables.set(t.name, t)
      return
    }
    if (tag === 'Text' || tag === 'TextQuery') text++
    for (const k of Object.keys(x)) if (!SKIP.has(k)) walk((x as Record<string, unknown>)[k])
  }
  walk(s)
  return { tables, text }
}
