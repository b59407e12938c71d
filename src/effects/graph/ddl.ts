/**
 * Schema changes inside a change graph. A graph may create the tables (and
 * indexes) its rows go into, or drop tables it empties, and commit both
 * atomically — where the dialect's DDL is transactional (PostgreSQL,
 * SQLite). Creates run before any row is written, a created table after
 * the created tables its foreign keys reference; drops run after every
 * row, an index before its table and a table before the tables it
 * references. A foreign key added by ALTER TABLE (a reference cycle, see
 * `Q.createAll`) runs after both tables it joins are created; one dropped,
 * before either is dropped. On the MySQL family every DDL statement commits the open
 * transaction, so a graph holding one could not be all-or-nothing: it is
 * rejected when planned, before a connection is taken.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { DdlNode } from '../../algebra/ddl/ddl-node.js'
import type { ForeignKey } from '../../algebra/schema/table.js'
import { compile, type Dialect } from '../../interpret/index.js'
import type { GraphProblem } from './errors.js'
import type { SchemaChange } from './graph.js'
import { traits, type Built } from './sql.js'

/** One DDL statement of a plan. */
export interface SchemaStep extends Built {
  readonly _tag: 'Schema'
  /** The table it creates, changes or drops. */
  readonly table: string
  /** The node, as a one-element list like every other step's. */
  readonly nodes: readonly string[]
  readonly statement: DdlNode
}

/** The schema steps of a graph: those before the rows, those after. */
export interface SchemaSteps {
  readonly first: readonly SchemaStep[]
  readonly last: readonly SchemaStep[]
}

/**
 * A statement in words, for plan printouts and messages.
 *
 * @example
 * ddlWords(Q.createIndex(labels, 'labels_by_name')) // 'create index labels_by_name on labels'
 */
export const ddlWords = (s: DdlNode): string => {
  const verb = s._tag.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  return 'index' in s ? `${verb} ${s.index.name} on ${s.table.name}` : `${verb} ${s.table.name}`
}

const isDrop = (s: DdlNode): boolean => s._tag === 'DropTable' || s._tag === 'DropIndex' || (s._tag === 'AlterTable' && s.action._tag === 'DropForeignKey')

/**
 * Tables a statement's table references through its foreign keys (itself
 * excluded), leaving out keys a CREATE TABLE omits and keys the graph drops
 * by ALTER TABLE; for an ALTER TABLE of a key, the table that key references.
 */
const referenced = (s: DdlNode, dropped: ReadonlySet<ForeignKey>): readonly string[] => {
  const keys = s._tag === 'AlterTable' ? [s.action.foreignKey] : s.table.foreignKeys
  const omitted = s._tag === 'CreateTable' ? (s.omitForeignKeys ?? []) : []
  return keys.filter((f) => s._tag === 'AlterTable' || (!omitted.includes(f) && !dropped.has(f))).map((f) => f.references().name).filter((n) => n !== s.table.name)
}

/** Whether `a` must run before `b` among the creates: `b` needs the table `a` creates (an added key: both tables it joins). */
const createBefore =
  (dropped: ReadonlySet<ForeignKey>) =>
  (a: DdlNode, b: DdlNode): boolean =>
    a._tag === 'CreateTable' &&
    a !== b &&
    (b._tag === 'CreateTable' ? referenced(b, dropped).includes(a.table.name) : b.table.name === a.table.name || (b._tag === 'AlterTable' && referenced(b, dropped).includes(a.table.name)))

/**
 * Whether `a` must run before `b` among the drops: an index or a dropped key
 * before its table, a dropped key before the table it references, a table
 * before the tables it still references.
 */
const dropBefore =
  (dropped: ReadonlySet<ForeignKey>) =>
  (a: DdlNode, b: DdlNode): boolean =>
    b._tag === 'DropTable' &&
    a !== b &&
    (a._tag === 'DropIndex' ? a.table.name === b.table.name : (a._tag === 'AlterTable' && a.table.name === b.table.name) || referenced(a, dropped).includes(b.table.name))

/** Order keeping graph order where `before` says nothing; a cycle keeps graph order for the rest. */
const stableOrder = <T extends { readonly statement: DdlNode }>(xs: readonly T[], before: (a: DdlNode, b: DdlNode) => boolean): T[] => {
  const left = [...xs]
  const out: T[] = []
  while (left.length > 0) {
    const i = left.findIndex((x) => !left.some((y) => before(y.statement, x.statement)))
    out.push(...left.splice(i < 0 ? 0 : i, 1))
  }
  return out
}

/**
 * Compile and order a graph's schema changes for a dialect; problems for a
 * dialect whose DDL is not transactional and for statements that do not
 * compile.
 *
 * @example
 * const problems: GraphProblem[] = []
 * const { first, last } = schemaSteps(postgres, checked.schema, problems)
 */
export const schemaSteps = (d: Dialect, changes: readonly SchemaChange[], problems: GraphProblem[]): SchemaSteps => {
  if (changes.length === 0) return { first: [], last: [] }
  if (traits[d.name].ddl === 'implicit-commit') {
    for (const c of changes)
      problems.push({
        _tag: 'DdlNotTransactional',
        node: c.key,
        dialect: d.name,
        message: `node "${c.key}": ${d.name} commits the open transaction at every DDL statement (${ddlWords(c.statement)}), so the graph could not be committed atomically; run the DDL before the graph`,
      })
    return { first: [], last: [] }
  }
  const run = compile(d)
  const steps: { readonly statement: DdlNode; readonly step: SchemaStep }[] = []
  for (const c of changes) {
    const compiled = run(c.statement)
    if (E.isLeft(compiled)) {
      problems.push({ _tag: 'DdlDoesNotCompile', node: c.key, cause: compiled.left, message: `node "${c.key}": ${ddlWords(c.statement)} does not compile for ${d.name}: ${compiled.left.message}` })
      continue
    }
    const { sql, params } = compiled.right
    steps.push({ statement: c.statement, step: Object.freeze({ _tag: 'Schema', sql, params, table: c.table.name, nodes: Object.freeze([c.key]), statement: c.statement }) })
  }
  const dropped = new Set<ForeignKey>()
  for (const c of changes) if (c.statement._tag === 'AlterTable' && c.statement.action._tag === 'DropForeignKey') dropped.add(c.statement.action.foreignKey)
  return {
    first: stableOrder(steps.filter((x) => !isDrop(x.statement)), createBefore(dropped)).map((x) => x.step),
    last: stableOrder(steps.filter((x) => isDrop(x.statement)), dropBefore(dropped)).map((x) => x.step),
  }
}
