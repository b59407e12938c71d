/**
 * Dialect profiles: the few places where SQL engines give one query
 * different answers, as data the evaluator reads. Every field documents the
 * difference it stands for; the laws pin each one on the real engines.
 *
 * - NULL placement: PostgreSQL sorts NULL as larger than any value (last
 *   ascending, first descending); MySQL/MariaDB and SQLite sort it as
 *   smaller (first ascending, last descending).
 * - Text comparison: all three test engines use a binary collation (C on
 *   PostgreSQL, utf8mb4_bin on MariaDB, BINARY on SQLite), i.e. code point
 *   order. MariaDB's utf8mb4_bin is a PAD SPACE collation: the shorter text
 *   is compared as if padded with spaces, so `'a' = 'a '` is true there.
 * - Division: PostgreSQL divides integers by truncating; MySQL/MariaDB's `/`
 *   is decimal division (4 more decimal places, rounded), so quarry prints
 *   `DIV` there when it types both operands as integers; SQLite
 *   truncates only when both operands are integers as stored or bound (quarry
 *   binds integer-typed values as BigInt there, so `col / 2` truncates).
 *   mysql2 sends every JS number as a DOUBLE, so on MariaDB a bound number
 *   makes `/` floating-point division.
 *   Division (and `%`) by zero is an error on PostgreSQL and NULL elsewhere.
 * - Integer overflow: PostgreSQL `integer` arithmetic is 32-bit and raises an
 *   error past its range; MySQL computes in 64 bits; SQLite in 64 bits. Past
 *   64 bits PostgreSQL and MySQL raise an error, SQLite switches to floating point
 *   (but its integer SUM raises "integer overflow"; PostgreSQL and MySQL sum exactly).
 * - Text vs number: PostgreSQL refuses the comparison (type error); MySQL
 *   converts the text to a number; SQLite orders every number before every
 *   text (storage class order).
 * - HAVING without GROUP BY: one group on PostgreSQL, a row filter on MySQL
 *   (when nothing is aggregated), an error on SQLite unless the select list
 *   aggregates.
 * - LIKE: case-sensitive on PostgreSQL and with a binary MySQL collation;
 *   SQLite's LIKE folds ASCII letters only.
 */

/** The name of a profile (one per SQL dialect quarry compiles for). */
export type ProfileName = 'postgres' | 'mariadb' | 'mysql8' | 'sqlite'

/** How an engine differs, as data. */
export interface Profile {
  readonly name: ProfileName
  /** Does NULL sort before every value in ascending order (when the query does not say)? */
  readonly nullsFirstAscending: boolean
  /** Is text compared PAD SPACE (trailing spaces insignificant)? */
  readonly padSpace: boolean
  /**
   * `/` semantics: truncating when the engine holds both operands as integers
   * (PostgreSQL, SQLite), or MySQL's: quarry prints `DIV` (truncating) when it
   * types both operands as integers, else `/` gives a decimal with 4 more
   * places (exact operands) or a double (a bound number).
   */
  readonly division: 'integer-when-integral' | 'mysql'
  /** What `x / 0` and `x % 0` give. */
  readonly divideByZero: 'error' | 'null'
  /** Bound numbers arrive as floating point (MariaDB through mysql2), so they never make integer arithmetic. */
  readonly boundNumbersAreReal: boolean
  /** 32-bit `integer` arithmetic raises an overflow error (PostgreSQL). */
  readonly int32Overflow: boolean
  /** Past 64 bits: an error (PostgreSQL's bigint, MySQL's BIGINT) or a switch to floating point (SQLite). */
  readonly int64Overflow: 'error' | 'real'
  /**
   * An integer written to a column whose type cannot hold it (past a
   * `smallint`'s, an `integer`'s or a `bigint`'s range): an error
   * (PostgreSQL; MySQL in its default strict mode) or stored as it is
   * (SQLite, whose integer columns have no width).
   */
  readonly storeOutOfRange: 'error' | 'keep'
  /**
   * An upsert whose rows meet one row twice (a key proposed twice in one
   * INSERT … ON CONFLICT DO UPDATE): an error (PostgreSQL, "cannot affect
   * row a second time") or each proposed row applied in turn (MySQL's ON
   * DUPLICATE KEY UPDATE, SQLite).
   */
  readonly upsertSameRowTwice: 'error' | 'in-turn'
  /**
   * The rows an upsert reports: those it wrote (PostgreSQL, SQLite), or
   * MySQL's count — 1 a row inserted, 2 a row updated, 1 a row found and
   * left unchanged (quarry's MySQL driver asks for found rows, and prints
   * DO NOTHING as a no-op update, so each conflict counts 1).
   */
  readonly upsertCount: 'rows' | 'mysql'
  /** An integer SUM past 64 bits: exact (PostgreSQL's numeric, MySQL's DECIMAL) or an error (SQLite's sum()). */
  readonly sumOverflow: 'exact' | 'error'
  /** Comparing text with a number. */
  readonly mixedComparison: 'error' | 'numeric' | 'storage-class'
  /** LIKE folds ASCII letters (SQLite). */
  readonly likeFoldsAscii: boolean
  /** MySQL's result of a decimal average / division: rounded to 4 decimal places. */
  readonly decimalAverage: boolean
  /**
   * AVG of integers: an exact quotient (PostgreSQL's numeric, MySQL's DECIMAL rounded to
   * `decimalAverage`'s 4 places) or the 64-bit sum as a double divided by the count (SQLite).
   * Past 2^53 the two differ in the last bit (differential law, 10,000 cases).
   */
  readonly integerAverage: 'exact' | 'double'
  /** A scalar subquery giving several rows: an error (PostgreSQL, MySQL) or its first row (SQLite). */
  readonly scalarSubqueryManyRows: 'error' | 'first'
  /** `lower`/`upper`: ASCII letters only (PostgreSQL with the C ctype, SQLite without ICU) or MariaDB's tables, one character to one (see mariadb-case.ts; also used for MySQL 8). */
  readonly caseMapping: 'ascii' | 'mariadb'
  /** `CAST(real AS INTEGER)`: rounds (PostgreSQL, MySQL) or truncates (SQLite). */
  readonly castRealToInt: 'round' | 'truncate'
  /**
   * HAVING in a select without GROUP BY: the whole input is one group
   * (PostgreSQL, the standard), HAVING filters the rows like a late WHERE
   * unless an aggregate makes the query grouped (MySQL), or an error unless
   * the select list has an aggregate (SQLite).
   */
  readonly havingWithoutGroupBy: 'one-group' | 'row-filter' | 'error'
  /** `GREATEST`/`LEAST` with a NULL argument: ignore it (PostgreSQL) or give NULL (MySQL; SQLite's multi-argument max/min). */
  readonly greatestNull: 'ignore' | 'null'
}

