import { describe, expect, it } from 'vitest'
import {
  APP_BADGE,
  APP_ICON,
  DEFAULT_PATH,
  DEFAULT_TITLE,
  isOpenPathMessage,
  notificationFromPayload,
  safeAppPath,
} from '../src/push/notifications'
import {
  applicationServerKey,
  describeDevice,
  describeNextReminder,
  describeOutcome,
  isIOS,
  MAX_USER_AGENT,
  pushSupport,
  subscriptionBody,
  type PushEnvironment,
} from '../src/push/support'

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const IPAD_DESKTOP_MODE =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15'
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'

describe('push payload → notification', () => {
  it('shows our JSON with icon, badge, tag (no renotify) and keeps the url', () => {
    const shown = notificationFromPayload(
      JSON.stringify({ title: "Today's activity", body: '3 of 5 calls logged', url: '/log', tag: 'daily', extra: 1 }),
    )
    expect(shown.title).toBe("Today's activity")
    expect(shown.options).toEqual({
      body: '3 of 5 calls logged',
      icon: APP_ICON,
      badge: APP_BADGE,
      tag: 'daily',
      renotify: false,
      data: { url: '/log' },
    })
  })

  it.each([
    ['not JSON', 'hello there'],
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['a number', '42'],
    ['empty', ''],
    ['no data', null],
    ['wrong types', JSON.stringify({ title: 5, body: { x: 1 }, url: 7, tag: [] })],
    ['blank strings', JSON.stringify({ title: '   ', body: '' })],
  ])('still shows a generic notification for %s', (_label, raw) => {
    const shown = notificationFromPayload(raw)
    expect(shown.title).toBe(DEFAULT_TITLE)
    expect(shown.options.body).toBeTruthy()
    expect(shown.options.icon).toBe(APP_ICON)
    expect(shown.options.data.url).toBe(DEFAULT_PATH)
    expect(shown.options.tag).toBeUndefined()
  })

  it('never lets a payload point the tap at another site', () => {
    const shown = notificationFromPayload(JSON.stringify({ title: 'x', url: 'https://evil.example/phish' }))
    expect(shown.options.data.url).toBe(DEFAULT_PATH)
  })

  it('caps very long text', () => {
    const shown = notificationFromPayload(JSON.stringify({ title: 't'.repeat(1000), body: 'b'.repeat(5000) }))
    expect(shown.title.length).toBeLessThanOrEqual(120)
    expect(shown.options.body!.length).toBeLessThanOrEqual(400)
  })
})

describe('safe URL for a notification tap', () => {
  const origin = 'https://app.example.org'
  it.each([
    ['/log', '/log'],
    ['/plan?week=2026-11-23#top', '/plan?week=2026-11-23#top'],
    ['/home/../log', '/log'],
  ])('keeps the same-origin path %s', (url, expected) => {
    expect(safeAppPath(url, origin)).toBe(expected)
  })

  it.each([
    'https://evil.example/',
    '//evil.example/log',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'log',
    '',
    '/\u0000x',
    '/\tx',
    undefined,
    null,
    42,
    { url: '/log' },
    `/${'a'.repeat(3000)}`,
  ])('falls back to home for %s', (url) => {
    expect(safeAppPath(url, origin)).toBe(DEFAULT_PATH)
  })

  it('recognises the page message only in its exact shape', () => {
    expect(isOpenPathMessage({ type: 'OPEN_PATH', path: '/log' })).toBe(true)
    expect(isOpenPathMessage({ type: 'SKIP_WAITING' })).toBe(false)
    expect(isOpenPathMessage({ type: 'OPEN_PATH', path: 3 })).toBe(false)
    expect(isOpenPathMessage(null)).toBe(false)
  })
})

function env(overrides: Partial<PushEnvironment> = {}): PushEnvironment {
  return {
    userAgent: ANDROID_CHROME,
    platform: 'Linux armv8l',
    maxTouchPoints: 5,
    standalone: false,
    hasServiceWorker: true,
    hasPushManager: true,
    hasNotification: true,
    permission: 'default',
    ...overrides,
  }
}

