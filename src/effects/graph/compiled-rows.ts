/**
 * Row checks and row encoders compiled per table and row shape. Checking
 * a bulk insert or save runs the same few tests on every row; written once
 * for any shape, the loop reads each value with a lookup by a name that
 * changes from one value to the next, which V8 cannot specialise, and
 * compares each property name with one read from an array (a call each).
 * Compiled for one shape (the row's property names in order), names are
 * compared with literals and values read by fixed names, each tested by
 * its column's own test, straight-line: checking a 10,000-row insert took
 * 1,100–1,150 µs before and about 850 µs after, a 1,000-row save 122 µs
 * and 84 µs (bench/RESULTS.md has the method).
 *
 * Consecutive rows of a shape whose check is compiled are then checked by
 * a loop compiled for it (`insertRun`, `updateRun`), which appends them to
 * validation's checked rows itself: no call, table lookup and bookkeeping
 * call per row (planning a 10,000-row insert and a 1,000-row save about 9 %
 * faster, measured both ways round in one process).
 *
 * A compiled check only ever says "this row is the common case" (every
 * property a column, in the shape's order, every value fitting, or a
 * reference); anything else answers -1 and the row goes through the
 * general check, which finds and words the problems. So both paths accept
 * exactly the same rows (a law in test/effects/compiled-rows.test.ts). Where
 * code cannot be compiled at run time (a content security policy without
 * 'unsafe-eval'), every row takes the general path.
 *
 * Names and numbers reach the compiled text only as JSON literals; values
 * never do.
 */
import type { DataType } from '../../algebra/data-type.js'
import { Quick, type QuickFit } from './fits.js'

/** What the compiled check reads of a column of the shape. */
export interface CheckColumn {
  readonly name: string
  readonly quick: QuickFit
  readonly nullable: boolean
}

/** A new row's values: the number of references among them, or -1 for the general check. */
export type InsertCheck = (values: Readonly<Record<string, unknown>>) => number

/** An update's changes against its snapshot: 0 when every change is written as given, or -1 for the general check. */
export type UpdateCheck = (changes: Readonly<Record<string, unknown>>, snapshot: Readonly<Record<string, unknown>>) => number

/** Whether this runtime compiles code (no content security policy forbids it), found once. */
const canCompile = ((): boolean => {
  try {
    return new Function('return 1')() === 1
  } catch {
    return false
  }
})()

let enabled = canCompile

/**
 * Turn compiled checks on or off (off: every row takes the general path).
 * For tests, which check that both paths agree; answers the previous
 * setting.
 */
export const setRowChecks = (on: boolean): boolean => {
  const was = enabled
  enabled = on && canCompile
  return was
}

/** Whether compiled checks are in use. */
export const rowChecksEnabled = (): boolean => enabled

const lit = (x: string | number): string => (typeof x === 'number' && !Number.isFinite(x) ? (x > 0 ? '(1/0)' : '(-1/0)') : JSON.stringify(x))

/** The test of column `c` on `v`, as an expression (false: ask the general check). */
const fits = (c: CheckColumn): string => {
  const q = c.quick
  switch (q.test) {
    case Quick.String:
      return Number.isFinite(q.max) ? `(typeof v === "string" && v.length <= ${lit(q.max)})` : '(typeof v === "string")'
    case Quick.Int:
      return `(typeof v === "number" && Number.isInteger(v) && v >= ${lit(q.min)} && v <= ${lit(q.max)})`
    case Quick.Finite:
      return '(typeof v === "number" && v - v === 0)'
    case Quick.Boolean:
      return '(typeof v === "boolean")'
    case Quick.None:
      return 'false'
  }
}

/** A column with a quick test (a shape with a date, JSON, … column would answer -1 for almost every row: not compiled). */
const quickly = (c: CheckColumn): boolean => c.quick.test !== Quick.None

/**
 * The loop that checks a row's property names against the shape's, in
 * order. Each name is compared with a literal: against names read from an
 * array the same loop took 2.4 times as long (each comparison a call).
 */
const sameKeys = (object: string, keys: readonly string[], fail = 'return -1'): string =>
  `let kn = 0; for (const k in ${object}) { switch (kn++) { ${keys.map((k, i) => `case ${i}: if (k !== ${lit(k)}) ${fail}; break;`).join(' ')} default: ${fail} } } if (kn !== ${keys.length}) ${fail};`

