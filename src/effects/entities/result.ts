/**
 * The saved graph: the input's shape rebuilt from what the commit
 * persisted — every object with its columns as stored (generated keys and
 * foreign keys filled in, a bumped version), read back through the same
 * per-dialect loaders a load uses, so a saved graph equals a reload of it.
 * An object reached twice in the input is one object in the output.
 */
import type { Cells, RowsByNode } from '../graph/index.js'
import type { DialectName } from '../../interpret/index.js'
import type { AnyEntity } from '../../mapping/entity.js'
import { FAIL, loaderFor, type Loader } from '../../mapping/loaders.js'
import type { Ctx, Visit } from './collect.js'
import { versionOf } from './deletes.js'
import { encodeField } from './shape.js'

type Obj = Record<string, unknown>

const loaders = new WeakMap<AnyEntity, Map<DialectName, readonly Loader[]>>()

/** The loaders of an entity's fields on a dialect, made once (a saved graph reads thousands of rows of few entities). */
const loadersOf = (e: AnyEntity, d: DialectName): readonly Loader[] => {
  let m = loaders.get(e)
  if (m === undefined) loaders.set(e, (m = new Map()))
  let ls = m.get(d)
  if (ls === undefined) m.set(d, (ls = e.fields.map((f) => loaderFor(d, f.type, f.nullable))))
  return ls
}


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
    // The persisted row, read only when a column is not the object's own (a generated key, a foreign key, the version); null: no node was written.
    let row: Cells | null | undefined
    const version = versionOf(v.entity)
    const load = loadersOf(v.entity, d)
    const fields = v.entity.fields
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!
      const given = v.obj[f.prop]
      // The object's own value, unless a relationship set the column or the commit bumped the version.
      if (given !== undefined && !v.set.has(f.column) && f.column !== version) {
        out[f.prop] = given
        continue
      }
      row ??= rows.get(v.node) ?? null
      const cell = row !== null ? row[f.column] : v.set.has(f.column) ? v.set.get(f.column) : given !== undefined ? encodeField(f, given) : v.before?.[f.column]
      if (cell === undefined || cell === null) {
        // A column the insert left out is NULL unless the database has a default for it (then unknown here).
        if (cell === null || f.nullable) out[f.prop] = null
        continue
      }
      const loaded = load[i]!(cell)
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
        if (Array.isArray(x)) {
          const list: Obj[] = []
          for (const c of x) {
            const cv = visitOf(c)
            if (cv !== undefined) list.push(build(cv))
          }
          out[n.prop] = Object.freeze(list)
        } else {
          const cv = x === null ? undefined : visitOf(x)
          out[n.prop] = cv === undefined ? null : build(cv)
        }
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
