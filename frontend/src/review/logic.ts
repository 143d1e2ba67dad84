// Pure rules of the manager review screens: weeks, filters, percentages, export ranges,
// the scrum timer, kudos keys. No DOM, no network: unit-tested in frontend/tests/review.test.ts.
import type { CoachingQuestion, NewKudos, RepReviewRow, Signal } from '@contract/types'
import { addDays } from '../plans/weeks'

export type SignalKind = Signal['kind']
export type KudosKind = NonNullable<NewKudos['signal']>
export type GapKind = CoachingQuestion['gap']

/** How far back the server reviews (backend/review/service.py MAX_WEEKS_BACK). */
export const MAX_WEEKS_BACK = 104
/** The longest CSV export, in days, both ends included (MAX_EXPORT_DAYS). */
export const MAX_EXPORT_DAYS = 366
export const DEFAULT_EXPORT_DAYS = 90
export const KUDOS_MESSAGE_MAX = 280
export const QUESTION_MIN = 10
export const QUESTION_MAX = 300

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

/** Whole days from `a` to `b` (calendar dates, no time zones). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)
}

export function isMonday(iso: string): boolean {
  return isIsoDate(iso) && new Date(`${iso}T00:00:00Z`).getUTCDay() === 1
}

// ---------------------------------------------------------------- weeks

export interface WeekNav {
  week: string
  current: string
  isCurrent: boolean
  /** The week before, or null at the oldest week the server reviews. */
  previous: string | null
  /** The week after, or null when that week has not started. */
  next: string | null
}

export function oldestWeek(current: string): string {
  return addDays(current, -7 * MAX_WEEKS_BACK)
}

/** Where the week picker can go from `week` when this week starts on `current`. */
export function weekNav(week: string, current: string): WeekNav {
  const previous = addDays(week, -7)
  const next = addDays(week, 7)
  return {
    week,
    current,
    isCurrent: week === current,
    previous: previous >= oldestWeek(current) ? previous : null,
    next: next <= current ? next : null,
  }
}

/** The `week` a URL asks for: a Monday, or null (this week). Unknown values fall back to null. */
export function weekFromSearch(search: string): string | null {
  const value = new URLSearchParams(search).get('week')
  return value && isMonday(value) ? value : null
}

/** Query string for a review path: `?week=` only when it is not this week (plus other params). */
export function reviewQuery(week: string | null, current: string | null, extra: Record<string, string | null> = {}): string {
  const params = new URLSearchParams()
  if (week && week !== current) params.set('week', week)
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value)
  const text = params.toString()
  return text ? `?${text}` : ''
}

export function drilldownPath(userId: number, week: string | null, current: string | null): string {
  return `/team/reps/${userId}${reviewQuery(week, current)}`
}

// ---------------------------------------------------------------- filters

export type ReviewFilter = 'all' | 'conversation' | 'watch' | 'kudos' | 'pending'

export const FILTERS: { value: ReviewFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'conversation', label: 'Needs a conversation' },
  { value: 'watch', label: 'Watch' },
  { value: 'kudos', label: 'Kudos' },
  { value: 'pending', label: 'Pending sync' },
]

type FilterFields = Pick<RepReviewRow, 'signals' | 'pending_sync' | 'attention'>

export function signalsOf(row: Pick<RepReviewRow, 'signals'>, group: Signal['group']): Signal[] {
  return row.signals.filter((s) => s.group === group)
}

export type SignalTier = 'talk' | 'watch' | 'kudos'

/** A row's signals as the card groups them: worth a conversation, to watch, kudos. A
 *  conversation signal without a severity (an older server) counts as worth a talk. */
export function signalTiers(row: Pick<RepReviewRow, 'signals'>): Record<SignalTier, Signal[]> {
  const tiers: Record<SignalTier, Signal[]> = { talk: [], watch: [], kudos: [] }
  for (const s of row.signals) tiers[s.group === 'kudos' ? 'kudos' : s.severity === 'watch' ? 'watch' : 'talk'].push(s)
  return tiers
}

export function matchesFilter(row: FilterFields, filter: ReviewFilter): boolean {
  switch (filter) {
    case 'all':
      return true
    case 'conversation':
      return attentionOf(row) === 'talk'
    case 'watch':
      return attentionOf(row) === 'watch'
    case 'kudos':
      return row.signals.some((s) => s.group === 'kudos')
    case 'pending':
      return row.pending_sync
  }
}

