import { useState } from 'preact/hooks'
import type { Me } from '@contract/types'
import { api } from '../api/endpoints'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { SelectField } from '../ui/fields'
import { useResource } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import { ActivationToggle, InviteForm, PendingInvites, PersonCard, replaceUser, upsertInvite } from './people'

export function Team({ user }: { user: Me }) {
  const teams = user.managed_teams
  const [teamId, setTeamId] = useState(teams[0]?.id ?? 0)
  const team = teams.find((t) => t.id === teamId) ?? teams[0]

  if (!team) {
    return (
      <Screen title="Team">
        <EmptyState title="You don't manage a team yet.">
          <p>Ask an admin to make you the manager of a team; your reps will then show here.</p>
        </EmptyState>
      </Screen>
    )
  }

  return (
    <Screen title="Team" heading={team.name} intro={<p>Your reps, their invitations, and who can sign in.</p>}>
      {teams.length > 1 && (
        <div class="toolbar">
          <SelectField
            label="Team"
            name="team"
            value={String(team.id)}
            options={teams.map((t) => ({ value: String(t.id), label: t.name }))}
            onChange={(value) => setTeamId(Number(value))}
          />
        </div>
      )}
      <TeamDetails key={team.id} user={user} teamId={team.id} teamName={team.name} />
    </Screen>
  )
}

function TeamDetails({ user, teamId, teamName }: { user: Me; teamId: number; teamName: string }) {
  const roster = useResource(() => api.users(teamId), [teamId])
  const invites = useResource(() => api.invites(), [])
  const teamInvites = (invites.data ?? []).filter((invite) => invite.team?.id === teamId)
  const reps = (roster.data ?? []).filter((person) => person.role === 'rep')
  const others = (roster.data ?? []).filter((person) => person.role !== 'rep')

  return (
    <>
      <Section title={`Reps (${roster.data ? reps.length : '…'})`}>
        {roster.status === 'loading' && !roster.data && <Loading label="Loading your team…" />}
        <ErrorNotice message={roster.error} onRetry={roster.reload} />
        {roster.data && reps.length === 0 && (
          <EmptyState title={`No reps in ${teamName} yet.`}>
            <p>Invite your first rep below. They'll appear here once they accept.</p>
          </EmptyState>
        )}
        {reps.length > 0 && (
          <ul class="list">
            {reps.map((rep) => (
              <PersonCard key={rep.id} user={rep} viewerZone={user.time_zone} showTeam={false}>
                <ActivationToggle user={rep} onChanged={(updated) => roster.setData((list) => replaceUser(list, updated))} />
              </PersonCard>
            ))}
          </ul>
        )}
        {others.length > 0 && (
          <p class="muted small">
            Also on this team: {others.map((person) => `${person.name} (${person.role})`).join(', ')}.
          </p>
        )}
      </Section>
      <Section title="Invite a rep">
        <InviteForm
          teams={[{ id: teamId, name: teamName }]}
          chooseRole={false}
          onCreated={(invite) => invites.setData((list) => upsertInvite(list, invite))}
        />
      </Section>
      <Section title="Pending invitations">
        {invites.status === 'loading' && !invites.data && <Loading label="Loading invitations…" />}
        <ErrorNotice message={invites.error} onRetry={invites.reload} />
        {invites.data && (
          <PendingInvites
            invites={teamInvites}
            onRevoked={(id) => invites.setData((list) => list?.filter((invite) => invite.id !== id))}
          />
        )}
      </Section>
    </>
  )
}
