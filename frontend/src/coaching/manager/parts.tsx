// Small pieces of the manager's check-in: a commitment's status as a pill with an icon,
// the explicit private/shared choice for a note, and the activity types a commitment can
// be measured against (the manager's team that the rep belongs to).
import type { ActivityType, Commitment, Me } from '@contract/types'
import { Icon } from '../../ui/icons'
import { useId } from 'preact/hooks'
import { plansApi } from '../../api/plans'
import { useRead } from '../../plans/read'
import { teamsOf } from '../../plans/TeamPicker'
import { Pill } from '../../review/parts'
import { STATUS_LABELS, STATUS_TONES } from './logic'

export function StatusPill({ status }: { status: Commitment['status'] }) {
  const look = STATUS_TONES[status]
  return (
    <Pill tone={look.tone} icon={look.icon}>
      {STATUS_LABELS[status]}
    </Pill>
  )
}

/** Private or shared, as two radio buttons with what each one means (private by default). */
export function VisibilityChoice({
  shared,
  onChange,
  repFirstName,
  disabled = false,
}: {
  shared: boolean
  onChange: (shared: boolean) => void
  repFirstName: string
  disabled?: boolean
}) {
  const name = useId()
  return (
    <fieldset class="field checks ci-visibility">
      <legend>Who sees this note</legend>
      <label class="check">
        <input type="radio" name={name} value="private" checked={!shared} disabled={disabled} onChange={() => onChange(false)} />
        <span>
          <strong>Private to me</strong>
          <span class="ci-visibility__hint"> — only you can read it</span>
        </span>
      </label>
      <label class="check">
        <input type="radio" name={name} value="shared" checked={shared} disabled={disabled} onChange={() => onChange(true)} />
        <span>
          <strong>Shared with {repFirstName}</strong>
          <span class="ci-visibility__hint"> — {repFirstName} can read it</span>
        </span>
      </label>
    </fieldset>
  )
}

export function VisibilityTag({ shared, repFirstName }: { shared: boolean; repFirstName: string }) {
  return shared ? (
    <Pill tone="info" icon="users">
      Shared with {repFirstName}
    </Pill>
  ) : (
    <span class="pill pill--neutral">
      <Icon name="lock" />
      <span>Private to you</span>
    </span>
  )
}


export interface TeamTypes {
  types: (ActivityType & { label: string })[]
  loading: boolean
  error: string | null
  reload: () => void
}

/**
 * The active activity types of the manager's team(s). With several teams, the team whose
 * types appear in the rep's plan is chosen; when that cannot be told, each type names its team.
 */
export function useTeamTypes(user: Me, planTypeIds: number[]): TeamTypes {
  const teams = teamsOf(user)
  const key = teams.length ? `checkin-types:${teams.map((t) => t.id).join(',')}` : null
  const read = useRead(key, async () => (await Promise.all(teams.map((t) => plansApi.activityTypes(t.id)))).flat())
  const all = (read.data ?? []).filter((t) => t.active)
  const teamOfPlan = all.find((t) => planTypeIds.includes(t.id))?.team_id
  const chosen = teamOfPlan === undefined ? all : all.filter((t) => t.team_id === teamOfPlan)
  const several = new Set(chosen.map((t) => t.team_id)).size > 1
  const types = [...chosen]
    .sort((a, b) => a.team_id - b.team_id || a.position - b.position)
    .map((t) => ({
      ...t,
      label: several ? `${t.name} (${teams.find((team) => team.id === t.team_id)?.name ?? `team ${t.team_id}`})` : t.name,
    }))
  return { types, loading: read.loading, error: read.error, reload: read.reload }
}
