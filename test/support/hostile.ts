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
