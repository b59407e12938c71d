/**
 * The blog schema the change-graph tests share: users (a self-reference and
 * a version column), posts (a reference cycle with users through
 * best_post_id), comments (ON DELETE CASCADE).
 */
import * as Q from '../../../src/algebra/index.js'

export const users = Q.table(
  'users',
  {
    id: Q.integer().primaryKey().autoIncrement(),
    name: Q.text().notNull(),
    manager_id: Q.integer(),
    best_post_id: Q.integer(),
    version: Q.integer().notNull().default(1),
  },
  {
    foreignKeys: [
      { columns: ['manager_id'], references: (): Q.AnyTable => users, referencedColumns: ['id'], onDelete: 'set null' },
      { columns: ['best_post_id'], references: (): Q.AnyTable => posts, referencedColumns: ['id'], onDelete: 'set null' },
    ],
  },
)
export const posts = Q.table(
  'posts',
  { id: Q.integer().primaryKey().autoIncrement(), author_id: Q.integer().notNull(), title: Q.varchar(50).notNull() },
  { foreignKeys: [{ columns: ['author_id'], references: (): Q.AnyTable => users, referencedColumns: ['id'] }] },
)
export const comments = Q.table(
  'comments',
  { id: Q.integer().primaryKey().autoIncrement(), post_id: Q.integer().notNull(), body: Q.text().notNull() },
  { foreignKeys: [{ columns: ['post_id'], references: (): Q.AnyTable => posts, referencedColumns: ['id'], onDelete: 'cascade' }] },
)
