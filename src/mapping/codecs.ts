/**
 * io-ts codecs for column values (after the loaders): one per data type
 * kind, and the entity codec `t.type` built from them. The generated fast
 * decoders enforce the same rules inline; these codecs are what users see
 * (`entity.codec`) and what explains a failure with an io-ts path.
 */
import * as t from 'io-ts'
import type { DataType } from '../algebra/index.js'

const refined = <A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity)

/** A safe integer (what `integer` and `smallint` columns hold). */
export const integerCodec = refined('integer', (u): u is number => typeof u === 'number' && Number.isSafeInteger(u))
/** A 64-bit integer as a JavaScript bigint. */
export const bigintCodec = refined('bigint', (u): u is bigint => typeof u === 'bigint' && u >= -(2n ** 63n) && u < 2n ** 63n)
/** An exact decimal as a string of digits. */
export const decimalCodec = refined('numeric', (u): u is string => typeof u === 'string' && /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(u))
/** A calendar date `YYYY-MM-DD`. */
export const dateCodec = refined('date', (u): u is string => typeof u === 'string' && /^\d{4}-\d\d-\d\d$/.test(u))
/** A valid JavaScript Date. */
export const timestampCodec = refined('timestamp', (u): u is Date => u instanceof Date && !Number.isNaN(u.getTime()))
/** Binary data. */
export const bytesCodec = refined('bytes', (u): u is Uint8Array => u instanceof Uint8Array)
/** Any JSON document (already parsed). */
export const jsonCodec = refined('json', (u): u is unknown => u !== undefined)

/** The codec of a non-null value of a data type (a total switch on the kind). */
export const columnCodec = (d: DataType): t.Mixed => {
  switch (d.kind) {
    case 'integer':
    case 'smallint':
      return integerCodec
    case 'bigint':
      return bigintCodec
    case 'numeric':
      return decimalCodec
    case 'real':
    case 'double':
      return t.number
    case 'boolean':
      return t.boolean
    case 'text':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'time':
      return t.string
    case 'enum':
      return t.keyof(Object.fromEntries(d.values.map((v) => [v, null])) as Record<string, null>, d.name)
    case 'date':
      return dateCodec
    case 'timestamp':
      return timestampCodec
    case 'json':
    case 'jsonb':
      return jsonCodec
    case 'bytes':
      return bytesCodec
  }
}

/** A column codec that also admits `null` when the column is nullable. */
export const fieldCodec = (d: DataType, nullable: boolean): t.Mixed => {
  const c = columnCodec(d)
  return nullable ? t.union([c, t.null], `${c.name} | null`) : c
}

/** The first failure of a codec as an io-ts path (`Entity.column`), the expected type name and the value. */
export const firstFailure = (
  entity: string,
  errors: t.Errors,
): { readonly path: string; readonly expected: string; readonly value: unknown } | undefined => {
  const e = errors[0]
  if (e === undefined) return undefined
  // Union alternatives add numeric keys; the path and the expected type are those of the named property.
  const named = e.context.filter((c) => c.key !== '' && !/^\d+$/.test(c.key))
  const last = named[named.length - 1] ?? e.context[e.context.length - 1]
  return { path: [entity, ...named.map((c) => c.key)].join('.'), expected: last?.type.name ?? 'unknown', value: e.value }
}
