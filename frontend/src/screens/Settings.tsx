import { useState } from 'preact/hooks'
import type { Me } from '@contract/types'
import { describeError } from '../api/client'
import { api } from '../api/endpoints'
import { navigate } from '../router'
import { forgetPushOnThisDevice } from '../push/device'
import { ReminderNotifications } from '../push/Notifications'
import { ManagerAlerts } from '../alerts/AlertSettings'
import { adopt, signOut } from '../session'
import { setTheme, themeChoice, type ThemeChoice } from '../theme'
import { TimeZoneField } from '../ui/TimeZoneField'
import { ErrorNotice, SubmitButton, SuccessNotice } from '../ui/feedback'
import { TextField } from '../ui/fields'
import { useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import { MIN_PASSWORD_LENGTH } from './AcceptInvite'
import { ROLE_NAMES } from './people'

export function Settings({ user }: { user: Me }) {
  return (
    <Screen
      title="Settings"
      intro={
        <p>
          Signed in as <strong>{user.email}</strong> ({ROLE_NAMES[user.role]}
          {user.team ? `, ${user.team.name}` : ''}).
        </p>
      }
    >
      <Profile user={user} />
      {user.role === 'rep' && (
        <Section title="Accountability">
          <p class="muted">How often to check in, when to remind you, and who sees your numbers.</p>
          <p>
            <a class="button button--secondary" href="/preferences">
              How would you like to be held accountable?
            </a>
          </p>
        </Section>
      )}
      {user.role === 'rep' && <ReminderNotifications user={user} heading="h2" />}
      {user.role === 'manager' && <ManagerAlerts user={user} />}
      <Appearance />
      <ChangePassword email={user.email} />
      <SignOut />
    </Screen>
  )
}

function Profile({ user }: { user: Me }) {
  const [name, setName] = useState(user.name)
  const [zone, setZone] = useState(user.time_zone)
  const [saved, setSaved] = useState(false)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    setSaved(false)
    if (!name.trim()) {
      submission.fail('Please fix the highlighted fields.', { name: 'Enter your name.' })
      return
    }
    const fresh = await submission.run(() => api.updateMe({ name: name.trim(), time_zone: zone }))
    if (fresh) {
      await adopt(fresh)
      setSaved(true)
    }
  }

  return (
    <Section title="Profile">
      <form class="form" onSubmit={submit} noValidate>
        {saved && (
          <SuccessNotice>
            <p>Saved.</p>
          </SuccessNotice>
        )}
        <ErrorNotice message={submission.error} />
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          required
          value={name}
          onInput={setName}
          error={submission.fieldErrors.name}
        />
        <TimeZoneField
          value={zone}
          onChange={setZone}
          error={submission.fieldErrors.time_zone}
          hint="Your week, reminders and the dates of your activities follow this zone."
        />
        <SubmitButton busy={submission.busy}>Save profile</SubmitButton>
      </form>
    </Section>
  )
}

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Same as this device' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

function Appearance() {
  return (
    <Section title="Appearance">
      <fieldset class="field choices">
        <legend>Theme</legend>
        {THEMES.map((theme) => (
          <label class="check" key={theme.value}>
            <input
              type="radio"
              name="theme"
              value={theme.value}
              checked={themeChoice.value === theme.value}
              onChange={() => setTheme(theme.value)}
            />
            <span>{theme.label}</span>
          </label>
        ))}
      </fieldset>
    </Section>
  )
}

function ChangePassword({ email }: { email: string }) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [done, setDone] = useState(false)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    setDone(false)
    const problems: Record<string, string> = {}
    if (!current) problems.current_password = 'Enter your current password.'
    if (next.length < MIN_PASSWORD_LENGTH) problems.new_password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`
    if (confirm !== next) problems.confirm = 'The two new passwords are not the same.'
    if (Object.keys(problems).length) {
      submission.fail('Please fix the highlighted fields.', problems)
      return
    }
    // A wrong current password is a 422 naming current_password (extra), a weak new one
    // names new_password, a 429 says when to try again: the form shows each by its field.
    const ok = await submission.run(async () => {
      await api.changePassword({ current_password: current, new_password: next })
      return true
    })
    if (ok) {
      setCurrent('')
      setNext('')
      setConfirm('')
      setDone(true)
    }
  }

  const errors = submission.fieldErrors
  return (
    <Section title="Change password">
      <form class="form" onSubmit={submit} noValidate>
        {done && (
          <SuccessNotice>
            <p>Password changed. Your other devices have been signed out.</p>
          </SuccessNotice>
        )}
        <ErrorNotice message={submission.error} />
        <input type="email" name="username" autoComplete="username" hidden readOnly value={email} />
        <TextField
          label="Current password"
          name="current_password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onInput={setCurrent}
          error={errors.current_password}
        />
        <TextField
          label="New password"
          name="new_password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          required
          value={next}
          onInput={setNext}
          error={errors.new_password}
        />
        <TextField
          label="Repeat the new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onInput={setConfirm}
          error={errors.confirm}
        />
        <SubmitButton busy={submission.busy}>Change password</SubmitButton>
      </form>
    </Section>
  )
}

function SignOut() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function leave() {
    setBusy(true)
    setError(null)
    try {
      await signOut()
      // The server removed this session's subscriptions; drop the browser's side too.
      await forgetPushOnThisDevice()
      navigate('/login', { replace: true })
    } catch (reason) {
      setError(describeError(reason))
      setBusy(false)
    }
  }

  return (
    <Section title="Sign out">
      <p class="muted">Signing out on a shared device keeps your data private.</p>
      <ErrorNotice message={error} />
      <button type="button" class="button button--secondary" disabled={busy} onClick={leave}>
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
    </Section>
  )
}
