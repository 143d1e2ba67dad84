// Small formatting helpers for instants shown in lists.
import { dateTimeFormat } from './intl'

/** "25 Nov 2026, 14:05" in the viewer's zone, or `fallback` when there is no instant. */
export function formatInstant(
  iso: string | null | undefined,
  timeZone?: string,
  fallback = 'Never',
  locale?: string,
): string {
  if (!iso) return fallback
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return fallback
  try {
    return dateTimeFormat(locale, {
      timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(date)
  } catch {
    // An unknown zone in old data must not break a whole list.
    return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
  }
}

/** All IANA zones the browser knows, with the browser's own zone guaranteed present. */
export function timeZoneOptions(): string[] {
  const here = browserTimeZone()
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  const all = new Set(zones)
  all.add(here)
  all.add('UTC')
  return [...all].sort()
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
