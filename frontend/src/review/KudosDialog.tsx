// One-tap kudos: a small modal dialog (native <dialog>: focus stays inside, Escape closes,
// labelled by its heading) with an optional message and the signal it answers. A client
// key per send makes a retried tap give kudos once.
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { Kudos, RepReviewRow } from '@contract/types'
import { reviewApi } from '../api/review'
import { ErrorNotice, SubmitButton } from '../ui/feedback'
import { TextArea } from '../ui/fields'
import { useSubmit } from '../ui/hooks'
import { isKudosKind, KUDOS_MESSAGE_MAX, newClientKey, SIGNAL_LABELS, type KudosKind } from './logic'
import { ReviewIcon } from './parts'

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])'

/** The key of a send not yet confirmed, per rep: a retry (even after closing) reuses it. */
const pendingKeys = new Map<number, string>()

function keyFor(userId: number): string {
  let key = pendingKeys.get(userId)
  if (!key) {
    key = newClientKey()
    pendingKeys.set(userId, key)
  }
  return key
}

export function KudosDialog({
  row,
  week,
  onClose,
  onSent,
}: {
  row: RepReviewRow
  /** The reviewed week when it is not this week (kudos for last week's work), else null. */
  week: string | null
  onClose: () => void
  onSent: (kudos: Kudos, row: RepReviewRow) => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const opener = useRef<Element | null>(null)
  const titleId = useId()
  const kudosSignals = row.signals.filter((s) => s.group === 'kudos' && isKudosKind(s.kind))
  const [signal, setSignal] = useState<KudosKind | ''>(() => (kudosSignals[0]?.kind as KudosKind | undefined) ?? '')
  const [message, setMessage] = useState('')
  const submission = useSubmit()

  useEffect(() => {
    opener.current = document.activeElement
    const node = dialog.current
    if (node && !node.open) {
      if (typeof node.showModal === 'function') node.showModal()
      else node.setAttribute('open', '')
      // Start where the choice is made, not on the close button.
      node.querySelector<HTMLElement>('input[type=radio]:checked, textarea')?.focus()
    }
    return () => {
      if (node?.open) node.close()
      const back = opener.current as HTMLElement | null
      if (back && back.isConnected) back.focus()
    }
  }, [])

  async function submit(event: Event) {
    event.preventDefault()
    const text = message.trim()
    if (!text && !signal) {
      submission.fail('Say what the kudos are for: write a few words or pick what they earned.', {
        message: 'Write a few words.',
      })
      return
    }
    const body = {
      user_id: row.user_id,
      message: text || null,
      signal: signal || null,
      client_key: keyFor(row.user_id),
      ...(week ? { week_start: week } : {}),
    }
    const kudos = await submission.run(() => reviewApi.giveKudos(body))
    if (kudos) {
      pendingKeys.delete(row.user_id)
      onSent(kudos, row)
    }
  }

  const left = KUDOS_MESSAGE_MAX - message.length
  const busy = submission.busy
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: close through the parent so its state follows.
        event.preventDefault()
        if (!busy) onClose()
      }}
      onKeyDown={(event) => {
        // Keep Tab inside the dialog (a modal <dialog> alone lets focus leave for the browser's UI).
        if (event.key !== 'Tab' || !dialog.current) return
        const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('disabled'))
        const first = focusable[0]
        const last = focusable[focusable.length - 1]
        if (!first || !last) return
        if (event.shiftKey && document.activeElement === first) {
          event.preventDefault()
          last.focus()
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault()
          first.focus()
        }
      }}
      onClick={(event) => {
        // A tap on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === dialog.current && !busy) onClose()
      }}
    >
      <form class="form dialog__body" onSubmit={submit} noValidate>
        <div class="dialog__head">
          <h2 id={titleId}>Kudos for {row.name}</h2>
          <button type="button" class="button button--secondary dialog__close" onClick={onClose} disabled={busy} aria-label="Close">
            <ReviewIcon name="close" />
          </button>
        </div>
        <ErrorNotice message={submission.error} />
        {kudosSignals.length > 0 && (
          <fieldset class="field choices">
            <legend>What is it for?</legend>
            {kudosSignals.map((s) => (
              <label class="check check--top" key={s.kind}>
                <input
                  type="radio"
                  name="kudos-signal"
                  value={s.kind}
                  checked={signal === s.kind}
                  disabled={busy}
                  onChange={() => setSignal(s.kind as KudosKind)}
                />
                <span>
                  <strong>{SIGNAL_LABELS[s.kind]}</strong>
                  <span class="muted small"> — {s.reason}</span>
                </span>
              </label>
            ))}
            <label class="check">
              <input type="radio" name="kudos-signal" value="" checked={signal === ''} disabled={busy} onChange={() => setSignal('')} />
              <span>Something else (say it in the message)</span>
            </label>
          </fieldset>
        )}
        <TextArea
          label={kudosSignals.length > 0 ? 'Message (optional)' : 'Message'}
          name="message"
          value={message}
          onInput={(value) => {
            setMessage(value)
            if (submission.error) submission.reset()
          }}
          maxLength={KUDOS_MESSAGE_MAX}
          rows={3}
          disabled={busy}
          error={submission.fieldErrors.message}
          hint={`A few words ${row.name.split(' ')[0]} will see. ${left} of ${KUDOS_MESSAGE_MAX} characters left.`}
        />
        <div class="row-actions">
          <SubmitButton busy={busy} busyLabel="Sending…">
            <ReviewIcon name="star" />
            Send kudos
          </SubmitButton>
          <button type="button" class="button button--secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  )
}
