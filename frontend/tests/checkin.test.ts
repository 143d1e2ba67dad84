import { describe, expect, it } from 'vitest'
import type { CheckinSchedule, Commitment, Reflection, SelfCoachingPrompt } from '@contract/types'
import {
  canMark,
  checkCommitment,
  dueBounds,
  dueText,
  editSummary,
  followUpSummary,
  groupFollowUp,
  groupPrompts,
  isMeasured,
  MAX_DUE_DAYS,
  needsVerdict,
  newClientKey,
  pluralName,
  preferenceText,
  progressText,
  reflectionIsEmpty,
  replaceCommitment,
  rhythmText,
  sourceText,
  STATUS_LABELS,
  STATUS_TONES,
  todayIn,
  validateDueDate,
  validateNoteEdit,
  validatePrompt,
  validateSchedule,
  visibilityText,
  weekdaysText,
  type CommitmentDraft,
} from '../src/coaching/manager/logic'

function commitment(overrides: Partial<Commitment> = {}): Commitment {
  return {
    id: 1,
    user_id: 7,
    checkin_id: 3,
    text: 'Call back the five trade-fair leads',
    due_on: '2026-11-27',
    activity_type_id: null,
    activity_type_name: null,
    target_count: null,
    done_count: null,
    status: 'to_review',
    status_source: 'pending',
    created_at: '2026-11-20T10:00:00Z',
    ...overrides,
  }
}

const measured = (overrides: Partial<Commitment> = {}) =>
  commitment({
    activity_type_id: 2,
    activity_type_name: 'Call',
    target_count: 2,
    done_count: 2,
    status: 'met',
    status_source: 'measured',
    ...overrides,
  })

describe('commitment statuses', () => {
  it('has a label and a tone with an icon for every status', () => {
    for (const status of ['open', 'met', 'partly', 'not_met', 'to_review'] as const) {
      expect(STATUS_LABELS[status]).toBeTruthy()
      expect(STATUS_TONES[status].icon).toBeTruthy()
    }
    expect(STATUS_LABELS.not_met).toBe('Not met')
    expect(STATUS_LABELS.to_review).toBe('To review')
    expect(STATUS_LABELS.partly).toBe('Partly met')
  })

  it('tells measured commitments from the ones the manager marks', () => {
    expect(isMeasured(measured())).toBe(true)
    expect(isMeasured(commitment())).toBe(false)
    expect(needsVerdict(commitment())).toBe(true)
    expect(needsVerdict(commitment({ status: 'to_review', status_source: 'manager' }))).toBe(true)
    expect(needsVerdict(measured())).toBe(false)
    expect(needsVerdict(commitment({ status: 'met', status_source: 'manager' }))).toBe(false)
  })

  it('lets the manager mark unmeasured ones, and change a verdict, but never a measured one', () => {
    expect(canMark(commitment())).toBe(true)
    expect(canMark(commitment({ status: 'partly', status_source: 'manager' }))).toBe(true)
    expect(canMark(measured())).toBe(false)
    expect(canMark(measured({ status: 'open', done_count: 1 }))).toBe(false)
  })

  it('writes progress as "done of target" with the activity in the plural', () => {
    expect(progressText(measured())).toBe('2 of 2 Calls')
    expect(progressText(measured({ done_count: 0, target_count: 1 }))).toBe('0 of 1 Call')
    expect(progressText(measured({ done_count: null, target_count: 3, activity_type_name: 'Follow-up' }))).toBe('0 of 3 Follow-ups')
    expect(progressText(measured({ activity_type_name: 'Proposals' }))).toBe('2 of 2 Proposals')
    expect(progressText(commitment())).toBeNull()
    expect(pluralName('Company')).toBe('Companies')
    expect(pluralName('Day')).toBe('Days')
  })

  it('says who decided the status', () => {
    expect(sourceText(measured())).toBe('Counted from logged activity')
    expect(sourceText(measured({ status: 'open' }))).toBe('Counted from logged activity so far')
    expect(sourceText(commitment({ status: 'met', status_source: 'manager' }))).toBe('Marked at a check-in')
    expect(sourceText(commitment())).toMatch(/Cannot be measured/)
  })

  it('groups the follow-up: the ones to review first, the rest in order', () => {
    const list = [measured({ id: 1 }), commitment({ id: 2 }), commitment({ id: 3, status: 'not_met', status_source: 'manager' })]
    const groups = groupFollowUp(list)
    expect(groups.toReview.map((c) => c.id)).toEqual([2])
    expect(groups.settled.map((c) => c.id)).toEqual([1, 3])
    expect(followUpSummary(list)).toBe('1 met, 1 not met, 1 to review.')
    expect(followUpSummary([])).toBe('No commitments to follow up.')
  })

  it('replaces one commitment in place', () => {
    const list = [commitment({ id: 1 }), commitment({ id: 2 })]
    const next = replaceCommitment(list, commitment({ id: 2, status: 'met', status_source: 'manager' }))
    expect(next.map((c) => [c.id, c.status])).toEqual([
      [1, 'to_review'],
      [2, 'met'],
    ])
  })
})

