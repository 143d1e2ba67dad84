// The team's self-coaching prompts: the questions a rep is shown to coach themselves after
// a setback or when behind pace. The team's own prompts come first and can be removed; the
// curated library's cannot. Mounted on the team's coaching set-up screen.
import type { SelfCoachingPrompt } from '@contract/types'
import { useRef, useState } from 'preact/hooks'
import { coachingApi } from '../../api/coaching'
import '../../plans/plans.css'
import { useRead, type Read } from '../../plans/read'
import { StaleNotice } from '../../plans/PlanParts'
import { Pill } from '../../review/parts'
import { EmptyState, ErrorNotice, Loading, SubmitButton, SuccessNotice } from '../../ui/feedback'
import { SelectField, TextArea } from '../../ui/fields'
import { useSubmit } from '../../ui/hooks'
import { groupPrompts, newClientKey, PROMPT_MAX, triggerLabel, TRIGGERS, validatePrompt, type Trigger } from './logic'
import './checkin.css'

export function SelfCoachingLibrary({ teamId }: { teamId: number }) {
  const read = useRead(`self-coaching:${teamId}`, () => coachingApi.teamSelfCoaching(teamId))
  return (
    <section class="card" aria-labelledby="sc-heading">
      <div class="card__head">
        <h2 id="sc-heading">Self-coaching prompts</h2>
      </div>
      <p class="muted">
        Questions a rep is shown to coach themselves: after a setback (a lost deal, a “no interest”) or when the week is
        behind pace. Add your team's own; the library's are always there.
      </p>
      <StaleNotice show={read.stale} onRetry={read.reload} />
      {read.loading && <Loading label="Loading the prompts…" />}
      <ErrorNotice message={read.error} onRetry={read.reload} />
      {read.data && <Library teamId={teamId} read={read} prompts={read.data} />}
    </section>
  )
}

function Library({ teamId, read, prompts }: { teamId: number; read: Read<SelfCoachingPrompt[]>; prompts: SelfCoachingPrompt[] }) {
  const groups = groupPrompts(prompts)
  return (
    <>
      <AddPrompt teamId={teamId} onAdded={(p) => read.setData((list) => [p, ...(list ?? []).filter((x) => x.id !== p.id)])} />
      <div class="sc-groups">
        {groups.map((group) => (
          <div key={group.trigger} class="sc-group">
            <h3>
              {group.label} ({group.prompts.length})
            </h3>
            {group.prompts.length === 0 ? (
              <EmptyState title="No prompts for this moment yet." />
            ) : (
              <ul class="sc-list">
                {group.prompts.map((p) => (
                  <PromptItem key={p.id} prompt={p} onRemoved={() => read.setData((list) => (list ?? []).filter((x) => x.id !== p.id))} />
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
    </>
  )
}

function PromptItem({ prompt, onRemoved }: { prompt: SelfCoachingPrompt; onRemoved: () => void }) {
  const submit = useSubmit()
  const [confirming, setConfirming] = useState(false)
  async function remove() {
    const done = await submit.run(async () => {
      await coachingApi.removeSelfCoaching(prompt.id)
      return true
    })
    if (done) onRemoved()
  }
  return (
    <li class="sc-prompt">
      <p>{prompt.text}</p>
      <div class="sc-prompt__foot">
        {prompt.source === 'team' ? (
          <Pill tone="info" icon="team">
            Your team's
          </Pill>
        ) : (
          <Pill tone="neutral" icon="book">
            From the library
          </Pill>
        )}
        {prompt.source === 'team' && !confirming && (
          <button type="button" class="button button--link" onClick={() => setConfirming(true)}>
            Remove<span class="visually-hidden">: {prompt.text}</span>
          </button>
        )}
      </div>
      {prompt.source === 'team' && confirming && (
        <div class="confirm" role="group" aria-label="Confirm removal">
          <p>Remove this prompt? Reps will not be shown it any more.</p>
          <ErrorNotice message={submit.error} />
          <button type="button" class="button button--danger" onClick={() => void remove()} disabled={submit.busy}>
            {submit.busy ? 'Removing…' : 'Yes, remove it'}
          </button>
          <button type="button" class="button button--secondary" onClick={() => setConfirming(false)} disabled={submit.busy}>
            Keep it
          </button>
        </div>
      )}
    </li>
  )
}

function AddPrompt({ teamId, onAdded }: { teamId: number; onAdded: (p: SelfCoachingPrompt) => void }) {
  const [text, setText] = useState('')
  const [trigger, setTrigger] = useState<Trigger>('setback')
  const [added, setAdded] = useState<string | null>(null)
  const key = useRef(newClientKey())
  const submit = useSubmit()
  async function add(event: Event) {
    event.preventDefault()
    setAdded(null)
    const problem = validatePrompt(text)
    if (problem) {
      submit.fail(problem, { text: problem })
      return
    }
    const saved = await submit.run(() =>
      coachingApi.addSelfCoaching(teamId, { text: text.trim(), trigger, client_key: key.current }),
    )
    if (!saved) return
    key.current = newClientKey()
    setText('')
    setAdded(`Added to “${triggerLabel(saved.trigger)}”.`)
    onAdded(saved)
  }
  return (
    <form class="form form--inline" onSubmit={(e) => void add(e)} noValidate aria-label="Add a self-coaching prompt">
      <TextArea
        label="New prompt"
        name="text"
        value={text}
        onInput={setText}
        maxLength={PROMPT_MAX}
        rows={2}
        hint="A question the rep asks themselves, e.g. “What is one thing I can still control this week?” (10–300 characters)."
        error={submit.fieldErrors.text}
      />
      <SelectField
        label="When to show it"
        name="trigger"
        value={trigger}
        options={TRIGGERS.map((t) => ({ value: t.value, label: t.label }))}
        onChange={(value) => setTrigger(value as Trigger)}
        hint={TRIGGERS.find((t) => t.value === trigger)?.hint}
        error={submit.fieldErrors.trigger}
      />
      <ErrorNotice message={submit.error && !submit.fieldErrors.text ? submit.error : null} />
      {added && <SuccessNotice>{added}</SuccessNotice>}
      <SubmitButton busy={submit.busy}>Add the prompt</SubmitButton>
    </form>
  )
}
