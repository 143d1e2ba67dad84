import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ActivityFields, Me } from '@contract/types'
import { closeDb, db, getClientId, rememberUser } from '../src/db'
import { backoffDelay, delayAfter } from '../src/sync/schedule'
import { clearAcknowledged, pullChanges, pushOutbox, syncNow } from '../src/sync/engine'
import {
  appendJotting,
  deleteActivity,
  discardRejected,
  discardRejectedReflection,
  editActivity,
  fixRejected,
  getReflection,
  listActivities,
  listAttention,
  listOutbox,
  listReflectionAttention,
  localTestHooks,
  logActivity,
  rememberServerReflection,
  saveReflection,
} from '../src/sync/local'
import { FakeSyncServer } from './fakeSyncServer'

const rep: Me = {
  id: 7,
  email: 'rep@demo.test',
  name: 'Rep',
  role: 'rep',
  time_zone: 'Europe/Berlin',
  team: { id: 1, name: 'T' },
  managed_teams: [],
}

function visit(overrides: Partial<ActivityFields> = {}): ActivityFields {
  return {
    activity_type_id: 1,
    account_name: 'Acme GmbH',
    outcome: 'next_step',
    occurred_at: '2026-11-25T09:30:00+01:00',
    time_zone: 'Europe/Berlin',
    quality: 3,
    ...overrides,
  }
}

let server: FakeSyncServer
beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory()
  server = new FakeSyncServer()
  server.install()
  await rememberUser(rep)
})
afterEach(async () => {
  localTestHooks.beforeCommit = undefined
  await closeDb()
})

