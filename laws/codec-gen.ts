/**
 * What the codec round-trip law writes: one wide table with a column of
 * every data type the schema builder has (and the parameterised ones at the
 * edges of their precision, scale and length), and fast-check arbitraries
 * of the values each column's TypeScript type admits, edges first: NULL,
 * integer range ends, 64-bit integers past 2^53, decimals at full precision
 * and scale, float32/float64 extremes and subnormals, -0, empty and unicode
 * strings with NUL and characters outside the BMP, leading/trailing spaces
 * in char(n), dates at 0001 and 9999 and on leap days, times at microsecond
 * precision, timestamps with milliseconds, nested JSON with unicode keys,
 * mixed-case UUIDs, empty byte arrays. Nothing is left out to dodge an
 * engine: what an engine cannot hold is stated in codec-expect.ts.
 */
import fc from 'fast-check'
import * as Q from '../src/algebra/index.js'

/** The round-trip table: one column per data type (all nullable) and a key. */
export const CodecTable = Q.table('codec_rt', {
  id: Q.integer().primaryKey(),
  i: Q.integer(),
  s: Q.smallint(),
  b: Q.bigint(),
  t: Q.text(),
  v1: Q.varchar(1),
  v: Q.varchar(12),
  c1: Q.char(1),
  c: Q.char(6),
  bo: Q.boolean(),
  n1: Q.numeric(1, 0),
  n7: Q.numeric(7, 3),
  n18: Q.numeric(18, 0),
  n38: Q.numeric(38, 10),
  nf: Q.numeric(38, 38),
  nu: Q.numeric(),
  r: Q.real(),
  d: Q.double(),
  dt: Q.date(),
  tm: Q.time(),
  ts: Q.timestamp(),
  tz: Q.timestamp({ withTimeZone: true }),
  j: Q.json(),
  jb: Q.jsonb(),
  u: Q.uuid(),
  by: Q.bytes(),
  e: Q.enumOf('codec_mood', ['calm', 'Calm', 'busy', 'ünï 🎉']),
})

/** The value columns (every column but the key). */
export type CodecColumn = Exclude<keyof typeof CodecTable.columns, 'id'>
export const codecColumns = Object.keys(CodecTable.columns).filter((c) => c !== 'id') as readonly CodecColumn[]

/** One generated row: a value (or null) per column. */
export type CodecRow = { readonly id: number } & { readonly [K in CodecColumn]: unknown }

const nullable = <A>(a: fc.Arbitrary<A>, edges: readonly A[] = []): fc.Arbitrary<A | null> =>
  edges.length === 0
    ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 6, arbitrary: a })
    : fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom(...edges) }, { weight: 5, arbitrary: a })

/** One code point: characters that break naive handling first, then any ASCII, then any code point. */
const codePoint: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\u0000', ' ', 'ß', '🎉', '\u0301', '\u00a0', '\ufeff', '\\', "'", '"', '%', '_', '\n', '\t', '\u{10ffff}', 'İ'),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
)

/** Text of at most `max` code points (what varchar(n)/char(n) count). */
const textOf = (max: number): fc.Arbitrary<string> => fc.string({ unit: codePoint, maxLength: max })

const digits = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '3', '7'), minLength: min, maxLength: max })

/** A decimal string with at most `intDigits` integer and `scale` fraction digits, in the spellings a user writes. */
const decimalOf = (intDigits: number, scale: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom('', '-', '+'), digits(0, intDigits), digits(0, scale), fc.boolean())
    .map(([sign, int, frac, dot]) => {
      const i = int === '' && frac === '' ? '0' : int
      return `${sign}${i}${frac !== '' ? `.${frac}` : dot && i !== '' && scale > 0 ? '.' : ''}`
    })

/** The extremes of a numeric(p, s): ±(10^(p-s) - 10^-s) and the smallest step. */
const decimalEdges = (p: number, s: number): string[] => {
  const max = `${'9'.repeat(p - s) || '0'}${s > 0 ? `.${'9'.repeat(s)}` : ''}`
  const step = s > 0 ? `0.${'0'.repeat(s - 1)}1` : '1'
  return [max, `-${max}`, step, `-${step}`, '0', '-0']
}

