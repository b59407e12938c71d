/**
 * The data type an expression yields, where quarry can know it without the
 * database: the *logical* type its TypeScript row type promises (a count is
 * an integer, `avg` a double, a comparison a boolean). Interpreters use it to
 * encode values compared with the expression; the mapping layer uses it to
 * decode what a driver returns (PostgreSQL sends counts as strings).
 */
import type { DataType } from '../data-type.js'
import { outputColumns } from '../query/query-node.js'
import type { ExprNode } from './expr-node.js'

const T = {
  integer: Object.freeze({ kind: 'integer' }),
  double: Object.freeze({ kind: 'double' }),
  text: Object.freeze({ kind: 'text' }),
  boolean: Object.freeze({ kind: 'boolean' }),
} as const satisfies Record<string, DataType>

const integral = (t: DataType | undefined): boolean => t !== undefined && (t.kind === 'integer' || t.kind === 'bigint' || t.kind === 'smallint')

/** The data type of an expression's value, or undefined when only the database knows. */
export const exprType = (e: ExprNode): DataType | undefined => {
  switch (e._tag) {
    case 'Column':
    case 'Value':
    case 'Param':
    case 'Excluded':
      return e.type
    case 'Cast':
      return e.to
    case 'Negate':
      return exprType(e.arg)
    case 'Binary':
      if (e.op === '=' || e.op === '<>' || e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') return T.boolean
      return integral(exprType(e.left)) && integral(exprType(e.right)) ? exprType(e.left) : undefined
    case 'Logical':
    case 'Not':
    case 'IsNull':
    case 'IsDistinct':
    case 'InList':
    case 'InQuery':
    case 'TupleInList':
    case 'TupleInQuery':
    case 'Between':
    case 'Like':
    case 'Exists':
      return T.boolean
    case 'Case':
      return e.whens[0] === undefined ? undefined : exprType(e.whens[0].then)
    case 'Concat':
      return T.text
    case 'Builtin':
      switch (e.fn) {
        case 'length':
          return T.integer
        case 'lower':
        case 'upper':
        case 'trim':
        case 'substr':
          return T.text
        default:
          return e.args[0] === undefined ? undefined : exprType(e.args[0])
      }
    case 'Extract':
      return T.integer
    case 'Agg':
      return e.fn === 'count' ? T.integer : e.fn === 'avg' ? T.double : e.arg === undefined ? undefined : exprType(e.arg)
    case 'WinFn':
      return e.fn === 'row_number' || e.fn === 'rank' || e.fn === 'dense_rank' || e.fn === 'ntile'
        ? T.integer
        : e.args[0] === undefined
          ? undefined
          : exprType(e.args[0])
    case 'Over':
      return exprType(e.call)
    case 'Subquery':
      return outputColumns(e.query)[0]?.type
    case 'Func':
    case 'Text':
      return undefined
  }
}
