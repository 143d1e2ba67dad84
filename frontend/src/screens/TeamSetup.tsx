// Manager: the team's activity types (icon, funnel stage, quality bar) and plan settings
// (working days, plan deadline, holidays, default funnel ratios).
import { useState } from 'preact/hooks'
import type { ActivityType, ActivityTypeInput, Me, TeamPlanSettings, TeamRef } from '@contract/types'
import { plansApi } from '../api/plans'
import { percentToRatio, ratioToPercent } from '../plans/funnel'
import { ACTIVITY_ICON_OPTIONS, TEAM_VISIBILITY_LABELS } from '../plans/labels'
import { ActivityIcon, StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { TeamPicker, useTeamChoice } from '../plans/TeamPicker'
import { reviewQuery } from '../review/logic'
import { teamParam } from '../review/parts'
import { WEEKDAYS, WEEKDAYS_SHORT } from '../plans/weeks'
import { EmptyState, ErrorNotice, Loading, SubmitButton, SuccessNotice } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import { Icon } from '../ui/icons'
import { useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import '../plans/plans.css'

const STAGE_OPTIONS = [
  { value: '', label: 'Not a funnel stage' },
  ...[1, 2, 3, 4, 5, 6].map((n) => ({ value: String(n), label: `Stage ${n}${n === 1 ? ' (top)' : ''}` })),
]
const QUALITY_OPTIONS = [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} of 5` }))

export function TeamSetup({ user }: { user: Me }) {
  const [team, setTeamId] = useTeamChoice(user)
  if (!team) {
    return (
      <Screen title="Team setup">
        <EmptyState title="You don't manage a team yet." />
      </Screen>
    )
  }
  return (
    <Screen title="Team setup" intro={<p>What your team logs and plans, and the rules of the weekly plan.</p>}>
      <div class="toolbar">
        <TeamPicker user={user} team={team} onChange={setTeamId} />
      </div>
      <SetupFor key={team.id} team={team} />
      <Section title="Review, coaching and people">
        <p class="muted">
          When the team screen flags a rep or suggests kudos, the questions you coach with, and who is on the team.
        </p>
        <ul class="link-list">
          <li>
            <a href={`/team/coaching${teamQuery(user, team)}`}>Review thresholds and coaching questions</a>
          </li>
          <li>
            <a href={`/team/people${teamQuery(user, team)}`}>People: reps, invitations and who can sign in</a>
          </li>
          <li>
            <a href="/expectations">Expectations: what good looks like on your team</a>
          </li>
        </ul>
      </Section>
    </Screen>
  )
}

function teamQuery(user: Me, team: TeamRef): string {
  return reviewQuery(null, null, { team: teamParam(user, team) })
}

function SetupFor({ team }: { team: TeamRef }) {
  const types = useRead(`types:${team.id}`, () => plansApi.activityTypes(team.id))
  const settings = useRead(`plan-settings:${team.id}`, () => plansApi.planSettings(team.id))
  const list = types.data ?? []
  const replace = (t: ActivityType) =>
    types.setData((all) => {
      const rest = (all ?? []).filter((x) => x.id !== t.id)
      return [...rest, t].sort((a, b) => a.position - b.position || a.id - b.id)
    })
  return (
    <>
      <Section title="Activity types">
        <StaleNotice show={types.stale} onRetry={types.reload} />
        {types.loading && <Loading label="Loading activity types…" />}
        <ErrorNotice message={types.error} onRetry={types.reload} />
        <ul class="stepper-list">
          {list.map((t) => (
            <li key={t.id} class={`type-row${t.active ? '' : ' type-row--inactive'}`}>
              <TypeRow type={t} onSaved={replace} />
            </li>
          ))}
        </ul>
        {types.data && (
          <details>
            <summary>Add an activity type</summary>
            <TypeForm teamId={team.id} onSaved={(t) => replace(t)} />
          </details>
        )}
      </Section>
      <Section title="Plan settings">
        <StaleNotice show={settings.stale} onRetry={settings.reload} />
        {settings.loading && <Loading label="Loading plan settings…" />}
        <ErrorNotice message={settings.error} onRetry={settings.reload} />
        {settings.data && types.data && (
          <SettingsForm
            team={team}
            settings={settings.data}
            types={list}
            onSaved={(fresh) => settings.setData(() => fresh)}
          />
        )}
      </Section>
    </>
  )
}

function TypeRow({ type, onSaved }: { type: ActivityType; onSaved: (t: ActivityType) => void }) {
  const [editing, setEditing] = useState(false)
  if (editing) {
    return (
      <TypeForm
        type={type}
        teamId={type.team_id}
        onSaved={(t) => {
          onSaved(t)
          setEditing(false)
        }}
        onCancel={() => setEditing(false)}
      />
    )
  }
  return (
    <>
      <div class="type-row__head">
        <ActivityIcon icon={type.icon} />
        <h3 class="progress-row__name">{type.name}</h3>
        {!type.active && <span class="badge badge--off">Retired</span>}
        {type.funnel_stage !== null && <span class="badge badge--team">Funnel stage {type.funnel_stage}</span>}
        <button type="button" class="button button--secondary" onClick={() => setEditing(true)} aria-label={`Edit ${type.name}`}>
          Edit
        </button>
      </div>
      <p class="small muted">
        Counts at quality {type.quality_min} of 5 or better{type.quality_bar ? `: ${type.quality_bar}` : ''}.
      </p>
    </>
  )
}

function TypeForm({
  type,
  teamId,
  onSaved,
  onCancel,
}: {
  type?: ActivityType
  teamId: number
  onSaved: (t: ActivityType) => void
  onCancel?: () => void
}) {
  const [name, setName] = useState(type?.name ?? '')
  const [icon, setIcon] = useState(type?.icon ?? 'dot')
  const [stage, setStage] = useState(type?.funnel_stage ? String(type.funnel_stage) : '')
  const [quality, setQuality] = useState(String(type?.quality_min ?? 1))
  const [bar, setBar] = useState(type?.quality_bar ?? '')
  const [active, setActive] = useState(type?.active ?? true)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    if (!name.trim()) {
      submission.fail('Please fix the highlighted fields.', { name: 'Give the activity a name.' })
      return
    }
    const body: ActivityTypeInput = {
      name: name.trim(),
      icon,
      funnel_stage: stage ? Number(stage) : null,
      quality_min: Number(quality),
      quality_bar: bar.trim(),
      active,
    }
    const saved = await submission.run(() =>
      type ? plansApi.updateActivityType(type.id, body) : plansApi.createActivityType(teamId, body),
    )
    if (saved) {
      onSaved(saved)
      if (!type) {
        setName('')
        setBar('')
        setStage('')
      }
    }
  }
  const e = submission.fieldErrors
  const busy = submission.busy
  return (
    <form class="form" onSubmit={submit} noValidate>
      <ErrorNotice message={submission.error} />
      <div class="form__grid">
        <TextField label="Name" name="name" value={name} onInput={setName} maxLength={40} error={e.name} disabled={busy} />
        <SelectField label="Icon" name="icon" value={icon} options={ACTIVITY_ICON_OPTIONS} onChange={setIcon} error={e.icon} disabled={busy} />
        <SelectField label="Funnel stage" name="funnel_stage" value={stage} options={STAGE_OPTIONS} onChange={setStage} error={e.funnel_stage} disabled={busy} />
        <SelectField
          label="Counts from quality"
          name="quality_min"
          value={quality}
          options={QUALITY_OPTIONS}
          onChange={setQuality}
          error={e.quality_min}
          disabled={busy}
        />
      </div>
      <p class="row-actions muted small">
        Preview: <ActivityIcon icon={icon} />
      </p>
      <TextField
        label="Quality bar in the team's words"
        name="quality_bar"
        value={bar}
        onInput={setBar}
        maxLength={200}
        error={e.quality_bar}
        hint='For example "conversation held with a decision maker".'
        disabled={busy}
      />
      <label class="check">
        <input type="checkbox" checked={active} disabled={busy} onChange={(ev) => setActive((ev.currentTarget as HTMLInputElement).checked)} />
        <span>Active (reps can plan and log it)</span>
      </label>
      <div class="row-actions">
        <SubmitButton busy={busy}>{type ? 'Save activity type' : 'Add activity type'}</SubmitButton>
        {onCancel && (
          <button type="button" class="button button--secondary" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  )
}

function SettingsForm({
  team,
  settings,
  types,
  onSaved,
}: {
  team: TeamRef
  settings: TeamPlanSettings
  types: ActivityType[]
  onSaved: (s: TeamPlanSettings) => void
}) {
  const [days, setDays] = useState<number[]>(settings.working_days)
  const [deadlineDay, setDeadlineDay] = useState(String(settings.plan_deadline_weekday))
  const [deadlineTime, setDeadlineTime] = useState(settings.plan_deadline_time)
  const [holidays, setHolidays] = useState<string[]>(settings.holidays)
  const [newHoliday, setNewHoliday] = useState('')
  const stages = types.filter((t) => t.funnel_stage !== null).sort((a, b) => (a.funnel_stage ?? 0) - (b.funnel_stage ?? 0))
  const [ratios, setRatios] = useState<Record<number, string>>(() =>
    Object.fromEntries(settings.default_ratios.map((r) => [r.activity_type_id, String(ratioToPercent(r.ratio))])),
  )
  const [visibility, setVisibility] = useState(settings.default_visibility)
  const [saved, setSaved] = useState(false)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    setSaved(false)
    const problems: Record<string, string> = {}
    if (days.length === 0) problems.working_days = 'Choose at least one working day.'
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(deadlineTime)) problems.plan_deadline_time = 'Enter a time like 12:00.'
    const defaultRatios: { activity_type_id: number; ratio: number }[] = []
    for (const t of stages) {
      const text = ratios[t.id]
      if (text === undefined || text === '') continue
      const ratio = percentToRatio(text)
      if (ratio === null) problems[`ratio-${t.id}`] = 'Enter a percentage above 0 and at most 100.'
      else defaultRatios.push({ activity_type_id: t.id, ratio })
    }
    if (Object.keys(problems).length) {
      submission.fail('Please fix the highlighted fields.', problems)
      return
    }
    const fresh = await submission.run(() =>
      plansApi.updatePlanSettings(team.id, {
        working_days: [...days].sort(),
        plan_deadline_weekday: Number(deadlineDay),
        plan_deadline_time: deadlineTime,
        holidays: [...holidays].sort(),
        default_ratios: defaultRatios,
        default_visibility: visibility,
      }),
    )
    if (fresh) {
      setSaved(true)
      onSaved(fresh)
    }
  }

  const e = submission.fieldErrors
  const busy = submission.busy
  return (
    <form class="form" onSubmit={submit} noValidate>
      {saved && (
        <SuccessNotice>
          <p>Plan settings saved.</p>
        </SuccessNotice>
      )}
      <ErrorNotice message={submission.error} />
      <fieldset class={`field${e.working_days ? ' field--invalid' : ''}`}>
        <legend>Working days</legend>
        <div class="day-toggles">
          {WEEKDAYS_SHORT.map((label, day) => (
            <label class="day-toggle" key={day}>
              <input
                type="checkbox"
                checked={days.includes(day)}
                disabled={busy}
                aria-label={WEEKDAYS[day]}
                onChange={(ev) => {
                  const on = (ev.currentTarget as HTMLInputElement).checked
                  setDays((d) => (on ? [...d, day] : d.filter((x) => x !== day)))
                }}
              />
              <span aria-hidden="true">{label}</span>
            </label>
          ))}
        </div>
        {e.working_days && <p class="field__error">{e.working_days}</p>}
      </fieldset>
      <div class="form__grid">
        <SelectField
          label="Plans are due on"
          name="plan_deadline_weekday"
          value={deadlineDay}
          options={WEEKDAYS.map((d, i) => ({ value: String(i), label: d }))}
          onChange={setDeadlineDay}
          error={e.plan_deadline_weekday}
          disabled={busy}
        />
        <div class={`field${e.plan_deadline_time ? ' field--invalid' : ''}`}>
          <label for="deadline-time">At (each rep's local time)</label>
          <input
            id="deadline-time"
            type="time"
            value={deadlineTime}
            disabled={busy}
            aria-invalid={e.plan_deadline_time ? 'true' : undefined}
            aria-describedby={e.plan_deadline_time ? 'deadline-time-error' : undefined}
            onInput={(ev) => setDeadlineTime((ev.currentTarget as HTMLInputElement).value)}
          />
          {e.plan_deadline_time && (
            <p class="field__error" id="deadline-time-error">
              {e.plan_deadline_time}
            </p>
          )}
        </div>
      </div>
      <fieldset class="field">
        <legend>Holidays</legend>
        {holidays.length === 0 && <p class="field__hint">No holidays.</p>}
        <ul class="target-chips">
          {holidays.map((h) => (
            <li key={h}>
              <span>{h}</span>
              <button
                type="button"
                class="button button--link"
                disabled={busy}
                aria-label={`Remove holiday ${h}`}
                onClick={() => setHolidays((list) => list.filter((x) => x !== h))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <div class="times">
          <div class={`field${e.holidays ? ' field--invalid' : ''}`}>
            <label for="new-holiday">Add a holiday</label>
            <input id="new-holiday" type="date" value={newHoliday} disabled={busy} onInput={(ev) => setNewHoliday((ev.currentTarget as HTMLInputElement).value)} />
          </div>
          <button
            type="button"
            class="button button--secondary"
            disabled={busy || !newHoliday}
            onClick={() => {
              setHolidays((list) => (list.includes(newHoliday) ? list : [...list, newHoliday].sort()))
              setNewHoliday('')
            }}
          >
            <Icon name="plus" />
            Add
          </button>
        </div>
        {e.holidays && <p class="field__error">{e.holidays}</p>}
      </fieldset>
      <SelectField
        label="On shared screens, show reps who have not chosen"
        name="default_visibility"
        value={visibility}
        options={Object.entries(TEAM_VISIBILITY_LABELS).map(([value, label]) => ({ value, label }))}
        onChange={(value) => setVisibility(value as TeamPlanSettings['default_visibility'])}
        hint="The weekly scrum and peer kudos. Each rep sees this on their preferences and can choose otherwise; their choice wins."
        error={e.default_visibility}
        disabled={busy}
      />
      <fieldset class="field">
        <legend>Default funnel ratios</legend>
        <p class="field__hint">Used when a rep's own history is too short. Each stage's conversion into the next, in percent.</p>
        {stages.length === 0 && <p class="field__hint">No activity type is a funnel stage yet.</p>}
        <div class="form__grid">
          {stages.map((t) => {
            const id = `default-ratio-${t.id}`
            const err = e[`ratio-${t.id}`]
            return (
              <div class={`field${err ? ' field--invalid' : ''}`} key={t.id}>
                <label for={id}>
                  {t.name} (stage {t.funnel_stage}) converts, %
                </label>
                <input
                  id={id}
                  type="number"
                  inputMode="decimal"
                  min={0.1}
                  max={100}
                  step={0.1}
                  value={ratios[t.id] ?? ''}
                  disabled={busy}
                  aria-invalid={err ? 'true' : undefined}
                  aria-describedby={err ? `${id}-error` : undefined}
                  onInput={(ev) => {
                    const value = (ev.currentTarget as HTMLInputElement).value
                    setRatios((r) => ({ ...r, [t.id]: value }))
                  }}
                />
                {err && (
                  <p class="field__error" id={`${id}-error`}>
                    {err}
                  </p>
                )}
              </div>
            )
          })}
        </div>
        {e.default_ratios && <p class="field__error">{e.default_ratios}</p>}
      </fieldset>
      <SubmitButton busy={busy}>Save plan settings</SubmitButton>
    </form>
  )
}
