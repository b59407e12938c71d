/**
 * Splitting one change graph over several engines. Each node goes to the
 * engine its table is bound to (binds) or its shard key chooses (sharding);
 * a node with no engine of its own follows the node it references. A
 * reference that crosses engines (a child on engine B whose parent row is
 * inserted on engine A) cannot be a foreign key, but the parent's generated
 * key must still flow into the child: the parts are ordered so that A is
 * flushed before B, and B's part is planned only once A's keys are known,
 * with those references replaced by the values. Parts that reference each
 * other both ways have no such order and are rejected before anything runs.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Dialect } from '../../interpret/index.js'
import { invalidGraph, type GraphProblem, type InvalidGraph } from '../graph/errors.js'
import { fromNodes, isRef, nodeName, nodeWords, type Cells, type ChangeGraph, type ChangeNode, type Ref } from '../graph/graph.js'
import { planChecked, type Planned } from '../graph/plan.js'
import { refColumn } from '../graph/validate.js'
import type { CrossEngineCycle, MultiError, NoShard } from './errors.js'

/** The nodes of a graph that go to one engine. */
export interface Part {
  readonly engine: string
  readonly nodes: readonly ChangeNode[]
}

/** A graph split by engine: parts in an order where every cross-engine reference points to an earlier part. */
export interface Split {
  readonly parts: readonly Part[]
  /** The engine of each node with a key (what references name). */
  readonly home: ReadonlyMap<string, string>
  readonly byKey: ReadonlyMap<string, ChangeNode>
}

/** The engine a node goes to; undefined: the engine of the node it references. */
export type Assign = (node: ChangeNode) => E.Either<MultiError, string | undefined>

/** The cells of a node that may hold references: an insert's values, an update's changes. */
const cellsOf = (n: ChangeNode): Cells | undefined => (n._tag === 'InsertRow' ? n.values : n._tag === 'UpdateRow' ? n.changes : undefined)

const refsOf = (n: ChangeNode): readonly (readonly [string, Ref])[] => {
  const cells = cellsOf(n)
  if (cells === undefined) return []
  const out: (readonly [string, Ref])[] = []
  for (const c in cells) {
    const v = cells[c]
    if (isRef(v)) out.push([c, v])
  }
  return out
}

const noShard = (n: ChangeNode): NoShard =>
  Object.freeze({
    _tag: 'NoShard',
    node: nodeName(n),
    table: n.table.name,
    message: `${nodeWords(n)} (${n.table.name}): no engine chose it and it references no node of the graph whose engine it could follow`,
  })

const cycle = (engines: readonly string[]): CrossEngineCycle =>
  Object.freeze({
    _tag: 'CrossEngineCycle',
    engines: Object.freeze([...engines]),
    message: `the graph's parts on ${engines.join(', ')} reference each other both ways, so no engine's keys can be known first; split the graph into two commits`,
  })

/**
 * Split a graph by engine. Pure.
 *
 * @example
 * const s = splitGraph(graph, (n) => E.right(n.table.name === 'orders' ? 'mariadb' : 'postgres'))
 */