/** PostgreSQL 15 with a C (binary) collation. */
export const postgresProfile: Profile = Object.freeze({
  name: 'postgres',
  nullsFirstAscending: false,
  padSpace: false,
  division: 'integer-when-integral',
  divideByZero: 'error',
  boundNumbersAreReal: false,
  int32Overflow: true,
  int64Overflow: 'error',
  storeOutOfRange: 'error',
  upsertSameRowTwice: 'error',
  upsertCount: 'rows',
  sumOverflow: 'exact',
  mixedComparison: 'error',
  likeFoldsAscii: false,
  decimalAverage: false,
  integerAverage: 'exact',
  scalarSubqueryManyRows: 'error',
  caseMapping: 'ascii',
  castRealToInt: 'round',
  greatestNull: 'ignore',
  havingWithoutGroupBy: 'one-group',
})

/** MariaDB 10.11 with utf8mb4_bin (PAD SPACE). */
export const mariadbProfile: Profile = Object.freeze({
  name: 'mariadb',
  nullsFirstAscending: true,
  padSpace: true,
  division: 'mysql',
  divideByZero: 'null',
  boundNumbersAreReal: true,
  int32Overflow: false,
  int64Overflow: 'error',
  storeOutOfRange: 'error',
  upsertSameRowTwice: 'in-turn',
  upsertCount: 'mysql',
  sumOverflow: 'exact',
  mixedComparison: 'numeric',
  likeFoldsAscii: false,
  decimalAverage: true,
  integerAverage: 'exact',
  // mysql2 sends every JS number as a DOUBLE parameter.
  scalarSubqueryManyRows: 'error',
  caseMapping: 'mariadb',
  castRealToInt: 'round',
  greatestNull: 'null',
  havingWithoutGroupBy: 'row-filter',
})

/** MySQL 8 with utf8mb4_bin (PAD SPACE, like MariaDB; not run by the tests). */
export const mysql8Profile: Profile = Object.freeze({ ...mariadbProfile, name: 'mysql8' })

/** SQLite 3 with the BINARY collation, driven by better-sqlite3. */
export const sqliteProfile: Profile = Object.freeze({
  name: 'sqlite',
  nullsFirstAscending: true,
  padSpace: false,
  division: 'integer-when-integral',
  divideByZero: 'null',
  boundNumbersAreReal: false,
  int32Overflow: false,
  int64Overflow: 'real',
  storeOutOfRange: 'keep',
  upsertSameRowTwice: 'in-turn',
  upsertCount: 'rows',
  sumOverflow: 'error',
  mixedComparison: 'storage-class',
  likeFoldsAscii: true,
  decimalAverage: false,
  integerAverage: 'double',
  scalarSubqueryManyRows: 'first',
  caseMapping: 'ascii',
  castRealToInt: 'truncate',
  greatestNull: 'null',
  havingWithoutGroupBy: 'error',
})

/** The profile for a dialect name. */
export const profileFor = (name: ProfileName): Profile =>
  name === 'postgres' ? postgresProfile : name === 'sqlite' ? sqliteProfile : name === 'mariadb' ? mariadbProfile : mysql8Profile
