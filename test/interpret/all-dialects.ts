/** Test helper: compile one statement for every dialect, to compare golden SQL side by side. */
import * as E from 'fp-ts/lib/Either.js'
import type { StatementNode } from '../../src/algebra/index.js'
import { compile, mariadb, mysql8, postgres, sqlite, type Args, type CompileError, type Compiled, type Dialect } from '../../src/interpret/index.js'

/** What one dialect gives: the compiled statement, or the error's tag and message. */
export type Outcome = Compiled | { readonly error: CompileError['_tag']; readonly message: string }

const one = (d: Dialect, s: StatementNode, args?: Args): Outcome =>
  E.match(
    (e: CompileError): Outcome => ({ error: e._tag, message: e.message }),
    (c: Compiled): Outcome => ({ sql: c.sql, params: [...c.params] }),
  )(compile(d)(s, args))

/** PostgreSQL, MariaDB (as `mysql`) and SQLite output of one statement. */
export const all = (s: StatementNode, args?: Args): { postgres: Outcome; mysql: Outcome; sqlite: Outcome } => ({
  postgres: one(postgres, s, args),
  mysql: one(mariadb, s, args),
  sqlite: one(sqlite, s, args),
})

/** MySQL 8 output (for where the MySQL profiles differ). */
export const onMysql8 = (s: StatementNode, args?: Args): Outcome => one(mysql8, s, args)

/** Compile for one dialect and return the SQL, failing the test on an error. */
export const sqlOf = (d: Dialect, s: StatementNode, args?: Args): Compiled =>
  E.getOrElse((e: CompileError): Compiled => {
    throw new Error(`${e._tag}: ${e.message}`)
  })(compile(d)(s, args))

// Parameters as JSON, bigints written as `2n` (SQLite binds integers as BigInt).
const showParams = (ps: readonly unknown[]): string =>
  JSON.stringify(ps, (_k, v: unknown) => (typeof v === 'bigint' ? `\u0001${v}n` : v)).replace(/"\\u0001(-?\d+n)"/g, '$1')

const line = (o: Outcome): string => ('error' in o ? `!${o.error}: ${o.message}` : `${o.sql}${o.params.length === 0 ? '' : '  -- ' + showParams(o.params)}`)

/**
 * The three dialects side by side as text, one line each (plus MySQL 8 when
 * it differs from MariaDB): the golden form the SQL tests pin.
 */
export const golden = (s: StatementNode, args?: Args): string => {
  const a = all(s, args)
  const m8 = onMysql8(s, args)
  const lines = [`postgres: ${line(a.postgres)}`, `mysql:    ${line(a.mysql)}`]
  if (line(m8) !== line(a.mysql)) lines.push(`mysql8:   ${line(m8)}`)
  lines.push(`sqlite:   ${line(a.sqlite)}`)
  return '\n' + lines.join('\n') + '\n'
}
