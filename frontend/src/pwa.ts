// The only module that touches the service worker: registration, the update prompt,
// and Web Push (the push subscription lives on the worker's registration).
import { signal } from '@preact/signals'
import { registerSW } from 'virtual:pwa-register'
import { isOpenPathMessage } from './push/notifications'
import type { PushEnvironment } from './push/support'
import { navigate } from './router'

/** True when a new version is installed and waiting for the person to reload. */
export const updateReady = signal(false)

const UPDATE_CHECK_MS = 60 * 60 * 1000
let updateServiceWorker: ((reloadPage?: boolean) => Promise<void>) | null = null

export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return
  // A tapped notification asks an open app window to show a screen (see sw.ts).
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
    if (isOpenPathMessage(event.data)) navigate(event.data.path)
  })
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

// ---------------------------------------------------------------------------- Web Push

/** What this browser offers for push, right now (see push/support.ts). */
export function pushEnvironment(): PushEnvironment {
  const hasWindow = typeof window !== 'undefined'
  const standalone =
    hasWindow &&
    ((typeof window.matchMedia === 'function' && window.matchMedia('(display-mode: standalone)').matches) ||
      (navigator as Navigator & { standalone?: boolean }).standalone === true)
  const hasNotification = hasWindow && 'Notification' in window
  return {
    userAgent: navigator.userAgent,
    platform: navigator.platform ?? '',
    maxTouchPoints: navigator.maxTouchPoints ?? 0,
    standalone,
    hasServiceWorker: 'serviceWorker' in navigator,
    hasPushManager: hasWindow && 'PushManager' in window,
    hasNotification,
    permission: hasNotification ? Notification.permission : null,
  }
}

const READY_TIMEOUT_MS = 10_000

/** The active worker's registration (null without one, e.g. in development). */
async function readyRegistration(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null
  if (!(await navigator.serviceWorker.getRegistration())) return null
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), READY_TIMEOUT_MS)),
  ])
}

/** This device's push subscription in the browser, if any. */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  const registration = await readyRegistration()
  if (!registration?.pushManager) return null
  return registration.pushManager.getSubscription()
}

export class NoServiceWorkerError extends Error {
  constructor() {
    super('The app\'s offline worker is not running yet. Reload the page and try again.')
    this.name = 'NoServiceWorkerError'
  }
}

/** Subscribe this device (permission must already be granted). */
export async function subscribeToPush(key: Uint8Array<ArrayBuffer>): Promise<PushSubscription> {
  const registration = await readyRegistration()
  if (!registration?.pushManager) throw new NoServiceWorkerError()
  const existing = await registration.pushManager.getSubscription()
  if (existing) {
    // A subscription made with another server key cannot be reused.
    const current = existing.options?.applicationServerKey
    if (!current || sameBytes(new Uint8Array(current), key)) return existing
    await existing.unsubscribe()
  }
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key })
}

/** Drop this device's subscription in the browser; returns its endpoint (or null). */
export async function unsubscribeFromPush(): Promise<string | null> {
  const subscription = await currentPushSubscription()
  if (!subscription) return null
  await subscription.unsubscribe()
  return subscription.endpoint
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index])
}
