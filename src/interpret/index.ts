/**
 * quarry's SQL interpreters. `compile(dialect)(statement, args?)` turns a
 * statement value into `Either<CompileError, { sql, params }>` — the one
 * API; it never throws for bad input. `args` gives the values of named
 * parameters (`param('id')`, `:id` in hand-written SQL).
 *
 * Dialects are records: `postgres`, `mariadb` (10.11), `mysql8`, `sqlite`;
 * `withCapabilities` adjusts a profile (e.g. a MySQL 8.0.31+ with
 * INTERSECT). A construct a dialect lacks is `Unsupported { feature,
 * dialect }`; an identifier past its limit is `IdentifierTooLong`; a value
 * that cannot be bound (NaN, an object where a scalar goes, a bigint past 64
 * bits) is `InvalidValue`.
 *
 * Statements of one shape are compiled once and cached per dialect; later
 * compiles only walk the value for its parameters.
 *
 * @example
 * pipe(compile(postgres)(pipe(from(users), where((s) => eq(s.users.id, 1)))), E.map((c) => c.sql))
 * // Right('SELECT "users"."id", "users"."name", "users"."email" FROM "users" WHERE "users"."id" = $1')
 */
export { clearStatementCache, statementCacheSize, type Compiled, type Args } from './compile.js'
// The public compile keeps a statement's source for retaining dialects (the in-memory engine); see retain.ts.
export { compile, retaining, isRetaining, sourceOf, type Retained } from './retain.js'
export type { Dialect, DialectName, Capabilities, Encode } from './dialect.js'
export { withCapabilities } from './dialect.js'
export type { CompileError, Unsupported, IdentifierTooLong, InvalidIdentifier, InvalidValue, MissingParam, InvalidQuery } from './errors.js'
export { isEncodeFailure, type EncodeFailure, type Encoded } from './encode.js'
export { postgres } from './dialects/postgres.js'
export { mariadb, mysql8 } from './dialects/mysql.js'
export { sqlite } from './dialects/sqlite.js'
