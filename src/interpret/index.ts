/**
 * quarry's SQL interpreters: `compile(dialect)(statement, args?)` turns a
 * statement value into `Either<CompileError, { sql, params }>` for
 * PostgreSQL, MariaDB, MySQL 8 or SQLite.
 */
export { compile, clearStatementCache, statementCacheSize, type Compiled, type Args } from './compile.js'
export type { Dialect, DialectName, Capabilities } from './dialect.js'
export { withCapabilities } from './dialect.js'
export type { CompileError, Unsupported, IdentifierTooLong, InvalidIdentifier, InvalidValue, MissingParam, InvalidQuery } from './errors.js'
export { postgres } from './dialects/postgres.js'
export { mariadb, mysql8 } from './dialects/mysql.js'
export { sqlite } from './dialects/sqlite.js'
