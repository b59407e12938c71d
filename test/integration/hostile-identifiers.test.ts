/**
 * Hostile strings as IDENTIFIERS on the three real engines: a table, its
 * column, a table alias and an output column alias, all named by hostile
 * strings, created through quarry DDL, written, read back and dropped. The
 * names must stay names: the row comes back under the hostile output name,
 * and a canary table with its row survives every case.
 *
 * What may fail, and how, is predicted per case:
 * - empty or NUL-containing names: quarry's `InvalidIdentifier` (all dialects);
 * - past the limit (PostgreSQL 63 bytes, MariaDB 64 characters): `IdentifierTooLong`;
 * - on MariaDB, names that break MySQL's documented identifier rules (a
 *   character outside the Basic Multilingual Plane; white space at the end, which
 *   table and column names cannot have, or at the start, which the server strips
 *   from an alias): quarry's `InvalidIdentifier` (formerly gap G6, when the
 *   engine refused or renamed them). The rules are written down in
 *   test/support/hostile.ts from the manuals, not read from quarry's dialect.
 *
 * Either way no SQL reaches the engine, and every other name round-trips under
 * exactly the name given.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { compile } from '../../src/interpret/index.js'
import { engines, type OpenDb, type TestEngine } from '../support/quarry-engines.js'
import { hostileSeed, hostileString, mysqlIdentifierRuleBroken } from '../support/hostile.js'

const canary = Q.table('canary', { id: Q.integer().primaryKey(), v: Q.text().notNull() })

type Rejection = 'InvalidIdentifier' | 'IdentifierTooLong'

/** The compile errors quarry may give for this name on this engine (all that apply; empty if the name is fine). */
const quarryRejects = (engine: TestEngine, name: string): readonly Rejection[] => {
  const out: Rejection[] = []
  if (name === '' || name.includes('\u0000')) out.push('InvalidIdentifier')
  if (engine.name === 'mariadb' && mysqlIdentifierRuleBroken(name) !== undefined) out.push('InvalidIdentifier')
  if (engine.name === 'postgresql' && Buffer.byteLength(name, 'utf8') > 63) out.push('IdentifierTooLong')
  if (engine.name === 'mariadb' && [...name].length > 64) out.push('IdentifierTooLong')
  return out
}

/** Whether every engine takes this name (and MariaDB keeps it as given): the rules above, at most 63 bytes. */
const everyEngineTakes = (name: string): boolean =>
  name !== '' && !name.includes('\u0000') && mysqlIdentifierRuleBroken(name) === undefined && Buffer.byteLength(name) <= 63

describe.each(engines)('hostile strings as identifiers on $name', (engine) => {
  let db: OpenDb
  beforeAll(async () => {
    db = await engine.open()
    await db.run(Q.createTable(canary))
    await db.run(Q.insert(canary, { id: 1, v: 'alive' }))
  })
  afterAll(async () => {
    await db?.close()
  })

  type Outcome = 'roundTrip' | 'quarryError'

  /** Create, write, read and drop a table named by hostile strings; the outcome must be the predicted one. */
  const oneCase = async ([tableName, columnName, aliasName, outName]: readonly [string, string, string, string]): Promise<Outcome> => {
    const t = Q.table(tableName, { [columnName]: Q.text() })
    const col = (s: Record<string, Record<string, Q.Expr<unknown>>>): Q.Expr<unknown> => {
      const c = s[aliasName]?.[columnName]
      if (c === undefined) throw new Error('column not in scope')
      return c
    }
    const read = pipe(Q.from(Q.alias(aliasName)(t)), Q.select((s) => ({ [outName]: col(s as never) })))
    const bad = (names: readonly string[]) => names.filter((n) => quarryRejects(engine, n).length > 0)
    const ddl = compile(db.dialect)(Q.createTable(t))
    const query = compile(db.dialect)(read)
    let outcome: Outcome
    if (bad([tableName, columnName, aliasName, outName]).length > 0) {
      // A typed compile error naming a name predicted to fail, with a tag predicted for it, and no SQL at all.
      // CREATE TABLE fails exactly when its own names (table, column) are predicted to.
      expect(E.isLeft(ddl)).toBe(bad([tableName, columnName]).length > 0)
      expect(E.isLeft(query)).toBe(true)
      for (const r of [ddl, query]) {
        if (E.isRight(r)) continue
        const e = r.left
        if (e._tag !== 'InvalidIdentifier' && e._tag !== 'IdentifierTooLong') throw new Error(`unexpected ${e._tag}: ${e.message}`)
        expect(quarryRejects(engine, e.identifier)).toContain(e._tag)
      }
      outcome = 'quarryError'
    } else {
      await db.run(Q.createTable(t))
      try {
        await db.run(Q.insert(t, { [columnName]: 'v1' } as never))
        // The row comes back under exactly the output name given, on every engine.
        expect(await db.rows(read)).toEqual([{ [outName]: 'v1' }])
        outcome = 'roundTrip'
      } finally {
        await db.run(Q.dropTable(t))
      }
    }
    expect(await db.rows(Q.from(canary))).toEqual([{ id: 1, v: 'alive' }])
    return outcome
  }

  const notCanary = (tableName: string): boolean => !['canary', 'sqlite_'].some((n) => tableName.toLowerCase().startsWith(n))

  it('names every engine accepts round-trip as names (100 cases, fixed seed)', async () => {
    // Hostile, but within what all three engines take: not empty, no NUL, within MySQL's identifier
    // rules (nothing outside the BMP, no white space at either end), at most 63 bytes.
    const accepted = hostileString(5, 1).filter(everyEngineTakes)
    await fc.assert(
      fc.asyncProperty(fc.tuple(accepted, accepted, accepted, accepted), async (names) => {
        fc.pre(notCanary(names[0]))
        expect(await oneCase(names)).toBe('roundTrip')
      }),
      { seed: hostileSeed + 1, numRuns: 100 },
    )
  })

  it('any hostile name: round-trip or the predicted typed error, never SQL run (100 cases, fixed seed)', async () => {
    const outcomes: Record<Outcome, number> = { roundTrip: 0, quarryError: 0 }
    let mysqlRules = 0
    // Mostly non-empty names (an empty one is a certain compile error and would crowd out the rest).
    const name = fc.oneof({ weight: 9, arbitrary: hostileString(5, 1) }, { weight: 1, arbitrary: fc.constant('') })
    await fc.assert(
      fc.asyncProperty(fc.tuple(name, name, name, name), async (names) => {
        fc.pre(notCanary(names[0]))
        if (names.some((n) => mysqlIdentifierRuleBroken(n) !== undefined)) mysqlRules++
        outcomes[await oneCase(names)]++
      }),
      { seed: hostileSeed + 2, numRuns: 100 },
    )
    // Both paths were exercised, and names breaking MySQL's rules were among the cases (on PostgreSQL and
    // SQLite those round-trip unless another problem applies).
    expect(outcomes.quarryError, JSON.stringify(outcomes)).toBeGreaterThan(0)
    expect(outcomes.roundTrip, JSON.stringify(outcomes)).toBeGreaterThan(0)
    expect(mysqlRules, JSON.stringify(outcomes)).toBeGreaterThan(0)
  })
})
