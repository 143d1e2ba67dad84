import { describe, expect, it } from 'vitest'
import type { Kudos, Signal } from '@contract/types'
import {
  bannerKudos,
  kudosHeadline,
  kudosProblem,
  kudosReason,
  kudosSignals,
  newKudosKey,
  replaceKudos,
  sortKudos,
} from '../src/kudos/kudos'

const kudos = (id: number, over: Partial<Kudos> = {}): Kudos => ({
  id,
  user_id: 3,
  rep_name: 'Riley Fischer',
  from_user_id: 2,
  from_name: 'Morgan Manager',
  message: `Nice work ${id}`,
  signal: null,
  reason: null,
  week_start: '2026-11-23',
  created_at: `2026-11-2${id}T10:00:00Z`,
  seen_at: null,
  ...over,
})

describe('kudos banner selection', () => {
  it('shows unseen kudos only, newest first', () => {
    const list = [kudos(1), kudos(3, { seen_at: '2026-11-24T08:00:00Z' }), kudos(2), kudos(4)]
    const { shown, more } = bannerKudos(list)
    expect(shown.map((k) => k.id)).toEqual([4, 2, 1])
    expect(more).toBe(0)
  })

  it('caps the banners and counts the rest', () => {
    const list = [kudos(1), kudos(2), kudos(3), kudos(4), kudos(5)]
    const { shown, more } = bannerKudos(list, 3)
    expect(shown.map((k) => k.id)).toEqual([5, 4, 3])
    expect(more).toBe(2)
  })

  it('shows nothing without data or when everything was seen', () => {
    expect(bannerKudos(undefined).shown).toEqual([])
    expect(bannerKudos([kudos(1, { seen_at: '2026-11-24T08:00:00Z' })]).shown).toEqual([])
  })

  it('breaks ties on the same instant by id', () => {
    const same = '2026-11-24T10:00:00Z'
    expect(sortKudos([kudos(7, { created_at: same }), kudos(9, { created_at: same })]).map((k) => k.id)).toEqual([9, 7])
  })

  it('hides a banner once "Thanks!" returns the seen kudos', () => {
    const list = [kudos(1), kudos(2)]
    const updated = replaceKudos(list, { ...kudos(2), seen_at: '2026-11-25T09:00:00Z' })
    expect(bannerKudos(updated).shown.map((k) => k.id)).toEqual([1])
    expect(replaceKudos(undefined, kudos(1))).toBeUndefined()
  })
})

describe('kudos words', () => {
  it('names the sender by first name', () => {
    expect(kudosHeadline(kudos(1))).toBe('Morgan sent you kudos')
  })

  it('says what the kudos were for: the reason, else the signal', () => {
    expect(kudosReason(kudos(1, { signal: 'streak_milestone', reason: '3 weeks in a row on plan.' }))).toBe(
      '3 weeks in a row on plan.',
    )
    expect(kudosReason(kudos(1, { signal: 'plan_met' }))).toBe('Plan met')
    expect(kudosReason(kudos(1))).toBeNull()
  })

  it('offers only the kudos signals of a review row', () => {
    const signals: Signal[] = [
      { kind: 'behind_pace', group: 'conversation', reason: 'slow' },
      { kind: 'streak_milestone', group: 'kudos', reason: '3 weeks' },
      { kind: 'won_deal', group: 'kudos', reason: 'Won Tailspin' },
    ]
    expect(kudosSignals(signals)).toEqual([
      { kind: 'streak_milestone', reason: '3 weeks' },
      { kind: 'won_deal', reason: 'Won Tailspin' },
    ])
  })
})

describe('sending kudos', () => {
  it('needs a message or a signal, and at most 280 characters', () => {
    expect(kudosProblem('', null)).toMatch(/Write a few words/)
    expect(kudosProblem('   ', null)).toMatch(/Write a few words/)
    expect(kudosProblem('', 'plan_met')).toBeNull()
    expect(kudosProblem('Great week!', null)).toBeNull()
    expect(kudosProblem('x'.repeat(280), null)).toBeNull()
    expect(kudosProblem('x'.repeat(281), null)).toMatch(/280 characters/)
  })

  it('makes client keys the server accepts', () => {
    const pattern = /^[A-Za-z0-9_-]{8,64}$/
    expect(newKudosKey()).toMatch(pattern)
    expect(newKudosKey()).not.toBe(newKudosKey())
    expect(newKudosKey(() => 'a.b c')).toMatch(pattern)
    expect(newKudosKey(() => 'x'.repeat(200))).toMatch(pattern)
    expect(newKudosKey(() => '')).toMatch(pattern)
  })
})
