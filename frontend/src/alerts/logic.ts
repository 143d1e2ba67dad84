// Pure helpers of the alerts screens (tested in frontend/tests/alerts.test.ts).
import type { ManagerAlert, UpdateAlertSettings } from '@contract/types'

export const DIGEST_KINDS: { key: 'plans' | 'reflections' | 'help' | 'commitments'; label: string }[] = [
  { key: 'plans', label: 'A plan committed or changed' },
  { key: 'reflections', label: 'A reflection written (before your 1:1)' },
  { key: 'help', label: 'A rep asks for help or replies on a plan' },
  { key: 'commitments', label: 'Commitments from a 1:1 due that day' },
]

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/

/** The same checks as the server, before sending: field name -> what to fix. */
export function digestProblems(value: UpdateAlertSettings): Record<string, string> {
  const problems: Record<string, string> = {}
  if (!TIME.test(value.pace_time)) problems.pace_time = 'Enter a time like 11:00.'
  if (!TIME.test(value.digest_time)) problems.digest_time = 'Enter a time like 13:00.'
  const anyDigest = DIGEST_KINDS.some((k) => value[k.key])
  if (anyDigest && value.digest_days.length === 0) problems.digest_days = 'Pick at least one day.'
  return problems
}

/** "Wed 25 Nov, 11:00": the manager's own day and time the alert is for. */
export function alertWhen(alert: Pick<ManagerAlert, 'local_date' | 'wall_time'>): string {
  const [y, m, d] = alert.local_date.split('-').map(Number) as [number, number, number]
  const day = new Date(Date.UTC(y, m - 1, d))
  const words = day.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
  return `${words}, ${alert.wall_time}`
}

/** The unread ids among these alerts (what "Mark all read" sends). */
export function unreadIds(alerts: ManagerAlert[]): number[] {
  return alerts.filter((a) => a.read_at == null).map((a) => a.id)
}
