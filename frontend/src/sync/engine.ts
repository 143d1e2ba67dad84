// Push and pull, exactly as docs/sync-protocol.md says. No Preact and no DOM: the page and
// the service worker (Background Sync) run this same code. Scheduling (timers, backoff,
// triggers) is the caller's job; this module reports what happened and when to try again.
import type { ActivityFields, ActivityRecord, Mutation, MutationResult, PushResponse } from '@contract/types'
import { ApiError, OfflineError } from '../api/client'
import { syncApi } from '../api/sync'
import {
  db,
  getClientId,
  type ActivityMutationKind,
  type AnyAttentionEntry,
  type LocalActivity,
  type LocalReflection,
  type OutboxEntry,
} from '../db'
import { notifyLocalChange } from './events'
import { listOutbox, outboxSize, weekStartOf } from './local'

export const MAX_BATCH = 200
/** The server's size limits until it tells its own (push answers and 413s carry them). */
export const MAX_BODY_BYTES = 1024 * 1024
export const MAX_MUTATION_BYTES = 256 * 1024
/** Room left in a body for everything but the mutations (client_id, sent_at, ...). */
const ENVELOPE_BYTES = 1024
export const PULL_LIMIT = 500
const LOCK_NAME = 'followthrough-sync'

export type SyncResult =
  | { status: 'ok' }
  /** Nobody is signed in on this device (no owner): nothing to do. */
  | { status: 'no-user' }
  /** No answer from the server. */
  | { status: 'offline' }
  /** 401: keep everything and wait for sign-in. */
  | { status: 'signed-out' }
  /** 403: this account cannot sync (not a rep). */
  | { status: 'forbidden'; message: string }
  /** Try again later; `retryAfterSeconds` from the server when it said (503/429). */
  | { status: 'retry'; retryAfterSeconds: number | null; message: string }

/** Serialize syncs: across tabs and the service worker with Web Locks, else in this context. */
let localChain: Promise<unknown> = Promise.resolve()
export function withSyncLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  if (locks?.request) return locks.request(LOCK_NAME, () => run()) as Promise<T>
  const next = localChain.then(run, run)
  localChain = next.catch(() => undefined)
  return next
}

/** An ISO instant with the device's own UTC offset, e.g. 2026-11-25T10:02:11+01:00. */
export function isoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  const pad = (n: number) => String(n).padStart(2, '0')
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}

async function ownerId(): Promise<number | null> {
  return ((await (await db()).get('device', 'owner_user_id')) as number | undefined) ?? null
}

function toMutation(entry: OutboxEntry): Mutation {
  return {
    mutation_id: entry.mutation_id,
    seq: entry.seq,
    kind: entry.kind,
    entity_id: entry.entity_id,
    payload: entry.payload as unknown as Record<string, unknown> | null,
  }
}

const encoder = new TextEncoder()
function bytesOf(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length
}

/**
 * A mutation as sent. One whose JSON is over the server's per-mutation limit (or that alone
 * was refused with 413) goes as a stub: the server answers `rejected` `too_large`, so it
 * never blocks the queue, and the rep finds it in "needs attention" with their text kept.
 */
function toWire(entry: OutboxEntry, maxMutationBytes: number, oversize: Set<number>): Mutation {
  const mutation = toMutation(entry)
  if (oversize.has(entry.seq) || bytesOf(mutation) > maxMutationBytes) {
    return { mutation_id: entry.mutation_id, seq: entry.seq, kind: entry.kind, entity_id: entry.entity_id, payload: null, too_large: true }
  }
  return mutation
}

/** The longest prefix (at least one) whose body stays within the server's body limit. */
function fitting(mutations: Mutation[], maxBodyBytes: number): Mutation[] {
  let size = ENVELOPE_BYTES
  for (let i = 0; i < mutations.length; i++) {
    size += bytesOf(mutations[i]) + 1
    if (size > maxBodyBytes) return mutations.slice(0, Math.max(1, i))
  }
  return mutations
}

function positive(value: unknown): number | null {
  const n = Number(value)
  return Number.isFinite(n) && n > 0 ? n : null
}

