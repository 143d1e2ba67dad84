// The manager's alerts inbox: newest first, unread marked, each alert listing its reps
// with what happened and a link to where to act.
import type { ManagerAlert } from '@contract/types'
import { useState } from 'preact/hooks'
import { ErrorNotice, EmptyState, Loading } from '../ui/feedback'
import { useResource } from '../ui/hooks'
import { Screen } from '../ui/Screen'
import { alertsApi } from './api'
import { alertWhen, unreadIds } from './logic'
import { unreadAlerts } from './unread'
import './alerts.css'

const LINKS: Record<string, string> = {
  pace: 'Open the team screen',
  plans: 'Open the team’s plans',
  reflections: 'Open the team screen',
  help: 'Open the team screen',
  commitments: 'Open the team screen',
}

export function AlertsInbox() {
  const inbox = useResource(() => alertsApi.inbox(), [])
  const [error, setError] = useState<string | null>(null)

  async function markRead(ids: number[]) {
    if (ids.length === 0) return
    setError(null)
    try {
      const left = await alertsApi.markRead({ ids })
      unreadAlerts.value = left.unread
      const now = new Date().toISOString()
      inbox.setData((current) =>
        current && {
          unread: left.unread,
          alerts: current.alerts.map((a) => (ids.includes(a.id) && a.read_at == null ? { ...a, read_at: now } : a)),
        },
      )
    } catch {
      setError('Could not mark them read. Check your connection and try again.')
    }
  }

  const alerts = inbox.data?.alerts ?? []
  const unread = unreadIds(alerts)
  return (
    <Screen
      title="Alerts"
      intro={
        <p>
          Who is behind mid-week, plans, reflections, asks for help and commitments due: at most once a day for each
          kind. Choose which and when in <a href="/settings">Settings</a>.
        </p>
      }
    >
      {inbox.status === 'loading' && <Loading label="Loading your alerts…" />}
      <ErrorNotice message={inbox.error ?? error} onRetry={inbox.error ? inbox.reload : undefined} />
      {inbox.data && alerts.length === 0 && (
        <EmptyState title="No alerts yet.">
          <p>The first comes at the time you chose (by default the pace check on Wednesday at 11:00).</p>
        </EmptyState>
      )}
      {alerts.length > 0 && (
        <div class="toolbar alerts__toolbar">
          <p class="muted" aria-live="polite">
            {unread.length === 0 ? 'All read.' : `${unread.length} unread`}
          </p>
          <button
            type="button"
            class="button button--secondary"
            disabled={unread.length === 0}
            onClick={() => void markRead(unread)}
          >
            Mark all read
          </button>
        </div>
      )}
      <ol class="alerts" aria-label="Alerts, newest first">
        {alerts.map((alert) => (
          <AlertCard key={alert.id} alert={alert} onOpen={() => void markRead([alert.id])} />
        ))}
      </ol>
    </Screen>
  )
}

function AlertCard({ alert, onOpen }: { alert: ManagerAlert; onOpen: () => void }) {
  const unread = alert.read_at == null
  const id = `alert-${alert.id}`
  return (
    <li class={`card alert${unread ? ' alert--unread' : ''}`} aria-labelledby={id}>
      <div class="alert__head">
        <h2 id={id} class="alert__title">
          {unread && <span class="badge badge--team alert__new">New</span>} {alert.title}
        </h2>
        <p class="alert__when muted">{alertWhen(alert)}</p>
      </div>
      <ul class="alert__reps">
        {alert.reps.map((rep) => (
          <li key={rep.user_id}>
            <a href={`/team/reps/${rep.user_id}`} onClick={onOpen}>
              {rep.name}
            </a>
            : {rep.detail}
          </li>
        ))}
      </ul>
      <div class="row-actions">
        <a class="button button--secondary" href={alert.url} onClick={onOpen}>
          {LINKS[alert.kind] ?? 'Open'}
        </a>
        {unread && (
          <button type="button" class="button button--secondary" onClick={onOpen}>
            Mark read
          </button>
        )}
      </div>
    </li>
  )
}
