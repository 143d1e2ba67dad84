// The rep's weekly self-reflection (/reflect, /reflect?week=YYYY-MM-DD): saved on the phone
// and synced through the outbox like a log, so it can be written with no signal.
import type { Me } from '@contract/types'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { ReflectionPayload } from '../db'
import { deviceTimeZone } from '../screens/LogForm'
import { afterLocalChange } from '../sync/controller'
import {
  currentWeekStart,
  emptyReflection,
  JOTTING_MAX,
  JOTTINGS_MAX,
  normalizedReflection,
  REFLECTION_TEXT_MAX,
  ReflectionInvalidError,
  reflectionProblems,
  saveReflection,
  weekStartFromParam,
} from '../sync/local'
import { ErrorNotice, Loading } from '../ui/feedback'
import { Screen } from '../ui/Screen'
import { ReflectionAttentionList } from '../ui/SyncStatus'
import { addDays, RATING_WORDS, REFLECTION_STATE_TEXT, reflectionState, sameReflection, weekRangeLabel } from './logic'
import { useWeekReflection } from './useReflection'
import './coaching.css'

type TextKey = 'wins' | 'stuck' | 'differently' | 'help_wanted'

/** The server accepts reflections for this many weeks back (backend/coaching/service.py). */
export const REFLECTION_WEEKS_BACK = 8

function weekFromLocation(): string | null {
  return typeof location === 'undefined' ? null : weekStartFromParam(new URLSearchParams(location.search).get('week'))
}

/** The week to show: ?week= (any day of it), within the weeks a reflection can be written for. */
function chosenWeek(thisWeek: string): string {
  const asked = weekFromLocation()
  const oldest = addDays(thisWeek, -7 * REFLECTION_WEEKS_BACK)
  return asked && asked <= thisWeek && asked >= oldest ? asked : thisWeek
}

