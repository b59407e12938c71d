/**
 * `npm run bench`: every workload through quarry and through the raw driver
 * in one process, interleaved, on PostgreSQL, MariaDB and SQLite. Prints the
 * medians and ratios and writes bench/results.json (one object per workload
 * and engine: {workload, engine, quarry, baseline, ratio, unit}).
 *
 * `npm run bench -- driver` runs only the suites whose name contains
 * "driver"; `npm run bench -- persistence sqlite` only on the engines whose
 * name contains "sqlite" (servers left out are not started). With
 * `BENCH_ROUNDS=1` each workload also prints every round's ratio and
 * baseline time (how the median came about).
 */
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { startEngines } from './engines.js'
import type { Measurement } from './measure.js'
import { compileWorkloads } from './workloads/compile.js'
import { driverWorkloads } from './workloads/driver.js'
import { persistenceWorkloads } from './workloads/persistence.js'
import { mappingWorkloads } from './workloads/mapping.js'

const suites: ReadonlyArray<{ readonly name: string; readonly run: typeof driverWorkloads }> = [
  { name: 'driver', run: driverWorkloads },
  // Compile workloads need no database; each dialect reports under its engine's name.
  { name: 'compile', run: compileWorkloads },
  { name: 'persistence', run: persistenceWorkloads },
  { name: 'mapping', run: mappingWorkloads },
]

const main = async (): Promise<void> => {
  const filter = process.argv[2]
  const engines = await startEngines(process.argv[3])
  const results: Measurement[] = []
  try {
    for (const suite of suites) {
      if (filter !== undefined && !suite.name.includes(filter)) continue
      for (const m of await suite.run(engines)) {
        results.push(m)
        console.log(
          `${m.workload.padEnd(24)} ${m.engine.padEnd(11)} quarry ${m.quarry.toFixed(3).padStart(9)} ${m.unit}  raw ${m.baseline.toFixed(3).padStart(9)} ${m.unit}  ratio ${m.ratio.toFixed(3)}`,
        )
      }
    }
  } finally {
    await engines.stop()
  }
  // Compiled to .bench-build/ (the bench measures the JavaScript users run), so resolve from the package root.
  const file = join(process.cwd(), 'bench', 'results.json')
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\n${results.length} measurements written to bench/results.json (node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores)`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
