// Week starts (Mondays, "YYYY-MM-DD") for the plan screens: pure date arithmetic on
// calendar dates, no time zones (the Monday itself comes from time/week.ts).
import { weekDays } from '../time/week'
import { dateTimeFormat } from '../time/intl'

const DAY_MS = 86_400_000

function parse(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number)
  return new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1))
}

/** `iso` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  return new Date(parse(iso).getTime() + days * DAY_MS).toISOString().slice(0, 10)
}

/** The Monday of the week before. */
export function previousMonday(weekStart: string): string {
  return addDays(weekStart, -7)
}

export function nextMonday(weekStart: string): string {
  return addDays(weekStart, 7)
}

/** The Monday of today's week in `timeZone`. */
export function thisMonday(now: Date, timeZone: string): string {
  return weekDays(now, timeZone)[0]!.iso
}

/** "3 Nov" (or "3 Nov 2025" with year). */
export function shortDate(iso: string, withYear = false, locale?: string): string {
  return dateTimeFormat(locale, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
  }).format(parse(iso))
}

export interface WeekOption {
  value: string
  label: string
}

/** "This week (3 Nov)" / "Next week (10 Nov)" / "Week of 27 Oct". */
export function weekLabel(weekStart: string, current: string): string {
  if (weekStart === current) return `This week (from ${shortDate(weekStart)})`
  if (weekStart === nextMonday(current)) return `Next week (from ${shortDate(weekStart)})`
  if (weekStart === previousMonday(current)) return `Last week (from ${shortDate(weekStart)})`
  return `Week of ${shortDate(weekStart, true)}`
}

/** The weeks a rep can plan: this week and next week. */
export function planWeeks(current: string): WeekOption[] {
  return [current, nextMonday(current)].map((value) => ({ value, label: weekLabel(value, current) }))
}

/** Weeks a manager reviews: next week, this week, then `past` earlier weeks. */
export function reviewWeeks(current: string, past = 8): WeekOption[] {
  const weeks = [nextMonday(current), current]
  for (let i = 1; i <= past; i += 1) weeks.push(addDays(current, -7 * i))
  return weeks.map((value) => ({ value, label: weekLabel(value, current) }))
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
export const WEEKDAYS_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
