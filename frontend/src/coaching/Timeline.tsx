// A rep's coaching timeline, newest week first: check-ins (shared notes only — the server
// filters), reflections, commitments with their status, kudos, and milestones celebrated
// in a calm card. The rep sees their own (/timeline); managers reach a rep's from the team.
import type { Me, TimelineEntry } from '@contract/types'
import { coachingApi } from '../api/coaching'
import { ApiError } from '../api/client'
import { StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { Screen } from '../ui/Screen'
import { COMMITMENT_STATUS_TEXT, groupTimeline, TIMELINE_KIND_TEXT, weekLabel, type TimelineWeek } from './logic'
import { dateTimeFormat } from '../time/intl'
import './coaching.css'

function StarIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false" fill="none"
      stroke="currentColor" stroke-width="1.8" stroke-linejoin="round">
      <path d="M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z" />
    </svg>
  )
}

const MILESTONE_LABEL: Record<string, string> = {
  first_plan_met: 'First plan met',
  streak: 'Streak',
  commitments_kept: 'Commitments kept',
  won_deal: 'Deal won',
  milestone: 'Milestone',
}

function when(iso: string, locale?: string): string {
  return dateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  )
}

function Entry({ entry, checkinHref }: { entry: TimelineEntry; checkinHref: ((id: number) => string) | null }) {
  const status = entry.status ?? null
  return (
    <li class={`timeline-entry timeline-entry--${entry.kind}`}>
      <p class="timeline-entry__kind">{TIMELINE_KIND_TEXT[entry.kind]}</p>
      <h3 class="timeline-entry__title">{entry.title}</h3>
      {entry.detail && <p class="timeline-entry__detail">{entry.detail}</p>}
      <p class="timeline-entry__meta">
        {status && <span class={`status-badge status-badge--${status}`}>{COMMITMENT_STATUS_TEXT[status]}</span>}
        <time dateTime={entry.at}>{when(entry.at)}</time>
        {entry.kind === 'checkin' && entry.ref_id != null && checkinHref && <a href={checkinHref(entry.ref_id)}>Open check-in</a>}
      </p>
    </li>
  )
}

function Week({ week, checkinHref }: { week: TimelineWeek; checkinHref: ((id: number) => string) | null }) {
  const id = `timeline-week-${week.week_start}`
  return (
    <section class="timeline-week" aria-labelledby={id}>
      <h2 class="timeline-week__title" id={id}>
        {weekLabel(week.week_start)}
      </h2>
      <ul class="timeline-list">
        {week.milestones.map((m) => (
          <li class="celebration" key={`m:${m.title}`}>
            <StarIcon />
            <div>
              <p class="celebration__label">{MILESTONE_LABEL[m.kind] ?? 'Milestone'}</p>
              <h3 class="celebration__title">{m.title}</h3>
              {m.detail && <p class="celebration__detail">{m.detail}</p>}
            </div>
          </li>
        ))}
        {week.entries.map((entry, index) => (
          <Entry key={`${entry.kind}:${entry.ref_id ?? ''}:${entry.at}:${index}`} entry={entry} checkinHref={checkinHref} />
        ))}
      </ul>
    </section>
  )
}

/**
 * `/timeline` for the signed-in rep (userId = user.id); `/team/reps/{id}/timeline` for a
 * manager. `checkinHref`, when given, links check-in entries to their screen.
 */
export function TimelineScreen({
  user,
  userId,
  checkinHref,
}: {
  user: Me
  userId: number
  checkinHref?: (checkinId: number) => string
}) {
  const own = user.id === userId
  const timeline = useRead(`coach:timeline:${userId}`, () => coachingApi.timeline(userId))
  const data = timeline.data
  const weeks = data ? groupTimeline(data) : []
  const milestones = weeks.reduce((n, w) => n + w.milestones.length, 0)
  const title = own ? 'Your coaching timeline' : data ? `${data.name}'s coaching timeline` : 'Coaching timeline'
  const forbidden = timeline.failure instanceof ApiError && (timeline.failure.status === 403 || timeline.failure.status === 404)

  return (
    <Screen
      title={title}
      intro={
        <p>
          {own
            ? 'Your 1:1s, reflections, commitments, kudos and milestones, newest week first.'
            : 'Check-ins, reflections, commitments, kudos and milestones, newest week first.'}
        </p>
      }
    >
      <StaleNotice show={timeline.stale} onRetry={timeline.reload} />
      {timeline.loading && <Loading label="Loading the timeline…" />}
      {forbidden ? (
        <ErrorNotice message={own ? 'Your timeline is not available.' : 'This timeline is not yours to see, or the rep does not exist.'} />
      ) : (
        <ErrorNotice message={timeline.error} onRetry={timeline.reload} />
      )}
      {data && weeks.length === 0 && (
        <EmptyState title="Nothing here yet">
          <p>
            {own
              ? 'Your 1:1 check-ins, reflections, commitments and kudos will show here week by week.'
              : 'Check-ins, reflections, commitments and kudos will show here week by week.'}
          </p>
          {own && (
            <p>
              <a href="/reflect">Write this week's reflection</a>
            </p>
          )}
        </EmptyState>
      )}
      {data && weeks.length > 0 && (
        <>
          {milestones > 0 && (
            <p class="timeline-summary">
              {milestones === 1 ? '1 milestone' : `${milestones} milestones`} to celebrate so far.
            </p>
          )}
          {weeks.map((week) => (
            <Week key={week.week_start} week={week} checkinHref={checkinHref ?? null} />
          ))}
        </>
      )}
    </Screen>
  )
}
