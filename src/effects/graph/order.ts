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
import type { AnyTable } from '../../algebra/schema/table.js'
import type { GraphProblem } from './errors.js'
import type { CheckedInserts, RefEdges } from './validate.js'

/** A reference written later by an UPDATE (inserted as NULL). */
export interface Deferred {
  readonly node: string
  readonly column: string
}

/** New rows (positions among the inserts) by level (level n only references rows of levels < n) and the references deferred to post-updates. */
export interface InsertOrder {
  readonly levels: readonly (readonly number[])[]
  readonly deferred: readonly Deferred[]
}

/**
 * The references between new rows as flat arrays (edge e: row `from[e]` must be written before row
 * `to[e]`, through `column[e]`), with each row's incoming and outgoing edges as ranges of one
 * index array each (compressed adjacency): a 200 × 10 × 3 graph has 8,000 references, and an
 * object per edge and a list per row were a third of ordering it.
 */
interface Edges {
  readonly from: readonly number[]
  readonly to: readonly number[]
  readonly column: readonly string[]
  readonly nullable: Uint8Array
  readonly deferred: Uint8Array
  /** Row i's incoming edges are `inEdges[inStart[i] .. inStart[i + 1])`; likewise outgoing. */
  readonly inStart: Int32Array
  readonly inEdges: Int32Array
  readonly outStart: Int32Array
  readonly outEdges: Int32Array
}

/** Row i's edges of one direction, as ranges of `list` starting at `start[i]`. */
const adjacency = (n: number, ends: readonly number[]): { readonly start: Int32Array; readonly list: Int32Array } => {
  const start = new Int32Array(n + 1)
  for (const x of ends) start[x + 1]!++
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!
  const fill = start.slice(0, n)
  const list = new Int32Array(ends.length)
  for (let e = 0; e < ends.length; e++) list[fill[ends[e]!]!++] = e
  return { start, list }
}

const edgesOf = (inserts: CheckedInserts, refs: RefEdges): Edges => {
  const { from, to, column } = refs
  const nullable = new Uint8Array(from.length)
  // Edges come in runs of one table and column (a post's comments): the column's spec is read once a run.
  let table: AnyTable | undefined
  let name = ''
  let last = 0
  for (let e = 0; e < from.length; e++) {
    const t = inserts.nodes[to[e]!]!.table
    const c = column[e]!
    if (t !== table || c !== name) {
      table = t
      name = c
      last = t.columns[c]?.spec.nullable === true ? 1 : 0
    }
    nullable[e] = last
  }
  const incoming = adjacency(inserts.length, to)
  const outgoing = adjacency(inserts.length, from)
  return {
    from,
    to,
    column,
    nullable,
    deferred: new Uint8Array(from.length),
    inStart: incoming.start,
    inEdges: incoming.list,
    outStart: outgoing.start,
    outEdges: outgoing.list,
  }
}

/**
 * 0 … n − 1 (a loop: `Array.from` with a function was a tenth of planning a 10,000-row insert).
 *
 * @example
 * positions(3) // [0, 1, 2]
 */
export const positions = (n: number): number[] => {
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) out[i] = i
  return out
}

/**
 * The levels when every reference points back (each row's targets come
 * before it in the graph, as in a graph built parents first): a row's level
 * is one more than the highest of its targets', found in one pass over the
 * edges (they come in row order, so a target's level is final before any
 * row referencing it is reached), and rows are bucketed by level in graph
 * order. These are the levels Kahn's algorithm finds (below) — the longest
 * path to each row — without its adjacency lists; no cycle is possible.
 * Undefined when some reference points forward.
 */
const backwardLevels = (n: number, refs: RefEdges): number[][] | undefined => {
  const { from, to } = refs
  const level = new Int32Array(n)
  let top = 0
  for (let e = 0; e < from.length; e++) {
    const f = from[e]!
    const t = to[e]!
    if (f >= t) return undefined
    const l = level[f]! + 1
    if (l > level[t]!) {
      level[t] = l
      if (l > top) top = l
    }
  }
  const fill = new Int32Array(top + 1)
  for (let i = 0; i < n; i++) fill[level[i]!]!++
  const levels = new Array<number[]>(top + 1)
  for (let l = 0; l <= top; l++) {
    levels[l] = new Array<number>(fill[l]!)
    fill[l] = 0
  }
  for (let i = 0; i < n; i++) {
    const l = level[i]!
    levels[l]![fill[l]!++] = i
  }
  return levels
}

