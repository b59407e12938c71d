/**
 * Streaming one result set from mysql2 with back-pressure. mysql2's
 * `Query#stream()` is an object-mode Readable that pauses the socket when
 * its buffer holds `highWaterMark` rows and resumes it when the consumer
 * reads, so the server blocks on a full socket instead of the client
 * buffering the whole result.
 *
 * Breaking out early: the MySQL protocol cannot abandon a result set
 * mid-way (there is no cursor to close; only killing the session stops the
 * server), so quarry drains it: destroying the Readable resumes the socket,
 * mysql2 reads and drops the remaining rows, and the iterator's `return()`
 * waits for the end of the result. The connection is then idle and still
 * usable, with its transaction (if any) intact, which a loop that `break`s
 * inside a transaction must be able to rely on. The price is reading the
 * rest of the rows off the wire; a caller who wants to stop a huge result
 * cheaply should put a LIMIT in the query or close the connection.
 */
import type { Readable } from 'node:stream'
import type { EventEmitter } from 'node:events'
import type { Connection } from 'mysql2'

/** A stream in progress, so a dying connection can end it instead of leaving it hanging. */
export interface ActiveStream {
  abort(e: Error): void
}

type Command = EventEmitter & { stream(options: { highWaterMark: number }): Readable }
interface StreamingClient {
  query(sql: string): Command
  execute(sql: string, values: ReadonlyArray<unknown>): Command
}

/** The error mysql2 gives for a command on a closed connection, which classifies as ConnectionLost. */
const closedError = (): Error =>
  Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true })

/**
 * Yield the rows of one statement, at most `batchSize` buffered. `values`
 * undefined means the text protocol (no parameters). `track` is told of the
 * stream while it runs and of its end (undefined).
 */
export async function* streamRows<R>(
  conn: Connection | undefined,
  sql: string,
  values: ReadonlyArray<unknown> | undefined,
  batchSize: number,
  track: (s: ActiveStream | undefined) => void,
): AsyncGenerator<R> {
  if (conn === undefined) throw closedError()
  const client = conn as unknown as StreamingClient
  const cmd = values === undefined ? client.query(sql) : client.execute(sql, values)
  let settled = false
  let settle!: () => void
  const finished = new Promise<void>((resolve) => {
    settle = () => {
      settled = true
      resolve()
    }
  })
  cmd.once('end', settle)
  // Keeps an error that arrives after the Readable was destroyed (while draining) from going unhandled.
  cmd.on('error', settle)
  const rows = cmd.stream({ highWaterMark: Math.max(1, batchSize) })
  track({
    // A connection that dies mid-result never finishes its command: fail the stream ourselves.
    abort: (e) => {
      rows.destroy(e)
      settle()
    },
  })
  try {
    for await (const row of rows) yield row as R
  } finally {
    if (!settled) await finished
    track(undefined)
  }
}
