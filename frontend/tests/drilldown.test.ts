import { describe, expect, it } from 'vitest'
import type { QualityPoint, Signal, TypeTrend } from '@contract/types'
import {
  activeFrom,
  bandScale,
  labelEvery,
  linearScale,
  niceScale,
  niceStep,
  qualitySummary,
  shownLabels,
  trendSummary,
} from '../src/review/drilldown/chart'
import {
  activityTime,
  compare,
  formatRatio,
  groupSignals,
  perWeek,
  pluralName,
  ratioGapText,
  ratioText,
  searchWithWeek,
  stageLabel,
  stageSpoken,
  streakText,
  volumeGapText,
  weekFromSearch,
  weekSteps,
} from '../src/review/drilldown/format'
import { shortDate } from '../src/plans/weeks'

// Dates are written in the runtime's locale: build the expected words the same way.
const d = (iso: string) => shortDate(iso)

describe('chart scales and ticks', () => {
  it('picks nice steps of 1, 2, 2.5, 5 × 10^k', () => {
    expect(niceStep(0.7)).toBe(1)
    expect(niceStep(1.3)).toBe(2)
    expect(niceStep(2.2)).toBe(2.5)
    expect(niceStep(3)).toBe(5)
    expect(niceStep(7)).toBe(10)
    expect(niceStep(13)).toBe(20)
    expect(niceStep(0)).toBe(1)
    expect(niceStep(Number.NaN)).toBe(1)
  })

  it('covers the largest value with whole-number ticks from 0', () => {
    const scale = niceScale(44)
    expect(scale.max).toBeGreaterThanOrEqual(44)
    expect(scale.ticks[0]).toBe(0)
    expect(scale.ticks[scale.ticks.length - 1]).toBe(scale.max)
    expect(scale.ticks.every((t) => Number.isInteger(t))).toBe(true)
    expect(niceScale(44).ticks).toEqual([0, 20, 40, 60])
  })

  it('never uses fractional steps for small counts', () => {
    expect(niceScale(3).ticks).toEqual([0, 1, 2, 3])
    expect(niceScale(1).step).toBe(1)
  })

  it('has a usable axis when everything is zero', () => {
    const scale = niceScale(0)
    expect(scale.max).toBeGreaterThan(0)
    expect(scale.ticks[0]).toBe(0)
  })

  it('supports fractional scales', () => {
    expect(niceScale(1, 4, false).ticks).toEqual([0, 0.25, 0.5, 0.75, 1])
  })

  it('maps linearly, with y growing downwards', () => {
    const y = linearScale([0, 40], [200, 0])
    expect(y(0)).toBe(200)
    expect(y(40)).toBe(0)
    expect(y(10)).toBe(150)
    // A flat domain does not divide by zero.
    expect(Number.isFinite(linearScale([5, 5], [0, 10])(5))).toBe(true)
  })

  it('splits the plot into equal bands with padding', () => {
    const bands = bandScale(4, 0, 400, 0.5)
    expect(bands.width).toBe(50)
    expect(bands.centre(0)).toBe(50)
    expect(bands.x(0)).toBe(25)
    expect(bands.centre(3)).toBe(350)
  })

  it('thins x labels on narrow charts, always keeping the last week', () => {
    expect(labelEvery(12, 600, 46)).toBe(1)
    expect(labelEvery(12, 280, 46)).toBe(2)
    expect(labelEvery(0, 300)).toBe(1)
    const shown = shownLabels(12, 2)
    expect(shown[11]).toBe(true)
    expect(shown[10]).toBe(false)
    expect(shown.filter(Boolean)).toHaveLength(6)
  })
})

const point = (week_start: string, target: number, done_qualifying: number, done_total = done_qualifying) => ({
  week_start,
  target,
  done_qualifying,
  done_total,
  avg_quality: done_total ? 3.5 : null,
})

const trend: TypeTrend = {
  activity_type_id: 1,
  name: 'Call',
  points: [
    point('2026-10-26', 0, 0),
    point('2026-11-02', 40, 42, 44),
    point('2026-11-09', 40, 30, 33),
    point('2026-11-16', 40, 41),
    point('2026-11-23', 44, 14),
  ],
}

describe('chart text alternatives', () => {
  it('skips the weeks before anything was planned or logged', () => {
    expect(activeFrom(trend.points)).toBe(1)
    expect(activeFrom([point('2026-11-02', 0, 0)])).toBe(1)
  })

  it('summarises the trend: span, target met, average and the last week', () => {
    const text = trendSummary(trend, true)
    expect(text).toContain(`Call, 5 weeks from ${d('2026-10-26')} to ${d('2026-11-23')}.`)
    expect(text).toContain('Target met in 2 of 3 finished weeks with a plan.')
    expect(text).toContain('On average 37.7 qualifying a week.')
    expect(text).toContain('This week so far: 14 qualifying of a target of 44, 14 logged.')
  })

  it('counts the last week when it is over', () => {
    const text = trendSummary(trend, false)
    expect(text).toContain('Target met in 2 of 4 finished weeks')
    expect(text).toContain(`The week of ${d('2026-11-23')}: 14 qualifying`)
  })

  it('says when nothing was planned or logged', () => {
    expect(trendSummary({ ...trend, points: [point('2026-11-23', 0, 0)] }, true)).toContain('nothing planned or logged')
    expect(trendSummary({ ...trend, points: [] }, true)).toBe('Call: no weeks to show.')
  })

  it('summarises quality over time', () => {
    const points: QualityPoint[] = [
      { week_start: '2026-11-02', avg_quality: null, qualifying_share: null, total: 0 },
      { week_start: '2026-11-09', avg_quality: 3.4, qualifying_share: 0.9, total: 50 },
      { week_start: '2026-11-16', avg_quality: 2.1, qualifying_share: 0.5, total: 40 },
      { week_start: '2026-11-23', avg_quality: 2.6, qualifying_share: 0.55, total: 12 },
    ]
    const text = qualitySummary(points)
    expect(text).toContain('3 weeks with activity')
    expect(text).toContain(`from 3.4 (week of ${d('2026-11-09')}) to 2.6 (week of ${d('2026-11-23')})`)
    expect(text).toContain(`lowest 2.1 in the week of ${d('2026-11-16')}`)
    expect(text).toContain('90% then 55%')
    expect(qualitySummary([])).toContain('no rated activity')
  })
})

