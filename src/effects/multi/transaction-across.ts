/**
 * Any programs, on several engines, as one atomic unit: each engine gets a
 * two-phase branch, the programs run in the order given (several on one
 * engine share its branch), and the branches commit together through the
 * same coordinator and decision log as a change graph does (see
 * `two-phase.ts`): all or nothing, or in doubt until `recover`.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { BeginOptions } from '../../drivers/driver.js'
import type { Engine } from '../engine.js'
import type { Program } from '../program.js'
import { byName } from './commit-across.js'
import { twoPhaseUnsupported, type MultiFailure } from './errors.js'
import { checkScope } from './log.js'
import { twoPhase } from './two-phase.js'

/** Options of {@link transactionAcross}. */
export interface TransactionAcrossOptions {
  /** Where decision records go (it needs the `twoPhaseLog` table); a branch is opened there even if no program runs on it. */
  readonly log: Engine
  /** Isolation / read-only of every branch. */
  readonly begin?: BeginOptions
}

/** The results of programs, in order. */
export type ResultsOf<W> = { -readonly [K in keyof W]: W[K] extends readonly [Engine, Program<infer A>] ? A : never }

/**
 * Run programs on their engines atomically, with two-phase commit.
 *
 * @example
 * const r = await transactionAcross({ log: pg })([
 *   [pg, sql('UPDATE account SET balance = balance - 10 WHERE id = 1')],
 *   [maria, sql('UPDATE ledger SET total = total + 10 WHERE id = 7')],
 * ] as const)()
 */
export const transactionAcross =
  (o: TransactionAcrossOptions) =>
  <const W extends readonly (readonly [Engine, Program<unknown>])[]>(work: W): TE.TaskEither<MultiFailure, { readonly gtid: string; readonly results: ResultsOf<W> }> =>
  async () => {
    const named = byName([o.log, ...work.map(([e]) => e)])
    if (E.isLeft(named)) return named
    const lacking = [...named.right.values()].filter((e) => e.dialect.name === 'sqlite').map((e) => e.name)
    if (lacking.length > 0) return E.left(twoPhaseUnsupported(lacking))
    const scope = checkScope(o.log.name)
    if (E.isLeft(scope)) return scope
    const r = await twoPhase([...named.right.keys()], named.right, { log: o.log, scope: scope.right, ...(o.begin === undefined ? {} : { begin: o.begin }) }, 'work', async (on) => {
      const results: unknown[] = []
      for (const [engine, program] of work) {
        const x = await program(on(engine.name))()
        if (E.isLeft(x)) return E.left({ engine: engine.name, cause: x.left })
        results.push(x.right)
      }
      return E.right(results)
    })
    return E.map((x: { readonly gtid: string; readonly value: unknown[] }) => ({ gtid: x.gtid, results: x.value as ResultsOf<W> }))(r)
  }
