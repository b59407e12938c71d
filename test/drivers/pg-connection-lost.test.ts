/**
 * A PostgreSQL backend killed as an administrator would (pg_terminate_backend):
 * under a running statement, under a stream, inside a transaction, and while
 * the client sits idle — the case that crashes a process whose pg client has
 * no 'error' listener. Every path must end in ConnectionLost and a 'closed'
 * connection, never a hang or a crash.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { pgDriver } from '../../src/drivers/pg/index.js'
import type { Connection, Driver } from '../../src/drivers/driver.js'
import type { DbError } from '../../src/drivers/errors.js'
import { freshPostgres, killPostgresBackend, type FreshDatabase } from '../support/databases.js'

let db: FreshDatabase
let driver: Driver
const open: Connection[] = []

const connect = async (): Promise<Connection> => {
  const c = await driver.connect()
  open.push(c)
  return c
}
const backendPid = async (c: Connection): Promise<number> =>
  (await c.execute<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  db = await freshPostgres()
  driver = pgDriver({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database })
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()))
})
afterAll(() => db.drop())

describe('pg driver: lost connections', () => {
  it('a backend killed while idle: no crash, the next execute is ConnectionLost and the state closed', async () => {
    const c = await connect()
    await killPostgresBackend(await backendPid(c))
    await sleep(200) // let the server's FATAL and the socket close reach the idle client
    const e = await c.execute('SELECT 1').catch((x: unknown) => x as DbError)
    expect(e).toMatchObject({ _tag: 'ConnectionLost', retryable: true, dialect: 'postgres', sql: 'SELECT 1' })
    expect(c.state).toBe('closed')
    await expect(c.ping()).rejects.toMatchObject({ _tag: 'ConnectionLost' })
    await expect(c.close()).resolves.toBeUndefined()
  })

  it('a backend killed under a running statement rejects it with ConnectionLost (57P01)', async () => {
    const c = await connect()
    const pid = await backendPid(c)
    const running = c.execute('SELECT pg_sleep(30)').catch((x: unknown) => x as DbError)
    await sleep(50)
    await killPostgresBackend(pid)
    const e = await running
    expect(e).toMatchObject({ _tag: 'ConnectionLost', retryable: true, code: '57P01', sql: 'SELECT pg_sleep(30)' })
    expect(c.state).toBe('closed')
  })

  it('a backend killed inside a transaction closes the connection; further moves are refused', async () => {
    const c = await connect()
    await c.begin()
    await c.execute('SELECT 1')
    await killPostgresBackend(await backendPid(c))
    await sleep(200)
    await expect(c.execute('SELECT 1')).rejects.toMatchObject({ _tag: 'ConnectionLost' })
    expect(c.state).toBe('closed')
    await expect(c.commit()).rejects.toMatchObject({ _tag: 'InvalidState', state: 'closed' })
  })

  it('a backend killed mid-stream ends the stream with ConnectionLost instead of hanging', async () => {
    const c = await connect()
    const pid = await backendPid(c)
    let seen = 0
    const e = await (async () => {
      for await (const _row of c.stream('SELECT i FROM generate_series(1, 100000) AS s(i)', [], { batchSize: 100 })) {
        seen++
        if (seen === 150) {
          await killPostgresBackend(pid)
          await sleep(100)
        }
      }
    })().catch((x: unknown) => x as DbError)
    expect(e).toMatchObject({ _tag: 'ConnectionLost', retryable: true })
    expect(seen).toBeLessThan(100000)
    expect(c.state).toBe('closed')
  })

  it('a process whose idle connection is killed keeps running (checked in a child process)', async () => {
    const entry = fileURLToPath(new URL('../../src/drivers/pg/index.ts', import.meta.url))
    const script = `
      import { pgDriver } from ${JSON.stringify(entry)}
      const c = await pgDriver(${JSON.stringify({ host: db.host, port: db.port, user: db.user, database: db.database })}).connect()
      const pid = (await c.execute('SELECT pg_backend_pid() AS pid')).rows[0].pid
      console.log('pid ' + pid)
      await new Promise((r) => process.stdin.once('data', r))
      process.stdin.pause()
      await new Promise((r) => setTimeout(r, 300))
      const tag = await c.execute('SELECT 1').then(() => 'ok', (e) => e._tag)
      console.log('after ' + tag + ' ' + c.state)
      await c.close()
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    const pid = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /pid (\d+)/.exec(out)
        if (m) resolve(Number(m[1]))
      })
      void exited.then(() => reject(new Error(`child exited early: ${err}`)))
    })
    await killPostgresBackend(pid)
    child.stdin.write('go\n')
    const code = await Promise.race([exited, sleep(15_000).then(() => 'timeout' as const)])
    if (code === 'timeout') child.kill()
    expect({ code, err }).toEqual({ code: 0, err: '' })
    expect(out).toContain('after ConnectionLost closed')
  })
})
