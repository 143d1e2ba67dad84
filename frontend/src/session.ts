// Who is signed in, and whether we can reach the server. Local-first: the app renders
// from the cached Me at once and checks the session in the background.
import { computed, signal } from '@preact/signals'
import type { Me } from '@contract/types'
import { ApiError, OfflineError, setApiHooks } from './api/client'
import { api } from './api/endpoints'
import { askForPersistentStorage, forgetCachedMe, getCachedMe, rememberUser } from './db'

export type SessionStatus = 'starting' | 'signed-in' | 'signed-out'

export const me = signal<Me | null>(null)
export const sessionStatus = signal<SessionStatus>('starting')
/** False after a request got no answer or the browser said it went offline. */
export const online = signal(typeof navigator === 'undefined' ? true : navigator.onLine)
/** Why the login screen is showing, when it is not the person's own choice. */
export const signedOutReason = signal<string | null>(null)

export const isManagerOfSomeTeam = computed(() => (me.value?.managed_teams.length ?? 0) > 0)

let refreshing: Promise<void> | null = null

export async function startSession(): Promise<void> {
  setApiHooks({
    onConnectivity: (reachable) => {
      online.value = reachable
    },
    onSessionEnded: endSession,
  })
  window.addEventListener('offline', () => {
    online.value = false
  })
  window.addEventListener('online', () => {
    online.value = true
    void refreshSession()
  })

  const cached = await getCachedMe().catch(() => null)
  if (cached) {
    me.value = cached
    sessionStatus.value = 'signed-in'
  }
  await refreshSession()
}

/** GET /api/me: confirm the session (and pick up changes to name, role, teams). */
export function refreshSession(): Promise<void> {
  refreshing ??= (async () => {
    try {
      const fresh = await api.me()
      await adopt(fresh)
    } catch (error) {
      if (error instanceof OfflineError) {
        // Keep working on local data; the `online` event re-checks later.
        if (!me.value) sessionStatus.value = 'signed-out'
      } else if (error instanceof ApiError && error.status === 401) {
        endSession()
      } else if (!me.value) {
        sessionStatus.value = 'signed-out'
      }
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

/** After login or accepting an invitation. */
export async function signIn(fresh: Me): Promise<void> {
  signedOutReason.value = null
  await adopt(fresh)
  void askForPersistentStorage()
}

/** Keep the in-memory and cached user in step with what the server returned. */
export async function adopt(fresh: Me): Promise<void> {
  await rememberUser(fresh).catch(() => false)
  me.value = fresh
  sessionStatus.value = 'signed-in'
}

/** The server said 401: show the login screen. Local data stays for when they return. */
function endSession(): void {
  if (sessionStatus.value === 'signed-in') {
    signedOutReason.value = 'Your session has ended. Please sign in again.'
  }
  sessionStatus.value = 'signed-out'
}

export async function signOut(): Promise<void> {
  await api.logout()
  await forgetCachedMe().catch(() => undefined)
  signedOutReason.value = null
  me.value = null
  sessionStatus.value = 'signed-out'
}
