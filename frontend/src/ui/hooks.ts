// Two small hooks every screen uses: loading data, and submitting forms.
import { useCallback, useEffect, useState } from 'preact/hooks'
import { ApiError, describeError } from '../api/client'

export interface Resource<T> {
  status: 'loading' | 'ready' | 'error'
  data: T | undefined
  error: string | null
  /** The thrown error itself, for screens that word some statuses their own way. */
  failure: unknown
  reload: () => void
  /** Replace the data after a local change (e.g. the PATCHed row) without refetching. */
  setData: (update: (current: T | undefined) => T | undefined) => void
}

export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined)
  const [status, setStatus] = useState<Resource<T>['status']>('loading')
  const [error, setError] = useState<string | null>(null)
  const [failure, setFailure] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let current = true
    setStatus('loading')
    setError(null)
    setFailure(null)
    load().then(
      (value) => {
        if (!current) return
        setDataState(value)
        setStatus('ready')
      },
      (reason: unknown) => {
        if (!current) return
        setError(describeError(reason))
        setFailure(reason)
        setStatus('error')
      },
    )
    return () => {
      current = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  const setData = useCallback(
    (update: (current: T | undefined) => T | undefined) => setDataState(update),
    [],
  )
  return { status, data, error, failure, reload, setData }
}

export interface Submission {
  busy: boolean
  error: string | null
  fieldErrors: Record<string, string>
  /** Runs `action` once at a time; returns its result, or undefined when it failed. */
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>
  fail: (message: string | null, fieldErrors?: Record<string, string>) => void
  reset: () => void
}

export function useSubmit(): Submission {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (busy) return undefined
    setBusy(true)
    setError(null)
    setFieldErrors({})
    try {
      return await action()
    } catch (reason) {
      setError(describeError(reason))
      if (reason instanceof ApiError) setFieldErrors(reason.fieldErrors)
      return undefined
    } finally {
      setBusy(false)
    }
  }

  return {
    busy,
    error,
    fieldErrors,
    run,
    fail: (message, fields = {}) => {
      setError(message)
      setFieldErrors(fields)
    },
    reset: () => {
      setError(null)
      setFieldErrors({})
    },
  }
}
