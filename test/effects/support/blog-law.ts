/**
 * The random change graphs of the commit laws, over the blog schema (users ↔
 * posts cycle, self-references, cascading comments, unique tags): a graph of
 * inserts, then updates and deletes of what it left (some with a stale
 * version, some breaking the unique label, half the updates saved without
 * node keys), and what a commit gave in a
 * form two engines must agree on.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import fc from 'fast-check'
import { expect } from 'vitest'
import * as Q from '../../../src/algebra/index.js'
import { commitWith, G, query, runPromise, type Engine, type Persisted, type QuarryError } from '../../../src/effects/index.js'
import { comments, posts, users } from './blog.js'

export const tags = Q.table('tags', { id: Q.integer().primaryKey().autoIncrement(), label: Q.varchar(20).notNull() }, { unique: [['label']] })
export const tables = [users, posts, comments, tags] as const
export const schema = Q.metadata([...tables])

export type Row = Record<string, unknown>
export type Dump = Record<string, Row[]>

export const norm = (r: Readonly<Row>): Row => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))

export const dump = async (e: Engine): Promise<Dump> => {
  const out: Dump = {}
  for (const t of tables) out[t.name] = (await runPromise(e)(query<Row>(pipe(Q.from(t as Q.AnyTable), Q.orderBy(() => [(t.c as { id: Q.Expr<number> }).id]))))).map(norm)
  return out
}

/** What a commit gave, in a form both engines must agree on. */
export const outcome = (r: E.Either<QuarryError, Persisted>): unknown => {
  if (E.isRight(r)) return { rows: [...r.right.rows].map(([k, v]) => [k, norm(v)]), statements: r.right.statements }
  const e = r.left
  switch (e._tag) {
    case 'FlushFailed':
      return { tag: e._tag, step: e.step, cause: e.cause._tag }
    case 'StaleRow':
      return { tag: e._tag, table: e.table, key: e.key, expected: e.expected, actual: e.actual, step: e.step }
    default:
      return { tag: e._tag }
  }
}

/** A label for the coverage tally: which kind of outcome a case had. */
export const kind = (r: E.Either<QuarryError, Persisted>): string =>
  E.isRight(r) ? 'ok' : r.left._tag === 'FlushFailed' ? `FlushFailed:${r.left.cause._tag}` : r.left._tag

// --- random graphs ---

const userArb = fc.record({
  name: fc.constantFrom('ada', 'bob', 'cy'),
  manager: fc.option(fc.nat(5), { nil: undefined }),
  best: fc.option(fc.nat(3), { nil: undefined }),
  posts: fc.array(fc.record({ title: fc.constantFrom('p', 'q'), comments: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }) }), { maxLength: 3 }),
})
export const insertsArb = fc.record({
  users: fc.array(userArb, { minLength: 1, maxLength: 4 }),
  tags: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 3 }),
  orphan: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
})
export type Inserts = typeof insertsArb extends fc.Arbitrary<infer T> ? T : never

export const insertGraph = (c: Inserts): G.ChangeGraph => {
  const nodes: G.ChangeNode[] = []
  const n = c.users.length
  c.users.forEach((u, i) => {
    const manager = u.manager === undefined || u.manager % n === i ? {} : { manager_id: G.ref(`u${u.manager % n}`) }
    const best = u.best === undefined || u.posts.length === 0 ? {} : { best_post_id: G.ref(`p${i}_${u.best % u.posts.length}`) }
    nodes.push(G.insertRow(`u${i}`, users, { name: u.name, ...manager, ...best }))
    u.posts.forEach((p, j) => {
      nodes.push(G.insertRow(`p${i}_${j}`, posts, { author_id: G.ref(`u${i}`), title: p.title }))
      p.comments.forEach((body, k) => nodes.push(G.insertRow(`c${i}_${j}_${k}`, comments, { post_id: G.ref(`p${i}_${j}`), body })))
    })
  })
  c.tags.forEach((label, k) => nodes.push(G.insertRow(`t${k}`, tags, { label })))
  if (c.orphan) nodes.push(G.insertRow('orphan', comments, { post_id: 999_999, body: 'nobody' }))
  return G.fromNodes(nodes)
}

export const opArb = fc.record({
  kind: fc.constantFrom('rename', 'retitle', 'movePost', 'addPost', 'renameAll', 'deletePost', 'deleteUser', 'deleteUserCascade', 'deleteComment', 'relabel'),
  pick: fc.nat(),
  stale: fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, { arbitrary: fc.constant(true), weight: 1 }),
  /** Updates saved by primary key, without a node key (`G.saveRow`). */
  keyless: fc.boolean(),
})
export type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never

