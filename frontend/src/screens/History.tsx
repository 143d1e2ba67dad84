// The rep's logs on this device, newest first by day, with sync state; edit and delete
// (offline too); and "Needs attention": changes the server rejected, to fix or discard.
import type { ActivityFields, ActivityType, Me } from '@contract/types'
import { useEffect, useState } from 'preact/hooks'
import type { AttentionEntry, LocalActivity } from '../db'
import { useActivityTypes } from '../sync/activityTypes'
import { afterLocalChange, requestSync, syncView } from '../sync/controller'
import { onLocalChange } from '../sync/events'
import {
  deleteActivity,
  discardRejected,
  editActivity,
  fixRejected,
  listActivities,
  listAttention,
  outcomeLabel,
} from '../sync/local'
import { localDate } from '../time/week'
import { EmptyState, Loading } from '../ui/feedback'
import { KudosSection } from '../kudos/KudosParts'
import { PeerKudos } from '../kudos/PeerKudos'
import { Screen } from '../ui/Screen'
import { ReflectionAttentionList } from '../ui/SyncStatus'
import { ActivityForm, deviceTimeZone } from './LogForm'
import { dateTimeFormat } from '../time/intl'
import '../sync/sync.css'

export interface DayGroup {
  key: string
  label: string
  items: LocalActivity[]
}

/** Group newest-first activities by their local date (in the zone they were logged in). */
export function groupByDay(items: LocalActivity[], locale?: string): DayGroup[] {
  const groups: DayGroup[] = []
  for (const item of items) {
    const d = localDate(new Date(item.fields.occurred_at), item.fields.time_zone)
    const key = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
    let group = groups.find((g) => g.key === key)
    if (!group) {
      const label = dateTimeFormat(locale, {
        timeZone: 'UTC',
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }).format(new Date(Date.UTC(d.year, d.month - 1, d.day)))
      group = { key, label, items: [] }
      groups.push(group)
    }
    group.items.push(item)
  }
  return groups.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
}

function timeOf(fields: ActivityFields): string {
  return dateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: fields.time_zone }).format(
    new Date(fields.occurred_at),
  )
}

function typeName(types: ActivityType[] | null, id: number): string {
  return types?.find((t) => t.id === id)?.name ?? 'Activity'
}

