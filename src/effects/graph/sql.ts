/**
 * The SQL of a plan's steps: batched multi-row inserts, batched updates from
 * a list of rows, deletes by key lists. Text is built from the dialect
 * record's own pieces (quoting, placeholders, cast type names), so values
 * never enter the text and only `placeholder` knows `$1` from `?`. The few
 * statement shapes the query algebra cannot yet express (see
 * docs/gaps/issue6-change-graph.md) differ by dialect in exactly one record, `traits`.
 */
import type { DataType } from '../../algebra/data-type.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import type { Dialect, DialectName } from '../../interpret/index.js'
import { markEncoded } from '../../drivers/params.js'

const keyMark: unique symbol = Symbol('quarry.graph.key')

/** A bound value known only once an earlier step has written it: column `column` of node `node`. */
export interface KeySlot {
  readonly [keyMark]: true
  readonly node: string
  readonly column: string
  readonly type: DataType
  /** The node's position among the graph's inserts when it is a new row (found then without a key lookup). */
  readonly insert: number | undefined
}

/**
 * A bound parameter of a planned statement: the value itself (already
 * encoded for the dialect), or a {@link KeySlot}. Plain values are not
 * wrapped, so a statement with no key to fill is sent as planned, uncopied.
 */
export type Slot = unknown

/** A {@link KeySlot} (not frozen: one per reference of a graph of thousands of rows; readonly by type). */
export const keySlot = (node: string, column: string, type: DataType, insert?: number): KeySlot => ({ [keyMark]: true as const, node, column, type, insert })

/** True for a {@link KeySlot} (no user value can carry its private mark). */
export const isKeySlot = (s: unknown): s is KeySlot => typeof s === 'object' && s !== null && (s as { [keyMark]?: boolean })[keyMark] === true

/** Parameter arrays (and lists of parameter sets) the planner filled from plain values only, so that running them needs no scan for key slots. */
const plain = new WeakSet<readonly Slot[]>()

/**
 * Note that `params` holds no {@link KeySlot} (the planner knows it when no row of a step references another)
 * and, like every array the planner fills, only values from the dialect's `encode`.
 *
 * @example
 * const params = markPlain(rows.flat())
 */
export const markPlain = <P extends readonly Slot[]>(params: P): P => {
  plain.add(params)
  // Plain parameters are the dialect's encodings: the connection need not check them again.
  return markEncoded(params)
}

/**
 * True when `params` was marked by {@link markPlain}: it can be sent as it is.
 *
 * @example
 * if (isPlain(step.params)) return step.params
 */
export const isPlain = (params: readonly Slot[]): boolean => plain.has(params)

/** How a dialect writes a batch of updates, types a VALUES list and treats DDL in a transaction. */
export interface Traits {
  /**
   * How a page of updates is sent, one statement each: `values-cte`: WITH v(…) AS (VALUES …)
   * UPDATE … FROM v; `values-from`: UPDATE … FROM (VALUES …) AS v (SQLite, which names the list's
   * columns column1, column2, …; it runs this 40 % faster than the one-row UPDATE per row, and
   * faster than the CTE, which it materialises); `join-union`: UPDATE t JOIN (SELECT … UNION ALL …)
   * v ON … SET ….
   */
  readonly updates: 'values-cte' | 'values-from' | 'join-union'
  /** Whether a VALUES list needs its first row cast to the column types (PostgreSQL types bare parameters there as text). */
  readonly castValues: boolean
  /** `transactional`: DDL runs inside the graph's transaction and rolls back with it; `implicit-commit`: DDL commits the open transaction (MySQL family), so a graph cannot hold it. */
  readonly ddl: 'transactional' | 'implicit-commit'
}

/**
 * How each dialect spells what the algebra cannot express yet. Facts about
 * the dialect itself (bind limit, how generated keys come back) are in its
 * record's `capabilities`, shared with the rest of quarry.
 */
export const traits: { readonly [K in DialectName]: Traits } = {
  postgres: { updates: 'values-cte', castValues: true, ddl: 'transactional' },
  sqlite: { updates: 'values-from', castValues: false, ddl: 'transactional' },
  mariadb: { updates: 'join-union', castValues: false, ddl: 'implicit-commit' },
  mysql8: { updates: 'join-union', castValues: false, ddl: 'implicit-commit' },
}

/** A statement being built: text pieces and the slots of its placeholders, in order. */
export interface Built {
  readonly sql: string
  readonly params: readonly Slot[]
}

/** A small builder that numbers placeholders in text order. */
export const builder = (d: Dialect) => {
  const params: Slot[] = []
  const cast = traits[d.name].castValues
  return {
    params,
    /** A placeholder for `slot`, cast to its type where the dialect cannot infer it from a VALUES list. */
    ph: (slot: Slot, type?: DataType): string => {
      params.push(slot)
      const p = d.placeholder(params.length)
      return type !== undefined && cast ? `CAST(${p} AS ${d.castType(type)})` : p
    },
    q: (name: string): string => d.quoteIdent(name),
  }
}