function failure(error: unknown): SyncResult {
  if (error instanceof OfflineError) return { status: 'offline' }
  if (error instanceof ApiError) {
    if (error.status === 401) return { status: 'signed-out' }
    if (error.status === 403) return { status: 'forbidden', message: error.detail }
    return { status: 'retry', retryAfterSeconds: error.retryAfter, message: error.detail }
  }
  return { status: 'retry', retryAfterSeconds: null, message: error instanceof Error ? error.message : String(error) }
}

/** After the last answer for an activity, show the server's copy (or nothing if it has none). */
function settle(record: LocalActivity): LocalActivity | null {
  if (record.pending > 0) return record
  if (!record.server) return null
  return {
    ...record,
    fields: record.server.fields,
    deleted: false,
    week_start: record.server.week_start ?? weekStartOf(record.server.fields.occurred_at, record.server.fields.time_zone),
  }
}

/**
 * Apply one push answer: drop outbox entries answered terminally (applied, duplicate,
 * rejected), keep rejected ones in "needs attention", stop at a gap. Returns the seqs
 * answered `gap` (still in the outbox).
 */
export async function applyPushResults(userId: number, response: PushResponse, now = new Date()): Promise<number[]> {
  const tx = (await db()).transaction(['outbox', 'activities', 'attention', 'sync_state', 'seqs', 'reflections'], 'readwrite')
  const outbox = tx.objectStore('outbox')
  const activities = tx.objectStore('activities')
  const reflections = tx.objectStore('reflections')
  const gaps: number[] = []
  const results = [...response.results].sort((a, b) => a.seq - b.seq)
  for (const result of results) {
    if (result.status === 'gap') {
      gaps.push(result.seq)
      continue
    }
    const entry = await outbox.get([userId, result.seq])
    if (!entry || entry.mutation_id !== result.mutation_id) continue // answered already (another tab)
    await outbox.delete([userId, result.seq])
    const outcome = terminalStatus(result)
    if (outcome === 'rejected') {
      const item = {
        user_id: userId,
        mutation_id: entry.mutation_id,
        seq: entry.seq,
        kind: entry.kind,
        entity_id: entry.entity_id,
        payload: entry.payload,
        code: result.code ?? 'rejected',
        message: result.message ?? 'The server did not accept this change.',
        rejected_at: now.toISOString(),
      } as AnyAttentionEntry
      await tx.objectStore('attention').put(item)
    }
    if (entry.kind === 'reflection.upsert') {
      // The server keeps one reflection per rep and week: the last write wins. The rep's
      // text stays on the device either way (a rejected one waits in "needs attention").
      const record = await reflections.get([userId, entry.payload.week_start])
      if (!record) continue
      const next: LocalReflection = { ...record, pending: Math.max(0, record.pending - 1) }
      if (outcome === 'applied') next.server = { fields: entry.payload, updated_at: now.toISOString() }
      await reflections.put(next)
      continue
    }
    const record = await activities.get(entry.entity_id)
    if (!record) continue
    let next: LocalActivity = { ...record, pending: Math.max(0, record.pending - 1) }
    if (outcome === 'applied') {
      if (entry.kind === 'activity.delete') next.server = null
      else if (entry.payload) {
        next.server = {
          fields: entry.payload,
          version: null,
          week_start: weekStartOf(entry.payload.occurred_at, entry.payload.time_zone),
          late: record.server?.late ?? false,
        }
      }
    }
    const settled = settle(next)
    if (settled) await activities.put(settled)
    else await activities.delete(record.id)
  }
  const state = tx.objectStore('sync_state')
  await state.put(response.clock_skew_seconds, 'clock_skew_seconds')
  await state.put(response.max_batch, 'max_batch')
  if (response.max_body_bytes) await state.put(response.max_body_bytes, 'max_body_bytes')
  if (response.max_mutation_bytes) await state.put(response.max_mutation_bytes, 'max_mutation_bytes')
  await state.put(now.toISOString(), 'last_synced_at')
  await healSeq(tx.objectStore('seqs'), userId, response.last_applied_seq)
  await tx.done
  notifyLocalChange()
  return gaps
}

/** Never hand out a seq the server has already seen (it would be a silent "duplicate"). */
async function healSeq(
  seqs: { get(key: number): Promise<number | undefined>; put(value: number, key: number): Promise<unknown> },
  userId: number,
  lastApplied: number,
): Promise<void> {
  const current = (await seqs.get(userId)) ?? 0
  if (lastApplied > current) await seqs.put(lastApplied, userId)
}

