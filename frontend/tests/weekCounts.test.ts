import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ActivityFields, Me } from '@contract/types'
import { closeDb, rememberUser } from '../src/db'
import { syncNow } from '../src/sync/engine'
import { deleteActivity, editActivity, logActivity, readWeekCounts, weekStartOf } from '../src/sync/local'
import { watchWeekCounts, type WeekCount } from '../src/sync/weekCounts'
import { FakeSyncServer } from './fakeSyncServer'

const rep: Me = {
  id: 7,
  email: 'rep@demo.test',
  name: 'Rep',
  role: 'rep',
  time_zone: 'Europe/Berlin',
  team: { id: 1, name: 'T' },
  managed_teams: [],
}
const TYPES = [
  { id: 1, quality_min: 3 },
  { id: 2, quality_min: 1 },
]

function visit(overrides: Partial<ActivityFields> = {}): ActivityFields {
  return {
    activity_type_id: 1,
    account_name: 'Acme GmbH',
    outcome: 'next_step',
    occurred_at: '2026-11-25T09:30:00+01:00',
    time_zone: 'Europe/Berlin',
    quality: 3,
    ...overrides,
  }
}

let server: FakeSyncServer
beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory()
  server = new FakeSyncServer()
  server.install()
  await rememberUser(rep)
})
afterEach(async () => {
  await closeDb()
})

describe('week attribution', () => {
  it('uses the local date in the activity zone across a DST weekend', () => {
    // Berlin moves to summer time on Sunday 29 March 2026.
    expect(weekStartOf('2026-03-29T23:59:00+02:00', 'Europe/Berlin')).toBe('2026-03-23')
    expect(weekStartOf('2026-03-29T21:59:00Z', 'Europe/Berlin')).toBe('2026-03-23')
    // Monday 00:30 in Berlin is still Sunday 22:30 in UTC: it is Monday's week.
    expect(weekStartOf('2026-03-30T00:30:00+02:00', 'Europe/Berlin')).toBe('2026-03-30')
    expect(weekStartOf('2026-03-29T22:30:00Z', 'Europe/Berlin')).toBe('2026-03-30')
    // The same instant in New York is Sunday afternoon: previous week.
    expect(weekStartOf('2026-03-29T22:30:00Z', 'America/New_York')).toBe('2026-03-23')
  })
})

describe('readWeekCounts', () => {
  it('is null until the first complete pull for this user', async () => {
    await logActivity(visit())
    expect(await readWeekCounts('2026-11-23', TYPES)).toBeNull()
    server.faults.push({ kind: 'network' })
    await syncNow()
    expect(await readWeekCounts('2026-11-23', TYPES)).toBeNull()
    await syncNow()
    expect(await readWeekCounts('2026-11-23', TYPES)).not.toBeNull()
  })

  it('counts server records and local changes, qualifying and pending, excluding deleted', async () => {
    await syncNow() // first pull: empty
    await logActivity(visit({ quality: 2 })) // below type 1's bar
    const kept = await logActivity(visit({ quality: 5 }))
    await logActivity(visit({ activity_type_id: 2, quality: 1 }))
    const gone = await logActivity(visit())
    await deleteActivity(gone.id)
    await logActivity(visit({ occurred_at: '2026-11-30T08:00:00+01:00' })) // next week
    let counts = await readWeekCounts('2026-11-23', TYPES)
    expect(counts).toEqual({
      1: { total: 2, qualifying: 1, pending: 2 },
      2: { total: 1, qualifying: 1, pending: 1 },
    })

    await syncNow()
    counts = await readWeekCounts('2026-11-23', TYPES)
    expect(counts).toEqual({
      1: { total: 2, qualifying: 1, pending: 0 },
      2: { total: 1, qualifying: 1, pending: 0 },
    })
    expect(server.live()).toHaveLength(4)

    // An offline edit that lowers quality moves it out of "qualifying" at once, pending.
    await editActivity(kept.id, visit({ quality: 1 }))
    expect((await readWeekCounts('2026-11-23', TYPES))![1]).toEqual({ total: 2, qualifying: 0, pending: 1 })
  })

  it('attributes a Monday 00:30 local log (Sunday in UTC) to the Monday week', async () => {
    await syncNow()
    await logActivity(visit({ occurred_at: '2026-03-30T00:30:00+02:00' }))
    await logActivity(visit({ occurred_at: '2026-03-29T23:59:00+02:00' }))
    expect((await readWeekCounts('2026-03-30', TYPES))![1]!.total).toBe(1)
    expect((await readWeekCounts('2026-03-23', TYPES))![1]!.total).toBe(1)
  })

  it('counts records pulled from the server (logged on another device)', async () => {
    server.activities.set('a1', {
      record: {
        id: 'a1', version: ++server.version, deleted: false, activity_type_id: 2, account_name: 'Beta',
        outcome: 'won', quality: 4, occurred_at: '2026-11-24T10:00:00Z', time_zone: 'Europe/Berlin',
        week_start: '2026-11-23',
      },
    })
    await syncNow()
    expect((await readWeekCounts('2026-11-23', TYPES))![2]).toEqual({ total: 1, qualifying: 1, pending: 0 })
  })
})

describe('watchWeekCounts', () => {
  it('reports again after a log, a delete and a sync', async () => {
    await syncNow()
    const seen: Array<Record<number, WeekCount> | null> = []
    const waitFor = async (n: number) => {
      for (let i = 0; i < 100 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 5))
    }
    const stop = watchWeekCounts('2026-11-23', TYPES, (c) => seen.push(c))
    await waitFor(1)
    expect(seen.at(-1)![1]!.total).toBe(0)
    const logged = await logActivity(visit())
    await waitFor(2)
    expect(seen.at(-1)![1]).toEqual({ total: 1, qualifying: 1, pending: 1 })
    await syncNow()
    await new Promise((r) => setTimeout(r, 30))
    expect(seen.at(-1)![1]).toEqual({ total: 1, qualifying: 1, pending: 0 })
    await deleteActivity(logged.id)
    await new Promise((r) => setTimeout(r, 30))
    expect(seen.at(-1)![1]).toEqual({ total: 0, qualifying: 0, pending: 0 })
    stop()
    const before = seen.length
    await logActivity(visit())
    await new Promise((r) => setTimeout(r, 30))
    expect(seen.length).toBe(before)
  })
})
