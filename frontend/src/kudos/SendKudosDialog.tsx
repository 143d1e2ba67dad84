// The manager's "Send kudos" button and its small dialog: an optional message (≤ 280
// characters) and the kudos signal it answers. A native modal <dialog>: the page behind
// is inert (focus stays inside), Escape closes, focus returns to the button.
import type { Kudos, Signal } from '@contract/types'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { reviewApi } from '../api/review'
import { SelectField, TextArea } from '../ui/fields'
import { ErrorNotice, SubmitButton } from '../ui/feedback'
import { useSubmit } from '../ui/hooks'
import { type KudosKind, firstNameOf, KUDOS_MESSAGE_MAX, KUDOS_SIGNAL_LABELS, kudosProblem, kudosSignals, newKudosKey } from './kudos'
import './kudos.css'

const NO_SIGNAL = ''

export function SendKudos({
  repId,
  repName,
  signals,
  weekStart,
  onSent,
}: {
  repId: number
  repName: string
  /** The rep's review signals: the kudos ones become choices. */
  signals: Signal[]
  /** The reviewed week (a Monday): kudos are for that week's work. */
  weekStart: string
  onSent: (kudos: Kudos) => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const opener = useRef<HTMLButtonElement>(null)
  const titleId = useId()
  const choices = kudosSignals(signals)
  const [open, setOpen] = useState(false)
  const [message, setMessage] = useState('')
  const [signal, setSignal] = useState<string>(choices[0]?.kind ?? NO_SIGNAL)
  // One key per send, kept while it is retried (a lost answer never gives kudos twice).
  const [clientKey, setClientKey] = useState(() => newKudosKey())
  const [sent, setSent] = useState<string | null>(null)
  const submission = useSubmit()
  const name = firstNameOf(repName)

  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (open && !element.open) {
      if (typeof element.showModal === 'function') element.showModal()
      else element.setAttribute('open', '')
    } else if (!open && element.open) element.close()
  }, [open])

  function show() {
    setSent(null)
    submission.reset()
    if (!choices.some((c) => c.kind === signal)) setSignal(choices[0]?.kind ?? NO_SIGNAL)
    setOpen(true)
  }

  function hide() {
    setOpen(false)
    opener.current?.focus()
  }

  async function submit(event: Event) {
    event.preventDefault()
    const kind = (signal || null) as KudosKind | null
    const problem = kudosProblem(message, kind)
    if (problem) {
      submission.fail(problem, { message: problem })
      return
    }
    const text = message.trim()
    const kudos = await submission.run(() =>
      reviewApi.giveKudos({
        user_id: repId,
        message: text || null,
        signal: kind,
        week_start: weekStart,
        client_key: clientKey,
      }),
    )
    if (kudos) {
      onSent(kudos)
      setMessage('')
      setClientKey(newKudosKey())
      setSent(`Kudos sent to ${name}.`)
      hide()
    }
  }

  const left = KUDOS_MESSAGE_MAX - message.trim().length
  return (
    <div class="send-kudos">
      <button type="button" class="button button--primary" ref={opener} onClick={show} aria-haspopup="dialog">
        Send kudos
      </button>
      <p class="send-kudos__status" role="status">
        {sent}
      </p>
      <dialog
        ref={dialog}
        class="dialog"
        aria-labelledby={titleId}
        onClose={() => {
          // Escape (or the browser) closed it: keep the state in step, focus back on the button.
          if (open) {
            setOpen(false)
            opener.current?.focus()
          }
        }}
      >
        <form class="form dialog__body" onSubmit={submit} noValidate>
          <h2 id={titleId} class="dialog__title">
            Send kudos to {name}
          </h2>
          <ErrorNotice message={submission.error && !submission.fieldErrors.message ? submission.error : null} />
          {choices.length > 0 && (
            <SelectField
              label="What it is for"
              name="signal"
              value={signal}
              onChange={setSignal}
              hint={choices.find((c) => c.kind === signal)?.reason ?? 'Say what you noticed in the message.'}
              options={[
                ...choices.map((c) => ({ value: c.kind, label: KUDOS_SIGNAL_LABELS[c.kind] })),
                { value: NO_SIGNAL, label: 'Something else (say it in the message)' },
              ]}
            />
          )}
          <TextArea
            label={choices.length > 0 ? 'Message (optional)' : 'Message'}
            name="message"
            value={message}
            onInput={(value) => {
              setMessage(value)
              if (submission.error) submission.reset()
            }}
            error={submission.fieldErrors.message}
            hint={`Say what you noticed. ${left >= 0 ? `${left} characters left.` : `${-left} characters too many.`}`}
            maxLength={KUDOS_MESSAGE_MAX + 20}
            disabled={submission.busy}
          />
          <div class="row-actions">
            <SubmitButton busy={submission.busy} busyLabel="Sending…">
              Send kudos
            </SubmitButton>
            <button type="button" class="button button--secondary" onClick={hide}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </div>
  )
}
