/**
 * Realistic Chinook questions run on PostgreSQL, MariaDB and SQLite, each
 * loaded through quarry's own DDL and inserts. Every question must give the
 * same rows on the three engines (in the same order where the query orders
 * them completely) after the explicit normalisation its case declares, and
 * many must also give the answer computed independently from the fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Row } from '../../src/drivers/driver.js'
import { analyticCases } from '../support/chinook-analytics.js'
import { basicCases, type ChinookCase } from '../support/chinook-queries.js'
import { loadChinook } from '../support/chinook.js'
import { engines, type EngineName, type OpenDb } from '../support/quarry-engines.js'
import { asBag, normalise } from '../support/normalise.js'

process.env.TZ = 'UTC'

const cases: readonly ChinookCase[] = [...basicCases, ...analyticCases]

describe('Chinook questions give the same rows on every engine', () => {
  const dbs = new Map<EngineName, OpenDb>()

  beforeAll(async () => {
    await Promise.all(
      engines.map(async (e) => {
        const db = await e.open()
        dbs.set(e.name, db)
        await loadChinook(db.conn, db.dialect)
      }),
    )
  })
  afterAll(async () => {
    await Promise.all([...dbs.values()].map((db) => db.close()))
  })

  it('has at least 25 questions', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25)
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length)
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const results = new Map<EngineName, Record<string, unknown>[]>()
    for (const [name, db] of dbs) {
      const rows: readonly Row[] = await db.rows(c.query)
      const norm = normalise(rows, c.norm)
      results.set(name, c.ordered ? norm : asBag(norm))
    }
    const reference = results.get('postgresql')
    expect(reference, 'PostgreSQL rows').toBeDefined()
    expect(reference?.length, 'a question with no rows proves little').toBeGreaterThan(0)
    for (const [name, rows] of results) expect({ engine: name, rows }).toEqual({ engine: name, rows: reference })
    if (c.expected !== undefined) {
      const got = c.head === true ? reference?.slice(0, c.expected.length) : reference
      expect(got).toEqual(c.expected)
    }
  })
})