const dateRange = { min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }
const pad = (n: number, w: number): string => String(n).padStart(w, '0')
const ymd = (d: Date): string => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`

const dateEdges = ['0001-01-01', '9999-12-31', '2024-02-29', '2000-02-29', '1900-02-28', '1582-10-10', '1970-01-01', '0099-12-31', '0100-03-01']
const instantEdges = [
  '0001-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '1969-12-31T23:59:59.999Z',
  '2024-02-29T12:34:56.789Z',
  '2038-01-19T03:14:08.000Z',
  '0050-06-15T00:00:00.001Z',
  // St John's repeated hour (01:01 local happens twice on 3 Nov 2024), and the hour it skips in spring.
  '2024-11-03T04:31:00.000Z',
  '2024-03-10T05:31:00.000Z',
].map((s) => new Date(s))

const time: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.option(digits(1, 6), { nil: undefined }))
  .map(([h, m, s, f]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${f === undefined ? '' : `.${f}`}`)

/** JSON documents: scalars and nested arrays/objects, strings and keys in full unicode (NUL included). */
const json: fc.Arbitrary<unknown> = fc.letrec<{ doc: unknown }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    textOf(8),
    fc.array(tie('doc'), { maxLength: 4 }),
    fc.dictionary(textOf(6), tie('doc'), { maxKeys: 4 }),
  ),
})).doc

const uuid: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff')), fc.boolean())
  .map(([u, upper]) => (upper ? u.toUpperCase() : u))

const I32 = 2 ** 31
const I64 = 2n ** 63n

/** The values of each column's type. */
export const columnArbs: { readonly [K in CodecColumn]: fc.Arbitrary<unknown> } = {
  i: nullable(fc.integer({ min: -I32, max: I32 - 1 }), [-I32, I32 - 1, 0, -1]),
  s: nullable(fc.integer({ min: -32768, max: 32767 }), [-32768, 32767]),
  b: nullable(fc.bigInt({ min: -I64, max: I64 - 1n }), [-I64, I64 - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 0n]),
  t: nullable(textOf(40), ['', ' ', '\u0000', 'a '.repeat(3)]),
  v1: nullable(textOf(1), ['', ' ', '🎉']),
  v: nullable(textOf(12), ['', ' x ', '🎉'.repeat(12)]),
  c1: nullable(textOf(1), ['', ' ', 'é']),
  c: nullable(textOf(6), ['', '      ', ' a', 'a ', '🎉🎉🎉🎉🎉🎉']),
  bo: nullable(fc.boolean()),
  n1: nullable(decimalOf(1, 0), decimalEdges(1, 0)),
  n7: nullable(decimalOf(4, 3), decimalEdges(7, 3)),
  n18: nullable(decimalOf(18, 0), decimalEdges(18, 0)),
  n38: nullable(decimalOf(28, 10), decimalEdges(38, 10)),
  nf: nullable(decimalOf(0, 38), decimalEdges(38, 38)),
  // Unconstrained: MariaDB's DECIMAL(65, 30) holds 35 integer digits; more fraction digits than 30 are generated on purpose.
  nu: nullable(decimalOf(35, 40), ['1e5', '-2.5E-3', '.5', '123.4500', '0.1']),
  r: nullable(fc.float({ noNaN: true, noDefaultInfinity: true }), [0, -0, 0.1, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38]),
  d: nullable(fc.double({ noNaN: true, noDefaultInfinity: true }), [0, -0, 0.1, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2]),
  dt: nullable(fc.date(dateRange).map(ymd), dateEdges),
  tm: nullable(time, ['00:00:00', '23:59:59.999999', '12:00:00.5', '00:00:00.000001']),
  ts: nullable(fc.date(dateRange), instantEdges),
  tz: nullable(fc.date(dateRange), instantEdges),
  j: nullable(json, ['', 'x', 0, [], {}, { '': null }, [[[['deep']]]]]),
  jb: nullable(json, ['', 'x', 0, [], {}, { 'é': { '🎉': [1.5, -0, 'ü'] } }]),
  u: nullable(uuid),
  by: nullable(fc.uint8Array({ maxLength: 40 }), [new Uint8Array(0), new Uint8Array([0]), new Uint8Array([0xff, 0, 0xfe])]),
  e: nullable(fc.constantFrom('calm', 'Calm', 'busy', 'ünï 🎉')),
}

/** One row of values with the given key. */
export const rowArb = (id: number): fc.Arbitrary<CodecRow> =>
  fc.record(columnArbs).map((r) => ({ id, ...r }) as CodecRow)

/** A batch of 1–4 rows (keys 1..n), inserted by one multi-row INSERT. */
export const rowsArb: fc.Arbitrary<readonly CodecRow[]> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => rowArb(k + 1))))
