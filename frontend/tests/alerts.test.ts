import { describe, expect, it } from 'vitest'
import type { Me, ManagerAlert } from '@contract/types'
import { alertWhen, digestProblems, unreadIds } from '../src/alerts/logic'
import { canVisit, navItemsFor } from '../src/navigation'

const SETTINGS = {
  pace: true,
  pace_weekday: 2,
  pace_time: '11:00',
  plans: true,
  reflections: true,
  help: true,
  commitments: true,
  digest_days: [0, 1, 2, 3, 4],
  digest_time: '13:00',
}

function person(role: Me['role'], managed: number[] = []): Me {
  return {
    id: 1,
    email: 'x@example.org',
    name: 'X',
    role,
    time_zone: 'Europe/Berlin',
    team: null,
    managed_teams: managed.map((id) => ({ id, name: `Team ${id}` })),
  }
}

describe('manager alerts', () => {
  it('checks what the server checks before saving', () => {
    expect(digestProblems(SETTINGS)).toEqual({})
    expect(digestProblems({ ...SETTINGS, digest_days: [] })).toEqual({ digest_days: 'Pick at least one day.' })
    // With every digest kind off, no day is needed: the pace check alone is fine.
    expect(
      digestProblems({ ...SETTINGS, plans: false, reflections: false, help: false, commitments: false, digest_days: [] }),
    ).toEqual({})
    expect(Object.keys(digestProblems({ ...SETTINGS, pace_time: '24:00', digest_time: '' }))).toEqual([
      'pace_time',
      'digest_time',
    ])
  })

  it("says an alert's own local day and time, and which are unread", () => {
    expect(alertWhen({ local_date: '2026-11-25', wall_time: '11:00' })).toBe('Wed 25 Nov, 11:00')
    const alerts = [{ id: 3, read_at: null }, { id: 2, read_at: '2026-11-25T10:00:00Z' }, { id: 1, read_at: null }]
    expect(unreadIds(alerts as ManagerAlert[])).toEqual([3, 1])
  })

  it('gives managers an Alerts tab with its count, within five tabs, and keeps Expectations reachable', () => {
    const items = navItemsFor(person('manager', [1]))
    expect(items.map((i) => i.path)).toEqual(['/team', '/plans', '/alerts', '/setup', '/settings'])
    expect(items.find((i) => i.path === '/alerts')?.count).toBeDefined()
    expect(canVisit(person('manager', [1]), '/expectations')).toBe(true)
    expect(canVisit(person('manager'), '/alerts')).toBe(true)
    expect(canVisit(person('rep'), '/alerts')).toBe(false)
    expect(canVisit(person('admin', [1]), '/alerts')).toBe(false)
  })
})
