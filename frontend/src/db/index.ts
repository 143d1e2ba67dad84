// All IndexedDB access of the app goes through this module.
import { openDB, type IDBPDatabase } from 'idb'
import type { Me } from '@contract/types'
import {
  DB_NAME,
  MIGRATIONS,
  USER_SCOPED_STORES,
  type CachedMe,
  type FollowthroughDB,
  type Migration,
} from './schema'

export type {
  ActivityMutationKind,
  ActivityOutboxEntry,
  AnyAttentionEntry,
  AttentionEntry,
  CachedMe,
  FollowthroughDB,
  LocalActivity,
  LocalReflection,
  Migration,
  MutationKind,
  OutboxEntry,
  ReflectionAttentionEntry,
  ReflectionOutboxEntry,
  ReflectionPayload,
  ServerCopy,
  SyncStateRecords,
} from './schema'
export { DB_NAME, MIGRATIONS, USER_SCOPED_STORES } from './schema'

export type AppDb = IDBPDatabase<FollowthroughDB>

/** Opens (and migrates) a database; name and migrations are parameters for tests. */
export function openAppDb(
  name: string = DB_NAME,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<AppDb> {
  return openDB<FollowthroughDB>(name, migrations.length, {
    upgrade(db, oldVersion, newVersion, tx) {
      const target = newVersion ?? migrations.length
      for (let version = oldVersion; version < target; version++) {
        migrations[version]!(db, tx)
      }
    },
    // Another tab opened a newer version: let it upgrade; this tab reopens on next use.
    blocking(_current, _blocked, event) {
      ;(event.target as IDBDatabase).close()
      dbPromise = null
    },
  })
}

let dbPromise: Promise<AppDb> | null = null

/** The shared connection (the sync layer runs its own transactions on it). */
export function db(): Promise<AppDb> {
  dbPromise ??= openAppDb().catch((error: unknown) => {
    dbPromise = null
    throw error
  })
  return dbPromise
}

/** Closes the shared connection (tests, or before deleting the database). */
export async function closeDb(): Promise<void> {
  const current = dbPromise
  dbPromise = null
  if (current) (await current).close()
}

/** The last known signed-in user, so the app can open offline. */
export async function getCachedMe(): Promise<Me | null> {
  const cached = await (await db()).get('session', 'me')
  return cached?.me ?? null
}

/**
 * Remember who is signed in. If the device held another person's data, clear it first,
 * in the same transaction, so one person never sees another's cached records.
 * Returns true when the previous owner was someone else.
 */
export async function rememberUser(me: Me, now: Date = new Date()): Promise<boolean> {
  const tx = (await db()).transaction(['device', ...USER_SCOPED_STORES], 'readwrite')
  const device = tx.objectStore('device')
  const owner = (await device.get('owner_user_id')) as number | undefined
  const switched = owner !== undefined && owner !== me.id
  if (switched) {
    for (const name of USER_SCOPED_STORES) await tx.objectStore(name).clear()
  }
  await device.put(me.id, 'owner_user_id')
  const cached: CachedMe = { me, saved_at: now.toISOString() }
  await tx.objectStore('session').put(cached, 'me')
  await tx.done
  return switched
}

/**
 * Sign-out: forget the cached user so the app opens on the login screen, but keep the
 * owner id (and, later, their unsent outbox) so nothing is lost if they sign in again.
 */
export async function forgetCachedMe(): Promise<void> {
  await (await db()).delete('session', 'me')
}

/** This device's id for sync: created once, then stable for the life of the database. */
export async function getClientId(): Promise<string> {
  const tx = (await db()).transaction('device', 'readwrite')
  let id = (await tx.store.get('client_id')) as string | undefined
  if (!id) {
    id = crypto.randomUUID()
    await tx.store.put(id, 'client_id')
  }
  await tx.done
  return id
}

/** Ask the browser not to evict our data under storage pressure (iOS). Best effort. */
export async function askForPersistentStorage(): Promise<boolean> {
  try {
    // persist() is a window-only API (this module is also loaded by the service worker).
    const storage = (typeof navigator === 'undefined' ? undefined : navigator.storage) as
      | (StorageManager & { persist?: () => Promise<boolean> })
      | undefined
    if (!storage?.persist) return false
    if (await storage.persisted()) return true
    return await storage.persist()
  } catch {
    return false
  }
}
