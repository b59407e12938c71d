/**
 * MariaDB's case mapping (`UPPER`, `LOWER` under utf8mb4), as data: the
 * code points each maps to something else, measured on MariaDB 10.11.19 by
 * sending every BMP character through `UPPER(?)` and `LOWER(?)` (the test
 * "case mapping of every BMP character" in laws/engine-differences.test.ts
 * does it again on every run and holds this table to the engine). MariaDB
 * maps one character to one character from tables of the Unicode 4.0 era:
 * 'ß' stays 'ß' in UPPER, 'ƞ' has no capital, supplementary characters stay
 * as they are. Runs of `[first, count, step, delta]`: code points first,
 * first + step, … (count of them) map to themselves + delta.
 */
type Runs = readonly (readonly [number, number, number, number])[]

const UPPER: Runs = [
  [0x0061, 26, 1, -32], [0x00b5, 1, 1, 743], [0x00e0, 23, 1, -32], [0x00f8, 7, 1, -32], [0x00ff, 1, 1, 121],
  [0x0101, 24, 2, -1], [0x0131, 1, 1, -232], [0x0133, 3, 2, -1], [0x013a, 8, 2, -1], [0x014b, 23, 2, -1],
  [0x017a, 3, 2, -1], [0x017f, 1, 1, -300], [0x0183, 2, 2, -1], [0x0188, 1, 1, -1], [0x018c, 1, 1, -1],
  [0x0192, 1, 1, -1], [0x0195, 1, 1, 97], [0x0199, 1, 1, -1], [0x01a1, 3, 2, -1], [0x01a8, 1, 1, -1],
  [0x01ad, 1, 1, -1], [0x01b0, 1, 1, -1], [0x01b4, 2, 2, -1], [0x01b9, 1, 1, -1], [0x01bd, 1, 1, -1],
  [0x01bf, 1, 1, 56], [0x01c5, 1, 1, -1], [0x01c6, 1, 1, -2], [0x01c8, 1, 1, -1], [0x01c9, 1, 1, -2],
  [0x01cb, 1, 1, -1], [0x01cc, 1, 1, -2], [0x01ce, 8, 2, -1], [0x01dd, 1, 1, -79], [0x01df, 9, 2, -1],
  [0x01f2, 1, 1, -1], [0x01f3, 1, 1, -2], [0x01f5, 1, 1, -1], [0x01f9, 20, 2, -1], [0x0223, 9, 2, -1],
  [0x0253, 1, 1, -210], [0x0254, 1, 1, -206], [0x0256, 2, 1, -205], [0x0259, 1, 1, -202], [0x025b, 1, 1, -203],
  [0x0260, 1, 1, -205], [0x0263, 1, 1, -207], [0x0268, 1, 1, -209], [0x0269, 1, 1, -211], [0x026f, 1, 1, -211],
  [0x0272, 1, 1, -213], [0x0275, 1, 1, -214], [0x0280, 1, 1, -218], [0x0283, 1, 1, -218], [0x0288, 1, 1, -218],
  [0x028a, 2, 1, -217], [0x0292, 1, 1, -219], [0x0345, 1, 1, 84], [0x03ac, 1, 1, -38], [0x03ad, 3, 1, -37],
  [0x03b1, 17, 1, -32], [0x03c2, 1, 1, -31], [0x03c3, 9, 1, -32], [0x03cc, 1, 1, -64], [0x03cd, 2, 1, -63],
  [0x03d0, 1, 1, -62], [0x03d1, 1, 1, -57], [0x03d5, 1, 1, -47], [0x03d6, 1, 1, -54], [0x03db, 11, 2, -1],
  [0x03f0, 1, 1, -86], [0x03f1, 1, 1, -80], [0x03f2, 1, 1, -79], [0x0430, 32, 1, -32], [0x0450, 16, 1, -80],
  [0x0461, 17, 2, -1], [0x048d, 26, 2, -1], [0x04c2, 2, 2, -1], [0x04c8, 1, 1, -1], [0x04cc, 1, 1, -1],
  [0x04d1, 19, 2, -1], [0x04f9, 1, 1, -1], [0x0561, 38, 1, -48], [0x1e01, 75, 2, -1], [0x1e9b, 1, 1, -59],
  [0x1ea1, 45, 2, -1], [0x1f00, 8, 1, 8], [0x1f10, 6, 1, 8], [0x1f20, 8, 1, 8], [0x1f30, 8, 1, 8], [0x1f40, 6, 1, 8],
  [0x1f51, 4, 2, 8], [0x1f60, 8, 1, 8], [0x1f70, 2, 1, 74], [0x1f72, 4, 1, 86], [0x1f76, 2, 1, 100],
  [0x1f78, 2, 1, 128], [0x1f7a, 2, 1, 112], [0x1f7c, 2, 1, 126], [0x1f80, 8, 1, 8], [0x1f90, 8, 1, 8],
  [0x1fa0, 8, 1, 8], [0x1fb0, 2, 1, 8], [0x1fb3, 1, 1, 9], [0x1fbe, 1, 1, -7205], [0x1fc3, 1, 1, 9],
  [0x1fd0, 2, 1, 8], [0x1fe0, 2, 1, 8], [0x1fe5, 1, 1, 7], [0x1ff3, 1, 1, 9], [0x2170, 16, 1, -16],
  [0x24d0, 26, 1, -26], [0xff41, 26, 1, -32],
]

