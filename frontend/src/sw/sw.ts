/// <reference lib="webworker" />
// The service worker: precache the app shell so the PWA opens with no network, and
// answer page navigations with the cached index.html. App data never goes through here
// (it lives in IndexedDB), so API responses are deliberately not cached.
// Background Sync: the `sync` event runs the same push/pull code as the page.
import { clientsClaim } from 'workbox-core'
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
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
