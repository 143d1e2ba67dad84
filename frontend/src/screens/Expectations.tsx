// Team expectations: a short page the manager writes and every rep reads, dated, with
// earlier versions.
import { useState } from 'preact/hooks'
import type { Me, TeamExpectations, TeamRef } from '@contract/types'
import { plansApi } from '../api/plans'
import { StaleNotice } from '../plans/PlanParts'
import { TextArea } from '../ui/fields'
import { useRead } from '../plans/read'
import { TeamPicker, useTeamChoice } from '../plans/TeamPicker'
import { formatInstant } from '../time/format'
import { EmptyState, ErrorNotice, Loading, SubmitButton, SuccessNotice } from '../ui/feedback'
import { useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import { dateTimeFormat } from '../time/intl'
import '../plans/plans.css'

export function updatedLine(e: Pick<TeamExpectations, 'updated_at' | 'author'>, zone: string): string {
  if (!e.updated_at) return 'Not written yet.'
  const date = dateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(e.updated_at),
  )
  return `Updated ${date}${e.author ? ` by ${e.author}` : ''}`
}

export function Expectations({ user }: { user: Me }) {
  const [team, setTeamId] = useTeamChoice(user)
  if (!team) {
    return (
      <Screen title="Team expectations">
        <EmptyState title="You're not on a team yet." />
      </Screen>
    )
  }
  const canEdit = user.managed_teams.some((t) => t.id === team.id)
  return (
    <Screen
      title="Team expectations"
      intro={<p>What we measure, each activity's quality bar, the plan deadline, and what happens when a plan is missed.</p>}
    >
      <div class="toolbar">
        <TeamPicker user={user} team={team} onChange={setTeamId} />
      </div>
      <ExpectationsFor key={team.id} user={user} team={team} canEdit={canEdit} />
    </Screen>
  )
}

function ExpectationsFor({ user, team, canEdit }: { user: Me; team: TeamRef; canEdit: boolean }) {
  const read = useRead(`expectations:${team.id}`, () => plansApi.expectations(team.id))
  const [editing, setEditing] = useState(false)
  const [saved, setSaved] = useState(false)
  const data = read.data
  return (
    <>
      <StaleNotice show={read.stale} onRetry={read.reload} />
      {read.loading && <Loading label="Loading the expectations…" />}
      <ErrorNotice message={read.error} onRetry={read.reload} />
      {data && (
        <Section
          title={team.name}
          actions={
            canEdit && !editing ? (
              <button type="button" class="button button--secondary" onClick={() => { setSaved(false); setEditing(true) }}>
                Edit
              </button>
            ) : undefined
          }
        >
          {saved && (
            <SuccessNotice>
              <p>Saved. Your reps will see the new version.</p>
            </SuccessNotice>
          )}
          <p class="muted small">{updatedLine(data, user.time_zone)}</p>
          {editing ? (
            <EditExpectations
              team={team}
              text={data.text}
              onDone={(fresh) => {
                setEditing(false)
                if (fresh) {
                  read.setData(() => fresh)
                  setSaved(true)
                }
              }}
            />
          ) : data.text ? (
            <div class="expectations-text">{data.text}</div>
          ) : (
            <EmptyState title="Nothing written yet.">
              <p>{canEdit ? 'Write down what you expect from the team: press Edit.' : 'Your manager has not written the team expectations yet.'}</p>
            </EmptyState>
          )}
        </Section>
      )}
      {data && data.history.length > 0 && (
        <Section title="Earlier versions">
          <ol class="versions">
            {data.history.map((version, i) => (
              <li key={i}>
                <details>
                  <summary>
                    {formatInstant(version.created_at, user.time_zone)} by {version.author}
                  </summary>
                  <div class="expectations-text">{version.text || '(empty)'}</div>
                </details>
              </li>
            ))}
          </ol>
        </Section>
      )}
    </>
  )
}

function EditExpectations({
  team,
  text,
  onDone,
}: {
  team: TeamRef
  text: string
  onDone: (fresh: TeamExpectations | null) => void
}) {
  const [value, setValue] = useState(text)
  const submission = useSubmit()
  async function submit(event: Event) {
    event.preventDefault()
    const fresh = await submission.run(() => plansApi.updateExpectations(team.id, { text: value }))
    if (fresh) onDone(fresh)
  }
  return (
    <form class="form" onSubmit={submit} noValidate>
      <ErrorNotice message={submission.error} />
      <TextArea
        label="Team expectations"
        name="text"
        value={value}
        onInput={setValue}
        rows={12}
        maxLength={5000}
        error={submission.fieldErrors.text}
        hint="Frame it around the process reps control: activities, quality, the plan deadline, check-ins."
        disabled={submission.busy}
      />
      <div class="row-actions">
        <SubmitButton busy={submission.busy}>Save expectations</SubmitButton>
        <button type="button" class="button button--secondary" disabled={submission.busy} onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  )
}
