/**
 * Explicit normalisation of driver values so rows from different engines can
 * be compared. The drivers return what the client libraries decode, and
 * those differ by engine (the mapping layer that decodes per column type is
 * a later issue):
 *
 * - exact numbers: pg gives int8/numeric as strings, mysql2 gives BIGINT and
 *   DECIMAL (also `SUM`/`COUNT` results) as strings, SQLite gives numbers
 *   (and stores `numeric(10,2)` with REAL affinity, so sums carry binary
 *   rounding noise);
 * - timestamps: pg and mysql2 give JS `Date`, SQLite gives the ISO text
 *   quarry bound (`2021-01-01T00:00:00.000Z`).
 *
 * Each query states per column how to normalise; columns not named are
 * compared as the driver returned them (text and 32-bit integers agree).
 */
import type { Row } from '../../src/drivers/driver.js'

/** How one column's values are brought to a common form. */
export type Norm =
  /** An integer that may arrive as string, bigint or number → number. */
  | 'int'
  /** An exact decimal (money) → string with two decimals. */
  | 'money'
  /** A float/average → number rounded to 4 decimals. */
  | 'float4'
  /** A timestamp (Date or ISO text) → ISO-8601 string in UTC. */
  | 'ts'
  /** A boolean that may arrive as 1/0 → boolean. */
  | 'bool'

const toNumber = (v: unknown, column: string): number => {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  throw new TypeError(`column ${column}: expected a number, got ${typeof v} ${String(v)}`)
}

const one = (norm: Norm, v: unknown, column: string): unknown => {
  if (v === null) return null
  switch (norm) {
    case 'int': {
      const n = toNumber(v, column)
      if (!Number.isInteger(n)) throw new TypeError(`column ${column}: expected an integer, got ${String(v)}`)
      return n
    }
    case 'money':
      // Round half away from zero on the number: sums of REAL on SQLite differ from the exact value by far less than 0.005.
      return (Math.round(toNumber(v, column) * 100) / 100).toFixed(2)
    case 'float4':
      return Math.round(toNumber(v, column) * 1e4) / 1e4
    case 'ts': {
      if (v instanceof Date) return v.toISOString()
      if (typeof v === 'string') {
        const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`)
        if (Number.isNaN(d.getTime())) throw new TypeError(`column ${column}: not a timestamp: ${v}`)
        return d.toISOString()
      }
      throw new TypeError(`column ${column}: expected a timestamp, got ${typeof v}`)
    }
    case 'bool':
      if (typeof v === 'boolean') return v
      return toNumber(v, column) !== 0
  }
}

/** Column name → normalisation. */
export type NormSpec = Readonly<Record<string, Norm>>

/**
 * Normalise rows by the spec; a row's keys are kept in the order the driver
 * gave them, and a spec column missing from a row is an error (so a typo
 * cannot make a comparison vacuous).
 */
export const normalise = (rows: readonly Row[], spec: NormSpec = {}): Record<string, unknown>[] =>
  rows.map((r) => {
    const out: Record<string, unknown> = { ...r }
    for (const [col, n] of Object.entries(spec)) {
      if (!(col in r)) throw new TypeError(`normalise: row has no column "${col}" (columns: ${Object.keys(r).join(', ')})`)
      out[col] = one(n, r[col], col)
    }
    return out
  })

/** Rows sorted by their JSON form: for comparing results whose order SQL does not promise. */
export const asBag = (rows: readonly Record<string, unknown>[]): Record<string, unknown>[] =>
  [...rows].sort((a, b) => {
    const x = JSON.stringify(a)
    const y = JSON.stringify(b)
    return x < y ? -1 : x > y ? 1 : 0
  })
