/**
 * Row decoders, generated once per entity, dialect and column labels. The
 * hot path (one call per row) is a specialised function built from the
 * fields: an inline type check per column that skips the loader when the
 * driver already gave the right shape, an identity-map lookup on the key
 * before the other columns are touched, and one object literal (a stable
 * hidden class). io-ts is kept for the slow path: when a row does not fit,
 * `explain` re-runs the loaders and codecs to name entity, column, value and
 * io-ts path.
 */
import * as t from 'io-ts'
import type { DialectName } from '../interpret/index.js'
import { firstFailure } from './codecs.js'
import type { AnyEntity, FieldSpec } from './entity.js'
import { showValue, type DecodeError } from './errors.js'
import { DECIMAL_PATTERN, FAIL, fastCheck, loadFailureReason, loaderFor, type Loader } from './loaders.js'

/** A result row as a driver returns it, by column label. */
export type Row = { readonly [label: string]: unknown }

/** A relationship property the decoder creates empty on each new object. */
export interface InitProp {
  readonly prop: string
  /** `[]` for collections, `null` for single references. */
  readonly many: boolean
}

/** How the columns of one entity appear in a result set. */
export interface DecoderSpec {
  /** Column label per entity field, in field order. */
  readonly labels: readonly string[]
  /** When all key columns are NULL the entity is absent (the far side of an outer join): decode gives `null`. */
  readonly optional: boolean
  readonly inits: readonly InitProp[]
  /** Default `map`. */
  readonly identity?: IdentityMode
}

/**
 * How a decoder finds an object it made before in this load:
 * - `map`: by key in a Map (always right);
 * - `last`: only the previous row's object (when the plan knows the rows of
 *   one key are contiguous and no other node makes objects of the entity);
 * - `none`: never (when the plan knows each key comes once, e.g. the rows
 *   of a table selected by a foreign key). A Map costs about 80 ns a row on
 *   sparse keys, a sizeable part of the raw driver's own time, so the plan
 *   uses it only where a key can repeat.
 */
export type IdentityMode = 'map' | 'last' | 'none'

/** One entity's objects by key within a load; `created` counts the objects made, so a caller can tell a new one from a hit. */
export interface Identity {
  readonly byKey: Map<unknown, object>
  created: number
  lastKey: unknown
  last: object | undefined
}

/** An empty identity store. */
export const newIdentity = (): Identity => ({ byKey: new Map(), created: 0, lastKey: undefined, last: undefined })

/** A compiled row decoder. */
export interface RowDecoder {
  /**
   * The object of this row: from `identity` when its key was seen in this
   * load, else new (and stored there). `null` when absent (optional spec), `undefined` when a
   * value does not fit (then call `explain`).
   */
  readonly decode: (row: Row, identity: Identity) => object | null | undefined
  /** The typed error for a row that `decode` refused. */
  readonly explain: (row: Row) => DecodeError
}

const lit = (s: string): string => JSON.stringify(s)

