// The rep's "This week": targets, what is done, pace, commitments and the conversation
// with the manager, readable at a glance on a phone.
import { useEffect, useState } from 'preact/hooks'
import type { ActivityProgress, Me, Plan, PlanComment, WeekView } from '@contract/types'
import { plansApi } from '../api/plans'
import { perDayText, restatePace } from '../plans/pace'
import { Acknowledgement, ActivityIcon, CommentThread, PaceBadge, RevisionHistory, StaleNotice } from '../plans/PlanParts'
import { plural } from '../plans/labels'
import { useRead } from '../plans/read'
import { useLocalCounts, type LocalCounts } from '../plans/localCounts'
import { formatDayLabel, formatWeekRange, greeting, localDate, weekDays, type WeekDay } from '../time/week'
import { ErrorNotice, Loading } from '../ui/feedback'
import { Icon } from '../ui/icons'
import { HomeCoachingCard } from '../coaching/HomeCoachingCard'
import { KudosBanner, useMyKudos } from '../kudos/KudosParts'
import { Screen, Section } from '../ui/Screen'
import { dateTimeFormat } from '../time/intl'

/** Re-render at most once a minute so "today" moves on at midnight in the rep's zone. */
function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

export function safeZone(zone: string): string {
  try {
    dateTimeFormat('en', { timeZone: zone })
    return zone
  } catch {
    return 'UTC'
  }
}

/** Working days from today (included) to the end of the week, in the rep's zone. */
export function workingDaysLeft(workingDays: string[], now: Date, zone: string): number {
  const d = localDate(now, zone)
  const today = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
  return workingDays.filter((day) => day >= today).length
}

export function Home({ user }: { user: Me }) {
  const now = useNow()
  const zone = safeZone(user.time_zone)
  const firstName = user.name.split(/\s+/)[0] || user.name
  const week = useRead(`week:current:${user.id}`, () => plansApi.currentWeek())
  const prefs = useRead(`prefs:${user.id}`, () => plansApi.preferences())
  const kudos = useMyKudos(user)

  return (
    <Screen
      title="This week"
      intro={
        <p class="greeting">
          {greeting(now, zone)}, {firstName}.
        </p>
      }
    >
      <KudosBanner kudos={kudos} />
      {prefs.data && !prefs.data.answered && (
        <div class="notice notice--info prompt">
          <p>
            <strong>How would you like to be held accountable?</strong> Tell your manager how often to check in and
            when to remind you. "I'm not sure yet" is a fine answer.
          </p>
          <a class="button button--primary" href="/preferences">
            Answer in a minute
          </a>
        </div>
      )}
      <StaleNotice show={week.stale} onRetry={week.reload} />
      {week.loading && <Loading label="Loading your week…" />}
      <ErrorNotice message={week.error} onRetry={week.reload} />
      {week.data && (
        <WeekPanel
          user={user}
          view={week.data}
          now={now}
          onPlan={(plan) => week.setData((v) => (v ? { ...v, plan } : v))}
        />
      )}
      {/* Below the week, and only once it has loaded: the week arriving above them would
          push them down (a layout shift), and the week is what a rep opens Home for. */}
      {!week.loading && user.role === 'rep' && <HomeCoachingCard user={user} />}
      {!week.loading && (
        <nav class="link-row" aria-label="More about your plan">
          <a href="/insights" class="link-tile">
            <Icon name="arrowUp" />
            <span>Your trends and insights</span>
          </a>
          <a href="/expectations" class="link-tile">
            <Icon name="book" />
            <span>Team expectations</span>
          </a>
          <a href="/preferences" class="link-tile">
            <Icon name="sliders" />
            <span>How I'm held accountable</span>
          </a>
        </nav>
      )}
    </Screen>
  )
}

