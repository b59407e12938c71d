/**
 * Scalar functions over values already evaluated: LIKE matching, CAST,
 * the built-ins (`lower`, `substr`, `coalesce`, ...), the named functions
 * the evaluator knows, and date parts. NULL in gives NULL out unless the
 * function says otherwise (`coalesce`, `nullif`).
 */
import type { BuiltinFn, DataType, DatePart } from '../../algebra/index.js'
import { roundHalfAway, toNumber } from './arith.js'
import { dataError, notEvaluable } from './errors.js'
import { mariadbLower, mariadbUpper } from './mariadb-case.js'
import type { Profile } from './profile.js'
import { compareValues, sqlEquals, type SqlValue } from './values.js'

const asciiLower = (s: string): string => s.replace(/[A-Z]/gu, (c) => c.toLowerCase())
const asciiUpper = (s: string): string => s.replace(/[a-z]/gu, (c) => c.toUpperCase())
/** Text form of a value, as concatenation and casts to text give it. */
export const toText = (p: Profile, v: Exclude<SqlValue, null>): string => {
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return p.name === 'postgres' ? (v ? 'true' : 'false') : v ? '1' : '0'
  if (v instanceof Date) return v.toISOString()
  if (v instanceof Uint8Array) return new TextDecoder().decode(v)
  return String(v)
}

/** Does `s` match the LIKE `pattern` (`%` any run, `_` one character, `escape` quoting the next)? */
export const likeMatch = (s: string, pattern: string, escape: string | undefined, foldCase: 'none' | 'ascii' | 'mariadb'): boolean => {
  const fold = foldCase === 'ascii' ? asciiLower : foldCase === 'mariadb' ? mariadbLower : (x: string) => x
  const src = Array.from(fold(s))
  const pat = Array.from(fold(pattern))
  // Tokens: a literal character, or a wildcard.
  const toks: ({ readonly lit: string } | { readonly any: 'one' | 'many' })[] = []
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i] as string
    if (escape !== undefined && c === escape) {
      const next = pat[++i]
      if (next === undefined) return dataError('LIKE pattern must not end with the escape character')
      toks.push({ lit: next })
    } else if (c === '%') toks.push({ any: 'many' })
    else if (c === '_') toks.push({ any: 'one' })
    else toks.push({ lit: c })
  }
  // Dynamic programming over (token, position): no exponential backtracking on hostile patterns.
  let reach = new Array<boolean>(src.length + 1).fill(false)
  reach[0] = true
  for (const t of toks) {
    const next = new Array<boolean>(src.length + 1).fill(false)
    for (let j = 0; j <= src.length; j++) {
      if (!reach[j]) continue
      if ('any' in t && t.any === 'many') {
        for (let k = j; k <= src.length; k++) next[k] = true
        break
      }
      if (j < src.length && ('any' in t || src[j] === t.lit)) next[j + 1] = true
    }
    reach = next
  }
  return reach[src.length] === true
}

/** CAST(v AS t). */
export const castTo = (p: Profile, v: SqlValue, t: DataType): SqlValue => {
  if (v === null) return null
  switch (t.kind) {
    case 'integer':
    case 'smallint':
    case 'bigint': {
      const n = toNumber(p, v)
      return p.castRealToInt === 'truncate' ? Math.trunc(n) : roundHalfAway(n, 0)
    }
    case 'real':
    case 'double':
    case 'numeric':
      return t.kind === 'numeric' && t.scale !== undefined ? roundHalfAway(toNumber(p, v), t.scale) : toNumber(p, v)
    case 'text':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'enum':
      return toText(p, v)
    case 'boolean':
      return typeof v === 'boolean' ? v : toNumber(p, v) !== 0
    case 'date':
      return v instanceof Date ? v.toISOString().slice(0, 10) : toText(p, v).slice(0, 10)
    case 'timestamp':
      return v instanceof Date ? v : new Date(toText(p, v))
    default:
      return v
  }
}

const text = (p: Profile, v: SqlValue): string | null => (v === null ? null : toText(p, v))

