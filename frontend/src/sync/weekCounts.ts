// "This week" counts from the device's own store, so progress moves the moment a rep logs,
// offline included, and shows how many of those logs are still waiting to sync.
import type { ActivityType } from '@contract/types'
import { useEffect, useState } from 'preact/hooks'
import { onLocalChange } from './events'
import { readWeekCounts, type WeekCount } from './local'

export type { WeekCount } from './local'

/**
 * Calls `onCounts` now and after every local change (log, edit, delete, sync — in any tab
 * or the service worker) with the counts of that week. Returns the unsubscribe function.
 */
export function watchWeekCounts(
  weekStart: string,
  types: readonly Pick<ActivityType, 'id' | 'quality_min'>[],
  onCounts: (counts: Record<number, WeekCount> | null) => void,
): () => void {
  let live = true
  let latest = 0
  const read = () => {
    const ticket = ++latest
    readWeekCounts(weekStart, types).then(
      (counts) => {
        // Only the newest read may report: an older, slower one must not overwrite it.
        if (live && ticket === latest) onCounts(counts)
      },
      () => undefined,
    )
  }
  const unsubscribe = onLocalChange(read)
  read()
  return () => {
    live = false
    unsubscribe()
  }
}

/**
 * Counts per activity type id for the local week starting `weekStart` (Monday,
 * YYYY-MM-DD): total, qualifying (quality ≥ the type's quality_min) and pending (not yet
 * acknowledged by the server). Null until this device completed a pull for this user —
 * use the server's counts until then.
 */
export function useWeekCounts(
  weekStart: string,
  types: ActivityType[],
): Record<number, WeekCount> | null {
  const [counts, setCounts] = useState<Record<number, WeekCount> | null>(null)
  const typesKey = types.map((t) => `${t.id}:${t.quality_min}`).join(',')
  useEffect(() => {
    setCounts(null)
    return watchWeekCounts(weekStart, types, setCounts)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [weekStart, typesKey])
  return counts
}
