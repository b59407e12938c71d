/**
 * Key lists for select-in loading: the predicate `key IN (...)` (or, for a
 * composite key, an OR of ANDs, since the algebra has no row-value IN), and
 * the statements that carry a long key list, chunked so that no statement
 * exceeds the dialect's bind-parameter limit.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Q from '../algebra/index.js'
import { compile, type Compiled, type Dialect } from '../interpret/index.js'
import { planCompileError, type MappingError } from './errors.js'
import { bindLimits } from './loaders.js'

/** `cols IN keys` for one or several key columns. */
export const keyPredicate = (cols: readonly Q.Expr<unknown>[], keys: readonly (readonly unknown[])[]): Q.Predicate => {
  const [only] = cols
  if (cols.length === 1 && only !== undefined) return Q.isIn(only, keys.map((k) => k[0]) as never)
  return Q.or(...keys.map((k) => Q.and(...cols.map((c, i) => Q.eq(c, k[i] as never)))))
}

/**
 * Compile `build(chunk)` for consecutive chunks of `keys`, each as large as
 * the bind limit allows (`limit` overrides the dialect's, e.g. in tests).
 * When the keys may not fit in one statement, the parameters it has
 * besides the keys are measured by compiling a chunk of a single key.
 */
export const chunkedStatements = (
  d: Dialect,
  step: string,
  keys: readonly (readonly unknown[])[],
  build: (chunk: readonly (readonly unknown[])[]) => Q.StatementNode,
  limit?: number,
): E.Either<MappingError, readonly Compiled[]> => {
  const first = keys[0]
  if (first === undefined) return E.right([])
  const perKey = first.length
  const max = limit ?? bindLimits[d.name]
  // The usual case: the keys take at most half the limit, so one statement very likely fits.
  if (keys.length * perKey <= max / 2) {
    const whole = compile(d)(build(keys))
    if (E.isLeft(whole)) return E.left(planCompileError(step, whole.left))
    if (whole.right.params.length <= max) return E.right([whole.right])
  }
  const probe = compile(d)(build([first]))
  if (E.isLeft(probe)) return E.left(planCompileError(step, probe.left))
  const other = probe.right.params.length - perKey
  const per = Math.max(1, Math.floor((max - other) / perKey))
  const out: Compiled[] = []
  for (let at = 0; at < keys.length; at += per) {
    const c = compile(d)(build(keys.slice(at, at + per)))
    if (E.isLeft(c)) return E.left(planCompileError(step, c.left))
    out.push(c.right)
  }
  return E.right(out)
}

/** The distinct keys (by `keyOf`) of some objects, as value tuples; NULL-containing keys left out. */
export const distinctKeys = (objs: readonly object[], props: readonly string[], keyOf: (o: object, props: readonly string[]) => unknown): (readonly unknown[])[] => {
  const seen = new Set<unknown>()
  const out: (readonly unknown[])[] = []
  for (const o of objs) {
    const k = keyOf(o, props)
    if (k === undefined || seen.has(k)) continue
    seen.add(k)
    out.push(props.map((p) => (o as Record<string, unknown>)[p]))
  }
  return out
}
