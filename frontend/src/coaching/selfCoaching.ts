// Self-coaching prompts at run time: fetched from the server when there is signal, kept in
// localStorage so a prompt still shows with none, and one slot so that never more than one
// prompt shows at a time. The rules themselves are pure (logic.ts).
import { signal } from '@preact/signals'
import type { SelfCoachingPrompt } from '@contract/types'
import { coachingApi } from '../api/coaching'
import {
  cacheKey,
  mayOffer,
  markDismissed,
  readCachedPrompt,
  writeCachedPrompt,
  type CachedPrompt,
  type KeyValueStore,
  type SelfCoachingTrigger,
} from './logic'

export function browserStore(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The trigger of the prompt on screen, if any. */
export const showingPrompt = signal<SelfCoachingTrigger | null>(null)

/** Take the one prompt slot for `trigger`; false when another prompt holds it or it was dismissed today. */
export function claimPromptSlot(userId: number, trigger: SelfCoachingTrigger, today: string, store = browserStore()): boolean {
  if (!mayOffer({ store, userId, trigger, today, showing: showingPrompt.peek() })) return false
  showingPrompt.value = trigger
  return true
}

export function releasePromptSlot(trigger: SelfCoachingTrigger): void {
  if (showingPrompt.peek() === trigger) showingPrompt.value = null
}

/** Dismissed or answered: not again for this trigger today. */
export function dismissPrompt(userId: number, trigger: SelfCoachingTrigger, today: string, store = browserStore()): void {
  markDismissed(store, userId, trigger, today)
  releasePromptSlot(trigger)
}

type Fetcher = (trigger: SelfCoachingTrigger) => Promise<SelfCoachingPrompt | null>

/**
 * The prompt to show: the server's (then cached for offline), or the cached one when the
 * server cannot be reached. Null when the team has none for this trigger.
 */
export async function loadPrompt(
  userId: number,
  trigger: SelfCoachingTrigger,
  fetcher: Fetcher = coachingApi.selfCoaching,
  store = browserStore(),
): Promise<CachedPrompt | null> {
  try {
    const fresh = await fetcher(trigger)
    const prompt = fresh ? { id: fresh.id, text: fresh.text, trigger: fresh.trigger, source: fresh.source } : null
    writeCachedPrompt(store, userId, trigger, prompt)
    return prompt
  } catch {
    return readCachedPrompt(store, userId, trigger)
  }
}

/** Warm the offline cache of both triggers once (Home and the log screen call this). */
export function prefetchPrompts(userId: number, fetcher: Fetcher = coachingApi.selfCoaching, store = browserStore()): void {
  for (const trigger of ['setback', 'behind'] as const) {
    if (store?.getItem(cacheKey(userId, trigger))) continue
    fetcher(trigger).then(
      (fresh) =>
        writeCachedPrompt(store, userId, trigger, fresh ? { id: fresh.id, text: fresh.text, trigger: fresh.trigger, source: fresh.source } : null),
      () => undefined,
    )
  }
}