/** The rows a filter keeps, in the server's order (who needs attention first). */
export function filterRows<T extends FilterFields>(rows: T[], filter: ReviewFilter): T[] {
  return rows.filter((row) => matchesFilter(row, filter))
}

export function filterCounts(rows: FilterFields[]): Record<ReviewFilter, number> {
  return {
    all: rows.length,
    conversation: filterRows(rows, 'conversation').length,
    watch: filterRows(rows, 'watch').length,
    kudos: filterRows(rows, 'kudos').length,
    pending: filterRows(rows, 'pending').length,
  }
}

// ---------------------------------------------------------------- the team table

/** The diagnosis in one word (the server always sends it; an older one sent none: "ok"). */
export type Attention = NonNullable<RepReviewRow['attention']>

export function attentionOf(row: Pick<RepReviewRow, 'attention'>): Attention {
  return row.attention ?? 'ok'
}

export const ATTENTION_LABELS: Record<Attention, string> = {
  talk: 'Talk',
  watch: 'Watch',
  kudos: 'Kudos',
  ok: 'OK',
  pending: 'Pending sync',
  away: 'Away',
}

/** Most urgent first: the order the "Attention" column sorts by. */
const ATTENTION_RANK: Record<Attention, number> = { talk: 0, watch: 1, pending: 2, kudos: 3, away: 4, ok: 5 }

/** Worst first, like the attention order. */
const PACE_RANK: Record<RepReviewRow['pace_status'], number> = { behind: 0, no_plan: 1, on_track: 2, ahead: 3, done: 4 }

export type SortKey = 'attention' | 'name' | 'attainment' | 'pace' | 'last_sync' | 'streak'
export type SortDir = 'ascending' | 'descending'
export interface Sort {
  key: SortKey
  dir: SortDir
}

/** The default: the server's order (who needs attention first). */
export const DEFAULT_SORT: Sort = { key: 'attention', dir: 'ascending' }

/** The direction a column starts in when first chosen: what a manager looks for first
 *  (A–Z, most urgent, lowest plan, worst pace, oldest sync, shortest streak). */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key !== key) return { key, dir: 'ascending' }
  return { key, dir: current.dir === 'ascending' ? 'descending' : 'ascending' }
}

type SortFields = Pick<RepReviewRow, 'name' | 'attention' | 'attainment' | 'pace_status' | 'pending_sync' | 'last_sync_at' | 'streak'>

function sortValue(row: SortFields, key: Exclude<SortKey, 'name'>): number {
  switch (key) {
    case 'attention':
      return ATTENTION_RANK[attentionOf(row)]
    case 'attainment':
      return row.attainment
    case 'pace':
      // Pace is not judged while logs wait on a device: those sort after every judged pace.
      return row.pending_sync ? 9 : PACE_RANK[row.pace_status]
    case 'last_sync':
      // Never synced is the oldest of all.
      return row.last_sync_at ? Date.parse(row.last_sync_at) : -Infinity
    case 'streak':
      return row.streak
  }
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })

/** The rows in a column's order; ties keep the server's order (stable sort). */
export function sortRows<T extends SortFields>(rows: T[], sort: Sort): T[] {
  const sign = sort.dir === 'ascending' ? 1 : -1
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const diff =
        sort.key === 'name' ? collator.compare(a.row.name, b.row.name) : sortValue(a.row, sort.key) - sortValue(b.row, sort.key)
      return diff !== 0 && !Number.isNaN(diff) ? sign * diff : a.index - b.index
    })
    .map(({ row }) => row)
}

