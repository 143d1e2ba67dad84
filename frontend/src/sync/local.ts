// The device's activity and reflection stores and the outbox. Every local change (log, edit,
// delete, a fix of a rejected change, a saved reflection or jotting) writes the local record
// and its outbox mutation in ONE IndexedDB transaction, with the next seq taken inside that
// same transaction (docs/sync-protocol.md).
// No Preact and no DOM here: the service worker imports this module too.
import type { ActivityFields, ActivityType, Reflection, ReflectionFields } from '@contract/types'
import type { IDBPTransaction } from 'idb'
import {
  db,
  type AttentionEntry,
  type FollowthroughDB,
  type LocalActivity,
  type LocalReflection,
  type MutationKind,
  type OutboxEntry,
  type ReflectionAttentionEntry,
  type ReflectionPayload,
} from '../db'
import { weekDays } from '../time/week'
import { notifyLocalChange } from './events'

export type Outcome = ActivityFields['outcome']

export const OUTCOMES: ReadonlyArray<{ value: Outcome; label: string }> = [
  { value: 'next_step', label: 'Next step agreed' },
  { value: 'follow_up', label: 'Follow-up needed' },
  { value: 'no_interest', label: 'No interest' },
  { value: 'proposal_requested', label: 'Proposal requested' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
]

export function outcomeLabel(value: Outcome): string {
  return OUTCOMES.find((o) => o.value === value)?.label ?? value
}

/** Monday (YYYY-MM-DD) of the week of the activity's own local date in its own zone. */
export function weekStartOf(occurredAt: string, timeZone: string): string {
  return weekDays(new Date(occurredAt), timeZone)[0]!.iso
}

/** The stores a local change touches, all in one transaction. */
const CHANGE_STORES = ['device', 'activities', 'outbox', 'seqs', 'attention', 'reflections'] as const
type ChangeTx = IDBPTransaction<FollowthroughDB, typeof CHANGE_STORES extends readonly (infer S)[] ? S[] : never, 'readwrite'>

/** Test seam: runs after the writes of a change, before commit (throw to abort). */
export const localTestHooks: { beforeCommit?: () => void } = {}

export class NoLocalUserError extends Error {
  constructor() {
    super('Nobody is signed in on this device.')
    this.name = 'NoLocalUserError'
  }
}

async function ownerOf(tx: ChangeTx): Promise<number> {
  const owner = (await tx.objectStore('device').get('owner_user_id')) as number | undefined
  if (owner === undefined) throw new NoLocalUserError()
  return owner
}

async function clientIdIn(tx: ChangeTx): Promise<string> {
  const device = tx.objectStore('device')
  let id = (await device.get('client_id')) as string | undefined
  if (!id) {
    id = crypto.randomUUID()
    await device.put(id, 'client_id')
  }
  return id
}

/** Adds one mutation to the outbox with seq = previous + 1, inside `tx`. */
async function enqueue(
  tx: ChangeTx,
  userId: number,
  kind: MutationKind,
  entityId: string,
  payload: ActivityFields | ReflectionPayload | null,
  now: Date,
): Promise<OutboxEntry> {
  const seqs = tx.objectStore('seqs')
  const seq = ((await seqs.get(userId)) ?? 0) + 1
  await seqs.put(seq, userId)
  // The kind decides the payload's shape (ActivityOutboxEntry / ReflectionOutboxEntry).
  const entry = {
    user_id: userId,
    seq,
    mutation_id: crypto.randomUUID(),
    client_id: await clientIdIn(tx),
    kind,
    entity_id: entityId,
    payload,
    created_at: now.toISOString(),
  } as OutboxEntry
  await tx.objectStore('outbox').add(entry)
  return entry
}

async function commit(tx: ChangeTx): Promise<void> {
  try {
    localTestHooks.beforeCommit?.()
  } catch (error) {
    tx.abort()
    await tx.done.catch(() => undefined)
    throw error
  }
  await tx.done
  notifyLocalChange()
}

function normalized(fields: ActivityFields): ActivityFields {
  return {
    activity_type_id: fields.activity_type_id,
    account_name: fields.account_name.trim(),
    outcome: fields.outcome,
    occurred_at: fields.occurred_at,
    time_zone: fields.time_zone,
    quality: fields.quality ?? 3,
    note: fields.note ?? '',
    next_step: (fields.next_step ?? '').trim(),
    follow_up_on: fields.follow_up_on || null,
    deal_value: fields.deal_value ?? null,
  }
}

export interface SavedChange {
  id: string
  entry: OutboxEntry
}

/** A new log: the record and its activity.create in one transaction. */
export async function logActivity(fields: ActivityFields, now = new Date()): Promise<SavedChange> {
  const tx = (await db()).transaction([...CHANGE_STORES], 'readwrite')
  const userId = await ownerOf(tx)
  const id = crypto.randomUUID()
  const clean = normalized(fields)
  const entry = await enqueue(tx, userId, 'activity.create', id, clean, now)
  const record: LocalActivity = {
    id,
    fields: clean,
    deleted: false,
    week_start: weekStartOf(clean.occurred_at, clean.time_zone),
    pending: 1,
    server: null,
    changed_at: now.toISOString(),
  }
  await tx.objectStore('activities').add(record)
  await commit(tx)
  return { id, entry }
}

/** An edit: the whole record goes out as activity.update (last writer wins). */
export async function editActivity(id: string, fields: ActivityFields, now = new Date()): Promise<SavedChange> {
  const tx = (await db()).transaction([...CHANGE_STORES], 'readwrite')
  const userId = await ownerOf(tx)
  const activities = tx.objectStore('activities')
  const record = await activities.get(id)
  if (!record || record.deleted) {
    tx.abort()
    await tx.done.catch(() => undefined)
    throw new Error('This activity no longer exists.')
  }
  const clean = normalized(fields)
  const entry = await enqueue(tx, userId, 'activity.update', id, clean, now)
  await activities.put({
    ...record,
    fields: clean,
    week_start: weekStartOf(clean.occurred_at, clean.time_zone),
    pending: record.pending + 1,
    changed_at: now.toISOString(),
  })
  await commit(tx)
  return { id, entry }
}

/** A delete (also "Undo" of a log): hidden at once, removed when the server confirms. */
export async function deleteActivity(id: string, now = new Date()): Promise<SavedChange> {
  const tx = (await db()).transaction([...CHANGE_STORES], 'readwrite')
  const userId = await ownerOf(tx)
  const activities = tx.objectStore('activities')
  const record = await activities.get(id)
  const entry = await enqueue(tx, userId, 'activity.delete', id, null, now)
  if (record) {
    await activities.put({ ...record, deleted: true, pending: record.pending + 1, changed_at: now.toISOString() })
  }
  await commit(tx)
  return { id, entry }
}

/**
 * Fix a rejected change: save the corrected fields as a NEW mutation (new seq) and drop
 * the "needs attention" entry, in one transaction. If the server holds a live copy of the
 * activity, this is an update of it; otherwise it is logged again under a new id (the old
 * id may be burnt: a rejected create, or a tombstone).
 */
export async function fixRejected(mutationId: string, fields: ActivityFields, now = new Date()): Promise<SavedChange> {
  const tx = (await db()).transaction([...CHANGE_STORES], 'readwrite')
  const userId = await ownerOf(tx)
  const attention = tx.objectStore('attention')
  const item = await attention.get(mutationId)
  if (!item || item.user_id !== userId || item.kind === 'reflection.upsert') {
    tx.abort()
    await tx.done.catch(() => undefined)
    throw new Error('This change was already fixed or discarded.')
  }
  await attention.delete(mutationId)
  const activities = tx.objectStore('activities')
  const existing = await activities.get(item.entity_id)
  const clean = normalized(fields)
  const weekStart = weekStartOf(clean.occurred_at, clean.time_zone)
  let id: string
  let entry: OutboxEntry
  if (existing?.server && !existing.deleted) {
    id = existing.id
    entry = await enqueue(tx, userId, 'activity.update', id, clean, now)
    await activities.put({
      ...existing,
      fields: clean,
      week_start: weekStart,
      pending: existing.pending + 1,
      changed_at: now.toISOString(),
    })
  } else {
    id = crypto.randomUUID()
    entry = await enqueue(tx, userId, 'activity.create', id, clean, now)
    await activities.add({
      id,
      fields: clean,
      deleted: false,
      week_start: weekStart,
      pending: 1,
      server: null,
      changed_at: now.toISOString(),
    })
  }
  await commit(tx)
  return { id, entry }
}

export async function discardRejected(mutationId: string): Promise<void> {
  const tx = (await db()).transaction(['attention'], 'readwrite')
  await tx.objectStore('attention').delete(mutationId)
  await tx.done
  notifyLocalChange()
}

async function currentOwner(): Promise<number | null> {
  const owner = (await (await db()).get('device', 'owner_user_id')) as number | undefined
  return owner ?? null
}

/** The rep's activities on this device (deleted ones excluded), newest first. */
export async function listActivities(): Promise<LocalActivity[]> {
  const all = await (await db()).getAll('activities')
  return all
    .filter((a) => !a.deleted)
    .sort((a, b) => Date.parse(b.fields.occurred_at) - Date.parse(a.fields.occurred_at))
}

export async function getActivity(id: string): Promise<LocalActivity | undefined> {
  const record = await (await db()).get('activities', id)
  return record && !record.deleted ? record : undefined
}

/** Rejected activity changes of the signed-in user (reflections: listReflectionAttention). */
export async function listAttention(): Promise<AttentionEntry[]> {
  const owner = await currentOwner()
  if (owner === null) return []
  const items = await (await db()).getAllFromIndex('attention', 'user_id', owner)
  return items.filter((item): item is AttentionEntry => item.kind !== 'reflection.upsert').sort((a, b) => a.seq - b.seq)
}

/** The signed-in user's outbox in seq order. */
export async function listOutbox(userId?: number): Promise<OutboxEntry[]> {
  const owner = userId ?? (await currentOwner())
  if (owner === null) return []
  return (await db()).getAll('outbox', IDBKeyRange.bound([owner, 0], [owner, Number.MAX_SAFE_INTEGER]))
}

export async function outboxSize(userId?: number): Promise<number> {
  const owner = userId ?? (await currentOwner())
  if (owner === null) return 0
  return (await db()).count('outbox', IDBKeyRange.bound([owner, 0], [owner, Number.MAX_SAFE_INTEGER]))
}

export interface WeekCount {
  total: number
  qualifying: number
  pending: number
}

/**
 * Counts per activity type for one local week, from the local store (server records plus
 * unsynced changes; deleted excluded). Null until this user's first complete pull: before
 * that the device does not know the server's logs and its counts would be too low.
 */
export async function readWeekCounts(
  weekStart: string,
  types: readonly Pick<ActivityType, 'id' | 'quality_min'>[],
): Promise<Record<number, WeekCount> | null> {
  const database = await db()
  if ((await database.get('sync_state', 'pulled')) !== true) return null
  const counts: Record<number, WeekCount> = {}
  const bar = new Map<number, number>()
  for (const type of types) {
    counts[type.id] = { total: 0, qualifying: 0, pending: 0 }
    bar.set(type.id, type.quality_min)
  }
  for (const record of await database.getAllFromIndex('activities', 'week_start', weekStart)) {
    if (record.deleted) continue
    const count = counts[record.fields.activity_type_id]
    if (!count) continue
    count.total += 1
    if ((record.fields.quality ?? 3) >= (bar.get(record.fields.activity_type_id) ?? 0)) count.qualifying += 1
    if (record.pending > 0) count.pending += 1
  }
  return counts
}

/** How often each activity type was logged here (for "most-used first"). */
export async function typeUsage(): Promise<Map<number, number>> {
  const usage = new Map<number, number>()
  for (const record of await listActivities()) {
    usage.set(record.fields.activity_type_id, (usage.get(record.fields.activity_type_id) ?? 0) + 1)
  }
  return usage
}

/** Account names seen in local activities, most recently used first. */
export async function recentAccounts(): Promise<string[]> {
  const seen = new Map<string, string>()
  for (const record of await listActivities()) {
    const name = record.fields.account_name.trim()
    const key = name.toLocaleLowerCase()
    if (name && !seen.has(key)) seen.set(key, name)
  }
  return [...seen.values()]
}

// ---------- The weekly self-reflection (reflection.upsert) ----------

/** The contract's limits (shared_schemas/coaching.py ReflectionFields). */
export const REFLECTION_TEXT_MAX = 2000
export const JOTTING_MAX = 500
export const JOTTINGS_MAX = 20

const WEEK_RE = /^\d{4}-\d{2}-\d{2}$/

/** Monday (YYYY-MM-DD) of the week `now` falls in, in `timeZone`. */
export function currentWeekStart(timeZone: string, now = new Date()): string {
  return weekDays(now, timeZone)[0]!.iso
}

/** A valid week start from `?week=`: any date of the week is taken to mean its Monday. */
export function weekStartFromParam(value: string | null | undefined): string | null {
  if (!value || !WEEK_RE.test(value)) return null
  const date = new Date(`${value}T00:00:00Z`)
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return null
  const weekday = (date.getUTCDay() + 6) % 7 // Monday 0
  return new Date(date.getTime() - weekday * 86_400_000).toISOString().slice(0, 10)
}

export function emptyReflection(weekStart: string): ReflectionPayload {
  return { week_start: weekStart, wins: '', stuck: '', differently: '', help_wanted: '', self_rating: null, jottings: [] }
}

/** The whole reflection with every field present; blank jottings dropped. */
export function normalizedReflection(fields: ReflectionFields): ReflectionPayload {
  const rating = fields.self_rating
  return {
    week_start: fields.week_start,
    wins: fields.wins ?? '',
    stuck: fields.stuck ?? '',
    differently: fields.differently ?? '',
    help_wanted: fields.help_wanted ?? '',
    self_rating: rating != null && Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null,
    jottings: (fields.jottings ?? []).map((j) => j.trim()).filter((j) => j.length > 0),
  }
}

/** What the server would reject, per field, in words for the rep. Empty when fine. */
export function reflectionProblems(fields: ReflectionPayload): Record<string, string> {
  const problems: Record<string, string> = {}
  if (weekStartFromParam(fields.week_start) !== fields.week_start) problems.week_start = 'Pick a week (its Monday).'
  for (const key of ['wins', 'stuck', 'differently', 'help_wanted'] as const) {
    const length = fields[key].length
    if (length > REFLECTION_TEXT_MAX) problems[key] = `At most ${REFLECTION_TEXT_MAX} characters (now ${length}).`
  }
  if (fields.jottings.length > JOTTINGS_MAX) {
    problems.jottings = `At most ${JOTTINGS_MAX} jottings a week (now ${fields.jottings.length}): remove one first.`
  } else if (fields.jottings.some((j) => j.length > JOTTING_MAX)) {
    problems.jottings = `Each jotting can be at most ${JOTTING_MAX} characters.`
  }
  return problems
}

export class ReflectionInvalidError extends Error {
  constructor(readonly problems: Record<string, string>) {
    super(Object.values(problems)[0] ?? 'This reflection cannot be saved.')
    this.name = 'ReflectionInvalidError'
  }
}

function isReflectionEntry(entry: { kind: string }): boolean {
  return entry.kind === 'reflection.upsert'
}

/** The newest unsent reflection of that week in the outbox (its text, should the local record be gone). */
function newestQueued(entries: OutboxEntry[], weekStart: string): { id: string; payload: ReflectionPayload; count: number } | null {
  const queued = entries.filter(
    (e): e is Extract<OutboxEntry, { kind: 'reflection.upsert' }> =>
      e.kind === 'reflection.upsert' && e.payload.week_start === weekStart,
  )
  const last = queued[queued.length - 1]
  return last ? { id: last.entity_id, payload: last.payload, count: queued.length } : null
}

async function reflectionIn(tx: ChangeTx, userId: number, weekStart: string): Promise<LocalReflection | null> {
  const stored = await tx.objectStore('reflections').get([userId, weekStart])
  if (stored) return stored
  // Another person signed in on this device in between (the store was emptied): the unsent
  // text is still in the outbox.
  const entries = await tx.objectStore('outbox').getAll(IDBKeyRange.bound([userId, 0], [userId, Number.MAX_SAFE_INTEGER]))
  const queued = newestQueued(entries, weekStart)
  if (!queued) return null
  return { user_id: userId, week_start: weekStart, id: queued.id, fields: queued.payload, pending: queued.count, server: null, changed_at: null }
}

export interface SavedReflection {
  reflection: LocalReflection
  entry: OutboxEntry
}

/**
 * Save the whole reflection of a week: the local record and its reflection.upsert in one
 * transaction. `update` gets the current text (local, else empty) and returns the new one.
 * A new save supersedes a rejected one of the same week (its "needs attention" entry goes).
 */
async function writeReflection(
  weekStart: string,
  update: (current: ReflectionPayload) => ReflectionPayload,
  now: Date,
): Promise<SavedReflection> {
  const tx = (await db()).transaction([...CHANGE_STORES], 'readwrite')
  let saved: SavedReflection
  try {
    const userId = await ownerOf(tx)
    const existing = await reflectionIn(tx, userId, weekStart)
    const fields = normalizedReflection({ ...update(existing?.fields ?? emptyReflection(weekStart)), week_start: weekStart })
    const problems = reflectionProblems(fields)
    if (Object.keys(problems).length > 0) throw new ReflectionInvalidError(problems)
    // The entity id is made once per rep-week and then kept (the server's id once known).
    const id = existing?.id ?? crypto.randomUUID()
    const entry = await enqueue(tx, userId, 'reflection.upsert', id, fields, now)
    const reflection: LocalReflection = {
      user_id: userId,
      week_start: weekStart,
      id,
      fields,
      pending: (existing?.pending ?? 0) + 1,
      server: existing?.server ?? null,
      changed_at: now.toISOString(),
    }
    await tx.objectStore('reflections').put(reflection)
    const attention = tx.objectStore('attention')
    for (const item of await attention.index('user_id').getAll(userId)) {
      if (item.kind === 'reflection.upsert' && item.payload.week_start === weekStart) await attention.delete(item.mutation_id)
    }
    saved = { reflection, entry }
  } catch (error) {
    tx.abort()
    await tx.done.catch(() => undefined)
    throw error
  }
  await commit(tx)
  return saved
}

/** Save the rep's reflection of `fields.week_start` (the whole record: last write wins). */
export function saveReflection(fields: ReflectionFields, now = new Date()): Promise<SavedReflection> {
  return writeReflection(fields.week_start, () => normalizedReflection(fields), now)
}

/** Add an answer to a self-coaching prompt to that week's jottings (same offline save). */
export function appendJotting(weekStart: string, text: string, now = new Date()): Promise<SavedReflection> {
  const clean = text.trim()
  if (!clean) return Promise.reject(new ReflectionInvalidError({ jottings: 'Write something first.' }))
  return writeReflection(weekStart, (current) => ({ ...current, jottings: [...current.jottings, clean] }), now)
}

/** The signed-in rep's reflection of a week on this device (also unsent text in the outbox). */
export async function getReflection(weekStart: string): Promise<LocalReflection | null> {
  const owner = await currentOwner()
  if (owner === null) return null
  const tx = (await db()).transaction([...CHANGE_STORES], 'readonly') as unknown as ChangeTx
  const found = await reflectionIn(tx, owner, weekStart)
  await tx.done
  return found
}

function payloadOf(reflection: Reflection): ReflectionPayload {
  return normalizedReflection({
    week_start: reflection.week_start,
    wins: reflection.wins,
    stuck: reflection.stuck,
    differently: reflection.differently,
    help_wanted: reflection.help_wanted,
    self_rating: reflection.self_rating,
    jottings: reflection.jottings,
  })
}

/**
 * What the server said about a week (GET /api/reps/{id}/reflections/{week}). Its copy
 * becomes the local one unless this device has a change not yet accepted (pending, or
 * rejected and waiting in "needs attention"): then the local text stays on top.
 */
export async function rememberServerReflection(weekStart: string, reflection: Reflection | null): Promise<LocalReflection | null> {
  const tx = (await db()).transaction([...CHANGE_STORES], 'readwrite')
  const owner = (await tx.objectStore('device').get('owner_user_id')) as number | undefined
  if (owner === undefined || (reflection && reflection.user_id !== owner)) {
    await tx.done
    return null
  }
  const local = await reflectionIn(tx, owner, weekStart)
  const rejected = (await tx.objectStore('attention').index('user_id').getAll(owner)).some(
    (item) => item.kind === 'reflection.upsert' && item.payload.week_start === weekStart,
  )
  let result = local
  if (reflection) {
    const server = { fields: payloadOf(reflection), updated_at: reflection.updated_at }
    if (local && (local.pending > 0 || rejected)) {
      result = { ...local, server }
    } else {
      result = { user_id: owner, week_start: weekStart, id: reflection.id, fields: server.fields, pending: 0, server, changed_at: local?.changed_at ?? null }
    }
    await tx.objectStore('reflections').put(result)
  }
  await tx.done
  if (reflection) notifyLocalChange()
  return result
}

/** Reflections the server rejected, of the signed-in rep (one week only when given). */
export async function listReflectionAttention(weekStart?: string): Promise<ReflectionAttentionEntry[]> {
  const owner = await currentOwner()
  if (owner === null) return []
  const items = await (await db()).getAllFromIndex('attention', 'user_id', owner)
  return items
    .filter((item): item is ReflectionAttentionEntry => isReflectionEntry(item))
    .filter((item) => weekStart === undefined || item.payload.week_start === weekStart)
    .sort((a, b) => a.seq - b.seq)
}

/**
 * Give up a rejected reflection: drop it from "needs attention" and show the server's copy
 * again (or nothing, if the server has none), unless a newer save is still on its way.
 */
export async function discardRejectedReflection(mutationId: string): Promise<void> {
  const tx = (await db()).transaction([...CHANGE_STORES], 'readwrite')
  const attention = tx.objectStore('attention')
  const item = await attention.get(mutationId)
  if (item && item.kind === 'reflection.upsert') {
    await attention.delete(mutationId)
    const key: [number, string] = [item.user_id, item.payload.week_start]
    const record = await tx.objectStore('reflections').get(key)
    if (record && record.pending === 0) {
      if (record.server) await tx.objectStore('reflections').put({ ...record, fields: record.server.fields })
      else await tx.objectStore('reflections').delete(key)
    }
  }
  await tx.done
  notifyLocalChange()
}
