import { describe, expect, it } from 'vitest'
import type { ScrumTotals, TeamScrum } from '@contract/types'
import {
  coverText,
  offScreenText,
  onPaceText,
  pendingText,
  scrumSteps,
  stepLabel,
  undecidedText,
} from '../src/review/scrum-logic'

const totals: ScrumTotals = { lines: [], reps: 5, whole_team: false, judged: 4, on_pace: 3, pending: 1 }
const card = { display_name: 'Rep A', anonymous: true, lines: [], attainment: 0.5, win: null, pending: false }
const scrum: TeamScrum = {
  team_id: 1, team_name: 'Demo team', week_start: '2026-11-23', totals, cards: [card],
  wrap_up: { needs_help: [] }, hidden: 1, default_visibility: 'anonymous', undecided: 2,
}

describe('the scrum', () => {
  it('opens on the team, walks each rep shown and ends on the wrap-up', () => {
    const steps = scrumSteps(scrum)
    expect(steps.map(stepLabel)).toEqual(['Team totals', 'Rep A', 'Wrap-up'])
    expect(scrumSteps({ ...scrum, cards: [] }).map(stepLabel)).toEqual(['Team totals', 'Wrap-up'])
  })

  it('says who is counted and how undecided reps appear, never why someone is off the screen', () => {
    expect(onPaceText(totals)).toBe('3 of 4 reps on pace')
    expect(onPaceText({ ...totals, judged: 0, on_pace: 0 })).toBe('No plan to measure against yet.')
    expect(coverText({ ...totals, whole_team: true, reps: 6 })).toBe('Everyone on the team: 6 reps.')
    expect(coverText(totals)).toMatch(/^The 5 reps on this screen/)
    expect(pendingText(totals)).toBe("1 rep's numbers may still be syncing.")
    expect(pendingText({ ...totals, pending: 0 })).toBeNull()
    expect(offScreenText(1)).toBe('1 rep shown to the manager only.')
    expect(offScreenText(0)).toBeNull()
    expect(undecidedText(2, 'anonymous')).toBe("2 reps have not chosen how to appear: shown anonymously, as the team's setting says.")
    expect(undecidedText(1, 'named')).toMatch(/^1 rep has not chosen how to appear: shown by name/)
    expect(undecidedText(0, 'named')).toBeNull()
  })
})
