/** Golden SQL: INSERT (rows, defaults, from a query), upsert, UPDATE (with FROM), DELETE, RETURNING. */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as Q from '../../src/algebra/index.js'
import { golden } from './all-dialects.js'
import { posts, users } from './fixtures.js'

const tags = Q.table('tags', {
  id: Q.integer().primaryKey().autoIncrement(),
  label: Q.text().notNull(),
  created: Q.timestamp().notNull().serverDefault(Q.fn('CURRENT_TIMESTAMP')),
})

describe('insert', () => {
  it('one row; client defaults filled in; JSON encoded by column type', () => {
    const q = Q.insert(users, { name: 'ada', email: 'ada@example.com', meta: { tags: ['x'], n: 1 } })
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "users" ("name", "email", "meta", "active") VALUES ($1, $2, $3, $4)  -- ["ada","ada@example.com","{\\"tags\\":[\\"x\\"],\\"n\\":1}",true]
      mysql:    INSERT INTO \`users\` (\`name\`, \`email\`, \`meta\`, \`active\`) VALUES (?, ?, ?, ?)  -- ["ada","ada@example.com","{\\"tags\\":[\\"x\\"],\\"n\\":1}",true]
      sqlite:   INSERT INTO "users" ("name", "email", "meta", "active") VALUES (?, ?, ?, ?)  -- ["ada","ada@example.com","{\\"tags\\":[\\"x\\"],\\"n\\":1}",1n]
      "
    `)
  })

  it('many rows; a missing value is DEFAULT (NULL where that is the same, else Unsupported, on SQLite)', () => {
    const q = Q.insert(users, [
      { name: 'a', email: 'a@x', bio: 'hi' },
      { name: 'b', email: 'b@x', active: false },
    ])
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "users" ("name", "email", "bio", "active") VALUES ($1, $2, $3, $4), ($5, $6, DEFAULT, $7)  -- ["a","a@x","hi",true,"b","b@x",false]
      mysql:    INSERT INTO \`users\` (\`name\`, \`email\`, \`bio\`, \`active\`) VALUES (?, ?, ?, ?), (?, ?, DEFAULT, ?)  -- ["a","a@x","hi",true,"b","b@x",false]
      sqlite:   INSERT INTO "users" ("name", "email", "bio", "active") VALUES (?, ?, ?, ?), (?, ?, NULL, ?)  -- ["a","a@x","hi",1n,"b","b@x",0n]
      "
    `)
    expect(golden(Q.insert(tags, [{ label: 'x' }, { label: 'y', created: new Date(0) }]))).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "tags" ("label", "created") VALUES ($1, DEFAULT), ($2, $3)  -- ["x","y","1970-01-01T00:00:00.000Z"]
      mysql:    INSERT INTO \`tags\` (\`label\`, \`created\`) VALUES (?, DEFAULT), (?, ?)  -- ["x","y","1970-01-01T00:00:00.000Z"]
      sqlite:   !Unsupported: a multi-row insert that omits a column with a server default is not supported by sqlite
      "
    `)
  })

  it('a row of nothing but defaults', () => {
    const counters = Q.table('counters', { id: Q.integer().primaryKey().autoIncrement(), n: Q.integer().serverDefault(Q.val(0)) })
    expect(golden(Q.insert(counters, {}))).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "counters" DEFAULT VALUES
      mysql:    INSERT INTO \`counters\` () VALUES ()
      sqlite:   INSERT INTO "counters" DEFAULT VALUES
      "
    `)
    expect(golden(Q.insert(counters, [{}, {}]))).toMatchInlineSnapshot(`
      "
      postgres: !Unsupported: a multi-row insert of nothing but defaults is not supported by postgres
      mysql:    INSERT INTO \`counters\` () VALUES (), ()
      sqlite:   !Unsupported: a multi-row insert of nothing but defaults is not supported by sqlite
      "
    `)
  })

  it('from a query', () => {
    const q = Q.insertFrom(posts, ['author_id', 'title', 'score'], pipe(Q.from(users), Q.select((s) => ({ a: s.users.id, t: s.users.name, n: Q.val(0) }))))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "posts" ("author_id", "title", "score") SELECT "users"."id" AS "a", "users"."name" AS "t", CAST($1 AS INTEGER) AS "n" FROM "users"  -- [0]
      mysql:    INSERT INTO \`posts\` (\`author_id\`, \`title\`, \`score\`) SELECT \`users\`.\`id\` AS \`a\`, \`users\`.\`name\` AS \`t\`, ? AS \`n\` FROM \`users\`  -- [0]
      sqlite:   INSERT INTO "posts" ("author_id", "title", "score") SELECT "users"."id" AS "a", "users"."name" AS "t", ? AS "n" FROM "users"  -- [0n]
      "
    `)
  })

  it('returning (not on MySQL 8)', () => {
    const q = pipe(Q.insert(users, { name: 'ada', email: 'a@x' }), Q.returning((s) => ({ id: s.users.id, created: s.users.name })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "users" ("name", "email", "active") VALUES ($1, $2, $3) RETURNING "users"."id", "users"."name" AS "created"  -- ["ada","a@x",true]
      mysql:    INSERT INTO \`users\` (\`name\`, \`email\`, \`active\`) VALUES (?, ?, ?) RETURNING \`users\`.\`id\`, \`users\`.\`name\` AS \`created\`  -- ["ada","a@x",true]
      mysql8:   !Unsupported: RETURNING on INSERT is not supported by mysql8
      sqlite:   INSERT INTO "users" ("name", "email", "active") VALUES (?, ?, ?) RETURNING "users"."id", "users"."name" AS "created"  -- ["ada","a@x",1n]
      "
    `)
  })
})