const compile = <F>(body: string, names: readonly string[] = [], args: readonly unknown[] = []): F | undefined => {
  try {
    return new Function(...names, `"use strict"; ${body}`)(...args) as F
  } catch {
    return undefined
  }
}

/**
 * The compiled check of new rows of one shape: a row whose properties are
 * `columns` in this order and whose values all fit (or are references,
 * counted; or null where the column allows it) answers the number of
 * references; any other row -1.
 */
export const insertCheck = (columns: readonly CheckColumn[]): InsertCheck | undefined => {
  if (!enabled || !columns.every(quickly)) return undefined
  return compile<InsertCheck>(`return (x) => { ${insertTests(columns, 'return -1')} return refs }`)
}

/** The statements testing new row `x` (see {@link insertCheck}), counting its references in `refs`, running `fail` at the first test that does not pass. */
const insertTests = (columns: readonly CheckColumn[], fail: string): string => {
  const tests = columns.map(
    (c) =>
      `v = x[${lit(c.name)}]; if (!${fits(c)}) { if (v === null) { ${c.nullable ? '' : fail} } else if (typeof v === "object" && v._tag === "Ref") refs++; else ${fail} }`,
  )
  return `${sameKeys('x', columns.map((c) => c.name), fail)} let v; let refs = 0; ${tests.join(' ')}`
}

/** Where an {@link InsertRun} appends the new rows it takes (validation's checked inserts, by field). */
export interface InsertSink {
  length: number
  /** References among the values so far. */
  refs: number
  readonly nodes: unknown[]
  readonly values: unknown[]
  readonly flags: Uint8Array
  readonly masks: Int32Array
}

/** Takes new rows of `nodes` from position `i` on while each is the common case of one shape (see {@link insertRun}); answers where it stopped. */
export type InsertRun = (nodes: readonly { readonly _tag: string }[], i: number, out: InsertSink) => number

/**
 * {@link insertCheck} as a loop over consecutive new rows of one table, for
 * a shape that needs nothing more per row: every required column and every
 * column with a client default among its columns (so none is filled in),
 * whether the database generates the key known from the shape. Each row
 * taken is appended with `mask` and `flags`, plus `refsFlag` when it holds
 * a reference.
 */
export const insertRun = (columns: readonly CheckColumn[], mask: number, flags: number, refsFlag: number): InsertRun | undefined => {
  if (!enabled || !columns.every(quickly)) return undefined
  return compile<InsertRun>(
    `return (nodes, i, out) => { const n = nodes.length; const t = nodes[i].table; let at = out.length; let total = 0; const on = out.nodes, ov = out.values, of = out.flags, om = out.masks; ` +
      `rows: for (; i < n; i++) { const node = nodes[i]; if (node._tag !== "InsertRow" || node.table !== t) break; const x = node.values; ` +
      `${insertTests(columns, 'break rows')} on[at] = node; ov[at] = x; of[at] = refs > 0 ? ${lit(flags | refsFlag)} : ${lit(flags)}; om[at] = ${lit(mask)}; at++; total += refs } out.length = at; out.refs += total; return i }`,
  )
}

/**
 * The compiled check of updates of one shape: changes whose properties are
 * `columns` in this order, every value a plain fitting value (or null where
 * allowed) that differs from the snapshot's, and a snapshot whose key
 * `key` is a number, string or bigint, answer 0; any other -1 (references,
 * dates, unchanged values and the rest take the general check).
 */
export const updateCheck = (columns: readonly CheckColumn[], key: string): UpdateCheck | undefined => {
  if (!enabled || !columns.every(quickly)) return undefined
  return compile<UpdateCheck>(`return (x, s) => { ${updateTests(columns, key, 'return -1')} return 0 }`)
}

/**
 * The statements testing changes `x` against snapshot `s` (see
 * {@link updateCheck}), running `fail` at the first test that does not
 * pass.
 */
const updateTests = (columns: readonly CheckColumn[], key: string, fail: string): string => {
  const tests = columns.map((c) => {
    const name = lit(c.name)
    const nulls = c.nullable ? `if (v === null) { if (s[${name}] === null) ${fail} } else ` : ''
    return `v = x[${name}]; ${nulls}if (!${fits(c)} || v === s[${name}]) ${fail};`
  })
  return `${sameKeys('x', columns.map((c) => c.name), fail)} const kt = typeof s[${lit(key)}]; if (kt !== "number" && kt !== "string" && kt !== "bigint") ${fail}; let v; ${tests.join(' ')}`
}

