import { describe, expect, it } from 'vitest'
import type { Me, RepReviewRow, Signal } from '@contract/types'
import { canVisit, drilldownRepId, homePathFor, navItemsFor } from '../src/navigation'
import {
  CLIENT_KEY,
  daysBetween,
  defaultExportRange,
  DEFAULT_TURN_MS,
  fieldKey,
  filterCounts,
  filterFromSearch,
  filterRows,
  firstName,
  formatClock,
  isMonday,
  isRunning,
  newClientKey,
  newTimer,
  oldestWeek,
  parseMilestones,
  parseWhole,
  pauseTimer,
  percentTextToShare,
  resetTimer,
  reviewQuery,
  drilldownPath,
  shareToPercentText,
  startTimer,
  stepIndex,
  streakText,
  timeLeft,
  timerAnnouncement,
  validateExportRange,
  weekFromSearch,
  weekNav,
  DEFAULT_SORT,
  nextSort,
  repPath,
  searchRows,
  signalTiers,
  sortRows,
  teamBackPath,
  teamViewQuery,
} from '../src/review/logic'

const CURRENT = '2026-11-23' // a Monday

describe('week stepping', () => {
  it('steps a week back and forward, never past this week', () => {
    const nav = weekNav(CURRENT, CURRENT)
    expect(nav.isCurrent).toBe(true)
    expect(nav.previous).toBe('2026-11-16')
    expect(nav.next).toBeNull()
    const last = weekNav('2026-11-16', CURRENT)
    expect(last.isCurrent).toBe(false)
    expect(last.previous).toBe('2026-11-09')
    expect(last.next).toBe(CURRENT)
  })

  it('crosses months and years on Mondays', () => {
    expect(weekNav('2026-01-05', '2026-03-02').previous).toBe('2025-12-29')
    expect(weekNav('2025-12-29', '2026-03-02').next).toBe('2026-01-05')
  })

  it('stops at the oldest week the server reviews (104 weeks back)', () => {
    const oldest = oldestWeek(CURRENT)
    expect(daysBetween(oldest, CURRENT)).toBe(104 * 7)
    expect(isMonday(oldest)).toBe(true)
    expect(weekNav(oldest, CURRENT).previous).toBeNull()
    expect(weekNav('2024-12-02', CURRENT).previous).toBe(oldest)
  })

  it('reads ?week= only when it is a Monday', () => {
    expect(weekFromSearch('?week=2026-11-16')).toBe('2026-11-16')
    expect(weekFromSearch('?week=2026-11-17')).toBeNull()
    expect(weekFromSearch('?week=2026-02-30')).toBeNull()
    expect(weekFromSearch('?week=soon')).toBeNull()
    expect(weekFromSearch('')).toBeNull()
  })

  it('keeps ?week= in links only for other weeks than this one', () => {
    expect(drilldownPath(7, CURRENT, CURRENT)).toBe('/team/reps/7')
    expect(drilldownPath(7, '2026-11-16', CURRENT)).toBe('/team/reps/7?week=2026-11-16')
    expect(reviewQuery('2026-11-16', CURRENT, { team: '3', show: null })).toBe('?week=2026-11-16&team=3')
    expect(reviewQuery(null, null, {})).toBe('')
  })
})

function signal(kind: Signal['kind'], group: Signal['group'], severity: Signal['severity'] = null): Signal {
  return { kind, group, reason: `${kind} reason`, severity: group === 'kudos' ? null : (severity ?? 'talk') }
}

function row(userId: number, signals: Signal[], pending = false, extra: Partial<RepReviewRow> = {}): RepReviewRow {
  const talk = signals.some((s) => s.group === 'conversation' && s.severity === 'talk')
  const watch = signals.some((s) => s.group === 'conversation')
  return {
    attention: pending ? 'pending' : talk ? 'talk' : watch ? 'watch' : signals.length ? 'kudos' : 'ok',
    user_id: userId,
    name: `Rep ${userId}`,
    time_zone: 'UTC',
    plan_status: 'committed',
    progress: [],
    pace_status: 'on_track',
    attainment: 0.5,
    qualifying: 1,
    total: 2,
    last_activity_on: null,
    last_sync_at: null,
    devices: [],
    pending_sync: pending,
    pending_sync_reason: pending ? '2 logs waiting on a device to sync.' : null,
    streak: 0,
    signals,
    kudos_this_week: 0,
    ...extra,
  }
}