const typeOf = (t: AnyTable, c: string): DataType => t.columns[c]?.spec.type ?? { kind: 'text' }
const ORD: DataType = { kind: 'integer' }

/** Statement texts by dialect, table and shape: a graph's pages repeat a few shapes, and a text of thousands of rows costs more to build than to look up. */
const texts = new WeakMap<Dialect, WeakMap<AnyTable, Map<string, string>>>()
/** Shapes kept per table and dialect; past it the oldest is dropped (large texts must not pile up in a long-lived process). */
const SHAPES_PER_TABLE = 32

const cachedText = (d: Dialect, t: AnyTable, shape: string, build: () => string): string => {
  let byTable = texts.get(d)
  if (byTable === undefined) texts.set(d, (byTable = new WeakMap()))
  let shapes = byTable.get(t)
  if (shapes === undefined) byTable.set(t, (shapes = new Map()))
  let text = shapes.get(shape)
  if (text === undefined) {
    text = build()
    if (shapes.size >= SHAPES_PER_TABLE) shapes.delete(shapes.keys().next().value!)
    shapes.set(shape, text)
  }
  return text
}

/**
 * The text of an INSERT of `n` rows of `columns`. Its parameters are each
 * row's cells in `columns` order, followed, when the keys come back by
 * RETURNING, by the row's ordinal (0, 1, …). With `returning`, the
 * generated keys are returned (ordinal form) or read from insertId.
 *
 * @example
 * insertText(sqlite, users, ['name'], 2, 'id') // 'INSERT INTO "users" ("name") VALUES (?), (?)'
 */
export const insertText = (d: Dialect, t: AnyTable, columns: readonly string[], n: number, returning: string | undefined): string =>
  cachedText(d, t, `insert\u0000${n}\u0000${returning ?? ''}\u0000${columns.join('\u0000')}`, () => buildInsertText(d, t, columns, n, returning))

/**
 * The text of a batched UPDATE of `n` rows (see {@link updateSql}). Its
 * parameters are each row's key, its `set` values, then its expected
 * version.
 *
 * @example
 * updateText(mariadb, users, ['name'], undefined, 2) // UPDATE `users` JOIN (SELECT ? AS `id`, ? AS `name` UNION ALL SELECT ?, ?) AS `quarry_v` ON … SET …
 */
export const updateText = (d: Dialect, t: AnyTable, set: readonly string[], version: string | undefined, n: number): string =>
  cachedText(d, t, `update\u0000${n}\u0000${version ?? ''}\u0000${set.join('\u0000')}`, () => {
    const row: UpdateRowSlots = { key: t.primaryKey.map(() => null), set: set.map(() => null), version: version === undefined ? undefined : null }
    return updateSql(d, t, set, version, new Array<UpdateRowSlots>(n).fill(row)).sql
  })

const buildInsertText = (d: Dialect, t: AnyTable, columns: readonly string[], n: number, returning: string | undefined): string => {
  const b = builder(d)
  const cols = columns.map(b.q).join(', ')
  if (returning !== undefined && d.capabilities.generatedKeys === 'returning') {
    // Keys come back in no promised order; ordering the SELECT by an ordinal fixes the order rows are
    // inserted (and so keys generated, increasing), and sorting the returned keys restores the match.
    const vcols = [...columns.map(b.q), b.q('quarry_ord')].join(', ')
    const parts = new Array<string>(n)
    for (let i = 0; i < n; i++) {
      let row = '('
      for (let j = 0; j < columns.length; j++) row += `${b.ph(null, i === 0 ? typeOf(t, columns[j]!) : undefined)}, `
      parts[i] = `${row}${b.ph(null, i === 0 ? ORD : undefined)})`
    }
    const into = columns.length === 0 ? '' : ` (${cols})`
    const select = columns.length === 0 ? 'DEFAULT VALUES' : `SELECT ${cols} FROM ${b.q('quarry_v')} ORDER BY ${b.q('quarry_ord')}`
    return `WITH ${b.q('quarry_v')} (${vcols}) AS (VALUES ${parts.join(', ')}) INSERT INTO ${b.q(t.name)}${into} ${select} RETURNING ${b.q(returning)}`
  }
  if (columns.length === 0) return `INSERT INTO ${b.q(t.name)} ${d.insertDefaults(n) ?? 'DEFAULT VALUES'}`
  const parts = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    let row = '('
    for (let j = 0; j < columns.length; j++) row += j === 0 ? b.ph(null) : `, ${b.ph(null)}`
    parts[i] = `${row})`
  }
  return `INSERT INTO ${b.q(t.name)} (${cols}) VALUES ${parts.join(', ')}`
}

