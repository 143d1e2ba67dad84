// The IndexedDB schema: one ordered list of migrations. Version N of the database is
// the result of running migrations[0..N-1] in order, so a device that skipped releases
// catches up step by step. Never edit a shipped migration: append a new one.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { ActivityFields, ActivityType, Me, ReflectionFields } from '@contract/types'

export const DB_NAME = 'followthrough'

export interface CachedMe {
  me: Me
  saved_at: string
}

/** Device-level facts that survive sign-out and a change of user. */
export interface DeviceRecords {
  client_id: string
  /** The user whose data the user-scoped stores currently hold. */
  owner_user_id: number
}

/** What the server last told us about an activity (pull) or accepted from us (push). */
export interface ServerCopy {
  fields: ActivityFields
  /** The server's change counter; null when known only from our own applied push. */
  version: number | null
  week_start: string | null
  late: boolean
}

/** One activity as this device sees it: the server's copy plus local changes not yet synced. */
export interface LocalActivity {
  /** The entity UUID (made by the device that created it). */
  id: string
  /** The current local view (what the rep sees and what is counted). */
  fields: ActivityFields
  /** Deleted here; the delete is waiting in the outbox. Excluded from lists and counts. */
  deleted: boolean
  /** Monday (YYYY-MM-DD) of the local week of `fields.occurred_at` in `fields.time_zone`. */
  week_start: string
  /** Outbox mutations of this activity not yet answered terminally by the server. */
  pending: number
  server: ServerCopy | null
  /** Local clock when this device last changed it (for ordering "needs attention" fixes). */
  changed_at: string
}

export type ActivityMutationKind = 'activity.create' | 'activity.update' | 'activity.delete'
export type MutationKind = ActivityMutationKind | 'reflection.upsert'

/** The whole reflection of one week: every field present (the payload of reflection.upsert). */
export type ReflectionPayload = Required<ReflectionFields>

interface OutboxBase {
  /** Whose change this is: the outbox survives another person signing in on the device. */
  user_id: number
  seq: number
  mutation_id: string
  client_id: string
  entity_id: string
  created_at: string
}

/** One activity change waiting to be pushed (docs/sync-protocol.md "Model"). */
export interface ActivityOutboxEntry extends OutboxBase {
  kind: ActivityMutationKind
  payload: ActivityFields | null
}

/** A week's reflection waiting to be pushed (the server keeps one per rep and week). */
export interface ReflectionOutboxEntry extends OutboxBase {
  kind: 'reflection.upsert'
  payload: ReflectionPayload
}

/** One change waiting to be pushed, in the same outbox and seq order whatever its kind. */
export type OutboxEntry = ActivityOutboxEntry | ReflectionOutboxEntry

interface AttentionBase {
  user_id: number
  mutation_id: string
  seq: number
  entity_id: string
  code: string
  message: string
  rejected_at: string
}

/** An activity change the server rejected: kept until the rep fixes or discards it. */
export interface AttentionEntry extends AttentionBase {
  kind: ActivityMutationKind
  payload: ActivityFields | null
}

/** A reflection the server rejected: the rep's text stays; they save again or discard it. */
export interface ReflectionAttentionEntry extends AttentionBase {
  kind: 'reflection.upsert'
  payload: ReflectionPayload
}

/** What the "attention" store holds. */
export type AnyAttentionEntry = AttentionEntry | ReflectionAttentionEntry

/** The rep's reflection of one week as this device sees it. */
export interface LocalReflection {
  user_id: number
  /** Monday of the week (YYYY-MM-DD). */
  week_start: string
  /** The reflection's UUID (entity_id of its mutations): made once, then kept. */
  id: string
  /** What the rep sees: their last saved text (synced or not). */
  fields: ReflectionPayload
  /** reflection.upsert mutations not yet answered terminally. */
  pending: number
  /** The server's copy as last read or accepted; null when the server has none we know of. */
  server: { fields: ReflectionPayload; updated_at: string | null } | null
  /** Local clock of the last save on this device (null: only ever read from the server). */
  changed_at: string | null
}

/** Per-user sync state, cleared with the user's local activities. */
export interface SyncStateRecords {
  /** Pull cursor (per-rep change counter). */
  cursor: number
  /** At least one complete pull since the local store was (re)filled. */
  pulled: boolean
  last_synced_at: string
  clock_skew_seconds: number | null
  max_batch: number
  /** The server's body and per-mutation size limits, as its last push answer said. */
  max_body_bytes: number
  max_mutation_bytes: number
  /** The team's activity types as last fetched, so the rep can log offline. */
  activity_types: ActivityType[]
}

export interface FollowthroughDB extends DBSchema {
  device: { key: keyof DeviceRecords; value: DeviceRecords[keyof DeviceRecords] }
  session: { key: 'me'; value: CachedMe }
  activities: { key: string; value: LocalActivity; indexes: { week_start: string } }
  sync_state: { key: keyof SyncStateRecords; value: SyncStateRecords[keyof SyncStateRecords] }
  /** Keyed by [user_id, seq], so a user's entries iterate in seq order. */
  outbox: { key: [number, number]; value: OutboxEntry; indexes: { entity: [number, string] } }
  attention: { key: string; value: AnyAttentionEntry; indexes: { user_id: number } }
  /** Last seq handed out, per user id: never reset, so a seq is never reused. */
  seqs: { key: number; value: number }
  /** One reflection per user and week, keyed by [user_id, week_start]. */
  reflections: { key: [number, string]; value: LocalReflection }
}

export type StoreName = StoreNames<FollowthroughDB>

/**
 * Stores holding one person's data: emptied when another person signs in on the device.
 * The outbox, "needs attention" and seq counters are not among them: their entries carry
 * the user id, are only ever read for that user, and must not be lost by a switch (an
 * unsent reflection is still in the outbox, and its text comes back from it).
 */
export const USER_SCOPED_STORES: StoreName[] = ['session', 'activities', 'sync_state', 'reflections']

export type Migration = (
  db: IDBPDatabase<FollowthroughDB>,
  tx: IDBPTransaction<FollowthroughDB, StoreName[], 'versionchange'>,
) => void

export const MIGRATIONS: readonly Migration[] = [
  // v1: the device id and the cached signed-in user.
  (db) => {
    db.createObjectStore('device')
    db.createObjectStore('session')
  },
  // v2: activity logging and the sync outbox (docs/sync-protocol.md).
  (db) => {
    const activities = db.createObjectStore('activities', { keyPath: 'id' })
    activities.createIndex('week_start', 'week_start')
    db.createObjectStore('sync_state')
    const outbox = db.createObjectStore('outbox', { keyPath: ['user_id', 'seq'] })
    outbox.createIndex('entity', ['user_id', 'entity_id'])
    const attention = db.createObjectStore('attention', { keyPath: 'mutation_id' })
    attention.createIndex('user_id', 'user_id')
    db.createObjectStore('seqs')
  },
  // v3: the rep's weekly self-reflection, synced through the outbox as reflection.upsert.
  (db) => {
    db.createObjectStore('reflections', { keyPath: ['user_id', 'week_start'] })
  },
]
