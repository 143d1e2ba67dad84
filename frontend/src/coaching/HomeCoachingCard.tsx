// The coaching card on the rep's Home: the next 1:1, "reflect on your week", open
// commitments with where they stand, and a self-coaching question when behind pace.
import type { ActivityProgress, Commitment, Me } from '@contract/types'
import { useEffect } from 'preact/hooks'
import { coachingApi } from '../api/coaching'
import { plansApi } from '../api/plans'
import { useLocalCounts } from '../plans/localCounts'
import { restatePace } from '../plans/pace'
import { useRead } from '../plans/read'
import { deviceTimeZone } from '../screens/LogForm'
import { currentWeekStart } from '../sync/local'
import {
  COMMITMENT_STATUS_TEXT,
  commitmentProgress,
  isBehind,
  openCommitments,
  REFLECTION_STATE_TEXT,
  reflectionState,
} from './logic'
import { localDay, SelfCoachingPrompt } from './SelfCoachingPrompt'
import { whenIdle } from '../ui/idle'
import { prefetchPrompts } from './selfCoaching'
import { useWeekReflection } from './useReflection'
import './coaching.css'

const SHOWN_COMMITMENTS = 3

/** Pace per activity with this device's counts (logs not yet synced included), as on Home. */
function useBehind(user: Me, given: boolean | undefined): boolean {
  const week = useRead(given === undefined ? `week:current:${user.id}` : null, () => plansApi.currentWeek())
  const progress: ActivityProgress[] = week.data?.progress ?? []
  const local = useLocalCounts(week.data?.week_start ?? '', progress.map((p) => p.activity_type))
  if (given !== undefined) return given
  return isBehind(
    progress.map((p) => {
      const count = local?.counts[p.activity_type.id]
      return { target: p.target, pace: count ? restatePace(p.target, count.qualifying, p.pace) : p.pace }
    }),
  )
}

function CommitmentItem({ commitment, today }: { commitment: Commitment; today: string }) {
  return (
    <li class="commitment">
      <p class="commitment__text">{commitment.text}</p>
      <p class="commitment__meta">
        <span class={`status-badge status-badge--${commitment.status}`}>{COMMITMENT_STATUS_TEXT[commitment.status]}</span>
        <span>{commitmentProgress(commitment, today)}</span>
      </p>
    </li>
  )
}

/**
 * Mounted on the rep's Home. `behind` may come from Home's own pace; without it the card
 * reads the current week itself.
 */
export function HomeCoachingCard({ user, behind }: { user: Me; behind?: boolean }) {
  const zone = user.time_zone || deviceTimeZone()
  const week = currentWeekStart(zone)
  const today = localDay(zone)
  const rep = user.role === 'rep'
  const schedule = useRead(rep ? `coach:schedule:${user.id}` : null, () => coachingApi.schedule(user.id))
  const commitments = useRead(rep ? `coach:commitments:${user.id}` : null, () => coachingApi.commitments(user.id))
  const reflection = useWeekReflection(user, week)
  const behindPace = useBehind(user, behind)

  useEffect(() => {
    if (rep) return whenIdle(() => prefetchPrompts(user.id))
  }, [user.id, rep])

  if (!rep) return null

  const state = reflectionState(reflection.local, reflection.rejected.length)
  const reflectHint =
    state === 'none' ? 'Not written yet this week — a few minutes before your 1:1.' : state === 'synced' ? 'Written — add to it any time this week.' : REFLECTION_STATE_TEXT[state]
  const open = commitments.data ? openCommitments(commitments.data) : []
  const next = schedule.data

  return (
    <section class="card coach-card" aria-labelledby="coach-card-title">
      <div class="card__head">
        <h2 id="coach-card-title">Coaching</h2>
      </div>
      <div class="coach-card__facts">
        <div class="coach-card__fact">
          <p class="coach-card__fact">
            <span class="coach-card__label">Next 1:1:</span>{' '}
            {next ? next.next_words ?? 'not planned yet' : schedule.loading ? 'loading…' : 'connect to see it'}
          </p>
          {next && !next.agreed && <p class="coach-card__hint">The usual rhythm until you agree one with your manager.</p>}
          {!next && schedule.error && !schedule.loading && <p class="coach-card__hint">{schedule.error}</p>}
        </div>
        <div class="coach-card__fact">
          <a class="button button--secondary" href="/reflect">
            Reflect on your week
          </a>
          <p class="coach-card__hint">{reflectHint}</p>
        </div>
      </div>

      <h3>Your commitments</h3>
      {commitments.loading ? (
        <p class="small muted">Loading your commitments…</p>
      ) : commitments.data ? (
        open.length === 0 ? (
          <p class="small muted">No open commitments. You make them with your manager in your 1:1.</p>
        ) : (
          <ul class="commitment-list">
            {open.slice(0, SHOWN_COMMITMENTS).map((c) => (
              <CommitmentItem key={c.id} commitment={c} today={today} />
            ))}
          </ul>
        )
      ) : (
        <p class="small muted">{commitments.error ?? 'Connect to see your commitments.'}</p>
      )}
      {open.length > SHOWN_COMMITMENTS && (
        <p class="small">{open.length - SHOWN_COMMITMENTS} more open — see them in your timeline.</p>
      )}

      {behindPace && <SelfCoachingPrompt user={user} trigger="behind" headingLevel={3} />}

      <p class="coach-card__links">
        <a href="/timeline">Your coaching timeline</a>
      </p>
    </section>
  )
}
