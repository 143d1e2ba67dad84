// A small in-memory stand-in for the server side of docs/sync-protocol.md, behind a mocked
// fetch, so the sync client can be tested against the rules (and made to fail).
import type { ActivityRecord, Mutation, MutationResult, PushRequest } from '@contract/types'

interface StoredActivity {
  record: ActivityRecord
}

type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'network' }
  /** Apply the push, then lose the answer. */
  | { kind: 'lose-response' }

export class FakeSyncServer {
  lastSeq = new Map<string, number>()
  firstResults = new Map<string, MutationResult>()
  activities = new Map<string, StoredActivity>()
  /** reflection.upsert, kept per week (one rep per fake server): the last write wins. */
  reflections = new Map<string, { id: string; payload: Record<string, unknown> }>()
  version = 0
  typeIds = new Set([1, 2, 3])
  maxBatch = 200
  maxBodyBytes = 1024 * 1024
  maxMutationBytes = 256 * 1024
  faults: Fault[] = []
  pushes: PushRequest[] = []
  pulls: URLSearchParams[] = []
  /** Answer pull with snapshot=true once. */
  snapshotNext = false
  clockSkew = 0

  key(clientId: string, seq: number): string {
    return `${clientId}:${seq}`
  }

  install(): void {
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => this.handle(String(input), init)) as typeof fetch
  }

  private json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
  }

  async handle(url: string, init?: RequestInit): Promise<Response> {
    const fault = this.faults.shift()
    if (fault?.kind === 'network') throw new TypeError('Failed to fetch')
    if (fault?.kind === 'status') {
      return this.json(fault.status, fault.body ?? { status_code: fault.status, detail: `HTTP ${fault.status}` }, fault.headers)
    }
    if (url.startsWith('/api/sync/push')) {
      const headers = init?.headers as Record<string, string>
      if (headers['X-Followthrough'] !== '1') return this.json(403, { detail: 'CSRF' })
      const body = JSON.parse(String(init?.body)) as PushRequest
      this.pushes.push(body)
      if (String(init?.body).length > this.maxBodyBytes) {
        const extra = { max_batch: this.maxBatch, max_body_bytes: this.maxBodyBytes, max_mutation_bytes: this.maxMutationBytes }
        return this.json(413, { status_code: 413, detail: 'Body too big', extra })
      }
      if (body.mutations.length > this.maxBatch) {
        return this.json(413, { status_code: 413, detail: 'Batch too big', extra: { max_batch: this.maxBatch } })
      }
      const answer = this.push(body)
      if (fault?.kind === 'lose-response') throw new TypeError('Network connection lost')
      return this.json(200, answer)
    }
    if (url.startsWith('/api/sync/pull')) {
      const params = new URLSearchParams(url.split('?')[1])
      this.pulls.push(params)
      const answer = this.pull(params)
      if (fault?.kind === 'lose-response') throw new TypeError('Network connection lost')
      return this.json(200, answer)
    }
    return this.json(404, { detail: 'Not found' })
  }

  push(body: PushRequest) {
    const clientId = body.client_id
    const results: MutationResult[] = []
    let stopped = false
    for (const m of [...body.mutations].sort((a, b) => a.seq - b.seq)) {
      const last = this.lastSeq.get(clientId) ?? 0
      if (stopped || m.seq > last + 1) {
        stopped = true
        results.push({ seq: m.seq, mutation_id: m.mutation_id, status: 'gap' })
        continue
      }
      if (m.seq <= last) {
        const first = this.firstResults.get(this.key(clientId, m.seq))!
        results.push({
          seq: m.seq,
          mutation_id: m.mutation_id,
          status: 'duplicate',
          first_status: first.status as 'applied' | 'rejected',
          code: first.code ?? null,
          message: first.message ?? null,
        })
        continue
      }
      const result = this.apply(m)
      this.firstResults.set(this.key(clientId, m.seq), result)
      this.lastSeq.set(clientId, m.seq)
      results.push(result)
    }
    return {
      last_applied_seq: this.lastSeq.get(clientId) ?? 0,
      results,
      clock_skew_seconds: this.clockSkew,
      max_batch: this.maxBatch,
      max_body_bytes: this.maxBodyBytes,
      max_mutation_bytes: this.maxMutationBytes,
    }
  }

  private apply(m: Mutation): MutationResult {
    const reject = (code: string, message: string): MutationResult => ({
      seq: m.seq,
      mutation_id: m.mutation_id,
      status: 'rejected',
      code,
      message,
    })
    if (m.too_large) return reject('too_large', 'This change is too large to sync.')
    if (m.kind === 'reflection.upsert') {
      const p = (m.payload ?? {}) as Record<string, unknown>
      const week = String(p.week_start ?? '')
      if (!/^\d{4}-\d{2}-\d{2}$/.test(week)) return reject('invalid', 'The reflection is not valid: week_start is required.')
      if (String(p.wins ?? '').length > 2000) return reject('invalid', 'Wins: at most 2000 characters.')
      if (String(p.wins ?? '') === 'REJECT ME') return reject('invalid', 'The reflection is not valid.')
      const id = this.reflections.get(week)?.id ?? m.entity_id
      this.reflections.set(week, { id, payload: p })
      return { seq: m.seq, mutation_id: m.mutation_id, status: 'applied' }
    }
    const existing = this.activities.get(m.entity_id)
    if (m.kind === 'activity.delete') {
      if (!existing?.record.deleted) {
        this.activities.set(m.entity_id, {
          record: { id: m.entity_id, version: ++this.version, deleted: true, updated_at: new Date().toISOString() },
        })
      }
      return { seq: m.seq, mutation_id: m.mutation_id, status: 'applied' }
    }
    if (m.kind !== 'activity.create' && m.kind !== 'activity.update') return reject('unknown_kind', 'Unknown kind.')
    const p = (m.payload ?? {}) as Record<string, unknown>
    if (!p.account_name) return reject('invalid', 'The activity is not valid: account_name is required.')
    if (!this.typeIds.has(Number(p.activity_type_id))) return reject('unknown_activity_type', 'Not one of your team types.')
    if (existing?.record.deleted) return reject('deleted', 'This activity was deleted.')
    if (m.kind === 'activity.create' && existing) return reject('already_exists', 'Exists.')
    if (m.kind === 'activity.update' && !existing) return reject('not_found', 'Not found.')
    this.activities.set(m.entity_id, {
      record: {
        id: m.entity_id,
        version: ++this.version,
        deleted: false,
        activity_type_id: Number(p.activity_type_id),
        account_name: String(p.account_name),
        outcome: p.outcome as ActivityRecord['outcome'],
        quality: Number(p.quality ?? 3),
        note: String(p.note ?? ''),
        next_step: String(p.next_step ?? ''),
        follow_up_on: (p.follow_up_on as string | null) ?? null,
        deal_value: (p.deal_value as number | null) ?? null,
        occurred_at: new Date(String(p.occurred_at)).toISOString(),
        time_zone: String(p.time_zone),
        late: false,
        updated_at: new Date().toISOString(),
      },
    })
    return { seq: m.seq, mutation_id: m.mutation_id, status: 'applied' }
  }

  pull(params: URLSearchParams) {
    const clientId = params.get('client_id') ?? ''
    let cursor = Number(params.get('cursor') ?? 0)
    const limit = Number(params.get('limit') ?? 500)
    const snapshot = this.snapshotNext
    this.snapshotNext = false
    if (snapshot) cursor = 0
    const rows = [...this.activities.values()]
      .map((a) => a.record)
      .filter((r) => r.version > cursor && (!snapshot || !r.deleted))
      .sort((a, b) => a.version - b.version)
    const page = rows.slice(0, limit)
    return {
      cursor: page.length ? page[page.length - 1]!.version : snapshot ? 0 : cursor,
      changes: page,
      has_more: rows.length > limit,
      snapshot,
      last_applied_seq: this.lastSeq.get(clientId) ?? 0,
    }
  }

  live(): ActivityRecord[] {
    return [...this.activities.values()].map((a) => a.record).filter((r) => !r.deleted)
  }
}
