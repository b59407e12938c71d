/**
 * The engines a runtime suite runs on: the three real ones (a fresh
 * database each, through `createEngine`) and the in-memory engine, so the
 * same programs are checked to behave alike on all four.
 */
import { createEngine, createMemoryEngine, type Engine } from '../../../src/effects/index.js'
import type { PoolOptions } from '../../../src/drivers/pool.js'
import { engines } from '../../support/engines.js'

/** One engine of a runtime suite. */
export interface RuntimeEngine {
  readonly name: 'postgresql' | 'mariadb' | 'sqlite' | 'memory'
  /** An engine over a fresh, empty database, and how to drop it once the engine is closed. */
  readonly open: (pool?: PoolOptions) => Promise<{ readonly engine: Engine; readonly drop: () => Promise<void> }>
}

/** PostgreSQL, MariaDB, SQLite and memory (PostgreSQL's profile), in that order. */
export const runtimeEngines: readonly RuntimeEngine[] = [
  ...engines.map(
    (e): RuntimeEngine => ({
      name: e.name,
      open: async (pool) => {
        const db = await e.fresh()
        return { engine: createEngine(db.driver, pool === undefined ? {} : { pool }), drop: db.drop }
      },
    }),
  ),
  { name: 'memory', open: () => Promise.resolve({ engine: createMemoryEngine(), drop: () => Promise.resolve() }) },
]
