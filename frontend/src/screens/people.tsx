// Pieces shared by the manager's Team screen and the admin's Users screen.
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import type { Invite, TeamRef, UserSummary } from '@contract/types'
import { describeError } from '../api/client'
import { api } from '../api/endpoints'
import { formatInstant } from '../time/format'
import { CopyLink } from '../ui/CopyLink'
import { EmptyState, ErrorNotice, SubmitButton } from '../ui/feedback'
import { SelectField, TextField, type Option } from '../ui/fields'
import { useSubmit } from '../ui/hooks'

export type Role = UserSummary['role']
export const ROLE_NAMES: Record<Role, string> = { rep: 'Rep', manager: 'Manager', admin: 'Admin' }
export const ROLE_OPTIONS: Option[] = [
  { value: 'rep', label: 'Rep' },
  { value: 'manager', label: 'Manager' },
  { value: 'admin', label: 'Admin' },
]

export function StatusBadge({ active }: { active: boolean }) {
  return <span class={`badge ${active ? 'badge--ok' : 'badge--off'}`}>{active ? 'Active' : 'Deactivated'}</span>
}

/** Deactivate asks for a second tap (no blocking dialogs); reactivate is immediate. */
export function ActivationToggle({
  user,
  onChanged,
}: {
  user: UserSummary
  onChanged: (user: UserSummary) => void
}) {
  const [confirming, setConfirming] = useState(false)
  const submission = useSubmit()

  async function setActive(active: boolean) {
    const updated = await submission.run(() => api.updateUser(user.id, { active }))
    if (updated) {
      setConfirming(false)
      onChanged(updated)
    }
  }

  return (
    <div class="row-actions">
      {user.active && !confirming && (
        <button type="button" class="button button--secondary" onClick={() => setConfirming(true)}>
          Deactivate<span class="visually-hidden"> {user.name}</span>
        </button>
      )}
      {user.active && confirming && (
        <div class="confirm" role="group" aria-label={`Deactivate ${user.name}?`}>
          <p class="small">Deactivate {user.name}? They will be signed out and can't sign in until reactivated.</p>
          <button
            type="button"
            class="button button--danger"
            disabled={submission.busy}
            onClick={() => setActive(false)}
          >
            {submission.busy ? 'Deactivating…' : 'Yes, deactivate'}
          </button>
          <button type="button" class="button button--secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {!user.active && (
        <button
          type="button"
          class="button button--secondary"
          disabled={submission.busy}
          onClick={() => setActive(true)}
        >
          {submission.busy ? 'Reactivating…' : 'Reactivate'}
          <span class="visually-hidden"> {user.name}</span>
        </button>
      )}
      <ErrorNotice message={submission.error} />
    </div>
  )
}

export function PersonFacts({ user, viewerZone }: { user: UserSummary; viewerZone: string }) {
  return (
    <dl class="facts">
      <div>
        <dt>Email</dt>
        <dd>{user.email}</dd>
      </div>
      <div>
        <dt>Time zone</dt>
        <dd>{user.time_zone}</dd>
      </div>
      <div>
        <dt>Last sign-in</dt>
        <dd>{formatInstant(user.last_login_at, viewerZone)}</dd>
      </div>
    </dl>
  )
}

export function PersonCard({
  user,
  viewerZone,
  showTeam = true,
  children,
}: {
  user: UserSummary
  viewerZone: string
  /** Off on a team's own roster, where the team name would repeat on every card. */
  showTeam?: boolean
  children?: ComponentChildren
}) {
  return (
    <li class={`person${user.active ? '' : ' person--inactive'}`}>
      <div class="person__head">
        <h3 class="person__name">{user.name}</h3>
        <span class="badge">{ROLE_NAMES[user.role]}</span>
        {showTeam && user.team && <span class="badge badge--team">{user.team.name}</span>}
        <StatusBadge active={user.active} />
      </div>
      <PersonFacts user={user} viewerZone={viewerZone} />
      {children}
    </li>
  )
}

interface InviteFormProps {
  /** Teams the inviter may invite into; a single team is fixed and not shown as a choice. */
  teams: TeamRef[]
  /** Admins pick a role; managers invite reps only. */
  chooseRole: boolean
  onCreated: (invite: Invite) => void
}

