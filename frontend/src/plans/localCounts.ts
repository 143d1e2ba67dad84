// This device's counts for a week (logs not yet synced included), from the sync module.
import type { ActivityType } from '@contract/types'
import { useWeekCounts } from '../sync/weekCounts'

export interface LocalCounts {
  counts: Record<number, { total: number; qualifying: number; pending: number }>
  /** Activities of the week still waiting to sync. */
  pending: number
}

/** Null means "use the server's done counts". */
export function useLocalCounts(weekStart: string, types: ActivityType[]): LocalCounts | null {
  const counts = useWeekCounts(weekStart, types)
  if (!counts) return null
  const pending = Object.values(counts).reduce((sum, c) => sum + (c.pending || 0), 0)
  return { counts, pending }
}
