/**
 * Change graphs: inserts, updates by diff and deletes of related rows as a
 * value; `plan` orders and batches them (pure, printable); `commit` runs the
 * plan atomically. Import as a namespace: `import * as G from 'quarry/effects'`
 * exposes them under `G`-friendly names (`G.insert`, `G.ref`, …).
 */
export { add, concat, ddl, deleteRow, empty, foldNode, fromNodes, insert, insertRow, isRef, nodeName, ref, remove, save, saveRow, schemaChange, update, updateRow } from './graph.js'
export type { Cells, ChangeGraph, ChangeNode, ChangesOf, DeleteRow, GraphRowOf, InsertRow, Named, NodeHandlers, Ref, SchemaChange, UpdateRow } from './graph.js'
export type { SchemaStep } from './ddl.js'
export { foldGraphError, isGraphError, type FlushFailed, type GraphError, type GraphErrorHandlers, type GraphProblem, type InvalidGraph, type StaleRow } from './errors.js'
export { plan, planChecked, type DeleteStep, type InsertStep, type Plan, type Planned, type ReadIncrementStep, type StaleCheck, type Step, type UpdateStep } from './plan.js'
export { describeStep, printPlan } from './print.js'
export { commit, commitPlanned, commitWith, flushPlanned, type Persisted, type RowsByNode } from './commit.js'
export { isKeySlot, type KeySlot, type Slot } from './sql.js'
