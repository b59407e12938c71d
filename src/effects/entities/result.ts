/**
 * The saved graph: the input's shape rebuilt from what the commit
 * persisted — every object with its columns as stored (generated keys and
 * foreign keys filled in, a bumped version), read back through the same
 * per-dialect loaders a load uses, so a saved graph equals a reload of it.
 * An object reached twice in the input is one object in the output.
 */
import type { Cells, RowsByNode } from '../graph/index.js'
import type { DialectName } from '../../interpret/index.js'
import type { IncludeNode } from '../../mapping/include.js'
import { FAIL, loaderFor } from '../../mapping/loaders.js'
import type { Ctx, Visit } from './collect.js'
import { columnsOf } from './shape.js'

type Obj = Record<string, unknown>

/** The stored row of a visit: the persisted node's, else the snapshot's with the object's own columns over it. */
const storedRow = (v: Visit, rows: RowsByNode): Cells => rows.get(v.node) ?? { ...v.before, ...columnsOf(v.entity, v.obj) }

/** Rebuild the roots of a saved graph. */
export const rebuild = (ctx: Ctx, rows: RowsByNode, d: DialectName, roots: readonly unknown[], nodes: readonly IncludeNode[]): readonly object[] => {
  const memo = new Map<Visit, Map<readonly IncludeNode[], Obj>>()
  const build = (v: Visit, ns: readonly IncludeNode[]): Obj => {
    let byNodes = memo.get(v)
    if (byNodes === undefined) memo.set(v, (byNodes = new Map()))
    const hit = byNodes.get(ns)
    if (hit !== undefined) return hit
    const out: Obj = {}
    byNodes.set(ns, out)
    const row = storedRow(v, rows)
    for (const f of v.entity.fields) {
      const given = v.obj[f.prop]
      if (given !== undefined && !v.set.has(f.column)) {
        out[f.prop] = given
        continue
      }
      const cell = row[f.column]
      if (cell === undefined || cell === null) {
        // A column the insert left out is NULL unless the database has a default for it (then unknown here).
        if (cell === null || f.nullable) out[f.prop] = null
        continue
      }
      const loaded = loaderFor(d, f.type, f.nullable)(cell)
      const value = loaded === FAIL ? cell : loaded
      const decoded = f.custom ? f.codec.decode(value) : undefined
      out[f.prop] = decoded === undefined ? value : decoded._tag === 'Right' ? decoded.right : value
    }
    for (const n of ns) {
      const x = v.obj[n.prop]
      if (x === undefined) continue
      const child = (c: unknown): Obj | null => {
        const cv = typeof c === 'object' && c !== null ? ctx.byObject.get(c) : undefined
        return cv === undefined ? null : build(cv, n.children)
      }
      out[n.prop] = Array.isArray(x) ? Object.freeze(x.map(child).filter((c): c is Obj => c !== null)) : x === null ? null : child(x)
    }
    return out
  }
  const out = roots.flatMap((r) => {
    const v = typeof r === 'object' && r !== null ? ctx.byObject.get(r) : undefined
    return v === undefined ? [] : [build(v, nodes)]
  })
  for (const m of memo.values()) for (const o of m.values()) Object.freeze(o)
  return Object.freeze(out)
}