/** Updates and deletes of rows as they are now (one op per row at most). */
export const changeGraph = (d: Dump, ops: readonly Op[]): G.ChangeGraph => {
  const used = new Set<string>()
  const nodes: G.ChangeNode[] = []
  const pick = (table: string, at: number): Row | undefined => {
    const rows = d[table] ?? []
    const row = rows[at % Math.max(1, rows.length)]
    if (row === undefined || used.has(`${table}:${String(row['id'])}`)) return undefined
    used.add(`${table}:${String(row['id'])}`)
    return row
  }
  ops.forEach((op, i) => {
    const key = `op${i}`
    // Nothing in these graphs references an updated row, so any update may go without a key.
    const update = (k: string, table: Q.AnyTable, snapshot: Row, changes: Row, options?: { readonly version: string }): G.UpdateRow =>
      op.keyless ? G.saveRow(table, snapshot as never, changes as never, options as never) : G.updateRow(k, table, snapshot as never, changes as never, options as never)
    const usersNow = d['users'] ?? []
    // A new post names an existing user without changing it (the user may be deleted by another op: a foreign key violation).
    if (op.kind === 'addPost') {
      const author = usersNow[op.pick % Math.max(1, usersNow.length)]
      if (author !== undefined) nodes.push(G.insertRow(key, posts, { author_id: author['id'] as number, title: 'added' }))
      return
    }
    // Every user not changed yet, versioned: one batched statement (a stale one among them fails it all).
    if (op.kind === 'renameAll') {
      usersNow.forEach((_, j) => {
        const row = pick('users', j)
        if (row !== undefined) nodes.push(update(`${key}_${j}`, users, op.stale && j === op.pick % usersNow.length ? { ...row, version: Number(row['version']) + 1 } : row, { name: `${String(row['name'])}*` }, { version: 'version' }))
      })
      return
    }
    const table = op.kind === 'retitle' || op.kind === 'deletePost' || op.kind === 'movePost' ? 'posts' : op.kind === 'deleteComment' ? 'comments' : op.kind === 'relabel' ? 'tags' : 'users'
    const row = pick(table, op.pick)
    if (row === undefined) return
    const snapshot = op.stale && 'version' in row ? { ...row, version: Number(row['version']) + 1 } : row
    switch (op.kind) {
      case 'rename':
        return void nodes.push(update(key, users, snapshot, { name: `${String(row['name'])}!` }, { version: 'version' }))
      case 'movePost': {
        // To another user (or the same one, when there is one: nothing is written).
        const to = usersNow[(op.pick + 1) % Math.max(1, usersNow.length)]
        return void (to === undefined || nodes.push(update(key, posts, row, { author_id: to['id'] as number })))
      }
      case 'retitle':
        return void nodes.push(update(key, posts, row, { title: 'changed' }))
      case 'relabel':
        // Every label becomes 'a': a second tag relabelled, or an existing 'a', is a unique violation.
        return void nodes.push(update(key, tags, row, { label: 'a' }))
      case 'deletePost':
        return void nodes.push(G.deleteRow(key, posts, { id: row['id'] as number }))
      case 'deleteComment':
        return void nodes.push(G.deleteRow(key, comments, { id: row['id'] as number }))
      case 'deleteUser':
        return void nodes.push(G.deleteRow(key, users, snapshot as never, { version: 'version' }))
      case 'deleteUserCascade':
        return void nodes.push(G.deleteRow(key, users, { id: row['id'] as number }, { cascade: schema }))
    }
  })
  return G.fromNodes(nodes)
}

/**
 * One case of a commit law: the inserts, then changes built from what they
 * left, each committed on `engine` and on `memory` from the same state,
 * with the same outcome and the same tables after. `seen` counts how the
 * engine's commits ended (see {@link expectEveryOutcome}).
 */
export const commitsAgree = async (engine: Engine, memory: Engine, inserts: Inserts, ops: readonly Op[], seen: Map<string, number>): Promise<void> => {
  // The changes are built from what the inserts left, so only once they ran.
  for (const build of [() => insertGraph(inserts), async () => changeGraph(await dump(engine), ops)]) {
    const graph = await build()
    const [inMemory, onEngine] = [await commitWith(memory)(graph)(), await commitWith(engine)(graph)()]
    seen.set(kind(onEngine), (seen.get(kind(onEngine)) ?? 0) + 1)
    expect(outcome(onEngine)).toEqual(outcome(inMemory))
    expect(await dump(engine)).toEqual(await dump(memory))
  }
}

/** The cases must have reached every outcome, or the comparison proved little. */
export const expectEveryOutcome = (seen: ReadonlyMap<string, number>): void => {
  for (const k of ['ok', 'StaleRow', 'FlushFailed:UniqueViolation', 'FlushFailed:ForeignKeyViolation']) expect(seen.get(k) ?? 0, `outcomes seen: ${JSON.stringify([...seen])}`).toBeGreaterThan(0)
}