describe('due dates', () => {
  const today = '2026-11-25'

  it('accepts today up to 8 weeks ahead', () => {
    expect(dueBounds(today)).toEqual({ min: '2026-11-25', max: '2027-01-20' })
    expect(MAX_DUE_DAYS).toBe(56)
    expect(validateDueDate('2026-11-25', today)).toBeNull()
    expect(validateDueDate('2027-01-20', today)).toBeNull()
  })

  it('refuses the past, beyond 8 weeks, empty and impossible dates', () => {
    expect(validateDueDate('2026-11-24', today)).toMatch(/past/)
    expect(validateDueDate('2027-01-21', today)).toMatch(/within 8 weeks/)
    expect(validateDueDate('', today)).toMatch(/Choose/)
    expect(validateDueDate('2026-02-30', today)).toMatch(/Enter a date/)
    expect(validateDueDate('25.11.2026', today)).toMatch(/Enter a date/)
  })

  it('takes today in the rep’s zone', () => {
    const late = new Date('2026-11-25T23:30:00Z')
    expect(todayIn('UTC', late)).toBe('2026-11-25')
    expect(todayIn('Europe/Berlin', late)).toBe('2026-11-26')
    expect(todayIn('America/Los_Angeles', late)).toBe('2026-11-25')
    expect(todayIn('Not/AZone', late)).toBe('2026-11-25')
  })

  it('writes due dates in words', () => {
    expect(dueText('2026-11-25', today)).toBe('today (Wed 25 Nov)')
    expect(dueText('2026-11-26', today)).toBe('tomorrow (Thu 26 Nov)')
    expect(dueText('2026-12-04', today)).toBe('Fri 4 Dec')
    expect(dueText('2027-01-08', today)).toBe('Fri 8 Jan 2027')
  })
})

describe('a new commitment', () => {
  const today = '2026-11-25'
  const draft = (overrides: Partial<CommitmentDraft> = {}): CommitmentDraft => ({
    text: '  Book two demos  ',
    dueOn: '2026-11-27',
    measurable: false,
    activityTypeId: '',
    count: '',
    ...overrides,
  })

  it('sends words only when it is not measurable', () => {
    expect(checkCommitment(draft({ activityTypeId: '3', count: '2' }), today)).toEqual({
      body: { text: 'Book two demos', due_on: '2026-11-27', activity_type_id: null, target_count: null },
    })
  })

  it('sends the activity and the count when measurable', () => {
    expect(checkCommitment(draft({ measurable: true, activityTypeId: '3', count: '2' }), today)).toEqual({
      body: { text: 'Book two demos', due_on: '2026-11-27', activity_type_id: 3, target_count: 2 },
    })
  })

  it('names every field that is wrong', () => {
    const result = checkCommitment(draft({ text: 'ok', dueOn: '2026-11-01', measurable: true, count: '0' }), today)
    expect('errors' in result && Object.keys(result.errors).sort()).toEqual(['activity_type_id', 'due_on', 'target_count', 'text'])
    const tooMany = checkCommitment(draft({ measurable: true, activityTypeId: '1', count: '501' }), today)
    expect('errors' in tooMany && tooMany.errors.target_count).toMatch(/1 to 500/)
    const fraction = checkCommitment(draft({ measurable: true, activityTypeId: '1', count: '1.5' }), today)
    expect('errors' in fraction && fraction.errors.target_count).toBeTruthy()
  })
})

