// Pure helpers of the service worker's push handling: payload → notification, and the
// only URLs a notification tap may open. No DOM or worker globals here (unit-tested).

export const APP_ICON = '/icons/icon-192.png'
export const APP_BADGE = '/icons/badge-96.png'
export const DEFAULT_TITLE = 'Followthrough'
export const DEFAULT_BODY = 'You have a new reminder.'
export const DEFAULT_PATH = '/home'

const MAX_TITLE = 120
const MAX_BODY = 400
const MAX_TAG = 64

export interface ShownNotification {
  title: string
  options: NotificationOptions & { renotify?: boolean; data: { url: string } }
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  return trimmed ? trimmed.slice(0, max) : null
}

/**
 * What to show for a push message's text (null when it had no data). A push must always
 * show something, so anything that is not the JSON we send still gives a generic notice.
 */
export function notificationFromPayload(raw: string | null | undefined): ShownNotification {
  let payload: Record<string, unknown> = {}
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) payload = parsed as Record<string, unknown>
    } catch {
      payload = {}
    }
  }
  const tag = text(payload.tag, MAX_TAG)
  return {
    title: text(payload.title, MAX_TITLE) ?? DEFAULT_TITLE,
    options: {
      body: text(payload.body, MAX_BODY) ?? DEFAULT_BODY,
      icon: APP_ICON,
      badge: APP_BADGE,
      // A newer reminder with the same tag replaces the older one, quietly.
      ...(tag ? { tag, renotify: false } : {}),
      data: { url: safeAppPath(payload.url) },
    },
  }
}

/**
 * The in-app path a notification may open: only a same-origin path starting with "/"
 * (not "//host" or "/\host", which browsers read as another origin); else the home screen.
 */
export function safeAppPath(url: unknown, origin = 'https://app.invalid'): string {
  if (typeof url !== 'string' || !url.startsWith('/') || url.length > 2000) return DEFAULT_PATH
  if (url.startsWith('//') || url.startsWith('/\\') || /[\u0000-\u001f\\]/.test(url)) return DEFAULT_PATH
  let parsed: URL
  try {
    parsed = new URL(url, origin)
  } catch {
    return DEFAULT_PATH
  }
  if (parsed.origin !== new URL(origin).origin) return DEFAULT_PATH
  return `${parsed.pathname}${parsed.search}${parsed.hash}`
}

/** The message a page receives from the worker when a notification tap should open a screen. */
export interface OpenPathMessage {
  type: 'OPEN_PATH'
  path: string
}

export function isOpenPathMessage(data: unknown): data is OpenPathMessage {
  return (
    !!data &&
    typeof data === 'object' &&
    (data as OpenPathMessage).type === 'OPEN_PATH' &&
    typeof (data as OpenPathMessage).path === 'string'
  )
}
