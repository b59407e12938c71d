/**
 * SQL data types as plain values. A `DataType` says what the column is in
 * the database (and so how DDL names it and how a bound value is encoded);
 * `TypeOf<D>` is the TypeScript type of a value of that column.
 */

/** A JSON value, the TypeScript type of `json` / `jsonb` columns. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json }

/** The scalars a driver can bind: what a compiled statement's params hold. */
export type SqlParam = null | boolean | number | bigint | string | Date | Uint8Array

/** Every SQL data type quarry knows, as a closed union keyed by `kind`. */
export type DataType =
  | { readonly kind: 'integer' }
  | { readonly kind: 'bigint' }
  | { readonly kind: 'smallint' }
  | { readonly kind: 'text' }
  | { readonly kind: 'varchar'; readonly length: number }
  | { readonly kind: 'char'; readonly length: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'numeric'; readonly precision: number | undefined; readonly scale: number | undefined }
  | { readonly kind: 'real' }
  | { readonly kind: 'double' }
  | { readonly kind: 'date' }
  | { readonly kind: 'time' }
  | { readonly kind: 'timestamp'; readonly withTimeZone: boolean }
  | { readonly kind: 'json' }
  | { readonly kind: 'jsonb' }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'enum'; readonly name: string; readonly values: readonly string[] }

/** The `kind` of every data type. */
export type DataTypeKind = DataType['kind']

/** TypeScript type carried by each data type kind (enums are refined by the column builder). */
export interface KindToTs {
  readonly integer: number
  readonly bigint: bigint
  readonly smallint: number
  readonly text: string
  readonly varchar: string
  readonly char: string
  readonly boolean: boolean
  /** Exact decimals travel as strings so no precision is lost. */
  readonly numeric: string
  readonly real: number
  readonly double: number
  /** `YYYY-MM-DD`. */
  readonly date: string
  /** `HH:MM:SS[.fff]`. */
  readonly time: string
  readonly timestamp: Date
  readonly json: Json
  readonly jsonb: Json
  readonly uuid: string
  readonly bytes: Uint8Array
  readonly enum: string
}

/** A short stable text for a data type, used in shape keys and messages. */
export const showDataType = (t: DataType): string => {
  switch (t.kind) {
    case 'varchar':
    case 'char':
      return `${t.kind}(${t.length})`
    case 'numeric':
      return t.precision === undefined ? 'numeric' : `numeric(${t.precision},${t.scale ?? 0})`
    case 'timestamp':
      return t.withTimeZone ? 'timestamptz' : 'timestamp'
    case 'enum':
      return `enum:${t.name}(${t.values.join('|')})`
    default:
      return t.kind
  }
}