function ReflectionText({
  name,
  label,
  hint,
  value,
  error,
  onInput,
  badge,
}: {
  name: TextKey
  label: string
  hint: string
  value: string
  error: string | undefined
  onInput: (value: string) => void
  badge?: string
}) {
  const id = useId()
  const over = value.length > REFLECTION_TEXT_MAX
  return (
    <div class={`field reflect-field${error || over ? ' field--invalid' : ''}`}>
      <label for={id}>
        {label}
        {badge && <span class="badge reflect-badge">{badge}</span>}
      </label>
      <p class="field__hint" id={`${id}-hint`}>
        {hint}
      </p>
      <textarea
        id={id}
        name={name}
        rows={3}
        value={value}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
      />
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

export function Reflect({ user }: { user: Me }) {
  const zone = user.time_zone || deviceTimeZone()
  const thisWeek = currentWeekStart(zone)
  const [week, setWeek] = useState(() => chosenWeek(thisWeek))
  const data = useWeekReflection(user, week)
  const [form, setForm] = useState<ReflectionPayload>(() => emptyReflection(week))
  const [dirty, setDirtyState] = useState(false)
  // Also a ref, set at once: effects of an earlier render must see a tap made since.
  const dirtyNow = useRef(false)
  const setDirty = (value: boolean) => {
    dirtyNow.current = value
    setDirtyState(value)
  }
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [jotting, setJotting] = useState('')
  const [jotError, setJotError] = useState<string | null>(null)

  // Back/forward between weeks (the router only watches the path).
  useEffect(() => {
    const onPop = () => setWeek(chosenWeek(thisWeek))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [thisWeek])

  // Another week: a fresh form. Not on the first render (the form starts fresh), so a tap
  // made before this effect runs is never undone.
  const shownWeek = useRef(week)
  useEffect(() => {
    if (shownWeek.current === week) return
    shownWeek.current = week
    setDirty(false)
    setErrors({})
    setFailure(null)
    setForm(emptyReflection(week))
  }, [week])

  // What is stored shows in the form until the rep starts typing.
  const stored = data.local?.fields ?? null
  useEffect(() => {
    if (!dirtyNow.current) setForm(stored ?? emptyReflection(week))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stored, week])

  useEffect(() => {
    if (data.loaded && location.hash === '#reflection-attention') document.getElementById('reflection-attention')?.scrollIntoView()
  }, [data.loaded, data.rejected.length > 0])

  function goTo(target: string, event: Event) {
    event.preventDefault()
    if (dirty && !window.confirm('You have unsaved changes to this reflection. Leave them?')) return
    history.pushState(null, '', target === thisWeek ? '/reflect' : `/reflect?week=${target}`)
    setWeek(target)
  }

  function update(next: Partial<ReflectionPayload>) {
    setForm((f) => ({ ...f, ...next }))
    setDirty(true)
  }

  function addJotting() {
    const text = jotting.trim()
    if (!text) {
      setJotError('Write something first.')
      return
    }
    if (text.length > JOTTING_MAX) {
      setJotError(`At most ${JOTTING_MAX} characters (now ${text.length}).`)
      return
    }
    if (form.jottings.length >= JOTTINGS_MAX) {
      setJotError(`At most ${JOTTINGS_MAX} jottings a week: remove one first.`)
      return
    }
    setJotError(null)
    update({ jottings: [...form.jottings, text] })
    setJotting('')
  }

  async function save(event: Event) {
    event.preventDefault()
    if (busy) return
    const clean = normalizedReflection({ ...form, week_start: week })
    const problems = reflectionProblems(clean)
    setErrors(problems)
    setFailure(null)
    if (Object.keys(problems).length > 0) return
    setBusy(true)
    try {
      await saveReflection(clean)
      setDirty(false)
      afterLocalChange()
    } catch (error) {
      if (error instanceof ReflectionInvalidError) setErrors(error.problems)
      else setFailure(error instanceof Error ? `Could not save on this phone: ${error.message}` : 'Could not save. Please try again.')
    } finally {
      setBusy(false)
    }
  }

  if (user.role !== 'rep') {
    return (
      <Screen title="Reflect on your week">
        <p>Weekly reflections are written by reps. You read your reps' reflections when you prepare a 1:1.</p>
      </Screen>
    )
  }

  const state = reflectionState(data.local, data.rejected.length)
  const unchanged = stored ? sameReflection(stored, normalizedReflection(form)) : false
  const statusText = dirty && !unchanged ? 'Changes not saved yet' : REFLECTION_STATE_TEXT[state]
  const statusTone = dirty && !unchanged ? 'waiting' : state === 'synced' ? 'ok' : state === 'rejected' ? 'problem' : state === 'pending' ? 'waiting' : 'none'
  const isThisWeek = week === thisWeek
  const canGoBack = addDays(week, -7) >= addDays(thisWeek, -7 * REFLECTION_WEEKS_BACK)
  const weekName = weekRangeLabel(week)

  return (
    <Screen
      title="Reflect on your week"
      intro={
        <p>
          A few minutes before your 1:1. Your manager reads this to prepare; it works offline and syncs when you have
          signal.
        </p>
      }
    >
      <nav class="reflect-weeks" aria-label="Week">
        <p class="reflect-weeks__current">
          <strong>{isThisWeek ? 'This week' : 'Week'}</strong>: {weekName}
        </p>
        <div class="reflect-weeks__links">
          {canGoBack && (
            <a href={`/reflect?week=${addDays(week, -7)}`} onClick={(e) => goTo(addDays(week, -7), e)}>
              Previous week
            </a>
          )}
          {!isThisWeek && (
            <a href={addDays(week, 7) >= thisWeek ? '/reflect' : `/reflect?week=${addDays(week, 7)}`} onClick={(e) => goTo(addDays(week, 7), e)}>
              Next week
            </a>
          )}
        </div>
      </nav>

      <ReflectionAttentionList week={week} onReflectScreen />

      {!data.loaded ? (
        <Loading label="Loading your reflection…" />
      ) : (
        <form class="card reflect-form" onSubmit={save} noValidate aria-labelledby="reflect-form-title">
          <div class="card__head">
            <h2 id="reflect-form-title">Your reflection</h2>
          </div>
          <p class={`reflect-status reflect-status--${statusTone}`} role="status">
            <span class="reflect-status__dot" aria-hidden="true" />
            <span class="reflect-status__text">{statusText}</span>
          </p>
          {data.server === 'offline' && <p class="small muted">Offline — showing what is saved on this phone.</p>}
          <ErrorNotice message={data.server === 'error' ? data.serverError : null} onRetry={data.retry} />

          <ReflectionText
            name="wins"
            label="Wins this week"
            hint="What went well — big or small."
            value={form.wins}
            error={errors.wins}
            onInput={(v) => update({ wins: v })}
          />
          <ReflectionText
            name="stuck"
            label="Where I got stuck"
            hint="A deal, a step in the process, a habit."
            value={form.stuck}
            error={errors.stuck}
            onInput={(v) => update({ stuck: v })}
          />
          <ReflectionText
            name="differently"
            label="What I will do differently"
            hint="One concrete change for next week."
            value={form.differently}
            error={errors.differently}
            onInput={(v) => update({ differently: v })}
          />
          <ReflectionText
            name="help_wanted"
            label="What would help me"
            badge="Goes to your manager"
            hint="Ask your manager for it: a resource, a change to a process or a KPI."
            value={form.help_wanted}
            error={errors.help_wanted}
            onInput={(v) => update({ help_wanted: v })}
          />

          <fieldset class="field reflect-rating">
            <legend>How was your week? (1 = tough, 5 = great)</legend>
            <div class="chips" role="radiogroup" aria-label="Rate your week from 1, tough, to 5, great">
              {[1, 2, 3, 4, 5].map((n) => (
                <label class={`chip chip--radio reflect-rating__option${form.self_rating === n ? ' chip--selected' : ''}`} key={n}>
                  <input
                    type="radio"
                    name="self_rating"
                    value={String(n)}
                    checked={form.self_rating === n}
                    onChange={() => update({ self_rating: n })}
                  />
                  <span>
                    {n} <span class="reflect-rating__word">{RATING_WORDS[n]}</span>
                  </span>
                </label>
              ))}
            </div>
            {form.self_rating !== null && (
              <button type="button" class="button button--link" onClick={() => update({ self_rating: null })}>
                Clear rating
              </button>
            )}
          </fieldset>

          <fieldset class="field reflect-jottings">
            <legend>Jottings</legend>
            <p class="field__hint">Quick notes during the week, like answers to a coaching question after a setback.</p>
            {form.jottings.length === 0 ? (
              <p class="small muted">No jottings yet this week.</p>
            ) : (
              <ul class="reflect-jottings__list">
                {form.jottings.map((text, index) => (
                  <li key={`${index}:${text}`}>
                    <span class="reflect-jottings__text">{text}</span>
                    <button
                      type="button"
                      class="button button--link"
                      aria-label={`Remove jotting: ${text.slice(0, 60)}`}
                      onClick={() => update({ jottings: form.jottings.filter((_, i) => i !== index) })}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {errors.jottings && <p class="field__error">{errors.jottings}</p>}
            <div class={`field${jotError ? ' field--invalid' : ''}`}>
              <label for="reflect-new-jotting">Add a jotting</label>
              <div class="reflect-jottings__add">
                <input
                  id="reflect-new-jotting"
                  type="text"
                  value={jotting}
                  maxLength={JOTTING_MAX}
                  onInput={(e) => setJotting((e.currentTarget as HTMLInputElement).value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault()
                      addJotting()
                    }
                  }}
                  aria-invalid={jotError ? 'true' : undefined}
                  aria-describedby={jotError ? 'reflect-new-jotting-error' : undefined}
                />
                <button type="button" class="button button--secondary" onClick={addJotting}>
                  Add
                </button>
              </div>
              {jotError && (
                <p class="field__error" id="reflect-new-jotting-error">
                  {jotError}
                </p>
              )}
            </div>
          </fieldset>

          <ErrorNotice message={failure} />
          <div class="row-actions reflect-actions">
            <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
              {busy ? 'Saving…' : 'Save reflection'}
            </button>
            {/* The same words by the button, where the rep is looking (announced once, above). */}
            <span class={`reflect-status reflect-status--${statusTone} reflect-status--inline`}>
              <span class="reflect-status__dot" aria-hidden="true" />
              <span>{statusText}</span>
            </span>
          </div>
        </form>
      )}
      <p class="reflect-footer">
        <a href="/timeline">Your coaching timeline</a>
      </p>
    </Screen>
  )
}