function WeekPanel({
  user,
  view,
  now,
  onPlan,
}: {
  user: Me
  view: WeekView
  now: Date
  onPlan: (plan: Plan) => void
}) {
  const zone = safeZone(view.time_zone)
  const days = weekDays(now, zone)
  const left = workingDaysLeft(view.working_days, now, zone)
  const plan = view.plan
  const local = useLocalCounts(view.week_start, view.progress.map((p) => p.activity_type))
  const names = new Map(view.progress.map((p) => [p.activity_type.id, p.activity_type]))
  const withTargets = view.progress.filter((p) => p.target > 0)
  const rest = view.progress.filter((p) => p.target <= 0)

  return (
    <>
      <Section title="Your plan">
        <p class="week-range">{formatWeekRange(days)}</p>
        <WeekStrip days={days} working={view.working_days} />
        <p class="days-left">
          <strong>{plural(left, 'working day')} left</strong>
          <span class="muted"> of {view.working_days.length} this week</span>
        </p>
        {view.missed_deadline && (
          <div class="notice notice--warn" role="status">
            <p>
              <strong>The plan deadline has passed.</strong> It's not too late — commit your plan now so your manager
              can see it.
            </p>
            <a class="button button--primary" href="/plan">
              {plan ? 'Finish and commit your plan' : 'Build your plan'}
            </a>
          </div>
        )}
        {!plan && !view.missed_deadline && (
          <div class="empty">
            <p class="empty__title">You haven't planned this week yet.</p>
            <div class="empty__body">
              <p>Choose how many calls, visits and proposals you'll do — the funnel calculator can suggest numbers.</p>
            </div>
            <a class="button button--primary" href="/plan">
              Build this week's plan
            </a>
          </div>
        )}
        {plan && <Acknowledgement plan={plan} timeZone={user.time_zone} />}
        {plan && plan.status === 'draft' && !view.missed_deadline && (
          <p>
            <a class="button button--secondary" href="/plan">
              Review and commit your plan
            </a>
          </p>
        )}
      </Section>

      {plan && (
        <Section title="Progress">
          {local && local.pending > 0 && (
            <p class="pending-note" role="status">
              {plural(local.pending, 'activity', 'activities')} waiting to sync — counted here already.
            </p>
          )}
          {withTargets.length === 0 && <p class="muted">No targets in this plan.</p>}
          <ul class="progress-list">
            {withTargets.map((p) => (
              <ProgressRow key={p.activity_type.id} progress={p} local={local?.counts[p.activity_type.id]} />
            ))}
          </ul>
          {rest.length > 0 && (
            <p class="muted small">
              No target: {rest.map((p) => `${p.activity_type.name} (${local?.counts[p.activity_type.id]?.total ?? p.done_total} logged)`).join(', ')}.
            </p>
          )}
        </Section>
      )}

      {plan && (
        <Section title="Your commitments">
          {plan.commitments.length === 0 ? (
            <p class="muted">No personal commitments this week.</p>
          ) : (
            <ul class="commitments">
              {plan.commitments.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          )}
        </Section>
      )}

      {plan && plan.status === 'committed' && (
        <Section title="Conversation with your manager">
          <CommentThread
            plan={plan}
            viewerId={user.id}
            timeZone={user.time_zone}
            prompt="Reply to your manager"
            onAdded={(comment: PlanComment) => onPlan({ ...plan, comments: [...plan.comments, comment] })}
          />
        </Section>
      )}

      {plan && plan.revisions.length > 1 && (
        <Section title="Changes to this plan">
          <RevisionHistory plan={plan} timeZone={user.time_zone} names={names} />
        </Section>
      )}
    </>
  )
}

function ProgressRow({
  progress,
  local,
}: {
  progress: ActivityProgress
  local: LocalCounts['counts'][number] | undefined
}) {
  const { activity_type: type, target } = progress
  const qualifying = local ? local.qualifying : progress.done_qualifying
  const total = local ? local.total : progress.done_total
  const pace = local ? restatePace(target, qualifying, progress.pace) : progress.pace
  const share = target > 0 ? Math.min(100, Math.round((qualifying / target) * 100)) : 0
  return (
    <li class={`progress-row progress-row--${pace.status}`}>
      <div class="progress-row__head">
        <ActivityIcon icon={type.icon} />
        <h3 class="progress-row__name">{type.name}</h3>
        <PaceBadge status={pace.status} />
      </div>
      <p class="progress-row__count">
        <strong>
          {qualifying} of {target}
        </strong>{' '}
        qualifying · {total} logged
        {local && local.pending > 0 && <span class="pending"> · {local.pending} waiting to sync</span>}
      </p>
      <div class="bar" aria-hidden="true">
        <span class="bar__fill" style={{ width: `${share}%` }} />
      </div>
      <p class="progress-row__left small">{perDayText(pace, target)}</p>
    </li>
  )
}

function WeekStrip({ days, working }: { days: WeekDay[]; working: string[] }) {
  return (
    <ol class="week-strip" aria-label="Days of this week">
      {days.map((day) => {
        const label = formatDayLabel(day)
        const off = !working.includes(day.iso)
        return (
          <li
            key={day.iso}
            class={`week-strip__day${day.isToday ? ' week-strip__day--today' : ''}${off ? ' week-strip__day--off' : ''}`}
            aria-current={day.isToday ? 'date' : undefined}
          >
            <span class="week-strip__weekday" aria-hidden="true">
              {label.weekday}
            </span>
            <span class="week-strip__date" aria-hidden="true">
              {label.date}
            </span>
            <span class="visually-hidden">
              {label.full}
              {day.isToday ? ' (today)' : ''}
              {off ? ' (not a working day)' : ''}
            </span>
          </li>
        )
      })}
    </ol>
  )
}
