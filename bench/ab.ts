/**
 * `npm run bench:ab -- <revA> <revB> [insert] [save] [graph] [commit]
 * [graph-commit]`: the planning of the persistence workloads (building the
 * graph and `G.plan` on SQLite, no database) by two commits, compared in
 * one process; `commit` and `graph-commit` time the whole `update` and
 * `change-graph` workloads instead (planned and committed on a SQLite
 * file), where a change shows beside the database's own work and the
 * garbage it leaves through the commit.
 *
 * Why not two runs of `npm run bench`: a change worth a few percent of
 * planning is lost in the run-to-run spread of a shared machine. Here both
 * builds are imported into one process and plan alternately, operation by
 * operation, so both meet the same load. One more bias remains: the build
 * imported second ran 2–14 % slower, whichever it was (measured on this
 * machine). So each comparison runs twice, A imported first and then B,
 * giving r₁ = (B/A)·p and r₂ = (A/B)·p for a position factor p; the
 * estimate is B/A = √(r₁/r₂), and p = √(r₁·r₂) is printed beside it.
 *
 * Each revision is checked out in a temporary git worktree and compiled
 * there with tsconfig.bench.json; the worktrees are removed at the end.
 * The workloads are this checkout's (bench/workloads/graphs.ts), run with
 * each build's modules: `save` and `commit` call `G.saveRow`, so both
 * revisions must have it.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import type * as Algebra from '../src/algebra/index.js'
import type * as Sqlite from '../src/drivers/sqlite/index.js'
import type * as Effects from '../src/effects/index.js'
import type * as Interpret from '../src/interpret/index.js'
import { benchGraphs, benchTables, type Loaded } from './workloads/graphs.js'

const WORKLOADS = ['insert', 'save', 'graph', 'commit', 'graph-commit'] as const
type Workload = (typeof WORKLOADS)[number]

/** Operations timed per workload and process (pairs: one by each build). */
const ITERATIONS: Record<Workload, number> = { insert: 600, save: 4000, graph: 600, commit: 3000, 'graph-commit': 400 }
/** Processes per order. */
const REPEATS = 3

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

/** The commit workloads' tables in a new SQLite file (WAL, as quarry's driver sets it), `bench_upd` with 1,000 rows; the loaded rows. */
const updateTable = (file: string): Loaded[] => {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec('CREATE TABLE bench_upd (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, score INTEGER NOT NULL)')
  db.exec('CREATE TABLE bench_gusers (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(100) NOT NULL)')
  db.exec('CREATE TABLE bench_gposts (id INTEGER PRIMARY KEY AUTOINCREMENT, author_id INTEGER NOT NULL REFERENCES bench_gusers (id), title VARCHAR(100) NOT NULL)')
  db.exec('CREATE TABLE bench_gcomments (id INTEGER PRIMARY KEY AUTOINCREMENT, post_id INTEGER NOT NULL REFERENCES bench_gposts (id), body VARCHAR(100) NOT NULL)')
  const insert = db.prepare('INSERT INTO bench_upd (id, name, score) VALUES (?, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < 1000; i++) insert.run(i + 1, `row ${i}`, 0)
  })()
  db.close()
  return Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, name: `row ${i}`, score: 0 }))
}

/** One build's work for each workload, as a function of the iteration (`file`: the commit workload's database). */
const load = async (dir: string, file: string): Promise<Record<Workload, (i: number) => unknown>> => {
  const from = async <M>(path: string): Promise<M> => (await import(pathToFileURL(join(dir, path)).href)) as M
  const Q = await from<typeof Algebra>('src/algebra/index.js')
  const { sqlite } = await from<typeof Interpret>('src/interpret/index.js')
  const { G, createEngine, runPromise } = await from<typeof Effects>('src/effects/index.js')
  const { sqliteDriver } = await from<typeof Sqlite>('src/drivers/sqlite/index.js')
  const graphs = benchGraphs(G, benchTables(Q))
  const loaded: Loaded[] = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, name: `row ${i}`, score: 0 }))
  let engine: Effects.Engine | undefined
  return {
    insert: () => G.plan(graphs.insert(), sqlite),
    save: (i) => G.plan(graphs.save(loaded, i + 1), sqlite),
    graph: () => G.plan(graphs.changeGraph(), sqlite),
    commit: (i) => runPromise((engine ??= createEngine(sqliteDriver({ filename: file }), { pool: { max: 1 } })))(G.commit(graphs.save(loaded, i + 1))),
    'graph-commit': () => runPromise((engine ??= createEngine(sqliteDriver({ filename: file }), { pool: { max: 1 } })))(G.commit(graphs.changeGraph())),
  }
}

