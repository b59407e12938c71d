/** SQLite over better-sqlite3: `sqliteDriver({ filename })`. */
export { sqliteDriver, type SqliteOptions } from './sqlite-driver.js'
export { classifySqlite } from './sqlite-classify.js'
