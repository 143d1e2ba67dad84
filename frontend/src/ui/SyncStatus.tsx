// The compact sync indicator on every rep screen, and its wording.
import { useEffect } from 'preact/hooks'
import { online } from '../session'
import { startSyncController, syncView, type SyncView } from '../sync/controller'
import '../sync/sync.css'

export const SKEW_WARNING_SECONDS = 300

function clock(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso))
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
      </div>
      {skew && (
        <p class="sync-skew" role="alert">
          {skew}
        </p>
      )}
    </div>
  )
}
