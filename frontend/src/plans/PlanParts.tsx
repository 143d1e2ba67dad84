// Pieces shared by the rep's and the manager's plan screens: pace badges, the revision
// history, the acknowledgement line and the comment thread.
import { useState } from 'preact/hooks'
import type { PaceBody, Plan, PlanComment, PlanTarget } from '@contract/types'
import { plansApi } from '../api/plans'
import { formatInstant } from '../time/format'
import { TextArea } from '../ui/fields'
import { ErrorNotice, SubmitButton } from '../ui/feedback'
import { Icon, type IconName } from '../ui/icons'
import { useSubmit } from '../ui/hooks'
import { PACE_LABELS } from './pace'
import { activityIcon } from './labels'
import { dateTimeFormat } from '../time/intl'
import './plans.css'

const PACE_ICONS: Record<PaceBody['status'], IconName> = {
  ahead: 'arrowUp',
  on_track: 'check',
  behind: 'arrowDown',
  done: 'check',
  no_plan: 'minus',
}

export function PaceBadge({ status }: { status: PaceBody['status'] }) {
  return (
    <span class={`pace pace--${status}`}>
      <Icon name={PACE_ICONS[status]} />
      <span>{PACE_LABELS[status]}</span>
    </span>
  )
}

export function ActivityIcon({ icon }: { icon: string }) {
  return (
    <span class="activity-icon">
      <Icon name={activityIcon(icon)} />
    </span>
  )
}

/** "Mon 14:05" in the viewer's zone (with the date when it is not this week). */
export function shortInstant(iso: string, timeZone: string): string {
  const date = new Date(iso)
  const weekAgo = Date.now() - 6 * 86_400_000
  try {
    const options: Intl.DateTimeFormatOptions =
      date.getTime() > weekAgo
        ? { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    return dateTimeFormat('en-GB', options).format(date).replace(',', '')
  } catch {
    return formatInstant(iso)
  }
}

export function Acknowledgement({ plan, timeZone }: { plan: Plan; timeZone: string }) {
  if (plan.status !== 'committed') {
    return <p class="ack ack--draft">Draft — not committed yet.</p>
  }
  if (plan.acknowledged_at) {
    return (
      <p class="ack ack--done">
        <Icon name="check" />
        <span>
          Acknowledged by {plan.acknowledged_by ?? 'your manager'}, {shortInstant(plan.acknowledged_at, timeZone)}
        </span>
      </p>
    )
  }
  return (
    <p class="ack">
      Committed{plan.committed_at ? ` ${shortInstant(plan.committed_at, timeZone)}` : ''} — waiting for the manager to
      acknowledge.
    </p>
  )
}

export function TargetsList({ targets, names }: { targets: PlanTarget[]; names: Map<number, { name: string; icon: string }> }) {
  if (targets.length === 0) return <p class="muted">No targets.</p>
  return (
    <ul class="target-chips">
      {targets.map((t) => {
        const type = names.get(t.activity_type_id)
        return (
          <li key={t.activity_type_id}>
            <ActivityIcon icon={type?.icon ?? 'dot'} />
            <span>
              <strong>{t.target}</strong> {type?.name ?? `Activity ${t.activity_type_id}`}
            </span>
          </li>
        )
      })}
    </ul>
  )
}

export function RevisionHistory({
  plan,
  timeZone,
  names,
}: {
  plan: Plan
  timeZone: string
  names: Map<number, { name: string; icon: string }>
}) {
  if (plan.revisions.length === 0) return <p class="muted">No revisions yet.</p>
  const revisions = [...plan.revisions].sort((a, b) => b.version - a.version)
  return (
    <ol class="revisions" aria-label="Revision history">
      {revisions.map((revision) => (
        <li key={revision.version} class="revision">
          <p class="revision__head">
            <strong>Version {revision.version}</strong>
            <span class="muted small">
              {revision.author}, {formatInstant(revision.created_at, timeZone)}
            </span>
          </p>
          <p class="revision__reason">“{revision.reason}”</p>
          <p class="small muted">
            {revision.targets
              .map((t) => `${t.target} ${names.get(t.activity_type_id)?.name ?? `activity ${t.activity_type_id}`}`)
              .join(' · ') || 'No targets'}
          </p>
        </li>
      ))}
    </ol>
  )
}

function newClientKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID()
  return `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`
}

export function CommentThread({
  plan,
  viewerId,
  timeZone,
  onAdded,
  prompt = 'Reply',
  hint,
}: {
  plan: Plan
  viewerId: number
  timeZone: string
  onAdded: (comment: PlanComment) => void
  prompt?: string
  hint?: string
}) {
  const [body, setBody] = useState('')
  // One key per message: a retry after a lost answer stores the comment once.
  const [clientKey, setClientKey] = useState(newClientKey)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    const text = body.trim()
    if (!text) {
      submission.fail('Write a message first.', { body: 'Write a message first.' })
      return
    }
    const comment = await submission.run(() => plansApi.comment(plan.id, { body: text, client_key: clientKey }))
    if (comment) {
      onAdded(comment)
      setBody('')
      setClientKey(newClientKey())
    }
  }

  return (
    <div class="thread">
      {plan.comments.length === 0 ? (
        <p class="muted">No messages yet.</p>
      ) : (
        <ol class="thread__list" aria-label="Messages">
          {plan.comments.map((comment) => (
            <li key={comment.id} class={`message${comment.author_id === viewerId ? ' message--own' : ''}`}>
              <p class="message__meta">
                <strong>{comment.author_id === viewerId ? 'You' : comment.author}</strong>
                <span class="muted small"> · {shortInstant(comment.created_at, timeZone)}</span>
              </p>
              <p class="message__body">{comment.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form class="form thread__form" onSubmit={submit} noValidate>
        <ErrorNotice message={submission.error && !submission.fieldErrors.body ? submission.error : null} />
        <TextArea
          label={prompt}
          name="body"
          value={body}
          onInput={(value) => {
            setBody(value)
            if (submission.error) submission.reset()
          }}
          error={submission.fieldErrors.body}
          hint={hint}
          disabled={submission.busy}
          maxLength={2000}
        />
        <SubmitButton busy={submission.busy} busyLabel="Sending…">
          Send
        </SubmitButton>
      </form>
    </div>
  )
}



/** Shown above remembered data when the fresh read failed offline. */
export function StaleNotice({ show, onRetry }: { show: boolean; onRetry: () => void }) {
  if (!show) return null
  return (
    <div class="notice notice--info">
      <p>You're offline — showing what was last loaded. Try again when you have signal.</p>
      <button type="button" class="button button--secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  )
}