describe('filters', () => {
  // In the server's order: who needs attention first.
  const rows = [
    row(4, [signal('silent', 'conversation')]),
    row(8, [signal('no_plan', 'conversation', 'watch'), signal('most_improved', 'kudos')]),
    row(7, [signal('low_quality', 'conversation')], true),
    row(6, [signal('streak_milestone', 'kudos')]),
    row(9, []),
  ]

  it('keeps the server order; "needs a conversation" is attention talk, "watch" its own', () => {
    expect(filterRows(rows, 'all').map((r) => r.user_id)).toEqual([4, 8, 7, 6, 9])
    // A rep with only a watch signal is not "needs a conversation"; pending sync judges nothing.
    expect(filterRows(rows, 'conversation').map((r) => r.user_id)).toEqual([4])
    expect(filterRows(rows, 'watch').map((r) => r.user_id)).toEqual([8])
    expect(filterRows(rows, 'kudos').map((r) => r.user_id)).toEqual([8, 6])
    expect(filterRows(rows, 'pending').map((r) => r.user_id)).toEqual([7])
  })

  it('counts each filter', () => {
    expect(filterCounts(rows)).toEqual({ all: 5, conversation: 1, watch: 1, kudos: 2, pending: 1 })
    expect(filterCounts([])).toEqual({ all: 0, conversation: 0, watch: 0, kudos: 0, pending: 0 })
  })

  it('reads ?show= and falls back to all', () => {
    expect(filterFromSearch('?show=kudos')).toBe('kudos')
    expect(filterFromSearch('?show=pending')).toBe('pending')
    expect(filterFromSearch('?show=watch')).toBe('watch')
    expect(filterFromSearch('?show=everyone')).toBe('all')
    expect(filterFromSearch('')).toBe('all')
  })

  it('groups signals by severity: talk, watch, kudos', () => {
    const tiers = signalTiers(
      row(1, [signal('silent', 'conversation'), signal('not_sure', 'conversation', 'watch'), signal('plan_met', 'kudos')]),
    )
    expect(tiers.talk.map((s) => s.kind)).toEqual(['silent'])
    expect(tiers.watch.map((s) => s.kind)).toEqual(['not_sure'])
    expect(tiers.kudos.map((s) => s.kind)).toEqual(['plan_met'])
  })
})

