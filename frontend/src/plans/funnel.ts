// Helpers of the funnel calculator: ratios as percentages, targets from the funnel, and
// a debouncer that only lets the latest request count.
import type { FunnelResult, PlanTarget, StageRatio } from '@contract/types'

/** 0.2 -> 20 (at most one decimal). */
export function ratioToPercent(ratio: number): number {
  return Math.round(ratio * 1000) / 10
}

/** "20" -> 0.2; null when it is not a valid ratio (above 0, at most 100 %). */
export function percentToRatio(text: string): number | null {
  const value = Number(String(text).replace(',', '.').trim())
  if (!String(text).trim() || !Number.isFinite(value) || value <= 0 || value > 100) return null
  return Math.round(value * 10) / 1000
}

/** Overrides for the ratios the rep changed (a percent that differs from the server's). */
export function ratioOverrides(edits: Record<number, string>): StageRatio[] {
  const result: StageRatio[] = []
  for (const [id, text] of Object.entries(edits)) {
    const ratio = percentToRatio(text)
    if (ratio !== null) result.push({ activity_type_id: Number(id), ratio })
  }
  return result.sort((a, b) => a.activity_type_id - b.activity_type_id)
}

/** Merge the funnel's weekly needs into plan targets (other types keep theirs). */
export function targetsFromFunnel(current: Record<number, number>, funnel: FunnelResult): Record<number, number> {
  const next = { ...current }
  for (const stage of funnel.stages) next[stage.activity_type_id] = clampTarget(stage.weekly)
  return next
}

export const MAX_TARGET = 500

export function clampTarget(value: number): number {
  if (!Number.isFinite(value)) return 0
  return Math.min(MAX_TARGET, Math.max(0, Math.round(value)))
}

export function toPlanTargets(targets: Record<number, number>): PlanTarget[] {
  return Object.entries(targets)
    .map(([id, target]) => ({ activity_type_id: Number(id), target: clampTarget(target) }))
    .filter((t) => t.target > 0)
    .sort((a, b) => a.activity_type_id - b.activity_type_id)
}

export function fromPlanTargets(targets: PlanTarget[]): Record<number, number> {
  return Object.fromEntries(targets.map((t) => [t.activity_type_id, t.target]))
}

export const SOURCE_LABELS: Record<string, string> = {
  override: 'your what-if',
  rep_history: 'your own history',
  team_history: "the team's history",
  team_default: "the team's default",
}

type Timer = ReturnType<typeof setTimeout>

/**
 * Calls `run` `delayMs` after the last `schedule()`, with an AbortSignal that aborts as
 * soon as a newer call is scheduled; `onResult` only hears the newest call's result.
 */
export function latestOnly<A, R>(
  run: (args: A, signal: AbortSignal) => Promise<R>,
  onResult: (result: R) => void,
  onError: (error: unknown) => void,
  delayMs = 250,
  timers: { set: (fn: () => void, ms: number) => Timer; clear: (t: Timer) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (t) => clearTimeout(t),
  },
) {
  let timer: Timer | null = null
  let controller: AbortController | null = null
  let generation = 0
  return {
    schedule(args: A) {
      generation += 1
      const mine = generation
      if (timer !== null) timers.clear(timer)
      controller?.abort()
      controller = null
      timer = timers.set(() => {
        timer = null
        const own = new AbortController()
        controller = own
        run(args, own.signal).then(
          (result) => {
            if (mine === generation && !own.signal.aborted) onResult(result)
          },
          (error: unknown) => {
            if (mine === generation && !own.signal.aborted) onError(error)
          },
        )
      }, delayMs)
    },
    cancel() {
      generation += 1
      if (timer !== null) timers.clear(timer)
      timer = null
      controller?.abort()
      controller = null
    },
  }
}
