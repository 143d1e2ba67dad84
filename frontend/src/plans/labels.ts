// Words for plan states, preferences and activity icons.
import type { Preferences, TeamPlanRow, TeamPlanSettings } from '@contract/types'
import type { IconName } from '../ui/icons'

const ACTIVITY_ICONS = new Set<string>(['phone', 'car', 'handshake', 'document', 'repeat', 'dot'])

/** The icon for an activity type's stored icon name; unknown names get a dot. */
export function activityIcon(name: string): IconName {
  return (ACTIVITY_ICONS.has(name) ? name : 'dot') as IconName
}

export const ACTIVITY_ICON_OPTIONS = [
  { value: 'phone', label: 'Phone' },
  { value: 'car', label: 'Car' },
  { value: 'handshake', label: 'Handshake' },
  { value: 'document', label: 'Document' },
  { value: 'repeat', label: 'Repeat' },
  { value: 'dot', label: 'Dot' },
]

export const RHYTHM_LABELS: Record<Preferences['checkin_rhythm'], string> = {
  daily: 'A daily nudge',
  twice_weekly: 'Twice a week',
  weekly: 'Weekly only',
  not_sure: "I'm not sure yet",
}

export const STYLE_LABELS: Record<Preferences['style'], string> = {
  often: 'Check in with me often',
  autonomy: 'Give me autonomy between check-ins',
  not_sure: "I'm not sure yet",
}

export const VISIBILITY_LABELS: Record<Preferences['visibility'], string> = {
  named: 'Show my name on team views',
  anonymous: 'Show me anonymously to peers',
  manager_only: 'Only my manager sees my numbers',
  not_sure: "I'm not sure yet",
}

/** How a team shows reps who have not chosen (its default), as the setup screen offers it. */
export const TEAM_VISIBILITY_LABELS: Record<TeamPlanSettings['default_visibility'], string> = {
  named: 'By name',
  anonymous: 'Anonymously (as “Rep A”)',
  manager_only: 'To their manager only',
}

/** The same, inside a sentence: "shows reps … on shared screens". */
export const TEAM_VISIBILITY_WORDS: Record<TeamPlanSettings['default_visibility'], string> = {
  named: 'by name',
  anonymous: 'anonymously (as “Rep A”)',
  manager_only: 'to their manager only',
}

/** A "not sure" answer phrased as a conversation the manager can start. */
export const NOT_SURE_CONVERSATIONS: Record<string, string> = {
  checkin_rhythm: 'How often would check-ins help? They are not sure yet.',
  style: 'Check in often, or more autonomy between check-ins? Worth asking.',
  visibility: 'How visible do they want to be to peers? A conversation to have.',
}

export const PLAN_STATUS_LABELS: Record<TeamPlanRow['status'], string> = {
  none: 'No plan',
  draft: 'Draft',
  committed: 'Committed',
  acknowledged: 'Acknowledged',
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}
