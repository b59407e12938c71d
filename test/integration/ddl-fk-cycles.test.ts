/**
 * A schema whose foreign keys form a cycle (users.best_post_id → posts,
 * posts.author_id → users), created and dropped through quarry's own DDL on
 * the three real engines: createAll then the catalog shows every key
 * (PostgreSQL and MariaDB added the cycle's keys by ALTER TABLE, SQLite has
 * them inline); the keys are enforced; a cycle of rows goes in inside one
 * transaction (NULL first then the closing UPDATE, by hand and by the change
 * graph's post-update; with a deferrable key in either order where the
 * engine has deferrable keys); dropAll with those rows still present leaves
 * nothing in the catalog.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { createEngine, execute, G, run, runPromise, sql, transaction, type Engine, type Program } from '../../src/effects/index.js'
import { compile } from '../../src/interpret/index.js'
import * as MEM from '../../src/interpret/memory/index.js'
import { engines, type EngineDb } from '../support/engines.js'

const users = Q.table(
  'users',
  { id: Q.integer().primaryKey().autoIncrement(), name: Q.varchar(40).notNull(), best_post_id: Q.integer() },
  { foreignKeys: [{ columns: ['best_post_id'], references: (): Q.AnyTable => posts, referencedColumns: ['id'] }] },
)
const posts = Q.table(
  'posts',
  { id: Q.integer().primaryKey().autoIncrement(), author_id: Q.integer().notNull(), title: Q.varchar(40).notNull() },
  { foreignKeys: [{ columns: ['author_id'], references: (): Q.AnyTable => users, referencedColumns: ['id'] }], indexes: [{ name: 'posts_author_idx', columns: ['author_id'] }] },
)
const comments = Q.table(
  'comments',
  { id: Q.integer().primaryKey(), post_id: Q.integer().notNull() },
  { foreignKeys: [{ columns: ['post_id'], references: () => posts, referencedColumns: ['id'], onDelete: 'cascade' }] },
)
const blog = Q.metadata([users, posts, comments])

// The same cycle with a deferrable key: a book may name its author before the author exists, until commit.
const authors: Q.AnyTable = Q.table(
  'authors',
  { id: Q.integer().primaryKey(), best_book_id: Q.integer() },
  { foreignKeys: [{ columns: ['best_book_id'], references: () => books, referencedColumns: ['id'], deferrable: 'deferred' }] },
)
const books: Q.AnyTable = Q.table(
  'books',
  { id: Q.integer().primaryKey(), author_id: Q.integer().notNull() },
  { foreignKeys: [{ columns: ['author_id'], references: () => authors, referencedColumns: ['id'], deferrable: 'deferred' }] },
)
const library = Q.metadata([authors, books])

const ok = <T>(e: E.Either<Q.MetaDataError, T>): T => {
  if (E.isLeft(e)) throw new Error(e.left.message)
  return e.right
}
const all = (ss: readonly Q.StatementNode[]): Program<void> =>
  pipe(
    ss.map((s) => execute(s)),
    RTE.sequenceSeqArray,
    RTE.map(() => undefined),
  )

/** The foreign keys the catalog knows, as `table.constraint` (SQLite names none: `table.column`), sorted. */
const catalogKeys = async (e: Engine, engine: string): Promise<string[]> => {
  const text =
    engine === 'postgresql'
      ? "SELECT table_name AS t, constraint_name AS k FROM information_schema.table_constraints WHERE constraint_type = 'FOREIGN KEY' AND table_schema = current_schema()"
      : engine === 'mariadb'
        ? 'SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS k FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()'
        : "SELECT m.name AS t, f.\"from\" AS k FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
  const rows = (await runPromise(e)(sql<{ t: string; k: string }>(text))).rows
  return rows.map((r) => `${r.t}.${r.k}`).sort()
}

