// Reads for the plan screens: the last good answer per key stays in memory, so a screen
// opened again (or retried) offline still shows what it last knew, marked as such.
import { useCallback, useEffect, useState } from 'preact/hooks'
import { describeError, OfflineError } from '../api/client'

const lastLoaded = new Map<string, unknown>()
// Two parts of a screen that read the same key at once (Home and its coaching card both
// want this week) share one request instead of asking twice. A reload always asks afresh:
// it usually follows a change the request already on its way may not have seen.
const inFlight = new Map<string, Promise<unknown>>()

function sharedLoad<T>(key: string, load: () => Promise<T>, fresh: boolean): Promise<T> {
  const pending = inFlight.get(key) as Promise<T> | undefined
  if (pending && !fresh) return pending
  const request = load().finally(() => {
    if (inFlight.get(key) === request) inFlight.delete(key)
  })
  inFlight.set(key, request)
  return request
}

export function rememberRead<T>(key: string, value: T): void {
  lastLoaded.set(key, value)
}

export interface Read<T> {
  data: T | undefined
  /** True while the first answer for this key is on its way and nothing is cached. */
  loading: boolean
  /** True while showing remembered data because the fresh read failed offline. */
  stale: boolean
  error: string | null
  failure: unknown
  reload: () => void
  /** Replace the data after a local change (also updates the memory). */
  setData: (update: (current: T | undefined) => T | undefined) => void
}

export function useRead<T>(key: string | null, load: () => Promise<T>): Read<T> {
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: unknown; done: boolean }>(() => ({
    key,
    data: key ? (lastLoaded.get(key) as T | undefined) : undefined,
    error: null,
    done: false,
  }))
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (!key) return
    let current = true
    setState((s) => ({
      key,
      data: s.key === key && s.data !== undefined ? s.data : (lastLoaded.get(key) as T | undefined),
      error: null,
      done: false,
    }))
    sharedLoad(key, load, attempt > 0).then(
      (value) => {
        if (!current) return
        lastLoaded.set(key, value)
        setState({ key, data: value, error: null, done: true })
      },
      (reason: unknown) => {
        if (!current) return
        setState((s) => ({ ...s, key, error: reason, done: true }))
      },
    )
    return () => {
      current = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  const setData = useCallback(
    (update: (current: T | undefined) => T | undefined) =>
      setState((s) => {
        const data = update(s.data)
        if (s.key && data !== undefined) lastLoaded.set(s.key, data)
        return { ...s, data }
      }),
    [],
  )
  const mine = state.key === key
  const data = mine ? state.data : key ? (lastLoaded.get(key) as T | undefined) : undefined
  const error = mine ? state.error : null
  return {
    data,
    loading: !!key && data === undefined && !(mine && state.done),
    stale: data !== undefined && error instanceof OfflineError,
    error: error && !(data !== undefined && error instanceof OfflineError) ? describeError(error) : null,
    failure: error,
    reload,
    setData,
  }
}