describe('local changes and the outbox', () => {
  it('writes the record and its mutation together', async () => {
    const { id, entry } = await logActivity(visit())
    expect(entry).toMatchObject({ seq: 1, kind: 'activity.create', entity_id: id, user_id: 7 })
    expect(entry.mutation_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(entry.client_id).toBe(await getClientId())
    expect((await listActivities()).map((a) => a.id)).toEqual([id])
    expect(await listOutbox()).toHaveLength(1)
  })

  it('leaves neither the record nor the mutation when the transaction fails', async () => {
    localTestHooks.beforeCommit = () => {
      throw new Error('disk full')
    }
    await expect(logActivity(visit())).rejects.toThrow('disk full')
    localTestHooks.beforeCommit = undefined
    expect(await listActivities()).toEqual([])
    expect(await listOutbox()).toEqual([])
    // The seq was not used up either: the next change is seq 1.
    expect((await logActivity(visit())).entry.seq).toBe(1)
  })

  it('grows seq by exactly 1 across changes, reloads and acknowledged entries', async () => {
    const a = await logActivity(visit())
    await editActivity(a.id, visit({ quality: 5 }))
    await closeDb() // a reload
    await deleteActivity(a.id)
    await syncNow()
    expect(await listOutbox()).toEqual([])
    await closeDb()
    const b = await logActivity(visit())
    expect(b.entry.seq).toBe(4)
    expect(server.pushes.flatMap((p) => p.mutations.map((m) => m.seq))).toEqual([1, 2, 3])
  })

  it('keeps one user outbox through another user signing in on the device', async () => {
    await logActivity(visit())
    await rememberUser({ ...rep, id: 8 })
    expect(await listOutbox()).toEqual([])
    expect((await logActivity(visit())).entry.seq).toBe(1)
    await rememberUser(rep)
    expect((await listOutbox()).map((e) => e.seq)).toEqual([1])
    expect((await logActivity(visit())).entry.seq).toBe(2)
  })
})

describe('push', () => {
  it('sends the outbox in seq order, in batches of at most max_batch, with outbox_size', async () => {
    for (let i = 0; i < 450; i++) await logActivity(visit({ account_name: `A${i}` }))
    expect((await syncNow()).status).toBe('ok')
    expect(server.pushes.map((p) => p.mutations.length)).toEqual([200, 200, 50])
    expect(server.pushes.map((p) => p.outbox_size)).toEqual([450, 250, 50])
    expect(server.pushes[0]!.sent_at).toMatch(/[+-]\d\d:\d\d$/)
    const seqs = server.pushes.flatMap((p) => p.mutations.map((m) => m.seq))
    expect(seqs).toEqual(Array.from({ length: 450 }, (_, i) => i + 1))
    expect(server.live()).toHaveLength(450)
    expect(await listOutbox()).toEqual([])
  })

  it('halves the batch on 413 and retries, keeping order', async () => {
    server.maxBatch = 30
    for (let i = 0; i < 70; i++) await logActivity(visit({ account_name: `A${i}` }))
    expect((await syncNow()).status).toBe('ok')
    const sizes = server.pushes.map((p) => p.mutations.length)
    expect(sizes[0]).toBe(70)
    expect(sizes.slice(1).every((n) => n <= 30)).toBe(true)
    expect(server.live()).toHaveLength(70)
    expect(server.lastSeq.get(await getClientId())).toBe(70)
  })

  it('splits batches to fit the body limit, and sends a mutation that cannot fit as too_large', async () => {
    server.maxBodyBytes = 20_000 // ASCII here, so string length is bytes
    server.maxMutationBytes = 9_000
    for (let i = 0; i < 12; i++) await logActivity(visit({ account_name: `A${i}`, note: 'n'.repeat(1500) }))
    const huge = await logActivity(visit({ account_name: 'Huge', note: 'h'.repeat(2000) }))
    // Grow the stored payload past what the server reads (another client, or a bug): it must not block.
    const database = await db()
    const entry = (await listOutbox()).find((e) => e.mutation_id === huge.entry.mutation_id)!
    const padded = { ...entry.payload, padding: 'p'.repeat(30_000) }
    await database.put('outbox', { ...entry, payload: padded } as unknown as typeof entry)
    await logActivity(visit({ account_name: 'After' }))
    expect((await syncNow()).status).toBe('ok')
    expect(await listOutbox()).toEqual([])
    expect(server.live()).toHaveLength(13)
    const accepted = server.pushes.filter((p) => JSON.stringify(p).length <= server.maxBodyBytes)
    expect(accepted.flatMap((p) => p.mutations.map((m) => m.seq))).toEqual(Array.from({ length: 14 }, (_, i) => i + 1))
    const stub = accepted.flatMap((p) => p.mutations).find((m) => m.seq === 13)!
    expect(stub.too_large).toBe(true)
    expect(stub.payload).toBeNull()
    const attention = await listAttention()
    expect(attention.map((a) => a.code)).toEqual(['too_large'])
    expect((attention[0]!.payload as ActivityFields).note).toBe('h'.repeat(2000)) // the rep's text is kept
  })

  it('never drops an answered entry unheard: a rejection whose answer was lost still reaches needs attention', async () => {
    await logActivity(visit({ account_name: 'Good' }))
    await logActivity(visit({ account_name: 'Bad', activity_type_id: 99 }))
    // The server applied (and rejected) both, but the device never heard; then it is flaky.
    server.push({ client_id: await getClientId(), sent_at: '', mutations: (await listOutbox()).map((e) => ({ ...e, payload: e.payload as unknown as Record<string, unknown> })) })
    server.faults.push({ kind: 'status', status: 500 }, { kind: 'status', status: 500 })
    expect((await syncNow()).status).toBe('retry')
    expect((await listOutbox()).map((e) => e.seq)).toEqual([1, 2]) // kept, not cleared by last_applied_seq
    expect((await syncNow()).status).toBe('ok')
    expect(await listOutbox()).toEqual([])
    expect((await listAttention()).map((a) => a.code)).toEqual(['unknown_activity_type'])
  })

  it('handles applied, duplicate and rejected: drops them all, keeps the rejected one visible', async () => {
    const ok = await logActivity(visit({ account_name: 'Good' }))
    const bad = await logActivity(visit({ account_name: 'Bad', activity_type_id: 99 }))
    // Seq 1 was already applied earlier (its answer got lost): it comes back duplicate.
    server.push({ client_id: await getClientId(), sent_at: '', mutations: [{ ...(await listOutbox())[0]!, payload: visit({ account_name: 'Good' }) as unknown as Record<string, unknown> }] })
    await syncNow()
    expect(await listOutbox()).toEqual([])
    const attention = await listAttention()
    expect(attention).toHaveLength(1)
    expect(attention[0]).toMatchObject({ entity_id: bad.id, code: 'unknown_activity_type', seq: 2 })
    // The rejected create is not counted or listed as a log; the applied one is synced.
    const list = await listActivities()
    expect(list.map((a) => [a.id, a.pending])).toEqual([[ok.id, 0]])
  })

  it('a duplicate whose first answer was rejected lands in needs attention too', async () => {
    await logActivity(visit({ account_name: '' }))
    const entry = (await listOutbox())[0]!
    server.push({ client_id: await getClientId(), sent_at: '', mutations: [{ ...entry, payload: entry.payload as unknown as Record<string, unknown> }] })
    await syncNow()
    expect((await listAttention()).map((a) => a.code)).toEqual(['invalid'])
  })

  it('on a gap resends from the first missing seq', async () => {
    await logActivity(visit({ account_name: 'One' }))
    await logActivity(visit({ account_name: 'Two' }))
    await logActivity(visit({ account_name: 'Three' }))
    // Another context pushed only seq 2..3 first: the server answers gap and applies nothing.
    const outbox = await listOutbox()
    const clientId = await getClientId()
    const answer = server.push({
      client_id: clientId,
      sent_at: '',
      mutations: outbox.slice(1).map((e) => ({ ...e, payload: e.payload as unknown as Record<string, unknown> })),
    })
    expect(answer.results.map((r) => r.status)).toEqual(['gap', 'gap'])
    await syncNow()
    expect(server.live()).toHaveLength(3)
    expect(await listOutbox()).toEqual([])
  })

  it('fills a seq the outbox lost so the queue never sticks behind it', async () => {
    await logActivity(visit({ account_name: 'One' }))
    await logActivity(visit({ account_name: 'Two' }))
    const tx = (await db()).transaction('outbox', 'readwrite')
    await tx.store.delete([7, 1])
    await tx.done
    await syncNow()
    expect(await listOutbox()).toEqual([])
    expect(server.live().map((a) => a.account_name)).toEqual(['Two'])
  })

  it('keeps everything and says signed-out on 401, then resumes', async () => {
    await logActivity(visit())
    server.faults.push({ kind: 'status', status: 401 })
    expect((await syncNow()).status).toBe('signed-out')
    expect(await listOutbox()).toHaveLength(1)
    expect((await syncNow()).status).toBe('ok')
    expect(await listOutbox()).toHaveLength(0)
    expect(server.live()).toHaveLength(1)
  })

  it('honours Retry-After on 503 and 429, keeping the outbox', async () => {
    await logActivity(visit())
    server.faults.push({ kind: 'status', status: 503, headers: { 'Retry-After': '7' } })
    server.faults.push({ kind: 'network' }) // the pull after it
    const busy = await syncNow()
    expect(busy).toMatchObject({ status: 'retry', retryAfterSeconds: 7 })
    expect(delayAfter(busy, 1)).toBe(7000)
    server.faults.push({ kind: 'status', status: 429, headers: { 'Retry-After': '3' } })
    server.faults.push({ kind: 'network' })
    expect(await syncNow()).toMatchObject({ status: 'retry', retryAfterSeconds: 3 })
    expect(await listOutbox()).toHaveLength(1)
    expect((await syncNow()).status).toBe('ok')
    expect(server.live()).toHaveLength(1)
  })

  it('backs off exponentially with jitter on other failures', () => {
    expect(backoffDelay(1, () => 0.5)).toBe(2000)
    expect(backoffDelay(2, () => 0.5)).toBe(4000)
    expect(backoffDelay(4, () => 0.5)).toBe(16000)
    expect(backoffDelay(30, () => 0.5)).toBe(300000)
    expect(backoffDelay(3, () => 0)).toBe(4000)
    expect(backoffDelay(3, () => 0.999)).toBeGreaterThan(11000)
    expect(delayAfter({ status: 'retry', retryAfterSeconds: null, message: '' }, 2, () => 0.5)).toBe(4000)
    expect(delayAfter({ status: 'signed-out' }, 1)).toBeNull()
  })

  it('a lost push answer: the retry is answered duplicate and nothing doubles', async () => {
    await logActivity(visit())
    await logActivity(visit({ account_name: 'Beta' }))
    server.faults.push({ kind: 'lose-response' })
    expect((await syncNow()).status).toBe('offline')
    expect(server.live()).toHaveLength(2) // applied on the server
    expect(await listOutbox()).toHaveLength(2) // unknown here
    expect((await syncNow()).status).toBe('ok')
    expect(server.live()).toHaveLength(2)
    expect(server.pushes.at(-1)!.mutations).toHaveLength(2)
    expect(await listOutbox()).toEqual([])
    expect((await listActivities()).every((a) => a.pending === 0)).toBe(true)
  })

  it('a lost push answer: last_applied_seq from pull clears the acknowledged entries', async () => {
    await logActivity(visit())
    await logActivity(visit({ account_name: 'Beta' }))
    const userId = 7
    const clientId = await getClientId()
    server.faults.push({ kind: 'lose-response' })
    expect((await pushOutbox(userId, clientId)).status).toBe('offline')
    const pulled = await pullChanges(userId, clientId)
    expect(pulled.lastAppliedSeq).toBe(2)
    await clearAcknowledged(userId, pulled.lastAppliedSeq!)
    expect(await listOutbox()).toEqual([])
    const list = await listActivities()
    expect(list).toHaveLength(2)
    expect(list.every((a) => a.pending === 0 && a.server?.version)).toBe(true)
  })
})

describe('pull', () => {
  function serverActivity(id: string, fields: Partial<ActivityFields> = {}) {
    const f = visit(fields)
    server.activities.set(id, {
      record: {
        id,
        version: ++server.version,
        deleted: false,
        activity_type_id: f.activity_type_id,
        account_name: f.account_name,
        outcome: f.outcome,
        quality: f.quality ?? 3,
        occurred_at: new Date(f.occurred_at).toISOString(),
        time_zone: f.time_zone,
        week_start: '2026-11-23',
      },
    })
  }

  it('applies changes and tombstones after the stored cursor, in pages', async () => {
    for (let i = 0; i < 3; i++) serverActivity(`s${i}`, { account_name: `S${i}` })
    await syncNow()
    expect((await listActivities()).map((a) => a.id).sort()).toEqual(['s0', 's1', 's2'])
    const cursor = await (await db()).get('sync_state', 'cursor')
    expect(cursor).toBe(3)
    server.activities.set('s1', { record: { id: 's1', version: ++server.version, deleted: true } })
    serverActivity('s0', { account_name: 'Renamed' })
    await syncNow()
    expect(server.pulls.at(-1)!.get('cursor')).toBe('3')
    const list = await listActivities()
    expect(list.map((a) => a.fields.account_name).sort()).toEqual(['Renamed', 'S2'])
  })

  it('a first sign-in pulls a whole history: every activity once, edits and tombstones applied', async () => {
    // 1,250 changes: three 500-change pages, each applied in many small transactions.
    for (let i = 0; i < 1200; i++) serverActivity(`h${i}`, { account_name: `H${i}` })
    for (let i = 0; i < 40; i++) serverActivity(`h${i * 7}`, { account_name: `Edited ${i * 7}` })
    for (let i = 0; i < 10; i++) server.activities.set(`h${i * 11 + 1}`, { record: { id: `h${i * 11 + 1}`, version: ++server.version, deleted: true } })
    const mine = await logActivity(visit({ account_name: 'Logged meanwhile' }))
    server.faults.push({ kind: 'network' })
    await syncNow() // the push fails: the local log stays pending through the pull below
    const clientId = await getClientId()
    expect((await pullChanges(7, clientId)).result.status).toBe('ok')
    expect(server.pulls.length).toBe(3)
    const list = await listActivities()
    const byId = new Map(list.map((a) => [a.id, a]))
    expect(list).toHaveLength(1200 - 10 + 1)
    expect(byId.get('h7')!.fields.account_name).toBe('Edited 7')
    expect(byId.get('h273')!.fields.account_name).toBe('Edited 273')
    expect(byId.has('h1')).toBe(false)
    expect(byId.has('h100')).toBe(false)
    expect(byId.get('h1199')!.server?.version).toBeGreaterThan(0)
    expect(byId.get(mine.id)!.pending).toBe(1)
  })

  it('keeps local unsynced edits on top of pulled copies', async () => {
    serverActivity('s0', { account_name: 'Server' })
    await syncNow()
    server.faults.push({ kind: 'network' })
    await editActivity('s0', visit({ account_name: 'Mine' }))
    await syncNow() // offline
    serverActivity('s0', { account_name: 'Other device' })
    const clientId = await getClientId()
    await pullChanges(7, clientId)
    expect((await listActivities())[0]!.fields.account_name).toBe('Mine')
    await syncNow()
    expect(server.live()[0]!.account_name).toBe('Mine')
    expect((await listActivities())[0]!.fields.account_name).toBe('Mine')
  })

  it('a snapshot drops synced copies the server no longer lists, keeps pending ones', async () => {
    serverActivity('s0')
    serverActivity('s1')
    await syncNow()
    server.activities.delete('s1') // pruned, tombstone gone
    server.faults.push({ kind: 'network' })
    const mine = await logActivity(visit({ account_name: 'Pending' }))
    await syncNow() // offline: stays pending
    server.snapshotNext = true
    const clientId = await getClientId()
    await pullChanges(7, clientId)
    const ids = (await listActivities()).map((a) => a.id).sort()
    expect(ids).toEqual([mine.id, 's0'].sort())
  })

  it('deletes: hidden at once, removed after the server confirms, never resurrected', async () => {
    const a = await logActivity(visit())
    await syncNow()
    await deleteActivity(a.id)
    expect(await listActivities()).toEqual([])
    await syncNow()
    expect(server.live()).toEqual([])
    expect(await (await db()).get('activities', a.id)).toBeUndefined()
  })
})

describe('needs attention', () => {
  it('fix sends a new mutation (new seq, new id for a rejected create); discard removes it', async () => {
    await logActivity(visit({ activity_type_id: 99, account_name: 'X' }))
    await logActivity(visit({ activity_type_id: 98, account_name: 'Y' }))
    await syncNow()
    const [first, second] = await listAttention()
    const fixed = await fixRejected(first!.mutation_id, visit({ account_name: 'X' }))
    expect(fixed.entry.seq).toBe(3)
    expect(fixed.entry.kind).toBe('activity.create')
    expect(fixed.id).not.toBe(first!.entity_id)
    await discardRejected(second!.mutation_id)
    await syncNow()
    expect(await listAttention()).toEqual([])
    expect(server.live().map((a) => a.account_name)).toEqual(['X'])
  })
})

describe('reflections through the outbox', () => {
  const WEEK = '2026-11-23'
  const reflection = (overrides: Record<string, unknown> = {}) => ({
    week_start: WEEK,
    wins: 'Two new meetings',
    stuck: 'Pricing talks',
    differently: 'Ask about budget first',
    help_wanted: 'A price list for small customers',
    self_rating: 4,
    jottings: [],
    ...overrides,
  })

  it('writes the local record and its reflection.upsert in one transaction', async () => {
    const { reflection: saved, entry } = await saveReflection(reflection())
    expect(entry).toMatchObject({ seq: 1, kind: 'reflection.upsert', entity_id: saved.id, user_id: 7 })
    expect(entry.payload).toEqual({ ...reflection(), jottings: [] })
    expect(await getReflection(WEEK)).toMatchObject({ id: saved.id, pending: 1, fields: { wins: 'Two new meetings' } })
    expect(await listOutbox()).toHaveLength(1)
  })

  it('leaves neither record nor mutation (nor a used seq) when the transaction fails', async () => {
    localTestHooks.beforeCommit = () => {
      throw new Error('disk full')
    }
    await expect(saveReflection(reflection())).rejects.toThrow('disk full')
    localTestHooks.beforeCommit = undefined
    expect(await getReflection(WEEK)).toBeNull()
    expect(await listOutbox()).toEqual([])
    expect((await saveReflection(reflection())).entry.seq).toBe(1)
  })

  it('refuses what the server would reject, before anything is written', async () => {
    await expect(saveReflection(reflection({ wins: 'x'.repeat(2001) }))).rejects.toThrow(/2000/)
    expect(await listOutbox()).toEqual([])
  })

  it('takes the next seq after activity mutations and keeps one entity id per week', async () => {
    const a = await logActivity(visit())
    const first = await saveReflection(reflection())
    await editActivity(a.id, visit({ quality: 5 }))
    const second = await saveReflection(reflection({ wins: 'Three new meetings' }))
    const otherWeek = await saveReflection(reflection({ week_start: '2026-11-16' }))
    expect((await listOutbox()).map((e) => [e.seq, e.kind])).toEqual([
      [1, 'activity.create'],
      [2, 'reflection.upsert'],
      [3, 'activity.update'],
      [4, 'reflection.upsert'],
      [5, 'reflection.upsert'],
    ])
    expect(second.entry.entity_id).toBe(first.entry.entity_id)
    expect(otherWeek.entry.entity_id).not.toBe(first.entry.entity_id)
    expect((await getReflection(WEEK))!.pending).toBe(2)
  })

  it('the engine pushes it with activities in seq order; applied clears it and marks it synced', async () => {
    await logActivity(visit())
    await saveReflection(reflection())
    await logActivity(visit({ account_name: 'Borealis' }))
    expect((await syncNow()).status).toBe('ok')
    expect(server.pushes).toHaveLength(1)
    expect(server.pushes[0]!.mutations.map((m) => [m.seq, m.kind])).toEqual([
      [1, 'activity.create'],
      [2, 'reflection.upsert'],
      [3, 'activity.create'],
    ])
    expect(server.pushes[0]!.mutations[1]!.payload).toMatchObject({ week_start: WEEK, self_rating: 4, jottings: [] })
    expect(await listOutbox()).toEqual([])
    expect(server.reflections.get(WEEK)?.payload).toMatchObject({ wins: 'Two new meetings' })
    const local = await getReflection(WEEK)
    expect(local).toMatchObject({ pending: 0, server: { fields: { wins: 'Two new meetings' } } })
    expect(server.live()).toHaveLength(2)
  })

  it('a lost answer: the retry is answered duplicate and the entry is cleared', async () => {
    await saveReflection(reflection())
    server.faults.push({ kind: 'lose-response' })
    expect((await syncNow()).status).not.toBe('ok')
    expect(await listOutbox()).toHaveLength(1)
    expect((await syncNow()).status).toBe('ok')
    expect(await listOutbox()).toEqual([])
    const statuses = server.pushes.flatMap((p) => p.mutations.map((m) => m.seq))
    expect(statuses).toEqual([1, 1])
    expect((await getReflection(WEEK))!.pending).toBe(0)
  })

  it('rejected goes to needs attention with the message, keeps the text; History does not list it', async () => {
    await saveReflection(reflection({ wins: 'REJECT ME' }))
    await logActivity(visit()) // a later seq still goes through: one bad change never blocks the queue
    await syncNow()
    expect(await listOutbox()).toEqual([])
    expect(await listAttention()).toEqual([])
    const rejected = await listReflectionAttention(WEEK)
    expect(rejected).toHaveLength(1)
    expect(rejected[0]).toMatchObject({ kind: 'reflection.upsert', code: 'invalid', message: 'The reflection is not valid.' })
    expect(rejected[0]!.payload.wins).toBe('REJECT ME')
    expect(await getReflection(WEEK)).toMatchObject({ pending: 0, fields: { wins: 'REJECT ME' } })
    expect(server.live()).toHaveLength(1)
  })

  it('saving again replaces the rejected one; discarding goes back to the server copy', async () => {
    await saveReflection(reflection())
    await syncNow()
    await saveReflection(reflection({ wins: 'REJECT ME' }))
    await syncNow()
    const [item] = await listReflectionAttention()
    expect(item).toBeDefined()
    await discardRejectedReflection(item!.mutation_id)
    expect(await listReflectionAttention()).toEqual([])
    expect((await getReflection(WEEK))!.fields.wins).toBe('Two new meetings')

    await saveReflection(reflection({ wins: 'REJECT ME' }))
    await syncNow()
    expect(await listReflectionAttention()).toHaveLength(1)
    await saveReflection(reflection({ wins: 'Fixed it' }))
    expect(await listReflectionAttention()).toEqual([]) // the new save supersedes it
    await syncNow()
    expect(server.reflections.get(WEEK)?.payload.wins).toBe('Fixed it')
  })

  it('discarding a rejected first save with no server copy removes the local one', async () => {
    await saveReflection(reflection({ wins: 'REJECT ME' }))
    await syncNow()
    const [item] = await listReflectionAttention()
    await discardRejectedReflection(item!.mutation_id)
    expect(await getReflection(WEEK)).toBeNull()
  })

  it('the server copy replaces the local one only when nothing local is waiting', async () => {
    const serverCopy = {
      id: '5d4c0f0e-7a42-4a55-9a2b-1b0f1c2d3e4f',
      user_id: 7,
      week_start: WEEK,
      wins: 'From the tablet',
      stuck: '',
      differently: '',
      help_wanted: '',
      self_rating: 3,
      jottings: ['note'],
      updated_at: '2026-11-25T10:00:00Z',
    }
    expect(await rememberServerReflection(WEEK, serverCopy)).toMatchObject({ id: serverCopy.id, pending: 0, fields: { wins: 'From the tablet' } })
    // The next save keeps the server's id and builds on its text.
    const jotted = await appendJotting(WEEK, 'Ask for referrals')
    expect(jotted.entry.entity_id).toBe(serverCopy.id)
    expect(jotted.reflection.fields.jottings).toEqual(['note', 'Ask for referrals'])
    // While that is waiting, a server read does not overwrite it.
    await rememberServerReflection(WEEK, { ...serverCopy, wins: 'Older text' })
    expect((await getReflection(WEEK))!.fields).toMatchObject({ wins: 'From the tablet', jottings: ['note', 'Ask for referrals'] })
  })

  it('survives another person signing in: the unsent text comes back from the outbox', async () => {
    await saveReflection(reflection())
    await rememberUser({ ...rep, id: 8, email: 'other@demo.test' })
    expect(await getReflection(WEEK)).toBeNull() // not theirs
    await rememberUser(rep)
    expect(await getReflection(WEEK)).toMatchObject({ pending: 1, fields: { wins: 'Two new meetings' } })
    await syncNow()
    expect(server.reflections.get(WEEK)?.payload.wins).toBe('Two new meetings')
  })
})
