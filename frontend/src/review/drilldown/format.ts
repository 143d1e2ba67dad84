// Words and numbers of the rep drill-down: ratios, stage names, grouped signals, the
// reviewed week from the address, and the facts of one logged activity. Pure.
import type { RecentActivity, RepReviewRow, Signal, StageConversion } from '@contract/types'
import { addDays } from '../../plans/weeks'
import { dateTimeFormat } from '../../time/intl'

/** "18%", or null when there is too little data to say. */
export function formatRatio(ratio: number | null | undefined): string | null {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return null
  return `${Math.round(ratio * 100)}%`
}

/** A ratio as words a screen reader and a hurried manager both get. */
export function ratioText(ratio: number | null | undefined, tooLittle = 'too little data yet'): string {
  return formatRatio(ratio) ?? tooLittle
}

/** "Call" -> "Calls", "Follow-up" -> "Follow-ups"; already plural names stay. */
export function pluralName(name: string): string {
  const trimmed = name.trim()
  if (!trimmed) return trimmed
  if (/s$/i.test(trimmed)) return trimmed
  if (/[^aeiou]y$/i.test(trimmed)) return `${trimmed.slice(0, -1)}ies`
  return `${trimmed}s`
}

/** "Meetings → proposals". */
export function stageLabel(stage: Pick<StageConversion, 'from_name' | 'to_name'>): string {
  return `${pluralName(stage.from_name)} → ${stage.to_name.toLowerCase()}`
}

/** The same stage for a screen reader: "Meetings to proposals". */
export function stageSpoken(stage: Pick<StageConversion, 'from_name' | 'to_name'>): string {
  return `${pluralName(stage.from_name)} to ${stage.to_name.toLowerCase()}`
}

export type Comparison = 'below' | 'above' | 'level' | 'unknown'

/** How the rep compares with the team: a point or less either way is "level". */
export function compare(rep: number | null | undefined, team: number | null | undefined, tolerance = 0.01): Comparison {
  if (rep === null || rep === undefined || team === null || team === undefined) return 'unknown'
  if (rep < team - tolerance) return 'below'
  if (rep > team + tolerance) return 'above'
  return 'level'
}

/** "7 points below the team's median" / "level with the team" / "" when unknown. */
export function ratioGapText(rep: number | null, team: number | null): string {
  const how = compare(rep, team)
  if (how === 'unknown') return ''
  if (how === 'level') return "level with the team's median"
  const points = Math.round(Math.abs(rep! - team!) * 100)
  return `${points} ${points === 1 ? 'point' : 'points'} ${how} the team's median`
}

/** "+13% vs the team" for per-week volumes; "" when the team has none. */
export function volumeGapText(rep: number, team: number): string {
  if (!(team > 0)) return rep > 0 ? 'the team median is 0' : ''
  const change = Math.round(((rep - team) / team) * 100)
  if (Math.abs(change) < 5) return 'about the team median'
  return `${change > 0 ? '+' : '−'}${Math.abs(change)}% vs the team median`
}

/** One decimal at most: 7 -> "7", 2.25 -> "2.3". */
export function perWeek(value: number): string {
  const rounded = Math.round(value * 10) / 10
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1)
}

export interface GroupedSignals {
  conversation: Signal[]
  watch: Signal[]
  kudos: Signal[]
}

/** Split the row's signals into "needs a conversation" (evidence worth a talk now),
 *  "worth watching" and "deserves kudos", order kept (the server's one diagnosis). */
export function groupSignals(signals: Signal[]): GroupedSignals {
  return {
    conversation: signals.filter((s) => s.group === 'conversation' && s.severity !== 'watch'),
    watch: signals.filter((s) => s.group === 'conversation' && s.severity === 'watch'),
    kudos: signals.filter((s) => s.group === 'kudos'),
  }
}

// One set of signal names for every review screen.
export { SIGNAL_LABELS } from '../logic'

export const PLAN_STATUS_WORDS: Record<RepReviewRow['plan_status'], string> = {
  none: 'No plan this week',
  draft: 'Plan in draft',
  committed: 'Plan committed',
  acknowledged: 'Plan acknowledged',
}

/** "3 weeks in a row on plan" / "Not on plan last week" style streak words. */
export function streakText(streak: number): string {
  if (streak <= 0) return 'No streak yet'
  return `${streak} ${streak === 1 ? 'week' : 'weeks'} in a row on plan`
}

/** The `week` of `?week=YYYY-MM-DD`, when it looks like a date; the server checks the rest. */
export function weekFromSearch(search: string): string | undefined {
  const value = new URLSearchParams(search).get('week')
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined
}

/** The address of the drill-down for `week` (the current week drops the parameter). */
export function searchWithWeek(search: string, week: string | undefined): string {
  const params = new URLSearchParams(search)
  if (week) params.set('week', week)
  else params.delete('week')
  const text = params.toString()
  return text ? `?${text}` : ''
}

export interface WeekSteps {
  previous: string
  /** null when the next week has not started yet. */
  next: string | null
  isCurrent: boolean
}

/** Previous and next weeks around `weekStart`, with `thisWeek` (a Monday) as the last one. */
export function weekSteps(weekStart: string, thisWeek: string): WeekSteps {
  const next = addDays(weekStart, 7)
  return { previous: addDays(weekStart, -7), next: next <= thisWeek ? next : null, isCurrent: weekStart >= thisWeek }
}

/** "1,250" in the viewer's locale; deal values carry no currency in the contract. */
export function formatDealValue(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value)
}

/** "Wed 25 Nov, 08:30 (Europe/Berlin)": when it happened, on the rep's own clock. */
export function activityTime(activity: Pick<RecentActivity, 'occurred_at' | 'time_zone'>, locale = 'en-GB'): string {
  const date = new Date(activity.occurred_at)
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }
  try {
    return `${dateTimeFormat(locale, { ...options, timeZone: activity.time_zone }).format(date)} (${activity.time_zone})`
  } catch {
    return `${dateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date)} (UTC)`
  }
}

/** "Quality 4 of 5", or "" when not rated. */
export function qualityText(quality: number | null): string {
  return quality === null ? '' : `Quality ${quality} of 5`
}

/** The first name, for friendly lines ("Ask Riley…"). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name
}