describe('the team table', () => {
  const rows = [
    row(1, [signal('silent', 'conversation')], false, {
      name: 'Sam Okafor',
      attainment: 0.2,
      pace_status: 'behind',
      streak: 0,
      last_sync_at: '2026-11-20T09:00:00Z',
    }),
    row(2, [signal('low_quality', 'conversation')], true, {
      name: 'Casey Kowalski',
      attainment: 0.6,
      pace_status: 'behind',
      streak: 1,
      last_sync_at: '2026-11-24T09:00:00Z',
    }),
    row(3, [signal('not_sure', 'conversation', 'watch')], false, {
      name: 'José Álvarez',
      attainment: 0.4,
      pace_status: 'on_track',
      streak: 2,
      last_sync_at: null,
    }),
    row(4, [signal('streak_milestone', 'kudos')], false, {
      name: 'Taylor Nguyen',
      attainment: 1,
      pace_status: 'done',
      streak: 3,
      last_sync_at: '2026-11-25T09:00:00Z',
    }),
    row(5, [], false, { name: 'avery patel', attainment: 0.6, pace_status: 'ahead', streak: 1, last_sync_at: '2026-11-23T09:00:00Z' }),
  ]
  const ids = (list: RepReviewRow[]) => list.map((r) => r.user_id)

  it('starts in the server order and flips direction on the same column', () => {
    expect(ids(sortRows(rows, DEFAULT_SORT))).toEqual([1, 3, 2, 4, 5])
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ key: 'name', dir: 'ascending' })
    expect(nextSort({ key: 'name', dir: 'ascending' }, 'name')).toEqual({ key: 'name', dir: 'descending' })
    expect(nextSort({ key: 'name', dir: 'descending' }, 'streak')).toEqual({ key: 'streak', dir: 'ascending' })
  })

  it('sorts by each column; ties keep the server order', () => {
    expect(ids(sortRows(rows, { key: 'name', dir: 'ascending' }))).toEqual([5, 2, 3, 1, 4]) // case and accents ignored
    expect(ids(sortRows(rows, { key: 'name', dir: 'descending' }))).toEqual([4, 1, 3, 2, 5])
    expect(ids(sortRows(rows, { key: 'attainment', dir: 'ascending' }))).toEqual([1, 3, 2, 5, 4])
    expect(ids(sortRows(rows, { key: 'attainment', dir: 'descending' }))).toEqual([4, 2, 5, 3, 1])
    // Worst pace first; a pending rep's pace is not judged, so it sorts after every judged one.
    expect(ids(sortRows(rows, { key: 'pace', dir: 'ascending' }))).toEqual([1, 3, 5, 4, 2])
    // Never synced is the oldest.
    expect(ids(sortRows(rows, { key: 'last_sync', dir: 'ascending' }))).toEqual([3, 1, 5, 2, 4])
    expect(ids(sortRows(rows, { key: 'streak', dir: 'descending' }))).toEqual([4, 3, 2, 5, 1])
  })

  it('finds reps by any part of their name, in any case, accents ignored', () => {
    expect(ids(searchRows(rows, 'jose'))).toEqual([3])
    expect(ids(searchRows(rows, '  AVERY '))).toEqual([5])
    expect(ids(searchRows(rows, 'o'))).toEqual([1, 2, 3, 4])
    expect(ids(searchRows(rows, 'nguyen taylor'))).toEqual([4])
    expect(ids(searchRows(rows, 'zz'))).toEqual([])
    expect(ids(searchRows(rows, ''))).toEqual([1, 2, 3, 4, 5])
  })

  it('keeps the week and team for the rep screens and back to the team', () => {
    expect(repPath(7, 'drilldown', CURRENT, CURRENT)).toBe('/team/reps/7')
    expect(repPath(7, 'checkin', '2026-11-16', CURRENT, '3')).toBe('/team/reps/7/checkin?week=2026-11-16&team=3')
    expect(teamBackPath('?week=2026-11-16&team=3')).toBe('/team?week=2026-11-16&team=3')
    expect(teamBackPath('?team=3&show=kudos')).toBe('/team?team=3')
    expect(teamBackPath('?week=2026-11-17&team=abc')).toBe('/team') // not a Monday, not an id
    expect(teamBackPath('')).toBe('/team')
    expect(teamViewQuery('?week=2026-11-16')).toBe('?week=2026-11-16')
  })
})

describe('percentages', () => {
  it('shows shares as percentages without float noise', () => {
    expect(shareToPercentText(0.8)).toBe('80')
    expect(shareToPercentText(0.6)).toBe('60')
    expect(shareToPercentText(0.15)).toBe('15')
    expect(shareToPercentText(0.333)).toBe('33.3')
    expect(shareToPercentText(0.07)).toBe('7')
    expect(shareToPercentText(1)).toBe('100')
    expect(shareToPercentText(0)).toBe('0')
  })

  it('sends percentages as 0–1 shares', () => {
    expect(percentTextToShare('80')).toBe(0.8)
    expect(percentTextToShare(' 33.3 ')).toBe(0.333)
    expect(percentTextToShare('7')).toBe(0.07)
    expect(percentTextToShare('12,5')).toBe(0.125)
    expect(percentTextToShare('0')).toBe(0)
    expect(percentTextToShare('100')).toBe(1)
  })

  it('round-trips every whole and tenth percent', () => {
    for (let tenth = 0; tenth <= 1000; tenth += 1) {
      const text = String(tenth / 10)
      const share = percentTextToShare(text)
      expect(share).not.toBeNull()
      expect(shareToPercentText(share!)).toBe(text)
    }
  })

  it('refuses what the server would refuse', () => {
    expect(percentTextToShare('')).toBeNull()
    expect(percentTextToShare('abc')).toBeNull()
    expect(percentTextToShare('-5')).toBeNull()
    expect(percentTextToShare('101')).toBeNull()
    expect(percentTextToShare('0', { exclusiveMin: true })).toBeNull()
    expect(percentTextToShare('100', { exclusiveMax: true })).toBeNull()
    expect(percentTextToShare('100', { exclusiveMin: true })).toBe(1)
  })

  it('parses whole numbers in range and streak milestones', () => {
    expect(parseWhole('3', 1, 20)).toBe(3)
    expect(parseWhole('0', 1, 20)).toBeNull()
    expect(parseWhole('2.5', 1, 20)).toBeNull()
    expect(parseWhole('21', 1, 20)).toBeNull()
    expect(parseMilestones('8, 3 5;3')).toEqual({ value: [3, 5, 8] })
    expect(parseMilestones('')).toHaveProperty('error')
    expect(parseMilestones('1, 5')).toHaveProperty('error')
    expect(parseMilestones('3, 200')).toHaveProperty('error')
    expect(parseMilestones('2 3 4 5 6 7 8 9 10 11 12')).toHaveProperty('error')
  })

  it('files server errors on list items under the list field', () => {
    expect(fieldKey('streak_milestones[0]')).toBe('streak_milestones')
    expect(fieldKey('behind_share')).toBe('behind_share')
  })
})