export const splitGraph = (graph: ChangeGraph, assign: Assign): E.Either<MultiError, Split> => {
  const byKey = new Map<string, ChangeNode>()
  for (const n of graph.nodes) if (n.key !== undefined && !byKey.has(n.key)) byKey.set(n.key, n)
  // By node, not key: a row saved without a key (see `saveRow`) has an engine too.
  const engineOf = new Map<ChangeNode, string>()
  const own = new Map<ChangeNode, string | undefined>()
  for (const n of graph.nodes) {
    const a = assign(n)
    if (E.isLeft(a)) return a
    own.set(n, a.right)
  }
  // Follow references for nodes without an engine of their own; `seen` stops at reference cycles.
  const resolve = (n: ChangeNode, seen: Set<ChangeNode>): string | undefined => {
    const known = engineOf.get(n) ?? own.get(n)
    if (known !== undefined) return known
    seen.add(n)
    for (const [, r] of refsOf(n)) {
      const target = byKey.get(r.node)
      if (target === undefined || seen.has(target)) continue
      const e = resolve(target, seen)
      if (e !== undefined) return e
    }
    return undefined
  }
  for (const n of graph.nodes) {
    const e = resolve(n, new Set())
    if (e === undefined) return E.left(noShard(n))
    engineOf.set(n, e)
  }
  const nodesOf = new Map<string, ChangeNode[]>()
  for (const n of graph.nodes) {
    const e = engineOf.get(n)!
    const list = nodesOf.get(e)
    if (list === undefined) nodesOf.set(e, [n])
    else list.push(n)
  }
  const home = new Map<string, string>()
  for (const n of graph.nodes) if (n.key !== undefined) home.set(n.key, engineOf.get(n)!)
  // Engine dependencies: B after A when a node of B references a node of A.
  const after = new Map<string, Set<string>>([...nodesOf.keys()].map((e) => [e, new Set<string>()]))
  for (const n of graph.nodes)
    for (const [, r] of refsOf(n)) {
      const from = home.get(r.node)
      const to = engineOf.get(n)!
      if (from !== undefined && from !== to) after.get(to)!.add(from)
    }
  const order: string[] = []
  const pending = [...nodesOf.keys()]
  while (pending.length > 0) {
    const i = pending.findIndex((e) => [...after.get(e)!].every((d) => order.includes(d)))
    if (i < 0) return E.left(cycle(pending))
    order.push(pending.splice(i, 1)[0]!)
  }
  return E.right({ parts: order.map((engine) => ({ engine, nodes: nodesOf.get(engine)! })), home, byKey })
}

/** A node with some cells replaced (`undefined` removes a cell). */
const withCells = (n: ChangeNode, cells: Cells): ChangeNode =>
  n._tag === 'InsertRow' ? Object.freeze({ ...n, values: Object.freeze(cells) }) : n._tag === 'UpdateRow' ? Object.freeze({ ...n, changes: Object.freeze(cells) }) : n

/** A part's nodes with each cross-engine reference replaced by `value(ref, column)`; undefined values drop the cell. */
const rewrite = (split: Split, part: Part, value: (r: Ref, target: ChangeNode) => unknown): { nodes: ChangeNode[]; cut: Set<string> } => {
  const cut = new Set<string>()
  const nodes = part.nodes.map((n) => {
    let cells: Record<string, unknown> | undefined
    for (const [c, r] of refsOf(n)) {
      const target = split.byKey.get(r.node)
      if (target === undefined || split.home.get(r.node) === part.engine) continue
      cells ??= { ...cellsOf(n) }
      const v = value(r, target)
      if (v === undefined) delete cells[c]
      else cells[c] = v
      cut.add(`${nodeName(n)}\u0000${c}`)
    }
    return cells === undefined ? n : withCells(n, cells)
  })
  return { nodes, cut }
}

/**
 * Check a part before anything runs: everything `planChecked` checks,
 * except the cells that reference other engines (their values are known
 * only once those engines have flushed).
 *
 * @example
 * checkPart(split, split.parts[1]!, mariadb) // E.right(undefined) when valid
 */
export const checkPart = (split: Split, part: Part, dialect: Dialect): E.Either<InvalidGraph, void> => {
  const { nodes, cut } = rewrite(split, part, () => undefined)
  const p = planChecked(fromNodes(nodes), dialect)
  if (E.isRight(p)) return E.right(undefined)
  const kept: GraphProblem[] = p.left.problems.filter((x) => !(x._tag === 'MissingColumn' && cut.has(`${x.node}\u0000${x.column}`)))
  return kept.length === 0 ? E.right(undefined) : E.left(invalidGraph(kept))
}

/**
 * Plan a part once the engines it references have flushed: `lookup(node, column)` reads their persisted rows.
 *
 * @example
 * planPart(split, part, mariadb, (node, column) => persisted.get(node)?.[column])
 */
export const planPart = (split: Split, part: Part, dialect: Dialect, lookup: (node: string, column: string) => unknown): E.Either<InvalidGraph, Planned> => {
  const { nodes } = rewrite(split, part, (r, target) => lookup(r.node, refColumn(target.table, r) ?? ''))
  return planChecked(fromNodes(nodes), dialect)
}
