/**
 * Interleaved timing of quarry against the raw driver doing the same work.
 * Each round times one batch of each side, alternating which goes first
 * (A B, B A, …) so drift on a shared, noisy machine hits both alike. The
 * times are medians over rounds; the ratio is the median over rounds of
 * quarry / baseline within the round. The paired ratio is what the
 * interleaving is for: both batches of a round ran under the same load, so
 * a busy moment that slows a whole round does not move it, where a ratio of
 * two separate medians would.
 */
import { performance } from 'node:perf_hooks'

/** One side of a comparison: a function doing one unit of work. */
export type Op = () => Promise<unknown> | unknown

/** What one workload measured on one engine. */
export interface Measurement {
  readonly workload: string
  readonly engine: string
  /** Median time per operation through quarry, in `unit`. */
  readonly quarry: number
  /** Median time per operation through the raw driver, in `unit`. */
  readonly baseline: number
  /** Median over rounds of quarry / baseline within the round. */
  readonly ratio: number
  readonly unit: 'µs/op' | 'ms/op'
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

const timeBatch = async (op: Op, n: number): Promise<number> => {
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await op()
  return (performance.now() - t0) / n
}

/** Options for {@link compare}. */
export interface CompareOptions {
  readonly rounds?: number
  /** Target duration of one batch in ms; the batch size is calibrated to it. */
  readonly batchMs?: number
  readonly unit: 'µs/op' | 'ms/op'
}

/** Measure `quarry` against `baseline`, interleaved. */
export const compare = async (
  workload: string,
  engine: string,
  quarry: Op,
  baseline: Op,
  options: CompareOptions,
): Promise<Measurement> => {
  const rounds = options.rounds ?? 15
  const batchMs = options.batchMs ?? 40
  // Warm up both sides (JIT, statement caches), then size batches to batchMs.
  const warm = Math.max(await timeBatch(quarry, 5), await timeBatch(baseline, 5))
  const n = Math.max(1, Math.round(batchMs / Math.max(warm, 0.0005)))
  await timeBatch(quarry, n)
  await timeBatch(baseline, n)
  const q: number[] = []
  const b: number[] = []
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      q.push(await timeBatch(quarry, n))
      b.push(await timeBatch(baseline, n))
    } else {
      b.push(await timeBatch(baseline, n))
      q.push(await timeBatch(quarry, n))
    }
  }
  if (process.env['BENCH_ROUNDS'] !== undefined)
    console.log(`  ${workload} ${engine} rounds: quarry/raw ${q.map((x, i) => (x / b[i]!).toFixed(2)).join(' ')}; raw ${b.map((x) => (x * (options.unit === 'µs/op' ? 1000 : 1)).toPrecision(3)).join(' ')}`)
  const scale = options.unit === 'µs/op' ? 1000 : 1
  const paired = q.map((x, i) => x / b[i]!)
  return { workload, engine, quarry: round(median(q) * scale), baseline: round(median(b) * scale), ratio: round(median(paired)), unit: options.unit }
}

const round = (x: number): number => Math.round(x * 1000) / 1000
