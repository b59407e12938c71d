/**
 * A throwaway MariaDB server for the test run. When `mariadbd` is missing
 * and we are root, it is installed with apt-get (with a policy-rc.d in place
 * so no system service is started); then `mariadb-install-db` initialises a
 * data directory under the temporary base and `mariadbd` runs on a free
 * loopback port with utf8mb4, binary collation and UTC.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { freePort, hasCommand, isRoot, run, startServer, waitFor, type ServerProcess } from './process.js'

const INSTALL_HINT =
  '  Fix: `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mariadb-server`\n' +
  '  (the test setup does this itself when run as root), or point the tests at a running server with\n' +
  '  QUARRY_MYSQL_URL=mysql://user:pass@host:port/db (the user needs CREATE, DROP, XA and PROCESS/CONNECTION ADMIN).'

/** Install mariadb-server with apt-get when it is missing and we may. */
export const ensureMariadbInstalled = (): void => {
  if (hasCommand('mariadbd') || existsSync('/usr/sbin/mariadbd')) return
  if (!isRoot()) throw new Error(`MariaDB (mariadbd) is not installed and this process is not root.\n${INSTALL_HINT}`)
  const policy = '/usr/sbin/policy-rc.d'
  const ownPolicy = !existsSync(policy)
  // Debian's convention for "install, but start no services".
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 })
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    run('apt-get', ['update', '-qq'], { env })
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'mariadb-server'], { env })
  } catch (e) {
    throw new Error(`installing MariaDB failed: ${(e as Error).message}\n${INSTALL_HINT}`)
  } finally {
    if (ownPolicy) rmSync(policy, { force: true })
  }
}

export interface StartedMariadb {
  readonly port: number
  readonly socket: string
  readonly process: ServerProcess
}

const mariadbd = (): string => (existsSync('/usr/sbin/mariadbd') ? '/usr/sbin/mariadbd' : 'mariadbd')

/** Initialise and start a server under `base`; resolves once it accepts connections. */
export const startMariadb = async (base: string, user: string, password: string): Promise<StartedMariadb> => {
  ensureMariadbInstalled()
  const data = join(base, 'mariadb')
  const socket = join(base, 'mariadb.sock')
  mkdirSync(data, { mode: 0o700 })
  const asRoot = isRoot() ? ['--user=root'] : []
  run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${data}`,
    ...asRoot,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ])
  const port = await freePort()
  const proc = startServer(mariadbd(), [
    '--no-defaults',
    ...asRoot,
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--pid-file=${join(base, 'mariadb.pid')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_bin',
    '--default-time-zone=+00:00',
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    '--innodb-buffer-pool-size=256M',
    '--max-connections=500',
    '--skip-log-bin',
    '--innodb-lock-wait-timeout=5',
  ])
  // Create the TCP user over the socket as root, then check TCP works.
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`mariadbd exited with ${proc.child.exitCode}`)
      const c = await mysql.createConnection({ socketPath: socket, user: 'root' })
      try {
        await c.query(`CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '${password}'`)
        await c.query(`GRANT ALL PRIVILEGES ON *.* TO '${user}'@'%' WITH GRANT OPTION`)
      } finally {
        await c.end()
      }
    },
    30_000,
    'MariaDB',
    proc.log,
  )
  return { port, socket, process: proc }
}

/** The server's version number, e.g. `10.11.19`. */
export const mariadbVersion = async (conn: mysql.ConnectionOptions): Promise<string> => {
  const c = await mysql.createConnection(conn)
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v')
    const v = String(rows[0]?.['v'] ?? 'unknown')
    return v.split('-')[0] ?? v
  } finally {
    await c.end()
  }
}
