// The device's activity store and outbox. Every local change (log, edit, delete, a fix of a
// rejected change) writes the local record and its outbox mutation in ONE IndexedDB
// transaction, with the next seq taken inside that same transaction (docs/sync-protocol.md).
// No Preact and no DOM here: the service worker imports this module too.
import type { ActivityFields, ActivityType } from '@contract/types'
import type { IDBPTransaction } from 'idb'
import {
  db,
  type AttentionEntry,
  type FollowthroughDB,
  type LocalActivity,
  type MutationKind,
  type OutboxEntry,
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
const CHANGE_STORES = ['device', 'activities', 'outbox', 'seqs', 'attention'] as const
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
  payload: ActivityFields | null,
  now: Date,
): Promise<OutboxEntry> {
  const seqs = tx.objectStore('seqs')
  const seq = ((await seqs.get(userId)) ?? 0) + 1
  await seqs.put(seq, userId)
  const entry: OutboxEntry = {
    user_id: userId,
    seq,
    mutation_id: crypto.randomUUID(),
    client_id: await clientIdIn(tx),
    kind,
    entity_id: entityId,
    payload,
    created_at: now.toISOString(),
  }
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
  if (!item || item.user_id !== userId) {
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

export async function listAttention(): Promise<AttentionEntry[]> {
  const owner = await currentOwner()
  if (owner === null) return []
  const items = await (await db()).getAllFromIndex('attention', 'user_id', owner)
  return items.sort((a, b) => a.seq - b.seq)
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
