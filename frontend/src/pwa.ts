// The only module that touches the service worker: registration and the update prompt.
import { signal } from '@preact/signals'
import { registerSW } from 'virtual:pwa-register'

/** True when a new version is installed and waiting for the person to reload. */
export const updateReady = signal(false)

const UPDATE_CHECK_MS = 60 * 60 * 1000
let updateServiceWorker: ((reloadPage?: boolean) => Promise<void>) | null = null

export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return
  updateServiceWorker = registerSW({
    immediate: true,
    onNeedRefresh() {
      updateReady.value = true
    },
    onRegisteredSW(_url, registration) {
      if (!registration) return
      // Long-lived tabs (a rep's phone) should still learn about new versions.
      const check = () => {
        if (navigator.onLine) registration.update().catch(() => undefined)
      }
      setInterval(check, UPDATE_CHECK_MS)
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') check()
      })
    },
    onRegisterError() {
      // No service worker (private mode, old browser): the app still works online.
    },
  })
}

export const SYNC_TAG = 'followthrough-sync'

/**
 * Ask the browser to wake the service worker for a sync when connectivity returns, even
 * if the app is closed by then (Background Sync; Chromium only, elsewhere a no-op).
 */
export function requestBackgroundSync(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return
  navigator.serviceWorker.ready
    .then((registration) => {
      const sync = (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync
      return sync?.register(SYNC_TAG)
    })
    .catch(() => undefined)
}

/** Activate the waiting worker (SKIP_WAITING); the page reloads when it takes control. */
export function applyUpdate(): void {
  if (updateServiceWorker) void updateServiceWorker(true)
  else location.reload()
}
