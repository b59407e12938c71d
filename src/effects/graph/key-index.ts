/**
 * The node keys of a graph, indexed by position. A graph of thousands of
 * rows has thousands of keys, and a `Map` filled one key at a time grows
 * and rehashes its way there: about 100 ns a key for 10,000 keys on this
 * machine, the largest single cost of checking a bulk insert. Knowing the
 * number of keys up front, one open-addressing table of positions sized
 * once (load ≤ 1/2, FNV-1a over the key's characters, linear probing)
 * does the same work for about 20 ns a key.
 */

/** Positions of keys: the index of `key` in the array the index was built from, or -1. */
export interface KeyIndex {
  readonly find: (key: string) => number
}

/** FNV-1a over UTF-16 code units. */
const hash = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}

/**
 * Index `keys` by position. A key that appears again is reported to
 * `repeated` with both positions, and `find` answers its first position.
 * Keys crafted to collide (FNV-1a is not seeded, where V8's own string
 * hash is) would make the table quadratic: past a bound on probing the
 * index is built as a `Map` instead, slower but never worse than that.
 *
 * @example
 * const ix = indexKeys(['a', 'b'], () => {})
 * ix.find('b') // 1
 */
export const indexKeys = (keys: readonly string[], repeated: (key: string, first: number, again: number) => void): KeyIndex => {
  let size = 2
  while (size < keys.length * 2) size *= 2
  const mask = size - 1
  // Position + 1 in each slot; 0 is empty.
  const slots = new Int32Array(size)
  // At a load of at most 1/2, ordinary keys probe about 1.5 slots each.
  let budget = 8 * keys.length + 64
  const repeats: number[] = []
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    for (let h = hash(k) & mask; ; h = (h + 1) & mask) {
      if (--budget < 0) return mapIndex(keys, repeated)
      const at = slots[h]!
      if (at === 0) {
        slots[h] = i + 1
        break
      }
      if (keys[at - 1] === k) {
        repeats.push(at - 1, i)
        break
      }
    }
  }
  for (let r = 0; r < repeats.length; r += 2) repeated(keys[repeats[r]!]!, repeats[r]!, repeats[r + 1]!)
  return {
    find: (key) => {
      for (let h = hash(key) & mask; ; h = (h + 1) & mask) {
        const at = slots[h]!
        if (at === 0) return -1
        if (keys[at - 1] === key) return at - 1
      }
    },
  }
}

/** {@link indexKeys} over a `Map` (V8's seeded string hash). */
const mapIndex = (keys: readonly string[], repeated: (key: string, first: number, again: number) => void): KeyIndex => {
  const at = new Map<string, number>()
  for (let i = 0; i < keys.length; i++) {
    const first = at.get(keys[i]!)
    if (first === undefined) at.set(keys[i]!, i)
    else repeated(keys[i]!, first, i)
  }
  return { find: (key) => at.get(key) ?? -1 }
}
