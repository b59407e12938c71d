/**
 * The persistence workloads' tables and change graphs, made from the
 * modules they are given: the bench passes this build's, and `bench/ab.ts`
 * passes each of the two builds it compares (a table's checking caches
 * belong to the build that made it).
 */
import type * as Algebra from '../../src/algebra/index.js'
import type { G as Graphs } from '../../src/effects/index.js'

type GraphModule = typeof Graphs

/** The tables (their DDL, per engine, is in persistence.ts). */
export const benchTables = (Q: typeof Algebra) => {
  const users = Q.table('bench_gusers', { id: Q.integer().primaryKey().autoIncrement(), name: Q.text().notNull() })
  const posts = Q.table('bench_gposts', { id: Q.integer().primaryKey().autoIncrement(), author_id: Q.integer().notNull(), title: Q.text().notNull() }, {
    foreignKeys: [{ columns: ['author_id'], references: () => users, referencedColumns: ['id'] }],
  })
  return {
    items: Q.table('bench_items', { id: Q.integer().primaryKey().autoIncrement(), name: Q.text().notNull(), email: Q.text().notNull(), score: Q.integer().notNull(), active: Q.boolean().notNull() }),
    users,
    posts,
    comments: Q.table('bench_gcomments', { id: Q.integer().primaryKey().autoIncrement(), post_id: Q.integer().notNull(), body: Q.text().notNull() }, {
      foreignKeys: [{ columns: ['post_id'], references: () => posts, referencedColumns: ['id'] }],
    }),
    upd: Q.table('bench_upd', { id: Q.integer().primaryKey(), name: Q.text().notNull(), score: Q.integer().notNull() }),
  }
}

/** The `insert` workload's 10,000 rows. */
export const insertRows = Array.from({ length: 10_000 }, (_, i) => ({ name: `user ${i}`, email: `user${i}@example.com`, score: (i * 7919) % 1000, active: i % 3 === 0 }))

/** A loaded row of `bench_upd`. */
export interface Loaded {
  readonly id: number
  readonly name: string
  readonly score: number
}

/** The graphs the workloads commit, built as an application builds them (nodes, keys and all: that is part of the work). */
export const benchGraphs = (G: GraphModule, t: ReturnType<typeof benchTables>) => ({
  insert: () => G.fromNodes(insertRows.map((r, i) => G.insertRow(`i${i}`, t.items, r))),
  /** 200 users × 10 posts × 3 comments; children reference their parent's node, in hand as the graph is built (G.ref by node: no key made twice). */
  changeGraph: () => {
    const nodes: Graphs.ChangeNode[] = []
    for (let u = 0; u < 200; u++) {
      const user = G.insertRow(`u${u}`, t.users, { name: `user ${u}` })
      nodes.push(user)
      for (let p = 0; p < 10; p++) {
        const post = G.insertRow(`u${u}p${p}`, t.posts, { title: `post ${u}.${p}`, author_id: G.ref(user) })
        nodes.push(post)
        for (let c = 0; c < 3; c++) nodes.push(G.insertRow(`u${u}p${p}c${c}`, t.comments, { body: `comment ${c}`, post_id: G.ref(post) }))
      }
    }
    return G.fromNodes(nodes)
  },
  /**
   * The loaded rows with two columns changed (`n` makes each save differ from the last), saved by
   * primary key as an application saves rows it loaded (`G.saveRow`: no node key per row; naming
   * each row `r${id}` with `G.updateRow` measured about 3 % more on the committed save).
   */
  save: (loaded: readonly Loaded[], n: number) => G.fromNodes(loaded.map((r) => G.saveRow(t.upd, r, { name: `${r.name} v${n}`, score: n }))),
})
