/**
 * The shape buffer: the integer sequence a shape walk writes, with the
 * interning that turns identifiers, operators and data types into small
 * numbers, the hash that picks a cache bucket and the exact comparison
 * that confirms a hit. The walk (`shape.ts`) is its only writer.
 */
import { showDataType, type DataType } from '../algebra/index.js'

// Written synchronously by one walk at a time (no user code runs during a walk), so module
// state is safe and keeps the hot path free of allocation.
let buf = new Int32Array(512)
let len = 0
/** FNV-1a over the integers so far, kept as they are pushed: cheaper than a second pass. */
let hash = 0

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** Start a new shape. */
export const reset = (): void => {
  len = 0
  hash = FNV_OFFSET
}

/** Append one integer. */
export const push = (n: number): void => {
  if (len === buf.length) {
    const b = new Int32Array(len * 2)
    b.set(buf)
    buf = b
  }
  buf[len++] = n
  hash = Math.imul(hash ^ n, FNV_PRIME)
}

const ids = new WeakMap<object, number>()
let nextId = 0
/** A number for an object by identity (tables, CTE definitions). */
export const idOf = (o: object): number => {
  let id = ids.get(o)
  if (id === undefined) {
    id = ++nextId
    ids.set(o, id)
  }
  return id
}

/**
 * The id of a frozen table ref (the one `from`/`join` share per table), or 0 for an unfrozen
 * one, which the walk then spells out. Known refs are found in the id map before anything
 * else: `Object.isFrozen` is a runtime call (≈ 280 instructions, three times per 2-join query).
 */
export const frozenRefId = (ref: object): number => {
  let id = ids.get(ref)
  if (id === undefined) {
    if (!Object.isFrozen(ref)) return 0
    id = ++nextId
    ids.set(ref, id)
  }
  return id
}

// Strings (identifiers, operators, SQL text) are interned to positive ids; a Map lookup reuses
// the string's cached hash. Past the bound (e.g. generated names) a string is spelled out.
const interned = new Map<string, number>()
/** The id of an interned name, given the next free one when new. */
const intern = (name: string): number => {
  let id = interned.get(name)
  if (id === undefined) {
    id = interned.size + 1
    interned.set(name, id)
  }
  return id
}
const MAX_INTERNED = 50_000
/** Append a string's interned id (or, past the bound, the string spelled out behind -1). */
export const str = (s: string): void => {
  let id = interned.get(s)
  if (id === undefined) {
    if (interned.size >= MAX_INTERNED) {
      push(-1)
      push(s.length)
      for (let i = 0; i < s.length; i++) push(s.charCodeAt(i))
      return
    }
    id = interned.size + 1
    interned.set(s, id)
  }
  push(id)
}
const typeIds = new WeakMap<DataType, number>()
/** Append a data type's interned id (0 for unknown). */
export const ty = (t: DataType | undefined): void => {
  if (t === undefined) return push(0)
  let id = typeIds.get(t)
  if (id === undefined) {
    id = intern('\u0000' + showDataType(t))
    typeIds.set(t, id)
  }
  push(id)
}
// Column nodes are mostly shared (a table's `c`), so each gets one id for its (source, name) pair.
const columnIds = new WeakMap<object, number>()
/** Append a column's id for its (source, name) pair. */
export const column = (e: { readonly source: string; readonly name: string }): void => {
  let id = columnIds.get(e)
  if (id === undefined) {
    const k = '\u0001' + e.source.length + ':' + e.source + e.name
    if (interned.size >= MAX_INTERNED && !interned.has(k)) {
      // Spelled out, behind a marker no id takes (ids are positive), so the forms cannot be confused.
      push(-2)
      str(e.source)
      return str(e.name)
    }
    id = intern(k)
    columnIds.set(e, id)
  }
  push(id)
}
/** Append a boolean. */
export const flag = (b: boolean): void => push(b ? 1 : 0)

/** A 32-bit hash (FNV-1a over the integers, then the length) of the last walk's shape. */
export const shapeHash = (): number => Math.imul(hash ^ len, FNV_PRIME) >>> 0

/** Whether a stored shape equals the last walk's shape. */
export const shapeMatches = (stored: Int32Array): boolean => {
  const b = buf
  const n = len
  if (stored.length !== n) return false
  for (let i = 0; i < n; i++) if (stored[i] !== b[i]) return false
  return true
}

/** A copy of the last walk's shape, to store with a cache entry. */
export const shapeCopy = (): Int32Array => buf.slice(0, len)