/** A built-in scalar function over evaluated arguments. */
export const builtin = (p: Profile, fn: BuiltinFn, args: readonly SqlValue[]): SqlValue => {
  const [a, b, c] = args
  switch (fn) {
    case 'coalesce':
      return args.find((x) => x !== null) ?? null
    case 'nullif':
      return sqlEquals(p)(a ?? null, b ?? null) === true ? null : (a ?? null)
    default:
      break
  }
  if (args.some((x) => x === null)) return null
  switch (fn) {
    case 'lower': {
      const s = text(p, a ?? null) as string
      return p.caseMapping === 'ascii' ? asciiLower(s) : mariadbLower(s)
    }
    case 'upper': {
      const s = text(p, a ?? null) as string
      return p.caseMapping === 'ascii' ? asciiUpper(s) : mariadbUpper(s)
    }
    case 'length':
      return Array.from(text(p, a ?? null) as string).length
    case 'trim':
      return (text(p, a ?? null) as string).replace(/^ +| +$/gu, '')
    case 'substr': {
      const s = Array.from(text(p, a ?? null) as string)
      const start = Math.trunc(toNumber(p, b as Exclude<SqlValue, null>))
      const count = c === undefined ? undefined : Math.trunc(toNumber(p, c as Exclude<SqlValue, null>))
      if (p.name === 'mariadb' || p.name === 'mysql8') {
        // MySQL: position 0 gives '', a negative one counts from the end.
        if (start === 0 || (count !== undefined && count <= 0)) return ''
        const from = start > 0 ? start - 1 : Math.max(s.length + start, 0)
        if (start < 0 && -start > s.length) return ''
        return s.slice(from, count === undefined ? undefined : from + count).join('')
      }
      if (count !== undefined && count < 0) return p.name === 'postgres' ? dataError('negative substring length not allowed') : ''
      // SQL standard (PostgreSQL, SQLite for positive starts): characters at positions [start, start + count).
      const from = Math.max(start, 1)
      const end = count === undefined ? s.length + 1 : start + count
      return s.slice(from - 1, Math.max(end - 1, from - 1)).join('')
    }
    case 'abs':
      return Math.abs(toNumber(p, a as Exclude<SqlValue, null>))
    case 'round':
      return roundHalfAway(toNumber(p, a as Exclude<SqlValue, null>), b === undefined ? 0 : toNumber(p, b as Exclude<SqlValue, null>))
  }
}

/** A function called by name (`fn<T>(name, ...)`): the ones the evaluator knows. */
export const namedFunction = (p: Profile, name: string, args: readonly SqlValue[]): SqlValue => {
  const n = name.toLowerCase()
  if (n === 'greatest' || n === 'least') {
    const present = args.filter((x): x is Exclude<SqlValue, null> => x !== null)
    if (present.length === 0 || (p.greatestNull === 'null' && present.length < args.length)) return null
    const sign = n === 'greatest' ? 1 : -1
    return present.reduce((m, x) => (sign * compareValues(p)(x, m) > 0 ? x : m))
  }
  if (n === 'char_length' || n === 'character_length') return builtin(p, 'length', args)
  if (n === 'concat_ws' || n === 'replace' || n === 'reverse') {
    if (n === 'reverse') return args[0] === null || args[0] === undefined ? null : Array.from(toText(p, args[0])).reverse().join('')
    if (n === 'replace') {
      const [s, f, t] = args
      return s == null || f == null || t == null ? null : toText(p, s).split(toText(p, f)).join(toText(p, t))
    }
    const [sep, ...rest] = args
    return sep == null ? null : rest.filter((x): x is Exclude<SqlValue, null> => x !== null).map((x) => toText(p, x)).join(toText(p, sep))
  }
  return notEvaluable(`function ${name}`, p.name)
}

/** A date part of a date, timestamp or ISO text, in UTC. */
export const extractPart = (part: DatePart, v: SqlValue): SqlValue => {
  if (v === null) return null
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(/^\d{4}-\d\d-\d\d$/u.test(v) ? `${v}T00:00:00Z` : /[zZ]|[+-]\d\d:?\d\d$/u.test(v) ? v : `${v.replace(' ', 'T')}Z`) : undefined
  if (d === undefined || Number.isNaN(d.getTime())) return dataError(`not a date: ${String(v)}`)
  switch (part) {
    case 'year':
      return d.getUTCFullYear()
    case 'month':
      return d.getUTCMonth() + 1
    case 'day':
      return d.getUTCDate()
    case 'hour':
      return d.getUTCHours()
    case 'minute':
      return d.getUTCMinutes()
    case 'second':
      return d.getUTCSeconds()
  }
}
