// Declared time off: a rep (on Preferences) or their manager (on the drill-down) marks days
// away; pace and "gone quiet" skip them and the team screen says "Off until …" instead of
// flags. Writes go straight to the server (no offline queue): offline, the form says so.
import type { TimeOff } from '@contract/types'
import { useState } from 'preact/hooks'
import { plansApi } from '../api/plans'
import { online } from '../session'
import { localDate } from '../time/week'
import { ErrorNotice, Loading, SubmitButton } from '../ui/feedback'
import { useResource, useSubmit } from '../ui/hooks'
import { Section } from '../ui/Screen'
import { addDays, shortDate, WEEKDAYS_SHORT } from './weeks'
import './time-off.css'

function isoToday(timeZone: string): string {
  const d = localDate(new Date(), timeZone)
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
}

function dayWords(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number)
  const weekday = (new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7
  return `${WEEKDAYS_SHORT[weekday]} ${shortDate(iso)}`
}

/** "Mon 7 Dec – Fri 11 Dec", or one day. */
export function timeOffSpan(entry: Pick<TimeOff, 'first_day' | 'last_day'>): string {
  return entry.first_day === entry.last_day
    ? dayWords(entry.first_day)
    : `${dayWords(entry.first_day)} – ${dayWords(entry.last_day)}`
}

function newClientKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID()
  return `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`
}

export function TimeOffSection({
  userId,
  name,
  timeZone,
  onChange,
}: {
  /** The rep whose time off this is; none for your own. */
  userId?: number
  /** The rep's first name, for a manager's wording. */
  name?: string
  timeZone: string
  /** After an entry is added or cancelled (the screen's flags may change). */
  onChange?: () => void
}) {
  const own = userId === undefined
  const list = useResource(() => plansApi.timeOff(userId), [userId])
  const today = isoToday(timeZone)
  const [first, setFirst] = useState(today)
  const [last, setLast] = useState(today)
  const [note, setNote] = useState('')
  const [clientKey, setClientKey] = useState(newClientKey)
  const [cancelling, setCancelling] = useState<number | null>(null)
  const submission = useSubmit()
  const cancel = useSubmit()
  const offline = !online.value
  const who = own ? 'you' : (name ?? 'this rep')

  async function add(event: Event) {
    event.preventDefault()
    if (last < first) {
      submission.fail('Please fix the highlighted fields.', { last_day: 'The last day off is before the first.' })
      return
    }
    const made = await submission.run(() =>
      plansApi.addTimeOff({ first_day: first, last_day: last, note: note.trim() || null, client_key: clientKey }, userId),
    )
    if (made) {
      list.setData((entries) => [...(entries ?? []), made].sort((a, b) => a.first_day.localeCompare(b.first_day)))
      setClientKey(newClientKey())
      setNote('')
      onChange?.()
    }
  }

  async function remove(entry: TimeOff) {
    setCancelling(entry.id)
    // A 204 has no body and run() answers undefined on a failure: success is true.
    const done = await cancel.run(() => plansApi.cancelTimeOff(entry.id).then(() => true))
    setCancelling(null)
    if (done) {
      list.setData((entries) => (entries ?? []).filter((e) => e.id !== entry.id))
      onChange?.()
    }
  }

  const errors = submission.fieldErrors
  return (
    <Section title="Time off">
      <p class="muted small">
        {own
          ? 'Days you are away (holiday, sick, training): your plan’s pace and “gone quiet” skip them, and your manager sees “Off until …” instead of flags.'
          : `Days ${who} is away: pace and “gone quiet” skip them, and the team screen says “Off until …” instead of flags.`}
      </p>
      {offline && (
        <div class="notice notice--warn" role="status">
          <p>You’re offline. Time off needs a connection: add or cancel it once you’re back online.</p>
        </div>
      )}
      {list.status === 'loading' && <Loading label="Loading time off…" />}
      <ErrorNotice message={list.error} onRetry={list.reload} />
      {list.data && list.data.length === 0 && (
        <p class="time-off__none">{own ? 'No time off coming up.' : `No time off coming up for ${who}.`}</p>
      )}
      {list.data && list.data.length > 0 && (
        <ul class="time-off__list" aria-label={own ? 'Your time off' : `Time off of ${who}`}>
          {list.data.map((entry) => (
            <li class="time-off__item" key={entry.id}>
              <span class="time-off__span">
                <strong>{timeOffSpan(entry)}</strong>
                {entry.note && <span class="muted"> · {entry.note}</span>}
                {entry.created_by && <span class="muted small"> (added by {entry.created_by})</span>}
              </span>
              <button
                type="button"
                class="button button--secondary"
                disabled={offline || cancelling !== null}
                aria-label={`Cancel time off ${timeOffSpan(entry)}`}
                onClick={() => remove(entry)}
              >
                {cancelling === entry.id ? 'Cancelling…' : 'Cancel'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice message={cancel.error} />
      <form class="time-off__form" onSubmit={add} noValidate>
        <div class="time-off__dates">
          <div class={`field${errors.first_day ? ' field--invalid' : ''}`}>
            <label for="time-off-first">First day off</label>
            <input
              id="time-off-first"
              name="first_day"
              type="date"
              value={first}
              min={addDays(today, -366)}
              max={addDays(today, 366)}
              disabled={submission.busy}
              aria-invalid={errors.first_day ? 'true' : undefined}
              aria-describedby={errors.first_day ? 'time-off-first-error' : undefined}
              onInput={(event) => {
                const value = (event.currentTarget as HTMLInputElement).value
                setFirst(value)
                if (value && last < value) setLast(value)
              }}
            />
            {errors.first_day && (
              <p class="field__error" id="time-off-first-error">
                {errors.first_day}
              </p>
            )}
          </div>
          <div class={`field${errors.last_day ? ' field--invalid' : ''}`}>
            <label for="time-off-last">Last day off</label>
            <input
              id="time-off-last"
              name="last_day"
              type="date"
              value={last}
              min={first}
              max={addDays(today, 366)}
              disabled={submission.busy}
              aria-invalid={errors.last_day ? 'true' : undefined}
              aria-describedby={errors.last_day ? 'time-off-last-error' : undefined}
              onInput={(event) => setLast((event.currentTarget as HTMLInputElement).value)}
            />
            {errors.last_day && (
              <p class="field__error" id="time-off-last-error">
                {errors.last_day}
              </p>
            )}
          </div>
        </div>
        <div class={`field${errors.note ? ' field--invalid' : ''}`}>
          <label for="time-off-note">Note (optional)</label>
          <input
            id="time-off-note"
            name="note"
            type="text"
            maxLength={140}
            value={note}
            placeholder="Holiday, training…"
            disabled={submission.busy}
            onInput={(event) => setNote((event.currentTarget as HTMLInputElement).value)}
          />
          {errors.note && <p class="field__error">{errors.note}</p>}
        </div>
        <ErrorNotice message={submission.error} />
        <SubmitButton busy={submission.busy} busyLabel="Adding…" disabled={offline}>
          Add time off
        </SubmitButton>
      </form>
    </Section>
  )
}
