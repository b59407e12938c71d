import { expect, it } from 'vitest'
import { tour } from '../../examples/tour.js'

it('the tour runs end to end and shows each promise', async () => {
  const lines: string[] = []
  await tour((l) => lines.push(l))
  const text = lines.join('\n')
  expect(text).toContain('inserted 2 artists, last id 2')
  expect(text).toContain('Let There Be Rock — AC/DC')
  expect(text).toContain('the nested insert failed: UniqueViolation on artist.name (retryable: false); state is now failed')
  expect(text).toContain('artists after commit: 3')
  expect(text).toContain('ForeignKeyViolation: FOREIGN KEY constraint failed')
  expect(text).toContain('params: [<number>, <string(6)>]')
  expect(text).toContain('streamed 100000 rows, sum 5000050000')
  expect(text).toMatch(/50 concurrent borrowers served by [1-4] connections \(max 4\); borrowed now: 0/)
})
