/**
 * `npm run laws [-- --deep] [-- --seed N]`: runs every law (differential,
 * mutations, algebra, oracles, engine differences) on PostgreSQL, MariaDB, SQLite and
 * the in-memory evaluator, then prints per law and engine how many cases
 * ran and how they ended. Passes only when every law holds. `--deep` runs
 * 10,000 cases per law per engine (the default is 200; QUARRY_LAW_RUNS
 * overrides both).
 */
import { spawn } from 'node:child_process'

const args = process.argv.slice(2)
const deep = args.includes('--deep')
const seedAt = args.indexOf('--seed')
const env: NodeJS.ProcessEnv = { ...process.env }
if (env['QUARRY_LAW_RUNS'] === undefined) env['QUARRY_LAW_RUNS'] = deep ? '10000' : '200'
if (seedAt >= 0 && args[seedAt + 1] !== undefined) env['QUARRY_LAW_SEED'] = args[seedAt + 1]

const child = spawn('npx', ['vitest', 'run', 'laws'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
const counts: string[] = []
let buffer = ''
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk)
  buffer += chunk.toString('utf8')
  const lines = buffer.split('\n')
  buffer = lines.pop() ?? ''
  // eslint-disable-next-line no-control-regex
  for (const l of lines.map((x) => x.replace(/\u001b\[[0-9;]*m/gu, '').trim())) if (l.startsWith('law ')) counts.push(l)
})
child.on('close', (code) => {
  console.log(`\nLaws run with ${env['QUARRY_LAW_RUNS']} cases per law per engine, seed ${env['QUARRY_LAW_SEED'] ?? 'default (20261125)'}:`)
  for (const l of [...new Set(counts)].sort()) console.log(`  ${l}`)
  console.log(code === 0 ? 'All laws hold.' : 'Some law failed: see the counterexample and seed above.')
  process.exit(code ?? 1)
})
