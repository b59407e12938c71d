/**
 * The published package works in plain Node: build with tsc into a scratch
 * directory, then import every entry point of the `exports` map with `node`
 * (no tsx, no vitest transform). This catches ESM resolution mistakes such
 * as directory imports of fp-ts that type-check but fail at run time.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inject, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

it('every entry point of the exports map imports in plain node after a tsc build', () => {
  const out = join(inject('engines').tmpdir, `pkg-${process.pid}`)
  mkdirSync(out, { recursive: true })
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(out, 'dist')], {
    stdio: 'pipe',
  })
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> }
  cpSync(join(root, 'package.json'), join(out, 'package.json'))
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'))
  const entries = Object.entries(pkg.exports).filter(([k]) => k !== './package.json')
  expect(entries.length).toBeGreaterThanOrEqual(5)
  const script = entries
    .map(([, target]) => {
      const file = typeof target === 'string' ? target : target.default
      return `{ const m = await import(${JSON.stringify(join(out, file))}); if (Object.keys(m).length === 0) throw new Error('empty: ${file}'); }`
    })
    .join('\n')
  writeFileSync(join(out, 'check.mjs'), `${script}\nconsole.log('ok')\n`)
  const printed = execFileSync(process.execPath, [join(out, 'check.mjs')], { encoding: 'utf8' })
  expect(printed.trim()).toBe('ok')
}, 120_000)

it('the root and drivers entry points load no database client library', () => {
  const script = `
    await import(${JSON.stringify(join(root, 'src', 'index.ts'))});
    await import(${JSON.stringify(join(root, 'src', 'drivers', 'index.ts'))});
    const { createRequire } = await import('node:module');
    const loaded = Object.keys(createRequire(import.meta.url).cache ?? {});
    const clients = ['better-sqlite3', 'mysql2', '/pg/', 'pg-cursor'].filter((c) => loaded.some((f) => f.includes('/node_modules/' + c.replace(/^\\//, '').replace(/\\/$/, '') + '/')));
    console.log(JSON.stringify(clients));
  `
  const printed = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: root })
  expect(JSON.parse(printed.trim())).toEqual([])
}, 60_000)
