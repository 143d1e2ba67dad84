// The full activity form: editing a log from History, and fixing a change the server
// rejected. Saving always creates a new outbox mutation (never edits a queued one).
import type { ActivityFields, ActivityType } from '@contract/types'
import { useState } from 'preact/hooks'
import { isoWithOffset } from '../sync/engine'
import { OUTCOMES, type Outcome } from '../sync/local'
import { ErrorNotice } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import '../sync/sync.css'

export const NOTE_MAX = 2000
export const ACCOUNT_MAX = 120
export const NEXT_STEP_MAX = 200

/** 'YYYY-MM-DDTHH:mm' on this device's clock, for <input type="datetime-local">. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

export function fromLocalInput(value: string): string | null {
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : isoWithOffset(date)
}

export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

export interface Details {
  quality: number
  note: string
  next_step: string
  follow_up_on: string
  deal_value: string
}

export const EMPTY_DETAILS: Details = { quality: 3, note: '', next_step: '', follow_up_on: '', deal_value: '' }

/** Problems per field, or an empty object. */
export function checkDetails(details: Details): Record<string, string> {
  const errors: Record<string, string> = {}
  if (details.note.length > NOTE_MAX) errors.note = `At most ${NOTE_MAX} characters (now ${details.note.length}).`
  if (details.next_step.length > NEXT_STEP_MAX) errors.next_step = `At most ${NEXT_STEP_MAX} characters.`
  if (details.deal_value.trim()) {
    const value = Number(details.deal_value)
    if (!Number.isFinite(value) || value < 0) errors.deal_value = 'Enter an amount of 0 or more.'
  }
  return errors
}

export function detailFields(details: Details): Pick<ActivityFields, 'quality' | 'note' | 'next_step' | 'follow_up_on' | 'deal_value'> {
  return {
    quality: details.quality,
    note: details.note,
    next_step: details.next_step.trim(),
    follow_up_on: details.follow_up_on || null,
    deal_value: details.deal_value.trim() ? Number(details.deal_value) : null,
  }
}

