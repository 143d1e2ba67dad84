import { useState } from 'preact/hooks'
import type { InvitationInfo } from '@contract/types'
import { ApiError, describeError } from '../api/client'
import { api } from '../api/endpoints'
import { signIn } from '../session'
import { browserTimeZone, formatInstant } from '../time/format'
import { ErrorNotice, Loading, SubmitButton } from '../ui/feedback'
import { TextField } from '../ui/fields'
import { useResource, useSubmit } from '../ui/hooks'
import { Screen } from '../ui/Screen'

export const MIN_PASSWORD_LENGTH = 10

/** The token travels in the fragment (`/invite#token=...`) so it never reaches a server log. */
export function inviteTokenFrom(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const token = params.get('token')?.trim()
  return token ? token : null
}

export function invitationErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 404)
    return "We couldn't find this invitation. Check that you opened the whole link, or ask for a new one."
  if (error instanceof ApiError && error.status === 410)
    return 'This invitation can no longer be used: it has expired, was already used, or was revoked. Ask your manager or admin for a new link.'
  return describeError(error)
}

const ROLE_LABEL = { rep: 'a rep', manager: 'a manager', admin: 'an admin' } as const

export function AcceptInvite({ onAccepted }: { onAccepted: () => void }) {
  const token = inviteTokenFrom(location.hash)
  return (
    <Screen title="Accept your invitation">
      {token ? (
        <InvitationForm token={token} onAccepted={onAccepted} />
      ) : (
        <ErrorNotice message="This invitation link is incomplete. Open the full link you were sent, or ask for a new one." />
      )}
    </Screen>
  )
}

function InvitationForm({ token, onAccepted }: { token: string; onAccepted: () => void }) {
  const invitation = useResource(() => api.invitation(token), [token])
  if (invitation.status === 'loading') return <Loading label="Checking your invitation…" />
  if (invitation.status === 'error' || !invitation.data) {
    const gone = invitation.failure instanceof ApiError && [404, 410].includes(invitation.failure.status)
    return (
      <ErrorNotice
        message={invitationErrorMessage(invitation.failure)}
        onRetry={gone ? undefined : invitation.reload}
      />
    )
  }
  return <SetPassword token={token} info={invitation.data} onAccepted={onAccepted} />
}

function SetPassword({
  token,
  info,
  onAccepted,
}: {
  token: string
  info: InvitationInfo
  onAccepted: () => void
}) {
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    const problems: Record<string, string> = {}
    if (password.length < MIN_PASSWORD_LENGTH)
      problems.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`
    if (confirm !== password) problems.confirm = 'The two passwords are not the same.'
    if (Object.keys(problems).length) {
      submission.fail('Please fix the highlighted fields.', problems)
      return
    }
    const fresh = await submission.run(async () => {
      try {
        return await api.acceptInvitation(token, { password, browser_time_zone: browserTimeZone() })
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 410)) {
          throw new ApiError(error.status, invitationErrorMessage(error), error.extra)
        }
        throw error
      }
    })
    if (fresh) {
      await signIn(fresh)
      onAccepted()
    }
  }

  const errors = submission.fieldErrors
  return (
    <form class="card form" onSubmit={submit} noValidate>
      <p>
        Hi <strong>{info.name}</strong>, you've been invited to join{' '}
        {info.team_name ? <strong>{info.team_name}</strong> : 'Followthrough'} as {ROLE_LABEL[info.role]}.
      </p>
      <p class="muted small">
        You'll sign in as <strong>{info.email}</strong>. This invitation expires on{' '}
        {formatInstant(info.expires_at)}.
      </p>
      <ErrorNotice message={submission.error} />
      <input type="email" name="email" value={info.email} autoComplete="username" hidden readOnly />
      <TextField
        label="Choose a password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        required
        minLength={MIN_PASSWORD_LENGTH}
        value={password}
        onInput={setPassword}
        error={errors.password}
      />
      <TextField
        label="Repeat the password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onInput={setConfirm}
        error={errors.confirm}
      />
      <SubmitButton busy={submission.busy} busyLabel="Setting up your account…">
        Set password and sign in
      </SubmitButton>
    </form>
  )
}
