/**
 * What the codec round-trip law expects back: decode(encode(x)) equals x by
 * the equality of x's type (exact for integers, bigints, decimals, text,
 * dates, instants, bytes; float32 rounding for `real`; microseconds for
 * `time`; deep equality for JSON, where -0 = 0; case-insensitive for UUIDs),
 * except where an engine truly cannot hold x. Those exceptions are the
 * dialect differences below, each pinned to exactly what the engine gives,
 * never skipped:
 *
 * - char(n): PostgreSQL pads to n characters, MariaDB strips trailing
 *   spaces (PAD_CHAR_TO_FULL_LENGTH is off), SQLite keeps the text as sent.
 * - numeric on SQLite: no exact decimal type (NUMERIC affinity stores a
 *   REAL or an INTEGER): the value read is the double nearest to x.
 * - numeric() on MariaDB is DECIMAL(65, 30): a 31st fraction digit is
 *   rounded half away from zero.
 * - NUL in text on PostgreSQL, and in a jsonb string or key: refused by
 *   the engine (22021 / 22P05), the statement writes nothing (checked in
 *   codec.test.ts before the row is sent again without those values).
 *
 * Known gaps (driver or quarry, logged in docs/gaps): a mismatch of this
 * shape is counted under its id, a match is simply a pass, so a fix is seen.
 * - D1: mysql2 reads DATE / DATETIME years 0001–0099 as 19xx or 20xx.
 * - D2: a MariaDB FLOAT or DOUBLE read through the text protocol (quarry's
 *   MySQL driver sends a statement without parameters as a plain query)
 *   has 6 or 15 significant digits.
 * - D3: pg prints and parses a `timestamp` without time zone in the
 *   process's local time: in a zone with DST, an instant of the repeated
 *   hour comes back as the other instant with the same local wall clock.
 */
import type { EngineName } from '../test/support/quarry-engines.js'
import type { CodecColumn } from './codec-gen.js'

/** A decimal as an exact rational m·10^-e with m a bigint, from any decimal spelling (sign, exponent, dot). */
const parseDecimal = (s: string): { readonly m: bigint; readonly e: number } => {
  const x = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/u.exec(s)
  if (x === null) throw new Error(`not a decimal: ${s}`)
  const [, sign = '', int = '', frac = '', exp = '0'] = x
  let m = BigInt(`${int}${frac}` || '0')
  let e = frac.length - Number(exp)
  if (e < 0) {
    m *= 10n ** BigInt(-e)
    e = 0
  }
  return { m: sign === '-' ? -m : m, e }
}

/** The canonical text of a decimal (no trailing fraction zeros, no -0). */
export const canonicalDecimal = (s: string): string => {
  let { m, e } = parseDecimal(s)
  while (e > 0 && m % 10n === 0n) {
    m /= 10n
    e--
  }
  const neg = m < 0n
  const digits = (neg ? -m : m).toString().padStart(e + 1, '0')
  const body = e === 0 ? digits : `${digits.slice(0, digits.length - e)}.${digits.slice(digits.length - e)}`
  return m === 0n ? '0' : `${neg ? '-' : ''}${body}`
}

/** `s` rounded half away from zero to `scale` fraction digits (how MariaDB stores an over-long fraction). */
export const roundDecimal = (s: string, scale: number): string => {
  const { m, e } = parseDecimal(s)
  if (e <= scale) return canonicalDecimal(s)
  const f = 10n ** BigInt(e - scale)
  const neg = m < 0n
  const a = neg ? -m : m
  const q = a / f + ((a % f) * 2n >= f ? 1n : 0n)
  return canonicalDecimal(`${neg ? '-' : ''}${q}e-${scale}`)
}

/** Microseconds since midnight of a `HH:MM:SS[.ffffff]` time. */
const micros = (s: string): number | undefined => {
  const x = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/u.exec(s)
  return x === null ? undefined : ((Number(x[1]) * 60 + Number(x[2])) * 60 + Number(x[3])) * 1e6 + Number((x[4] ?? '').padEnd(6, '0'))
}

/** Deep equality of JSON documents (-0 equals 0, as JSON has one zero). */
export const jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Array.isArray(b)) return false
  const ka = Object.keys(a).sort()
  const kb = Object.keys(b).sort()
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** Does a JSON document hold NUL in a string or key? (PostgreSQL's jsonb refuses it.) */
export const jsonHasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\u0000')
    : Array.isArray(v)
      ? v.some(jsonHasNul)
      : typeof v === 'object' && v !== null && Object.entries(v).some(([k, x]) => k.includes('\u0000') || jsonHasNul(x))

/** The n of each char(n) column (codec-gen.ts). */
const charWidth: Partial<Record<CodecColumn, number>> = { c1: 1, c: 6 }

/**
 * Does `got` agree with `x` to `n` significant digits? (The server's text is not always the correctly
 * rounded n-digit form: `981531931763.9889` reads `981531931763.9888`.)
 */
const digitsOf = (n: number, got: number, x: number): boolean =>
  Math.abs(got - x) <= 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(x))) - (n - 1)) * (1 + 1e-9)