const LOWER: Runs = [
  [0x0041, 26, 1, 32], [0x00c0, 23, 1, 32], [0x00d8, 7, 1, 32], [0x0100, 24, 2, 1], [0x0130, 1, 1, -199],
  [0x0132, 3, 2, 1], [0x0139, 8, 2, 1], [0x014a, 23, 2, 1], [0x0178, 1, 1, -121], [0x0179, 3, 2, 1],
  [0x0181, 1, 1, 210], [0x0182, 2, 2, 1], [0x0186, 1, 1, 206], [0x0187, 1, 1, 1], [0x0189, 2, 1, 205],
  [0x018b, 1, 1, 1], [0x018e, 1, 1, 79], [0x018f, 1, 1, 202], [0x0190, 1, 1, 203], [0x0191, 1, 1, 1],
  [0x0193, 1, 1, 205], [0x0194, 1, 1, 207], [0x0196, 1, 1, 211], [0x0197, 1, 1, 209], [0x0198, 1, 1, 1],
  [0x019c, 1, 1, 211], [0x019d, 1, 1, 213], [0x019f, 1, 1, 214], [0x01a0, 3, 2, 1], [0x01a6, 1, 1, 218],
  [0x01a7, 1, 1, 1], [0x01a9, 1, 1, 218], [0x01ac, 1, 1, 1], [0x01ae, 1, 1, 218], [0x01af, 1, 1, 1],
  [0x01b1, 2, 1, 217], [0x01b3, 2, 2, 1], [0x01b7, 1, 1, 219], [0x01b8, 1, 1, 1], [0x01bc, 1, 1, 1],
  [0x01c4, 1, 1, 2], [0x01c5, 1, 1, 1], [0x01c7, 1, 1, 2], [0x01c8, 1, 1, 1], [0x01ca, 1, 1, 2], [0x01cb, 9, 2, 1],
  [0x01de, 9, 2, 1], [0x01f1, 1, 1, 2], [0x01f2, 2, 2, 1], [0x01f6, 1, 1, -97], [0x01f7, 1, 1, -56],
  [0x01f8, 20, 2, 1], [0x0222, 9, 2, 1], [0x0386, 1, 1, 38], [0x0388, 3, 1, 37], [0x038c, 1, 1, 64],
  [0x038e, 2, 1, 63], [0x0391, 17, 1, 32], [0x03a3, 9, 1, 32], [0x03da, 11, 2, 1], [0x0400, 16, 1, 80],
  [0x0410, 32, 1, 32], [0x0460, 17, 2, 1], [0x048c, 26, 2, 1], [0x04c1, 2, 2, 1], [0x04c7, 1, 1, 1],
  [0x04cb, 1, 1, 1], [0x04d0, 19, 2, 1], [0x04f8, 1, 1, 1], [0x0531, 38, 1, 48], [0x1e00, 75, 2, 1],
  [0x1ea0, 45, 2, 1], [0x1f08, 8, 1, -8], [0x1f18, 6, 1, -8], [0x1f28, 8, 1, -8], [0x1f38, 8, 1, -8],
  [0x1f48, 6, 1, -8], [0x1f59, 4, 2, -8], [0x1f68, 8, 1, -8], [0x1f88, 8, 1, -8], [0x1f98, 8, 1, -8],
  [0x1fa8, 8, 1, -8], [0x1fb8, 2, 1, -8], [0x1fba, 2, 1, -74], [0x1fbc, 1, 1, -9], [0x1fc8, 4, 1, -86],
  [0x1fcc, 1, 1, -9], [0x1fd8, 2, 1, -8], [0x1fda, 2, 1, -100], [0x1fe8, 2, 1, -8], [0x1fea, 2, 1, -112],
  [0x1fec, 1, 1, -7], [0x1ff8, 2, 1, -128], [0x1ffa, 2, 1, -126], [0x1ffc, 1, 1, -9], [0x2126, 1, 1, -7517],
  [0x212a, 1, 1, -8383], [0x212b, 1, 1, -8262], [0x2160, 16, 1, 16], [0x24b6, 26, 1, 26], [0xff21, 26, 1, 32],
]

const table = (runs: Runs): ReadonlyMap<number, number> => {
  const m = new Map<number, number>()
  for (const [first, count, step, delta] of runs) for (let i = 0; i < count; i++) m.set(first + i * step, first + i * step + delta)
  return m
}

let upper: ReadonlyMap<number, number> | undefined
let lower: ReadonlyMap<number, number> | undefined

const mapWith = (s: string, m: ReadonlyMap<number, number>): string => {
  let out = ''
  for (const c of s) {
    const to = m.get(c.codePointAt(0) ?? 0)
    out += to === undefined ? c : String.fromCodePoint(to)
  }
  return out
}

/** `UPPER(s)` as MariaDB gives it. */
export const mariadbUpper = (s: string): string => mapWith(s, (upper ??= table(UPPER)))

/** `LOWER(s)` as MariaDB gives it. */
export const mariadbLower = (s: string): string => mapWith(s, (lower ??= table(LOWER)))
