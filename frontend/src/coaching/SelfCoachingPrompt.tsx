// One short self-coaching question or tip, after a setback log or when behind pace. It never
// blocks anything, shows one at a time, and once dismissed (or answered) not again for the
// same trigger that day. An answer is jotted into this week's reflection, offline too.
import type { Me } from '@contract/types'
import { useEffect, useId, useState } from 'preact/hooks'
import { deviceTimeZone } from '../screens/LogForm'
import { afterLocalChange } from '../sync/controller'
import { appendJotting, currentWeekStart, JOTTING_MAX, ReflectionInvalidError } from '../sync/local'
import { localDate } from '../time/week'
import { markDismissed, type CachedPrompt, type SelfCoachingTrigger } from './logic'
import { browserStore, claimPromptSlot, dismissPrompt, loadPrompt, releasePromptSlot } from './selfCoaching'
import { ensureReflectionLoaded } from './useReflection'
import './coaching.css'

/** The rep's local date (YYYY-MM-DD) in `timeZone`. */
export function localDay(timeZone: string, now = new Date()): string {
  const d = localDate(now, timeZone)
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
}

const TITLES: Record<SelfCoachingTrigger, string> = {
  setback: 'A moment to reflect',
  behind: 'A question to get back on pace',
}

function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([work, new Promise((resolve) => setTimeout(resolve, ms))])
}

type Phase = 'waiting' | 'shown' | 'answering' | 'answered'

export function SelfCoachingPrompt({
  user,
  trigger,
  headingLevel = 2,
  onClose,
  className = '',
}: {
  user: Me
  trigger: SelfCoachingTrigger
  headingLevel?: 2 | 3
  /** Called when the rep dismisses or closes it. */
  onClose?: () => void
  className?: string
}) {
  const zone = user.time_zone || deviceTimeZone()
  const [prompt, setPrompt] = useState<CachedPrompt | null>(null)
  const [phase, setPhase] = useState<Phase>('waiting')
  const [answer, setAnswer] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()

  useEffect(() => {
    let live = true
    if (!claimPromptSlot(user.id, trigger, localDay(zone))) return
    void loadPrompt(user.id, trigger).then((found) => {
      if (!live) return
      if (!found) {
        releasePromptSlot(trigger)
        return
      }
      setPrompt(found)
      setPhase('shown')
    })
    return () => {
      live = false
      releasePromptSlot(trigger)
    }
  }, [user.id, trigger, zone])

  if (!prompt || phase === 'waiting') return null
  // The jotting keeps the question with the answer, so it reads well in the reflection.
  const prefix = `${prompt.text} — `
  const room = Math.max(50, JOTTING_MAX - prefix.length)

  function close() {
    dismissPrompt(user.id, trigger, localDay(zone))
    setPhase('waiting')
    onClose?.()
  }

  async function jot(event: Event) {
    event.preventDefault()
    if (busy) return
    const text = answer.trim()
    if (!text) {
      setError('Write your answer first, or choose “Not now”.')
      return
    }
    if (text.length > room) {
      setError(`At most ${room} characters (now ${text.length}).`)
      return
    }
    setBusy(true)
    setError(null)
    const week = currentWeekStart(zone)
    try {
      // A phone that never saw this week's reflection reads the server's first, so the
      // whole-record save keeps what was written elsewhere. Never waits long for it.
      await withTimeout(ensureReflectionLoaded(user.id, week), 4000)
      await appendJotting(week, `${prefix}${text}`.slice(0, JOTTING_MAX))
      afterLocalChange()
      // Answered counts as dismissed: not again for this trigger today (the slot stays
      // taken while the confirmation shows).
      markDismissed(browserStore(), user.id, trigger, localDay(zone))
      setPhase('answered')
    } catch (reason) {
      setError(
        reason instanceof ReflectionInvalidError
          ? reason.message
          : reason instanceof Error
            ? `Could not save it on this phone: ${reason.message}`
            : 'Could not save it. Please try again.',
      )
    } finally {
      setBusy(false)
    }
  }

  const Heading = headingLevel === 3 ? 'h3' : 'h2'
  const headingId = `${id}-title`
  return (
    <aside class={`coach-prompt ${className}`.trim()} aria-labelledby={headingId}>
      <Heading class="coach-prompt__title" id={headingId}>
        {TITLES[trigger]}
      </Heading>
      <p class="coach-prompt__text">{prompt.text}</p>
      {phase === 'shown' && (
        <div class="row-actions">
          <button type="button" class="button button--primary" onClick={() => setPhase('answering')}>
            Jot an answer
          </button>
          <button type="button" class="button button--secondary" onClick={close}>
            Not now
          </button>
        </div>
      )}
      {phase === 'answering' && (
        <form class="form" onSubmit={jot} noValidate>
          <div class={`field${error ? ' field--invalid' : ''}`}>
            <label for={`${id}-answer`}>Your answer</label>
            <p class="field__hint" id={`${id}-hint`}>
              Added to this week's reflection. Saved on this phone, synced when you have signal.
            </p>
            <textarea
              id={`${id}-answer`}
              rows={3}
              value={answer}
              maxLength={room}
              onInput={(e) => setAnswer((e.currentTarget as HTMLTextAreaElement).value)}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
            />
            {error && (
              <p class="field__error" id={`${id}-error`}>
                {error}
              </p>
            )}
          </div>
          <div class="row-actions">
            <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
              {busy ? 'Saving…' : 'Add to my reflection'}
            </button>
            <button type="button" class="button button--secondary" onClick={close}>
              Not now
            </button>
          </div>
        </form>
      )}
      {phase === 'answered' && (
        <div class="notice notice--success" role="status">
          <p>
            Added to this week's reflection (saved on this phone — will sync). <a href="/reflect">Open your reflection</a>
          </p>
          <button type="button" class="button button--secondary" onClick={close}>
            Close
          </button>
        </div>
      )}
    </aside>
  )
}
