import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Me } from '@contract/types'
import {
  DB_NAME,
  MIGRATIONS,
  closeDb,
  forgetCachedMe,
  getCachedMe,
  getClientId,
  openAppDb,
  rememberUser,
  type Migration,
} from '../src/db'

function person(id: number, name = `Person ${id}`): Me {
  return {
    id,
    email: `p${id}@demo.test`,
    name,
    role: 'rep',
    time_zone: 'Europe/Berlin',
    team: { id: 1, name: 'Demo team' },
    managed_teams: [],
  }
}

beforeEach(() => {
  // A brand-new, empty IndexedDB for every test.
  globalThis.indexedDB = new IDBFactory()
})

afterEach(async () => {
  await closeDb()
})

describe('schema and migrations', () => {
  it('creates the current schema on a fresh device', async () => {
    const db = await openAppDb()
    expect(db.version).toBe(MIGRATIONS.length)
    expect([...db.objectStoreNames].sort()).toEqual([
      'activities',
      'attention',
      'device',
      'outbox',
      'reflections',
      'seqs',
      'session',
      'sync_state',
    ])
    db.close()
  })

  it('v3 adds the reflections store to a device on v2 without touching its outbox', async () => {
    const v2 = await openAppDb('v2-device', MIGRATIONS.slice(0, 2))
    await v2.put('seqs', 4, 7)
    await v2.put('outbox', {
      user_id: 7,
      seq: 4,
      mutation_id: 'm4',
      client_id: 'c',
      kind: 'activity.create',
      entity_id: 'e4',
      payload: null,
      created_at: '2026-11-25T09:00:00Z',
    })
    v2.close()
    const v3 = await openAppDb('v2-device')
    expect(v3.version).toBe(3)
    expect(await v3.get('seqs', 7)).toBe(4)
    expect((await v3.getAll('outbox')).map((e) => e.mutation_id)).toEqual(['m4'])
    await v3.put('reflections', {
      user_id: 7,
      week_start: '2026-11-23',
      id: 'r',
      fields: { week_start: '2026-11-23', wins: '', stuck: '', differently: '', help_wanted: '', self_rating: null, jottings: [] },
      pending: 0,
      server: null,
      changed_at: null,
    })
    expect((await v3.get('reflections', [7, '2026-11-23']))?.id).toBe('r')
    v3.close()
  })

  it('runs only the migrations a device has not run yet, in order, keeping data', async () => {
    const ran: string[] = []
    const v1: Migration = (db) => {
      ran.push('v1')
      db.createObjectStore('device')
    }
    const v2: Migration = (db, tx) => {
      ran.push('v2')
      db.createObjectStore('session')
      // A migration can read what earlier versions stored, through the upgrade transaction.
      void tx.objectStore('device').put('moved', 'owner_user_id')
    }

    const old = await openAppDb('migrations-test', [v1])
    await old.put('device', 'keep-me', 'client_id')
    old.close()
    expect(ran).toEqual(['v1'])

    const upgraded = await openAppDb('migrations-test', [v1, v2])
    expect(ran).toEqual(['v1', 'v2'])
    expect(upgraded.version).toBe(2)
    expect(await upgraded.get('device', 'client_id')).toBe('keep-me')
    expect(await upgraded.get('device', 'owner_user_id')).toBe('moved')
    upgraded.close()

    // Opening again at the same version runs nothing.
    const again = await openAppDb('migrations-test', [v1, v2])
    expect(ran).toEqual(['v1', 'v2'])
    again.close()
  })
})

describe('client id', () => {
  it('is a UUID created once and stable across calls and reopening', async () => {
    const first = await getClientId()
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(await getClientId()).toBe(first)
    await closeDb()
    expect(await getClientId()).toBe(first)
  })

  it('is the same even when asked for concurrently on first start', async () => {
    const ids = await Promise.all([getClientId(), getClientId(), getClientId()])
    expect(new Set(ids).size).toBe(1)
  })

  it('differs between devices (separate databases)', async () => {
    const here = await getClientId()
    await closeDb()
    globalThis.indexedDB = new IDBFactory()
    expect(await getClientId()).not.toBe(here)
  })
})

describe('cached Me', () => {
  it('is empty on a new device, then returns the remembered user after reopening', async () => {
    expect(await getCachedMe()).toBeNull()
    await rememberUser(person(7, 'Rep Seven'))
    await closeDb()
    expect(await getCachedMe()).toEqual(person(7, 'Rep Seven'))
  })

  it('keeps the newest version of the same user without treating it as a switch', async () => {
    expect(await rememberUser(person(7, 'Old name'))).toBe(false)
    expect(await rememberUser(person(7, 'New name'))).toBe(false)
    expect((await getCachedMe())?.name).toBe('New name')
  })

  it('clears the previous user when someone else signs in, but keeps the device id', async () => {
    const clientId = await getClientId()
    await rememberUser(person(7))
    expect(await rememberUser(person(8))).toBe(true)
    expect((await getCachedMe())?.id).toBe(8)
    expect(await getClientId()).toBe(clientId)
  })

  it('after sign-out opens signed out, and still knows whose data the device holds', async () => {
    await rememberUser(person(7))
    await forgetCachedMe()
    expect(await getCachedMe()).toBeNull()
    // Same person again: not a switch (their future outbox must survive sign-out).
    expect(await rememberUser(person(7))).toBe(false)
    // Someone else: a switch.
    await forgetCachedMe()
    expect(await rememberUser(person(9))).toBe(true)
  })

  it('uses the database name the app ships with', async () => {
    await rememberUser(person(1))
    const names = (await indexedDB.databases()).map((info) => info.name)
    expect(names).toContain(DB_NAME)
  })
})
