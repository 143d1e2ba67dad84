import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Commitment, Me, SelfCoachingPrompt, Timeline } from '@contract/types'
import {
  commitmentProgress,
  dueText,
  groupTimeline,
  isBehind,
  isSetback,
  mayOffer,
  openCommitments,
  reflectionState,
  sameReflection,
  weekLabel,
  type KeyValueStore,
} from '../src/coaching/logic'
import { claimPromptSlot, dismissPrompt, loadPrompt, prefetchPrompts, releasePromptSlot, showingPrompt } from '../src/coaching/selfCoaching'
import { closeDb, rememberUser, type LocalReflection } from '../src/db'
import {
  appendJotting,
  currentWeekStart,
  emptyReflection,
  getReflection,
  JOTTINGS_MAX,
  listOutbox,
  logActivity,
  normalizedReflection,
  saveReflection,
  weekStartFromParam,
} from '../src/sync/local'

class MemoryStore implements KeyValueStore {
  data = new Map<string, string>()
  getItem(key: string) {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.data.set(key, value)
  }
  removeItem(key: string) {
    this.data.delete(key)
  }
}

const rep: Me = {
  id: 7,
  email: 'rep@demo.test',
  name: 'Rep',
  role: 'rep',
  time_zone: 'Europe/Berlin',
  team: { id: 1, name: 'T' },
  managed_teams: [],
}

const prompt = (trigger: 'setback' | 'behind', text = 'What would you ask earlier next time?'): SelfCoachingPrompt => ({
  id: `p-${trigger}`,
  text,
  trigger,
  source: 'library',
})

describe('self-coaching: one prompt at a time, not again the same day once dismissed', () => {
  let store: MemoryStore
  beforeEach(() => {
    store = new MemoryStore()
    showingPrompt.value = null
  })

  it('offers a prompt until it is dismissed, then not again that day, and again the next day', () => {
    const base = { store, userId: 7, trigger: 'setback' as const, showing: null }
    expect(mayOffer({ ...base, today: '2026-11-25' })).toBe(true)
    expect(claimPromptSlot(7, 'setback', '2026-11-25', store)).toBe(true)
    dismissPrompt(7, 'setback', '2026-11-25', store)
    expect(showingPrompt.value).toBeNull()
    expect(mayOffer({ ...base, today: '2026-11-25' })).toBe(false)
    expect(claimPromptSlot(7, 'setback', '2026-11-25', store)).toBe(false)
    expect(mayOffer({ ...base, today: '2026-11-26' })).toBe(true)
  })

  it('a dismissal is per trigger and per person', () => {
    dismissPrompt(7, 'setback', '2026-11-25', store)
    expect(claimPromptSlot(7, 'behind', '2026-11-25', store)).toBe(true)
    releasePromptSlot('behind')
    expect(claimPromptSlot(8, 'setback', '2026-11-25', store)).toBe(true)
  })

  it('never shows two at once: the slot is held until released', () => {
    expect(claimPromptSlot(7, 'behind', '2026-11-25', store)).toBe(true)
    expect(claimPromptSlot(7, 'setback', '2026-11-25', store)).toBe(false)
    // The same trigger may re-render its own prompt.
    expect(claimPromptSlot(7, 'behind', '2026-11-25', store)).toBe(true)
    releasePromptSlot('setback') // not the holder: no effect
    expect(showingPrompt.value).toBe('behind')
    releasePromptSlot('behind')
    expect(claimPromptSlot(7, 'setback', '2026-11-25', store)).toBe(true)
  })

  it('caches the prompt for offline use and falls back to it without signal', async () => {
    expect(await loadPrompt(7, 'setback', async () => prompt('setback'), store)).toMatchObject({ text: 'What would you ask earlier next time?' })
    const offline = async () => {
      throw new TypeError('Failed to fetch')
    }
    expect(await loadPrompt(7, 'setback', offline, store)).toMatchObject({ id: 'p-setback', trigger: 'setback' })
    expect(await loadPrompt(7, 'behind', offline, store)).toBeNull()
    // The team has none any more: the cached one goes too.
    expect(await loadPrompt(7, 'setback', async () => null, store)).toBeNull()
    expect(await loadPrompt(7, 'setback', offline, store)).toBeNull()
  })

  it('prefetch warms both triggers once', async () => {
    const asked: string[] = []
    const fetcher = async (trigger: 'setback' | 'behind') => {
      asked.push(trigger)
      return prompt(trigger)
    }
    prefetchPrompts(7, fetcher, store)
    await new Promise((resolve) => setTimeout(resolve, 0))
    prefetchPrompts(7, fetcher, store)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(asked.sort()).toEqual(['behind', 'setback'])
    expect(await loadPrompt(7, 'behind', async () => Promise.reject(new Error('offline')), store)).toMatchObject({ trigger: 'behind' })
  })

  it('setbacks are no interest and lost', () => {
    expect(['next_step', 'follow_up', 'no_interest', 'proposal_requested', 'won', 'lost'].filter(isSetback)).toEqual(['no_interest', 'lost'])
  })
})