function terminalStatus(result: MutationResult): 'applied' | 'rejected' {
  if (result.status === 'rejected') return 'rejected'
  if (result.status === 'duplicate' && result.first_status === 'rejected') return 'rejected'
  return 'applied'
}

/** Push the whole outbox of the signed-in user, in seq order, in batches. */
export async function pushOutbox(userId: number, clientId: string, now: () => Date = () => new Date()): Promise<SyncResult> {
  const database = await db()
  const stored = (await database.get('sync_state', 'max_batch')) as number | undefined
  let batchSize = Math.max(1, Math.min(MAX_BATCH, stored ?? MAX_BATCH))
  let maxBody = positive(await database.get('sync_state', 'max_body_bytes')) ?? MAX_BODY_BYTES
  let maxMutation = positive(await database.get('sync_state', 'max_mutation_bytes')) ?? MAX_MUTATION_BYTES
  const oversize = new Set<number>() // seqs the server could not even read alone: sent as stubs
  let lastGapSeq: number | null = null
  for (;;) {
    const entries = await listOutbox(userId)
    if (entries.length === 0) return { status: 'ok' }
    const batch = fitting(entries.slice(0, batchSize).map((e) => toWire(e, maxMutation, oversize)), maxBody)
    let response: PushResponse
    try {
      response = await syncApi.push({
        client_id: clientId,
        sent_at: isoWithOffset(now()),
        outbox_size: entries.length,
        mutations: batch,
      })
    } catch (error) {
      if (error instanceof ApiError && error.status === 413) {
        // Split as the answer says (docs/sync-protocol.md): fewer mutations, a smaller body;
        // a lone mutation that is still too big goes as a too_large stub.
        maxBody = Math.min(maxBody, positive(error.extra?.max_body_bytes) ?? maxBody)
        maxMutation = Math.min(maxMutation, positive(error.extra?.max_mutation_bytes) ?? maxMutation)
        const max = positive(error.extra?.max_batch)
        if (batch.length <= 1) {
          const only = batch[0]!
          if (only.too_large) return { status: 'retry', retryAfterSeconds: null, message: error.detail }
          oversize.add(only.seq)
          continue
        }
        const half = Math.floor(batch.length / 2)
        // Too many mutations: the server's count; too many bytes (or no hint): half.
        batchSize = Math.max(1, max !== null && max < batch.length ? max : half)
        continue
      }
      return failure(error)
    }
    const gaps = await applyPushResults(userId, response, now())
    if (gaps.length > 0) {
      // Resend from the first missing seq. If the outbox no longer holds it (it never
      // should), fill the hole with a no-op the server rejects as unknown_kind, which
      // still advances its seq, so the queue can never be stuck behind it.
      const missing = response.last_applied_seq + 1
      if (lastGapSeq === missing) return { status: 'retry', retryAfterSeconds: null, message: 'Sync gap persists.' }
      lastGapSeq = missing
      const first = (await listOutbox(userId))[0]
      if (first && first.seq > missing) await fillGap(userId, clientId, missing, first.seq - 1, now())
      continue
    }
    lastGapSeq = null
    if (response.max_batch > 0) batchSize = Math.min(batchSize, response.max_batch)
  }
}

async function fillGap(userId: number, clientId: string, from: number, to: number, now: Date): Promise<void> {
  const tx = (await db()).transaction('outbox', 'readwrite')
  for (let seq = from; seq <= to; seq++) {
    const entity = crypto.randomUUID()
    await tx.store.put({
      user_id: userId,
      seq,
      mutation_id: crypto.randomUUID(),
      client_id: clientId,
      kind: 'sync.noop' as ActivityMutationKind,
      entity_id: entity,
      payload: null,
      created_at: now.toISOString(),
    })
  }
  await tx.done
}

function fieldsOf(change: ActivityRecord): ActivityFields {
  return {
    activity_type_id: change.activity_type_id ?? 0,
    account_name: change.account_name ?? '',
    outcome: change.outcome ?? 'next_step',
    occurred_at: change.occurred_at ?? '',
    time_zone: change.time_zone ?? 'UTC',
    quality: change.quality ?? 3,
    note: change.note ?? '',
    next_step: change.next_step ?? '',
    follow_up_on: change.follow_up_on ?? null,
    deal_value: change.deal_value ?? null,
  }
}

