/**
 * Prints the closing line CI reads: `N passed, N failed` (and skipped, if
 * any). A test file that failed to load or whose hooks failed counts as a
 * failure even when none of its tests ran, as does an unhandled error.
 */
import type { Reporter, TestModule } from 'vitest/node'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const m of modules) {
      let moduleFailures = 0
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') moduleFailures++
        else skipped++
      }
      if (moduleFailures === 0 && m.state() === 'failed') moduleFailures = 1
      failed += moduleFailures
    }
    failed += unhandled.length
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`)
  }
}