describe('the rhythm', () => {
  const schedule: Pick<CheckinSchedule, 'weekdays' | 'time' | 'time_zone'> = { weekdays: [3], time: '14:00', time_zone: 'Europe/Berlin' }

  it('says the weekdays in words', () => {
    expect(weekdaysText([3])).toBe('Thursdays')
    expect(weekdaysText([3, 0])).toBe('Mondays and Thursdays')
    expect(weekdaysText([0, 2, 4])).toBe('Mondays, Wednesdays and Fridays')
    expect(weekdaysText([0, 1, 2, 3, 4])).toBe('Every weekday')
    expect(weekdaysText([0, 1, 2, 3, 4, 5, 6])).toBe('Every day')
    expect(weekdaysText([])).toBe('No days')
    expect(rhythmText(schedule)).toBe('Thursdays at 14:00 (Europe/Berlin)')
  })

  it('words the rep’s own preference', () => {
    expect(preferenceText('weekly')).toBe('Weekly only')
    expect(preferenceText('not_sure')).toBe("I'm not sure yet")
    expect(preferenceText('every_other_week')).toBe('every other week')
    expect(preferenceText('')).toBe('Not answered yet')
  })

  it('needs a day and a valid time', () => {
    expect(validateSchedule([3], '14:00')).toEqual({})
    expect(Object.keys(validateSchedule([], '25:00')).sort()).toEqual(['time', 'weekdays'])
  })
})

describe('notes', () => {
  it('says who sees a note', () => {
    expect(visibilityText(false, 'Jordan')).toBe('Private to you')
    expect(visibilityText(true, 'Jordan')).toBe('Shared with Jordan')
  })

  it('needs a reason to change a note once the check-in is closed', () => {
    expect(validateNoteEdit('Talked about demos', '', false)).toEqual({})
    expect(validateNoteEdit('Talked about demos', '', true).reason).toMatch(/why/)
    expect(validateNoteEdit('Talked about demos', 'typo', true)).toEqual({})
    expect(validateNoteEdit('   ', 'typo', true).body).toBeTruthy()
  })

  it('words an audit entry', () => {
    expect(editSummary({ what: 'body', before: 'old', after: 'new' })).toBe('Body: “old” → “new”')
    expect(editSummary({ what: 'shared', before: 'false', after: 'true' })).toBe('Shared: “false” → “true”')
  })
})

describe('reflection', () => {
  const base: Reflection = {
    id: 'r1',
    user_id: 7,
    week_start: '2026-11-23',
    wins: '',
    stuck: '',
    differently: '',
    help_wanted: '',
    self_rating: null,
    jottings: [],
    updated_at: '2026-11-25T09:00:00Z',
  }

  it('counts a saved but empty reflection as not written', () => {
    expect(reflectionIsEmpty(null)).toBe(true)
    expect(reflectionIsEmpty(base)).toBe(true)
    expect(reflectionIsEmpty({ ...base, jottings: ['  '] })).toBe(true)
    expect(reflectionIsEmpty({ ...base, help_wanted: 'A CRM export' })).toBe(false)
    expect(reflectionIsEmpty({ ...base, self_rating: 3 })).toBe(false)
  })
})

describe('self-coaching library', () => {
  const prompt = (id: string, trigger: SelfCoachingPrompt['trigger'], source: SelfCoachingPrompt['source']): SelfCoachingPrompt => ({
    id,
    text: `Prompt ${id}`,
    trigger,
    source,
  })

  it('groups by trigger in a fixed order, the team’s own first', () => {
    const groups = groupPrompts([
      prompt('lib-1', 'behind', 'library'),
      prompt('team-1', 'setback', 'team'),
      prompt('lib-2', 'setback', 'library'),
      prompt('team-2', 'behind', 'team'),
    ])
    expect(groups.map((g) => g.label)).toEqual(['After a setback', 'When behind pace'])
    expect(groups[0]!.prompts.map((p) => p.id)).toEqual(['team-1', 'lib-2'])
    expect(groups[1]!.prompts.map((p) => p.id)).toEqual(['team-2', 'lib-1'])
    expect(groupPrompts([]).every((g) => g.prompts.length === 0)).toBe(true)
  })

  it('takes 10 to 300 characters', () => {
    expect(validatePrompt('too short')).toMatch(/at least 10/)
    expect(validatePrompt('What can I still control?')).toBeNull()
    expect(validatePrompt('x'.repeat(301))).toMatch(/300/)
  })
})

describe('client keys', () => {
  it('fit the contract and differ each time', () => {
    const a = newClientKey()
    const b = newClientKey()
    expect(a).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(a).not.toBe(b)
  })
})