describe('ratios and stages', () => {
  it('formats ratios as whole percentages, or says there is too little data', () => {
    expect(formatRatio(0.18)).toBe('18%')
    expect(formatRatio(0.355)).toBe('36%')
    expect(formatRatio(0)).toBe('0%')
    expect(formatRatio(1)).toBe('100%')
    expect(formatRatio(null)).toBeNull()
    expect(formatRatio(undefined)).toBeNull()
    expect(ratioText(null)).toBe('too little data yet')
    expect(ratioText(0.4)).toBe('40%')
  })

  it('names stages in plain words', () => {
    expect(stageLabel({ from_name: 'Meeting', to_name: 'proposals' })).toBe('Meetings → proposals')
    expect(stageSpoken({ from_name: 'Proposal', to_name: 'won deals' })).toBe('Proposals to won deals')
    expect(pluralName('Call')).toBe('Calls')
    expect(pluralName('Follow-up')).toBe('Follow-ups')
    expect(pluralName('Discovery')).toBe('Discoveries')
    expect(pluralName('Demos')).toBe('Demos')
  })

  it('compares the rep with the team, level within a point', () => {
    expect(compare(0.18, 0.35)).toBe('below')
    expect(compare(0.4, 0.35)).toBe('above')
    expect(compare(0.355, 0.35)).toBe('level')
    expect(compare(null, 0.35)).toBe('unknown')
    expect(ratioGapText(0.18, 0.35)).toBe("17 points below the team's median")
    expect(ratioGapText(0.36, 0.35)).toBe("level with the team's median")
    expect(ratioGapText(0.4, null)).toBe('')
  })

  it('describes per-week volume against the team', () => {
    expect(volumeGapText(36, 32)).toBe('+13% vs the team median')
    expect(volumeGapText(5.5, 6)).toBe('−8% vs the team median')
    expect(volumeGapText(6.1, 6)).toBe('about the team median')
    expect(volumeGapText(0, 0)).toBe('')
    expect(perWeek(7)).toBe('7')
    expect(perWeek(2.25)).toBe('2.3')
  })
})

describe('signals, weeks and activity', () => {
  it('groups signals into conversation, watch and kudos, keeping their order', () => {
    const signals: Signal[] = [
      { kind: 'behind_pace', group: 'conversation', reason: 'a', severity: 'talk' },
      { kind: 'streak_milestone', group: 'kudos', reason: 'b' },
      { kind: 'low_quality', group: 'conversation', reason: 'c', severity: 'watch' },
      { kind: 'silent', group: 'conversation', reason: 'e', severity: 'talk' },
      { kind: 'won_deal', group: 'kudos', reason: 'd' },
    ]
    const grouped = groupSignals(signals)
    expect(grouped.conversation.map((s) => s.reason)).toEqual(['a', 'e'])
    expect(grouped.watch.map((s) => s.reason)).toEqual(['c'])
    expect(grouped.kudos.map((s) => s.reason)).toEqual(['b', 'd'])
    expect(groupSignals([])).toEqual({ conversation: [], watch: [], kudos: [] })
  })

  it('reads and writes the week in the address', () => {
    expect(weekFromSearch('?week=2026-11-16')).toBe('2026-11-16')
    expect(weekFromSearch('?week=yesterday')).toBeUndefined()
    expect(weekFromSearch('')).toBeUndefined()
    expect(searchWithWeek('', '2026-11-16')).toBe('?week=2026-11-16')
    expect(searchWithWeek('?week=2026-11-16&x=1', undefined)).toBe('?x=1')
    expect(searchWithWeek('?week=2026-11-16', undefined)).toBe('')
  })

  it('steps weeks, with no next week past the current one', () => {
    expect(weekSteps('2026-11-16', '2026-11-23')).toEqual({ previous: '2026-11-09', next: '2026-11-23', isCurrent: false })
    expect(weekSteps('2026-11-23', '2026-11-23')).toEqual({ previous: '2026-11-16', next: null, isCurrent: true })
    expect(weekSteps('2026-12-28', '2027-01-04').next).toBe('2027-01-04')
  })

  it('words streaks and activity times in the rep zone', () => {
    expect(streakText(0)).toBe('No streak yet')
    expect(streakText(1)).toBe('1 week in a row on plan')
    expect(streakText(3)).toBe('3 weeks in a row on plan')
    expect(activityTime({ occurred_at: '2026-11-25T07:30:00Z', time_zone: 'Europe/Berlin' })).toBe(
      'Wed 25 Nov, 08:30 (Europe/Berlin)',
    )
    expect(activityTime({ occurred_at: '2026-11-25T07:30:00Z', time_zone: 'Not/AZone' })).toContain('(UTC)')
  })
})
