// The manager's side of the coaching loop, as pure rules and words: commitment statuses and
// who decides them, due dates a check-in accepts, the agreed rhythm in words, note
// visibility, and the self-coaching library grouped by trigger. No DOM, no fetch.
import type {
  CheckinEdit,
  CheckinSchedule,
  Commitment,
  NewCommitment,
  Reflection,
  SelfCoachingPrompt,
} from '@contract/types'
import { RHYTHM_LABELS } from '../../plans/labels'
import { addDays, WEEKDAYS } from '../../plans/weeks'
import { localDate } from '../../time/week'
import { dateTimeFormat } from '../../time/intl'

export type CommitmentStatus = Commitment['status']
export type Verdict = 'met' | 'partly' | 'not_met'
export type Trigger = SelfCoachingPrompt['trigger']

/** A commitment is due today at the earliest and at most this many days ahead. */
export const MAX_DUE_DAYS = 56
export const COMMITMENT_TEXT_MIN = 3
export const COMMITMENT_TEXT_MAX = 200
export const COUNT_MAX = 500
export const NOTE_MAX = 4000
export const REASON_MIN = 3
export const REASON_MAX = 300
export const PROMPT_MIN = 10
export const PROMPT_MAX = 300

// ---------------------------------------------------------------- statuses

export const STATUS_LABELS: Record<CommitmentStatus, string> = {
  met: 'Met',
  partly: 'Partly met',
  not_met: 'Not met',
  open: 'Open',
  to_review: 'To review',
}

/** How a status looks: a tone for colour and an icon, so colour is never the only signal. */
export const STATUS_TONES: Record<CommitmentStatus, { tone: 'ok' | 'warn' | 'info' | 'neutral'; icon: 'check' | 'minus' | 'close' | 'clock' | 'chat' }> = {
  met: { tone: 'ok', icon: 'check' },
  partly: { tone: 'info', icon: 'minus' },
  not_met: { tone: 'warn', icon: 'close' },
  open: { tone: 'neutral', icon: 'clock' },
  to_review: { tone: 'info', icon: 'chat' },
}

export const VERDICTS: { value: Verdict; label: string }[] = [
  { value: 'met', label: 'Met' },
  { value: 'partly', label: 'Partly' },
  { value: 'not_met', label: 'Not met' },
]

/** Logged activity decides it: the manager has nothing to mark. */
export function isMeasured(c: Pick<Commitment, 'activity_type_id' | 'target_count'>): boolean {
  return c.activity_type_id !== null && c.target_count !== null
}

/** The manager's verdict is wanted: it cannot be measured and nobody has marked it yet. */
export function needsVerdict(c: Pick<Commitment, 'status' | 'status_source'>): boolean {
  return c.status === 'to_review' || c.status_source === 'pending'
}

/** The manager may give (or change) a verdict on commitments that are not measured. */
export function canMark(c: Pick<Commitment, 'status' | 'status_source' | 'activity_type_id' | 'target_count'>): boolean {
  if (needsVerdict(c)) return true
  return c.status_source === 'manager' && !isMeasured(c)
}

/** "2 of 2 Calls" for measured commitments, null for the others. */
export function progressText(c: Pick<Commitment, 'done_count' | 'target_count' | 'activity_type_name'>): string | null {
  if (c.target_count === null) return null
  const done = c.done_count ?? 0
  const name = c.activity_type_name ? ` ${c.target_count === 1 ? c.activity_type_name : pluralName(c.activity_type_name)}` : ''
  return `${done} of ${c.target_count}${name}`
}

/** Who decided the status, in words. */
export function sourceText(c: Pick<Commitment, 'status_source' | 'status'>): string {
  if (c.status_source === 'measured') return c.status === 'open' ? 'Counted from logged activity so far' : 'Counted from logged activity'
  if (c.status_source === 'manager') return 'Marked at a check-in'
  return 'Cannot be measured: mark it together'
}

/** "Call" -> "Calls", "Follow-up" -> "Follow-ups"; names ending in s stay. */
export function pluralName(name: string): string {
  const trimmed = name.trim()
  if (!trimmed || /s$/i.test(trimmed)) return trimmed
  if (/[^aeiou]y$/i.test(trimmed)) return `${trimmed.slice(0, -1)}ies`
  return `${trimmed}s`
}

export interface FollowUpGroups {
  /** Not measurable and not marked yet: the manager's to-do in this check-in. */
  toReview: Commitment[]
  /** Everything else, in the server's order. */
  settled: Commitment[]
}

export function groupFollowUp(list: Commitment[]): FollowUpGroups {
  return { toReview: list.filter(needsVerdict), settled: list.filter((c) => !needsVerdict(c)) }
}

