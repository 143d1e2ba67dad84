// Calendar weeks (Monday to Sunday) as a person sees them in their own time zone.
// A "calendar date" is represented as a Date at 00:00 UTC of that date, so the arithmetic
// below never crosses a DST change; Intl formats it back with timeZone 'UTC'.
import { dateTimeFormat } from './intl'

const DAY_MS = 86_400_000

export interface CalendarDate {
  year: number
  month: number // 1-12
  day: number
}

export interface WeekDay {
  /** ISO date, e.g. "2026-03-30". */
  iso: string
  /** 1 = Monday ... 7 = Sunday. */
  isoWeekday: number
  isToday: boolean
  /** 00:00 UTC of this calendar date, for formatting with timeZone 'UTC'. */
  utcMidnight: Date
}

/** The calendar date of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): CalendarDate {
  const parts = dateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return { year: get('year'), month: get('month'), day: get('day') }
}

/** The hour (0-23) on the wall clock in `timeZone`. */
export function localHour(instant: Date, timeZone: string): number {
  const hour = dateTimeFormat('en-US', {
    timeZone,
    hour: 'numeric',
    hourCycle: 'h23',
  }).format(instant)
  return Number(hour) % 24
}

function toUtcMidnight(date: CalendarDate): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day))
}

function isoOf(utcMidnight: Date): string {
  return utcMidnight.toISOString().slice(0, 10)
}

/** The seven days (Mon-Sun) of the week containing `instant`, in `timeZone`. */
export function weekDays(instant: Date, timeZone: string): WeekDay[] {
  const today = toUtcMidnight(localDate(instant, timeZone))
  const weekday = ((today.getUTCDay() + 6) % 7) + 1 // Sunday 0 -> 7
  const monday = today.getTime() - (weekday - 1) * DAY_MS
  return Array.from({ length: 7 }, (_, i) => {
    const utcMidnight = new Date(monday + i * DAY_MS)
    return {
      iso: isoOf(utcMidnight),
      isoWeekday: i + 1,
      isToday: utcMidnight.getTime() === today.getTime(),
      utcMidnight,
    }
  })
}

/** "Mon 30 Mar – Sun 5 Apr 2026" (wording follows `locale`). */
export function formatWeekRange(days: WeekDay[], locale?: string): string {
  const first = days[0]
  const last = days[days.length - 1]
  if (!first || !last) return ''
  const format = dateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  })
  return format.formatRange(first.utcMidnight, last.utcMidnight)
}

/** Short label for one day, e.g. "Mon" and "30". */
export function formatDayLabel(day: WeekDay, locale?: string): { weekday: string; date: string; full: string } {
  const opts = { timeZone: 'UTC' } as const
  return {
    weekday: dateTimeFormat(locale, { ...opts, weekday: 'short' }).format(day.utcMidnight),
    date: dateTimeFormat(locale, { ...opts, day: 'numeric' }).format(day.utcMidnight),
    full: dateTimeFormat(locale, {
      ...opts,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    }).format(day.utcMidnight),
  }
}

/** "Good morning" / "Good afternoon" / "Good evening" by the wall clock in `timeZone`. */
export function greeting(instant: Date, timeZone: string): string {
  const hour = localHour(instant, timeZone)
  if (hour >= 5 && hour < 12) return 'Good morning'
  if (hour >= 12 && hour < 18) return 'Good afternoon'
  return 'Good evening'
}