describe('jottings append to this week’s reflection through the offline save', () => {
  const WEEK = '2026-11-23'
  beforeEach(async () => {
    globalThis.indexedDB = new IDBFactory()
    await rememberUser(rep)
  })
  afterEach(async () => {
    await closeDb()
  })

  it('creates the reflection with the jotting, then appends, each a reflection.upsert after the logs', async () => {
    await logActivity({
      activity_type_id: 1,
      account_name: 'Acme',
      outcome: 'lost',
      occurred_at: '2026-11-25T09:30:00+01:00',
      time_zone: 'Europe/Berlin',
    })
    const first = await appendJotting(WEEK, '  Ask about budget first  ')
    expect(first.reflection.fields.jottings).toEqual(['Ask about budget first'])
    const second = await appendJotting(WEEK, 'Bring a reference customer')
    expect(second.reflection.fields.jottings).toEqual(['Ask about budget first', 'Bring a reference customer'])
    expect(second.entry.entity_id).toBe(first.entry.entity_id)
    expect((await listOutbox()).map((e) => [e.seq, e.kind])).toEqual([
      [1, 'activity.create'],
      [2, 'reflection.upsert'],
      [3, 'reflection.upsert'],
    ])
    expect((await listOutbox())[2]!.payload).toMatchObject({ week_start: WEEK, jottings: ['Ask about budget first', 'Bring a reference customer'] })
  })

  it('keeps what the rep wrote in the other fields', async () => {
    await saveReflection({ ...emptyReflection(WEEK), wins: 'Closed Acme', self_rating: 5 })
    const { reflection } = await appendJotting(WEEK, 'Call back Friday')
    expect(reflection.fields).toMatchObject({ wins: 'Closed Acme', self_rating: 5, jottings: ['Call back Friday'] })
    expect((await getReflection(WEEK))!.pending).toBe(2)
  })

  it('refuses an empty jotting and the 21st, writing nothing', async () => {
    await expect(appendJotting(WEEK, '   ')).rejects.toThrow('Write something first.')
    await saveReflection({ ...emptyReflection(WEEK), jottings: Array.from({ length: JOTTINGS_MAX }, (_, i) => `j${i}`) })
    await expect(appendJotting(WEEK, 'one more')).rejects.toThrow(/At most 20 jottings/)
    expect(await listOutbox()).toHaveLength(1)
  })
})

describe('reflection helpers', () => {
  it('reads ?week= as the Monday of that date, and refuses nonsense', () => {
    expect(weekStartFromParam('2026-11-23')).toBe('2026-11-23')
    expect(weekStartFromParam('2026-11-26')).toBe('2026-11-23')
    expect(weekStartFromParam('2026-11-29')).toBe('2026-11-23')
    expect(weekStartFromParam('2026-02-30')).toBeNull()
    expect(weekStartFromParam('next')).toBeNull()
    expect(weekStartFromParam(null)).toBeNull()
  })

  it('the current week follows the rep’s own zone', () => {
    // Sunday 23:30 in Berlin is already Monday in Tokyo.
    const now = new Date('2026-11-29T22:30:00Z')
    expect(currentWeekStart('Europe/Berlin', now)).toBe('2026-11-23')
    expect(currentWeekStart('Asia/Tokyo', now)).toBe('2026-11-30')
  })

  it('says where a reflection stands', () => {
    const local = (pending: number, wins = 'x'): LocalReflection => ({
      user_id: 7,
      week_start: '2026-11-23',
      id: 'r',
      fields: { ...emptyReflection('2026-11-23'), wins },
      pending,
      server: null,
      changed_at: null,
    })
    expect(reflectionState(null, 0)).toBe('none')
    expect(reflectionState(local(0, ''), 0)).toBe('none')
    expect(reflectionState(local(1), 0)).toBe('pending')
    expect(reflectionState(local(0), 0)).toBe('synced')
    expect(reflectionState(local(0), 1)).toBe('rejected')
    expect(reflectionState(local(1), 1)).toBe('pending') // a newer save is on its way
  })

  it('normalizes: every field present, blank jottings dropped, ratings only 1–5', () => {
    const clean = normalizedReflection({ week_start: '2026-11-23', jottings: [' a ', '  '], self_rating: 9 })
    expect(clean).toEqual({ ...emptyReflection('2026-11-23'), jottings: ['a'] })
    expect(sameReflection(clean, { ...clean, jottings: ['a'] })).toBe(true)
    expect(sameReflection(clean, { ...clean, jottings: ['b'] })).toBe(false)
  })

  it('is behind when any activity with a target is behind', () => {
    expect(isBehind([{ target: 5, pace: { status: 'on_track' } }, { target: 3, pace: { status: 'behind' } }])).toBe(true)
    expect(isBehind([{ target: 0, pace: { status: 'behind' } }, { target: 3, pace: { status: 'ahead' } }])).toBe(false)
  })
})

