/**
 * Small process helpers for the throwaway database servers: free ports,
 * running a command to completion, waiting until a server answers, and a
 * watchdog that kills the servers if the test process dies without cleaning
 * up (SIGKILL, crash), so no stray server survives a run.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { readFileSync } from 'node:fs'

/** A free TCP port on the loopback interface. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })

/** Whether this process runs as root (servers must then drop privileges). */
export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0

/** uid and gid of an OS user, read from /etc/passwd. */
export const osUser = (name: string): { uid: number; gid: number } | undefined => {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
  if (line === undefined) return undefined
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

/** Run a command to completion; reject with its output when it fails. */
export const run = (
  cmd: string,
  args: ReadonlyArray<string>,
  opts: { uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {},
): string => {
  try {
    return execFileSync(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
      ...(opts.env !== undefined ? { env: opts.env } : {}),
    })
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string }
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`)
  }
}

/** Whether an executable can be found on PATH (or at an absolute path). */
export const hasCommand = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** A long-running server process in its own process group, with its log. */
export interface ServerProcess {
  readonly child: ChildProcess
  readonly log: () => string
  /** Stop the group: `signal` first, SIGKILL after `graceMs`. Resolves once exited. */
  readonly stop: (signal: NodeJS.Signals, graceMs: number) => Promise<void>
}

/** Start a server detached in its own process group, capturing its output. */
export const startServer = (
  cmd: string,
  args: ReadonlyArray<string>,
  opts: { uid?: number; gid?: number } = {},
): ServerProcess => {
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
    ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
  })
  let out = ''
  const keep = (b: Buffer): void => {
    out = (out + b.toString('utf8')).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve()
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })
  const stop = async (signal: NodeJS.Signals, graceMs: number): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return
    const kill = (s: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, s)
      } catch {
        /* already gone */
      }
    }
    kill(signal)
    const timer = setTimeout(() => kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }
  return { child, log: () => out, stop }
}

/** Poll `probe` until it resolves, or reject with the last error after `timeoutMs`. */
export const waitFor = async (probe: () => Promise<unknown>, timeoutMs: number, what: string, log: () => string): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      await probe()
      return
    } catch (e) {
      last = e
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms: ${String(last)}\n--- server log ---\n${log()}`)
}

/**
 * Spawn a detached shell that waits for this process to exit, then kills the
 * given process groups and removes `dir`. Normal teardown does the same
 * first; the watchdog only matters when this process dies abruptly.
 */
export const watchdog = (pgids: ReadonlyArray<number>, dir: string): ChildProcess => {
  const kills = pgids.map((p) => `kill -KILL -${p} 2>/dev/null`).join('; ')
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 0.5; done; ${kills || 'true'}; sleep 0.5; rm -rf '${dir}'`
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' })
  child.unref()
  return child
}