/** Tables and indexes left in the database (SQLite's own bookkeeping aside). */
const catalogObjects = async (e: Engine, engine: string): Promise<number> => {
  const text =
    engine === 'postgresql'
      ? "SELECT COUNT(*) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'i')"
      : engine === 'mariadb'
        ? 'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()'
        : "SELECT COUNT(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
  return Number((await runPromise(e)(sql<{ n: number | bigint | string }>(text))).rows[0]?.n)
}

describe.each(engines)('a foreign-key cycle through quarry DDL on $name', (engine) => {
  let db: EngineDb
  let e: Engine
  // SQLite cannot ALTER TABLE ADD CONSTRAINT: every key goes inline there.
  const mode = (): Q.ForeignKeysMode => (e.dialect.capabilities.alterForeignKey === undefined ? 'inline' : 'alter')

  beforeAll(async () => {
    db = await engine.fresh()
    e = createEngine(db.driver, { pool: { max: 1 } })
  })
  afterAll(async () => {
    await e?.close()
    await db?.drop()
  })

  it('createAll: every key is in the catalog, the cycle-closing ones added by ALTER TABLE where the engine can', async () => {
    const ddl = ok(Q.createAll(blog, { foreignKeys: mode() }))
    expect(ddl.filter((s) => s._tag === 'AlterTable')).toHaveLength(engine.name === 'sqlite' ? 0 : 2)
    await runPromise(e)(all(ddl))
    expect(await catalogKeys(e, engine.name)).toEqual(
      engine.name === 'postgresql'
        ? ['comments.comments_post_id_fkey', 'posts.posts_author_id_fkey', 'users.users_best_post_id_fkey']
        : engine.name === 'mariadb'
          ? ['comments.comments_ibfk_1', 'posts.posts_author_id_fkey', 'users.users_best_post_id_fkey']
          : ['comments.post_id', 'posts.author_id', 'users.best_post_id'],
    )
  })

  it('a cycle of rows in one transaction: the user with NULL, the post, then the closing UPDATE', async () => {
    await runPromise(e)(
      transaction()(
        all([
          Q.insert(users, { id: 1001, name: 'ada' }),
          Q.insert(posts, { id: 1010, author_id: 1001, title: 'hello' }),
          Q.update(users, { set: () => ({ best_post_id: 1010 }), where: (s) => Q.eq(s.users.id, 1001) }),
        ]),
      ),
    )
    const rows = await runPromise(e)(sql<{ best_post_id: number | bigint }>('SELECT best_post_id FROM users WHERE id = 1001'))
    expect(Number(rows.rows[0]?.best_post_id)).toBe(1010)
  })

  it('both keys of the cycle are enforced', async () => {
    const orphanPost = await run(e)(execute(Q.insert(posts, { id: 1011, author_id: 999, title: 'orphan' })))()
    expect(E.isLeft(orphanPost) && orphanPost.left).toMatchObject({ _tag: 'ForeignKeyViolation' })
    const danglingBest = await run(e)(execute(Q.update(users, { set: () => ({ best_post_id: 999 }), where: (s) => Q.eq(s.users.id, 1001) })))()
    expect(E.isLeft(danglingBest) && danglingBest.left).toMatchObject({ _tag: 'ForeignKeyViolation' })
  })

  it('the change graph commits a cycle (insert, then post-update) on the created schema', async () => {
    const done = await runPromise(e)(
      G.commit(pipe(G.empty, G.insert('bob', users, { name: 'bob', best_post_id: G.ref('p') }), G.insert('p', posts, { title: 'first', author_id: G.ref('bob') }))),
    )
    const bob = Number(done.rows.get('bob')?.['id'])
    const p = Number(done.rows.get('p')?.['id'])
    const back = await runPromise(e)(sql<{ best_post_id: number | bigint; author_id: number | bigint }>(
      `SELECT u.best_post_id, p.author_id FROM users u JOIN posts p ON p.id = u.best_post_id WHERE u.id = ${db.ph(1)}`,
      [bob],
    ))
    expect(back.rows.map((r) => [Number(r.best_post_id), Number(r.author_id)])).toEqual([[p, bob]])
  })

  it('dropAll with the cycle of rows still there: nothing is left in the catalog', async () => {
    const drop = ok(Q.dropAll(blog, { foreignKeys: mode() }))
    if (engine.name === 'sqlite') {
      // DROP TABLE deletes the rows first, and that DELETE checks the keys into the table: posts still referenced by users.
      const refused = await run(e)(transaction()(all(drop)))()
      expect(E.isLeft(refused) && refused.left).toMatchObject({ _tag: 'ForeignKeyViolation' })
      expect(await catalogObjects(e, engine.name)).toBe(4)
      // Checked at commit instead, when no table and so no dangling row is left.
      await runPromise(e)(transaction()(pipe(sql('PRAGMA defer_foreign_keys = ON'), RTE.chain(() => all(drop)))))
    } else await runPromise(e)(all(drop))
    expect(await catalogKeys(e, engine.name)).toEqual([])
    expect(await catalogObjects(e, engine.name)).toBe(0)
  })

  it('a deferrable key lets a row name one that comes later in the transaction (PostgreSQL, SQLite); MariaDB has none', async () => {
    const create = ok(Q.createAll(library, { foreignKeys: mode() }))
    if (engine.name === 'mariadb') {
      const problems = create.map((s) => compile(e.dialect)(s)).filter(E.isLeft).map((l) => l.left)
      const unsupported = expect.objectContaining({ _tag: 'Unsupported', feature: 'DEFERRABLE foreign key', dialect: 'mariadb' })
      expect(problems).toEqual([unsupported, unsupported])
      return
    }
    await runPromise(e)(all(create))
    // The book first, naming an author that does not exist yet; the author then names the book.
    await runPromise(e)(transaction()(all([Q.insert(books, { id: 1, author_id: 7 }), Q.insert(authors, { id: 7, best_book_id: 1 })])))
    // Still checked at commit: a book whose author never comes is refused and leaves nothing.
    const dangling = await run(e)(transaction()(all([Q.insert(books, { id: 2, author_id: 8 })])))()
    expect(E.isLeft(dangling) && dangling.left).toMatchObject({ _tag: 'ForeignKeyViolation' })
    // SQLite keeps its transaction open when a deferred key refuses COMMIT; the connection rolls it back,
    // so the next statement runs outside any transaction and sees only book 1.
    expect((await runPromise(e)(sql('SELECT id FROM books'))).rows.map((r) => Number(r['id']))).toEqual([1])
    // Deferred keys also let the cycle be dropped inside one transaction on SQLite, without the pragma.
    await runPromise(e)(transaction()(all(ok(Q.dropAll(library, { foreignKeys: mode() })))))
    expect(await catalogObjects(e, engine.name)).toBe(0)
  })
})

describe('the same DDL on the in-memory evaluator', () => {
  it('createAll / dropAll of the cycle run; the keys added by ALTER TABLE are enforced', () => {
    const step = (db: MEM.Database, s: Q.StatementNode): MEM.Database => {
      const r = MEM.execute(MEM.postgresProfile)(s)(db)
      if (E.isLeft(r)) throw new Error(r.left.message)
      return r.right.db
    }
    let db = ok(Q.createAll(blog)).reduce(step, MEM.emptyDatabase)
    expect([...db.tables.keys()].sort()).toEqual(['comments', 'posts', 'users'])
    db = [Q.insert(users, { id: 1, name: 'ada' }), Q.insert(posts, { id: 10, author_id: 1, title: 'hello' })].reduce(step, db)
    const dangling = MEM.execute(MEM.postgresProfile)(Q.update(users, { set: () => ({ best_post_id: 99 }), where: (s) => Q.eq(s.users.id, 1) }))(db)
    expect(E.isLeft(dangling) && dangling.left).toMatchObject({ _tag: 'ConstraintViolation', kind: 'foreign-key', constraint: 'users_best_post_id_fkey' })
    db = ok(Q.dropAll(blog)).reduce(step, db)
    expect(db.tables.size).toBe(0)
  })
})
