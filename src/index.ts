/**
 * quarry — a functional SQL toolkit and object-relational mapper.
 *
 * The root entry point re-exports the public surface of each layer that has
 * landed. Database drivers are separate entry points
 * (`quarry/drivers/pg`, `quarry/drivers/mysql`, `quarry/drivers/sqlite`) so
 * a PostgreSQL user never loads better-sqlite3.
 */
export * from './drivers/index.js'