/** Where an {@link UpdateRun} appends the updates it takes (validation's checked updates, by field). */
export interface UpdateSink {
  length: number
  /** Rows without a node key so far (see `saveRow`). */
  unnamed: number
  readonly nodes: unknown[]
  readonly sets: unknown[]
  readonly flags: Uint8Array
  readonly masks: Int32Array
}

/**
 * Takes the updates of `nodes` from position `i` on while each is the
 * common case of one shape (as {@link updateCheck} answers 0 for it: same
 * table, no version column, its changes written as given), appending each
 * to `out` with the shape's column mask; answers the position of the first
 * it did not take.
 */
export type UpdateRun = (nodes: readonly { readonly _tag: string }[], i: number, out: UpdateSink) => number

/**
 * {@link updateCheck} as a loop over consecutive updates: a bulk save's
 * rows are checked in one call, without a call, a table lookup and a
 * bookkeeping call per row (about a third of checking a 1,000-row save).
 */
export const updateRun = (columns: readonly CheckColumn[], key: string, mask: number): UpdateRun | undefined => {
  if (!enabled || !columns.every(quickly)) return undefined
  return compile<UpdateRun>(
    `return (nodes, i, out) => { const n = nodes.length; const t = nodes[i].table; let at = out.length; let unnamed = 0; const on = out.nodes, os = out.sets, of = out.flags, om = out.masks; ` +
      `rows: for (; i < n; i++) { const node = nodes[i]; if (node._tag !== "UpdateRow" || node.table !== t || node.version !== undefined) break; const x = node.changes, s = node.snapshot; ` +
      `${updateTests(columns, key, 'break rows')} if (node.key === undefined) unnamed++; on[at] = node; os[at] = x; of[at] = 0; om[at] = ${lit(mask)}; at++ } out.length = at; out.unnamed += unnamed; return i }`,
  )
}

/**
 * Writes a row's values of a statement's columns, encoded, into its
 * parameter array from position `k`; false when a value could not be
 * encoded (the caller then encodes the row again the general way, which
 * reports why). A reference (`_tag: 'Ref'`) in column `j` of row `row` is
 * written as `ref(value, j, row)` answers, or, without `ref`, makes the
 * answer false.
 */
export type RowEncoder = (
  cells: Readonly<Record<string, unknown>>,
  params: unknown[],
  k: number,
  row?: number,
  ref?: (value: unknown, column: number, row: number) => unknown,
) => boolean

/** A dialect's `encode` and its failure test, as {@link rowEncoder} calls them. */
export interface Encoding {
  readonly encode: (v: unknown, t: DataType | undefined) => unknown
  readonly failed: (encoded: unknown) => boolean
  /** The encode function's `stringsAsGiven` (see `Encode`): columns of such types take strings without the call. */
  readonly stringsAsGiven?: ((t: DataType | undefined) => boolean) | undefined
}

/** Encoders by dialect encoding (the object: its parts decide the code) and table, then by columns (bounded: texts of other shapes come and go). */
const encoders = new WeakMap<Encoding, WeakMap<object, Map<string, unknown>>>()
const ENCODERS_PER_TABLE = 32

/**
 * The compiled encoder of rows of `table` into `columns` (of `types`): each
 * value read by its name, each column's call to `encode` a call site of its
 * own, and a string stored as it is where the dialect binds the column's
 * strings unchanged (text columns of bulk rows are mostly strings; the
 * call skipped was 1–3 % of planning a 1,000-row save, measured both ways
 * round in one process against the encoder without it).
 * Cached; undefined where code cannot be compiled.
 */
export const rowEncoder = (e: Encoding, table: object, columns: readonly string[], types: readonly DataType[]): RowEncoder | undefined =>
  cached(e, table, `row ${columns.join('\u0000')}`, () => {
    const writes = columns
      .map(
        (c, j) =>
          `v = x[${lit(c)}]; ${asGiven(e, types[j]!, `p[k + ${j}] = v`)}if (typeof v === "object" && v !== null && v._tag === "Ref") { if (ref === undefined) return false; p[k + ${j}] = ref(v, ${j}, row) } else { e = encode(v, T${j}); if (failed(e)) ok = false; p[k + ${j}] = e }`,
      )
      .join(' ')
    return compile<RowEncoder>(`${typeConsts('T', types)} return (x, p, k, row, ref) => { let v; let e; let ok = true; ${writes} return ok }`, ['encode', 'failed', 'T'], [
      e.encode,
      e.failed,
      Object.freeze([...types]),
    ])
  })

