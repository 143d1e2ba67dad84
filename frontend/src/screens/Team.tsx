// The team's people (/team/people): reps, invitations, and who can sign in.
import type { Me } from '@contract/types'
import { api } from '../api/endpoints'
import { TeamPicker } from '../plans/TeamPicker'
import { reviewQuery } from '../review/logic'
import { ReviewIcon, teamParam, useReviewTeam } from '../review/parts'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { useResource } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import { ActivationToggle, InviteForm, PendingInvites, PersonCard, replaceUser, upsertInvite } from './people'

export function People({ user }: { user: Me }) {
  const [team, setTeamId] = useReviewTeam(user)

  if (!team) {
    return (
      <Screen title="People">
        <EmptyState title="You don't manage a team yet.">
          <p>Ask an admin to make you the manager of a team; your reps will then show here.</p>
        </EmptyState>
      </Screen>
    )
  }

  return (
    <Screen title="People" heading={`People: ${team.name}`} intro={<p>Your reps, their invitations, and who can sign in.</p>}>
      <div class="toolbar">
        <TeamPicker user={user} team={team} onChange={setTeamId} />
        <a class="button button--secondary" href={`/team${reviewQuery(null, null, { team: teamParam(user, team) })}`}>
          <ReviewIcon name="chevronLeft" />
          Back to the team
        </a>
      </div>
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
