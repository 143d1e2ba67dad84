// The manager's alerts on the Settings screen: which kinds, the pace check's day and time,
// the daily digest's days and time (the manager's zone), and push on this device.
import { useState } from 'preact/hooks'
import type { AlertSettings, Me, UpdateAlertSettings } from '@contract/types'
import { WEEKDAYS } from '../plans/weeks'
import { ReminderNotifications } from '../push/Notifications'
import { ErrorNotice, Loading, SubmitButton, SuccessNotice } from '../ui/feedback'
import { CheckboxGroup, FieldShell, SelectField } from '../ui/fields'
import { useResource, useSubmit } from '../ui/hooks'
import { Section } from '../ui/Screen'
import { alertsApi } from './api'
import { digestProblems, DIGEST_KINDS } from './logic'
import './alerts.css'

export function ManagerAlerts({ user }: { user: Me }) {
  const settings = useResource(() => alertsApi.settings(), [])
  return (
    <>
      <Section title="Alerts">
        <p class="muted">
          What you hear about your team, and when: at most once a day for each kind, grouped, in your{' '}
          <a href="/alerts">alerts inbox</a> and as a notification on the devices where you turn them on.
        </p>
        {settings.status === 'loading' && <Loading label="Loading your alerts…" />}
        <ErrorNotice message={settings.error} onRetry={settings.reload} />
        {settings.data && <AlertForm key={String(settings.data.saved)} initial={settings.data} />}
      </Section>
      <ReminderNotifications user={user} heading="h2" />
    </>
  )
}

function AlertForm({ initial }: { initial: AlertSettings }) {
  const [value, setValue] = useState<UpdateAlertSettings>(() => ({
    pace: initial.pace,
    pace_weekday: initial.pace_weekday,
    pace_time: initial.pace_time,
    plans: initial.plans,
    reflections: initial.reflections,
    help: initial.help,
    commitments: initial.commitments,
    digest_days: initial.digest_days,
    digest_time: initial.digest_time,
  }))
  const [saved, setSaved] = useState(false)
  const submit = useSubmit()
  const set = (change: Partial<UpdateAlertSettings>) => {
    setSaved(false)
    setValue((v) => ({ ...v, ...change }))
  }
  const kinds = DIGEST_KINDS.filter((k) => value[k.key]).map((k) => k.key)

  async function save(event: Event) {
    event.preventDefault()
    setSaved(false)
    const problems = digestProblems(value)
    if (Object.keys(problems).length) {
      submit.fail('Check the highlighted fields.', problems)
      return
    }
    const result = await submit.run(() => alertsApi.saveSettings(value))
    if (result) setSaved(true)
  }

  return (
    <form class="form" onSubmit={(e) => void save(e)} noValidate>
      {saved && (
        <SuccessNotice>
          <p>Saved. Times are in your time zone ({initial.time_zone}).</p>
        </SuccessNotice>
      )}
      <ErrorNotice message={submit.error} />
      <fieldset class="field checks">
        <legend>Mid-week pace check</legend>
        <label class="check">
          <input
            type="checkbox"
            name="pace"
            checked={value.pace}
            onChange={(e) => set({ pace: (e.currentTarget as HTMLInputElement).checked })}
          />
          <span>Tell me who is behind: the reps the team screen says to talk to, or who are behind pace</span>
        </label>
      </fieldset>
      <div class="alerts__row">
        <SelectField
          label="Pace check day"
          name="pace_weekday"
          value={String(value.pace_weekday)}
          options={WEEKDAYS.map((label, i) => ({ value: String(i), label }))}
          onChange={(v) => set({ pace_weekday: Number(v) })}
          disabled={!value.pace}
          error={submit.fieldErrors.pace_weekday}
        />
        <TimeField
          label="Pace check time"
          name="pace_time"
          value={value.pace_time}
          onChange={(v) => set({ pace_time: v })}
          disabled={!value.pace}
          error={submit.fieldErrors.pace_time}
          hint={`Your time (${initial.time_zone}).`}
        />
      </div>
      <CheckboxGroup
        legend="In the daily digest"
        name="digest_kinds"
        options={DIGEST_KINDS.map((k) => ({ value: k.key, label: k.label }))}
        selected={kinds}
        onChange={(chosen) =>
          set(Object.fromEntries(DIGEST_KINDS.map((k) => [k.key, chosen.includes(k.key)])) as Partial<UpdateAlertSettings>)
        }
      />
      <CheckboxGroup
        legend="Digest days"
        name="digest_days"
        options={WEEKDAYS.map((label, i) => ({ value: String(i), label }))}
        selected={value.digest_days.map(String)}
        onChange={(days) => set({ digest_days: days.map(Number).sort((a, b) => a - b) })}
        error={submit.fieldErrors.digest_days}
      />
      <TimeField
        label="Digest time"
        name="digest_time"
        value={value.digest_time}
        onChange={(v) => set({ digest_time: v })}
        disabled={kinds.length === 0}
        error={submit.fieldErrors.digest_time}
        hint="Each kind lists what happened since its last digest; a kind with nothing new sends nothing."
      />
      <SubmitButton busy={submit.busy}>Save alerts</SubmitButton>
    </form>
  )
}

function TimeField(props: {
  label: string
  name: string
  value: string
  onChange: (value: string) => void
  disabled?: boolean
  error?: string | undefined
  hint?: string
}) {
  return (
    <FieldShell label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <input
          {...control}
          type="time"
          name={props.name}
          value={props.value}
          required
          disabled={props.disabled}
          onInput={(e) => props.onChange((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </FieldShell>
  )
}