/**
 * Order the inserts of a checked graph by the references between them.
 *
 * @example
 * const order = orderInserts(checked.inserts, checked.edges) // E.right({ levels, deferred })
 */
export const orderInserts = (inserts: CheckedInserts, refs: RefEdges): E.Either<GraphProblem, InsertOrder> => {
  const n = inserts.length
  // A graph of unrelated new rows (a bulk insert) is one level.
  if (refs.from.length === 0) return E.right({ levels: n === 0 ? [] : [positions(n)], deferred: [] })
  const back = backwardLevels(n, refs)
  return back !== undefined ? E.right({ levels: back, deferred: [] }) : kahnOrder(inserts, refs)
}

/**
 * Kahn's algorithm, level by level, breaking cycles by post-updates: the
 * general case of {@link orderInserts} (exported for the test that its
 * shortcut for backward references finds the same levels).
 */
export const kahnOrder = (inserts: CheckedInserts, refs: RefEdges): E.Either<GraphProblem, InsertOrder> => {
  const n = inserts.length
  const g = edgesOf(inserts, refs)
  const indeg = new Int32Array(n)
  const strict = new Int32Array(n) // incoming NOT NULL edges from rows not yet placed
  for (let e = 0; e < g.to.length; e++) {
    indeg[g.to[e]!]!++
    if (g.nullable[e] === 0) strict[g.to[e]!]!++
  }
  const placed = new Uint8Array(n)
  const levels: number[][] = []
  const deferred: Deferred[] = []
  // The rows of the next level are collected here (no row is ready twice), then copied out sorted.
  const ready = new Int32Array(n)
  let m = 0
  for (let i = 0; i < n; i++) if (indeg[i] === 0) ready[m++] = i
  let current: ArrayLike<number> = ready.slice(0, m)
  let done = 0
  while (done < n) {
    if (current.length === 0) {
      // Stuck on a cycle: take the first unplaced row whose remaining references are all nullable, and defer them.
      let pick = -1
      for (let i = 0; i < n && pick < 0; i++) if (placed[i] === 0 && strict[i] === 0) pick = i
      if (pick < 0) {
        const nodes = inserts.nodes.filter((_, i) => placed[i] === 0).map((x) => x.key)
        return E.left({
          _tag: 'UnbreakableCycle',
          nodes,
          message: `new rows reference each other in a cycle of NOT NULL columns, which no order of inserts can satisfy: ${nodes.slice(0, 10).join(', ')}`,
        })
      }
      for (let k = g.inStart[pick]!; k < g.inStart[pick + 1]!; k++) {
        const e = g.inEdges[k]!
        if (placed[g.from[e]!] === 1 || g.deferred[e] === 1) continue
        g.deferred[e] = 1
        indeg[pick]!--
        deferred.push({ node: inserts.nodes[pick]!.key, column: g.column[e]! })
      }
      current = [pick]
    }
    // Sized up front: grown one push at a time, a level's list left as much garbage again.
    const level = new Array<number>(current.length)
    m = 0
    for (let j = 0; j < current.length; j++) {
      const i = current[j]!
      placed[i] = 1
      done++
      level[j] = i
    }
    for (let j = 0; j < current.length; j++) {
      const i = current[j]!
      for (let k = g.outStart[i]!; k < g.outStart[i + 1]!; k++) {
        const e = g.outEdges[k]!
        if (g.deferred[e] === 1) continue
        const to = g.to[e]!
        if (g.nullable[e] === 0) strict[to]!--
        if (--indeg[to]! === 0) ready[m++] = to
      }
    }
    levels.push(level)
    // Graph order within the level; a typed array sorts numbers natively, without a comparator call per step.
    current = ready.slice(0, m).sort()
  }
  return E.right({ levels, deferred })
}
