import { describe, expect, inject, it } from 'vitest'
import pg from 'pg'
import mysql from 'mysql2/promise'

describe('harness', () => {
  it('reaches postgres', async () => {
    const e = inject('engines').postgres
    const c = new pg.Client({ host: e.host, port: e.port, user: e.user, database: e.database })
    await c.connect()
    const r = await c.query('select 1 as one')
    expect(r.rows).toEqual([{ one: 1 }])
    await c.end()
  })
  it('reaches mariadb', async () => {
    const e = inject('engines').mysql
    const c = await mysql.createConnection({ host: e.host, port: e.port, user: e.user, password: e.password })
    const [rows] = await c.query('select 1 as one')
    expect(rows).toEqual([{ one: 1 }])
    await c.end()
  })
})