describe('support detection', () => {
  it('recognises iPhones and iPads (also iPads that say "Macintosh")', () => {
    expect(isIOS(IPHONE, 'iPhone', 5)).toBe(true)
    expect(isIOS(IPAD_DESKTOP_MODE, 'MacIntel', 5)).toBe(true)
    expect(isIOS(IPAD_DESKTOP_MODE, 'MacIntel', 0)).toBe(false) // a real Mac
    expect(isIOS(ANDROID_CHROME, 'Linux armv8l', 5)).toBe(false)
  })

  it('asks iOS Safari in a tab to add the app to the Home Screen first', () => {
    expect(pushSupport(env({ userAgent: IPHONE, platform: 'iPhone', hasPushManager: false }))).toBe(
      'ios-needs-home-screen',
    )
  })

  it('lets an installed iOS app turn reminders on', () => {
    expect(pushSupport(env({ userAgent: IPHONE, platform: 'iPhone', standalone: true }))).toBe('available')
  })

  it('says when the browser cannot do push', () => {
    expect(pushSupport(env({ hasPushManager: false }))).toBe('unsupported')
    expect(pushSupport(env({ hasServiceWorker: false }))).toBe('unsupported')
    expect(pushSupport(env({ hasNotification: false, permission: null }))).toBe('unsupported')
    // An installed iOS app on an old iOS without push is unsupported, not "install first".
    expect(pushSupport(env({ userAgent: IPHONE, standalone: true, hasPushManager: false }))).toBe('unsupported')
  })

  it('tells blocked from not asked yet', () => {
    expect(pushSupport(env({ permission: 'denied' }))).toBe('denied')
    expect(pushSupport(env({ permission: 'default' }))).toBe('available')
    expect(pushSupport(env({ permission: 'granted' }))).toBe('available')
  })
})

describe('subscription body', () => {
  const json = {
    endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
    expirationTime: null,
    keys: { p256dh: 'BPkey', auth: 'authsecret' },
  }

  it('sends endpoint, keys, the sync client id and a trimmed user agent', () => {
    expect(subscriptionBody(json, 'client-1', `  ${ANDROID_CHROME}\n `)).toEqual({
      endpoint: json.endpoint,
      keys: { p256dh: 'BPkey', auth: 'authsecret' },
      client_id: 'client-1',
      user_agent: ANDROID_CHROME,
    })
  })

  it('caps the user agent and allows a missing client id', () => {
    const body = subscriptionBody(json, null, 'x'.repeat(1000))
    expect(body.user_agent).toHaveLength(MAX_USER_AGENT)
    expect(body.client_id).toBeNull()
  })

  it('refuses a subscription without endpoint or keys', () => {
    expect(() => subscriptionBody({ ...json, endpoint: '' }, null, '')).toThrow()
    expect(() => subscriptionBody({ endpoint: json.endpoint }, null, '')).toThrow()
    expect(() => subscriptionBody({ endpoint: json.endpoint, keys: { p256dh: 'x' } }, null, '')).toThrow()
  })

  it('decodes the base64url VAPID key to its 65 bytes', () => {
    const raw = new Uint8Array(65).map((_, i) => (i === 0 ? 4 : (i * 37) % 256))
    const base64url = btoa(String.fromCharCode(...raw)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    expect(base64url).not.toContain('=')
    expect([...applicationServerKey(base64url)]).toEqual([...raw])
  })
})

describe('words for people', () => {
  it('names devices', () => {
    expect(describeDevice(ANDROID_CHROME)).toBe('Chrome on Android')
    expect(describeDevice(IPHONE)).toBe('Safari on iPhone')
    expect(describeDevice('')).toBe('Unknown device')
  })

  it('says when the next reminder is, in the rep\'s zone', () => {
    expect(
      describeNextReminder({
        local_date: '2026-11-30',
        wall_time: '17:30',
        time_zone: 'Europe/Berlin',
        fire_at: '2026-11-30T16:30:00Z',
      }),
    ).toBe('Monday 17:30 (Europe/Berlin)')
  })

  it('explains each test outcome', () => {
    expect(describeOutcome({ device_id: 1, status: 'delivered', detail: '' })).toMatch(/Sent/)
    expect(describeOutcome({ device_id: 1, status: 'gone', detail: '410' })).toMatch(/removed/)
    expect(describeOutcome({ device_id: 1, status: 'retry_later', detail: '' })).toMatch(/wait/)
    expect(describeOutcome({ device_id: 1, status: 'failed', detail: 'HTTP 500' })).toMatch(/HTTP 500/)
  })
})
