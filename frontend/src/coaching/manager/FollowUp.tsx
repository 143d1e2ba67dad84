// The follow-up: what the rep committed to last time and how it went. Measured commitments
// speak for themselves ("2 of 2 Calls"); the others the manager marks with the rep.
import type { Commitment } from '@contract/types'
import { useState } from 'preact/hooks'
import { coachingApi } from '../../api/coaching'
import { ErrorNotice } from '../../ui/feedback'
import { useSubmit } from '../../ui/hooks'
import {
  canMark,
  dueText,
  followUpSummary,
  groupFollowUp,
  needsVerdict,
  progressText,
  sourceText,
  VERDICTS,
  type Verdict,
} from './logic'
import { StatusPill } from './parts'

export function FollowUp({
  followUp,
  open,
  today,
  repFirstName,
  onMarked,
}: {
  followUp: Commitment[]
  open: Commitment[]
  today: string
  repFirstName: string
  onMarked: (c: Commitment) => void
}) {
  const { toReview, settled } = groupFollowUp(followUp)
  const shown = new Set(followUp.map((c) => c.id))
  const running = open.filter((c) => !shown.has(c.id))
  return (
    <>
      <p class="ci-lead">
        <span class="ci-lead__label">Last check-in's commitments:</span> {followUpSummary(followUp)}
      </p>
      {toReview.length > 0 && (
        <div class="ci-block">
          <h3>To review together ({toReview.length})</h3>
          <p class="muted small">These cannot be counted from logged activity: ask {repFirstName} how it went, then mark it.</p>
          <ul class="ci-commitments">
            {toReview.map((c) => (
              <CommitmentItem key={c.id} commitment={c} today={today} onMarked={onMarked} />
            ))}
          </ul>
        </div>
      )}
      {settled.length > 0 && (
        <div class="ci-block">
          {toReview.length > 0 && <h3>Already settled ({settled.length})</h3>}
          <ul class="ci-commitments">
            {settled.map((c) => (
              <CommitmentItem key={c.id} commitment={c} today={today} onMarked={onMarked} />
            ))}
          </ul>
        </div>
      )}
      {running.length > 0 && (
        <div class="ci-block">
          <h3>Still running ({running.length})</h3>
          <ul class="ci-commitments">
            {running.map((c) => (
              <CommitmentItem key={c.id} commitment={c} today={today} onMarked={onMarked} />
            ))}
          </ul>
        </div>
      )}
    </>
  )
}

export function CommitmentItem({
  commitment: c,
  today,
  onMarked,
}: {
  commitment: Commitment
  today: string
  onMarked?: (c: Commitment) => void
}) {
  const progress = progressText(c)
  return (
    <li class={`ci-commitment${needsVerdict(c) ? ' ci-commitment--review' : ''}`}>
      <div class="ci-commitment__head">
        <p class="ci-commitment__text">“{c.text}”</p>
        <StatusPill status={c.status} />
      </div>
      <p class="small muted">
        Due {dueText(c.due_on, today)}
        {progress ? (
          <>
            {' · '}
            <strong class="ci-commitment__count">{progress}</strong>
          </>
        ) : null}
        {' · '}
        {sourceText(c)}
      </p>
      {onMarked && canMark(c) && <MarkCommitment commitment={c} onMarked={onMarked} />}
    </li>
  )
}

function MarkCommitment({ commitment: c, onMarked }: { commitment: Commitment; onMarked: (c: Commitment) => void }) {
  const submit = useSubmit()
  const [pending, setPending] = useState<Verdict | null>(null)
  const current = c.status_source === 'manager' ? c.status : null
  async function mark(status: Verdict) {
    setPending(status)
    const saved = await submit.run(() => coachingApi.markCommitment(c.id, { status }))
    setPending(null)
    if (saved) onMarked(saved)
  }
  return (
    <div class="ci-mark">
      <div class="ci-mark__buttons" role="group" aria-label={`How did it go: “${c.text}”`}>
        {VERDICTS.map((v) => (
          <button
            key={v.value}
            type="button"
            class={`button button--secondary ci-mark__button${current === v.value ? ' ci-mark__button--on' : ''}`}
            aria-pressed={current === v.value ? 'true' : 'false'}
            disabled={submit.busy}
            aria-busy={pending === v.value ? 'true' : undefined}
            onClick={() => void mark(v.value)}
          >
            {v.label}
          </button>
        ))}
      </div>
      <ErrorNotice message={submit.error} />
    </div>
  )
}
