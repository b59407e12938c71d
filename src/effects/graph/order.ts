/**
 * Ordering new rows so that no foreign key is ever violated: a row comes
 * after every new row it references. Rows are grouped into levels (Kahn's
 * algorithm, level by level) so that each level can be written with one
 * multi-row insert per table and column set. A cycle of references is
 * broken by a post-update: one reference whose column is nullable is
 * inserted as NULL and set by an UPDATE once both rows exist. A cycle made
 * only of NOT NULL columns cannot be written and is a problem.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GraphProblem } from './errors.js'
import { isRef } from './graph.js'
import type { CheckedInsert } from './validate.js'

/** A reference written later by an UPDATE (inserted as NULL). */
export interface Deferred {
  readonly node: string
  readonly column: string
}

/** New rows by level (level n only references rows of levels < n) and the references deferred to post-updates. */
export interface InsertOrder {
  readonly levels: readonly (readonly CheckedInsert[])[]
  readonly deferred: readonly Deferred[]
}

interface Edge {
  readonly from: number
  readonly to: number
  readonly column: string
  readonly nullable: boolean
  deferred: boolean
}

/**
 * Order the inserts of a checked graph (`insertOf`: its insert named by a key).
 *
 * @example
 * const order = orderInserts(checked.inserts, checked.insertOf) // E.right({ levels, deferred })
 */
export const orderInserts = (inserts: readonly CheckedInsert[], insertOf: (key: string) => CheckedInsert | undefined): E.Either<GraphProblem, InsertOrder> => {
  // A graph of unrelated rows (a bulk insert) is one level.
  if (!inserts.some((x) => x.refs)) return E.right({ levels: inserts.length === 0 ? [] : [inserts], deferred: [] })
  const n = inserts.length
  // Most rows reference one or two others and are referenced by few: edge lists are made on demand.
  const incoming: (Edge[] | undefined)[] = new Array(n)
  const outgoing: (Edge[] | undefined)[] = new Array(n)
  const indeg = new Int32Array(n)
  const strict = new Int32Array(n) // incoming NOT NULL edges from rows not yet placed
  inserts.forEach((x, to) => {
    if (!x.refs) return
    for (const column in x.values) {
      const v = x.values[column]
      if (!isRef(v)) continue
      const from = insertOf(v.node)?.index
      if (from === undefined) continue // a reference to an updated (existing) row needs no order
      const nullable = x.node.table.columns[column]?.spec.nullable === true
      const e: Edge = { from, to, column, nullable, deferred: false }
      ;(incoming[to] ??= []).push(e)
      ;(outgoing[from] ??= []).push(e)
      indeg[to]!++
      if (!nullable) strict[to]!++
    }
  })
  const placed = new Uint8Array(n)
  const levels: CheckedInsert[][] = []
  const deferred: Deferred[] = []
  let current: number[] = []
  for (let i = 0; i < n; i++) if (indeg[i] === 0) current.push(i)
  let done = 0
  while (done < n) {
    if (current.length === 0) {
      // Stuck on a cycle: take the first unplaced row whose remaining references are all nullable, and defer them.
      let pick = -1
      for (let i = 0; i < n && pick < 0; i++) if (placed[i] === 0 && strict[i] === 0) pick = i
      if (pick < 0) {
        const nodes = inserts.filter((_, i) => placed[i] === 0).map((x) => x.node.key)
        return E.left({
          _tag: 'UnbreakableCycle',
          nodes,
          message: `new rows reference each other in a cycle of NOT NULL columns, which no order of inserts can satisfy: ${nodes.slice(0, 10).join(', ')}`,
        })
      }
      for (const e of incoming[pick] ?? []) {
        if (placed[e.from] === 1 || e.deferred) continue
        e.deferred = true
        indeg[pick]!--
        deferred.push({ node: inserts[pick]!.node.key, column: e.column })
      }
      current = [pick]
    }
    const level: CheckedInsert[] = []
    const next: number[] = []
    for (const i of current) {
      placed[i] = 1
      done++
      level.push(inserts[i]!)
    }
    for (const i of current)
      for (const e of outgoing[i] ?? []) {
        if (e.deferred) continue
        if (!e.nullable) strict[e.to]!--
        if (--indeg[e.to]! === 0) next.push(e.to)
      }
    levels.push(level)
    current = next.sort((a, b) => a - b)
  }
  return E.right({ levels, deferred })
}