/** Lower case without accents, so "jose" finds "José". */
function folded(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

/** Reps whose name contains every word typed (any order, any case, accents ignored). */
export function searchRows<T extends Pick<RepReviewRow, 'name'>>(rows: T[], query: string): T[] {
  const words = folded(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return rows
  return rows.filter((row) => {
    const name = folded(row.name)
    return words.every((w) => name.includes(w))
  })
}

/** The week and team a rep's screen was opened with (?week=, ?team=), as a query string to
 *  pass on to the next rep screen and back to the team screen; other parameters are not
 *  the team screen's. */
export function teamViewQuery(search: string): string {
  const asked = new URLSearchParams(search)
  const params = new URLSearchParams()
  const week = asked.get('week')
  const team = asked.get('team')
  if (week && isMonday(week)) params.set('week', week)
  if (team && /^[1-9]\d{0,9}$/.test(team)) params.set('team', team)
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** "Back to the team", to the same week and team the rep's screen was opened from. */
export function teamBackPath(search: string): string {
  return `/team${teamViewQuery(search)}`
}

/** A rep's screen (drill-down or check-in) opened from the team screen: `?week=` (when
 *  not this week) and `?team=` (when not the first team), so "Back to the team" returns
 *  to the same view. */
export function repPath(
  userId: number,
  view: 'drilldown' | 'checkin',
  week: string | null,
  current: string | null,
  team: string | null = null,
): string {
  return `/team/reps/${userId}${view === 'checkin' ? '/checkin' : ''}${reviewQuery(week, current, { team })}`
}

export function filterFromSearch(search: string): ReviewFilter {
  const value = new URLSearchParams(search).get('show')
  return FILTERS.some((f) => f.value === value) ? (value as ReviewFilter) : 'all'
}

// ---------------------------------------------------------------- words

export const SIGNAL_LABELS: Record<SignalKind, string> = {
  behind_pace: 'Behind pace',
  silent: 'Gone quiet',
  low_quality: 'Quality below the bar',
  conversion_drop: 'Conversion dropped',
  no_plan: 'No plan',
  not_sure: '“Not sure” answers',
  commitments_missed: 'Commitments missed',
  new_rep: 'New on the team',
  plan_met: 'Plan met',
  most_improved: 'Most improved',
  streak_milestone: 'Streak',
  won_deal: 'Won a deal',
}

export const KUDOS_KINDS: KudosKind[] = ['plan_met', 'most_improved', 'streak_milestone', 'won_deal']

export function isKudosKind(kind: SignalKind): kind is KudosKind {
  return (KUDOS_KINDS as string[]).includes(kind)
}

export const GAPS: GapKind[] = [
  'silent',
  'low_volume',
  'weak_conversion',
  'low_quality',
  'no_plan',
  'new_rep',
  'commitments',
  'not_sure',
  'pending_sync',
  'inconsistency',
  'growth',
]

export const GAP_LABELS: Record<GapKind, string> = {
  low_volume: 'Not enough activity',
  weak_conversion: 'Activity that does not convert',
  low_quality: 'Quality below the bar',
  no_plan: 'No plan for the week',
  inconsistency: 'Uneven from week to week',
  growth: 'Doing well: room to grow',
  silent: 'Gone quiet',
  new_rep: 'New on the team',
  commitments: 'Commitments not kept',
  not_sure: 'Unsure how to be held accountable',
  pending_sync: 'Logs still on the phone',
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name
}

export function streakText(weeks: number): string {
  if (weeks <= 0) return 'No streak yet'
  return `${weeks} ${weeks === 1 ? 'week' : 'weeks'} on plan`
}

/** Whole percent for a 0–1 share, e.g. 0.352 → 35. */
export function percentOf(share: number): number {
  return Math.round(share * 100)
}

// ---------------------------------------------------------------- percentages

/** A 0–1 share as a percentage for a form field: 0.8 → "80", 0.333 → "33.3". */
export function shareToPercentText(share: number): string {
  const value = Math.round(share * 1000) / 10
  return String(value)
}

/**
 * A typed percentage as a 0–1 share, or null when it is not a number in range.
 * `exclusiveMin`/`exclusiveMax` mirror the server's gt/lt bounds.
 */
export function percentTextToShare(
  text: string,
  { exclusiveMin = false, exclusiveMax = false }: { exclusiveMin?: boolean; exclusiveMax?: boolean } = {},
): number | null {
  const trimmed = text.trim().replace(',', '.')
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null
  const percent = Number(trimmed)
  if (percent < 0 || percent > 100) return null
  if (exclusiveMin && percent === 0) return null
  if (exclusiveMax && percent === 100) return null
  return Math.round(percent * 10) / 1000
}

/** A whole number in [min, max], or null. */
export function parseWhole(text: string, min: number, max: number): number | null {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) return null
  const value = Number(trimmed)
  return value >= min && value <= max ? value : null
}

/** "3, 5, 8" → [3, 5, 8] (sorted, unique), or an error sentence. */
export function parseMilestones(text: string): { value: number[] } | { error: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean)
  if (parts.length === 0) return { error: 'List at least one streak length, e.g. 3, 5, 8.' }
  const values: number[] = []
  for (const part of parts) {
    const n = parseWhole(part, 2, 104)
    if (n === null) return { error: `“${part}” is not a whole number of weeks from 2 to 104.` }
    values.push(n)
  }
  const unique = [...new Set(values)].sort((a, b) => a - b)
  if (unique.length > 10) return { error: 'List at most 10 streak lengths.' }
  return { value: unique }
}

/** Field errors from the server keyed like "streak_milestones[0]" belong to "streak_milestones". */
export function fieldKey(key: string): string {
  return key.replace(/\[\d+\]$/, '')
}

// ---------------------------------------------------------------- export

export interface ExportRange {
  from: string
  to: string
}

/** The last `days` days up to `today`, both included. */
export function defaultExportRange(today: string, days = DEFAULT_EXPORT_DAYS): ExportRange {
  return { from: addDays(today, -(days - 1)), to: today }
}

/** Problems with an export range, per field (empty when fine). */
export function validateExportRange(range: ExportRange): Partial<Record<'from' | 'to', string>> {
  const problems: Partial<Record<'from' | 'to', string>> = {}
  if (!isIsoDate(range.from)) problems.from = 'Pick the first day to export.'
  if (!isIsoDate(range.to)) problems.to = 'Pick the last day to export.'
  if (problems.from || problems.to) return problems
  const days = daysBetween(range.from, range.to) + 1
  if (days < 1) problems.to = 'The last day comes before the first day: pick a day on or after it.'
  else if (days > MAX_EXPORT_DAYS)
    problems.to = `That is ${days} days; export at most ${MAX_EXPORT_DAYS} days at a time (split the range).`
  return problems
}

// ---------------------------------------------------------------- scrum timer

export const DEFAULT_TURN_MS = 2 * 60_000

/** A countdown that survives re-renders: time left is derived from a start instant. */
export interface TimerState {
  durationMs: number
  /** Time left when the timer last paused (or was reset). */
  leftMs: number
  /** When it was last started (ms since epoch), or null while paused. */
  startedAt: number | null
}

export function newTimer(durationMs = DEFAULT_TURN_MS): TimerState {
  return { durationMs, leftMs: durationMs, startedAt: null }
}

export function timeLeft(timer: TimerState, now: number): number {
  if (timer.startedAt === null) return timer.leftMs
  return Math.max(0, timer.leftMs - (now - timer.startedAt))
}

export function isRunning(timer: TimerState): boolean {
  return timer.startedAt !== null
}

export function startTimer(timer: TimerState, now: number): TimerState {
  if (timer.startedAt !== null || timer.leftMs <= 0) return timer
  return { ...timer, startedAt: now }
}

export function pauseTimer(timer: TimerState, now: number): TimerState {
  if (timer.startedAt === null) return timer
  return { ...timer, leftMs: timeLeft(timer, now), startedAt: null }
}

/** Back to the full turn; keeps running if it was running (the next rep's turn starts). */
export function resetTimer(timer: TimerState, now: number, durationMs = timer.durationMs): TimerState {
  return { durationMs, leftMs: durationMs, startedAt: timer.startedAt === null ? null : now }
}

/** "1:05" for 65 s left (rounded up, so the display reaches 0:00 only at the end). */
export function formatClock(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000)
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  return `${minutes}:${String(seconds).padStart(2, '0')}`
}

