import { useEffect, useState } from 'preact/hooks'
import { ApiError, describeError } from '../api/client'
import { api } from '../api/endpoints'
import { me, online, signedOutReason, signIn } from '../session'
import { browserTimeZone } from '../time/format'
import { ErrorNotice, SubmitButton } from '../ui/feedback'
import { TextField } from '../ui/fields'
import { Screen } from '../ui/Screen'

/** A person-facing sentence for each way a login can fail. */
export function loginErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return describeError(error)
  if (error.status === 401) return 'That email and password do not match. Check them and try again.'
  if (error.status === 403) return error.detail || 'This account is deactivated. Ask your admin to reactivate it.'
  if (error.status === 429) {
    const wait = error.retryAfter
    return wait
      ? `Too many sign-in attempts. Try again in ${wait} second${wait === 1 ? '' : 's'}.`
      : 'Too many sign-in attempts. Wait a minute and try again.'
  }
  return error.detail
}

export function Login() {
  // Prefill the last known user's email (their session ended, or they are offline).
  const [email, setEmail] = useState(me.value?.email ?? '')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [waitUntil, setWaitUntil] = useState(0)
  const [, tick] = useState(0)

  const secondsLeft = Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000))
  useEffect(() => {
    if (!secondsLeft) return
    const timer = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(timer)
  }, [secondsLeft > 0])

  async function submit(event: Event) {
    event.preventDefault()
    if (busy || secondsLeft > 0) return
    const missing: Record<string, string> = {}
    if (!email.trim()) missing.email = 'Enter your email address.'
    if (!password) missing.password = 'Enter your password.'
    setFieldErrors(missing)
    if (Object.keys(missing).length) {
      setError(null)
      return
    }
    setBusy(true)
    setError(null)
    try {
      const fresh = await api.login({ email: email.trim(), password, browser_time_zone: browserTimeZone() })
      await signIn(fresh)
    } catch (reason) {
      setError(loginErrorMessage(reason))
      if (reason instanceof ApiError && reason.status === 429 && reason.retryAfter) {
        setWaitUntil(Date.now() + reason.retryAfter * 1000)
      }
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  const reason = signedOutReason.value
  return (
    <Screen title="Sign in" intro={<p>Sign in to see your week and your team.</p>}>
      <form class="card form" onSubmit={submit} noValidate>
        {reason && !error && (
          <div class="notice notice--info" role="status">
            <p>{reason}</p>
          </div>
        )}
        {!online.value && !error && (
          <div class="notice notice--info" role="status">
            <p>You're offline. Signing in needs a connection.</p>
          </div>
        )}
        <ErrorNotice message={error} />
        <TextField
          label="Email"
          name="email"
          type="email"
          inputMode="email"
          autoComplete="username"
          required
          value={email}
          onInput={setEmail}
          error={fieldErrors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={setPassword}
          error={fieldErrors.password}
        />
        <SubmitButton busy={busy} busyLabel="Signing in…" disabled={secondsLeft > 0}>
          {secondsLeft > 0 ? `Try again in ${secondsLeft} s` : 'Sign in'}
        </SubmitButton>
        <p class="muted small">New here? Ask your manager or admin for an invitation link.</p>
      </form>
    </Screen>
  )
}
