/**
 * A blog schema with database-generated keys for the entity change-graph
 * tests: users (a version column) → posts → comments, tags many-to-many
 * through post_tags, and ratings as an association entity with an extra
 * column (user ↔ post with stars). Created with quarry's own DDL.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Q from '../../../src/algebra/index.js'
import { execute, runPromise, type Engine } from '../../../src/effects/index.js'
import * as M from '../../../src/mapping/index.js'

const id = () => Q.integer().primaryKey().autoIncrement()

export const users = Q.table('eg_users', { id: id(), name: Q.varchar(40).notNull(), version: Q.integer().notNull().default(1) })
export const posts = Q.table(
  'eg_posts',
  { id: id(), author_id: Q.integer().notNull(), title: Q.varchar(50).notNull() },
  { foreignKeys: [{ columns: ['author_id'], references: () => users, referencedColumns: ['id'] }] },
)
export const comments = Q.table(
  'eg_comments',
  { id: id(), post_id: Q.integer().notNull(), body: Q.text().notNull() },
  { foreignKeys: [{ columns: ['post_id'], references: () => posts, referencedColumns: ['id'] }] },
)
export const tags = Q.table('eg_tags', { id: id(), label: Q.varchar(30).notNull() })
export const postTags = Q.table(
  'eg_post_tags',
  { post_id: Q.integer().notNull(), tag_id: Q.integer().notNull() },
  {
    primaryKey: ['post_id', 'tag_id'],
    foreignKeys: [
      { columns: ['post_id'], references: () => posts, referencedColumns: ['id'] },
      { columns: ['tag_id'], references: () => tags, referencedColumns: ['id'] },
    ],
  },
)
export const ratings = Q.table(
  'eg_ratings',
  { user_id: Q.integer().notNull(), post_id: Q.integer().notNull(), stars: Q.smallint().notNull() },
  {
    primaryKey: ['user_id', 'post_id'],
    foreignKeys: [
      { columns: ['user_id'], references: () => users, referencedColumns: ['id'] },
      { columns: ['post_id'], references: () => posts, referencedColumns: ['id'] },
    ],
  },
)
/** One profile per user, keyed by the user's key (a one-to-one whose key is on the child side). */
export const profiles = Q.table(
  'eg_profiles',
  { user_id: Q.integer().primaryKey(), bio: Q.text().notNull() },
  { foreignKeys: [{ columns: ['user_id'], references: () => users, referencedColumns: ['id'] }] },
)
export const blog = Q.metadata([users, posts, comments, tags, postTags, ratings, profiles])

export const UserE = M.entity(users, { version: 'version' })
export const PostE = M.entity(posts)
export const CommentE = M.entity(comments)
export const TagE = M.entity(tags)
export const RatingE = M.entity(ratings)
export const ProfileE = M.entity(profiles)

const owning = ['save-update', 'delete', 'delete-orphan'] as const
export const userPosts = M.oneToMany(UserE, PostE, { remote: ['author_id'], cascade: owning })
export const postComments = M.oneToMany(PostE, CommentE, { remote: ['post_id'], cascade: owning })
export const postTagLinks = M.manyToMany(PostE, TagE, { through: postTags, local: ['post_id'], remote: ['tag_id'] })
export const userRatings = M.oneToMany(UserE, RatingE, { remote: ['user_id'], cascade: owning })
export const ratingPost = M.manyToOne(RatingE, PostE, { local: ['post_id'] })
export const userProfile = M.oneToOne(UserE, ProfileE, { local: ['id'], remote: ['user_id'], cascade: owning })
export const postAuthor = M.manyToOne(PostE, UserE, { local: ['author_id'] })

/** users → posts → (comments, tags): the shape of the law and of most tests. */
export const blogInclude = { posts: M.nest(userPosts, { comments: postComments, tags: postTagLinks }) }

/** Create the schema on an engine with quarry's DDL. */
export const createBlog = async (engine: Engine): Promise<void> => {
  const ddl = Q.createAll(blog)
  if (E.isLeft(ddl)) throw new Error(ddl.left.message)
  for (const s of ddl.right) await runPromise(engine)(execute(s))
}