describe('export range', () => {
  it('defaults to the last 90 days, today included', () => {
    const range = defaultExportRange('2026-11-25')
    expect(range).toEqual({ from: '2026-08-28', to: '2026-11-25' })
    expect(daysBetween(range.from, range.to) + 1).toBe(90)
    expect(validateExportRange(range)).toEqual({})
  })

  it('needs from on or before to', () => {
    expect(validateExportRange({ from: '2026-11-25', to: '2026-11-25' })).toEqual({})
    expect(validateExportRange({ from: '2026-11-26', to: '2026-11-25' }).to).toMatch(/before the first day/)
  })

  it('allows at most 366 days, both ends included', () => {
    expect(validateExportRange({ from: '2025-11-25', to: '2026-11-25' })).toEqual({}) // 366 days
    expect(validateExportRange({ from: '2025-11-24', to: '2026-11-25' }).to).toMatch(/367 days.*at most 366/)
  })

  it('explains missing or impossible dates', () => {
    expect(validateExportRange({ from: '', to: '2026-11-25' }).from).toBeTruthy()
    expect(validateExportRange({ from: '2026-11-01', to: '2026-02-30' }).to).toBeTruthy()
  })
})

describe('scrum timer', () => {
  it('counts down from two minutes only while running', () => {
    let t = newTimer()
    expect(t.durationMs).toBe(DEFAULT_TURN_MS)
    expect(timeLeft(t, 5_000)).toBe(120_000)
    t = startTimer(t, 1_000)
    expect(isRunning(t)).toBe(true)
    expect(timeLeft(t, 31_000)).toBe(90_000)
    expect(timeLeft(t, 500_000)).toBe(0)
  })

  it('pauses and resumes where it was', () => {
    let t = startTimer(newTimer(), 0)
    t = pauseTimer(t, 45_000)
    expect(isRunning(t)).toBe(false)
    expect(timeLeft(t, 999_000)).toBe(75_000)
    t = startTimer(t, 1_000_000)
    expect(timeLeft(t, 1_015_000)).toBe(60_000)
    expect(pauseTimer(pauseTimer(t, 1_015_000), 2_000_000).leftMs).toBe(60_000)
  })

  it('resets for the next rep, running if it was running', () => {
    const running = resetTimer(startTimer(newTimer(), 0), 50_000)
    expect(isRunning(running)).toBe(true)
    expect(timeLeft(running, 60_000)).toBe(110_000)
    const paused = resetTimer(pauseTimer(startTimer(newTimer(), 0), 10_000), 20_000)
    expect(isRunning(paused)).toBe(false)
    expect(timeLeft(paused, 99_000)).toBe(120_000)
    const longer = resetTimer(newTimer(), 0, 180_000)
    expect(timeLeft(longer, 0)).toBe(180_000)
  })

  it('does not start when no time is left', () => {
    const done = pauseTimer(startTimer(newTimer(1_000), 0), 5_000)
    expect(done.leftMs).toBe(0)
    expect(startTimer(done, 6_000)).toBe(done)
  })

  it('shows m:ss, rounding up', () => {
    expect(formatClock(120_000)).toBe('2:00')
    expect(formatClock(119_001)).toBe('2:00')
    expect(formatClock(65_000)).toBe('1:05')
    expect(formatClock(900)).toBe('0:01')
    expect(formatClock(0)).toBe('0:00')
    expect(formatClock(-5)).toBe('0:00')
  })

  it('announces 1 minute, 30 seconds and time up, not every second', () => {
    expect(timerAnnouncement(60_200, 59_950)).toBe('1 minute left.')
    expect(timerAnnouncement(30_100, 29_900)).toBe('30 seconds left.')
    expect(timerAnnouncement(200, 0)).toBe("Time's up for this rep.")
    expect(timerAnnouncement(90_000, 89_750)).toBeNull()
    expect(timerAnnouncement(0, 0)).toBeNull()
    let said = 0
    for (let left = 120_000; left > -1_000; left -= 250) if (timerAnnouncement(left + 250, Math.max(0, left))) said += 1
    expect(said).toBe(3)
  })

  it('walks reps within bounds', () => {
    expect(stepIndex(0, 1, 6)).toBe(1)
    expect(stepIndex(5, 1, 6)).toBe(5)
    expect(stepIndex(0, -1, 6)).toBe(0)
    expect(stepIndex(3, -1, 6)).toBe(2)
    expect(stepIndex(0, 1, 0)).toBe(0)
  })
})

