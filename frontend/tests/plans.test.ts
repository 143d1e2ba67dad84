import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FunnelResult, PaceBody } from '@contract/types'
import {
  clampTarget,
  latestOnly,
  percentToRatio,
  ratioOverrides,
  ratioToPercent,
  targetsFromFunnel,
  toPlanTargets,
} from '../src/plans/funnel'
import { paceStatus, perDayLeft, perDayText, restatePace } from '../src/plans/pace'
import { addDays, planWeeks, previousMonday, reviewWeeks, thisMonday, weekLabel } from '../src/plans/weeks'

const pace = (over: Partial<PaceBody> = {}): PaceBody => ({
  status: 'on_track',
  expected_by_now: 4,
  expected_by_end_of_today: 6,
  working_days_left: 3,
  per_day_left: 2,
  ...over,
})

describe('client pace restatement (PaceBody rule)', () => {
  it('follows done / behind / ahead / on track in that order', () => {
    const p = pace()
    expect(paceStatus(10, 10, p)).toBe('done')
    expect(paceStatus(10, 12, p)).toBe('done')
    expect(paceStatus(10, 3, p)).toBe('behind')
    expect(paceStatus(10, 4, p)).toBe('on_track')
    expect(paceStatus(10, 6, p)).toBe('on_track')
    expect(paceStatus(10, 7, p)).toBe('ahead')
  })

  it('has no plan without a target, even with activity', () => {
    expect(paceStatus(0, 5, pace())).toBe('no_plan')
  })

  it('done wins over behind when the target is small', () => {
    expect(paceStatus(2, 2, pace({ expected_by_now: 5 }))).toBe('done')
  })

  it('spreads what is left over the working days left, rounded up', () => {
    expect(perDayLeft(10, 3, 3)).toBe(3)
    expect(perDayLeft(10, 4, 3)).toBe(2)
    expect(perDayLeft(10, 12, 3)).toBe(0)
    expect(perDayLeft(10, 3, 0)).toBe(7)
  })

  it('restates the server pace with local counts', () => {
    const server = pace({ status: 'behind', per_day_left: 4 })
    const local = restatePace(12, 7, server)
    expect(local.status).toBe('ahead')
    expect(local.per_day_left).toBe(2)
    expect(local.expected_by_now).toBe(server.expected_by_now)
    expect(restatePace(0, 3, server)).toMatchObject({ status: 'no_plan', per_day_left: 0 })
  })

  it('words the daily need', () => {
    expect(perDayText(pace({ per_day_left: 2, working_days_left: 3 }), 10)).toBe('2 a day for the 3 working days left')
    expect(perDayText(pace({ per_day_left: 5, working_days_left: 1 }), 10)).toBe('5 a day for the 1 working day left')
    expect(perDayText(pace({ status: 'done' }), 10)).toBe('Target reached.')
    expect(perDayText(pace(), 0)).toBe('No target this week.')
  })
})

describe('week starts', () => {
  it('steps across months, years and leap days', () => {
    expect(previousMonday('2026-03-02')).toBe('2026-02-23')
    expect(previousMonday('2024-03-04')).toBe('2024-02-26')
    expect(previousMonday('2026-01-05')).toBe('2025-12-29')
    expect(addDays('2025-12-29', 7)).toBe('2026-01-05')
  })

  it('is not fooled by DST changes', () => {
    // Europe switches on 29 Mar 2026, the US on 8 Mar 2026.
    expect(previousMonday('2026-03-30')).toBe('2026-03-23')
    expect(previousMonday('2026-03-09')).toBe('2026-03-02')
    expect(addDays('2026-10-26', -7)).toBe('2026-10-19')
  })

  it("finds this week's Monday in the rep's zone", () => {
    // Sunday 23:30 in New York is already Monday in Berlin.
    const instant = new Date('2026-03-30T03:30:00Z')
    expect(thisMonday(instant, 'America/New_York')).toBe('2026-03-23')
    expect(thisMonday(instant, 'Europe/Berlin')).toBe('2026-03-30')
  })

  it('offers reps this week and next week only', () => {
    const weeks = planWeeks('2026-03-30')
    expect(weeks.map((w) => w.value)).toEqual(['2026-03-30', '2026-04-06'])
    expect(weeks[0]!.label).toMatch(/^This week/)
    expect(weeks[1]!.label).toMatch(/^Next week/)
  })

  it('offers managers next week, this week and earlier weeks', () => {
    const weeks = reviewWeeks('2026-03-30', 3)
    expect(weeks.map((w) => w.value)).toEqual(['2026-04-06', '2026-03-30', '2026-03-23', '2026-03-16', '2026-03-09'])
    expect(weekLabel('2026-03-23', '2026-03-30')).toMatch(/^Last week/)
    expect(weekLabel('2026-03-09', '2026-03-30')).toMatch(/^Week of/)
  })
})

