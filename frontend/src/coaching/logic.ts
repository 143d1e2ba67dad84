// Pure helpers of the rep's coaching screens (reflection status, commitments in words, the
// timeline grouped by week, the self-coaching "once a day" rule). No DOM, no network, no
// clock of their own: unit-tested in frontend/tests/coaching.test.ts.
import type { Commitment, Kudos, Milestone, Timeline, TimelineEntry } from '@contract/types'
import type { LocalReflection, ReflectionPayload } from '../db'
import { dateTimeFormat } from '../time/intl'

export type SelfCoachingTrigger = 'setback' | 'behind'

/** Outcomes that count as a setback: the log flow offers a self-coaching prompt after them. */
export const SETBACK_OUTCOMES: ReadonlySet<string> = new Set(['no_interest', 'lost'])

export function isSetback(outcome: string): boolean {
  return SETBACK_OUTCOMES.has(outcome)
}

// ---------- Reflection ----------

export type ReflectionState = 'none' | 'pending' | 'rejected' | 'synced'

/** Where a week's reflection stands on this device. */
export function reflectionState(local: LocalReflection | null, rejected: number): ReflectionState {
  if (rejected > 0 && (!local || local.pending === 0)) return 'rejected'
  if (local && local.pending > 0) return 'pending'
  if (!local || !hasContent(local.fields)) return 'none'
  return 'synced'
}

export const REFLECTION_STATE_TEXT: Record<ReflectionState, string> = {
  none: 'Not written yet',
  pending: 'Saved on this phone — will sync',
  rejected: 'Not accepted by the server — see Needs attention',
  synced: 'Synced',
}

export function hasContent(fields: ReflectionPayload): boolean {
  return (
    [fields.wins, fields.stuck, fields.differently, fields.help_wanted].some((t) => t.trim().length > 0) ||
    fields.self_rating !== null ||
    fields.jottings.length > 0
  )
}

export function sameReflection(a: ReflectionPayload, b: ReflectionPayload): boolean {
  return (
    a.week_start === b.week_start &&
    a.wins === b.wins &&
    a.stuck === b.stuck &&
    a.differently === b.differently &&
    a.help_wanted === b.help_wanted &&
    a.self_rating === b.self_rating &&
    a.jottings.length === b.jottings.length &&
    a.jottings.every((j, i) => j === b.jottings[i])
  )
}

export const RATING_WORDS: Record<number, string> = { 1: 'Tough', 2: 'Hard', 3: 'OK', 4: 'Good', 5: 'Great' }

// ---------- Weeks and dates ----------

const DAY_MS = 86_400_000

