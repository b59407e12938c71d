/**
 * Lowering of whole statements: hoists CTE definitions into the top-level
 * WITH, and lowers INSERT / UPDATE / DELETE (returning, upsert) with their
 * capability checks. DDL is in `lower-ddl.ts`.
 */
import type { AnyTable, Field, InsertNode, MutationNode, StatementNode } from '../algebra/index.js'
import { fail, need, type Ctx } from './context.js'
import { invalidQuery, unsupported } from './errors.js'
import { fold } from './fold.js'
import { lowerDdl } from './lower-ddl.js'
import { exprLowering } from './lower-expr.js'
import { lowerFrom, lowerQuery, withClause } from './lower-query.js'
import { S, withWith, type SqlExpr, type SqlFrom, type SqlStatement } from './sql-tree.js'

const returningOf = (ctx: Ctx, lower: (e: Field['expr']) => SqlExpr, fields: readonly Field[] | undefined, ok: boolean, what: string) => {
  if (fields === undefined) return undefined
  if (!need(ctx, ok, `RETURNING on ${what}`)) return undefined
  return fields.map((f) => ({ expr: lower(f.expr), alias: f.name }))
}

/** The unique keys of a table (primary key, unique constraints, unique indexes), as sorted column lists. */
const uniqueKeys = (t: AnyTable): string[] => {
  const keys = [t.primaryKey, ...t.uniques, ...t.indexes.filter((i) => i.unique && i.where === undefined).map((i) => i.columns)]
    .filter((k) => k.length > 0)
    .map((k) => [...k].sort().join(','))
  return [...new Set(keys)]
}

const conflictClause = (ctx: Ctx, lower: (e: Field['expr']) => SqlExpr, n: InsertNode): SqlExpr | undefined => {
  const c = n.onConflict
  if (c === undefined) return undefined
  const caps = ctx.d.capabilities
  if (c.action.kind === 'update' && c.action.where !== undefined) need(ctx, caps.upsertWhere, 'WHERE in ON CONFLICT DO UPDATE')
  const sets = (a: readonly { readonly column: string; readonly expr: Field['expr'] }[]): SqlExpr =>
    S.seq(a.map((x) => S.seq([S.ident(x.column), '=', lower(x.expr)])), ', ')
  if (caps.upsert === 'on-conflict') {
    if (c.action.kind === 'update' && c.target.length === 0) return fail(ctx, invalidQuery('ON CONFLICT DO UPDATE needs conflict target columns'))
    const target = c.target.length === 0 ? [] : [S.seq(['(', S.seq(c.target.map((x) => S.ident(x)), ', '), ')'], '')]
    if (c.action.kind === 'nothing') return S.seq(['ON CONFLICT', ...target, 'DO NOTHING'])
    const where = c.action.where === undefined ? [] : ['WHERE', lower(c.action.where)]
    return S.seq(['ON CONFLICT', ...target, 'DO UPDATE SET', sets(c.action.set), ...where])
  }
  // ON DUPLICATE KEY fires on any unique key: equivalent only when the table has exactly the targeted one.
  const keys = uniqueKeys(n.table)
  const target = [...c.target].sort().join(',')
  if (keys.length !== 1 || (c.target.length > 0 && keys[0] !== target))
    return fail(ctx, unsupported('ON CONFLICT on a table with several unique keys (ON DUPLICATE KEY cannot name one)', ctx.d.name))
  if (c.action.kind === 'nothing') {
    const col = (keys[0] as string).split(',')[0] as string
    return S.seq(['ON DUPLICATE KEY UPDATE', S.ident(col), '=', S.ident(col)])
  }
  return S.seq(['ON DUPLICATE KEY UPDATE', sets(c.action.set)])
}

