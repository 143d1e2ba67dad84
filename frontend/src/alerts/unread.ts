// The unread count in the navigation: read when a manager's app opens, again every few
// minutes while it is visible, and set at once when the inbox marks alerts read.
import { signal } from '@preact/signals'
import { alertsApi } from './api'

export const unreadAlerts = signal(0)
const EVERY_MS = 5 * 60 * 1000

export async function refreshUnread(): Promise<void> {
  try {
    unreadAlerts.value = (await alertsApi.unread()).unread
  } catch {
    // Offline or signed out: the badge keeps what it last knew.
  }
}

/** Start watching; returns the stop function (App calls it for managers). */
export function watchUnread(): () => void {
  void refreshUnread()
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') void refreshUnread()
  }, EVERY_MS)
  const onVisible = () => {
    if (document.visibilityState === 'visible') void refreshUnread()
  }
  document.addEventListener('visibilitychange', onVisible)
  return () => {
    clearInterval(timer)
    document.removeEventListener('visibilitychange', onVisible)
  }
}
