/**
 * The change graph as a value: rows to insert, update (by diff against a
 * loaded snapshot) or delete, at the table level. Nodes are named by a key
 * unique in the graph; a column of a new row may hold a {@link Ref} to
 * another node ("the generated key of node `ada`"), which is what makes the
 * graph a graph (and what an entity layer maps relationships onto). Nothing
 * here touches a database: `plan` (see `plan.ts`) orders and batches it,
 * `commit` (see `commit.ts`) runs it.
 *
 * @example
 * const g = pipe(
 *   G.empty,
 *   G.insert('ada', users, { name: 'ada' }),
 *   G.insert('post', posts, { title: 'hello', author_id: G.ref('ada') }),
 * )
 */
import type { DdlNode } from '../../algebra/ddl/ddl-node.js'
import type { ColumnOptional, ColumnType } from '../../algebra/schema/column.js'
import type { MetaData } from '../../algebra/schema/metadata.js'
import type { AnyTable, Columns, RowOf, Table } from '../../algebra/schema/table.js'

/** "The value of `column` of node `node`" — by default its (generated) primary key. */
export interface Ref {
  readonly _tag: 'Ref'
  readonly node: string
  /** undefined: the referenced table's single-column primary key. */
  readonly column: string | undefined
}

/** A row value as stored in a node: column name to a plain value or a {@link Ref}. */
export type Cells = Readonly<Record<string, unknown>>

/** A new row of `table`. */
export interface InsertRow {
  readonly _tag: 'InsertRow'
  readonly key: string
  readonly table: AnyTable
  readonly values: Cells
}

/**
 * An existing row, loaded as `snapshot`, with `changes` to write (only the
 * columns that differ are written). `key` is undefined for a row saved by
 * its primary key alone ({@link saveRow}): nothing can reference it, it is
 * not among the persisted rows by node, and problems name it by its table
 * and key (see {@link nodeName}).
 */
export interface UpdateRow {
  readonly _tag: 'UpdateRow'
  readonly key: string | undefined
  readonly table: AnyTable
  readonly snapshot: Cells
  readonly changes: Cells
  /** Optimistic concurrency: the version column, compared with the snapshot's value and incremented. */
  readonly version: string | undefined
}

/** An existing row to delete, identified by its primary key (read from `row`). */
export interface DeleteRow {
  readonly _tag: 'DeleteRow'
  readonly key: string
  readonly table: AnyTable
  readonly row: Cells
  readonly version: string | undefined
  /** When set, quarry deletes the rows that reference this one first, where the schema's FKs do not cascade. */
  readonly cascade: MetaData | undefined
}

/**
 * A schema change (CREATE TABLE, CREATE INDEX, DROP …) committed with the
 * rows, in the same transaction: creates run before any row is written
 * (a created table after the created tables it references), drops after
 * every row. Only where DDL is transactional (PostgreSQL, SQLite); on the
 * MySQL family DDL commits the open transaction, and a graph holding one
 * is rejected when planned.
 */
export interface SchemaChange {
  readonly _tag: 'SchemaChange'
  readonly key: string
  /** The table the statement creates, changes or drops. */
  readonly table: AnyTable
  readonly statement: DdlNode
}

/** One node of a change graph. */
export type ChangeNode = InsertRow | UpdateRow | DeleteRow | SchemaChange

/** A change graph: nodes in the order they were added (the order only breaks ties). */
export interface ChangeGraph {
  readonly _tag: 'ChangeGraph'
  readonly nodes: readonly ChangeNode[]
}

type RequiredKeys<C extends Columns> = { [K in keyof C]: ColumnOptional<C[K]> extends true ? never : K }[keyof C]
type OptionalKeys<C extends Columns> = Exclude<keyof C, RequiredKeys<C>>

/** The values a new row of `T` takes: each column a value of its type or a {@link Ref}. */
export type GraphRowOf<T> =
  T extends Table<string, infer C, string>
    ? { readonly [K in RequiredKeys<C>]: ColumnType<C[K]> | Ref } & { readonly [K in OptionalKeys<C>]?: ColumnType<C[K]> | Ref }
    : never

/** Changes to a loaded row of `T`. */
export type ChangesOf<T> = { readonly [K in keyof RowOf<T>]?: RowOf<T>[K] | Ref }

/** The empty change graph. */
export const empty: ChangeGraph = Object.freeze({ _tag: 'ChangeGraph', nodes: Object.freeze([]) })

