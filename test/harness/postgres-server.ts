/**
 * A throwaway PostgreSQL server for the test run: initdb into a temporary
 * directory, start `postgres` on a free loopback port with settings for
 * speed (no fsync) and for the tests (binary collation, prepared
 * transactions enabled). PostgreSQL refuses to run as root, so as root the
 * server runs as the `postgres` OS user.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { freePort, isRoot, osUser, run, startServer, waitFor, type ServerProcess } from './process.js'

/** The directory holding initdb and postgres, or an error saying how to get them. */
export const postgresBinDir = (): string => {
  const fromEnv = process.env['QUARRY_PG_BIN']
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const best = versions[0]
  if (best !== undefined) return join(root, best, 'bin')
  throw new Error(
    'PostgreSQL server binaries (initdb, postgres) were not found.\n' +
      '  Fix: install them with `apt-get install -y postgresql` (Debian) — .ci/run does this when root —\n' +
      '  or set QUARRY_PG_BIN to the directory holding initdb,\n' +
      '  or point the tests at a running server with QUARRY_PG_URL=postgres://user:pass@host:port/db (the user needs CREATEDB).',
  )
}

export interface StartedPostgres {
  readonly port: number
  readonly process: ServerProcess
}

/** initdb + start a server under `base`; resolves once it accepts connections. */
export const startPostgres = async (base: string): Promise<StartedPostgres> => {
  const bin = postgresBinDir()
  const data = join(base, 'pg')
  const sock = join(base, 'pgsock')
  mkdirSync(data, { mode: 0o700 })
  mkdirSync(sock, { mode: 0o700 })
  let owner: { uid: number; gid: number } | undefined
  if (isRoot()) {
    owner = osUser('postgres')
    if (owner === undefined)
      throw new Error('running as root but there is no `postgres` OS user to run PostgreSQL as. Fix: `apt-get install -y postgresql` creates it.')
    // The temp base is 0700 root: let postgres traverse it, and own its own dirs.
    chmodSync(base, 0o711)
    chownSync(data, owner.uid, owner.gid)
    chownSync(sock, owner.uid, owner.gid)
  }
  const asOwner = owner === undefined ? {} : { uid: owner.uid, gid: owner.gid }
  run(
    join(bin, 'initdb'),
    ['-D', data, '--no-sync', '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--lc-collate=C', '--no-instructions'],
    { ...asOwner, env: { ...process.env, LC_ALL: 'C.UTF-8' } },
  )
  const port = await freePort()
  const proc = startServer(
    join(bin, 'postgres'),
    [
      '-D', data,
      '-p', String(port),
      '-k', sock,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'jit=off',
      '-c', 'max_prepared_transactions=100',
      '-c', 'max_connections=300',
      '-c', 'shared_buffers=128MB',
      '-c', 'timezone=UTC',
      '-c', 'log_min_messages=warning',
      '-c', 'deadlock_timeout=100ms',
    ],
    asOwner,
  )
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`postgres exited with ${proc.child.exitCode}`)
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' })
      c.on('error', () => undefined)
      await c.connect()
      await c.end()
    },
    20_000,
    'PostgreSQL',
    proc.log,
  )
  return { port, process: proc }
}

/** The server's version number, e.g. `15.18`. */
export const postgresVersion = async (conn: pg.ClientConfig): Promise<string> => {
  const c = new pg.Client(conn)
  c.on('error', () => undefined)
  await c.connect()
  try {
    const r = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")
    return (r.rows[0]?.v ?? 'unknown').split(' ')[0] ?? 'unknown'
  } finally {
    await c.end()
  }
}