export function InviteForm({ teams, chooseRole, onCreated }: InviteFormProps) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('rep')
  const [teamId, setTeamId] = useState(teams.length === 1 ? String(teams[0]!.id) : '')
  const [created, setCreated] = useState<Invite | null>(null)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    const problems: Record<string, string> = {}
    if (!name.trim()) problems.name = 'Enter the person’s name.'
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) problems.email = 'Enter an email address like name@example.com.'
    if (role === 'rep' && !teamId) problems.team_id = 'Choose the team this person joins.'
    if (Object.keys(problems).length) {
      submission.fail('Please fix the highlighted fields.', problems)
      return
    }
    const invite = await submission.run(() =>
      api.createInvite({
        name: name.trim(),
        email: email.trim(),
        role,
        team_id: teamId ? Number(teamId) : null,
      }),
    )
    if (invite) {
      setCreated(invite)
      setName('')
      setEmail('')
      onCreated(invite)
    }
  }

  const errors = submission.fieldErrors
  const teamOptions: Option[] = [
    ...(chooseRole ? [{ value: '', label: 'No team' }] : []),
    ...teams.map((team) => ({ value: String(team.id), label: team.name })),
  ]
  return (
    <form class="form" onSubmit={submit} noValidate>
      {created?.invite_url && (
        <div class="notice notice--success">
          <p>
            Invitation created for <strong>{created.name}</strong>. Send them this link — it is shown only
            once.
          </p>
          <CopyLink label={`Invitation link for ${created.name}`} url={created.invite_url} />
        </div>
      )}
      <ErrorNotice message={submission.error} />
      <div class="form__grid">
        <TextField label="Name" name="name" autoComplete="off" required value={name} onInput={setName} error={errors.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          inputMode="email"
          autoComplete="off"
          required
          value={email}
          onInput={setEmail}
          error={errors.email}
        />
        {chooseRole && (
          <SelectField
            label="Role"
            name="role"
            value={role}
            options={ROLE_OPTIONS}
            onChange={(value) => setRole(value as Role)}
            error={errors.role}
          />
        )}
        {(chooseRole || teams.length > 1) && (
          <SelectField
            label="Team"
            name="team_id"
            value={teamId}
            options={teamOptions}
            onChange={setTeamId}
            error={errors.team_id}
          />
        )}
      </div>
      <SubmitButton busy={submission.busy} busyLabel="Creating invitation…">
        Create invitation
      </SubmitButton>
    </form>
  )
}

export function PendingInvites({
  invites,
  onRevoked,
}: {
  invites: Invite[]
  onRevoked: (id: number) => void
}) {
  if (invites.length === 0) {
    return <EmptyState title="No pending invitations.">New invitations show here until they are accepted.</EmptyState>
  }
  return (
    <ul class="list">
      {invites.map((invite) => (
        <PendingInvite key={invite.id} invite={invite} onRevoked={onRevoked} />
      ))}
    </ul>
  )
}

function PendingInvite({ invite, onRevoked }: { invite: Invite; onRevoked: (id: number) => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function revoke() {
    setBusy(true)
    setError(null)
    try {
      await api.revokeInvite(invite.id)
      onRevoked(invite.id)
    } catch (reason) {
      setError(describeError(reason))
      setBusy(false)
    }
  }

  return (
    <li class="person">
      <div class="person__head">
        <h3 class="person__name">{invite.name}</h3>
        <span class="badge">{ROLE_NAMES[invite.role]}</span>
        {invite.team && <span class="badge badge--team">{invite.team.name}</span>}
      </div>
      <dl class="facts">
        <div>
          <dt>Email</dt>
          <dd>{invite.email}</dd>
        </div>
        <div>
          <dt>Invited by</dt>
          <dd>{invite.invited_by}</dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{formatInstant(invite.expires_at)}</dd>
        </div>
      </dl>
      <div class="row-actions">
        <button type="button" class="button button--secondary" disabled={busy} onClick={revoke}>
          {busy ? 'Revoking…' : 'Revoke'}
          <span class="visually-hidden"> invitation for {invite.name}</span>
        </button>
        <ErrorNotice message={error} />
      </div>
    </li>
  )
}

/** Put a changed user back in its place in a list. */
export function replaceUser(list: UserSummary[] | undefined, updated: UserSummary): UserSummary[] | undefined {
  return list?.map((user) => (user.id === updated.id ? updated : user))
}

/** A new invite replaces a pending one for the same email (the server does the same). */
export function upsertInvite(list: Invite[] | undefined, invite: Invite): Invite[] {
  const others = (list ?? []).filter((item) => item.email.toLowerCase() !== invite.email.toLowerCase())
  return [{ ...invite, invite_url: null }, ...others]
}
