// The IndexedDB schema: one ordered list of migrations. Version N of the database is
// the result of running migrations[0..N-1] in order, so a device that skipped releases
// catches up step by step. Never edit a shipped migration: append a new one.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { ActivityFields, ActivityType, Me } from '@contract/types'

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

export type MutationKind = 'activity.create' | 'activity.update' | 'activity.delete'

/** One change waiting to be pushed (docs/sync-protocol.md "Model"). */
export interface OutboxEntry {
  /** Whose change this is: the outbox survives another person signing in on the device. */
  user_id: number
  seq: number
  mutation_id: string
  client_id: string
  kind: MutationKind
  entity_id: string
  payload: ActivityFields | null
  created_at: string
}

/** A mutation the server rejected: kept until the rep fixes or discards it. */
export interface AttentionEntry {
  user_id: number
  mutation_id: string
  seq: number
  kind: MutationKind
  entity_id: string
  payload: ActivityFields | null
  code: string
  message: string
  rejected_at: string
}

/** Per-user sync state, cleared with the user's local activities. */
export interface SyncStateRecords {
  /** Pull cursor (per-rep change counter). */
  cursor: number
  /** At least one complete pull since the local store was (re)filled. */
  pulled: boolean
  last_synced_at: string
  clock_skew_seconds: number
  max_batch: number
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
  attention: { key: string; value: AttentionEntry; indexes: { user_id: number } }
  /** Last seq handed out, per user id: never reset, so a seq is never reused. */
  seqs: { key: number; value: number }
}

export type StoreName = StoreNames<FollowthroughDB>

/**
 * Stores holding one person's data: emptied when another person signs in on the device.
 * The outbox, "needs attention" and seq counters are not among them: their entries carry
 * the user id, are only ever read for that user, and must not be lost by a switch.
 */
export const USER_SCOPED_STORES: StoreName[] = ['session', 'activities', 'sync_state']

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
]
