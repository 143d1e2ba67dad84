// The weekly scrum's running order and words: the team against its plan first, then each
// rep on the screen, then the wrap-up. No DOM, no fetch.
import type { ScrumCard, ScrumTotals, TeamScrum } from '@contract/types'

export type ScrumStep = { kind: 'team' } | { kind: 'rep'; card: ScrumCard } | { kind: 'wrap' }

/** Team totals, each rep shown, the wrap-up: a ten-minute ritual in that order. */
export function scrumSteps(scrum: TeamScrum): ScrumStep[] {
  return [{ kind: 'team' }, ...scrum.cards.map((card) => ({ kind: 'rep' as const, card })), { kind: 'wrap' }]
}

export function stepLabel(step: ScrumStep): string {
  if (step.kind === 'team') return 'Team totals'
  if (step.kind === 'wrap') return 'Wrap-up'
  return step.card.display_name
}

const SHOWN_AS: Record<TeamScrum['default_visibility'], string> = {
  named: 'by name',
  anonymous: 'anonymously',
  manager_only: 'to you only',
}

function reps(n: number): string {
  return n === 1 ? '1 rep' : `${n} reps`
}

/** Who is not on the screen, without saying why (a choice, or the team's default). */
export function offScreenText(hidden: number): string | null {
  if (hidden <= 0) return null
  return `${reps(hidden)} shown to the manager only.`
}

/** Reps who have not chosen, and how the team's default shows them. */
export function undecidedText(undecided: number, shownAs: TeamScrum['default_visibility']): string | null {
  if (undecided <= 0) return null
  const verb = undecided === 1 ? 'has' : 'have'
  return `${reps(undecided)} ${verb} not chosen how to appear: shown ${SHOWN_AS[shownAs]}, as the team's setting says.`
}

/** "3 of 5 reps on pace", or why no one can be counted yet. */
export function onPaceText(totals: ScrumTotals): string {
  if (totals.judged === 0) return 'No plan to measure against yet.'
  return `${totals.on_pace} of ${reps(totals.judged)} on pace`
}

/** Whose numbers the totals add up. */
export function coverText(totals: ScrumTotals): string {
  if (totals.whole_team) return `Everyone on the team: ${reps(totals.reps)}.`
  return `The ${reps(totals.reps)} on this screen (with one rep off the screen, the team's totals would show their week).`
}

export function pendingText(totals: ScrumTotals): string | null {
  if (totals.pending <= 0) return null
  return totals.pending === 1
    ? "1 rep's numbers may still be syncing."
    : `${totals.pending} reps' numbers may still be syncing.`
}

/** Where the wrap-up notes are kept on this device: one note per team and week. */
export function notesKey(teamId: number, week: string): string {
  return `followthrough:scrum-notes:${teamId}:${week}`
}
