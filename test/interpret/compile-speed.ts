/**
 * Quick micro-benchmark of build + compile (not a test, not the bench/
 * suite): `npx tsx test/interpret/compile-speed.ts`, or faster and closer
 * to production on tsc output (tsx wraps every closure creation for
 * keepNames). Prints µs per operation uncached (cache cleared every time)
 * and cached.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as Q from '../../src/algebra/index.js'
import { clearStatementCache, compile, postgres } from '../../src/interpret/index.js'
import { comments, posts, users } from './fixtures.js'

const build = (name: string, score: number, n: number) =>
  pipe(
    Q.from(users),
    Q.join(posts, (s) => Q.eq(s.posts.author_id, s.users.id)),
    Q.join(comments, (s) => Q.eq(s.comments.post_id, s.posts.id)),
    Q.where((s) => Q.and(Q.eq(s.users.name, name), Q.gt(s.posts.score, score))),
    Q.select((s) => ({ name: s.users.name, title: s.posts.title, body: s.comments.body })),
    Q.orderBy((s) => [Q.desc(s.posts.score)]),
    Q.limit(n),
  )

const pg = compile(postgres)
const time = (label: string, n: number, f: (i: number) => void): number => {
  for (let i = 0; i < n / 10; i++) f(i)
  const runs: number[] = []
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) f(i)
    runs.push(Number(process.hrtime.bigint() - t0) / 1000 / n)
  }
  runs.sort((a, b) => a - b)
  const median = runs[3] as number
  console.log(`${label}: ${median.toFixed(2)} µs/op (median of 7 × ${n})`)
  return median
}

let sink = 0
time('build only', 100_000, (i) => {
  sink += build('ada', i, 10).fields.length
})
time('build + compile, uncached', 20_000, (i) => {
  clearStatementCache(postgres)
  const r = pg(build('ada', i, 10))
  sink += r._tag === 'Right' ? r.right.params.length : 0
})
time('build + compile, cached', 100_000, (i) => {
  const r = pg(build('ada', i, 10))
  sink += r._tag === 'Right' ? r.right.params.length : 0
})
const q = build('ada', 1, 10)
time('compile only, cached', 200_000, () => {
  const r = pg(q)
  sink += r._tag === 'Right' ? r.right.params.length : 0
})
if (sink === 42) console.log('')
