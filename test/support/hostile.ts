/**
 * Hostile strings for the injection property tests: fragments that mean
 * something to some SQL lexer or driver (quotes of every dialect, doubled
 * quotes, backslashes, comment markers, `;`, placeholders of every driver,
 * LIKE wildcards, NUL, emoji incl. ZWJ sequences, RTL and other format
 * marks, stacked statements aimed at a canary table) mixed with arbitrary
 * well-formed Unicode. Lone surrogates are excluded on purpose: they are
 * not text (UTF-8 cannot carry them), so no engine could round-trip them.
 */
import fc from 'fast-check'

/** Fragments with a meaning to SQL lexers, drivers or terminals. */
export const fragments: readonly string[] = [
  "'",
  "''",
  '"',
  '""',
  '`',
  '\\',
  "\\'",
  '\\\\',
  '--',
  '-- ',
  '#',
  '/*',
  '*/',
  ';',
  '$1',
  '$2',
  '$$',
  '$tag$',
  '?',
  '??',
  ':name',
  '::text',
  '@p1',
  '%',
  '_',
  '[',
  ']',
  '\u0000',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '😀',
  '👨‍👩‍👧',
  '\u200F',
  '\u202E',
  '\u200B',
  '\uFEFF',
  'é',
  'ǅ',
  '"; DROP TABLE canary; --',
  "'; DELETE FROM canary; --",
  "' OR '1'='1",
  '`) ; DROP TABLE canary; #',
  'NULL',
]

/** A string built from `minParts`..`maxParts` hostile fragments and arbitrary graphemes (empty when `minParts` is 0). */
export const hostileString = (maxParts = 8, minParts = 0): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fragments) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) }), {
      minLength: minParts,
      maxLength: maxParts,
    })
    .map((parts) => parts.join(''))

/** Fixed seeds so a failure reproduces; fast-check prints the seed and the shrunk counterexample. */
export const hostileSeed = 20261125

/**
 * MySQL's documented rules for identifiers (MySQL Reference Manual, "Schema
 * Object Names"; MariaDB KB, "Identifier Names"), written here from the
 * manuals and what MariaDB 10.11 did in the real-engine run (gap G6 in
 * /tmp/issue3-gaps.md), not from quarry's dialect, so a test that expects
 * quarry to refuse a name is not a tautology of quarry's own check:
 *
 * - "Permitted characters in quoted identifiers include the full Unicode
 *   Basic Multilingual Plane (BMP), except U+0000": MariaDB answered a
 *   character outside the BMP with errno 1300 (invalid utf8mb4 string), in a
 *   table, column or output alias alike;
 * - "Database, table, and column names cannot end with space characters":
 *   MariaDB refused a trailing space, tab, newline, carriage return,
 *   vertical tab or form feed (errno 1103 / 1166);
 * - leading white space of an alias is removed by the server (warning 1466
 *   "Leading spaces are removed from name"), so the row key would not be the
 *   name asked for.
 *
 * A name is one string wherever it is used (quarry checks a name, not its
 * role), so a name MySQL cannot hold in every role it may take — table,
 * column, table alias, output alias — is one quarry must refuse for the
 * MySQL family. `undefined` when the name obeys the rules above.
 */
export const mysqlIdentifierRuleBroken = (name: string): 'outside the BMP' | 'trailing white space' | 'leading white space' | undefined =>
  /[\u{10000}-\u{10FFFF}]/u.test(name)
    ? 'outside the BMP'
    : /[ \t\n\r\v\f]$/.test(name)
      ? 'trailing white space'
      : /^[ \t\n\r\v\f]/.test(name)
        ? 'leading white space'
        : undefined
