/**
 * quarry's query algebra: schema, expressions, queries and statements as
 * immutable values. Import as a namespace (`import * as Q from
 * 'quarry/algebra'`); combinators are data-last for `pipe`.
 */
export * from './data-type.js'
export * from './schema/column.js'
export * from './schema/table.js'
export * from './schema/metadata.js'
export * from './expr/expr-node.js'
export * from './expr/operators.js'
export * from './expr/functions.js'
export * from './expr/aggregates.js'
export * from './expr/order.js'
export * from './expr/window.js'
export * from './query/query-node.js'
export * from './query/relation.js'
export * from './query/select.js'
export * from './query/set-op.js'
export * from './statement/mutation-node.js'
export * from './statement/mutations.js'
export * from './ddl/ddl-node.js'
export * from './text.js'
export * from './statement/statement.js'
