/**
 * The MySQL family, in two profiles. MariaDB 10.11 (what the tests run on)
 * has RETURNING on INSERT/DELETE, INTERSECT/EXCEPT (with ALL) but no
 * LATERAL; MySQL 8.0 has LATERAL and WITH before UPDATE/DELETE but no
 * RETURNING and, before 8.0.31, no INTERSECT/EXCEPT (enable them with
 * `withCapabilities(mysql8, { intersect: true, except: true })`).
 */
import type { DataType } from '../../algebra/index.js'
import type { Capabilities, Dialect } from '../dialect.js'
import { commonStringsAsGiven, encodeCommon, type Encoded } from '../encode.js'
import { S } from '../sql-tree.js'
import { quoteWith, standardLiteral } from './common.js'

const quote = quoteWith('`')
const bool = (b: boolean): string => (b ? 'TRUE' : 'FALSE')
const literal = standardLiteral(bool, 'double')

const typeName = (t: DataType): string => {
  switch (t.kind) {
    case 'integer':
      return 'INT'
    case 'bigint':
      return 'BIGINT'
    case 'smallint':
      return 'SMALLINT'
    case 'text':
      return 'TEXT'
    case 'varchar':
      return `VARCHAR(${t.length})`
    case 'char':
      return `CHAR(${t.length})`
    case 'boolean':
      return 'BOOLEAN'
    case 'numeric':
      return t.precision === undefined ? 'DECIMAL(65, 30)' : `DECIMAL(${t.precision}, ${t.scale ?? 0})`
    case 'real':
      return 'FLOAT'
    case 'double':
      return 'DOUBLE'
    case 'date':
      return 'DATE'
    case 'time':
      return 'TIME(6)'
    // MySQL has no zoned timestamp type; TIMESTAMP has a 2038 limit and implicit defaults, so both map to DATETIME(6).
    case 'timestamp':
      return 'DATETIME(6)'
    case 'json':
    case 'jsonb':
      return 'JSON'
    case 'uuid':
      return 'CHAR(36)'
    case 'bytes':
      return 'LONGBLOB'
    case 'enum':
      return `ENUM(${t.values.map((v) => literal(v) ?? "''").join(', ')})`
  }
}

const castType = (t: DataType): string => {
  switch (t.kind) {
    case 'integer':
    case 'bigint':
    case 'smallint':
      return 'SIGNED'
    case 'text':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'enum':
      return 'CHAR'
    case 'boolean':
      return 'SIGNED'
    case 'numeric':
      return t.precision === undefined ? 'DECIMAL(65, 30)' : `DECIMAL(${t.precision}, ${t.scale ?? 0})`
    case 'real':
      return 'FLOAT'
    case 'double':
      return 'DOUBLE'
    case 'date':
      return 'DATE'
    case 'time':
      return 'TIME(6)'
    case 'timestamp':
      return 'DATETIME(6)'
    case 'json':
    case 'jsonb':
      return 'JSON'
    case 'bytes':
      return 'BINARY'
  }
}

const mariadbCaps: Capabilities = Object.freeze({
  maxParams: 65535,
  pageRows: 1000,
  // RETURNING exists too, but insertId is free and exact for a multi-row VALUES insert (consecutive ids).
  generatedKeys: 'first-insert-id',
  rightJoin: true,
  fullJoin: false,
  lateral: false,
  distinctOn: false,
  returning: { insert: true, update: false, delete: true },
  intersect: true,
  except: true,
  limitInInSubquery: false,
  groupByPosition: false,
  setOpAll: true,
  nullsOrder: false,
  integerDivision: 'DIV',
  lagDefault: false,
  aggregateFilter: false,
  ilike: false,
  distinctFrom: 'null-safe-equal',
  locks: { update: 'FOR UPDATE', share: 'LOCK IN SHARE MODE', of: false, nowait: true, skipLocked: true },
  upsert: 'on-duplicate-key',
  proposedRow: 'values-function',
  upsertWhere: false,
  updateFrom: 'multi-table',
  deleteUsing: 'multi-table',
  defaultInValues: true,
  cteInMutations: false,
  partialIndex: false,
  fkSetDefault: false,
  alterForeignKey: { drop: 'DROP FOREIGN KEY' as const, ifExists: true },
  deferrableForeignKey: false,
  unboundedKeyColumns: false,
  createIndexIfNotExists: true,
  dropIndexIfExists: true,
  dropIndexOnTable: true,
  castBareParams: false,
  rowValueList: 'rows',
  roundDigits: 'any',
})

// MySQL stores identifiers as 3-byte utf8: no character outside the BMP; names may not end in
// white space, and aliases lose leading white space (so a row key would not match its field).
const identifierProblem = (name: string): string | undefined =>
  /[\ud800-\udfff]/.test(name)
    ? 'holds a character outside the Basic Multilingual Plane, which MySQL identifiers cannot'
    : /^[ \t\n\r\v\f]|[ \t\n\r\v\f]$/.test(name)
      ? 'starts or ends with white space, which MySQL refuses or strips'
      : undefined

const base = {
  quoteIdent: quote,
  identifierProblem,
  identifierLimit: { max: 64, unit: 'characters' },
  placeholder: () => '?',
  placeholderInText: /[?]/,
  booleanLiteral: bool,
  columnType: (t: DataType) => typeName(t),
  castType,
  literal,
  builtin: (fn: Parameters<Dialect['builtin']>[0]) => (fn === 'length' ? 'CHAR_LENGTH' : fn.toUpperCase()),
  concat: (args: Parameters<Dialect['concat']>[0]) => S.call('CONCAT', args),
  extract: (part: Parameters<Dialect['extract']>[0], arg: Parameters<Dialect['extract']>[1]) =>
    S.seq(['EXTRACT(', part.toUpperCase(), ' FROM ', arg, ')'], ''),
  // MySQL needs a LIMIT to have an OFFSET: the largest row count it accepts.
  insertDefaults: (rows: number) => '() VALUES ' + Array.from({ length: rows }, () => '()').join(', '),
  limitAll: '18446744073709551615',
  autoIncrement: { text: 'AUTO_INCREMENT', inlinePrimaryKey: false },
  encode: Object.assign((v: unknown, t: DataType | undefined): Encoded => encodeCommon(v, t), { stringsAsGiven: commonStringsAsGiven }),
} as const

/** MariaDB 10.11 (the MySQL-protocol engine the tests run on). */
export const mariadb: Dialect = Object.freeze<Dialect>({ ...base, name: 'mariadb', capabilities: mariadbCaps })

/** MySQL 8.0. */
export const mysql8: Dialect = Object.freeze<Dialect>({
  ...base,
  name: 'mysql8',
  capabilities: Object.freeze({
    ...mariadbCaps,
    lateral: true,
    returning: { insert: false, update: false, delete: false },
    intersect: false,
    except: false,
    setOpAll: false,
    locks: { update: 'FOR UPDATE', share: 'FOR SHARE', of: true, nowait: true, skipLocked: true },
    lagDefault: true,
    proposedRow: 'row-alias',
    cteInMutations: true,
    createIndexIfNotExists: false,
    // MySQL 8 has neither ALTER TABLE IF EXISTS nor DROP FOREIGN KEY IF EXISTS.
    alterForeignKey: { drop: 'DROP FOREIGN KEY' as const, ifExists: false },
    dropIndexIfExists: false,
  }),
})
