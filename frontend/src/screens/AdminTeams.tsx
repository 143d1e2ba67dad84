import { useState } from 'preact/hooks'
import type { Team, UpdateTeamRequest, UserSummary } from '@contract/types'
import { api } from '../api/endpoints'
import { EmptyState, ErrorNotice, Loading, SubmitButton } from '../ui/feedback'
import { CheckboxGroup, TextField, type Option } from '../ui/fields'
import { useResource, useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'

function managerOptions(users: UserSummary[] | undefined): Option[] {
  return (users ?? [])
    .filter((user) => user.role === 'manager' && user.active)
    .map((user) => ({ value: String(user.id), label: `${user.name} (${user.email})` }))
}

export function AdminTeams() {
  const teams = useResource(() => api.teams(), [])
  const users = useResource(() => api.users(), [])
  const managers = managerOptions(users.data)

  const replaceTeam = (updated: Team) =>
    teams.setData((list) => list?.map((team) => (team.id === updated.id ? updated : team)))

  return (
    <Screen title="Teams" intro={<p>Create teams, rename them, and choose who manages each one.</p>}>
      <Section title="All teams">
        {teams.status === 'loading' && !teams.data && <Loading label="Loading teams…" />}
        <ErrorNotice message={teams.error} onRetry={teams.reload} />
        {teams.data && teams.data.length === 0 && (
          <EmptyState title="No teams yet.">
            <p>Create the first team below, then invite its manager and reps.</p>
          </EmptyState>
        )}
        {teams.data && teams.data.length > 0 && (
          <ul class="list">
            {teams.data.map((team) => (
              <TeamRow key={team.id} team={team} managers={managers} onSaved={replaceTeam} />
            ))}
          </ul>
        )}
      </Section>
      <Section title="Create a team">
        <ErrorNotice message={users.error} onRetry={users.reload} />
        <CreateTeam managers={managers} onCreated={(team) => teams.setData((list) => [...(list ?? []), team])} />
      </Section>
    </Screen>
  )
}

function TeamRow({
  team,
  managers,
  onSaved,
}: {
  team: Team
  managers: Option[]
  onSaved: (team: Team) => void
}) {
  const [editing, setEditing] = useState(false)
  const managerNames = team.managers.map((m) => m.name).join(', ')
  return (
    <li class="person">
      <div class="person__head">
        <h3 class="person__name">{team.name}</h3>
        <span class="badge">
          {team.rep_count} rep{team.rep_count === 1 ? '' : 's'}
        </span>
      </div>
      <dl class="facts">
        <div>
          <dt>Managers</dt>
          <dd>{managerNames || 'No manager yet'}</dd>
        </div>
      </dl>
      {editing ? (
        <EditTeam
          team={team}
          managers={managers}
          onDone={(saved) => {
            setEditing(false)
            if (saved) onSaved(saved)
          }}
        />
      ) : (
        <div class="row-actions">
          <button type="button" class="button button--secondary" onClick={() => setEditing(true)}>
            Edit<span class="visually-hidden"> {team.name}</span>
          </button>
        </div>
      )}
    </li>
  )
}

function EditTeam({
  team,
  managers,
  onDone,
}: {
  team: Team
  managers: Option[]
  onDone: (saved: Team | null) => void
}) {
  const [name, setName] = useState(team.name)
  const [managerIds, setManagerIds] = useState(team.managers.map((m) => String(m.id)))
  const submission = useSubmit()
  // Keep current managers selectable even if they are no longer active managers.
  const options = [
    ...managers,
    ...team.managers
      .filter((m) => !managers.some((o) => o.value === String(m.id)))
      .map((m) => ({ value: String(m.id), label: m.name })),
  ]

  async function submit(event: Event) {
    event.preventDefault()
    if (!name.trim()) {
      submission.fail('Please fix the highlighted fields.', { name: 'Give the team a name.' })
      return
    }
    // Send only what changed: the server checks manager lists, so leave them alone unless edited.
    const changes: UpdateTeamRequest = {}
    if (name.trim() !== team.name) changes.name = name.trim()
    const before = team.managers.map((m) => m.id).sort((a, b) => a - b)
    const after = managerIds.map(Number).sort((a, b) => a - b)
    if (before.join(',') !== after.join(',')) changes.manager_ids = after
    if (Object.keys(changes).length === 0) {
      onDone(null)
      return
    }
    const saved = await submission.run(() => api.updateTeam(team.id, changes))
    if (saved) onDone(saved)
  }

  return (
    <form class="form form--inline" onSubmit={submit} noValidate>
      <ErrorNotice message={submission.error} />
      <TextField label="Team name" name="name" required value={name} onInput={setName} error={submission.fieldErrors.name} />
      <CheckboxGroup
        legend="Managers"
        name="manager_ids"
        options={options}
        selected={managerIds}
        onChange={setManagerIds}
        empty="No users have the manager role yet. Invite one on the Users screen."
        error={submission.fieldErrors.manager_ids}
      />
      <div class="row-actions">
        <SubmitButton busy={submission.busy}>Save team</SubmitButton>
        <button type="button" class="button button--secondary" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  )
}

function CreateTeam({ managers, onCreated }: { managers: Option[]; onCreated: (team: Team) => void }) {
  const [name, setName] = useState('')
  const [managerIds, setManagerIds] = useState<string[]>([])
  const [created, setCreated] = useState<string | null>(null)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    setCreated(null)
    if (!name.trim()) {
      submission.fail('Please fix the highlighted fields.', { name: 'Give the team a name.' })
      return
    }
    const team = await submission.run(() =>
      api.createTeam({ name: name.trim(), manager_ids: managerIds.map(Number) }),
    )
    if (team) {
      setCreated(team.name)
      setName('')
      setManagerIds([])
      onCreated(team)
    }
  }

  return (
    <form class="form" onSubmit={submit} noValidate>
      {created && (
        <div class="notice notice--success" role="status">
          <p>Team “{created}” created.</p>
        </div>
      )}
      <ErrorNotice message={submission.error} />
      <TextField label="Team name" name="name" required value={name} onInput={setName} error={submission.fieldErrors.name} />
      <CheckboxGroup
        legend="Managers (optional)"
        name="manager_ids"
        options={managers}
        selected={managerIds}
        onChange={setManagerIds}
        empty="No users have the manager role yet. Invite one on the Users screen, then come back."
        error={submission.fieldErrors.manager_ids}
      />
      <SubmitButton busy={submission.busy} busyLabel="Creating…">
        Create team
      </SubmitButton>
    </form>
  )
}
