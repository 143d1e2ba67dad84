// The rep's team's activity types, cached in IndexedDB so logging works offline.
import type { ActivityType, Me } from '@contract/types'
import { useEffect, useState } from 'preact/hooks'
import { plansApi } from '../api/plans'
import { db } from '../db'

export async function cachedActivityTypes(): Promise<ActivityType[] | null> {
  return ((await (await db()).get('sync_state', 'activity_types')) as ActivityType[] | undefined) ?? null
}

/** Fetch and cache the team's types (the sync controller does this, so Log works offline). */
export async function refreshActivityTypes(teamId: number): Promise<ActivityType[]> {
  const fresh = await plansApi.activityTypes(teamId)
  await rememberActivityTypes(fresh)
  return fresh
}

async function rememberActivityTypes(types: ActivityType[]): Promise<void> {
  await (await db()).put('sync_state', types, 'activity_types')
}

export interface TypesState {
  types: ActivityType[] | null
  /** Nothing cached and the fetch failed. */
  error: unknown
}

/** Active types, ordered by position: the cached list at once, then the server's. */
export function useActivityTypes(user: Me): TypesState {
  const [state, setState] = useState<TypesState>({ types: null, error: null })
  const teamId = user.team?.id ?? null
  useEffect(() => {
    let live = true
    const active = (list: ActivityType[]) =>
      list.filter((t) => t.active).sort((a, b) => a.position - b.position || a.id - b.id)
    void cachedActivityTypes().then((cached) => {
      if (live && cached) setState((s) => (s.types ? s : { types: active(cached), error: null }))
    })
    if (teamId !== null) {
      plansApi.activityTypes(teamId).then(
        (fresh) => {
          void rememberActivityTypes(fresh).catch(() => undefined)
          if (live) setState({ types: active(fresh), error: null })
        },
        (error: unknown) => {
          if (live) setState((s) => (s.types ? s : { types: null, error }))
        },
      )
    }
    return () => {
      live = false
    }
  }, [teamId])
  return state
}
