// When to try again after a sync result (pure, so it is unit-tested without a DOM).
import type { SyncResult } from './engine'

/** The periodic sync while the app is open and visible. */
export const PERIOD_MS = 60_000
const BACKOFF_BASE_MS = 2_000
const BACKOFF_MAX_MS = 5 * 60_000

/** Exponential backoff with full jitter: base·2^n capped, times a random 0.5–1.5. */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1))
  return Math.round(exp * (0.5 + random()))
}

/** How long to wait after a result; null means "wait for an event" (online, sign-in). */
export function delayAfter(result: SyncResult, failures: number, random: () => number = Math.random): number | null {
  switch (result.status) {
    case 'ok':
    case 'no-user':
      return PERIOD_MS
    case 'offline':
      return Math.max(PERIOD_MS / 2, backoffDelay(failures, random))
    case 'signed-out':
    case 'forbidden':
      return null
    case 'retry':
      return result.retryAfterSeconds !== null ? result.retryAfterSeconds * 1000 : backoffDelay(failures, random)
  }
}

