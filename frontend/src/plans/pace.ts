// The pace rule of PaceBody (types.gen.ts), restated on the device for counts the server
// has not seen yet (logs waiting to sync). Pure: no clock, no network.
import type { PaceBody } from '@contract/types'

export type PaceStatus = PaceBody['status']

/** The status for `done` qualifying activities against `target`, given the server's pace numbers. */
export function paceStatus(target: number, done: number, pace: Pick<PaceBody, 'expected_by_now' | 'expected_by_end_of_today'>): PaceStatus {
  if (target <= 0) return 'no_plan'
  if (done >= target) return 'done'
  if (done < pace.expected_by_now) return 'behind'
  if (done > pace.expected_by_end_of_today) return 'ahead'
  return 'on_track'
}

/** Still to do per working day left (today included), rounded up. */
export function perDayLeft(target: number, done: number, workingDaysLeft: number): number {
  const remaining = Math.max(target - done, 0)
  if (workingDaysLeft <= 0) return remaining
  return Math.ceil(remaining / workingDaysLeft)
}

/** The server's pace with `done` replaced by what the device knows. */
export function restatePace(target: number, done: number, pace: PaceBody): PaceBody {
  return {
    ...pace,
    status: paceStatus(target, done, pace),
    per_day_left: target <= 0 ? 0 : perDayLeft(target, done, pace.working_days_left),
  }
}

export const PACE_LABELS: Record<PaceStatus, string> = {
  ahead: 'Ahead',
  on_track: 'On track',
  behind: 'Behind',
  done: 'Done',
  no_plan: 'No target',
}

/** "2 a day for the 3 working days left", or what to say when nothing is left. */
export function perDayText(pace: PaceBody, target: number): string {
  if (target <= 0) return 'No target this week.'
  if (pace.status === 'done') return 'Target reached.'
  const days = pace.working_days_left
  if (days <= 0) return 'No working days left this week.'
  const dayWord = days === 1 ? 'working day' : 'working days'
  return `${pace.per_day_left} a day for the ${days} ${dayWord} left`
}
