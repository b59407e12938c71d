/**
 * SQLite (3.35+ for RETURNING, 3.39+ for RIGHT/FULL JOIN). No row locks, no
 * LATERAL, no DISTINCT ON; booleans bind as 1/0 and dates as ISO-8601 text.
 */
import type { DataType } from '../../algebra/index.js'
import type { Dialect } from '../dialect.js'
import { encodeCommon, type Encoded } from '../encode.js'
import { S } from '../sql-tree.js'
import { enumAsCheckedText, quoteWith, standardLiteral } from './common.js'

const quote = quoteWith('"')
const bool = (b: boolean): string => (b ? '1' : '0')
const literal = standardLiteral(bool, 'none')

const typeName = (t: DataType): string => {
  switch (t.kind) {
    case 'integer':
    case 'bigint':
    case 'smallint':
    case 'boolean':
      return 'INTEGER'
    case 'text':
    case 'uuid':
    case 'date':
    case 'time':
    case 'timestamp':
    case 'json':
    case 'jsonb':
    case 'enum':
      return 'TEXT'
    case 'varchar':
      return `VARCHAR(${t.length})`
    case 'char':
      return `CHAR(${t.length})`
    case 'numeric':
      return t.precision === undefined ? 'NUMERIC' : `NUMERIC(${t.precision}, ${t.scale ?? 0})`
    case 'real':
    case 'double':
      return 'REAL'
    case 'bytes':
      return 'BLOB'
  }
}

const isIntegerType = (t: DataType | undefined): boolean =>
  t !== undefined && (t.kind === 'integer' || t.kind === 'bigint' || t.kind === 'smallint' || t.kind === 'boolean')

/** BigInts of 0 … 1023, made once: keys, limits and flags are mostly small, and each `BigInt(n)` allocates. */
const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i))

/**
 * The last larger integer converted, and its BigInt: a bulk statement binds
 * runs of one value (a column set to the same number on every row, a
 * parent's key repeated by each of its children), and a BigInt per value
 * cost a 1,000-row UPDATE some 5 % on this machine (binding a BigInt made
 * earlier costs no more than binding a number).
 */
let lastNumber = Number.NaN
let lastBigInt = 0n

const largeBigInt = (n: number): bigint => {
  if (n !== lastNumber) {
    lastBigInt = BigInt(n)
    lastNumber = n
  }
  return lastBigInt
}

const toBigInt = (n: number): bigint => (n >= 0 && n < 1024 ? (SMALL_BIGINTS[n] as bigint) : largeBigInt(n))

/** Whether a value of type `t` is bound as given when it is a string or a boolean (not JSON, not a numeric string). */
const plainType = (t: DataType | undefined): boolean => t === undefined || (t.kind !== 'json' && t.kind !== 'jsonb' && t.kind !== 'numeric')

/** Everything {@link sqlite}'s `encode` does not answer on its short path. */
const encodeOther = (v: unknown, t: DataType | undefined): Encoded => {
  const r = encodeCommon(v, t)
  if (typeof r === 'boolean') return r ? 1n : 0n
  if (typeof r === 'number' && Number.isSafeInteger(r) && isIntegerType(t)) return toBigInt(r)
  if (typeof r === 'string' && t?.kind === 'numeric' && NUMERIC.test(r)) return Number(r)
  // typeof first: `instanceof` on a primitive is a slow path in V8.
  return typeof r === 'object' && r instanceof Date ? r.toISOString() : r
}

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

const strftime: Record<string, string> = { year: '%Y', month: '%m', day: '%d', hour: '%H', minute: '%M', second: '%S' }

/** SQLite. */
export const sqlite: Dialect = Object.freeze<Dialect>({
  name: 'sqlite',
  capabilities: Object.freeze({
    // SQLITE_MAX_VARIABLE_NUMBER's default since 3.32.
    maxParams: 32766,
    pageRows: 1000,
    // Writers are serialised and a new rowid is one past the largest: a VALUES insert of n rows got last − n + 1 … last.
    generatedKeys: 'last-insert-id',
    rightJoin: true,
    fullJoin: true,
    lateral: false,
    distinctOn: false,
    returning: { insert: true, update: true, delete: true },
    intersect: true,
    except: true,
    limitInInSubquery: true,
    groupByPosition: false,
    setOpAll: false,
    nullsOrder: true,
    integerDivision: '/',
    lagDefault: true,
    aggregateFilter: true,
    ilike: false,
    distinctFrom: 'is',
    locks: undefined,
    upsert: 'on-conflict',
    proposedRow: 'excluded',
    upsertWhere: true,
    updateFrom: 'from',
    deleteUsing: false,
    defaultInValues: false,
    cteInMutations: true,
    partialIndex: true,
    fkSetDefault: true,
    alterForeignKey: undefined,
    deferrableForeignKey: true,
    unboundedKeyColumns: true,
    createIndexIfNotExists: true,
    dropIndexIfExists: true,
    dropIndexOnTable: false,
    castBareParams: false,
    rowValueList: 'values',
    roundDigits: 'any',
  }),
  quoteIdent: quote,
  identifierProblem: () => undefined,
  identifierLimit: undefined,
  placeholder: () => '?',
  // SQLite also binds ?NNN, :name, @name and $name.
  placeholderInText: /[?]|[:@$][A-Za-z0-9_]/,
  booleanLiteral: bool,
  columnType: (t, column) => (t.kind === 'enum' ? enumAsCheckedText(t, column, quote, literal) : typeName(t)),
  // SQLite's CAST AS NUMERIC gives an INTEGER for integral values (then / truncates); REAL keeps decimal arithmetic.
  castType: (t) => (t.kind === 'numeric' ? 'REAL' : typeName(t)),
  literal,
  builtin: (fn) => fn.toUpperCase(),
  concat: (args) => S.infix('||', 7, ...args),
  // The format is a fixed constant chosen here, not a user value.
  extract: (part, arg) => ({ _tag: 'Cast', arg: S.call('STRFTIME', [S.kw(`'${strftime[part] ?? '%Y'}'`), arg]), type: 'INTEGER' }),
  insertDefaults: (rows) => (rows === 1 ? 'DEFAULT VALUES' : undefined),
  limitAll: '-1',
  autoIncrement: { text: 'PRIMARY KEY AUTOINCREMENT', inlinePrimaryKey: true },
  // better-sqlite3 binds every JS number as REAL: integers go as BigInt so they stay INTEGER
  // (integer division, typeof), and numeric strings as numbers (a TEXT never compares as a number).
  // The common cases first and short, so that bulk loops inline it: a string or boolean of a plain
  // column, an integer bound to an integer column.
  encode: Object.assign(
    (v: unknown, t: DataType | undefined): Encoded => {
      if (typeof v === 'string' && plainType(t)) return v
      if (typeof v === 'number' && Number.isSafeInteger(v) && isIntegerType(t)) return toBigInt(v)
      if (typeof v === 'boolean' && plainType(t)) return v ? 1n : 0n
      return encodeOther(v, t)
    },
    { stringsAsGiven: plainType },
  ),
})
