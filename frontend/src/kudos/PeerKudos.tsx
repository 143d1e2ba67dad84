// A rep's kudos to a teammate: only to teammates who chose to be named on team views
// (their choice in "How I'm held accountable"), a short message, given once per send.
import type { Me } from '@contract/types'
import { useState } from 'preact/hooks'
import { reviewApi } from '../api/review'
import { useRead } from '../plans/read'
import { SelectField, TextArea } from '../ui/fields'
import { ErrorNotice, SubmitButton } from '../ui/feedback'
import { useSubmit } from '../ui/hooks'
import { firstNameOf, KUDOS_MESSAGE_MAX, kudosProblem, newKudosKey } from './kudos'
import './kudos.css'

export function PeerKudos({ user }: { user: Me }) {
  const teammates = useRead(`kudos:teammates:${user.id}`, () => reviewApi.teammates())
  const [to, setTo] = useState('')
  const [message, setMessage] = useState('')
  // One key per send, kept while it is retried: a lost answer never gives kudos twice.
  const [clientKey, setClientKey] = useState(() => newKudosKey())
  const [sent, setSent] = useState<string | null>(null)
  const submission = useSubmit()
  const list = teammates.data ?? []
  const chosen = list.find((t) => String(t.user_id) === to) ?? list[0]

  if (!teammates.data || list.length === 0) return null

  async function submit(event: Event) {
    event.preventDefault()
    if (!chosen) return
    const problem = kudosProblem(message, null)
    if (problem) {
      submission.fail(problem, { message: problem })
      return
    }
    const kudos = await submission.run(() =>
      reviewApi.giveKudos({ user_id: chosen.user_id, message: message.trim(), client_key: clientKey }),
    )
    if (kudos) {
      setSent(`Kudos sent to ${firstNameOf(chosen.name)}.`)
      setMessage('')
      setClientKey(newKudosKey())
    }
  }

  const left = KUDOS_MESSAGE_MAX - message.trim().length
  return (
    <section class="card" aria-labelledby="peer-kudos-title">
      <div class="card__head">
        <h2 id="peer-kudos-title">Kudos to a teammate</h2>
      </div>
      <p class="muted">Saw a teammate do something well? Tell them. Only teammates who chose to be named on team views are listed.</p>
      <form class="form" onSubmit={submit} noValidate>
        <ErrorNotice message={submission.error && !submission.fieldErrors.message ? submission.error : null} />
        <SelectField
          label="Teammate"
          name="teammate"
          value={String(chosen?.user_id ?? '')}
          onChange={(value) => {
            setTo(value)
            setSent(null)
          }}
          options={list.map((t) => ({ value: String(t.user_id), label: t.name }))}
        />
        <TextArea
          label="Message"
          name="peer-message"
          value={message}
          onInput={(value) => {
            setMessage(value)
            setSent(null)
            if (submission.error) submission.reset()
          }}
          error={submission.fieldErrors.message}
          hint={left >= 0 ? `${left} characters left.` : `${-left} characters too many.`}
          maxLength={KUDOS_MESSAGE_MAX + 20}
        />
        <SubmitButton busy={submission.busy} busyLabel="Sending…">
          Send kudos
        </SubmitButton>
        <p class="send-kudos__status" role="status">
          {sent}
        </p>
      </form>
    </section>
  )
}