export function DetailsFields({
  details,
  onChange,
  errors,
}: {
  details: Details
  onChange: (next: Details) => void
  errors: Record<string, string>
}) {
  const set = <K extends keyof Details>(key: K, value: Details[K]) => onChange({ ...details, [key]: value })
  return (
    <div class="log-details">
      <fieldset class="field">
        <legend>Quality</legend>
        <div class="chips" role="radiogroup" aria-label="Quality, 1 to 5">
          {[1, 2, 3, 4, 5].map((q) => (
            <label class={`chip chip--radio${details.quality === q ? ' chip--selected' : ''}`} key={q}>
              <input
                type="radio"
                name="quality"
                value={String(q)}
                checked={details.quality === q}
                onChange={() => set('quality', q)}
              />
              <span>{q}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class={`field${errors.note ? ' field--invalid' : ''}`}>
        <label for="log-note">Note</label>
        <textarea
          id="log-note"
          name="note"
          rows={3}
          value={details.note}
          maxLength={NOTE_MAX}
          onInput={(e) => set('note', (e.currentTarget as HTMLTextAreaElement).value)}
          aria-invalid={errors.note ? 'true' : undefined}
          aria-describedby={errors.note ? 'log-note-error' : undefined}
        />
        {errors.note && (
          <p class="field__error" id="log-note-error">
            {errors.note}
          </p>
        )}
      </div>
      <TextField
        label="Next step"
        name="next_step"
        value={details.next_step}
        maxLength={NEXT_STEP_MAX}
        onInput={(v) => set('next_step', v)}
        error={errors.next_step}
      />
      <div class="field">
        <label for="log-follow-up">Follow-up date</label>
        <input
          id="log-follow-up"
          name="follow_up_on"
          type="date"
          value={details.follow_up_on}
          onInput={(e) => set('follow_up_on', (e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class={`field${errors.deal_value ? ' field--invalid' : ''}`}>
        <label for="log-deal-value">Deal value</label>
        <input
          id="log-deal-value"
          name="deal_value"
          type="number"
          inputMode="decimal"
          min="0"
          step="any"
          value={details.deal_value}
          onInput={(e) => set('deal_value', (e.currentTarget as HTMLInputElement).value)}
          aria-invalid={errors.deal_value ? 'true' : undefined}
          aria-describedby={errors.deal_value ? 'log-deal-value-error' : undefined}
        />
        {errors.deal_value && (
          <p class="field__error" id="log-deal-value-error">
            {errors.deal_value}
          </p>
        )}
      </div>
    </div>
  )
}

/** Edit (or fix) a whole record. */
export function ActivityForm({
  initial,
  types,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial: ActivityFields
  types: ActivityType[]
  submitLabel: string
  onSave: (fields: ActivityFields) => Promise<void>
  onCancel: () => void
}) {
  const [typeId, setTypeId] = useState(String(initial.activity_type_id))
  const [account, setAccount] = useState(initial.account_name)
  const [outcome, setOutcome] = useState<Outcome>(initial.outcome)
  const [when, setWhen] = useState(initial.occurred_at ? toLocalInput(initial.occurred_at) : '')
  const [details, setDetails] = useState<Details>({
    quality: initial.quality ?? 3,
    note: initial.note ?? '',
    next_step: initial.next_step ?? '',
    follow_up_on: initial.follow_up_on ?? '',
    deal_value: initial.deal_value == null ? '' : String(initial.deal_value),
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const typeOptions = types.map((t) => ({ value: String(t.id), label: t.name }))
  if (!types.some((t) => String(t.id) === typeId)) {
    typeOptions.unshift({ value: typeId, label: `Unavailable type (#${typeId})` })
  }

  async function submit(event: Event) {
    event.preventDefault()
    const problems = checkDetails(details)
    const name = account.trim()
    if (!name) problems.account_name = 'Enter the account.'
    else if (name.length > ACCOUNT_MAX) problems.account_name = `At most ${ACCOUNT_MAX} characters.`
    const occurredAt = fromLocalInput(when)
    if (!occurredAt) problems.occurred_at = 'Enter when it happened.'
    else if (Date.parse(occurredAt) > Date.now() + 10 * 60_000) problems.occurred_at = 'This is in the future.'
    setErrors(problems)
    if (Object.keys(problems).length > 0) return
    // Keep the zone the activity was logged in unless the time moved.
    const sameTime = occurredAt === initial.occurred_at || when === toLocalInput(initial.occurred_at)
    setBusy(true)
    try {
      await onSave({
        activity_type_id: Number(typeId),
        account_name: name,
        outcome,
        occurred_at: sameTime ? initial.occurred_at : occurredAt!,
        time_zone: sameTime && initial.time_zone ? initial.time_zone : deviceTimeZone(),
        ...detailFields(details),
      })
    } catch (error) {
      setFailure(error instanceof Error ? error.message : 'Could not save. Please try again.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="form activity-form" onSubmit={submit} noValidate>
      <SelectField label="Activity" name="activity_type_id" value={typeId} options={typeOptions} onChange={setTypeId} />
      <TextField
        label="Account"
        name="account_name"
        value={account}
        maxLength={ACCOUNT_MAX}
        onInput={setAccount}
        error={errors.account_name}
        required
      />
      <SelectField
        label="Outcome"
        name="outcome"
        value={outcome}
        options={OUTCOMES.map((o) => ({ value: o.value, label: o.label }))}
        onChange={(v) => setOutcome(v as Outcome)}
      />
      <div class={`field${errors.occurred_at ? ' field--invalid' : ''}`}>
        <label for="edit-when">When</label>
        <input
          id="edit-when"
          name="occurred_at"
          type="datetime-local"
          value={when}
          onInput={(e) => setWhen((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={errors.occurred_at ? 'true' : undefined}
          aria-describedby={errors.occurred_at ? 'edit-when-error' : undefined}
        />
        {errors.occurred_at && (
          <p class="field__error" id="edit-when-error">
            {errors.occurred_at}
          </p>
        )}
      </div>
      <DetailsFields details={details} onChange={setDetails} errors={errors} />
      <ErrorNotice message={failure} />
      <div class="row-actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
