// The push endpoints (docs/api.md, "Push reminders"), typed with the generated contract.
import type {
  NextReminder,
  PushDevice,
  PushPublicKey,
  PushSubscriptionInput,
  RemoveSubscription,
  TestPushResult,
} from '@contract/types'
import { apiRequest } from '../api/client'

export const pushApi = {
  publicKey: () => apiRequest<PushPublicKey>('GET', '/api/push/public-key'),
  devices: () => apiRequest<PushDevice[]>('GET', '/api/push/subscriptions'),
  subscribe: (body: PushSubscriptionInput) => apiRequest<PushDevice>('POST', '/api/push/subscriptions', body),
  remove: (body: RemoveSubscription) => apiRequest<void>('POST', '/api/push/subscriptions/remove', body),
  test: () => apiRequest<TestPushResult>('POST', '/api/push/test'),
  next: () => apiRequest<NextReminder | null>('GET', '/api/push/next'),
}
