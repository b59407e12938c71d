/**
 * ORDER BY: a stable sort on evaluated keys, each ascending or descending,
 * with NULLs where the key says or, by default, where the profile puts them
 * (PostgreSQL: NULL is the largest value; MySQL and SQLite: the smallest).
 */
import type { OrderKey } from '../../algebra/index.js'
import type { Profile } from './profile.js'
import { compareValues, type SqlValue } from './values.js'

/** Compare two rows' evaluated sort keys under `keys`. */
export const compareKeys =
  (p: Profile, keys: readonly OrderKey[]) =>
  (a: readonly SqlValue[], b: readonly SqlValue[]): number => {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as OrderKey
      const x = a[i] ?? null
      const y = b[i] ?? null
      if (x === null && y === null) continue
      const desc = k.direction === 'desc'
      const nullsFirst = k.nulls === undefined ? p.nullsFirstAscending !== desc : k.nulls === 'first'
      if (x === null) return nullsFirst ? -1 : 1
      if (y === null) return nullsFirst ? 1 : -1
      const c = compareValues(p)(x, y)
      if (c !== 0) return desc ? -c : c
    }
    return 0
  }

/** Sort items by their keys (stable: ties keep their order). */
export const sortBy = <A>(p: Profile, keys: readonly OrderKey[], items: readonly A[], keyOf: (a: A) => readonly SqlValue[]): A[] => {
  const withKeys = items.map((item) => ({ item, k: keyOf(item) }))
  const cmp = compareKeys(p, keys)
  withKeys.sort((a, b) => cmp(a.k, b.k))
  return withKeys.map((x) => x.item)
}
