/** Total folds over tagged unions: one handler per `_tag`, checked by the compiler. */

/** A record with one handler per member of the tagged union `U`. */
export type Handlers<U extends { readonly _tag: string }, R> = { readonly [K in U['_tag']]: (node: Extract<U, { readonly _tag: K }>) => R }

/** Build the fold of a handler record: a missing handler is a compile error. */
export const fold =
  <U extends { readonly _tag: string }, R>(handlers: Handlers<U, R>) =>
  (node: U): R =>
    (handlers[node._tag as U['_tag']] as (n: U) => R)(node)
