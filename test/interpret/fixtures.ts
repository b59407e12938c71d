/** Tables shared by the golden tests. */
import * as Q from '../../src/algebra/index.js'

export const users = Q.table('users', {
  id: Q.integer().primaryKey().autoIncrement(),
  name: Q.text().notNull(),
  email: Q.varchar(200).notNull().unique(),
  bio: Q.text(),
  meta: Q.jsonb(),
  active: Q.boolean().notNull().default(true),
})

export const posts = Q.table(
  'posts',
  {
    id: Q.integer().primaryKey().autoIncrement(),
    author_id: Q.integer().notNull(),
    title: Q.text().notNull(),
    score: Q.integer().notNull(),
    published_at: Q.timestamp(),
  },
  {
    foreignKeys: [{ columns: ['author_id'], references: () => users, referencedColumns: ['id'], onDelete: 'cascade' }],
    indexes: [{ name: 'posts_author_idx', columns: ['author_id'] }],
  },
)

export const comments = Q.table(
  'comments',
  {
    id: Q.integer().primaryKey().autoIncrement(),
    post_id: Q.integer().notNull(),
    body: Q.text().notNull(),
  },
  { foreignKeys: [{ columns: ['post_id'], references: () => posts, referencedColumns: ['id'] }] },
)

export const employees = Q.table(
  'employees',
  {
    id: Q.integer().primaryKey(),
    name: Q.text().notNull(),
    manager_id: Q.integer(),
    dept: Q.text().notNull(),
    salary: Q.integer().notNull(),
  },
  { foreignKeys: [{ columns: ['manager_id'], references: (): Q.AnyTable => employees, referencedColumns: ['id'] }] },
)
