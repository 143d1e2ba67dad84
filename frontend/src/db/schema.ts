// The IndexedDB schema: one ordered list of migrations. Version N of the database is
// the result of running migrations[0..N-1] in order, so a device that skipped releases
// catches up step by step. Never edit a shipped migration: append a new one.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { Me } from '@contract/types'

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

export interface FollowthroughDB extends DBSchema {
  device: { key: keyof DeviceRecords; value: DeviceRecords[keyof DeviceRecords] }
  session: { key: 'me'; value: CachedMe }
}

export type StoreName = StoreNames<FollowthroughDB>

/**
 * Stores holding one person's data: emptied when another person signs in on the device.
 * Later issues add the outbox and activities here.
 */
export const USER_SCOPED_STORES: StoreName[] = ['session']

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
]