const lowerMutation = (ctx: Ctx, m: MutationNode): SqlStatement => {
  const lower = exprLowering(ctx, lowerQuery)
  const caps = ctx.d.capabilities
  const target: SqlFrom = { _tag: 'Table', name: m.table.name, alias: m.table.alias === m.table.name ? undefined : m.table.alias }
  return fold<MutationNode, SqlStatement>({
    Insert: (n) => {
      // MySQL 8 names the proposed row by an alias on VALUES (not possible for INSERT ... SELECT, which keeps VALUES()).
      const aliasRow = n.onConflict?.action.kind === 'update' && caps.proposedRow === 'row-alias' && n.source.kind === 'rows'
      const upsertCtx: Ctx = aliasRow ? { ...ctx, rowAlias: n.table.name === 'excluded' ? 'excluded_row' : 'excluded' } : ctx
      let defaults: string | undefined
      if (n.columns.length === 0) {
        const rows = n.source.kind === 'rows' ? n.source.rows.length : 0
        defaults = ctx.d.insertDefaults(rows)
        if (defaults === undefined) fail(ctx, unsupported('a multi-row insert of nothing but defaults', ctx.d.name))
      }
      const source =
        n.source.kind === 'query'
          ? { query: lowerQuery(ctx, n.source.query) }
          : {
              rows: n.source.rows.map((r) =>
                r.map((cell, i) => {
                  if (cell !== undefined) return lower(cell)
                  if (caps.defaultInValues) return S.kw('DEFAULT')
                  const spec = n.table.columns[n.columns[i] as string]?.spec
                  // Without DEFAULT in VALUES, NULL is the same only when the column's default is NULL (or a rowid).
                  return spec?.serverDefault === undefined
                    ? S.kw('NULL')
                    : fail(ctx, unsupported('a multi-row insert that omits a column with a server default', ctx.d.name))
                }),
              ),
            }
      return {
        _tag: 'Insert',
        with: undefined,
        table: n.table.name,
        columns: n.columns,
        defaults,
        source,
        conflict: conflictClause(upsertCtx, exprLowering(upsertCtx, lowerQuery), n),
        rowAlias: upsertCtx.rowAlias,
        returning: returningOf(ctx, lower, n.returning, caps.returning.insert, 'INSERT'),
      }
    },
    Update: (n) => {
      if (n.set.length === 0) fail(ctx, invalidQuery('update with nothing to set'))
      const multi = n.from !== undefined && caps.updateFrom === 'multi-table'
      if (n.from !== undefined) need(ctx, caps.updateFrom !== false, 'UPDATE ... FROM')
      const fromItem = n.from === undefined ? undefined : lowerFrom(ctx, n.from)
      return {
        _tag: 'Update',
        with: undefined,
        target: multi && fromItem !== undefined ? { _tag: 'Join', kind: ',', left: target, right: fromItem, on: undefined } : target,
        set: n.set.map((a) => [multi ? S.ident(n.table.alias, a.column) : S.ident(a.column), lower(a.expr)] as const),
        from: multi ? undefined : fromItem,
        where: n.where === undefined ? undefined : lower(n.where),
        returning: returningOf(ctx, lower, n.returning, caps.returning.update, 'UPDATE'),
      }
    },
    Delete: (n) => {
      if (n.using !== undefined) need(ctx, caps.deleteUsing !== false, 'DELETE ... USING')
      const multi = n.using !== undefined && caps.deleteUsing === 'multi-table'
      return {
        _tag: 'Delete',
        with: undefined,
        target: multi ? n.table.alias : undefined,
        table: target,
        using: n.using === undefined ? undefined : lowerFrom(ctx, n.using),
        where: n.where === undefined ? undefined : lower(n.where),
        returning: returningOf(ctx, lower, n.returning, caps.returning.delete, 'DELETE'),
      }
    },
  })(m)
}

/** Lower a statement, hoisting CTEs into its WITH clause. */
export const lowerStatement = (ctx: Ctx, s: StatementNode): SqlStatement => {
  switch (s._tag) {
    case 'CreateTable':
    case 'DropTable':
    case 'CreateIndex':
    case 'DropIndex':
    case 'AlterTable':
      return lowerDdl(ctx, s)
    case 'Insert':
    case 'Update':
    case 'Delete': {
      const out = lowerMutation(ctx, s)
      if (ctx.ctes.length === 0) return out
      // An INSERT ... SELECT takes the WITH on its query, which every engine accepts there.
      if (out._tag === 'Insert' && 'query' in out.source)
        return { ...out, source: { query: withWith(out.source.query, withClause(ctx, ctx.ctes)) } }
      need(ctx, ctx.d.capabilities.cteInMutations, `WITH on ${s._tag.toUpperCase()}`)
      return { ...out, with: withClause(ctx, ctx.ctes) } as SqlStatement
    }
    default: {
      const q = lowerQuery(ctx, s)
      return ctx.ctes.length === 0 ? q : withWith(q, withClause(ctx, ctx.ctes))
    }
  }
}