/** One row of a batched update: its key, the new values of `set` columns, and the expected version. */
export interface UpdateRowSlots {
  readonly key: readonly Slot[]
  readonly set: readonly Slot[]
  readonly version: Slot | undefined
}

/** UPDATE of many rows, each to its own values, in one statement. */
export const updateSql = (d: Dialect, t: AnyTable, set: readonly string[], version: string | undefined, rows: readonly UpdateRowSlots[]): Built => {
  const b = builder(d)
  const v = b.q('quarry_v')
  const tn = b.q(t.name)
  const cols = [...t.primaryKey, ...set, ...(version === undefined ? [] : [version])]
  /** One row's placeholders: key, new values, expected version; the first row typed (`as`: names the columns on MySQL). */
  const row = (r: UpdateRowSlots, first: boolean, as: boolean): string => {
    let out = ''
    let j = 0
    const one = (s: Slot): void => {
      const p = b.ph(s, first && !as ? typeOf(t, cols[j]!) : undefined)
      out += `${j === 0 ? '' : ', '}${first && as ? `${p} AS ${b.q(cols[j]!)}` : p}`
      j++
    }
    for (const s of r.key) one(s)
    for (const s of r.set) one(s)
    if (r.version !== undefined) one(r.version)
    return out
  }
  const on = [...t.primaryKey, ...(version === undefined ? [] : [version])].map((c) => `${tn}.${b.q(c)} = ${v}.${b.q(c)}`).join(' AND ')
  const bump = version === undefined ? [] : [[version, `${tn}.${b.q(version)} + 1`] as const]
  if (traits[d.name].updates === 'values-from') {
    // SQLite names a VALUES list's columns column1, column2, … (no column list on the alias).
    const vc = (c: string): string => `${v}.column${cols.indexOf(c) + 1}`
    let values = ''
    for (let i = 0; i < rows.length; i++) values += `${i === 0 ? '' : ', '}(${row(rows[i]!, false, false)})`
    const assign = [...set.map((c) => [c, vc(c)] as const), ...bump].map(([c, e]) => `${b.q(c)} = ${e}`).join(', ')
    const where = [...t.primaryKey, ...(version === undefined ? [] : [version])].map((c) => `${tn}.${b.q(c)} = ${vc(c)}`).join(' AND ')
    return { sql: `UPDATE ${tn} SET ${assign} FROM (VALUES ${values}) AS ${v} WHERE ${where}`, params: b.params }
  }
  if (traits[d.name].updates === 'values-cte') {
    let values = ''
    for (let i = 0; i < rows.length; i++) values += `${i === 0 ? '' : ', '}(${row(rows[i]!, i === 0, false)})`
    const assign = [...set.map((c) => [c, `${v}.${b.q(c)}`] as const), ...bump].map(([c, e]) => `${b.q(c)} = ${e}`).join(', ')
    return { sql: `WITH ${v} (${cols.map(b.q).join(', ')}) AS (VALUES ${values}) UPDATE ${tn} SET ${assign} FROM ${v} WHERE ${on}`, params: b.params }
  }
  let selects = ''
  for (let i = 0; i < rows.length; i++) selects += `${i === 0 ? '' : ' UNION ALL '}SELECT ${row(rows[i]!, i === 0, true)}`
  const assign = [...set.map((c) => [c, `${v}.${b.q(c)}`] as const), ...bump].map(([c, e]) => `${tn}.${b.q(c)} = ${e}`).join(', ')
  return { sql: `UPDATE ${tn} JOIN (${selects}) AS ${v} ON ${on} SET ${assign}`, params: b.params }
}

/** `cols IN (…)` for a list of key tuples, as the dialect accepts it. */
export const keyIn = (b: ReturnType<typeof builder>, d: Dialect, qualifier: string, cols: readonly string[], keys: readonly (readonly Slot[])[]): string => {
  const lhs = cols.map((c) => `${qualifier}${b.q(c)}`)
  if (cols.length === 1) return `${lhs[0]} IN (${keys.map((k) => b.ph(k[0]!)).join(', ')})`
  const tuples = keys.map((k) => `(${k.map((s) => b.ph(s)).join(', ')})`).join(', ')
  return `(${lhs.join(', ')}) IN (${d.capabilities.rowValueList === 'values' ? `VALUES ${tuples}` : tuples})`
}

/** SELECT of the key and version of rows, to tell which of a batch was stale. */
export const probeSql = (d: Dialect, t: AnyTable, version: string, keys: readonly (readonly Slot[])[]): Built => {
  const b = builder(d)
  const cols = [...t.primaryKey, version].map(b.q).join(', ')
  return { sql: `SELECT ${cols} FROM ${b.q(t.name)} WHERE ${keyIn(b, d, '', t.primaryKey, keys)}`, params: b.params }
}
