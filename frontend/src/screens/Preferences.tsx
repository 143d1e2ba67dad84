// "How would you like to be held accountable?" — the rep's own answer, editable later.
import { useState } from 'preact/hooks'
import type { Me, Preferences as Prefs, UpdatePreferences } from '@contract/types'
import { plansApi } from '../api/plans'
import { ReminderNotifications } from '../push/Notifications'
import { RHYTHM_LABELS, STYLE_LABELS, TEAM_VISIBILITY_WORDS, VISIBILITY_LABELS } from '../plans/labels'
import { StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { WEEKDAYS, WEEKDAYS_SHORT } from '../plans/weeks'
import { formatInstant } from '../time/format'
import { ErrorNotice, Loading, SubmitButton, SuccessNotice } from '../ui/feedback'
import { Icon } from '../ui/icons'
import { useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import { TimeZoneField } from '../ui/TimeZoneField'
import { TimeOffSection } from '../plans/TimeOff'
import '../plans/plans.css'

const MAX_TIMES = 4
const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/

export function Preferences({ user }: { user: Me }) {
  const prefs = useRead(`prefs:${user.id}`, () => plansApi.preferences())
  return (
    <Screen
      title="How would you like to be held accountable?"
      intro={<p>Your answers shape your reminders and how your manager checks in. Change them any time.</p>}
    >
      <StaleNotice show={prefs.stale} onRetry={prefs.reload} />
      {prefs.loading && <Loading label="Loading your answers…" />}
      <ErrorNotice message={prefs.error} onRetry={prefs.reload} />
      {prefs.data && (
        <PreferencesForm
          user={user}
          prefs={prefs.data}
          onSaved={(fresh) => prefs.setData(() => fresh)}
        />
      )}
      {user.role === 'rep' && user.team && <TimeOffSection timeZone={prefs.data?.time_zone || user.time_zone} />}
    </Screen>
  )
}

function Choice<T extends string>({
  legend,
  name,
  value,
  labels,
  onChange,
  disabled,
  error,
}: {
  legend: string
  name: string
  value: T
  labels: Record<T, string>
  onChange: (value: T) => void
  disabled: boolean
  error?: string | undefined
}) {
  return (
    <fieldset class={`field choices${error ? ' field--invalid' : ''}`}>
      <legend>{legend}</legend>
      {(Object.keys(labels) as T[]).map((key) => (
        <label class="check" key={key}>
          <input
            type="radio"
            name={name}
            value={key}
            checked={value === key}
            disabled={disabled}
            onChange={() => onChange(key)}
          />
          <span>{labels[key]}</span>
        </label>
      ))}
      {value === ('not_sure' as T) && (
        <p class="kind-note">That's a fine answer — your manager will talk it through with you.</p>
      )}
      {error && <p class="field__error">{error}</p>}
    </fieldset>
  )
}

function PreferencesForm({ user, prefs, onSaved }: { user: Me; prefs: Prefs; onSaved: (p: Prefs) => void }) {
  const [rhythm, setRhythm] = useState(prefs.checkin_rhythm)
  const [days, setDays] = useState<number[]>(prefs.reminder_days)
  const [times, setTimes] = useState<string[]>(prefs.reminder_times.length ? prefs.reminder_times : ['17:30'])
  const [zone, setZone] = useState(prefs.time_zone || user.time_zone)
  const [style, setStyle] = useState(prefs.style)
  const [visibility, setVisibility] = useState(prefs.visibility)
  const [saved, setSaved] = useState(false)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    setSaved(false)
    const problems: Record<string, string> = {}
    times.forEach((t, i) => {
      if (!WALL_TIME.test(t)) problems[`reminder_times[${i}]`] = 'Enter a time like 17:30.'
    })
    if (Object.keys(problems).length) {
      submission.fail('Please fix the highlighted fields.', problems)
      return
    }
    const body: UpdatePreferences = {
      checkin_rhythm: rhythm,
      reminder_days: [...days].sort(),
      reminder_times: times,
      style,
      visibility,
      time_zone: zone,
    }
    const fresh = await submission.run(() => plansApi.updatePreferences(body))
    if (fresh) {
      setSaved(true)
      onSaved(fresh)
    }
  }

  const errors = submission.fieldErrors
  const busy = submission.busy
  return (
    <form class="screen" onSubmit={submit} noValidate>
      {!prefs.answered && (
        <div class="notice notice--info">
          <p>You haven't answered yet. There are no wrong answers, and "I'm not sure yet" is one of them.</p>
        </div>
      )}
      <Section title="Check-ins">
        <Choice
          legend="How often should we check in?"
          name="checkin_rhythm"
          value={rhythm}
          labels={RHYTHM_LABELS}
          onChange={setRhythm}
          disabled={busy}
          error={errors.checkin_rhythm}
        />
        <Choice
          legend="Your style"
          name="style"
          value={style}
          labels={STYLE_LABELS}
          onChange={setStyle}
          disabled={busy}
          error={errors.style}
        />
      </Section>
      <Section title="Reminders">
        <fieldset class="field">
          <legend>Remind me on</legend>
          <div class="day-toggles">
            {WEEKDAYS_SHORT.map((label, day) => (
              <label class="day-toggle" key={day}>
                <input
                  type="checkbox"
                  name="reminder_days"
                  value={day}
                  checked={days.includes(day)}
                  disabled={busy}
                  aria-label={WEEKDAYS[day]}
                  onChange={(event) => {
                    const on = (event.currentTarget as HTMLInputElement).checked
                    setDays((d) => (on ? [...d, day] : d.filter((x) => x !== day)))
                  }}
                />
                <span aria-hidden="true">{label}</span>
              </label>
            ))}
          </div>
          {days.length === 0 && <p class="field__hint">No reminder days: you won't get reminders.</p>}
          {errors.reminder_days && <p class="field__error">{errors.reminder_days}</p>}
        </fieldset>
        <fieldset class="field">
          <legend>At</legend>
          <div class="times">
            {times.map((time, index) => {
              const id = `reminder-time-${index}`
              const error = errors[`reminder_times[${index}]`] ?? errors[`reminder_times.${index}`]
              return (
                <div class={`field${error ? ' field--invalid' : ''}`} key={index}>
                  <label for={id}>Time {index + 1}</label>
                  <input
                    id={id}
                    type="time"
                    value={time}
                    disabled={busy}
                    aria-invalid={error ? 'true' : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onInput={(event) => {
                      const value = (event.currentTarget as HTMLInputElement).value
                      setTimes((list) => list.map((t, i) => (i === index ? value : t)))
                    }}
                  />
                  {error && (
                    <p class="field__error" id={`${id}-error`}>
                      {error}
                    </p>
                  )}
                  {times.length > 1 && (
                    <button
                      type="button"
                      class="button button--link"
                      disabled={busy}
                      onClick={() => setTimes((list) => list.filter((_, i) => i !== index))}
                    >
                      Remove time {index + 1}
                    </button>
                  )}
                </div>
              )
            })}
            {times.length < MAX_TIMES && (
              <button
                type="button"
                class="button button--secondary"
                disabled={busy}
                onClick={() => setTimes((list) => [...list, '12:00'])}
              >
                <Icon name="plus" />
                Add a time
              </button>
            )}
          </div>
          {errors.reminder_times && <p class="field__error">{errors.reminder_times}</p>}
        </fieldset>
        <TimeZoneField
          value={zone}
          onChange={setZone}
          disabled={busy}
          error={errors.time_zone}
          hint="Reminders arrive at these times on your local clock."
        />
        <ReminderNotifications user={user} heading="h3" refreshKey={prefs.updated_at} />
      </Section>
      <Section title="Team views">
        <Choice
          legend="How visible do you want to be to your peers?"
          name="visibility"
          value={visibility}
          labels={VISIBILITY_LABELS}
          onChange={setVisibility}
          disabled={busy}
          error={errors.visibility}
        />
        <p class="field__hint" id="team-visibility">
          Your team shows reps {TEAM_VISIBILITY_WORDS[prefs.team_visibility]} on shared screens unless you choose.
          {visibility === 'not_sure'
            ? ` Until you do, you appear ${TEAM_VISIBILITY_WORDS[prefs.team_visibility]}.`
            : ' Your choice wins.'}
        </p>
      </Section>
      <div class="sticky-actions">
        <ErrorNotice message={submission.error} />
        {saved && (
          <SuccessNotice>
            <p>Saved. Thank you — your manager will see your answers.</p>
          </SuccessNotice>
        )}
        <SubmitButton busy={busy}>Save my answers</SubmitButton>
      </div>
      {prefs.updated_at && <p class="muted small">Last changed {formatInstant(prefs.updated_at, user.time_zone)}.</p>}
    </form>
  )
}