describe('commitments in words', () => {
  const commitment = (overrides: Partial<Commitment> = {}): Commitment => ({
    id: 1,
    user_id: 7,
    checkin_id: 3,
    text: 'Three more follow-ups',
    due_on: '2026-11-27',
    activity_type_id: 4,
    activity_type_name: 'Follow-up',
    target_count: 3,
    done_count: 2,
    status: 'open',
    status_source: 'measured',
    created_at: '2026-11-19T13:00:00Z',
    ...overrides,
  })

  it('"2 of 3 follow-ups — due Fri"', () => {
    expect(commitmentProgress(commitment(), '2026-11-25', 'en-GB')).toBe('2 of 3 follow-ups — due Fri')
    expect(commitmentProgress(commitment({ target_count: 1, done_count: null, activity_type_name: 'Visit' }), '2026-11-25', 'en-GB')).toBe(
      '0 of 1 visit — due Fri',
    )
    expect(commitmentProgress(commitment({ target_count: null, activity_type_name: null }), '2026-11-25', 'en-GB')).toBe('Due Fri')
  })

  it('due dates relative to the rep’s today', () => {
    expect(dueText('2026-11-25', '2026-11-25', 'en-GB')).toBe('due today')
    expect(dueText('2026-11-26', '2026-11-25', 'en-GB')).toBe('due tomorrow')
    expect(dueText('2026-12-09', '2026-11-25', 'en-GB')).toBe('due 9 Dec')
    expect(dueText('2026-11-20', '2026-11-25', 'en-GB')).toBe('was due 20 Nov')
  })

  it('open ones (and those waiting for the manager) soonest first', () => {
    const list = [
      commitment({ id: 1, due_on: '2026-12-01' }),
      commitment({ id: 2, status: 'met' }),
      commitment({ id: 3, due_on: '2026-11-20', status: 'to_review' }),
      commitment({ id: 4, status: 'not_met' }),
    ]
    expect(openCommitments(list).map((c) => c.id)).toEqual([3, 1])
  })
})

describe('timeline grouped by week, newest first, milestones celebrated once', () => {
  const kudos = {
    id: 9,
    user_id: 7,
    rep_name: 'Rep',
    from_user_id: 2,
    from_name: 'Maria Manager',
    message: 'Great week!',
    signal: 'plan_met' as const,
    reason: 'Plan met',
    week_start: '2026-11-16',
    created_at: '2026-11-20T16:00:00Z',
    seen_at: null,
  }
  const timeline: Timeline = {
    user_id: 7,
    name: 'Rep',
    entries: [
      { kind: 'reflection', at: '2026-11-19T08:00:00Z', week_start: '2026-11-16', title: 'Reflection', detail: 'Good week' },
      { kind: 'checkin', at: '2026-11-26T13:00:00Z', week_start: '2026-11-23', title: '1:1 with Maria', ref_id: 5 },
      { kind: 'commitment', at: '2026-11-26T13:20:00Z', week_start: '2026-11-23', title: 'Three more follow-ups', status: 'open' },
      { kind: 'milestone', at: '2026-11-22T18:00:00Z', week_start: '2026-11-16', title: 'First plan met', detail: 'All 4 activities' },
    ],
    milestones: [
      { kind: 'first_plan_met', week_start: '2026-11-16', title: 'First plan met' },
      { kind: 'streak', week_start: '2026-11-09', title: '3 weeks on plan' },
    ],
    kudos: [kudos],
  }

  it('groups and orders entries, merges milestones and kudos', () => {
    const weeks = groupTimeline(timeline)
    expect(weeks.map((w) => w.week_start)).toEqual(['2026-11-23', '2026-11-16', '2026-11-09'])
    expect(weeks[0]!.entries.map((e) => e.kind)).toEqual(['commitment', 'checkin'])
    expect(weeks[1]!.milestones).toEqual([{ title: 'First plan met', detail: 'All 4 activities', kind: 'first_plan_met' }])
    expect(weeks[1]!.entries.map((e) => e.title)).toEqual(['Kudos from Maria Manager', 'Reflection'])
    expect(weeks[2]!.milestones).toEqual([{ title: '3 weeks on plan', detail: null, kind: 'streak' }])
  })

  it('does not add kudos twice when the server lists them as entries', () => {
    const withKudos = {
      ...timeline,
      entries: [...timeline.entries, { kind: 'kudos' as const, at: kudos.created_at, week_start: kudos.week_start, title: 'Kudos from Maria' }],
    }
    const week = groupTimeline(withKudos).find((w) => w.week_start === '2026-11-16')!
    expect(week.entries.filter((e) => e.kind === 'kudos')).toHaveLength(1)
  })

  it('is empty for a rep with nothing yet', () => {
    expect(groupTimeline({ user_id: 7, name: 'Rep', entries: [], milestones: [], kudos: [] })).toEqual([])
    expect(weekLabel('2026-11-23', 'en-GB')).toBe('Week of 23 Nov 2026')
  })
})