function ActivityRow({ item, types }: { item: LocalActivity; types: ActivityType[] | null }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view')
  const [error, setError] = useState<string | null>(null)
  const f = item.fields
  const pending = item.pending > 0
  const label = `${typeName(types, f.activity_type_id)} · ${f.account_name}`
  return (
    <li class="history-row">
      <div class="history-row__main">
        <div class="history-row__text">
          <p class="history-row__title">{label}</p>
          <p class="history-row__meta">
            {timeOf(f)} · {outcomeLabel(f.outcome)} · quality {f.quality ?? 3}
            {item.server?.late ? ' · late' : ''}
          </p>
          {f.note && <p class="history-row__note">{f.note}</p>}
        </div>
        <span class={`badge ${pending ? 'badge--pending' : 'badge--ok'}`}>{pending ? 'Waiting to sync' : 'Synced'}</span>
      </div>
      {mode === 'view' && (
        <div class="row-actions">
          <button type="button" class="button button--secondary" onClick={() => setMode('edit')} aria-label={`Edit ${label}`}>
            Edit
          </button>
          <button type="button" class="button button--secondary" onClick={() => setMode('confirm-delete')} aria-label={`Delete ${label}`}>
            Delete
          </button>
        </div>
      )}
      {mode === 'confirm-delete' && (
        <div class="confirm" role="alertdialog" aria-label="Confirm delete">
          <p>Delete this log? It is removed from your week{pending ? '' : ' and from the server'}.</p>
          {error && <p class="field__error">{error}</p>}
          <div class="row-actions">
            <button
              type="button"
              class="button button--danger"
              onClick={async () => {
                try {
                  await deleteActivity(item.id)
                  afterLocalChange()
                } catch {
                  setError('Could not delete. Please try again.')
                }
              }}
            >
              Delete
            </button>
            <button type="button" class="button button--secondary" onClick={() => setMode('view')}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {mode === 'edit' && types && (
        <ActivityForm
          initial={f}
          types={types}
          submitLabel="Save changes"
          onCancel={() => setMode('view')}
          onSave={async (fields) => {
            await editActivity(item.id, fields)
            setMode('view')
            afterLocalChange()
          }}
        />
      )}
    </li>
  )
}

function AttentionItem({ item, types }: { item: AttentionEntry; types: ActivityType[] | null }) {
  const [mode, setMode] = useState<'view' | 'fix' | 'confirm-discard'>('view')
  const what =
    item.kind === 'activity.delete'
      ? 'Delete of a log'
      : item.payload
        ? `${typeName(types, item.payload.activity_type_id)} · ${item.payload.account_name}`
        : 'A change'
  const fixable = item.kind !== 'activity.delete' && item.payload !== null
  return (
    <li class="attention-item">
      <p class="attention-item__title">{what}</p>
      {item.payload && (
        <p class="history-row__meta">
          {dateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(item.payload.occurred_at))} ·{' '}
          {outcomeLabel(item.payload.outcome)}
        </p>
      )}
      <p class="attention-item__reason">
        <strong>Not accepted:</strong> {item.message}
      </p>
      {mode === 'view' && (
        <div class="row-actions">
          {fixable && (
            <button type="button" class="button button--primary" onClick={() => setMode('fix')}>
              Fix and resend
            </button>
          )}
          <button type="button" class="button button--secondary" onClick={() => setMode('confirm-discard')}>
            Discard
          </button>
        </div>
      )}
      {mode === 'confirm-discard' && (
        <div class="confirm" role="alertdialog" aria-label="Confirm discard">
          <p>Discard this change? It will not be sent again.</p>
          <div class="row-actions">
            <button
              type="button"
              class="button button--danger"
              onClick={() => void discardRejected(item.mutation_id).then(afterLocalChange)}
            >
              Discard
            </button>
            <button type="button" class="button button--secondary" onClick={() => setMode('view')}>
              Keep
            </button>
          </div>
        </div>
      )}
      {mode === 'fix' && item.payload && types && (
        <ActivityForm
          initial={{ ...item.payload, time_zone: item.payload.time_zone || deviceTimeZone() }}
          types={types}
          submitLabel="Save and resend"
          onCancel={() => setMode('view')}
          onSave={async (fields) => {
            await fixRejected(item.mutation_id, fields)
            afterLocalChange()
          }}
        />
      )}
    </li>
  )
}

const DAYS_PER_PAGE = 7

export function History({ user }: { user: Me }) {
  const { types } = useActivityTypes(user)
  const [items, setItems] = useState<LocalActivity[] | null>(null)
  const [attention, setAttention] = useState<AttentionEntry[]>([])
  // Weeks of history make a long list on a phone: recent days first, older on request.
  const [shownDays, setShownDays] = useState(DAYS_PER_PAGE)

  useEffect(() => {
    const load = () => {
      void listActivities().then(setItems).catch(() => setItems([]))
      void listAttention().then(setAttention).catch(() => undefined)
    }
    load()
    return onLocalChange(load)
  }, [])

  useEffect(() => {
    if (location.hash === '#attention') document.getElementById('attention')?.scrollIntoView()
  }, [attention.length > 0])

  const view = syncView.value
  const groups = items ? groupByDay(items) : []
  return (
    <Screen title="History" intro="Your logs on this device, newest first, and the kudos you received.">
      {attention.length > 0 && (
        <section class="card card--attention" id="attention" aria-labelledby="attention-title">
          <div class="card__head">
            <h2 id="attention-title">Needs attention</h2>
          </div>
          <p class="muted">The server did not accept these changes. Fix them to send again, or discard them.</p>
          <ul class="attention-list">
            {attention.map((item) => (
              <AttentionItem key={item.mutation_id} item={item} types={types} />
            ))}
          </ul>
        </section>
      )}
      <ReflectionAttentionList />
      <div class="history-toolbar">
        <a class="button button--primary" href="/log">
          Log activity
        </a>
        <button type="button" class="button button--secondary" disabled={view.syncing} onClick={() => void requestSync('button')}>
          {view.syncing ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      {!items && <Loading label="Loading your logs…" />}
      {items && items.length === 0 && (
        <EmptyState title="No logs on this device yet">
          <p>Log a visit or a call and it shows here, even offline.</p>
        </EmptyState>
      )}
      {groups.slice(0, shownDays).map((group) => (
        <section class="history-day" key={group.key} aria-labelledby={`day-${group.key}`}>
          <h2 id={`day-${group.key}`} class="history-day__title">
            {group.label}
          </h2>
          <ul class="history-list">
            {group.items.map((item) => (
              <ActivityRow key={item.id} item={item} types={types} />
            ))}
          </ul>
        </section>
      ))}
      {groups.length > shownDays && (
        <button type="button" class="button button--secondary" onClick={() => setShownDays(shownDays + DAYS_PER_PAGE)}>
          Show older logs
        </button>
      )}
      {user.role === 'rep' && <KudosSection user={user} ready={items !== null} />}
      {user.role === 'rep' && <PeerKudos user={user} />}
    </Screen>
  )
}
