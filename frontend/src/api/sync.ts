// The sync endpoints (docs/sync-protocol.md). Used by the page and the service worker.
import type { PullResponse, PushRequest, PushResponse } from '@contract/types'
import { apiRequest } from './client'

export const syncApi = {
  push: (body: PushRequest) => apiRequest<PushResponse>('POST', '/api/sync/push', body),
  pull: (query: { client_id: string; cursor: number; limit?: number; outbox_size?: number }) => {
    const params = new URLSearchParams({ client_id: query.client_id, cursor: String(query.cursor) })
    if (query.limit !== undefined) params.set('limit', String(query.limit))
    if (query.outbox_size !== undefined) params.set('outbox_size', String(query.outbox_size))
    return apiRequest<PullResponse>('GET', `/api/sync/pull?${params.toString()}`)
  },
}
