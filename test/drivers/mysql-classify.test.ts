/**
 * classifyMysql on errors MariaDB 10.11 cannot produce here: MySQL 8's
 * codes and message formats, and mysql2's client-side failures. The shapes
 * are copied from those servers' and mysql2's real errors; everything the
 * test server can produce is tested for real in mysql-errors.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { classifyMysql } from '../../src/drivers/mysql/index.js'

/** An error shaped like mysql2's server errors. */
const serverError = (errno: number, code: string, message: string): Error =>
  Object.assign(new Error(message), { errno, code, sqlState: 'HY000', sqlMessage: message })

const context = { sql: 'INSERT INTO users VALUES (?)', params: ['ann@example.com'] }

describe('classifyMysql (MySQL 8 and client-side errors)', () => {
  it('reads MySQL 8 duplicate keys, which prefix the table to the key name', () => {
    const e = classifyMysql(serverError(1062, 'ER_DUP_ENTRY', "Duplicate entry 'ann@example.com' for key 'users.uq_email'"), context)
    expect(e).toMatchObject({ _tag: 'UniqueViolation', code: '1062', constraint: 'uq_email', dialect: 'mysql', params: ['<string(15)>'] })
    expect(e.message).toBe("Duplicate entry '…' for key 'users.uq_email'")
  })

  it('reads MySQL 8 CHECK violations (3819)', () => {
    const e = classifyMysql(serverError(3819, 'ER_CHECK_CONSTRAINT_VIOLATED', "Check constraint 'chk_age' is violated."), context)
    expect(e).toMatchObject({ _tag: 'CheckViolation', retryable: false, constraint: 'chk_age' })
  })

  it('treats MySQL 8 statement timeouts (3024) as LockTimeout', () => {
    const e = classifyMysql(
      serverError(3024, 'ER_QUERY_TIMEOUT', 'Query execution was interrupted, maximum statement execution time exceeded'),
      context,
    )
    expect(e).toMatchObject({ _tag: 'LockTimeout', retryable: true, code: '3024' })
  })

  it('treats old-style foreign-key errors (1216/1217) as ForeignKeyViolation without a name', () => {
    const e = classifyMysql(serverError(1216, 'ER_NO_REFERENCED_ROW', 'Cannot add or update a child row: a foreign key constraint fails'), context)
    expect(e).toMatchObject({ _tag: 'ForeignKeyViolation', constraint: undefined })
  })

  it('treats network failures and a closed mysql2 connection as ConnectionLost', () => {
    // Node's system errors have a negative errno: the code, not the errno, is reported.
    const reset = Object.assign(new Error('read ECONNRESET'), { errno: -104, code: 'ECONNRESET', fatal: true })
    expect(classifyMysql(reset, context)).toMatchObject({ _tag: 'ConnectionLost', retryable: true, code: 'ECONNRESET' })
    const closed = Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true })
    expect(classifyMysql(closed, context)).toMatchObject({ _tag: 'ConnectionLost', code: undefined })
    const killed = serverError(1927, 'ER_CONNECTION_KILLED', 'Connection was killed')
    expect(classifyMysql(killed, context)._tag).toBe('ConnectionLost')
    const gone = serverError(2006, 'CR_SERVER_GONE_ERROR', 'MySQL server has gone away')
    expect(classifyMysql(gone, context)._tag).toBe('ConnectionLost')
  })

  it('treats 1178 (engine lacks the feature) as Unsupported and keeps anything else as Unknown', () => {
    const unsupported = classifyMysql(serverError(1178, 'ER_CHECK_NOT_IMPLEMENTED', "The storage engine for the table doesn't support X"), context)
    expect(unsupported).toMatchObject({ _tag: 'Unsupported', feature: "The storage engine for the table doesn't support X" })
    const odd = classifyMysql('not even an Error', {})
    expect(odd).toMatchObject({ _tag: 'Unknown', message: 'not even an Error', cause: 'not even an Error', code: undefined })
  })
})
