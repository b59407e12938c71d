import { expect, it } from 'vitest'
import { tour } from '../../examples/tour.js'

it('the tour runs end to end and shows each promise', async () => {
  const lines: string[] = []
  await tour((l) => lines.push(l))
  const text = lines.join('\n')
  // 1. one query value, three dialects, values only as parameters
  expect(text).toMatch(/postgres +SELECT .* WHERE "track"\."ms" > \$1 ORDER BY "track"\."ms" DESC LIMIT \$2/)
  expect(text).toMatch(/mariadb +SELECT `track`\.`name`/)
  expect(text).not.toMatch(/> 300000/)
  // 2. DDL in FK order
  expect(text.indexOf('CREATE TABLE "artist"')).toBeLessThan(text.indexOf('CREATE TABLE "album"'))
  expect(text.indexOf('CREATE TABLE "album"')).toBeLessThan(text.indexOf('CREATE TABLE "track"'))
  // 3. the plan, then the commit with generated keys carried to children
  expect(text).toMatch(/plan for sqlite: \d+ statement\(s\)/)
  expect(text).toMatch(/committed in \d+ statements; AC\/DC got id 1, Jane reports to 2/)
  // 4. eager loading: levels + 1 round trips, or one joined query, same graph
  expect(text).toContain('AC/DC: Let There Be Rock (2 tracks)')
  expect(text).toContain('Aerosmith: no albums')
  expect(text).toContain('select-in: 3 round trips; joined: 1; same graph: true')
  // 5. the tree
  expect(text).toContain('Andrew (GM)\n  Nancy (Sales)\n    Jane\n    Steve\n  Michael (IT)\n(1 round trip)')
  // 6. an entity over an aggregate select
  expect(text).toContain('AC/DC: 1 albums, 2 tracks')
  // 7. tuples with identity
  expect(text).toContain('the two AC/DC tracks share one artist object: true')
  // 8. savepoint
  expect(text).toContain('the nested insert was undone (UniqueViolation)')
  expect(text).toContain('artists now: AC/DC, Accept, Aerosmith, Alanis Morissette')
  // 9. hand-written SQL inside a query value
  expect(text).toContain('FROM (SELECT name, ms FROM track WHERE ms > ?) AS "long"')
  expect(text).toContain('-> Balls to the Wall, Go Down')
  // 10. typed errors
  expect(text).toContain('ForeignKeyViolation: FOREIGN KEY constraint failed')
  expect(text).toContain('params: [<number>, <string(6)>]')
  // 11. entity graph saved by diff: one insert (the new track), one update of the changed column only
  expect(text).toMatch(/plan for sqlite: 2 statement\(s\)\n1\. insert 1 track row/)
  expect(text).toContain('UPDATE "album" SET "title" = "quarry_v".column2 FROM (VALUES (?, ?)) AS "quarry_v" WHERE "album"."id" = "quarry_v".column1')
  expect(text).toContain('saved: Let There Be Rock (Remastered): Go Down (#1), Whole Lotta Rosie (#2), Bad Boy Boogie (#4)')
  // 12. the in-memory engine gives the rows SQLite gives
  expect(text).toContain('in memory: Balls to the Wall, Go Down, Whole Lotta Rosie\non SQLite: Balls to the Wall, Go Down, Whole Lotta Rosie')
  // 13. pool
  expect(text).toMatch(/50 concurrent programs served by [1-4] connections \(max 4\); borrowed now: 0/)
})
