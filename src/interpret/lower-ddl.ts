/**
 * Lowering of DDL. DDL takes no bind parameters, so the few values in it
 * (server defaults, check constraints, partial-index predicates) are printed
 * as literals by the dialect's `literal`, which refuses anything it cannot
 * print exactly. Column references print unqualified here. A foreign key is
 * the same clause inline in CREATE TABLE and in ALTER TABLE ADD CONSTRAINT.
 */
import type { AlterAction, AnyTable, DdlNode, ForeignKey } from '../algebra/index.js'
import { ddlCtx, fail, need, type Ctx } from './context.js'
import { invalidQuery, unsupported } from './errors.js'
import { fold } from './fold.js'
import { exprLowering } from './lower-expr.js'
import { lowerQuery } from './lower-query.js'
import { S, type SqlExpr, type SqlStatement } from './sql-tree.js'

const list = (names: readonly string[]): SqlExpr => S.seq(['(', S.seq(names.map((n) => S.ident(n)), ', '), ')'], '')

const fkClause = (ctx: Ctx, t: AnyTable, f: ForeignKey, name: string | undefined): SqlExpr => {
  const ref = f.references()
  if (f.columns.length !== f.referencedColumns.length || f.columns.length === 0)
    return fail(ctx, invalidQuery(`foreign key of ${t.name} (${f.columns.join(', ')}) and its referenced columns (${f.referencedColumns.join(', ')}) differ in number`))
  const missing = [...f.columns.filter((c) => !(c in t.columns)).map((c) => `${t.name}.${c}`), ...f.referencedColumns.filter((c) => !(c in ref.columns)).map((c) => `${ref.name}.${c}`)]
  if (missing.length > 0) return fail(ctx, invalidQuery(`foreign key of ${t.name} names unknown columns: ${missing.join(', ')}`))
  if (f.onDelete === 'set default' || f.onUpdate === 'set default') need(ctx, ctx.d.capabilities.fkSetDefault, 'ON DELETE/UPDATE SET DEFAULT')
  const parts: (SqlExpr | string)[] = []
  if (name !== undefined) parts.push('CONSTRAINT', S.ident(name))
  parts.push('FOREIGN KEY', list(f.columns), 'REFERENCES', S.ident(ref.name), list(f.referencedColumns))
  if (f.onDelete !== undefined) parts.push('ON DELETE', f.onDelete.toUpperCase())
  if (f.onUpdate !== undefined) parts.push('ON UPDATE', f.onUpdate.toUpperCase())
  if (f.deferrable !== undefined && need(ctx, ctx.d.capabilities.deferrableForeignKey, 'DEFERRABLE foreign key'))
    parts.push(f.deferrable === 'deferred' ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE INITIALLY IMMEDIATE')
  return S.seq(parts)
}

const unbounded = new Set(['text', 'json', 'jsonb', 'bytes'])

/** Check that key and index columns are indexable by the dialect (MySQL cannot key TEXT without a length). */
const keyColumns = (ctx: Ctx, t: AnyTable, columns: readonly string[], what: string): void => {
  if (ctx.d.capabilities.unboundedKeyColumns) return
  for (const c of columns) {
    const kind = t.columns[c]?.spec.type.kind
    if (kind !== undefined && unbounded.has(kind))
      ctx.errors.push(unsupported(`${kind} column "${t.name}"."${c}" in ${what} (give it a varchar(n) type)`, ctx.d.name))
  }
}

const createTable = (ctx: Ctx, t: AnyTable, ifNotExists: boolean, omit: readonly ForeignKey[]): SqlExpr => {
  const lower = exprLowering(ctx, lowerQuery)
  const d = ctx.d
  // Dialects whose generated keys must be declared inline (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT).
  const pkInline = d.autoIncrement.inlinePrimaryKey && t.primaryKey.length === 1 && t.columns[t.primaryKey[0] as string]?.spec.autoIncrement === true
  const cols = Object.entries(t.columns).map(([name, c]) => {
    const s = c.spec
    const parts: (SqlExpr | string)[] = [S.ident(name), d.columnType(s.type, name)]
    if (s.autoIncrement) {
      if (d.autoIncrement.inlinePrimaryKey) {
        if (!pkInline || t.primaryKey[0] !== name) return fail(ctx, unsupported('autoIncrement on a column that is not the whole primary key', d.name))
        parts.push(d.autoIncrement.text)
      } else parts.push('NOT NULL', d.autoIncrement.text)
    } else if (!s.nullable) parts.push('NOT NULL')
    if (s.serverDefault !== undefined) parts.push('DEFAULT', S.seq(['(', lower(s.serverDefault), ')'], ''))
    return S.seq(parts)
  })
  // Leaving a key out is only sound where it can be added later; SQLite writes every key inline (it checks targets only on writes).
  if (omit.length > 0) need(ctx, d.capabilities.alterForeignKey !== undefined, "CREATE TABLE leaving a foreign key to ALTER TABLE (createAll(md, { foreignKeys: 'inline' }) writes it inline)")
  const fks = omit.length === 0 ? t.foreignKeys : t.foreignKeys.filter((f) => !omit.includes(f))
  const constraints: SqlExpr[] = []
  keyColumns(ctx, t, t.primaryKey, 'a primary key')
  for (const u of t.uniques) keyColumns(ctx, t, u, 'a unique key')
  for (const f of fks) keyColumns(ctx, t, f.columns, 'a foreign key')
  if (t.primaryKey.length > 0 && !pkInline) constraints.push(S.seq(['PRIMARY KEY', list(t.primaryKey)]))
  for (const u of t.uniques) constraints.push(S.seq(['UNIQUE', list(u)]))
  for (const k of t.checks) constraints.push(S.seq(['CONSTRAINT', S.ident(k.name), 'CHECK', S.seq(['(', lower(k.expr), ')'], '')]))
  for (const f of fks) constraints.push(fkClause(ctx, t, f, f.name))
  return S.seq([
    ifNotExists ? 'CREATE TABLE IF NOT EXISTS' : 'CREATE TABLE',
    S.ident(t.name),
    S.seq(['(', S.seq([...cols, ...constraints], ', '), ')'], ''),
  ])
}

const alterTable = (ctx: Ctx, t: AnyTable, a: AlterAction): SqlExpr => {
  const alter = ctx.d.capabilities.alterForeignKey
  switch (a._tag) {
    case 'AddForeignKey':
      if (alter === undefined) return fail(ctx, unsupported('ALTER TABLE ADD FOREIGN KEY', ctx.d.name))
      keyColumns(ctx, t, a.foreignKey.columns, 'a foreign key')
      return S.seq(['ALTER TABLE', S.ident(t.name), 'ADD', fkClause(ctx, t, a.foreignKey, a.name)])
    case 'DropForeignKey':
      if (alter === undefined) return fail(ctx, unsupported('ALTER TABLE DROP FOREIGN KEY', ctx.d.name))
      if (a.ifExists) need(ctx, alter.ifExists, 'ALTER TABLE IF EXISTS ... DROP FOREIGN KEY IF EXISTS')
      return S.seq([
        a.ifExists ? 'ALTER TABLE IF EXISTS' : 'ALTER TABLE',
        S.ident(t.name),
        alter.drop,
        ...(a.ifExists ? ['IF EXISTS'] : []),
        S.ident(a.name),
      ])
  }
}

/** Lower a DDL statement. */
export const lowerDdl = (outer: Ctx, s: DdlNode): SqlStatement => {
  const ctx = ddlCtx(outer)
  const caps = ctx.d.capabilities
  const body = fold<DdlNode, SqlExpr>({
    CreateTable: (n) => createTable(ctx, n.table, n.ifNotExists, n.omitForeignKeys ?? []),
    DropTable: (n) => S.seq([n.ifExists ? 'DROP TABLE IF EXISTS' : 'DROP TABLE', S.ident(n.table.name)]),
    CreateIndex: (n) => {
      const lower = exprLowering(ctx, lowerQuery)
      if (n.ifNotExists) need(ctx, caps.createIndexIfNotExists, 'CREATE INDEX IF NOT EXISTS')
      if (n.index.where !== undefined) need(ctx, caps.partialIndex, 'partial index (CREATE INDEX ... WHERE)')
      if (n.index.columns.length === 0) return fail(ctx, invalidQuery(`index ${n.index.name} has no columns`))
      keyColumns(ctx, n.table, n.index.columns, `index ${n.index.name}`)
      return S.seq([
        n.index.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX',
        ...(n.ifNotExists ? ['IF NOT EXISTS'] : []),
        S.ident(n.index.name),
        'ON',
        S.ident(n.table.name),
        list(n.index.columns),
        ...(n.index.where === undefined ? [] : ['WHERE', lower(n.index.where)]),
      ])
    },
    DropIndex: (n) => {
      if (n.ifExists) need(ctx, caps.dropIndexIfExists, 'DROP INDEX IF EXISTS')
      return S.seq([
        n.ifExists ? 'DROP INDEX IF EXISTS' : 'DROP INDEX',
        S.ident(n.index.name),
        ...(caps.dropIndexOnTable ? ['ON', S.ident(n.table.name)] : []),
      ])
    },
    AlterTable: (n) => alterTable(ctx, n.table, n.action),
  })(s)
  return { _tag: 'Ddl', body }
}
