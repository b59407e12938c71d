/**
 * `npm run demo`: a tour of quarry on embedded SQLite — no server needed.
 * Each section prints what it does and what came back. The tour grows with
 * the library; today it shows the driver and pool layer, usable alone with
 * hand-written SQL.
 */
import { fileURLToPath } from 'node:url'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPool, describe, isDbError } from '../src/index.js'
import { sqliteDriver } from '../src/drivers/sqlite/index.js'

/** Run the tour, writing its narration through `say`. */
export const tour = async (say: (line: string) => void): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-tour-'))
  const pool = createPool(sqliteDriver({ filename: join(dir, 'tour.db') }), { max: 4 })
  const section = (title: string): void => say(`\n== ${title}`)
  try {
    section('A pool over a SQLite file; hand-written SQL with bind parameters')
    await pool.use(async (c) => {
      await c.execute('CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)')
      await c.execute(
        'CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER NOT NULL REFERENCES artist(id), title TEXT NOT NULL)',
      )
      const r = await c.execute('INSERT INTO artist (name) VALUES (?), (?)', ['AC/DC', 'Accept'])
      say(`inserted ${r.affectedRows} artists, last id ${String(r.insertId)}`)
    })

    section('A transaction: all or nothing')
    await pool.use(async (c) => {
      await c.begin()
      await c.execute('INSERT INTO album (artist_id, title) VALUES (?, ?)', [1, 'Let There Be Rock'])
      await c.execute('INSERT INTO album (artist_id, title) VALUES (?, ?)', [2, 'Balls to the Wall'])
      await c.commit()
      const { rows } = await c.execute('SELECT a.title, r.name FROM album a JOIN artist r ON r.id = a.artist_id ORDER BY a.id')
      for (const row of rows) say(`  ${String(row['title'])} — ${String(row['name'])}`)
    })

    section('A savepoint rolled back: only the nested work is undone')
    await pool.use(async (c) => {
      await c.begin()
      await c.execute('INSERT INTO artist (name) VALUES (?)', ['Aerosmith'])
      await c.savepoint('risky')
      try {
        await c.execute('INSERT INTO artist (name) VALUES (?)', ['AC/DC'])
      } catch (e) {
        if (!isDbError(e)) throw e
        say(`the nested insert failed: ${e._tag} on ${e.constraint ?? '?'} (retryable: ${e.retryable}); state is now ${c.state}`)
        await c.rollbackToSavepoint('risky')
      }
      await c.commit()
      const { rows } = await c.execute<{ n: number }>('SELECT count(*) AS n FROM artist')
      say(`artists after commit: ${rows[0]?.n}`)
    })

    section('Errors are typed values with the SQL and redacted parameters')
    await pool.use(async (c) => {
      try {
        await c.execute('INSERT INTO album (artist_id, title) VALUES (?, ?)', [99, 'Orphan'])
      } catch (e) {
        if (!isDbError(e)) throw e
        say(describe(e))
      }
    })

    section('Streaming a large result with flat memory')
    await pool.use(async (c) => {
      let n = 0
      let sum = 0
      const sql = 'WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT i FROM s'
      for await (const row of c.stream<{ i: number }>(sql, [100_000])) {
        n++
        sum += row.i
      }
      say(`streamed ${n} rows, sum ${sum}`)
    })

    section('The pool')
    await Promise.all(Array.from({ length: 50 }, (_, i) => pool.use((c) => c.execute('SELECT ? AS i', [i]))))
    const s = pool.stats()
    say(`50 concurrent borrowers served by ${s.size} connections (max ${s.max}); borrowed now: ${s.borrowed}`)
  } finally {
    await pool.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  tour((line) => console.log(line)).catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}
