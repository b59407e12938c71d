/**
 * Engine events: plain functions registered on an engine, called around
 * statements, connections, transactions and flushes. Listeners are kept in
 * arrays that the hot path checks for emptiness before doing anything, so
 * an engine with no listener pays one length check per statement.
 */
import type { Param } from '../drivers/driver.js'

/** What each event hands its listeners. */
export interface EventPayloads {
  /** Before a statement is sent; `sql`/`params` are what will run. */
  readonly beforeExecute: { readonly sql: string; readonly params: ReadonlyArray<Param> }
  /** After a statement finished, successfully or not. */
  readonly afterExecute: {
    readonly sql: string
    readonly params: ReadonlyArray<Param>
    readonly ms: number
    readonly rows: number
    readonly error: unknown
  }
  /** A new connection was opened by the engine's pool. */
  readonly connect: { readonly dialect: string }
  readonly begin: { readonly depth: number }
  readonly commit: { readonly depth: number }
  readonly rollback: { readonly depth: number }
  /** Before a change graph's plan runs; `statements` is its length. */
  readonly beforeFlush: { readonly statements: number }
  /** After a change graph's plan ran (committed or not). */
  readonly afterFlush: { readonly statements: number; readonly error: unknown }
}

/** The name of an engine event. */
export type EventName = keyof EventPayloads

/** A listener for event `E`. Its return value is ignored; a throw is reported, not propagated. */
export type Listener<E extends EventName> = (payload: EventPayloads[E]) => void

/** Listeners by event; arrays are replaced, never mutated, so emitting needs no copy. */
export type Listeners = { -readonly [E in EventName]: ReadonlyArray<Listener<E>> }

/** An empty set of listeners. */
export const noListeners = (): Listeners => ({
  beforeExecute: [],
  afterExecute: [],
  connect: [],
  begin: [],
  commit: [],
  rollback: [],
  beforeFlush: [],
  afterFlush: [],
})

/** Call every listener of `event`; a listener that throws is reported on stderr, not propagated. */
export const emit = <E extends EventName>(listeners: Listeners, event: E, payload: EventPayloads[E]): void => {
  const list = listeners[event] as ReadonlyArray<Listener<E>>
  for (let i = 0; i < list.length; i++) {
    try {
      list[i]!(payload)
    } catch (e) {
      console.error(`quarry: a ${event} listener threw`, e)
    }
  }
}

/**
 * Register `listener` for `event` in `listeners`; returns a function that
 * removes it. The array is replaced, not pushed to: an emit in progress
 * keeps its snapshot. Engines expose it as their `on`.
 *
 * @example
 * const off = addListener(listeners)('beforeExecute', (e) => console.log(e.sql))
 */
export const addListener =
  (listeners: Listeners) =>
  <E extends EventName>(event: E, listener: Listener<E>): (() => void) => {
    const table = listeners as Record<EventName, ReadonlyArray<unknown>>
    table[event] = [...table[event], listener]
    return () => {
      table[event] = table[event].filter((l) => l !== listener)
    }
  }
