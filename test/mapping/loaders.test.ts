/**
 * Loaders, unit by unit: what each driver hands back for each column kind
 * becomes the column's TypeScript value, and anything that would lose
 * information (an int8 past 2^53 as a number, a non-integer in an integer
 * column, text that is not JSON) is refused with FAIL.
 */
import { describe, expect, it } from 'vitest'
import type { DataType } from '../../src/algebra/index.js'
import { FAIL, loaderFor } from '../../src/mapping/index.js'

const T = {
  integer: { kind: 'integer' },
  bigint: { kind: 'bigint' },
  boolean: { kind: 'boolean' },
  money: { kind: 'numeric', precision: 10, scale: 2 },
  json: { kind: 'json' },
  date: { kind: 'date' },
  ts: { kind: 'timestamp', withTimeZone: false },
  mood: { kind: 'enum', name: 'mood', values: ['calm', 'busy'] },
} as const satisfies Record<string, DataType>

describe('loaders', () => {
  it('turns int8 strings into exact bigints and refuses rounded numbers', () => {
    const pg = loaderFor('postgres', T.bigint, false)
    expect(pg('9223372036854775807')).toBe(9223372036854775807n)
    expect(loaderFor('mariadb', T.bigint, false)('-42')).toBe(-42n)
    expect(loaderFor('sqlite', T.bigint, false)(42)).toBe(42n)
    expect(loaderFor('sqlite', T.bigint, false)(2 ** 53 + 2)).toBe(FAIL)
    expect(pg('12.5')).toBe(FAIL)
  })

  it('reads integer columns from numbers, int8 strings (COUNT) and bigints only when exact', () => {
    const int = loaderFor('postgres', T.integer, false)
    expect([int(7), int('7'), int(7n)]).toEqual([7, 7, 7])
    expect(int('9007199254740993')).toBe(FAIL)
    expect(int(1.5)).toBe(FAIL)
    expect(int(null)).toBe(FAIL)
    expect(loaderFor('postgres', T.integer, true)(null)).toBeNull()
  })

  it('reads booleans as each engine stores them', () => {
    expect(loaderFor('postgres', T.boolean, false)(true)).toBe(true)
    expect([0, 1].map(loaderFor('mariadb', T.boolean, false))).toEqual([false, true])
    expect([0, 1].map(loaderFor('sqlite', T.boolean, false))).toEqual([false, true])
    expect(loaderFor('sqlite', T.boolean, false)(2)).toBe(FAIL)
  })

  it('keeps decimals exact, and prints SQLite REAL money at its declared scale', () => {
    expect(loaderFor('postgres', T.money, false)('1234.50')).toBe('1234.50')
    expect(loaderFor('mariadb', T.money, false)('0.99')).toBe('0.99')
    expect(loaderFor('sqlite', T.money, false)(2)).toBe('2.00')
    expect(loaderFor('sqlite', T.money, false)(2328.6000000000004)).toBe('2328.60')
    expect(loaderFor('postgres', T.money, false)('abc')).toBe(FAIL)
  })

  it('parses JSON text (SQLite) and keeps documents the driver parsed (PostgreSQL, MariaDB)', () => {
    expect(loaderFor('sqlite', T.json, true)('{"a":[1]}')).toEqual({ a: [1] })
    // mysql2 parses MariaDB's JSON columns (extended metadata): the document "text" arrives as the string text.
    expect(loaderFor('mariadb', T.json, true)('text')).toBe('text')
    expect(loaderFor('mariadb', T.json, true)('"text"')).toBe('"text"')
    expect(loaderFor('postgres', T.json, true)('text')).toBe('text')
    expect(loaderFor('sqlite', T.json, true)('{oops')).toBe(FAIL)
  })

  it('reads dates and timestamps from Date objects and SQLite text', () => {
    process.env.TZ = 'UTC'
    expect(loaderFor('mariadb', T.date, false)(new Date('2024-02-29T00:00:00Z'))).toBe('2024-02-29')
    expect(loaderFor('sqlite', T.date, false)('2024-02-29')).toBe('2024-02-29')
    expect(loaderFor('sqlite', T.ts, false)('2021-01-01T00:00:00.000Z')).toEqual(new Date('2021-01-01T00:00:00.000Z'))
    expect(loaderFor('sqlite', T.ts, false)('2021-01-01 10:00:00')).toEqual(new Date('2021-01-01T10:00:00.000Z'))
    expect(loaderFor('mariadb', T.ts, false)(new Date(Number.NaN))).toBe(FAIL)
    expect(loaderFor('sqlite', T.ts, false)('yesterday')).toBe(FAIL)
  })

  it('admits only the values of an enum', () => {
    expect(loaderFor('sqlite', T.mood, false)('calm')).toBe('calm')
    expect(loaderFor('sqlite', T.mood, false)('angry')).toBe(FAIL)
  })
})
