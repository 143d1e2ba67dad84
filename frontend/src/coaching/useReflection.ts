// A week's reflection for the signed-in rep: the copy on this device first, then the
// server's (which becomes the local one unless this device has a change not yet accepted).
import type { Me } from '@contract/types'
import { useEffect, useState } from 'preact/hooks'
import { ApiError, describeError, OfflineError } from '../api/client'
import { coachingApi } from '../api/coaching'
import type { LocalReflection, ReflectionAttentionEntry } from '../db'
import { onLocalChange } from '../sync/events'
import { getReflection, listReflectionAttention, rememberServerReflection } from '../sync/local'

export interface WeekReflection {
  /** False until the local store was read. */
  loaded: boolean
  local: LocalReflection | null
  /** Rejected saves of this week, with the server's message. */
  rejected: ReflectionAttentionEntry[]
  /** 'checking' until the server answered; 'offline' without signal; 'error' otherwise failed. */
  server: 'checking' | 'ok' | 'offline' | 'error'
  serverError: string | null
}

/** Read the server's copy into the local store (quietly; false when it could not be read). */
export async function fetchServerReflection(userId: number, weekStart: string): Promise<boolean> {
  const copy = await coachingApi.reflection(userId, weekStart)
  await rememberServerReflection(weekStart, copy ?? null)
  return true
}

/**
 * Before appending to a reflection this device has never seen, fetch the server's copy so
 * the whole-record save does not overwrite text written on another device. Best effort.
 */
export async function ensureReflectionLoaded(userId: number, weekStart: string): Promise<void> {
  if (await getReflection(weekStart)) return
  await fetchServerReflection(userId, weekStart).catch(() => undefined)
}

export function useWeekReflection(user: Me, weekStart: string): WeekReflection & { retry: () => void } {
  const [state, setState] = useState<WeekReflection>({ loaded: false, local: null, rejected: [], server: 'checking', serverError: null })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let live = true
    setState({ loaded: false, local: null, rejected: [], server: 'checking', serverError: null })
    const readLocal = () =>
      Promise.all([getReflection(weekStart), listReflectionAttention(weekStart)]).then(
        ([local, rejected]) => {
          if (live) setState((s) => ({ ...s, loaded: true, local, rejected }))
        },
        () => {
          if (live) setState((s) => ({ ...s, loaded: true }))
        },
      )
    const unsubscribe = onLocalChange(() => void readLocal())
    // Only reps write (and read back) their own reflections here.
    if (user.role !== 'rep') {
      void readLocal()
      setState((s) => ({ ...s, server: 'ok' }))
      return () => {
        live = false
        unsubscribe()
      }
    }
    void readLocal().then(() =>
      fetchServerReflection(user.id, weekStart).then(
        () => {
          if (live) setState((s) => ({ ...s, server: 'ok', serverError: null }))
          return readLocal()
        },
        (error: unknown) => {
          if (!live) return
          const offline = error instanceof OfflineError
          const message = offline
            ? null
            : error instanceof ApiError && error.status === 404
              ? 'Reflections cannot be read from the server yet. Yours is kept on this phone.'
              : describeError(error)
          setState((s) => ({ ...s, server: offline ? 'offline' : 'error', serverError: message }))
        },
      ),
    )
    return () => {
      live = false
      unsubscribe()
    }
  }, [user.id, user.role, weekStart, attempt])

  return { ...state, retry: () => setAttempt((n) => n + 1) }
}