/** `const T0 = T[0], …;` for a list of types (nothing for none). */
const typeConsts = (name: string, types: readonly DataType[]): string => (types.length === 0 ? '' : `const ${types.map((_, j) => `${name}${j} = ${name}[${j}]`).join(', ')};`)

/** `if (typeof v === "string") <store>; else ` where the dialect binds strings of `t` as given, else nothing. */
const asGiven = (e: Encoding, t: DataType, store: string): string => (e.stringsAsGiven?.(t) === true ? `if (typeof v === "string") ${store}; else ` : '')

/** A compiled function of `e`'s, for `table`, by `name`: made once (undefined where code cannot be compiled), at most {@link ENCODERS_PER_TABLE} kept per table. */
const cached = <F>(e: Encoding, table: object, name: string, make: () => F | undefined): F | undefined => {
  if (!enabled) return undefined
  let byTable = encoders.get(e)
  if (byTable === undefined) encoders.set(e, (byTable = new WeakMap()))
  let byName = byTable.get(table)
  if (byName === undefined) byTable.set(table, (byName = new Map()))
  let f = byName.get(name) as F | null | undefined
  if (f === undefined) {
    f = make() ?? null
    if (byName.size < ENCODERS_PER_TABLE) byName.set(name, f)
  }
  return f ?? undefined
}

/**
 * Encodes a page of a batched UPDATE: for `n` updates, `group[from]` …
 * `group[from + n - 1]` of the checked `nodes` with their `sets`, writes
 * each one's key (read from its snapshot) and set columns into `params`, and
 * its node key into `keys`; stops at the first update holding a reference
 * (its `flags` nonzero) or a value that does not encode, and answers how
 * many it wrote (the caller encodes the rest the general way, which says
 * why a value does not encode).
 */
export type PageEncoder = (
  nodes: readonly { readonly key: string | undefined; readonly snapshot: Readonly<Record<string, unknown>> }[],
  sets: readonly Readonly<Record<string, unknown>>[],
  flags: Uint8Array,
  group: readonly number[],
  from: number,
  n: number,
  params: unknown[],
  keys: (string | undefined)[],
) => number

/**
 * The compiled page encoder of updates of `table` by its key columns `key`
 * (of `keyTypes`) setting `columns` (of `types`), with no version column:
 * one call per page rather than a call of the general `encode` for each key
 * and one of {@link rowEncoder} per row (planning a 1,000-row save about
 * 9 % faster in a hand-written form of the same loop).
 */
export const pageEncoder = (e: Encoding, table: object, key: readonly string[], keyTypes: readonly DataType[], columns: readonly string[], types: readonly DataType[]): PageEncoder | undefined =>
  cached(e, table, `page ${key.join('\u0000')}\u0001${columns.join('\u0000')}`, () => {
    const width = key.length + columns.length
    const keys = key.map((c, j) => `v = s[${lit(c)}]; e = encode(v, K${j}); if (failed(e)) break; p[k + ${j}] = e;`).join(' ')
    const sets = columns
      .map((c, j) => `v = x[${lit(c)}]; ${asGiven(e, types[j]!, `p[k + ${key.length + j}] = v`)}{ e = encode(v, T${j}); if (failed(e)) break; p[k + ${key.length + j}] = e }`)
      .join(' ')
    return compile<PageEncoder>(
      `${typeConsts('K', keyTypes)} ${typeConsts('T', types)} return (nodes, sets, flags, group, from, n, p, out) => { let v; let e; let k = 0; let r = 0; ` +
        `for (; r < n; r++) { const i = group[from + r]; if (flags[i] !== 0) break; const node = nodes[i]; const s = node.snapshot; const x = sets[i]; ${keys} ${sets} out[r] = node.key; k += ${width} } return r }`,
      ['encode', 'failed', 'K', 'T'],
      [e.encode, e.failed, Object.freeze([...keyTypes]), Object.freeze([...types])],
    )
  })
