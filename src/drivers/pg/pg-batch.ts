/**
 * `executeMany` on PostgreSQL: one statement parsed once and run once per
 * parameter set in a single pipelined round trip — Parse, then Bind /
 * Describe / Execute per set, then one Sync.
 *
 * Why this shape: the server handles everything before a Sync as one unit.
 * Outside a transaction block it is one implicit transaction, committed at
 * the Sync only if every set succeeded; after an error the server skips the
 * remaining messages up to the Sync, so no set after a failing one runs.
 * Inside a transaction the failure aborts it, as a failing `execute` does.
 * node-postgres' own pipeline mode is no substitute: it is a client-wide
 * switch that refuses cursors (quarry streams through pg-cursor) and puts a
 * Sync after every query, so sets after a failure would still run.
 *
 * The messages are written by a subclass of pg's `Query`, which already
 * routes every reply of the active query to it and collects one `Result`
 * per completed command; only `prepare` (what to write) differs.
 */
import pg from 'pg'
import type { ExecResult, Param } from '../driver.js'
import { batchFailure } from '../batch.js'

/** The parts of pg's protocol connection a query writes to. */
interface Wire {
  parse(config: { readonly text: string }): void
  bind(config: { readonly values: ReadonlyArray<unknown>; readonly binary: boolean | undefined }): void
  describe(config: { readonly type: 'P'; readonly name: string }): void
  execute(config: { readonly portal: string }): void
  sync(): void
  readonly stream: { destroy(error?: Error): void }
}

/** pg's `Result`, as much of it as quarry reads. */
interface PgResult {
  readonly rows: unknown[]
  readonly command: string | null
  readonly rowCount: number | null
}

type Done = (err: Error | null, results: PgResult | PgResult[]) => void

/** pg's `Query` as this subclass sees it (its protocol hooks are not in @types/pg). */
interface QueryInternals {
  readonly text: string
  readonly binary: boolean | undefined
  handleCommandComplete(msg: unknown, connection: Wire): void
}
const Query = pg.Query as unknown as new (config: { text: string; queryMode: 'extended'; callback: Done }) => QueryInternals

/** pg's own JS → wire conversion (the one `execute` uses), so both paths encode alike. */
const prepareValue = (pg as unknown as { readonly utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue

class PipelinedBatch extends Query {
  /** Commands completed so far: the index of the set running when an error arrives. */
  completed = 0
  private readonly encoded: ReadonlyArray<ReadonlyArray<unknown>>

  constructor(text: string, sets: ReadonlyArray<ReadonlyArray<Param>>, callback: Done) {
    super({ text, queryMode: 'extended', callback })
    // Converted before anything is written: nothing can throw half-way through the pipeline.
    this.encoded = sets.map((set) => set.map(prepareValue))
  }

  /** Called by pg inside a corked stream, so the whole batch leaves in as few packets as it fits. */
  prepare(connection: Wire): void {
    try {
      connection.parse({ text: this.text })
      for (const values of this.encoded) {
        connection.bind({ values, binary: this.binary })
        // Per set: each set's rows come with their own description, which starts its own Result.
        connection.describe({ type: 'P', name: '' })
        connection.execute({ portal: '' })
      }
      connection.sync()
    } catch (e) {
      // A half-written pipeline cannot be finished safely (a Sync would commit the sets
      // already sent): drop the session, which fails this query with ConnectionLost.
      connection.stream.destroy(e instanceof Error ? e : new Error(String(e)))
    }
  }

  override handleCommandComplete(msg: unknown, connection: Wire): void {
    this.completed++
    super.handleCommandComplete(msg, connection)
  }
}

/** Rows affected: 0 for a SELECT (pg counts its rows), as in `execute`. */
const affected = (res: PgResult): number => (res.command === 'SELECT' ? 0 : (res.rowCount ?? 0))

/**
 * Run `sql` once per set in one pipelined round trip. Rejects with a
 * `BatchFailure` naming the set that failed (none when every set ran and
 * the implicit commit failed, e.g. on a deferred constraint).
 *
 * @example
 * const results = await runPipelined(client, 'UPDATE t SET n = $1 WHERE id = $2', [[1, 10], [2, 11]])
 */
export const runPipelined = <R>(
  client: pg.Client,
  sql: string,
  sets: ReadonlyArray<ReadonlyArray<Param>>,
): Promise<ExecResult<R>[]> =>
  new Promise((resolve, reject) => {
    const batch: PipelinedBatch = new PipelinedBatch(sql, sets, (err, res) => {
      if (err !== null) return reject(batchFailure(batch.completed < sets.length ? batch.completed : undefined, err))
      // pg hands back one Result for a single command, an array for several.
      const list = Array.isArray(res) ? res : [res]
      resolve(list.map((r) => ({ rows: r.rows as R[], affectedRows: affected(r), insertId: undefined })))
    })
    client.query(batch as unknown as pg.Submittable)
  })
