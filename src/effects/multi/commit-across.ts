/**
 * Committing one change graph over several engines: split it (see
 * `split.ts`), check every part before a connection is taken, then commit
 * it the cheapest way that keeps it atomic — one ordinary transaction when
 * the graph touches one engine, two-phase commit when it touches several
 * (see `two-phase.ts`), or, only when the caller opts in, one transaction
 * per engine in dependency order (not atomic across engines: a failure
 * after the first commit is a {@link PartialCommit}).
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { BeginOptions } from '../../drivers/driver.js'
import type { Engine } from '../engine.js'
import { commitPlanned, type Persisted } from '../graph/commit.js'
import type { ChangeGraph } from '../graph/graph.js'
import { run } from '../run.js'
import { invalidSetup, partialCommit, twoPhaseUnsupported, type MultiFailure } from './errors.js'
import { checkScope } from './log.js'
import { checkPart, planPart, splitGraph, type Assign, type Split } from './split.js'
import { commitTwoPhase, multiPersisted, type MultiPersisted } from './two-phase.js'

/** How a graph over several engines is committed: atomically with two-phase commit (default), or one transaction per engine. */
export type Atomicity = 'two-phase' | 'per-engine'

/** Options of a commit across engines. */
export interface CommitAcrossOptions {
  /** Where decision records go (default: the first engine). It needs the {@link twoPhaseLog} table and two-phase support. */
  readonly log?: Engine
  /** Default `two-phase`; `per-engine` trades atomicity across engines for engines that lack two-phase commit. */
  readonly atomic?: Atomicity
  /** Isolation / read-only of every two-phase branch. */
  readonly begin?: BeginOptions
}

/**
 * Engines by name; two engines with one name are an error (names are how parts, logs and xids tell them apart).
 *
 * @example
 * byName([pg, maria]) // E.right(Map { 'pg' => pg, 'maria' => maria })
 */
export const byName = (engines: readonly Engine[]): E.Either<MultiFailure, ReadonlyMap<string, Engine>> => {
  const m = new Map<string, Engine>()
  for (const e of engines) {
    if (m.has(e.name) && m.get(e.name) !== e) return E.left(invalidSetup(`two engines are named "${e.name}": give each a distinct name (createEngine(driver, { name }))`))
    m.set(e.name, e)
  }
  return E.right(m)
}

/** No engine of a two-phase commit may lack it: SQLite has none. */
const lacksTwoPhase = (e: Engine): boolean => e.dialect.name === 'sqlite'

const perEngine = async (split: Split, engines: ReadonlyMap<string, Engine>): Promise<E.Either<MultiFailure, MultiPersisted>> => {
  const persisted = new Map<string, Persisted>()
  const lookup = (node: string, column: string): unknown => persisted.get(split.home.get(node) ?? '')?.rows.get(node)?.[column]
  for (let i = 0; i < split.parts.length; i++) {
    const part = split.parts[i]!
    const engine = engines.get(part.engine)!
    const planned = planPart(split, part, engine.dialect, lookup)
    const r = E.isLeft(planned) ? planned : await run(engine)(commitPlanned(planned.right))()
    if (E.isLeft(r))
      return E.left(i === 0 ? r.left : partialCommit(split.parts.slice(0, i).map((p) => p.engine), part.engine, split.parts.slice(i + 1).map((p) => p.engine), r.left))
    persisted.set(part.engine, r.right)
  }
  return E.right(multiPersisted(undefined, split, persisted))
}

/**
 * Commit a graph whose nodes `assign` spreads over `engines`. Invalid
 * graphs, unknown engines and missing two-phase support fail before any
 * connection is taken.
 *
 * @example
 * const r = await commitAcross([pg, maria], (n) => E.right(n.table === orders ? 'maria' : 'pg'), { log: pg })(graph)()
 */
export const commitAcross =
  (engines: readonly Engine[], assign: Assign, o: CommitAcrossOptions = {}) =>
  (graph: ChangeGraph): TE.TaskEither<MultiFailure, MultiPersisted> =>
  async () => {
    const named = byName(o.log === undefined ? engines : [...engines, o.log])
    if (E.isLeft(named)) return named
    const split = splitGraph(graph, assign)
    if (E.isLeft(split)) return split
    const s = split.right
    for (const part of s.parts) {
      const engine = named.right.get(part.engine)
      if (engine === undefined) return E.left(invalidSetup(`node(s) of the graph were assigned to "${part.engine}", which is none of the engines (${[...named.right.keys()].join(', ')})`))
      const checked = checkPart(s, part, engine.dialect)
      if (E.isLeft(checked)) return checked
    }
    if (s.parts.length === 0) return E.right(multiPersisted(undefined, s, new Map()))
    if (s.parts.length === 1) {
      const part = s.parts[0]!
      const engine = named.right.get(part.engine)!
      const planned = planPart(s, part, engine.dialect, () => undefined)
      if (E.isLeft(planned)) return planned
      const r = await run(engine)(commitPlanned(planned.right))()
      return E.isLeft(r) ? r : E.right(multiPersisted(undefined, s, new Map([[part.engine, r.right]])))
    }
    if (o.atomic === 'per-engine') return perEngine(s, named.right)
    const log = o.log ?? engines[0]!
    const missing = [log, ...s.parts.map((p) => named.right.get(p.engine)!)].filter(lacksTwoPhase).map((e) => e.name)
    if (missing.length > 0) return E.left(twoPhaseUnsupported([...new Set(missing)]))
    const scope = checkScope(log.name)
    if (E.isLeft(scope)) return scope
    return commitTwoPhase(s, named.right, { log, scope: scope.right, ...(o.begin === undefined ? {} : { begin: o.begin }) })
  }
