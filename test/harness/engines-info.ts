/**
 * What the global setup hands to every test file: where each real server
 * listens and how to log in as a user that may create databases.
 */
export interface ServerInfo {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  /** An existing database to connect to for administration. */
  readonly database: string
  /** The server's version string, e.g. `15.18`. */
  readonly version: string
  /** True when the harness started the server (and may stop or restart it). */
  readonly owned: boolean
}

/** Everything the test files receive through vitest's `inject('engines')`. */
export interface EnginesInfo {
  readonly postgres: ServerInfo
  readonly mysql: ServerInfo
  readonly sqlite: { readonly version: string }
  /** A scratch directory that lives as long as the run. */
  readonly tmpdir: string
}

/** Parse `postgres://user:pass@host:port/db` style URLs into {@link ServerInfo} fields. */
export const parseUrl = (url: string, defaults: { port: number; database: string }): Omit<ServerInfo, 'version' | 'owned'> => {
  const u = new URL(url)
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port === '' ? defaults.port : Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : defaults.database,
  }
}
