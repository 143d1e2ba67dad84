/// <reference lib="webworker" />
// The service worker: precache the app shell so the PWA opens with no network, and
// answer page navigations with the cached index.html. App data never goes through here
// (it lives in IndexedDB), so API responses are deliberately not cached.
// Background Sync: the `sync` event runs the same push/pull code as the page.
// Web Push: `push` shows the reminder, `notificationclick` opens the screen it is about.
import { clientsClaim } from 'workbox-core'
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { notificationFromPayload, safeAppPath, type OpenPathMessage } from '../push/notifications'
import { syncNow } from '../sync/engine'

/** Keep in step with SYNC_TAG in src/pwa.ts. */
const SYNC_TAG = 'followthrough-sync'

interface SyncEvent extends ExtendableEvent {
  readonly tag: string
}

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<PrecacheEntry | string>
}

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

// Paths the server answers itself, never with the SPA shell.
const NAVIGATION_DENYLIST = [/^\/api\//, /^\/schema/, /^\/robots\.txt$/]

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: NAVIGATION_DENYLIST,
  }),
)

// The first install takes control at once (there is no older version to disturb);
// updates wait until the person presses "Reload", which posts SKIP_WAITING.
clientsClaim()

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if (event.data && event.data.type === 'SKIP_WAITING') {
    void self.skipWaiting()
  }
})

self.addEventListener('sync', ((event: SyncEvent) => {
  if (event.tag !== SYNC_TAG) return
  event.waitUntil(
    syncNow().then((result) => {
      // Rejecting asks the browser to try again later (with its own backoff). A 401 or
      // 403 will not heal by itself: the page resumes after the rep signs in again.
      if (result.status === 'offline' || result.status === 'retry') {
        throw new Error(`sync ${result.status}`)
      }
    }),
  )
}) as EventListener)

// ---------------------------------------------------------------------------- Web Push

function pushText(data: PushMessageData | null): string | null {
  try {
    return data ? data.text() : null
  } catch {
    return null
  }
}

/** Show what a push carries. Always shows something: browsers penalise silent pushes. */
export function showPush(data: PushMessageData | null): Promise<void> {
  const { title, options } = notificationFromPayload(pushText(data))
  return self.registration.showNotification(title, options)
}

/**
 * A tap: close the notification, then bring an open app window to the screen it is about
 * (the page's router navigates in place), or open a new window there.
 */
export async function openFromNotification(notification: Notification): Promise<void> {
  notification.close()
  const data = notification.data as { url?: unknown } | null
  const path = safeAppPath(data?.url, self.location.origin)
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
  const app = windows.find((client) => new URL(client.url).origin === self.location.origin)
  if (app) {
    const focused = await app.focus().catch(() => app)
    if (focused.url && new URL(focused.url).pathname + new URL(focused.url).search !== path) {
      const message: OpenPathMessage = { type: 'OPEN_PATH', path }
      focused.postMessage(message)
    }
    return
  }
  await self.clients.openWindow(path)
}

self.addEventListener('push', (event: PushEvent) => {
  event.waitUntil(showPush(event.data))
})

self.addEventListener('notificationclick', (event: NotificationEvent) => {
  const done = openFromNotification(event.notification)
  // A synthetic event (tests) may not extend its lifetime; the work runs anyway.
  if (event.isTrusted) event.waitUntil(done)
  else void done.catch(() => undefined)
})