/**
 * A reference to another node of the graph, for an FK column: by the
 * node's key, or by the node itself when it is at hand (code that builds a
 * large graph keeps the parent's node and spares making its key again).
 *
 * @example
 * G.insert('p1', posts, { title: 't', author_id: G.ref('ada') })
 * const ada = G.insertRow('ada', users, { name: 'ada' })
 * G.fromNodes([ada, G.insertRow('p1', posts, { title: 't', author_id: G.ref(ada) })])
 */
export const ref = (node: string | InsertRow | Named<UpdateRow>, column?: string): Ref => ({ _tag: 'Ref', node: typeof node === 'string' ? node : node.key, column })

/** A node with a key (every kind but an update made by {@link saveRow}). */
export type Named<N extends ChangeNode> = N & { readonly key: string }

/** True for a {@link Ref}. */
export const isRef = (v: unknown): v is Ref => typeof v === 'object' && v !== null && (v as { _tag?: unknown })._tag === 'Ref'

/**
 * Nodes keep the objects they are given, uncopied and unfrozen: the
 * values, snapshot and changes are readonly by type, and a caller must not
 * change them while the graph is in use (as with any value handed to an
 * immutable structure). A graph holds one node per row, and a defensive
 * copy of every row was, with the garbage it leaves, a tenth of the time
 * of a 10,000-row insert on SQLite (bench/RESULTS.md); freezing costs some
 * twenty times a copy in V8. The graph itself and its node list are frozen.
 */
const own = (v: object): Cells => v as Cells

/** An insert node (for layers that build nodes themselves; most code uses {@link insert}). */
export const insertRow = <T extends AnyTable>(key: string, table: T, values: GraphRowOf<T>): InsertRow => ({ _tag: 'InsertRow', key, table, values: own(values) })

/** An update node; see {@link update}. */
export const updateRow = <T extends AnyTable>(
  key: string,
  table: T,
  snapshot: RowOf<T>,
  changes: ChangesOf<T>,
  options?: { readonly version?: keyof RowOf<T> & string },
): Named<UpdateRow> => ({
  _tag: 'UpdateRow',
  key,
  table,
  snapshot: own(snapshot),
  changes: own(changes),
  // No default object for `options`: one per node of a 1,000-row save.
  version: options?.version,
})

/**
 * An update node without a key: the loaded row is found by its primary key,
 * as an ORM saves the objects it loaded. Nothing can reference it and it is
 * not among `persisted.rows` (its row after the commit is the snapshot with
 * the changes, and the version one more); a graph saving many loaded rows
 * spares making a key per row. See {@link save}.
 *
 * @example
 * G.fromNodes(loaded.map((row) => G.saveRow(users, row, { name: row.name.trim() })))
 */
export const saveRow = <T extends AnyTable>(
  table: T,
  snapshot: RowOf<T>,
  changes: ChangesOf<T>,
  options?: { readonly version?: keyof RowOf<T> & string },
): UpdateRow => ({ _tag: 'UpdateRow', key: undefined, table, snapshot: own(snapshot), changes: own(changes), version: options?.version })

/**
 * The name problems and plans give a node: its key, or for a row saved
 * without one (see {@link saveRow}) its table and primary key, as
 * `users(id=7)`.
 */
export const nodeName = (n: ChangeNode): string => {
  if (n.key !== undefined) return n.key
  const row = n._tag === 'UpdateRow' ? n.snapshot : n._tag === 'DeleteRow' ? n.row : {}
  return `${n.table.name}(${n.table.primaryKey.map((c) => `${c}=${String(row[c])}`).join(', ')})`
}

/** A node as messages name it: `node "ada"`, or `row users(id=7)` for a row saved without a key. */
export const nodeWords = (n: ChangeNode): string => (n.key !== undefined ? `node "${n.key}"` : `row ${nodeName(n)}`)

/** A delete node; see {@link remove}. */
export const deleteRow = <T extends AnyTable>(
  key: string,
  table: T,
  row: Partial<RowOf<T>>,
  options: { readonly version?: keyof RowOf<T> & string; readonly cascade?: MetaData } = {},
): DeleteRow => ({ _tag: 'DeleteRow', key, table, row: own(row), version: options.version, cascade: options.cascade })

/**
 * A schema-change node; see {@link ddl}.
 *
 * @example
 * G.fromNodes([G.schemaChange('create tags', Q.createTable(tags)), G.insertRow('t1', tags, { label: 'new' })])
 */
export const schemaChange = (key: string, statement: DdlNode): SchemaChange => Object.freeze({ _tag: 'SchemaChange', key, table: statement.table, statement })

