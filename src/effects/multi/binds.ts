/**
 * Binds: which engine each table (or entity) lives on, with a default for
 * the rest — SQLAlchemy's per-mapper binds as a value. A statement runs on
 * the engine of the tables it touches; one that touches tables of two
 * engines is a typed {@link CrossEngine} error, never a silent
 * cross-database join. A change graph is split by the binds of its rows'
 * tables and committed atomically across engines (see `commit-across.ts`).
 *
 * Hand-written SQL names no table quarry can see: a statement made only of
 * text runs on the default engine; use {@link runOn} to say where it goes.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StatementNode } from '../../algebra/index.js'
import type { AnyTable } from '../../algebra/schema/table.js'
import type { Row } from '../../drivers/driver.js'
import type { Args } from '../../interpret/index.js'
import type { AnyEntity } from '../../mapping/index.js'
import type { Engine } from '../engine.js'
import type { ChangeGraph } from '../graph/graph.js'
import { query, type Program } from '../program.js'
import { run } from '../run.js'
import { commitAcross, byName, type CommitAcrossOptions } from './commit-across.js'
import { invalidSetup, type CrossEngine, type MultiFailure } from './errors.js'
import { touched } from './tables.js'
import type { MultiPersisted } from './two-phase.js'

/** Tables bound to engines. */
export interface Binds {
  readonly _tag: 'Binds'
  readonly default: Engine
  /** Engine by table name. */
  readonly tables: ReadonlyMap<string, Engine>
  /** Every engine, by name. */
  readonly engines: ReadonlyMap<string, Engine>
}

/** What can be bound: a table, or an entity (over a table, or over a select: every table it reads). */
export type Bindable = AnyTable | AnyEntity

const tablesOf = (x: Bindable): readonly AnyTable[] =>
  x._tag === 'Table' ? [x] : x.source._tag === 'Table' ? [x.source.table] : [...touched(x.source.query).tables.values()]

/**
 * Bind tables and entities to engines; everything else goes to `fallback`.
 * A table bound to two engines, or two engines with one name, is an
 * {@link InvalidSetup}.
 *
 * @example
 * const b = binds(pg, [[users, pg], [OrderE, maria]])
 */
export const binds = (fallback: Engine, entries: readonly (readonly [Bindable, Engine])[] = []): E.Either<MultiFailure, Binds> => {
  const engines = byName([fallback, ...entries.map(([, e]) => e)])
  if (E.isLeft(engines)) return engines
  const tables = new Map<string, Engine>()
  for (const [x, engine] of entries)
    for (const t of tablesOf(x)) {
      const had = tables.get(t.name)
      if (had !== undefined && had !== engine) return E.left(invalidSetup(`table ${t.name} is bound to both ${had.name} and ${engine.name}`))
      tables.set(t.name, engine)
    }
  return E.right(Object.freeze({ _tag: 'Binds' as const, default: fallback, tables, engines: engines.right }))
}

/**
 * The engine a table is bound to.
 *
 * @example
 * engineOfTable(b)(orders).name // 'maria'
 */
export const engineOfTable =
  (b: Binds) =>
  (t: AnyTable): Engine =>
    b.tables.get(t.name) ?? b.default

/** The one engine of a set of tables, or the CrossEngine error naming where each is. */
const oneEngine = (b: Binds, tables: readonly AnyTable[]): E.Either<CrossEngine, Engine> => {
  const engines = new Set(tables.map(engineOfTable(b)))
  if (engines.size <= 1) return E.right([...engines][0] ?? b.default)
  const where = Object.fromEntries(tables.map((t) => [t.name, engineOfTable(b)(t).name]))
  return E.left(
    Object.freeze({
      _tag: 'CrossEngine',
      tables: Object.freeze(where),
      message: `the statement touches tables on different engines (${Object.entries(where).map(([t, e]) => `${t} on ${e}`).join(', ')}); quarry does not join across databases: query each engine and combine the rows`,
    }),
  )
}

/**
 * The engine a statement runs on.
 *
 * @example
 * engineOf(b)(Q.from(users)) // E.right(pg)
 */
export const engineOf =
  (b: Binds) =>
  (s: StatementNode): E.Either<CrossEngine, Engine> =>
    oneEngine(b, [...touched(s).tables.values()])

/**
 * Run a query on the engine its tables are bound to.
 *
 * @example
 * const rows = await queryBound(b)(Q.from(users))()
 */
export const queryBound =
  (b: Binds) =>
  <R = Row>(s: StatementNode, args?: Args): TE.TaskEither<MultiFailure, ReadonlyArray<R>> => {
    const e = engineOf(b)(s)
    return E.isLeft(e) ? TE.left(e.left) : run(e.right)(query<R>(s, args))
  }

/**
 * Run a program on the engine of the given tables and entities (all of
 * which must be bound to one engine).
 *
 * @example
 * await runOn(b)([users, posts])(transaction()(pipe(execute(insertUser), RTE.chain(() => execute(insertPost)))))()
 */
export const runOn =
  (b: Binds) =>
  (on: readonly Bindable[]) =>
  <A>(program: Program<A>): TE.TaskEither<MultiFailure, A> => {
    const e = oneEngine(b, on.flatMap(tablesOf))
    return E.isLeft(e) ? TE.left(e.left) : run(e.right)(program)
  }

/**
 * Commit a change graph by binds: each row goes to its table's engine. One
 * engine: one transaction. Several: two-phase commit (decision records on
 * `options.log`, default the binds' default engine), or one transaction per
 * engine when `options.atomic` is `per-engine`.
 *
 * @example
 * const r = await commitBound(b)(pipe(G.empty, G.insert('u', users, { name: 'ada' }), G.insert('o', orders, { user_id: G.ref('u') })))()
 */
export const commitBound =
  (b: Binds, options: CommitAcrossOptions = {}) =>
  (graph: ChangeGraph): TE.TaskEither<MultiFailure, MultiPersisted> =>
    commitAcross([...b.engines.values()], (n) => E.right(engineOfTable(b)(n.table).name), { log: b.default, ...options })(graph)