/** Moments worth announcing to screen readers (not every second): 1 minute, 30 s, time's up. */
const MILESTONES_MS = [60_000, 30_000, 0]

/** The announcement when the time left crosses a milestone between two ticks, else null. */
export function timerAnnouncement(beforeMs: number, afterMs: number): string | null {
  for (const mark of MILESTONES_MS) {
    const crossed = mark === 0 ? beforeMs > 0 && afterMs <= 0 : beforeMs > mark && afterMs <= mark
    if (!crossed) continue
    if (mark === 0) return "Time's up for this rep."
    return mark === 60_000 ? '1 minute left.' : '30 seconds left.'
  }
  return null
}

/** The next index within [0, count) after a step, or the same index at either end. */
export function stepIndex(index: number, step: number, count: number): number {
  if (count <= 0) return 0
  return Math.min(count - 1, Math.max(0, index + step))
}

// ---------------------------------------------------------------- keys

/** A client-made idempotency key: 32 characters of [0-9a-f] (fits ^[A-Za-z0-9_-]{8,64}$). */
export function newClientKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID().replace(/-/g, '')
  let key = 'k'
  while (key.length < 32) key += Math.random().toString(36).slice(2)
  return key.slice(0, 32)
}

export const CLIENT_KEY = /^[A-Za-z0-9_-]{8,64}$/
