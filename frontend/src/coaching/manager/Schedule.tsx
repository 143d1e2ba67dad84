// When the 1:1s happen: the next one in words, the agreed rhythm (weekdays and a time in
// the rep's zone) with an editor, and the rep's own preference next to it.
import type { CheckinSchedule } from '@contract/types'
import { useState } from 'preact/hooks'
import { coachingApi } from '../../api/coaching'
import { WEEKDAYS } from '../../plans/weeks'
import { formatInstant } from '../../time/format'
import { ErrorNotice, SubmitButton, SuccessNotice } from '../../ui/feedback'
import { CheckboxGroup, FieldShell } from '../../ui/fields'
import { useSubmit } from '../../ui/hooks'
import { preferenceText, rhythmText, validateSchedule } from './logic'

export function ScheduleCard({
  schedule,
  repFirstName,
  viewerZone,
  onSaved,
}: {
  schedule: CheckinSchedule
  repFirstName: string
  viewerZone: string
  onSaved: (s: CheckinSchedule) => void
}) {
  const [editing, setEditing] = useState(false)
  const [saved, setSaved] = useState(false)
  return (
    <>
      <dl class="ci-facts">
        <div>
          <dt>Next check-in</dt>
          <dd>
            <strong>{schedule.next_words ?? 'Not scheduled'}</strong>
            {schedule.next_at && schedule.time_zone !== viewerZone && (
              <span class="muted small"> ({formatInstant(schedule.next_at, viewerZone)} your time)</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Agreed rhythm</dt>
          <dd>
            {rhythmText(schedule)}
            {!schedule.agreed && <span class="muted small"> — the default, not agreed yet</span>}
          </dd>
        </div>
        <div>
          <dt>{repFirstName}'s preference</dt>
          <dd>{preferenceText(schedule.rhythm_preference)}</dd>
        </div>
        {schedule.agreed && schedule.set_by && (
          <div>
            <dt>Set by</dt>
            <dd>
              {schedule.set_by}
              {schedule.updated_at ? `, ${formatInstant(schedule.updated_at, viewerZone)}` : ''}
            </dd>
          </div>
        )}
      </dl>
      {saved && !editing && <SuccessNotice>Rhythm saved. {schedule.next_words ? `Next: ${schedule.next_words}.` : ''}</SuccessNotice>}
      {editing ? (
        <ScheduleForm
          schedule={schedule}
          repFirstName={repFirstName}
          onCancel={() => setEditing(false)}
          onSaved={(s) => {
            onSaved(s)
            setEditing(false)
            setSaved(true)
          }}
        />
      ) : (
        <button
          type="button"
          class="button button--secondary ci-start-left"
          onClick={() => {
            setSaved(false)
            setEditing(true)
          }}
        >
          {schedule.agreed ? 'Change the rhythm' : 'Agree on a rhythm'}
        </button>
      )}
    </>
  )
}

function ScheduleForm({
  schedule,
  repFirstName,
  onCancel,
  onSaved,
}: {
  schedule: CheckinSchedule
  repFirstName: string
  onCancel: () => void
  onSaved: (s: CheckinSchedule) => void
}) {
  const [days, setDays] = useState(schedule.weekdays.map(String))
  const [time, setTime] = useState(schedule.time)
  const submit = useSubmit()
  async function save(event: Event) {
    event.preventDefault()
    const weekdays = days.map(Number).sort((a, b) => a - b)
    const errors = validateSchedule(weekdays, time)
    if (Object.keys(errors).length) {
      submit.fail('Check the highlighted fields.', errors)
      return
    }
    const result = await submit.run(() => coachingApi.setSchedule(schedule.user_id, { weekdays, time }))
    if (result) onSaved(result)
  }
  return (
    <form class="form form--inline" onSubmit={(e) => void save(e)} noValidate>
      <CheckboxGroup
        legend="Check-in days"
        name="weekdays"
        options={WEEKDAYS.map((label, i) => ({ value: String(i), label }))}
        selected={days}
        onChange={setDays}
        error={submit.fieldErrors.weekdays}
      />
      <FieldShell
        label="Time"
        hint={`On ${repFirstName}'s clock (${schedule.time_zone}).`}
        error={submit.fieldErrors.time}
      >
        {(control) => (
          <input
            {...control}
            type="time"
            name="time"
            value={time}
            required
            onInput={(e) => setTime((e.currentTarget as HTMLInputElement).value)}
          />
        )}
      </FieldShell>
      <ErrorNotice message={submit.error} />
      <div class="row-actions">
        <SubmitButton busy={submit.busy}>Save the rhythm</SubmitButton>
        <button type="button" class="button button--secondary" onClick={onCancel} disabled={submit.busy}>
          Cancel
        </button>
      </div>
    </form>
  )
}
