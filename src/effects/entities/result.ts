/**
 * The saved graph: the input's shape rebuilt from what the commit
 * persisted — every object with its columns as stored (generated keys and
 * foreign keys filled in, a bumped version), read back through the same
 * per-dialect loaders a load uses, so a saved graph equals a reload of it.
 * An object reached twice in the input is one object in the output.
 */
import type { Cells, RowsByNode } from '../graph/index.js'
import type { DialectName } from '../../interpret/index.js'
import { FAIL, loaderFor } from '../../mapping/loaders.js'
import type { Ctx, Visit } from './collect.js'
import { versionOf } from './deletes.js'
import { columnsOf } from './shape.js'

type Obj = Record<string, unknown>

/** The stored row of a visit: the persisted node's, else the snapshot's with the object's own columns over it. */
const storedRow = (v: Visit, rows: RowsByNode): Cells => rows.get(v.node) ?? { ...v.before, ...columnsOf(v.entity, v.obj) }

/**
 * Rebuild the roots of a saved graph. As in a load, an object is one
 * object wherever it sits: it carries the relationships of every place
 * of the shape it was reached at.
 *
 * @example
 * const saved = rebuild(ctx, persisted.rows, 'postgres', objects)
 */
export const rebuild = (ctx: Ctx, rows: RowsByNode, d: DialectName, roots: readonly unknown[]): readonly object[] => {
  const memo = new Map<Visit, Obj>()
  const visitOf = (c: unknown): Visit | undefined => (typeof c === 'object' && c !== null ? ctx.byObject.get(c) : undefined)
  const build = (v: Visit): Obj => {
    const hit = memo.get(v)
    if (hit !== undefined) return hit
    const out: Obj = {}
    memo.set(v, out)
    const row = storedRow(v, rows)
    const version = versionOf(v.entity)
    for (const f of v.entity.fields) {
      const given = v.obj[f.prop]
      // The object's own value, unless a relationship set the column or the commit bumped the version.
      if (given !== undefined && !v.set.has(f.column) && f.column !== version) {
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
    // A referenced object's relationships were not walked: it is given back as its columns.
    if (v.status === 'reference') return out
    for (const ns of v.reached)
      for (const n of ns) {
        const x = v.obj[n.prop]
        if (x === undefined || n.prop in out) continue
        const child = (c: unknown): Obj | null => {
          const cv = visitOf(c)
          return cv === undefined ? null : build(cv)
        }
        out[n.prop] = Array.isArray(x) ? Object.freeze(x.map(child).filter((c): c is Obj => c !== null)) : x === null ? null : child(x)
      }
    return out
  }
  const out = roots.flatMap((r) => {
    const v = visitOf(r)
    return v === undefined ? [] : [build(v)]
  })
  for (const o of memo.values()) Object.freeze(o)
  return Object.freeze(out)
}