/** Two instants with the same wall clock in the process's time zone (both sides of a DST fall-back). */
const sameLocalTime = (a: Date, b: Date): boolean =>
  a.getFullYear() === b.getFullYear() &&
  a.getMonth() === b.getMonth() &&
  a.getDate() === b.getDate() &&
  a.getHours() === b.getHours() &&
  a.getMinutes() === b.getMinutes() &&
  a.getSeconds() === b.getSeconds() &&
  a.getMilliseconds() === b.getMilliseconds()

/** How a value came back: as expected, as a known gap, or a mismatch (with what was expected). */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly gap: string | undefined; readonly expected: string }

const OK: Verdict = { ok: true }
const show = (v: unknown): string =>
  v instanceof Date ? v.toISOString() : v instanceof Uint8Array ? `bytes ${Buffer.from(v).toString('hex')}` : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v)

/**
 * Compare what was read back (`got`, after the entity decoder) with what was
 * sent (`sent`) for one column on one engine. `textProtocol` says the row
 * came through MariaDB's text protocol (a statement without parameters).
 */
export const verdict = (engine: EngineName, col: CodecColumn, sent: unknown, got: unknown, textProtocol: boolean): Verdict => {
  const miss = (expected: unknown, gap?: string): Verdict => ({ ok: false, gap, expected: show(expected) })
  if (sent === null) return got === null ? OK : miss(null)
  if (got === null) return miss(sent)
  switch (col) {
    case 'i':
    case 's':
    case 'b':
    case 'bo':
    case 'e':
    case 't':
    case 'v1':
    case 'v':
      return got === sent ? OK : miss(sent)
    case 'c1':
    case 'c': {
      const s = sent as string
      const n = charWidth[col] ?? 0
      const want = engine === 'postgresql' ? s + ' '.repeat(n - [...s].length) : engine === 'mariadb' ? s.replace(/ +$/u, '') : s
      return got === want ? OK : miss(want)
    }
    case 'n1':
    case 'n7':
    case 'n18':
    case 'n38':
    case 'nf':
    case 'nu': {
      if (typeof got !== 'string') return miss(sent)
      if (engine === 'sqlite') return Number(got) === Number(sent) ? OK : miss(Number(sent))
      const want = engine === 'mariadb' && col === 'nu' ? roundDecimal(sent as string, 30) : canonicalDecimal(sent as string)
      return canonicalDecimal(got) === want ? OK : miss(want)
    }
    case 'r': {
      if (typeof got !== 'number') return miss(sent)
      if (Math.fround(got) === Math.fround(sent as number)) return OK
      return miss(sent, engine === 'mariadb' && textProtocol && digitsOf(6, got, Math.fround(sent as number)) ? 'D2' : undefined)
    }
    case 'd':
      if (got === sent) return OK
      return miss(sent, engine === 'mariadb' && textProtocol && typeof got === 'number' && digitsOf(15, got, sent as number) ? 'D2' : undefined)
    case 'dt': {
      if (got === sent) return OK
      return miss(sent, engine === 'mariadb' && Number((sent as string).slice(0, 4)) < 100 ? 'D1' : undefined)
    }
    case 'ts':
    case 'tz': {
      if (got instanceof Date && got.getTime() === (sent as Date).getTime()) return OK
      if (engine === 'mariadb' && (sent as Date).getUTCFullYear() < 100) return miss(sent, 'D1')
      return miss(sent, engine === 'postgresql' && col === 'ts' && got instanceof Date && sameLocalTime(got, sent as Date) ? 'D3' : undefined)
    }
    case 'tm': {
      const a = micros(sent as string)
      return typeof got === 'string' && a !== undefined && micros(got) === a ? OK : miss(sent)
    }
    case 'j':
    case 'jb':
      return jsonEqual(sent, got) ? OK : miss(sent)
    case 'u':
      return typeof got === 'string' && got.toLowerCase() === (sent as string).toLowerCase() ? OK : miss(sent)
    case 'by':
      return got instanceof Uint8Array && Buffer.from(got).equals(Buffer.from(sent as Uint8Array)) ? OK : miss(sent)
  }
}

/** Columns whose value PostgreSQL refuses (NUL in text; NUL in a jsonb string or key). */
export const refusedByPostgres = (col: CodecColumn, v: unknown): boolean =>
  v !== null && ((typeof v === 'string' && ['t', 'v1', 'v', 'c1', 'c'].includes(col) && v.includes('\u0000')) || (col === 'jb' && jsonHasNul(v)))

export { show as showValue }