describe('funnel calculator helpers', () => {
  it('converts ratios to percentages and back', () => {
    expect(ratioToPercent(0.2)).toBe(20)
    expect(ratioToPercent(0.125)).toBe(12.5)
    expect(percentToRatio('20')).toBe(0.2)
    expect(percentToRatio('12,5')).toBe(0.125)
    expect(percentToRatio('100')).toBe(1)
  })

  it('refuses ratios of 0, above 100 %, or not a number', () => {
    for (const bad of ['0', '-5', '100.5', '', 'abc']) expect(percentToRatio(bad)).toBeNull()
  })

  it('sends only valid what-if ratios as overrides', () => {
    expect(ratioOverrides({ 3: '25', 1: '10', 2: '0' })).toEqual([
      { activity_type_id: 1, ratio: 0.1 },
      { activity_type_id: 3, ratio: 0.25 },
    ])
  })

  it('fills plan targets from the weekly needs and keeps the others', () => {
    const funnel = { stages: [{ activity_type_id: 1, weekly: 44 }, { activity_type_id: 2, weekly: 900 }] } as FunnelResult
    expect(targetsFromFunnel({ 1: 3, 5: 11 }, funnel)).toEqual({ 1: 44, 2: 500, 5: 11 })
  })

  it('clamps targets to 0–500 and leaves zeros out of the plan', () => {
    expect(clampTarget(-3)).toBe(0)
    expect(clampTarget(10_000)).toBe(500)
    expect(clampTarget(Number.NaN)).toBe(0)
    expect(toPlanTargets({ 3: 2, 1: 0, 2: 7 })).toEqual([
      { activity_type_id: 2, target: 7 },
      { activity_type_id: 3, target: 2 },
    ])
  })
})

describe('what-if requests: debounced, stale ones cancelled', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs once after the pause, with the latest input', async () => {
    vi.useFakeTimers()
    const calls: number[] = []
    const results: number[] = []
    const runner = latestOnly<number, number>(
      async (n) => {
        calls.push(n)
        return n * 10
      },
      (r) => results.push(r),
      () => undefined,
      250,
    )
    runner.schedule(1)
    await vi.advanceTimersByTimeAsync(100)
    runner.schedule(2)
    await vi.advanceTimersByTimeAsync(100)
    runner.schedule(3)
    await vi.advanceTimersByTimeAsync(249)
    expect(calls).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toEqual([3])
    expect(results).toEqual([30])
  })

  it('aborts a request in flight when a newer one is scheduled, and ignores its answer', async () => {
    vi.useFakeTimers()
    const signals: AbortSignal[] = []
    const resolvers: ((v: string) => void)[] = []
    const results: string[] = []
    const runner = latestOnly<string, string>(
      (input, signal) => {
        signals.push(signal)
        return new Promise((resolve) => resolvers.push(() => resolve(input)))
      },
      (r) => results.push(r),
      () => undefined,
      250,
    )
    runner.schedule('old')
    await vi.advanceTimersByTimeAsync(250)
    runner.schedule('new')
    expect(signals[0]!.aborted).toBe(true)
    await vi.advanceTimersByTimeAsync(250)
    resolvers[1]!('new')
    resolvers[0]!('old')
    await vi.advanceTimersByTimeAsync(0)
    expect(results).toEqual(['new'])
  })

  it('reports only the latest error', async () => {
    vi.useFakeTimers()
    const errors: unknown[] = []
    const runner = latestOnly<number, number>(
      async (n) => {
        throw new Error(`bad ${n}`)
      },
      () => undefined,
      (e) => errors.push((e as Error).message),
      250,
    )
    runner.schedule(1)
    await vi.advanceTimersByTimeAsync(250)
    expect(errors).toEqual(['bad 1'])
    runner.schedule(2)
    runner.cancel()
    await vi.advanceTimersByTimeAsync(500)
    expect(errors).toEqual(['bad 1'])
  })
})