describe('upsert', () => {
  it('on conflict do nothing', () => {
    const q = pipe(Q.insert(posts, { author_id: 1, title: 't', score: 0 }), Q.onConflictDoNothing(['id']))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "posts" ("author_id", "title", "score") VALUES ($1, $2, $3) ON CONFLICT ("id") DO NOTHING  -- [1,"t",0]
      mysql:    INSERT INTO \`posts\` (\`author_id\`, \`title\`, \`score\`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE \`id\` = \`id\`  -- [1,"t",0]
      sqlite:   INSERT INTO "posts" ("author_id", "title", "score") VALUES (?, ?, ?) ON CONFLICT ("id") DO NOTHING  -- [1n,"t",0n]
      "
    `)
  })

  it('on conflict do update from the proposed row', () => {
    const q = pipe(
      Q.insert(posts, { id: 7, author_id: 1, title: 't', score: 1 }),
      Q.onConflictDoUpdate(['id'], (ex, cur) => ({ title: ex.title, score: Q.add(cur.score, ex.score) })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "posts" ("id", "author_id", "title", "score") VALUES ($1, $2, $3, $4) ON CONFLICT ("id") DO UPDATE SET "title" = "excluded"."title", "score" = "posts"."score" + "excluded"."score"  -- [7,1,"t",1]
      mysql:    INSERT INTO \`posts\` (\`id\`, \`author_id\`, \`title\`, \`score\`) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE \`title\` = VALUES(\`title\`), \`score\` = \`posts\`.\`score\` + VALUES(\`score\`)  -- [7,1,"t",1]
      mysql8:   INSERT INTO \`posts\` (\`id\`, \`author_id\`, \`title\`, \`score\`) VALUES (?, ?, ?, ?) AS \`excluded\` ON DUPLICATE KEY UPDATE \`title\` = \`excluded\`.\`title\`, \`score\` = \`posts\`.\`score\` + \`excluded\`.\`score\`  -- [7,1,"t",1]
      sqlite:   INSERT INTO "posts" ("id", "author_id", "title", "score") VALUES (?, ?, ?, ?) ON CONFLICT ("id") DO UPDATE SET "title" = "excluded"."title", "score" = "posts"."score" + "excluded"."score"  -- [7n,1n,"t",1n]
      "
    `)
  })

  it('a conditional update on conflict (no WHERE there on MySQL)', () => {
    const q = pipe(
      Q.insert(posts, { id: 7, author_id: 1, title: 't', score: 1 }),
      Q.onConflictDoUpdate(['id'], (ex) => ({ score: ex.score }), (ex, cur) => Q.gt(ex.score, cur.score)),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "posts" ("id", "author_id", "title", "score") VALUES ($1, $2, $3, $4) ON CONFLICT ("id") DO UPDATE SET "score" = "excluded"."score" WHERE "excluded"."score" > "posts"."score"  -- [7,1,"t",1]
      mysql:    !Unsupported: WHERE in ON CONFLICT DO UPDATE is not supported by mariadb
      mysql8:   !Unsupported: WHERE in ON CONFLICT DO UPDATE is not supported by mysql8
      sqlite:   INSERT INTO "posts" ("id", "author_id", "title", "score") VALUES (?, ?, ?, ?) ON CONFLICT ("id") DO UPDATE SET "score" = "excluded"."score" WHERE "excluded"."score" > "posts"."score"  -- [7n,1n,"t",1n]
      "
    `)
  })

  it('MySQL cannot target one of several unique keys: Unsupported rather than a different meaning', () => {
    const q = pipe(Q.insert(users, { name: 'a', email: 'a@x' }), Q.onConflictDoUpdate(['email'], (ex) => ({ name: ex.name })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: INSERT INTO "users" ("name", "email", "active") VALUES ($1, $2, $3) ON CONFLICT ("email") DO UPDATE SET "name" = "excluded"."name"  -- ["a","a@x",true]
      mysql:    !Unsupported: ON CONFLICT on a table with several unique keys (ON DUPLICATE KEY cannot name one) is not supported by mariadb
      mysql8:   !Unsupported: ON CONFLICT on a table with several unique keys (ON DUPLICATE KEY cannot name one) is not supported by mysql8
      sqlite:   INSERT INTO "users" ("name", "email", "active") VALUES (?, ?, ?) ON CONFLICT ("email") DO UPDATE SET "name" = "excluded"."name"  -- ["a","a@x",1n]
      "
    `)
  })
})

