/**
 * The in-memory database: an immutable map from table name to the table's
 * definition and rows. Every change returns a new database and shares what
 * it did not touch, so a transaction's snapshot is a reference and a
 * rollback is dropping one. DDL statements are a total fold over `DdlNode`.
 */
import type { AnyTable, DdlNode } from '../../algebra/index.js'
import type { Rec } from './env.js'
import { invalidReference } from './errors.js'

/** One stored table: its definition, its rows, and the next auto-increment value. */
export interface TableData {
  readonly table: AnyTable
  readonly rows: readonly Rec[]
  readonly nextId: number
}

/** A whole in-memory database (immutable). */
export interface Database {
  readonly tables: ReadonlyMap<string, TableData>
}

/** A database with no tables. */
export const emptyDatabase: Database = Object.freeze({ tables: new Map() })

/** The stored table `name` (an InvalidReference error when there is none). */
export const tableData = (db: Database, name: string): TableData => db.tables.get(name) ?? invalidReference(`no table "${name}"`)

/** The database with one table replaced. */
export const withTable = (db: Database, t: TableData): Database => Object.freeze({ tables: new Map([...db.tables, [t.table.name, Object.freeze(t)]]) })

type Handlers = { readonly [K in DdlNode['_tag']]: (s: Extract<DdlNode, { readonly _tag: K }>, db: Database) => Database }

const ddl: Handlers = {
  CreateTable: (s, db) => {
    if (db.tables.has(s.table.name)) return s.ifNotExists ? db : invalidReference(`table "${s.table.name}" already exists`)
    return withTable(db, { table: s.table, rows: Object.freeze([]), nextId: 1 })
  },
  DropTable: (s, db) => {
    if (!db.tables.has(s.table.name)) return s.ifExists ? db : invalidReference(`no table "${s.table.name}"`)
    const tables = new Map(db.tables)
    tables.delete(s.table.name)
    return Object.freeze({ tables })
  },
  // Indexes change no result; a unique index is enforced from the table definition (see constraints).
  CreateIndex: (s, db) => (tableData(db, s.table.name), db),
  DropIndex: (s, db) => (tableData(db, s.table.name), db),
  // Foreign keys are enforced from the table definition (see constraints), whether added inline or later.
  AlterTable: (s, db) => {
    tableData(db, s.table.name)
    if (s.action._tag === 'AddForeignKey') tableData(db, s.action.foreignKey.references().name)
    return db
  },
}

/** Apply a DDL statement. */
export const applyDdl = (s: DdlNode, db: Database): Database => (ddl[s._tag] as (s: DdlNode, db: Database) => Database)(s, db)

/** A database holding these tables, created empty (in the order given). */
export const databaseOf = (tables: readonly AnyTable[]): Database =>
  tables.reduce((db, table) => applyDdl({ _tag: 'CreateTable', table, ifNotExists: false }, db), emptyDatabase)
