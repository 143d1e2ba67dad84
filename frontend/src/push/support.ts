// Can this browser get push reminders, and if not, what should the person do? Pure
// functions over a snapshot of the environment, so every case is unit-tested.
import type { NextReminder, PushOutcome, PushSubscriptionInput } from '@contract/types'
import { dateTimeFormat } from '../time/intl'

export interface PushEnvironment {
  userAgent: string
  platform: string
  maxTouchPoints: number
  /** display-mode: standalone (or iOS's navigator.standalone): opened from the Home Screen. */
  standalone: boolean
  hasServiceWorker: boolean
  hasPushManager: boolean
  hasNotification: boolean
  permission: NotificationPermission | null
}

export type PushSupport = 'unsupported' | 'ios-needs-home-screen' | 'denied' | 'available'

/** iPhone, iPod, and iPads (which say "Macintosh" but have a touch screen). */
export function isIOS(userAgent: string, platform: string, maxTouchPoints: number): boolean {
  if (/iPhone|iPad|iPod/i.test(userAgent) || /^(iPhone|iPad|iPod)/.test(platform)) return true
  return /Macintosh/.test(userAgent) && maxTouchPoints > 1
}

export function pushSupport(env: PushEnvironment): PushSupport {
  // iOS Safari offers Web Push only to apps added to the Home Screen (iOS 16.4+);
  // in a browser tab it has no PushManager at all, so this comes before "unsupported".
  if (isIOS(env.userAgent, env.platform, env.maxTouchPoints) && !env.standalone) return 'ios-needs-home-screen'
  if (!env.hasServiceWorker || !env.hasPushManager || !env.hasNotification) return 'unsupported'
  if (env.permission === 'denied') return 'denied'
  return 'available'
}

export const MAX_USER_AGENT = 200

/** The body of POST /api/push/subscriptions from PushSubscription.toJSON(). */
export function subscriptionBody(
  json: PushSubscriptionJSON,
  clientId: string | null,
  userAgent: string,
): PushSubscriptionInput {
  const p256dh = json.keys?.p256dh
  const auth = json.keys?.auth
  if (!json.endpoint || !p256dh || !auth) {
    throw new Error('The browser gave a push subscription without an endpoint or keys.')
  }
  return {
    endpoint: json.endpoint,
    keys: { p256dh, auth },
    client_id: clientId,
    user_agent: userAgent.trim().replace(/\s+/g, ' ').slice(0, MAX_USER_AGENT),
  }
}

/** The VAPID public key (base64url) as the bytes pushManager.subscribe() wants. */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(base64)
  const bytes = new Uint8Array(new ArrayBuffer(binary.length))
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** "Chrome on Android", "Safari on iPhone"… from a user agent; the raw text when unknown. */
export function describeDevice(userAgent: string): string {
  const ua = userAgent
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /(Chrome|Chromium|CriOS)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : null
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPod/.test(ua)
      ? 'iPhone'
      : /iPad/.test(ua)
        ? 'iPad'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'Mac'
            : /Linux|X11/.test(ua)
              ? 'Linux'
              : null
  if (browser && system) return `${browser} on ${system}`
  return browser ?? system ?? (ua.trim() ? ua.trim().slice(0, 60) : 'Unknown device')
}

const WEEKDAY = dateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' })

/** "Monday 17:30 (Europe/Berlin)". */
export function describeNextReminder(next: NextReminder): string {
  const [y, m, d] = next.local_date.split('-').map(Number)
  const day = y && m && d ? WEEKDAY.format(new Date(Date.UTC(y, m - 1, d))) : next.local_date
  return `${day} ${next.wall_time} (${next.time_zone})`
}

/** A test send's result for one device, in words. */
export function describeOutcome(outcome: PushOutcome): string {
  switch (outcome.status) {
    case 'delivered':
      return 'Sent. It should appear in a moment.'
    case 'gone':
      return 'The push service says this subscription has ended, so it was removed. Turn notifications on again on that device.'
    case 'retry_later':
      return 'The push service asked us to wait. Try again in a few minutes.'
    case 'failed':
      return `Could not be delivered${outcome.detail ? ` (${outcome.detail})` : ''}. Try again later.`
  }
}