/**
 * A graph of the given nodes, in one step (adding many nodes one by one
 * copies the list each time; build large graphs with this).
 *
 * @example
 * G.fromNodes(rows.map((r, i) => G.insertRow(`u${i}`, users, r)))
 */
export const fromNodes = (nodes: readonly ChangeNode[]): ChangeGraph => Object.freeze({ _tag: 'ChangeGraph', nodes: Object.freeze([...nodes]) })

/** Add a node (data-last, for `pipe`). */
export const add =
  (node: ChangeNode) =>
  (g: ChangeGraph): ChangeGraph =>
    Object.freeze({ _tag: 'ChangeGraph', nodes: Object.freeze([...g.nodes, node]) })

/**
 * Insert a new row named `key`.
 *
 * @example
 * pipe(G.empty, G.insert('ada', users, { name: 'ada' }))
 */
export const insert = <T extends AnyTable>(key: string, table: T, values: GraphRowOf<T>): ((g: ChangeGraph) => ChangeGraph) =>
  add(insertRow(key, table, values))

/**
 * Update a loaded row: only the columns of `changes` that differ from
 * `snapshot` are written. With `version`, the row is written only if its
 * version column still holds the snapshot's value (and the version is
 * incremented); otherwise the commit fails with `StaleRow`.
 *
 * @example
 * pipe(G.empty, G.update('u1', users, loaded, { name: 'Ada' }, { version: 'version' }))
 */
export const update = <T extends AnyTable>(
  key: string,
  table: T,
  snapshot: RowOf<T>,
  changes: ChangesOf<T>,
  options: { readonly version?: keyof RowOf<T> & string } = {},
): ((g: ChangeGraph) => ChangeGraph) => add(updateRow(key, table, snapshot, changes, options))

/**
 * Save a loaded row by its primary key, without naming the node (see
 * {@link saveRow}); otherwise as {@link update}.
 *
 * @example
 * pipe(G.empty, G.save(users, loaded, { name: 'Ada' }, { version: 'version' }))
 */
export const save = <T extends AnyTable>(
  table: T,
  snapshot: RowOf<T>,
  changes: ChangesOf<T>,
  options: { readonly version?: keyof RowOf<T> & string } = {},
): ((g: ChangeGraph) => ChangeGraph) => add(saveRow(table, snapshot, changes, options))

/**
 * Delete a row by its primary key. With `cascade: metadata`, rows of other
 * tables that reference it through a foreign key without ON DELETE CASCADE /
 * SET NULL are deleted first (the database does the rest as its FKs say).
 *
 * @example
 * pipe(G.empty, G.remove('gone', users, { id: 7 }, { cascade: schema }))
 */
export const remove = <T extends AnyTable>(
  key: string,
  table: T,
  row: Partial<RowOf<T>>,
  options: { readonly version?: keyof RowOf<T> & string; readonly cascade?: MetaData } = {},
): ((g: ChangeGraph) => ChangeGraph) => add(deleteRow(key, table, row, options))

/**
 * Commit a DDL statement with the graph's rows, atomically: a table can be
 * created and filled in one commit, and a failure anywhere leaves no table
 * behind. Creates run before the rows, drops after them. Rejected when
 * planned for MariaDB/MySQL, whose DDL commits the transaction implicitly.
 *
 * @example
 * pipe(G.empty, G.ddl('create tags', Q.createTable(tags)), G.insert('t1', tags, { post_id: 1, tag: 'new' }))
 */
export const ddl = (key: string, statement: DdlNode): ((g: ChangeGraph) => ChangeGraph) => add(schemaChange(key, statement))

/** Both graphs' nodes, `g`'s first. */
export const concat =
  (other: ChangeGraph) =>
  (g: ChangeGraph): ChangeGraph =>
    Object.freeze({ _tag: 'ChangeGraph', nodes: Object.freeze([...g.nodes, ...other.nodes]) })

/** Handlers for every kind of node. */
export interface NodeHandlers<R> {
  readonly InsertRow: (n: InsertRow) => R
  readonly UpdateRow: (n: UpdateRow) => R
  readonly DeleteRow: (n: DeleteRow) => R
  readonly SchemaChange: (n: SchemaChange) => R
}

/** Total fold over a node. */
export const foldNode =
  <R>(h: NodeHandlers<R>) =>
  (n: ChangeNode): R => {
    switch (n._tag) {
      case 'InsertRow':
        return h.InsertRow(n)
      case 'UpdateRow':
        return h.UpdateRow(n)
      case 'DeleteRow':
        return h.DeleteRow(n)
      case 'SchemaChange':
        return h.SchemaChange(n)
    }
  }
