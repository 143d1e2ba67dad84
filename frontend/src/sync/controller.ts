// When the page syncs, and what the sync status indicator shows. Page-only (signals,
// window events); the push/pull itself is engine.ts, shared with the service worker.
import { effect, signal } from '@preact/signals'
import type { AttentionEntry, ReflectionAttentionEntry } from '../db'
import { requestBackgroundSync } from '../pwa'
import { me, online, sessionStatus } from '../session'
import { refreshActivityTypes } from './activityTypes'
import { onLocalChange } from './events'
import { readSyncState, syncNow, type SyncResult } from './engine'
import { delayAfter, PERIOD_MS } from './schedule'
import { listAttention, listReflectionAttention, outboxSize } from './local'

export interface SyncView {
  /** Mutations waiting in the outbox. */
  waiting: number
  syncing: boolean
  /** Why the last attempt did not finish, if it did not. */
  problem: 'offline' | 'signed-out' | 'forbidden' | 'retry' | null
  lastSyncedAt: string | null
  clockSkewSeconds: number | null
  /** Rejected activity changes (fixed or discarded in History). */
  attention: AttentionEntry[]
  /** Rejected reflections (saved again or discarded on the reflection screen). */
  reflectionAttention: ReflectionAttentionEntry[]
  nextAttemptAt: number | null
}

export const syncView = signal<SyncView>({
  waiting: 0,
  syncing: false,
  problem: null,
  lastSyncedAt: null,
  clockSkewSeconds: null,
  attention: [],
  reflectionAttention: [],
  nextAttemptAt: null,
})

async function refreshView(): Promise<void> {
  const [waiting, state, attention, reflectionAttention] = await Promise.all([
    outboxSize(),
    readSyncState(),
    listAttention(),
    listReflectionAttention(),
  ])
  syncView.value = {
    ...syncView.value,
    waiting,
    lastSyncedAt: state.lastSyncedAt,
    clockSkewSeconds: state.clockSkewSeconds,
    attention,
    reflectionAttention,
  }
}

let started = false
let running: Promise<void> | null = null
let again = false
let timer: ReturnType<typeof setTimeout> | null = null
let failures = 0
let waitingForSignIn = false
let typesFetchedAt = 0
const TYPES_REFRESH_MS = 10 * 60_000

function schedule(ms: number | null): void {
  if (timer) clearTimeout(timer)
  timer = null
  syncView.value = { ...syncView.value, nextAttemptAt: ms === null ? null : Date.now() + ms }
  if (ms === null) return
  timer = setTimeout(() => {
    timer = null
    // The periodic sync runs only while the app is visible; a hidden tab waits for
    // visibilitychange (Background Sync covers a closed app).
    if (document.visibilityState === 'visible') void requestSync('timer')
    else schedule(PERIOD_MS)
  }, ms)
}

/** Sync now (or right after the one running). Safe to call any time. */
export function requestSync(_reason = 'manual'): Promise<void> {
  if (!started) return Promise.resolve()
  if (running) {
    again = true
    return running
  }
  if (sessionStatus.value !== 'signed-in') {
    waitingForSignIn = true
    return Promise.resolve()
  }
  running = (async () => {
    syncView.value = { ...syncView.value, syncing: true }
    let result: SyncResult
    do {
      again = false
      try {
        result = await syncNow()
      } catch (error) {
        result = { status: 'retry', retryAfterSeconds: null, message: String(error) }
      }
    } while (again && result.status === 'ok')
    // Keep the team's activity types on the device, so the rep can log with no signal.
    const teamId = me.peek()?.team?.id
    if (result.status === 'ok' && teamId != null && Date.now() - typesFetchedAt > TYPES_REFRESH_MS) {
      await refreshActivityTypes(teamId).then(
        () => (typesFetchedAt = Date.now()),
        () => undefined,
      )
    }
    failures = result.status === 'ok' || result.status === 'no-user' ? 0 : failures + 1
    waitingForSignIn = result.status === 'signed-out'
    const problem = result.status === 'ok' || result.status === 'no-user' ? null : result.status
    syncView.value = { ...syncView.value, syncing: false, problem }
    if (result.status === 'offline' || result.status === 'retry') requestBackgroundSync()
    await refreshView().catch(() => undefined)
    schedule(delayAfter(result, failures))
  })().finally(() => {
    running = null
  })
  return running
}

/** Start the triggers once per page: app start, online, sign-in, visibility, the timer. */
export function startSyncController(): void {
  if (started || typeof window === 'undefined') return
  started = true
  onLocalChange(() => void refreshView().catch(() => undefined))
  window.addEventListener('online', () => {
    failures = 0
    void requestSync('online')
  })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !timer) void requestSync('visible')
  })
  effect(() => {
    // Signed in again after a 401 (or for the first time): resume.
    if (sessionStatus.value === 'signed-in' && (waitingForSignIn || !running)) {
      waitingForSignIn = false
      void requestSync('signed-in')
    }
  })
  effect(() => {
    if (online.value && syncView.peek().problem === 'offline') void requestSync('reachable')
  })
  void refreshView().catch(() => undefined)
}

/** After a local change: show it at once, then try to send it. */
export function afterLocalChange(): void {
  void refreshView().catch(() => undefined)
  requestBackgroundSync()
  void requestSync('change')
}