describe('update and delete', () => {
  it('update with where and returning (RETURNING on UPDATE is PostgreSQL and SQLite only)', () => {
    const q = pipe(
      Q.update(posts, { set: (s) => ({ title: 'new', score: Q.add(s.posts.score, 1) }), where: (s) => Q.eq(s.posts.id, 3) }),
      Q.returning((s) => ({ id: s.posts.id })),
    )
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: UPDATE "posts" SET "title" = $1, "score" = "posts"."score" + $2 WHERE "posts"."id" = $3 RETURNING "posts"."id"  -- ["new",1,3]
      mysql:    !Unsupported: RETURNING on UPDATE is not supported by mariadb
      mysql8:   !Unsupported: RETURNING on UPDATE is not supported by mysql8
      sqlite:   UPDATE "posts" SET "title" = ?, "score" = "posts"."score" + ? WHERE "posts"."id" = ? RETURNING "posts"."id"  -- ["new",1n,3n]
      "
    `)
  })

  it('update from another relation (multi-table UPDATE on MySQL)', () => {
    const q = Q.updateFrom(posts, users, {
      set: (s) => ({ title: s.users.name }),
      where: (s) => Q.and(Q.eq(s.users.id, s.posts.author_id), Q.eq(s.users.active, false)),
    })
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: UPDATE "posts" SET "title" = "users"."name" FROM "users" WHERE "users"."id" = "posts"."author_id" AND "users"."active" = $1  -- [false]
      mysql:    UPDATE \`posts\`, \`users\` SET \`posts\`.\`title\` = \`users\`.\`name\` WHERE \`users\`.\`id\` = \`posts\`.\`author_id\` AND \`users\`.\`active\` = ?  -- [false]
      sqlite:   UPDATE "posts" SET "title" = "users"."name" FROM "users" WHERE "users"."id" = "posts"."author_id" AND "users"."active" = ?  -- [0n]
      "
    `)
  })

  it('delete with returning (MariaDB has RETURNING on DELETE)', () => {
    const q = pipe(Q.deleteFrom(posts, (s) => Q.lt(s.posts.score, 0)), Q.returning((s) => ({ id: s.posts.id, title: s.posts.title })))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: DELETE FROM "posts" WHERE "posts"."score" < $1 RETURNING "posts"."id", "posts"."title"  -- [0]
      mysql:    DELETE FROM \`posts\` WHERE \`posts\`.\`score\` < ? RETURNING \`posts\`.\`id\`, \`posts\`.\`title\`  -- [0]
      mysql8:   !Unsupported: RETURNING on DELETE is not supported by mysql8
      sqlite:   DELETE FROM "posts" WHERE "posts"."score" < ? RETURNING "posts"."id", "posts"."title"  -- [0n]
      "
    `)
  })

  it('delete using another relation (multi-table DELETE on MySQL, Unsupported on SQLite)', () => {
    const q = Q.deleteUsing(posts, users, (s) => Q.and(Q.eq(s.users.id, s.posts.author_id), Q.eq(s.users.active, false)))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: DELETE FROM "posts" USING "users" WHERE "users"."id" = "posts"."author_id" AND "users"."active" = $1  -- [false]
      mysql:    DELETE \`posts\` FROM \`posts\`, \`users\` WHERE \`users\`.\`id\` = \`posts\`.\`author_id\` AND \`users\`.\`active\` = ?  -- [false]
      sqlite:   !Unsupported: DELETE ... USING is not supported by sqlite
      "
    `)
  })

  it('CTEs in data changes', () => {
    const bad = pipe(Q.from(users), Q.where((s) => Q.eq(s.users.active, false)), Q.select((s) => ({ id: s.users.id })), Q.cte('bad'))
    const q = Q.deleteFrom(posts, (s) => Q.isIn(s.posts.author_id, pipe(Q.from(bad), Q.select((x) => ({ id: x.bad.id })))))
    expect(golden(q)).toMatchInlineSnapshot(`
      "
      postgres: WITH "bad" AS (SELECT "users"."id" FROM "users" WHERE "users"."active" = $1) DELETE FROM "posts" WHERE "posts"."author_id" IN (SELECT "bad"."id" FROM "bad")  -- [false]
      mysql:    !Unsupported: WITH on DELETE is not supported by mariadb
      mysql8:   WITH \`bad\` AS (SELECT \`users\`.\`id\` FROM \`users\` WHERE \`users\`.\`active\` = ?) DELETE FROM \`posts\` WHERE \`posts\`.\`author_id\` IN (SELECT \`bad\`.\`id\` FROM \`bad\`)  -- [false]
      sqlite:   WITH "bad" AS (SELECT "users"."id" FROM "users" WHERE "users"."active" = ?) DELETE FROM "posts" WHERE "posts"."author_id" IN (SELECT "bad"."id" FROM "bad")  -- [0n]
      "
    `)
  })
})
