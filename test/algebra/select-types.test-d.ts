import { pipe } from 'fp-ts/lib/function.js'
import { expectTypeOf, test } from 'vitest'
import { integer, text } from '../../src/algebra/schema/column.js'
import { table } from '../../src/algebra/schema/table.js'
import { from, join, leftJoin, select, where } from '../../src/algebra/query/select.js'
import { eq } from '../../src/algebra/expr/operators.js'
import type { ResultOf } from '../../src/algebra/query/query-node.js'

const users = table('users', { id: integer().primaryKey(), name: text().notNull(), bio: text() })
const posts = table('posts', { id: integer().primaryKey(), author_id: integer().notNull(), title: text().notNull() })

test('inference', () => {
  const q = pipe(
    from(users),
    join(posts, (s) => eq(s.posts.author_id, s.users.id)),
    where((s) => eq(s.users.name, 'x')),
    select((s) => ({ id: s.users.id, title: s.posts.title, bio: s.users.bio })),
  )
  expectTypeOf<ResultOf<typeof q>>().toEqualTypeOf<{ readonly id: number; readonly title: string; readonly bio: string | null }>()
  const q2 = pipe(
    from(users),
    leftJoin(posts, (s) => eq(s.posts.author_id, s.users.id)),
    select((s) => ({ id: s.users.id, title: s.posts.title })),
  )
  expectTypeOf<ResultOf<typeof q2>>().toEqualTypeOf<{ readonly id: number; readonly title: string | null }>()
  const q3 = from(users)
  expectTypeOf<ResultOf<typeof q3>>().toEqualTypeOf<{ readonly id: number; readonly name: string; readonly bio: string | null }>()
})