/** "2 met, 1 to review" — a one-line summary of the follow-up (statuses in a fixed order). */
export function followUpSummary(list: Pick<Commitment, 'status'>[]): string {
  if (list.length === 0) return 'No commitments to follow up.'
  const order: CommitmentStatus[] = ['met', 'partly', 'not_met', 'open', 'to_review']
  const parts = order
    .map((status) => ({ status, count: list.filter((c) => c.status === status).length }))
    .filter((p) => p.count > 0)
    .map((p) => `${p.count} ${STATUS_LABELS[p.status].toLowerCase()}`)
  return `${parts.join(', ')}.`
}

/** Replace one commitment (by id) in a list, keeping the order. */
export function replaceCommitment(list: Commitment[], next: Commitment): Commitment[] {
  return list.map((c) => (c.id === next.id ? next : c))
}

// ---------------------------------------------------------------- due dates

/** Today's date in `timeZone`, "YYYY-MM-DD". */
export function todayIn(timeZone: string, now = new Date()): string {
  let d
  try {
    d = localDate(now, timeZone)
  } catch {
    d = localDate(now, 'UTC')
  }
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
}

export function dueBounds(today: string): { min: string; max: string } {
  return { min: today, max: addDays(today, MAX_DUE_DAYS) }
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

/** Null when the date is fine; else a sentence for the field. */
export function validateDueDate(value: string, today: string): string | null {
  if (!value) return 'Choose a due date.'
  if (!isIsoDate(value)) return 'Enter a date like 2026-12-04.'
  const { min, max } = dueBounds(today)
  if (value < min) return 'The due date cannot be in the past: today or later.'
  if (value > max) return `Choose a date within ${MAX_DUE_DAYS / 7} weeks (by ${max}).`
  return null
}

export interface CommitmentDraft {
  text: string
  dueOn: string
  measurable: boolean
  activityTypeId: string
  count: string
}

export type CommitmentErrors = Partial<Record<'text' | 'due_on' | 'activity_type_id' | 'target_count', string>>

/** Checks a draft as the server would; returns the body to send, or the errors per field. */
export function checkCommitment(
  draft: CommitmentDraft,
  today: string,
): { body: Omit<NewCommitment, 'client_key'> } | { errors: CommitmentErrors } {
  const errors: CommitmentErrors = {}
  const text = draft.text.trim()
  if (text.length < COMMITMENT_TEXT_MIN) errors.text = `Write the commitment in a few words (at least ${COMMITMENT_TEXT_MIN} characters).`
  else if (text.length > COMMITMENT_TEXT_MAX) errors.text = `Keep it to ${COMMITMENT_TEXT_MAX} characters.`
  const due = validateDueDate(draft.dueOn, today)
  if (due) errors.due_on = due
  let activityTypeId: number | null = null
  let count: number | null = null
  if (draft.measurable) {
    activityTypeId = Number(draft.activityTypeId)
    if (!draft.activityTypeId || !Number.isInteger(activityTypeId) || activityTypeId < 1) {
      errors.activity_type_id = 'Choose the activity that counts.'
    }
    const trimmed = draft.count.trim()
    count = Number(trimmed)
    if (!/^\d+$/.test(trimmed) || count < 1 || count > COUNT_MAX) {
      errors.target_count = `Enter a whole number from 1 to ${COUNT_MAX}.`
    }
  }
  if (Object.keys(errors).length) return { errors }
  return {
    body: {
      text,
      due_on: draft.dueOn,
      activity_type_id: draft.measurable ? activityTypeId : null,
      target_count: draft.measurable ? count : null,
    },
  }
}

/** "Fri 4 Dec" (with the year when it is not `today`'s year). */
export function dueText(iso: string, today: string): string {
  const date = new Date(`${iso}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return iso
  const sameYear = iso.slice(0, 4) === today.slice(0, 4)
  const words = dateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date)
  if (iso === today) return `today (${words})`
  if (iso === addDays(today, 1)) return `tomorrow (${words})`
  return words.replace(',', '')
}

// ---------------------------------------------------------------- schedule

/** "Mondays and Thursdays" / "Every weekday" / "Every day". */
export function weekdaysText(days: number[]): string {
  const sorted = [...new Set(days)].filter((d) => d >= 0 && d <= 6).sort((a, b) => a - b)
  if (sorted.length === 0) return 'No days'
  if (sorted.length === 7) return 'Every day'
  if (sorted.length === 5 && sorted.every((d, i) => d === i)) return 'Every weekday'
  const names = sorted.map((d) => `${WEEKDAYS[d]}s`)
  if (names.length === 1) return names[0]!
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** "Thursdays at 14:00 (Europe/Berlin)". */
export function rhythmText(schedule: Pick<CheckinSchedule, 'weekdays' | 'time' | 'time_zone'>): string {
  return `${weekdaysText(schedule.weekdays)} at ${schedule.time} (${schedule.time_zone})`
}

/** The rep's own answer to "how often to check in", in words. */
export function preferenceText(preference: string): string {
  const known = RHYTHM_LABELS[preference as keyof typeof RHYTHM_LABELS]
  if (known) return known
  const trimmed = preference.trim()
  return trimmed ? trimmed.replace(/_/g, ' ') : 'Not answered yet'
}

export function validateSchedule(weekdays: number[], time: string): Partial<Record<'weekdays' | 'time', string>> {
  const errors: Partial<Record<'weekdays' | 'time', string>> = {}
  if (weekdays.length === 0) errors.weekdays = 'Choose at least one day.'
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) errors.time = 'Enter a time like 14:00.'
  return errors
}

// ---------------------------------------------------------------- notes

export function visibilityText(shared: boolean, repFirstName: string): string {
  return shared ? `Shared with ${repFirstName}` : 'Private to you'
}

/** Null when the edit may be saved; after closing, a reason is required. */
export function validateNoteEdit(body: string, reason: string, closed: boolean): Partial<Record<'body' | 'reason', string>> {
  const errors: Partial<Record<'body' | 'reason', string>> = {}
  if (!body.trim()) errors.body = 'The note cannot be empty.'
  else if (body.length > NOTE_MAX) errors.body = `Keep notes to ${NOTE_MAX} characters.`
  if (closed) {
    const r = reason.trim()
    if (r.length < REASON_MIN) errors.reason = 'Say why you change a note after the check-in closed (at least 3 characters).'
    else if (r.length > REASON_MAX) errors.reason = `Keep the reason to ${REASON_MAX} characters.`
  }
  return errors
}

/** One audit line: "Visibility: private → shared". */
export function editSummary(edit: Pick<CheckinEdit, 'what' | 'before' | 'after'>): string {
  const what = edit.what.trim() || 'Note'
  const label = what[0]!.toUpperCase() + what.slice(1).replace(/_/g, ' ')
  return `${label}: “${edit.before}” → “${edit.after}”`
}

// ---------------------------------------------------------------- reflection

export const REFLECTION_FIELDS: { key: 'wins' | 'stuck' | 'differently' | 'help_wanted'; label: string }[] = [
  { key: 'wins', label: 'What went well' },
  { key: 'stuck', label: 'Where they got stuck' },
  { key: 'differently', label: 'What they would do differently' },
  { key: 'help_wanted', label: 'What would help them' },
]

/** True when the rep wrote nothing at all yet (a saved but empty reflection counts as none). */
export function reflectionIsEmpty(r: Reflection | null | undefined): boolean {
  if (!r) return true
  return (
    REFLECTION_FIELDS.every((f) => !r[f.key].trim()) && r.self_rating === null && r.jottings.every((j) => !j.trim())
  )
}

// ---------------------------------------------------------------- self-coaching

export const TRIGGERS: { value: Trigger; label: string; hint: string }[] = [
  { value: 'setback', label: 'After a setback', hint: 'Shown to a rep after a lost deal or a "no interest".' },
  { value: 'behind', label: 'When behind pace', hint: 'Shown to a rep whose week is behind a steady pace.' },
]

export function triggerLabel(trigger: Trigger): string {
  return TRIGGERS.find((t) => t.value === trigger)?.label ?? trigger
}

export interface PromptGroup {
  trigger: Trigger
  label: string
  prompts: SelfCoachingPrompt[]
}

/** Prompts per trigger in a fixed order; the team's own first, then the library's. */
export function groupPrompts(prompts: SelfCoachingPrompt[]): PromptGroup[] {
  return TRIGGERS.map((t) => ({
    trigger: t.value,
    label: t.label,
    prompts: [
      ...prompts.filter((p) => p.trigger === t.value && p.source === 'team'),
      ...prompts.filter((p) => p.trigger === t.value && p.source === 'library'),
    ],
  }))
}

export function validatePrompt(text: string): string | null {
  const t = text.trim()
  if (t.length < PROMPT_MIN) return `Write at least ${PROMPT_MIN} characters.`
  if (t.length > PROMPT_MAX) return `Keep it to ${PROMPT_MAX} characters.`
  return null
}

// ---------------------------------------------------------------- misc

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name
}

/** A client-made idempotency key (fits ^[A-Za-z0-9_-]{8,64}$). */
export function newClientKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID().replace(/-/g, '')
  let key = 'k'
  while (key.length < 32) key += Math.random().toString(36).slice(2)
  return key.slice(0, 32)
}
