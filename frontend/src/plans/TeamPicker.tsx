// Managers of several teams pick which one a screen shows.
import { useState } from 'preact/hooks'
import type { Me, TeamRef } from '@contract/types'
import { SelectField } from '../ui/fields'

/** The teams this person manages (or, for a rep, their own team). */
export function teamsOf(user: Me): TeamRef[] {
  if (user.managed_teams.length) return user.managed_teams
  return user.team ? [user.team] : []
}

export function useTeamChoice(user: Me): [TeamRef | undefined, (id: number) => void] {
  const teams = teamsOf(user)
  const [teamId, setTeamId] = useState(teams[0]?.id ?? 0)
  return [teams.find((t) => t.id === teamId) ?? teams[0], setTeamId]
}

export function TeamPicker({ user, team, onChange }: { user: Me; team: TeamRef; onChange: (id: number) => void }) {
  const teams = teamsOf(user)
  if (teams.length < 2) return null
  return (
    <SelectField
      label="Team"
      name="team"
      value={String(team.id)}
      options={teams.map((t) => ({ value: String(t.id), label: t.name }))}
      onChange={(value) => onChange(Number(value))}
    />
  )
}