/** Injective text for one key part (composite keys and non-primitive key values). */
export const keyPart = (v: unknown): string => {
  if (typeof v === 'string') return `${v.length}:${v}`
  if (v instanceof Date) return `d${v.getTime()}`
  if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`
  return `${typeof v}${String(v)}`
}

const primitiveKey = (f: FieldSpec): boolean => f.type.kind !== 'timestamp' && f.type.kind !== 'bytes' && f.type.kind !== 'json' && f.type.kind !== 'jsonb'

/** The identity key of an object of `e` from its (loaded) key values: the same rule the decoders use. */
export const identityKey = (e: AnyEntity, values: readonly unknown[]): unknown => {
  if (values.length === 1) {
    const f = e.fields.find((x) => x.prop === e.key[0])
    return f !== undefined && primitiveKey(f) ? values[0] : keyPart(values[0])
  }
  return values.map(keyPart).join('\u0000')
}

const fieldCode = (d: DialectName, f: FieldSpec, i: number, label: string): string => {
  const fast = fastCheck(d, f.type)
  const check = fast === undefined ? undefined : f.nullable ? `v === null || (${fast})` : fast
  const load = check === undefined ? `L[${i}](v)` : `(${check}) ? v : L[${i}](v)`
  const custom = f.custom ? ` { const c = C[${i}].decode(x${i}); if (c._tag === "Left") return undefined; x${i} = c.right; }` : ''
  return `let x${i}; { const v = r[${lit(label)}]; x${i} = ${load}; } if (x${i} === F) return undefined;${custom}`
}

const generate = (d: DialectName, e: AnyEntity, spec: DecoderSpec): ((...deps: unknown[]) => RowDecoder['decode']) => {
  const idx = (p: string): number => e.fields.findIndex((f) => f.prop === p)
  const keyIdx = e.key.map(idx)
  const mode = spec.identity ?? 'map'
  const label = (i: number): string => spec.labels[i] as string
  const lines: string[] = ['"use strict";', 'return function decode(r, M) {']
  if (spec.optional && keyIdx.length > 0) lines.push(`if (${keyIdx.map((i) => `r[${lit(label(i))}] === null`).join(' && ')}) return null;`)
  for (const i of keyIdx) lines.push(fieldCode(d, e.fields[i] as FieldSpec, i, label(i)))
  if (keyIdx.length > 0) {
    const only = keyIdx.length === 1 ? (e.fields[keyIdx[0] as number] as FieldSpec) : undefined
    const key = only !== undefined && primitiveKey(only) ? `x${keyIdx[0]}` : keyIdx.map((i) => `K(x${i})`).join(' + "\\u0000" + ')
    lines.push(`const k = ${key};`)
    if (mode === 'map') lines.push('const B = M.byKey; const o = B.get(k); if (o !== undefined) return o;')
    if (mode === 'last') lines.push('if (M.created !== 0 && M.lastKey === k) return M.last;')
  }
  e.fields.forEach((f, i) => {
    if (!keyIdx.includes(i)) lines.push(fieldCode(d, f, i, label(i)))
  })
  const props = [...e.fields.map((f, i) => `${lit(f.prop)}: x${i}`), ...spec.inits.map((p) => `${lit(p.prop)}: ${p.many ? '[]' : 'null'}`)]
  lines.push(`const n = { ${props.join(', ')} };`)
  if (keyIdx.length > 0 && mode === 'map') lines.push('B.set(k, n);')
  if (keyIdx.length > 0 && mode === 'last') lines.push('M.lastKey = k; M.last = n;')
  lines.push('M.created++;', 'return n;', '};')
  // The body is built only from JSON-quoted labels and property names and fixed fragments: no value reaches it.
  return new Function('L', 'C', 'F', 'K', 'DEC', lines.join('\n')) as (...deps: unknown[]) => RowDecoder['decode']
}

const explainer =
  (d: DialectName, e: AnyEntity, spec: DecoderSpec, loaders: readonly Loader[]) =>
  (row: Row): DecodeError => {
    for (let i = 0; i < e.fields.length; i++) {
      const f = e.fields[i] as FieldSpec
      const raw = row[spec.labels[i] as string]
      const loaded = (loaders[i] as Loader)(raw)
      const input = loaded === FAIL ? raw : loaded
      const r = t.type({ [f.prop]: f.codec }, e.name).decode({ [f.prop]: input })
      if (loaded !== FAIL && r._tag === 'Right') continue
      const failure = r._tag === 'Left' ? firstFailure(e.name, r.left) : undefined
      const reason = loaded === FAIL ? loadFailureReason(d, f.type, f.nullable, raw) : 'refused by its codec'
      const path = failure?.path ?? `${e.name}.${f.prop}`
      const expected = failure?.expected ?? f.codec.name
      return {
        _tag: 'DecodeError',
        entity: e.name,
        column: f.column,
        value: raw,
        path,
        expected,
        message: `${e.name}: column ${f.column} has ${showValue(raw)}, which does not fit ${expected} at ${path} (${reason})`,
      }
    }
    return { _tag: 'DecodeError', entity: e.name, column: '', value: row, path: e.name, expected: e.codec.name, message: `${e.name}: row does not fit` }
  }

const cache = new WeakMap<AnyEntity, Map<string, RowDecoder>>()

/**
 * The decoder of entity `e` for rows of dialect `d` laid out as `spec`
 * says; built once and cached per entity.
 */
export const decoderFor = (d: DialectName, e: AnyEntity, spec: DecoderSpec): RowDecoder => {
  let m = cache.get(e)
  if (m === undefined) cache.set(e, (m = new Map()))
  const key = `${d}|${spec.optional}|${spec.identity ?? 'map'}|${spec.labels.join(',')}|${spec.inits.map((p) => `${p.prop}:${p.many}`).join(',')}`
  let dec = m.get(key)
  if (dec === undefined) {
    const loaders = e.fields.map((f) => loaderFor(d, f.type, f.nullable))
    const codecs = e.fields.map((f) => f.codec)
    dec = Object.freeze({ decode: generate(d, e, spec)(loaders, codecs, FAIL, keyPart, DECIMAL_PATTERN), explain: explainer(d, e, spec, loaders) })
    m.set(key, dec)
  }
  return dec
}