function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`)
}

export function addDays(iso: string, days: number): string {
  return new Date(utcDate(iso).getTime() + days * DAY_MS).toISOString().slice(0, 10)
}

/** "Week of 23 Nov 2026". */
export function weekLabel(weekStart: string, locale?: string): string {
  const date = dateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(
    utcDate(weekStart),
  )
  return `Week of ${date}`
}

/** "Mon 23 – Sun 29 Nov 2026". */
export function weekRangeLabel(weekStart: string, locale?: string): string {
  const format = dateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
  return format.formatRange(utcDate(weekStart), utcDate(addDays(weekStart, 6)))
}

// ---------- Commitments ----------

export const COMMITMENT_STATUS_TEXT: Record<Commitment['status'], string> = {
  open: 'Open',
  met: 'Kept',
  partly: 'Partly kept',
  not_met: 'Not kept',
  to_review: 'To review at your next 1:1',
}

/** Commitments still in play: open, or waiting for the manager's verdict. */
export function openCommitments(list: Commitment[]): Commitment[] {
  return list
    .filter((c) => c.status === 'open' || c.status === 'to_review')
    .sort((a, b) => (a.due_on < b.due_on ? -1 : a.due_on > b.due_on ? 1 : a.id - b.id))
}

function plural(name: string, count: number): string {
  const lower = name.toLocaleLowerCase()
  if (count === 1) return lower
  return /(s|x|ch|sh)$/.test(lower) ? `${lower}es` : `${lower}s`
}

/** "due today", "due Fri", "due 3 Dec", "was due 20 Nov". `today` is the rep's local date. */
export function dueText(dueOn: string, today: string, locale?: string): string {
  const days = Math.round((utcDate(dueOn).getTime() - utcDate(today).getTime()) / DAY_MS)
  if (days === 0) return 'due today'
  if (days === 1) return 'due tomorrow'
  const opts = { timeZone: 'UTC' } as const
  if (days > 1 && days < 7) return `due ${dateTimeFormat(locale, { ...opts, weekday: 'short' }).format(utcDate(dueOn))}`
  const date = dateTimeFormat(locale, { ...opts, day: 'numeric', month: 'short' }).format(utcDate(dueOn))
  return days < 0 ? `was due ${date}` : `due ${date}`
}

/** "2 of 3 follow-ups — due Fri" for measurable ones; "due Fri" for the others. */
export function commitmentProgress(c: Commitment, today: string, locale?: string): string {
  const due = dueText(c.due_on, today, locale)
  if (c.target_count != null && c.activity_type_name) {
    return `${c.done_count ?? 0} of ${c.target_count} ${plural(c.activity_type_name, c.target_count)} — ${due}`
  }
  return due.charAt(0).toUpperCase() + due.slice(1)
}

// ---------- Timeline ----------

export interface TimelineWeek {
  week_start: string
  /** Celebrations of this week (milestones), shown first. */
  milestones: Array<{ title: string; detail: string | null; kind: string }>
  /** Everything else, newest first. */
  entries: TimelineEntry[]
}

function kudosEntry(k: Kudos): TimelineEntry {
  return {
    kind: 'kudos',
    at: k.created_at,
    week_start: k.week_start,
    title: `Kudos from ${k.from_name}`,
    detail: k.message ?? k.reason ?? null,
  }
}

/**
 * The timeline grouped by week, newest week first. Milestones (whether they come as
 * entries or only in `milestones`) are listed once per week as celebrations; kudos that
 * are not among the entries are added from `kudos`.
 */
export function groupTimeline(timeline: Timeline): TimelineWeek[] {
  const weeks = new Map<string, TimelineWeek>()
  const weekOf = (weekStart: string) => {
    let week = weeks.get(weekStart)
    if (!week) {
      week = { week_start: weekStart, milestones: [], entries: [] }
      weeks.set(weekStart, week)
    }
    return week
  }
  // Milestones: the specific kind from `milestones`, the detail from an entry if it has one.
  const milestoneByKey = new Map<string, TimelineWeek['milestones'][number]>()
  const addMilestone = (weekStart: string, title: string, detail: string | null, kind: string) => {
    const key = `${weekStart}|${title}`
    const known = milestoneByKey.get(key)
    if (known) {
      known.detail ??= detail
      return
    }
    const item = { title, detail, kind }
    milestoneByKey.set(key, item)
    weekOf(weekStart).milestones.push(item)
  }
  for (const m of timeline.milestones as Milestone[]) addMilestone(m.week_start, m.title, null, m.kind)
  const hasKudosEntries = timeline.entries.some((e) => e.kind === 'kudos')
  const entries = hasKudosEntries ? timeline.entries : [...timeline.entries, ...timeline.kudos.map(kudosEntry)]
  for (const entry of entries) {
    if (entry.kind === 'milestone') addMilestone(entry.week_start, entry.title, entry.detail ?? null, 'milestone')
    else weekOf(entry.week_start).entries.push(entry)
  }
  for (const week of weeks.values()) week.entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
  return [...weeks.values()].sort((a, b) => (a.week_start < b.week_start ? 1 : a.week_start > b.week_start ? -1 : 0))
}

export const TIMELINE_KIND_TEXT: Record<TimelineEntry['kind'], string> = {
  checkin: '1:1 check-in',
  reflection: 'Reflection',
  commitment: 'Commitment',
  kudos: 'Kudos',
  milestone: 'Milestone',
}

// ---------- Self-coaching: one prompt at a time, not again the same day once dismissed ----------

/** Local storage, or a stand-in in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

const PREFIX = 'followthrough:self-coaching'

export function dismissedKey(userId: number, trigger: SelfCoachingTrigger): string {
  return `${PREFIX}:dismissed:${userId}:${trigger}`
}

export function cacheKey(userId: number, trigger: SelfCoachingTrigger): string {
  return `${PREFIX}:prompt:${userId}:${trigger}`
}

function read(store: KeyValueStore | null, key: string): string | null {
  try {
    return store?.getItem(key) ?? null
  } catch {
    return null
  }
}

function write(store: KeyValueStore | null, key: string, value: string | null): void {
  try {
    if (value === null) store?.removeItem(key)
    else store?.setItem(key, value)
  } catch {
    // Private mode or a full quota: the prompt may show once more, nothing worse.
  }
}

/** Dismissed (or answered) today, `today` being the rep's local date (YYYY-MM-DD). */
export function dismissedToday(store: KeyValueStore | null, userId: number, trigger: SelfCoachingTrigger, today: string): boolean {
  return read(store, dismissedKey(userId, trigger)) === today
}

export function markDismissed(store: KeyValueStore | null, userId: number, trigger: SelfCoachingTrigger, today: string): void {
  write(store, dismissedKey(userId, trigger), today)
}

/**
 * May a prompt for `trigger` show now? Not when it was dismissed today, and not when a
 * prompt for another trigger is already showing (never more than one at a time).
 */
export function mayOffer(options: {
  store: KeyValueStore | null
  userId: number
  trigger: SelfCoachingTrigger
  today: string
  showing: SelfCoachingTrigger | null
}): boolean {
  const { store, userId, trigger, today, showing } = options
  if (showing !== null && showing !== trigger) return false
  return !dismissedToday(store, userId, trigger, today)
}

export interface CachedPrompt {
  id: string
  text: string
  trigger: SelfCoachingTrigger
  source: 'library' | 'team'
}

/** The last prompt the server gave for this trigger; null when none (or the team has none). */
export function readCachedPrompt(store: KeyValueStore | null, userId: number, trigger: SelfCoachingTrigger): CachedPrompt | null {
  const raw = read(store, cacheKey(userId, trigger))
  if (!raw) return null
  try {
    const value = JSON.parse(raw) as CachedPrompt | null
    return value && typeof value.text === 'string' && value.text ? value : null
  } catch {
    return null
  }
}

export function writeCachedPrompt(
  store: KeyValueStore | null,
  userId: number,
  trigger: SelfCoachingTrigger,
  prompt: CachedPrompt | null,
): void {
  write(store, cacheKey(userId, trigger), prompt ? JSON.stringify(prompt) : null)
}

// ---------- Pace ----------

interface PaceLike {
  target: number
  pace: { status: string }
}

/** Behind on at least one activity with a target (statuses as restated with local counts). */
export function isBehind(progress: readonly PaceLike[]): boolean {
  return progress.some((p) => p.target > 0 && p.pace.status === 'behind')
}
