/** Everything an interpreter compiles: queries, data changes and DDL. */
import type { DdlNode } from '../ddl/ddl-node.js'
import type { QueryNode } from '../query/query-node.js'
import type { MutationNode } from './mutation-node.js'

/** Every statement kind. */
export type StatementNode = QueryNode | MutationNode | DdlNode

/** The tag of every statement kind. */
export type StatementTag = StatementNode['_tag']
