/**
 * Where a law runs: the evaluator under each dialect profile ("memory:…")
 * and each real engine. A target loads a case's tables and runs queries,
 * giving rows or the error, so one law body serves all six.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Q from '../src/algebra/index.js'
import { compile } from '../src/interpret/index.js'
import * as M from '../src/interpret/memory/index.js'
import { engines, type EngineName, type OpenDb } from '../test/support/quarry-engines.js'
import { setupStatements, teardownStatements, type TableSpec } from './gen-data.js'
import { knownGap } from './known-gaps.js'
import { memoryDb, profileOf } from './support.js'

/** What running a query gave: rows, a data exception, a known gap, or Unsupported at compile time. */
export type Outcome =
  | { readonly kind: 'rows'; readonly rows: readonly Readonly<Record<string, unknown>>[] }
  | { readonly kind: 'error'; readonly message: string; readonly gap: string | undefined }
  | { readonly kind: 'unsupported'; readonly feature: string }

/** A place to run laws. */
export interface Target {
  readonly name: string
  readonly profile: M.Profile
  /** Load the tables (replacing the previous case's) and return a runner for queries over them. */
  readonly load: (tables: readonly TableSpec[]) => Promise<(q: Q.QueryNode) => Promise<Outcome>>
  readonly close: () => Promise<void>
}

/** The evaluator under a profile as a target. */
export const memoryTarget = (p: M.Profile): Target => ({
  name: `memory:${p.name}`,
  profile: p,
  load: async (tables) => {
    const db = memoryDb(p, setupStatements(tables))
    return async (q) => {
      const r = M.evaluate(p)(q)(db)
      return E.isRight(r) ? { kind: 'rows', rows: r.right } : { kind: 'error', message: `${r.left._tag}: ${r.left.message}`, gap: undefined }
    }
  },
  close: async () => undefined,
})


/** A real engine as a target (a fresh database, closed by `close`). */
export const engineTarget = async (name: EngineName): Promise<Target> => {
  const engine = engines.find((e) => e.name === name)
  if (engine === undefined) throw new Error(`no engine ${name}`)
  const db: OpenDb = await engine.open()
  if (name === 'mariadb') await db.conn.execute('SET NAMES utf8mb4 COLLATE utf8mb4_bin', [])
  return {
    name,
    profile: profileOf(name),
    load: async (tables) => {
      for (const s of teardownStatements) await db.run(s)
      for (const s of setupStatements(tables)) await db.run(s)
      return async (q) => {
        const c = compile(engine.dialect)(q)
        if (E.isLeft(c)) {
          if (c.left._tag === 'Unsupported') return { kind: 'unsupported', feature: c.left.feature }
          throw new Error(`compile failed: ${c.left.message}`)
        }
        try {
          return { kind: 'rows', rows: (await db.conn.execute(c.right.sql, c.right.params as never)).rows }
        } catch (e) {
          return { kind: 'error', message: String((e as Error).message), gap: knownGap(name, e) }
        }
      }
    },
    close: () => db.close(),
  }
}

/** Every target's name, memory ones first. */
export const targetNames: readonly string[] = ['memory:postgres', 'memory:mariadb', 'memory:sqlite', 'postgresql', 'mariadb', 'sqlite']

/** Open a target by name. */
export const openTarget = async (name: string): Promise<Target> =>
  name.startsWith('memory:') ? memoryTarget(M.profileFor(name.slice('memory:'.length) as M.ProfileName)) : engineTarget(name as EngineName)
