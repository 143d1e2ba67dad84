import { describe, expect, it } from 'vitest'
import { formatWeekRange, greeting, localDate, weekDays } from '../src/time/week'

const isoDates = (instant: string, zone: string) => weekDays(new Date(instant), zone).map((d) => d.iso)

describe('weekDays', () => {
  it('returns Monday to Sunday of the week containing the instant', () => {
    // Wednesday 25 November 2026, midday UTC.
    expect(isoDates('2026-11-25T12:00:00Z', 'UTC')).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ])
  })

  it("uses the person's own time zone, not UTC", () => {
    // Sunday 29 March 2026, 23:30 UTC is already Monday 01:30 in Berlin (summer time began that night).
    const instant = '2026-03-29T23:30:00Z'
    expect(isoDates(instant, 'UTC')[0]).toBe('2026-03-23')
    expect(isoDates(instant, 'America/Los_Angeles')[0]).toBe('2026-03-23')
    expect(isoDates(instant, 'Europe/Berlin')[0]).toBe('2026-03-30')
    expect(localDate(new Date(instant), 'Europe/Berlin')).toEqual({ year: 2026, month: 3, day: 30 })
  })

  it('marks exactly one day as today, by the local date', () => {
    // Monday 00:30 in Tokyo is still Sunday in UTC.
    const days = weekDays(new Date('2026-11-22T15:30:00Z'), 'Asia/Tokyo')
    expect(days.filter((d) => d.isToday).map((d) => d.iso)).toEqual(['2026-11-23'])
    expect(days[0]?.isToday).toBe(true)
    const utc = weekDays(new Date('2026-11-22T15:30:00Z'), 'UTC')
    expect(utc.filter((d) => d.isToday).map((d) => d.iso)).toEqual(['2026-11-22'])
    expect(utc[6]?.isToday).toBe(true)
  })

  it('gives seven consecutive dates across a DST change', () => {
    // Europe/Berlin moves to summer time on Sunday 29 March 2026; New York on 8 March.
    expect(isoDates('2026-03-27T12:00:00Z', 'Europe/Berlin')).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ])
    const ny = isoDates('2026-11-01T12:00:00Z', 'America/New_York')
    expect(ny[0]).toBe('2026-10-26')
    expect(ny[6]).toBe('2026-11-01')
  })

  it('handles a year boundary and far-east zones', () => {
    // 31 Dec 2026 20:00 UTC is 1 Jan 2027 10:00 in Kiritimati (UTC+14), a Friday.
    const days = isoDates('2026-12-31T20:00:00Z', 'Pacific/Kiritimati')
    expect(days[0]).toBe('2026-12-28')
    expect(days[6]).toBe('2027-01-03')
  })
})

describe('formatting', () => {
  it('formats the week range with both ends in the given locale', () => {
    const days = weekDays(new Date('2026-04-01T12:00:00Z'), 'Europe/Berlin')
    const text = formatWeekRange(days, 'en-GB')
    // ICU versions differ on the comma after the weekday; the dates must not.
    expect(text).toMatch(/^Mon,? 30 Mar/)
    expect(text).toMatch(/Sun,? 5 Apr 2026$/)
  })

  it('shows both years when the week spans New Year', () => {
    const days = weekDays(new Date('2026-12-30T12:00:00Z'), 'UTC')
    const text = formatWeekRange(days, 'en-GB')
    expect(text).toMatch(/28 Dec 2026/)
    expect(text).toMatch(/3 Jan 2027$/)
  })

  it('greets by the wall clock in the time zone', () => {
    const instant = new Date('2026-11-25T08:00:00Z')
    expect(greeting(instant, 'Europe/London')).toBe('Good morning')
    expect(greeting(instant, 'Asia/Tokyo')).toBe('Good afternoon') // 17:00
    expect(greeting(instant, 'America/New_York')).toBe('Good evening') // 03:00
    expect(greeting(instant, 'Asia/Kolkata')).toBe('Good afternoon') // 13:30
  })
})
