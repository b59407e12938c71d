/**
 * Parents with many kids, the schema of the select-in chunking tests:
 * `kids` is the one-to-many whose keys select-in loading binds.
 */
import * as Q from '../../../src/algebra/index.js'
import * as M from '../../../src/mapping/index.js'

/** Parent rows: a key only. */
export const Parents = Q.table('parents', { id: Q.integer().primaryKey() })
/** Kid rows, each with its parent's key. */
export const Kids = Q.table('kids', { id: Q.integer().primaryKey(), parent_id: Q.integer().notNull() })
/** The parent entity. */
export const ParentE = M.entity(Parents)
/** Parent → kids. */
export const kids = M.oneToMany(ParentE, M.entity(Kids), { remote: ['parent_id'] })
