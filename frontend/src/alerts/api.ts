// The manager alerts endpoints (docs/api.md, "Manager alerts"), typed with the generated contract.
import type { AlertCount, AlertInbox, AlertSettings, MarkAlertsRead, UpdateAlertSettings } from '@contract/types'
import { apiRequest } from '../api/client'

export const alertsApi = {
  settings: () => apiRequest<AlertSettings>('GET', '/api/me/alert-settings'),
  saveSettings: (body: UpdateAlertSettings) => apiRequest<AlertSettings>('PUT', '/api/me/alert-settings', body),
  inbox: () => apiRequest<AlertInbox>('GET', '/api/me/alerts'),
  unread: () => apiRequest<AlertCount>('GET', '/api/me/alerts/unread'),
  markRead: (body: MarkAlertsRead) => apiRequest<AlertCount>('POST', '/api/me/alerts/read', body),
}
