// The compact sync indicator on every rep screen, and its wording; and the "needs
// attention" list of rejected reflections (History lists rejected activity changes).
import { useEffect, useState } from 'preact/hooks'
import type { ReflectionAttentionEntry } from '../db'
import { online } from '../session'
import { afterLocalChange, startSyncController, syncView, type SyncView } from '../sync/controller'
import { onLocalChange } from '../sync/events'
import { discardRejectedReflection, listReflectionAttention } from '../sync/local'
import { dateTimeFormat } from '../time/intl'
import '../sync/sync.css'

export const SKEW_WARNING_SECONDS = 300

function clock(iso: string, locale?: string): string {
  return dateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso))
}

/** "3 h ahead", "25 min behind", "2 days ahead". Null when within tolerance. */
export function skewMessage(seconds: number | null): string | null {
  if (seconds === null || Math.abs(seconds) <= SKEW_WARNING_SECONDS) return null
  const abs = Math.abs(seconds)
  const amount =
    abs >= 172_800 ? `${Math.round(abs / 86_400)} days` : abs >= 5_400 ? `${Math.round(abs / 3_600)} h` : `${Math.round(abs / 60)} min`
  return `Your phone's clock is ${amount} ${seconds > 0 ? 'ahead' : 'behind'}. Set it to automatic time so your logs count on the right day.`
}

export interface StatusText {
  text: string
  detail: string | null
  tone: 'ok' | 'waiting' | 'offline' | 'problem'
}

export function statusText(view: SyncView, isOnline: boolean, locale?: string): StatusText {
  const last = view.lastSyncedAt ? `Last synced ${clock(view.lastSyncedAt, locale)}` : null
  const n = view.waiting
  if (!isOnline || view.problem === 'offline') {
    return { text: n > 0 ? `Offline — ${n} waiting` : 'Offline — all saved', detail: last, tone: 'offline' }
  }
  if (view.problem === 'signed-out') {
    return { text: n > 0 ? `Sign in to sync — ${n} waiting` : 'Sign in to sync', detail: last, tone: 'problem' }
  }
  if (view.problem === 'forbidden') return { text: 'This account cannot sync logs', detail: null, tone: 'problem' }
  if (view.syncing && n > 0) return { text: `Syncing ${n}…`, detail: last, tone: 'waiting' }
  if (n > 0) {
    const retry = view.problem === 'retry' ? 'Server busy — will retry' : last
    return { text: `${n} waiting to sync`, detail: retry, tone: 'waiting' }
  }
  if (!view.lastSyncedAt) return { text: view.syncing ? 'Syncing…' : 'Not synced yet', detail: null, tone: 'waiting' }
  return { text: 'All synced', detail: last, tone: 'ok' }
}

/** Shown at the top of every rep screen; links to History (where "needs attention" lives). */
export function SyncStatusBar() {
  useEffect(() => startSyncController(), [])
  const view = syncView.value
  const status = statusText(view, online.value)
  const skew = skewMessage(view.clockSkewSeconds)
  const attention = view.attention.length
  const rejectedReflection = view.reflectionAttention[0]
  return (
    <div class="sync-bar">
      <div class="sync-bar__row">
        <a class={`sync-status sync-status--${status.tone}`} href="/history">
          <span class="sync-status__dot" aria-hidden="true" />
          <span class="sync-status__text">{status.text}</span>
          {status.detail && <span class="sync-status__detail">{status.detail}</span>}
        </a>
        {attention > 0 && (
          <a class="sync-attention-link" href="/history#attention">
            {attention} {attention === 1 ? 'needs' : 'need'} attention
          </a>
        )}
        {rejectedReflection && (
          <a class="sync-attention-link" href={reflectionAttentionHref(rejectedReflection)}>
            {view.reflectionAttention.length === 1 ? 'Reflection needs' : `${view.reflectionAttention.length} reflections need`} attention
          </a>
        )}
      </div>
      {skew && (
        <p class="sync-skew" role="alert">
          {skew}
        </p>
      )}
    </div>
  )
}

/** Where a rejected reflection is fixed: its week on the reflection screen. */
export function reflectionAttentionHref(item: ReflectionAttentionEntry): string {
  return `/reflect?week=${item.payload.week_start}#reflection-attention`
}

function weekWords(weekStart: string, locale?: string): string {
  return dateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(`${weekStart}T00:00:00Z`),
  )
}

/**
 * Rejected reflections with the server's message: save again (on the reflection screen)
 * or discard. `week` limits it to one week; `onReflectScreen` hides the link to it.
 * Renders nothing when there are none.
 */
export function ReflectionAttentionList({ week, onReflectScreen = false }: { week?: string; onReflectScreen?: boolean }) {
  const [items, setItems] = useState<ReflectionAttentionEntry[]>([])
  useEffect(() => {
    let live = true
    const load = () =>
      void listReflectionAttention(week).then(
        (list) => live && setItems(list),
        () => undefined,
      )
    load()
    const unsubscribe = onLocalChange(load)
    return () => {
      live = false
      unsubscribe()
    }
  }, [week])
  if (items.length === 0) return null
  return (
    <section class="card card--attention" id="reflection-attention" aria-labelledby="reflection-attention-title">
      <div class="card__head">
        <h2 id="reflection-attention-title">Needs attention</h2>
      </div>
      <p class="muted">
        {onReflectScreen
          ? 'The server did not accept your last save. Your text is still here: change it and save again, or discard it to go back to the last synced version.'
          : 'The server did not accept these reflections. Open one to change it and save again, or discard it.'}
      </p>
      <ul class="attention-list">
        {items.map((item) => (
          <ReflectionAttentionItem key={item.mutation_id} item={item} showLink={!onReflectScreen} />
        ))}
      </ul>
    </section>
  )
}

function ReflectionAttentionItem({ item, showLink }: { item: ReflectionAttentionEntry; showLink: boolean }) {
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function discard() {
    try {
      await discardRejectedReflection(item.mutation_id)
      afterLocalChange()
    } catch {
      setError('Could not discard it. Please try again.')
    }
  }
  return (
    <li class="attention-item">
      <p class="attention-item__title">Reflection · week of {weekWords(item.payload.week_start)}</p>
      <p class="attention-item__reason">
        <strong>Not accepted:</strong> {item.message}
      </p>
      {error && (
        <p class="attention-item__reason" role="alert">
          {error}
        </p>
      )}
      {!confirming ? (
        <div class="row-actions">
          {showLink && (
            <a class="button button--primary" href={reflectionAttentionHref(item)}>
              Open and fix
            </a>
          )}
          <button type="button" class="button button--secondary" onClick={() => setConfirming(true)}>
            Discard
          </button>
        </div>
      ) : (
        <div class="confirm" role="alertdialog" aria-label="Confirm discard">
          <p>Discard this reflection change? It will not be sent again, and the last synced version comes back.</p>
          <div class="row-actions">
            <button type="button" class="button button--danger" onClick={() => void discard()}>
              Discard
            </button>
            <button type="button" class="button button--secondary" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </div>
        </div>
      )}
    </li>
  )
}
