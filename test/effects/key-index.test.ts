/**
 * The change graph's node-key index: positions and repeated keys, for
 * ordinary keys and for keys that all land in the same slot of the table
 * (what someone controlling the keys could craft), where the index falls
 * back to a Map and must answer exactly the same.
 */
import { describe, expect, it } from 'vitest'
import { indexKeys } from '../../src/effects/graph/key-index.js'

/** FNV-1a as key-index.ts computes it, to find keys that collide there. */
const fnv = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}

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

  it('answers the same for keys that all fall into one slot (the Map fallback)', () => {
    // 300 keys: a table of 1,024 slots; keep strings whose hash is 0 in the low 10 bits.
    const colliding: string[] = []
    for (let n = 0; colliding.length < 300; n++) if ((fnv(`k${n}`) & 1023) === 0) colliding.push(`k${n}`)
    check([...colliding, colliding[7]!, colliding[299]!])
  })
})