describe('words and keys', () => {
  it('says streaks and first names plainly', () => {
    expect(streakText(3)).toBe('3 weeks on plan')
    expect(streakText(1)).toBe('1 week on plan')
    expect(streakText(0)).toBe('No streak yet')
    expect(firstName('Riley Fischer')).toBe('Riley')
  })

  it('makes client keys the server accepts, different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, newClientKey))
    expect(keys.size).toBe(50)
    for (const key of keys) expect(key).toMatch(CLIENT_KEY)
  })
})

describe('navigation of the review screens', () => {
  const team = { id: 1, name: 'Demo team' }
  const manager: Me = { id: 2, email: 'm@x', name: 'M', role: 'manager', time_zone: 'UTC', team: null, managed_teams: [team] }
  const rep: Me = { id: 3, email: 'r@x', name: 'R', role: 'rep', time_zone: 'UTC', team, managed_teams: [] }
  const admin: Me = { id: 1, email: 'a@x', name: 'A', role: 'admin', time_zone: 'UTC', team: null, managed_teams: [] }
  const adminManager: Me = { ...admin, managed_teams: [team] }

  it('lands managers on the team review and keeps the bar at five', () => {
    expect(homePathFor(manager)).toBe('/team')
    expect(navItemsFor(manager).length).toBeLessThanOrEqual(5)
    expect(navItemsFor(adminManager).length).toBeLessThanOrEqual(5)
  })

  it('lets managers reach the review screens and a rep drill-down', () => {
    for (const path of ['/team', '/team/people', '/team/scrum', '/team/coaching', '/team/reps/12'])
      expect(canVisit(manager, path)).toBe(true)
    expect(canVisit(manager, '/insights')).toBe(false)
    expect(canVisit(manager, '/team/reps/abc')).toBe(false)
    expect(canVisit(manager, '/team/reps/0')).toBe(false)
    expect(canVisit(manager, '/team/reps/12/extra')).toBe(false)
  })

  it('lets admins who manage a team in, and no one else', () => {
    expect(canVisit(adminManager, '/team/scrum')).toBe(true)
    expect(canVisit(adminManager, '/team/reps/4')).toBe(true)
    expect(canVisit(admin, '/team/scrum')).toBe(false)
    expect(canVisit(admin, '/team/reps/4')).toBe(false)
  })

  it('gives reps their own insights, not the team screens', () => {
    expect(canVisit(rep, '/insights')).toBe(true)
    expect(canVisit(rep, '/team')).toBe(false)
    expect(canVisit(rep, '/team/reps/3')).toBe(false)
  })

  it('reads the rep id of a drill-down path', () => {
    expect(drilldownRepId('/team/reps/42')).toBe(42)
    expect(drilldownRepId('/team/reps/')).toBeNull()
    expect(drilldownRepId('/team/reps/042')).toBeNull()
  })
})
