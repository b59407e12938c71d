/**
 * The order in which a schema's tables can be created, and which foreign
 * keys must wait for ALTER TABLE: the way SQLAlchemy handles `use_alter`.
 * A key marked `useAlter: true` always waits; the keys between the tables
 * of a foreign-key cycle (a strongly connected component of the table
 * graph, self-references aside) wait unless marked `useAlter: false`; the
 * other tables follow their references. The result depends only on the
 * schema and the order the tables were given, never on chance.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MetaData, MetaDataError } from './metadata.js'
import type { AnyTable, ForeignKey } from './table.js'

/** A foreign key added after every table exists. */
export interface LaterForeignKey {
  readonly table: AnyTable
  readonly foreignKey: ForeignKey
}

/** Tables in creation order, and the foreign keys left for ALTER TABLE (in table order, then declaration order). */
export interface FkPlan {
  readonly tables: readonly AnyTable[]
  readonly later: readonly LaterForeignKey[]
}

interface Edge {
  readonly from: string
  readonly to: string
  readonly table: AnyTable
  readonly foreignKey: ForeignKey
}

/** Tarjan's strongly connected components: for each table, the id of its component and the component's size. */
const components = (names: readonly string[], edges: readonly Edge[]): ReadonlyMap<string, { readonly id: number; readonly size: number }> => {
  const out = new Map<string, number>()
  const next = new Map<string, string[]>(names.map((n) => [n, []]))
  for (const e of edges) next.get(e.from)?.push(e.to)
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  let counter = 0
  let id = 0
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number))
    }
    if (low.get(v) === index.get(v)) {
      for (;;) {
        const w = stack.pop() as string
        onStack.delete(w)
        out.set(w, id)
        if (w === v) break
      }
      id++
    }
  }
  for (const n of names) if (!index.has(n)) visit(n)
  const sizes = new Map<number, number>()
  for (const c of out.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1)
  return new Map([...out].map(([n, c]) => [n, { id: c, size: sizes.get(c) ?? 1 }]))
}

/** The tables in an order where each follows the tables it depends on through `edges` (ties keep the given order). */
const topological = (md: MetaData, edges: readonly Edge[]): E.Either<MetaDataError, readonly AnyTable[]> => {
  const deps = new Map<string, string[]>()
  for (const e of edges) deps.set(e.from, [...(deps.get(e.from) ?? []), e.to])
  const done = new Set<string>()
  const out: AnyTable[] = []
  const visiting: string[] = []
  const visit = (name: string): MetaDataError | undefined => {
    if (done.has(name)) return undefined
    const at = visiting.indexOf(name)
    if (at >= 0) {
      const cycle = [...visiting.slice(at), name]
      return {
        _tag: 'FkCycle',
        tables: cycle,
        message: `foreign keys marked useAlter: false form a cycle: ${cycle.join(' -> ')} (let one of them be added by ALTER TABLE)`,
      }
    }
    visiting.push(name)
    for (const d of deps.get(name) ?? []) {
      const err = visit(d)
      if (err !== undefined) return err
    }
    visiting.pop()
    done.add(name)
    out.push(md.tables.get(name) as AnyTable)
    return undefined
  }
  for (const name of md.tables.keys()) {
    const err = visit(name)
    if (err !== undefined) return E.left(err)
  }
  return E.right(Object.freeze(out))
}

/**
 * The creation order of a metadata's tables and the foreign keys that must
 * be added afterwards. A reference to a table outside the metadata, or a
 * cycle made only of keys marked `useAlter: false`, is an error value.
 *
 * @example
 * const p = fkPlan(metadata([users, posts])) // users.best_post_id ↔ posts.author_id
 * // Right({ tables: [users, posts], later: [users.best_post_id, posts.author_id] })
 */
export const fkPlan = (md: MetaData): E.Either<MetaDataError, FkPlan> => {
  for (const [name, deps] of md.dependsOn) {
    for (const d of deps)
      if (!md.tables.has(d))
        return E.left({ _tag: 'UnknownTable', table: d, referencedBy: name, message: `table "${name}" references "${d}", which is not in the metadata` })
  }
  const edges: Edge[] = []
  const marked = new Set<ForeignKey>()
  for (const t of md.tables.values()) {
    for (const f of t.foreignKeys) {
      if (f.useAlter === true) marked.add(f)
      else if (f.references().name !== t.name) edges.push({ from: t.name, to: f.references().name, table: t, foreignKey: f })
    }
  }
  const comp = components([...md.tables.keys()], edges)
  const cyclic = (e: Edge): boolean => {
    const a = comp.get(e.from)
    const b = comp.get(e.to)
    return a !== undefined && b !== undefined && a.id === b.id && a.size > 1
  }
  for (const e of edges) if (e.foreignKey.useAlter === undefined && cyclic(e)) marked.add(e.foreignKey)
  return E.map((tables: readonly AnyTable[]) => {
    const later = tables.flatMap((t) => t.foreignKeys.filter((f) => marked.has(f)).map((foreignKey) => Object.freeze({ table: t, foreignKey })))
    return Object.freeze({ tables, later: Object.freeze(later) })
  })(topological(md, edges.filter((e) => !marked.has(e.foreignKey))))
}
