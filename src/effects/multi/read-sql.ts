/**
 * Is a statement a plain read that a replica may serve? Judged from the
 * SQL text's words outside quotes and comments, conservatively: a
 * statement is a read only if it starts with a reading keyword and contains
 * no word that writes, locks rows or draws from a sequence. Everything else
 * counts as a write (a wasted trip to the primary at worst, never a write
 * sent to a replica). Values are bind parameters, never in the text, so a
 * value cannot make a read look like a write or the reverse.
 */

const STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW'])

/** Words that make a statement a write, or need the primary. `INTO`: SELECT … INTO creates a table (PostgreSQL) or sets variables (MySQL). */
const WRITES = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'REPLACE', 'UPSERT', 'INTO', 'CREATE', 'DROP', 'ALTER', 'TRUNCATE', 'GRANT', 'CALL', 'LOCK', 'SHARE',
  'NEXTVAL', 'SETVAL', 'LASTVAL', 'LAST_INSERT_ID', 'GET_LOCK', 'RELEASE_LOCK', 'PG_ADVISORY_LOCK', 'PG_ADVISORY_XACT_LOCK', 'PG_TRY_ADVISORY_LOCK',
])

/** The bare words of a statement, upper-cased; quoted strings and identifiers and comments left out. */
const words = (text: string): string[] => {
  const out: string[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const ch = text[i]!
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1
      while (j < n && !(text[j] === ch && text[j + 1] !== ch)) j += text[j] === ch ? 2 : 1
      i = j + 1
    } else if (ch === '-' && text[i + 1] === '-') {
      const j = text.indexOf('\n', i)
      i = j < 0 ? n : j
    } else if (ch === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2)
      i = j < 0 ? n : j + 2
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1
      while (j < n && /[A-Za-z0-9_$]/.test(text[j]!)) j++
      out.push(text.slice(i, j).toUpperCase())
      i = j
    } else i++
  }
  return out
}

/**
 * True when a replica may run the statement.
 *
 * @example
 * isRead('SELECT "id" FROM "users" WHERE "id" = $1') // true
 * isRead('SELECT "id" FROM "users" FOR UPDATE')      // false
 */
export const isRead = (text: string): boolean => {
  const ws = words(text)
  return ws.length > 0 && STARTS.has(ws[0]!) && !ws.some((w) => WRITES.has(w))
}
