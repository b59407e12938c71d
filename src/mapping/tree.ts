/**
 * Self-referential adjacency structures (an employee and the employees who
 * report to them, to any depth) in one statement: a recursive CTE walks
 * from the roots down the relationship, and assembly links every loaded
 * object to its parent by the stated keys. Without a depth the CTE uses
 * UNION (not ALL) with a root flag as its only extra column, so data with
 * a cycle still terminates; with a depth it carries the level and stops
 * there (objects on the last level then have their children unloaded: an
 * empty collection). For level-by-level loading use `load` with nested
 * includes of the same relationship.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../algebra/index.js'
import { compile, type Dialect } from '../interpret/index.js'
import { attach, identityOf, matchKey, newAssembly, slot, valuesOf } from './assemble.js'
import { decoderFor, type Row } from './decoder.js'
import { columnOf, relationOf, type Entity } from './entity.js'
import { planCompileError, type MappingError } from './errors.js'
import type { EntityCols } from './load.js'
import { fail, fetch, fromEither, type LoadPlan, type Rows } from './plan.js'
import type { Relationship } from './relationship.js'
import { fieldsOf } from './select-in.js'

/** An object of `A` with its children under `K`, recursively. */
export type Tree<A, K extends string> = A & { readonly [P in K]: readonly Tree<A, K>[] }

/** Which objects start the trees, and how deep to go. */
export interface TreeOptions<A> {
  readonly roots: (c: EntityCols<A>) => Q.Predicate
  /** Levels below the roots to load (default: all). */
  readonly depth?: number
}

const ROOT = '__qroot'
const DEPTH = '__qdepth'

/**
 * Plan the load of whole trees along a self-referential one-to-many
 * relationship, named by the property that holds the children.
 *
 * @example
 * const plan = loadTree(postgres)(EmployeeE, { reports }, { roots: (c) => isNull(c.ReportsTo) })
 */
export const loadTree =
  (d: Dialect) =>
  <A, const K extends string>(e: Entity<A>, children: { readonly [P in K]: Relationship<A, A, 'many'> }, options: TreeOptions<A>): LoadPlan<readonly Tree<A, K>[]> => {
    const entries = Object.entries(children) as [string, Relationship<A, A, 'many'>][]
    const [entry] = entries
    if (entry === undefined || entries.length !== 1) throw new TypeError('loadTree: give exactly one children relationship')
    const [prop, rel] = entry
    if (rel.parent !== e || rel.child !== e) throw new TypeError(`loadTree: ${prop} must relate ${e.name} to itself`)
    const column = (i: number): string => (e.fields[i] as { column: string }).column
    const limited = options.depth !== undefined
    const base0 = relationOf(e, 't0')
    const extra0: Record<string, Q.Expr<unknown>> = limited ? { [ROOT]: Q.val(1), [DEPTH]: Q.val(0) } : { [ROOT]: Q.val(1) }
    const base = pipe(
      Q.from(base0) as Q.Select<Q.Scope, unknown>,
      Q.where(() => options.roots(base0.c as EntityCols<A>)),
      Q.select(() => ({ ...fieldsOf(base0, e, column), ...extra0 })),
    )
    const cte = Q.recursiveCte(
      'qtree',
      base as Q.Query<Record<string, unknown>>,
      (self) => {
        const step = relationOf(e, 't1')
        const sc = self.c as Q.Cols
        const on = Q.and(...rel.remote.map((p, i) => Q.eq(columnOf(step, e, p), sc[rel.local[i] as string] as Q.Expr<unknown>)))
        const depth = sc[DEPTH] as Q.Expr<number>
        let q = pipe(Q.from(step) as Q.Select<Q.Scope, unknown>, Q.join(self as Q.Relation, () => on))
        if (limited) q = pipe(q, Q.where(() => Q.lt(depth, options.depth as number)))
        const extra: Record<string, Q.Expr<unknown>> = limited ? { [ROOT]: Q.val(0), [DEPTH]: Q.add(depth, 1) } : { [ROOT]: Q.val(0) }
        return pipe(q, Q.select(() => ({ ...fieldsOf(step, e, column), ...extra }))) as Q.Query<Record<string, unknown>>
      },
      { distinct: !limited },
    )
    const cc = cte.c as Q.Cols
    const final = pipe(
      Q.from(cte as Q.Relation) as Q.Select<Q.Scope, unknown>,
      Q.orderBy(() => e.key.map((p) => cc[p] as Q.Expr<unknown>)),
      Q.select(() => ({ ...Object.fromEntries(e.fields.map((f) => [f.prop, cc[f.column] as Q.Expr<unknown>])), [ROOT]: cc[ROOT] as Q.Expr<unknown> })),
    )
    const step = `${e.name}.${prop} (recursive CTE)`
    const c = compile(d)(final)
    if (E.isLeft(c)) return fail(planCompileError(step, c.left))
    const assemble = (rows: Rows): E.Either<MappingError, readonly Tree<A, K>[]> => {
      const a = newAssembly()
      const dec = decoderFor(d.name, e, { labels: e.fields.map((f) => f.prop), optional: false, inits: [{ prop, many: true }] })
      const ids = identityOf(a, e)
      const all: object[] = []
      const roots = new Set<object>()
      for (const row of rows) {
        const o = dec.decode(row as Row, ids)
        if (o === undefined || o === null) return E.left(dec.explain(row as Row))
        if (all[all.length - 1] !== o) all.push(o)
        const flag = (row as Row)[ROOT]
        if (flag === 1 || flag === '1' || flag === true || flag === 1n) roots.add(o)
      }
      const byLocal = new Map<unknown, object>()
      for (const o of all) byLocal.set(matchKey(valuesOf(o, rel.local)), o)
      const key = slot(rel, prop)
      for (const o of all) {
        const parent = byLocal.get(matchKey(valuesOf(o, rel.remote)))
        if (parent !== undefined) attach(a, 'unique', key, prop, parent, o)
      }
      return E.right(all.filter((o) => roots.has(o)) as unknown as readonly Tree<A, K>[])
    }
    return fetch(step, [c.right], ([rows]) => fromEither(assemble(rows ?? [])))
  }
