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
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    for (let h = hash(k) & mask; ; h = (h + 1) & mask) {
      const at = slots[h]!
      if (at === 0) {
        slots[h] = i + 1
        break
      }
      if (keys[at - 1] === k) {
        repeated(k, at - 1, i)
        break
      }
    }
  }
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
