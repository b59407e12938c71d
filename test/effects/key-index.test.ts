/**
 * The change graph's node-key index: positions and repeated keys, for
 * ordinary keys and for keys that all land in the same slot of the table
 * (what someone controlling the keys could craft), where the index falls
 * back to a Map and must answer exactly the same; and for keys in
 * ascending order (length, then code units), whose table is built only
 * when a key is first looked up. Cases and seed: QUARRY_LAW_RUNS,
 * QUARRY_LAW_SEED.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { indexKeys } from '../../src/effects/graph/key-index.js'

/** FNV-1a as key-index.ts computes it, to find keys that collide there. */
const fnv = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}

const RUNS = Number(process.env['QUARRY_LAW_RUNS'] ?? 200)
const SEED = Number(process.env['QUARRY_LAW_SEED'] ?? 20261125)

/** Length first, then code units: the order in which the index skips hashing. */
const byLengthThenUnits = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

const check = (keys: readonly string[]): void => {
  const repeats: [string, number, number][] = []
  const ix = indexKeys(
    keys.map((key) => ({ key })),
    (k, first, again) => repeats.push([k, first, again]),
  )
  const first = new Map<string, number>()
  const expected: [string, number, number][] = []
  keys.forEach((k, i) => {
    const f = first.get(k)
    if (f === undefined) first.set(k, i)
    else expected.push([k, f, i])
  })
  // Reported when the index is made, before any look-up (validation asks for none in a graph without references).
  expect(repeats).toEqual(expected)
  for (const [k, i] of first) expect(ix.find(k)).toBe(i)
  expect(ix.find('not a key')).toBe(-1)
  expect(repeats).toEqual(expected)
}

describe('indexKeys', () => {
  it('finds each key at its first position and reports every repetition once', () => {
    check(['a', 'b', 'a', 'c', 'b', 'a'])
    check(Array.from({ length: 10_000 }, (_, i) => `i${i}`))
    check([])
  })

  it('answers the same for keys in ascending order, sorted with and without repeats, and for lists that turn back late', () => {
    // Short keys over a small alphabet: repeats, equal lengths and prefixes are common.
    const key = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\u{1F600}'), maxLength: 4 })
    fc.assert(
      fc.property(fc.array(key, { maxLength: 60 }), fc.nat(), (keys, cut) => {
        const sorted = [...keys].sort(byLengthThenUnits)
        check(keys)
        check(sorted)
        check([...new Set(sorted)])
        // Ascending, then one key that breaks the order (anywhere, possibly a repeat of an earlier one).
        const unique = [...new Set(sorted)]
        if (unique.length > 0) check([...unique, unique[cut % unique.length]!])
      }),
      { numRuns: RUNS, seed: SEED },
    )
    check(['a', 'b', 'b'])
    check(['b', 'aa', 'ab', 'ab'])
  })

  it('answers the same for keys that all fall into one slot (the Map fallback)', () => {
    // 300 keys: a table of 1,024 slots; keep strings whose hash is 0 in the low 10 bits.
    const colliding: string[] = []
    for (let n = 0; colliding.length < 300; n++) if ((fnv(`k${n}`) & 1023) === 0) colliding.push(`k${n}`)
    check([...colliding, colliding[7]!, colliding[299]!])
  })
})