/**
 * Changes applied per IndexedDB transaction. A first sign-in pulls the rep's whole history;
 * small transactions with a yield between them keep every main-thread task short, so the
 * screen stays responsive while it fills in.
 */
const APPLY_CHUNK = 100

/** Let input and rendering run between chunks. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

/** Apply one page of pulled changes; local changes not yet pushed stay on top. */
export async function applyPulledChanges(changes: ActivityRecord[], seen?: Set<string>): Promise<void> {
  for (let start = 0; start < changes.length; start += APPLY_CHUNK) {
    if (start > 0) await yieldToEventLoop()
    await applyChunk(changes.slice(start, start + APPLY_CHUNK), seen)
  }
}

/** The record a pulled change leaves behind, or null to delete it, or undefined to leave it. */
function pulledRecord(record: LocalActivity | undefined, change: ActivityRecord): LocalActivity | null | undefined {
  if (record?.server?.version != null && record.server.version > change.version) return undefined // stale
  if (change.deleted) {
    if (!record) return undefined
    return record.pending > 0 ? { ...record, server: null } : null
  }
  const fields = fieldsOf(change)
  const server = {
    fields,
    version: change.version,
    week_start: change.week_start ?? weekStartOf(fields.occurred_at, fields.time_zone),
    late: change.late ?? false,
  }
  if (record && record.pending > 0) return { ...record, server }
  return {
    id: change.id,
    fields,
    deleted: false,
    week_start: server.week_start,
    pending: 0,
    server,
    changed_at: record?.changed_at ?? change.updated_at ?? new Date().toISOString(),
  }
}

async function applyChunk(changes: ActivityRecord[], seen?: Set<string>): Promise<void> {
  const tx = (await db()).transaction('activities', 'readwrite')
  // Every read is queued at once and every write without waiting for the one before:
  // requests in a transaction run in order, and one round trip each made a 500-change page
  // take half a second of main-thread time.
  const ids = [...new Set(changes.map((change) => change.id))]
  const stored = await Promise.all(ids.map((id) => tx.store.get(id)))
  const current = new Map<string, LocalActivity | undefined>(ids.map((id, index) => [id, stored[index]]))
  const writes: Promise<unknown>[] = []
  for (const change of changes) {
    seen?.add(change.id)
    const next = pulledRecord(current.get(change.id), change)
    if (next === undefined) continue
    current.set(change.id, next ?? undefined)
    writes.push(next === null ? tx.store.delete(change.id) : tx.store.put(next))
  }
  await Promise.all([...writes, tx.done])
}

/** A snapshot lists every live activity: synced local copies it did not list are gone. */
async function dropUnlisted(seen: Set<string>): Promise<void> {
  const tx = (await db()).transaction('activities', 'readwrite')
  for (const record of await tx.store.getAll()) {
    if (seen.has(record.id)) continue
    if (record.pending > 0) {
      if (record.server) await tx.store.put({ ...record, server: null })
    } else {
      await tx.store.delete(record.id)
    }
  }
  await tx.done
}

export interface PullOutcome {
  result: SyncResult
  lastAppliedSeq: number | null
}

/** Pull every page after the stored cursor. */
export async function pullChanges(userId: number, clientId: string, now: () => Date = () => new Date()): Promise<PullOutcome> {
  const database = await db()
  let cursor = ((await database.get('sync_state', 'cursor')) as number | undefined) ?? 0
  let seen: Set<string> | null = null
  let lastAppliedSeq: number | null = null
  for (;;) {
    let page
    try {
      page = await syncApi.pull({
        client_id: clientId,
        cursor,
        limit: PULL_LIMIT,
        outbox_size: await outboxSize(userId),
      })
    } catch (error) {
      return { result: failure(error), lastAppliedSeq }
    }
    if (page.snapshot) seen = new Set()
    lastAppliedSeq = page.last_applied_seq
    await applyPulledChanges(page.changes, seen ?? undefined)
    cursor = page.cursor
    // During a snapshot the cursor is stored only at its end, so an interrupted snapshot
    // starts over instead of leaving deleted activities behind.
    if (!seen || !page.has_more) {
      if (seen && !page.has_more) await dropUnlisted(seen)
      const tx = (await db()).transaction(['sync_state', 'seqs'], 'readwrite')
      await tx.objectStore('sync_state').put(cursor, 'cursor')
      if (!page.has_more) {
        await tx.objectStore('sync_state').put(true, 'pulled')
        await tx.objectStore('sync_state').put(now().toISOString(), 'last_synced_at')
      }
      await healSeq(tx.objectStore('seqs'), userId, page.last_applied_seq)
      await tx.done
    }
    notifyLocalChange()
    if (!page.has_more) return { result: { status: 'ok' }, lastAppliedSeq }
  }
}

