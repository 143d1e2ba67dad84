import { useState } from 'preact/hooks'
import type { Me, TeamRef, UpdateUserRequest, UserSummary } from '@contract/types'
import { api } from '../api/endpoints'
import { EmptyState, ErrorNotice, Loading, SubmitButton } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import { useResource, useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import {
  ActivationToggle,
  InviteForm,
  PendingInvites,
  PersonCard,
  ROLE_OPTIONS,
  replaceUser,
  upsertInvite,
  type Role,
} from './people'

const ALL = ''

export function AdminUsers({ user }: { user: Me }) {
  const [filter, setFilter] = useState(ALL)
  const teams = useResource(() => api.teams(), [])
  const users = useResource(() => api.users(filter === ALL ? undefined : Number(filter)), [filter])
  const invites = useResource(() => api.invites(), [])
  const teamRefs: TeamRef[] = (teams.data ?? []).map(({ id, name }) => ({ id, name }))

  return (
    <Screen title="Users" intro={<p>Invite people, set their role and team, and control who can sign in.</p>}>
      <Section title="People">
        <div class="toolbar">
          <SelectField
            label="Show"
            name="team_filter"
            value={filter}
            options={[
              { value: ALL, label: 'Everyone' },
              ...teamRefs.map((team) => ({ value: String(team.id), label: `Team: ${team.name}` })),
            ]}
            onChange={setFilter}
          />
        </div>
        {users.status === 'loading' && <Loading label="Loading people…" />}
        <ErrorNotice message={users.error} onRetry={users.reload} />
        {users.status === 'ready' && users.data?.length === 0 && (
          <EmptyState title="Nobody here yet.">
            <p>Invite people below; they appear here once they accept.</p>
          </EmptyState>
        )}
        {users.status === 'ready' && users.data && users.data.length > 0 && (
          <ul class="list">
            {users.data.map((person) => (
              <UserRow
                key={person.id}
                person={person}
                viewer={user}
                teams={teamRefs}
                onChanged={(updated) => users.setData((list) => replaceUser(list, updated))}
              />
            ))}
          </ul>
        )}
      </Section>
      <Section title="Invite someone">
        <ErrorNotice message={teams.error} onRetry={teams.reload} />
        <InviteForm
          teams={teamRefs}
          chooseRole
          onCreated={(invite) => invites.setData((list) => upsertInvite(list, invite))}
        />
      </Section>
      <Section title="Pending invitations">
        {invites.status === 'loading' && !invites.data && <Loading label="Loading invitations…" />}
        <ErrorNotice message={invites.error} onRetry={invites.reload} />
        {invites.data && (
          <PendingInvites
            invites={invites.data}
            onRevoked={(id) => invites.setData((list) => list?.filter((invite) => invite.id !== id))}
          />
        )}
      </Section>
    </Screen>
  )
}

function UserRow({
  person,
  viewer,
  teams,
  onChanged,
}: {
  person: UserSummary
  viewer: Me
  teams: TeamRef[]
  onChanged: (user: UserSummary) => void
}) {
  const [editing, setEditing] = useState(false)
  const isSelf = person.id === viewer.id
  return (
    <PersonCard user={person} viewerZone={viewer.time_zone}>
      {editing ? (
        <EditUser
          person={person}
          teams={teams}
          onDone={(saved) => {
            setEditing(false)
            if (saved) onChanged(saved)
          }}
        />
      ) : (
        <div class="row-actions">
          <button type="button" class="button button--secondary" onClick={() => setEditing(true)}>
            Edit<span class="visually-hidden"> {person.name}</span>
          </button>
          {!isSelf && <ActivationToggle user={person} onChanged={onChanged} />}
        </div>
      )}
    </PersonCard>
  )
}

function EditUser({
  person,
  teams,
  onDone,
}: {
  person: UserSummary
  teams: TeamRef[]
  onDone: (saved: UserSummary | null) => void
}) {
  const [name, setName] = useState(person.name)
  const [role, setRole] = useState<Role>(person.role)
  const [teamId, setTeamId] = useState(person.team ? String(person.team.id) : '')
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    if (!name.trim()) {
      submission.fail('Please fix the highlighted fields.', { name: 'Enter a name.' })
      return
    }
    // Send only what changed, so a partial permission (or a stale list) touches nothing else.
    const changes: UpdateUserRequest = {}
    if (name.trim() !== person.name) changes.name = name.trim()
    if (role !== person.role) changes.role = role
    if (teamId !== (person.team ? String(person.team.id) : '')) changes.team_id = teamId ? Number(teamId) : null
    if (Object.keys(changes).length === 0) {
      onDone(null)
      return
    }
    const saved = await submission.run(() => api.updateUser(person.id, changes))
    if (saved) onDone(saved)
  }

  const errors = submission.fieldErrors
  return (
    <form class="form form--inline" onSubmit={submit} noValidate>
      <ErrorNotice message={submission.error} />
      <div class="form__grid">
        <TextField label="Name" name="name" required value={name} onInput={setName} error={errors.name} />
        <SelectField
          label="Role"
          name="role"
          value={role}
          options={ROLE_OPTIONS}
          onChange={(value) => setRole(value as Role)}
          error={errors.role}
        />
        <SelectField
          label="Team"
          name="team_id"
          value={teamId}
          options={[{ value: '', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
          onChange={setTeamId}
          error={errors.team_id}
        />
      </div>
      <div class="row-actions">
        <SubmitButton busy={submission.busy}>Save</SubmitButton>
        <button type="button" class="button button--secondary" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  )
}