/** In a child process: B's time over A's, per pair of operations (alternating which runs first), median. */
const probe = async (a: string, b: string, w: Workload): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-ab-db-'))
  const file = join(dir, 'commit.db')
  if (w === 'commit' || w === 'graph-commit') updateTable(file)
  const A = await load(a, file)
  const B = await load(b, file)
  const ratios: number[] = []
  for (let i = 0; i < ITERATIONS[w]; i++) {
    const [first, second] = i % 2 === 0 ? [A, B] : [B, A]
    const t0 = performance.now()
    await first[w](i)
    const t1 = performance.now()
    await second[w](i)
    const t2 = performance.now()
    const [ta, tb] = i % 2 === 0 ? [t1 - t0, t2 - t1] : [t2 - t1, t1 - t0]
    // The first quarter warms both builds up.
    if (i >= ITERATIONS[w] / 4) ratios.push(tb / ta)
  }
  rmSync(dir, { recursive: true, force: true })
  console.log(median(ratios))
}

/** Check `rev` out into a worktree under `root` and compile it; the build's directory. */
const build = (repo: string, root: string, rev: string, n: number): string => {
  const tree = join(root, `tree${n}`)
  execFileSync('git', ['-C', repo, 'worktree', 'add', '--detach', '--quiet', tree, rev], { stdio: 'inherit' })
  symlinkSync(join(repo, 'node_modules'), join(tree, 'node_modules'))
  const out = join(root, `build${n}`)
  execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bench.json', '--outDir', out], { cwd: tree, stdio: 'inherit' })
  // The build runs with the repository's packages, as the tree did.
  symlinkSync(join(repo, 'node_modules'), join(out, 'node_modules'))
  return out
}

const run = (a: string, b: string, w: Workload): number =>
  Number(execFileSync(process.execPath, [process.argv[1]!, '--probe', a, b, w], { encoding: 'utf8' }).trim())

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  if (args[0] === '--probe') return probe(args[1]!, args[2]!, args[3] as Workload)
  const [revA, revB, ...rest] = args
  const unknown = rest.filter((x) => !(WORKLOADS as readonly string[]).includes(x))
  if (revA === undefined || revB === undefined || unknown.length > 0)
    throw new Error(`usage: npm run bench:ab -- <revA> <revB> [${WORKLOADS.join('] [')}]${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`)
  const workloads = rest.length === 0 ? WORKLOADS : (rest as Workload[])
  const repo = resolve(execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim())
  const root = mkdtempSync(join(tmpdir(), 'quarry-ab-'))
  try {
    const a = build(repo, root, revA, 1)
    const b = build(repo, root, revB, 2)
    for (const w of workloads)
      for (let r = 0; r < REPEATS; r++) {
        const r1 = run(a, b, w)
        const r2 = run(b, a, w)
        console.log(`${w.padEnd(6)} ${revB} / ${revA}: ${Math.sqrt(r1 / r2).toFixed(3)}   (position factor ${Math.sqrt(r1 * r2).toFixed(3)})`)
      }
  } finally {
    for (const n of [1, 2]) {
      try {
        execFileSync('git', ['-C', repo, 'worktree', 'remove', '--force', join(root, `tree${n}`)], { stdio: 'ignore' })
      } catch {
        // Not made (its build failed first).
      }
    }
    rmSync(root, { recursive: true, force: true })
  }
}

await main()
