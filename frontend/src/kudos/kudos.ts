// Kudos in words: which ones the rep's Home celebrates, how a line reads, what a send
// needs before it goes out, and the client key that makes a retried send count once. Pure.
import type { Kudos, Signal } from '@contract/types'
import { dateTimeFormat } from '../time/intl'

/** What kudos can answer: plan_met, most_improved, streak_milestone, won_deal. */
export type KudosKind = NonNullable<Kudos['signal']>

export const KUDOS_MESSAGE_MAX = 280

export const KUDOS_SIGNAL_LABELS: Record<KudosKind, string> = {
  plan_met: 'Plan met',
  most_improved: 'Most improved',
  streak_milestone: 'Streak milestone',
  won_deal: 'Won a deal',
}

const KUDOS_KINDS = new Set<string>(Object.keys(KUDOS_SIGNAL_LABELS))

export function isKudosKind(kind: string): kind is KudosKind {
  return KUDOS_KINDS.has(kind)
}

function newestFirst(a: Kudos, b: Kudos): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1
  return b.id - a.id
}

/** Newest first (the server sends them so; a merged or updated list may not be). */
export function sortKudos(list: Kudos[]): Kudos[] {
  return [...list].sort(newestFirst)
}

/** The kudos Home celebrates: not seen yet, newest first, at most `limit` banners. */
export function bannerKudos(list: Kudos[] | undefined, limit = 3): { shown: Kudos[]; more: number } {
  const unseen = sortKudos((list ?? []).filter((k) => k.seen_at === null))
  return { shown: unseen.slice(0, limit), more: Math.max(0, unseen.length - limit) }
}

/** Replace one kudos in a list (after "Thanks!" marked it seen). */
export function replaceKudos(list: Kudos[] | undefined, updated: Kudos): Kudos[] | undefined {
  if (!list) return list
  return list.map((k) => (k.id === updated.id ? updated : k))
}

export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] || name
}

/** "Morgan sent you kudos" (the banner's headline). */
export function kudosHeadline(kudos: Pick<Kudos, 'from_name'>): string {
  return `${firstNameOf(kudos.from_name)} sent you kudos`
}

/** What it was for, in words: the signal's reason, else its label, else nothing. */
export function kudosReason(kudos: Pick<Kudos, 'signal' | 'reason'>): string | null {
  if (kudos.reason) return kudos.reason
  if (kudos.signal) return KUDOS_SIGNAL_LABELS[kudos.signal]
  return null
}

/** "25 Nov 2026" for a kudos line. */
export function kudosDate(iso: string, timeZone?: string, locale?: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  try {
    return dateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(date)
  } catch {
    return dateTimeFormat(locale, { dateStyle: 'medium' }).format(date)
  }
}

/** The kudos signals of a review row a manager can send kudos for. */
export function kudosSignals(signals: Signal[]): { kind: KudosKind; reason: string }[] {
  return signals.flatMap((s) => (s.group === 'kudos' && isKudosKind(s.kind) ? [{ kind: s.kind, reason: s.reason }] : []))
}

/** Why a send cannot go out yet, or null. Mirrors the server: a message or a signal. */
export function kudosProblem(message: string, signal: KudosKind | null): string | null {
  const text = message.trim()
  if (text.length > KUDOS_MESSAGE_MAX) return `Keep it to ${KUDOS_MESSAGE_MAX} characters (now ${text.length}).`
  if (!text && !signal) return 'Write a few words, or pick what the kudos are for.'
  return null
}

/** A client_key (^[A-Za-z0-9_-]+$, 8–64 characters): one per send, kept for its retries. */
export function newKudosKey(random: () => string = defaultRandom): string {
  const key = `kudos-${random()}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64)
  return key.length >= 8 ? key : `${key}${'0'.repeat(8 - key.length)}`
}

function defaultRandom(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`
}