/**
 * Outbox entries at or below the server's last applied seq were answered in a push whose
 * response got lost. Learn their real result by pushing them again (the server answers
 * `duplicate` with the first status, so a rejection still reaches "needs attention"); if
 * even that is impossible, drop them as acknowledged — the pull already brought the
 * server's copy of those activities.
 */
/**
 * Drop outbox entries up to the server's last applied seq without hearing their answers.
 * Not used by syncNow: an entry the server rejected would vanish without "needs attention";
 * sending them again (answered `duplicate` with the first result) is the safe way.
 */
export async function clearAcknowledged(userId: number, lastAppliedSeq: number): Promise<void> {
  const stale = (await listOutbox(userId)).filter((entry) => entry.seq <= lastAppliedSeq)
  if (stale.length === 0) return
  const tx = (await db()).transaction(['outbox', 'activities', 'reflections'], 'readwrite')
  for (const entry of stale) {
    await tx.objectStore('outbox').delete([userId, entry.seq])
    if (entry.kind === 'reflection.upsert') {
      const reflection = await tx.objectStore('reflections').get([userId, entry.payload.week_start])
      if (reflection) await tx.objectStore('reflections').put({ ...reflection, pending: Math.max(0, reflection.pending - 1) })
      continue
    }
    const record = await tx.objectStore('activities').get(entry.entity_id)
    if (!record) continue
    const next: LocalActivity = { ...record, pending: Math.max(0, record.pending - 1) }
    if (entry.kind === 'activity.delete' && next.pending === 0) next.server = null
    const settled = settle(next)
    if (settled) await tx.objectStore('activities').put(settled)
    else await tx.objectStore('activities').delete(record.id)
  }
  await tx.done
  notifyLocalChange()
}

/** One full sync: push the outbox, then pull. Serialized across tabs and the worker. */
export function syncNow(now: () => Date = () => new Date()): Promise<SyncResult> {
  return withSyncLock(async () => {
    const userId = await ownerId()
    if (userId === null) return { status: 'no-user' } as SyncResult
    const clientId = await getClientId()
    const pushed = await pushOutbox(userId, clientId, now)
    if (pushed.status !== 'ok') {
      // A push that failed may have been lost after the server applied it: a pull still
      // tells us (last_applied_seq), but only when the server is reachable and we are in.
      if (pushed.status === 'signed-out' || pushed.status === 'offline' || pushed.status === 'forbidden') return pushed
    }
    const pulled = await pullChanges(userId, clientId, now)
    if (pulled.result.status !== 'ok') {
      const stop = pulled.result.status === 'signed-out' || pulled.result.status === 'forbidden'
      return stop || pushed.status === 'ok' ? pulled.result : pushed
    }
    if (pulled.lastAppliedSeq !== null) {
      // Entries the server answered but whose answer was lost: sent again, they come back
      // `duplicate` with their first result, so a rejection is heard, never dropped unseen.
      // If that push fails too they stay for the next sync (clearAcknowledged would drop
      // a rejected one silently).
      const stale = (await listOutbox(userId)).some((entry) => entry.seq <= pulled.lastAppliedSeq!)
      if (stale) await pushOutbox(userId, clientId, now)
    }
    return pushed
  })
}

/** The stored sync facts for the status indicator. */
export async function readSyncState(): Promise<{
  lastSyncedAt: string | null
  clockSkewSeconds: number | null
  pulled: boolean
}> {
  const database = await db()
  return {
    lastSyncedAt: ((await database.get('sync_state', 'last_synced_at')) as string | undefined) ?? null,
    clockSkewSeconds: ((await database.get('sync_state', 'clock_skew_seconds')) as number | undefined) ?? null,
    pulled: (await database.get('sync_state', 'pulled')) === true,
  }
}
