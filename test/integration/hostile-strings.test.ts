/**
 * Hostile strings as VALUES on the three real engines: inserted with quarry,
 * selected back by key, matched with `=` and with LIKE (escaped with
 * `escapeLike`), and echoed from a select list. They must round-trip
 * exactly and never run as SQL: a canary table and the row counts stay as
 * they were. PostgreSQL cannot store NUL in text; there the statement must
 * fail with a typed error (SQLSTATE 22021) and write nothing.
 */
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { engines, type OpenDb, type TestEngine } from '../support/quarry-engines.js'
import { hostileSeed, hostileString } from '../support/hostile.js'
import { normalise } from '../support/normalise.js'

const canary = Q.table('canary', { id: Q.integer().primaryKey(), v: Q.text().notNull() })
const store = Q.table('store', { id: Q.integer().primaryKey(), v: Q.text().notNull() })
const DECOY = 'zz decoy zz'

/**
 * Whether the engine's `=` makes two strings equal. MariaDB's utf8mb4_bin is
 * a PAD SPACE collation: trailing spaces are ignored by `=` (not by LIKE).
 */
const equalOn = (engine: TestEngine, a: string, b: string): boolean =>
  engine.name === 'mariadb' ? a.replace(/ +$/, '') === b.replace(/ +$/, '') : a === b

/** Whether the engine's LIKE without wildcards matches: SQLite's LIKE folds ASCII case. */
const likeEqualOn = (engine: TestEngine, a: string, b: string): boolean =>
  engine.name === 'sqlite' ? a.replace(/[A-Z]/g, (c) => c.toLowerCase()) === b.replace(/[A-Z]/g, (c) => c.toLowerCase()) : a === b

describe.each(engines)('hostile strings as values on $name', (engine) => {
  let db: OpenDb
  beforeAll(async () => {
    db = await engine.open()
    await db.run(Q.createTable(canary))
    await db.run(Q.createTable(store))
    await db.run(Q.insert(canary, { id: 1, v: 'alive' }))
  })
  afterAll(async () => {
    await db?.close()
  })

  const ids = async (p: (s: { readonly store: typeof store.c }) => Q.Predicate): Promise<number[]> =>
    (await db.rows<{ id: number }>(pipe(Q.from(store), Q.where(p), Q.select((s) => ({ id: s.store.id })), Q.orderBy((s) => [s.store.id])))).map((r) => r.id)

  const canaryIntact = async (): Promise<void> => {
    expect(await db.rows(Q.from(canary))).toEqual([{ id: 1, v: 'alive' }])
  }

  it('round-trip as data and never run as SQL (100 cases, fixed seed)', async () => {
    const seen = { nul: 0, quote: 0, backslash: 0, comment: 0, placeholder: 0, wildcard: 0, emoji: 0, rtl: 0 }
    await fc.assert(
      fc.asyncProperty(hostileString(), async (s) => {
        seen.nul += s.includes('\u0000') ? 1 : 0
        seen.quote += /['"`]/.test(s) ? 1 : 0
        seen.backslash += s.includes('\\') ? 1 : 0
        seen.comment += /--|\/\*|#/.test(s) ? 1 : 0
        seen.placeholder += /\$\d|\?|:name/.test(s) ? 1 : 0
        seen.wildcard += /[%_]/.test(s) ? 1 : 0
        seen.emoji += /\p{Extended_Pictographic}/u.test(s) ? 1 : 0
        seen.rtl += /[\u200F\u202E]/.test(s) ? 1 : 0
        await db.run(Q.deleteFrom(store))
        const insert = db.run(Q.insert(store, [{ id: 1, v: s }, { id: 2, v: DECOY }]))
        if (s.includes('\u0000') && engine.lacks.has('nul-in-text')) {
          // PostgreSQL text cannot hold NUL: a typed error, and nothing written.
          await expect(insert).rejects.toMatchObject({ _tag: 'DataException', dialect: 'postgres', code: '22021' })
          expect(await ids(() => Q.and())).toEqual([])
          await expect(db.run(Q.selectValues({ x: Q.val(s) }))).rejects.toMatchObject({ code: '22021' })
          return canaryIntact()
        }
        await insert
        // Read back by key: the exact string.
        const back = await db.rows<{ v: string }>(pipe(Q.from(store), Q.where((t) => Q.eq(t.store.id, 1)), Q.select((t) => ({ v: t.store.v }))))
        expect(back).toEqual([{ v: s }])
        // Matched with `=`: the row itself (and the decoy only where the engine's equality says so).
        expect(await ids((t) => Q.eq(t.store.v, s))).toEqual([1, ...(equalOn(engine, DECOY, s) ? [2] : [])].sort())
        // Matched with LIKE, the pattern escaped: the wildcards in it are literal.
        const exact = await ids((t) => Q.like(t.store.v, Q.escapeLike(s), { escape: '\\' }))
        expect(exact).toEqual([1, ...(likeEqualOn(engine, DECOY, s) ? [2] : [])].sort())
        const inside = await ids((t) => Q.like(t.store.v, `%${Q.escapeLike(s, '!')}%`, { escape: '!' }))
        expect(inside).toContain(1)
        // Echoed from a select list.
        expect(await db.rows(Q.selectValues({ x: Q.val(s) }))).toEqual([{ x: s }])
        // Nothing else was written or dropped.
        expect(normalise(await db.rows(pipe(Q.from(store), Q.select(() => ({ n: Q.count() })))), { n: 'int' })).toEqual([{ n: 2 }])
        await canaryIntact()
      }),
      { seed: hostileSeed, numRuns: 100 },
    )
    // The run really exercised every kind of hostile input (the property is not vacuous).
    for (const [kind, n] of Object.entries(seen)) expect({ kind, n: n > 0 }).toEqual({ kind, n: true })
  })
})
