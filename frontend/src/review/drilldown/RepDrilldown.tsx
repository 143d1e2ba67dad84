// One rep in depth, for the manager on a tablet (/team/reps/{id}) and for the rep about
// themselves (/insights): the week at a glance with its signals, where the funnel leaks
// vs the team, the activity mix, plan vs actual and quality over time, recent activity,
// the plan and its conversation, coaching questions, and kudos.
import type { Kudos, Me, MixEntry, PlanComment, RecentActivity, RepDrilldown as Drilldown, StageConversion } from '@contract/types'
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { ApiError } from '../../api/client'
import { reviewApi } from '../../api/review'
import { KudosList } from '../../kudos/KudosParts'
import { SendKudos } from '../../kudos/SendKudosDialog'
import { Acknowledgement, CommentThread, PaceBadge, RevisionHistory, StaleNotice, TargetsList } from '../../plans/PlanParts'
import { useRead } from '../../plans/read'
import { TimeOffSection } from '../../plans/TimeOff'
import { shortDate, thisMonday } from '../../plans/weeks'
import { outcomeLabel } from '../../sync/local'
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback'
import { Icon } from '../../ui/icons'
import { Screen, Section } from '../../ui/Screen'
import { safeZone } from '../../screens/Home'
import {
  activityTime,
  firstName,
  formatDealValue,
  formatRatio,
  groupSignals,
  perWeek,
  pluralName,
  PLAN_STATUS_WORDS,
  qualityText,
  ratioGapText,
  searchWithWeek,
  SIGNAL_LABELS,
  stageLabel,
  stageSpoken,
  streakText,
  volumeGapText,
  weekFromSearch,
  weekSteps,
} from './format'
import { teamBackPath, teamViewQuery } from '../logic'
import { RowPace } from '../parts'
import { QualityChart, TableScroll, TrendChart } from './TrendChart'
import './drilldown.css'

/** Where managers find and edit the coaching question library. */
const COACHING_LIBRARY = '/team/coaching'
const DAY_MS = 86_400_000

export function RepDrilldown({ user, userId }: { user: Me; userId: number }) {
  const own = user.id === userId
  const zone = safeZone(user.time_zone)
  const [week, setWeek] = useState<string | undefined>(() =>
    typeof location === 'undefined' ? undefined : weekFromSearch(location.search),
  )
  // Reps east of the viewer may already be in next week: the server allows one day of slack.
  const latestWeek = thisMonday(new Date(Date.now() + DAY_MS), zone)
  const currentWeek = thisMonday(new Date(), zone)
  const read = useRead(`drilldown:${userId}:${week ?? 'current'}`, () => reviewApi.drilldown(userId, week))
  const data = read.data
  const shownWeek = data?.week_start ?? week ?? currentWeek
  const steps = weekSteps(shownWeek, latestWeek)

  function goToWeek(next: string | undefined) {
    const value = next && next !== currentWeek ? next : undefined
    setWeek(value)
    history.replaceState(history.state, '', `${location.pathname}${searchWithWeek(location.search, value)}`)
  }

  const notFound = read.failure instanceof ApiError && (read.failure.status === 404 || read.failure.status === 403)
  const badWeek = read.failure instanceof ApiError && read.failure.status === 422
  const title = own ? 'Your trends and insights' : (data?.name ?? 'Rep review')

  return (
    <Screen
      title={title}
      intro={
        <div class="dd-intro">
          {!own && (
            <p class="dd-links">
              <a href={teamBackPath(location.search)} class="dd-back">
                ← Back to the team
              </a>{' '}
              · <a href={`/team/reps/${userId}/checkin${teamViewQuery(location.search)}`}>1:1 check-in</a> ·{' '}
              <a href={`/team/reps/${userId}/timeline`}>Coaching timeline</a>
            </p>
          )}
          {own && (
            <p class="dd-links">
              <a href="/reflect">Reflect on your week</a> · <a href="/timeline">Your coaching timeline</a>
            </p>
          )}
          {!notFound && (
            <WeekNav
              weekStart={shownWeek}
              isCurrent={shownWeek === currentWeek}
              onPrevious={() => goToWeek(steps.previous)}
              onNext={steps.next ? () => goToWeek(steps.next!) : null}
            />
          )}
        </div>
      }
    >
      <StaleNotice show={read.stale} onRetry={read.reload} />
      {read.loading && <Loading label={own ? 'Loading your insights…' : 'Loading the review…'} />}
      {notFound && (
        <div class="notice notice--error" role="alert">
          <p>
            <strong>{own ? 'Your review is not available.' : 'No review to show for this person.'}</strong>{' '}
            {(read.failure as ApiError).detail}
          </p>
          <a class="button button--secondary" href={user.role === 'rep' ? '/home' : teamBackPath(location.search)}>
            {user.role === 'rep' ? 'Back to this week' : 'Back to the team'}
          </a>
        </div>
      )}
      {badWeek && (
        <div class="notice notice--error" role="alert">
          <p>{(read.failure as ApiError).detail}</p>
          <button type="button" class="button button--secondary" onClick={() => goToWeek(undefined)}>
            Go to this week
          </button>
        </div>
      )}
      {!notFound && !badWeek && <ErrorNotice message={read.error} onRetry={read.reload} />}
      {data && !notFound && !badWeek && (
        <DrilldownBody
          data={data}
          user={user}
          own={own}
          current={data.week_start >= currentWeek}
          onKudos={(kudos) => read.setData((d) => (d ? { ...d, kudos: [kudos, ...d.kudos.filter((k) => k.id !== kudos.id)] } : d))}
          onComment={(comment) =>
            read.setData((d) => (d && d.plan ? { ...d, plan: { ...d.plan, comments: [...d.plan.comments, comment] } } : d))
          }
          onTimeOff={read.reload}
        />
      )}
    </Screen>
  )
}

function WeekNav({
  weekStart,
  isCurrent,
  onPrevious,
  onNext,
}: {
  weekStart: string
  isCurrent: boolean
  onPrevious: () => void
  onNext: (() => void) | null
}) {
  return (
    <nav class="week-nav" aria-label="Week">
      <button type="button" class="button button--secondary week-nav__step" onClick={onPrevious}>
        <span aria-hidden="true">←</span> Previous week
      </button>
      <p class="week-nav__label" aria-live="polite">
        Week of {shortDate(weekStart, true)}
        {isCurrent ? <span class="muted"> (this week)</span> : null}
      </p>
      <button type="button" class="button button--secondary week-nav__step" onClick={onNext ?? undefined} disabled={!onNext}>
        Next week <span aria-hidden="true">→</span>
      </button>
    </nav>
  )
}

function DrilldownBody({
  data,
  user,
  own,
  current,
  onKudos,
  onComment,
  onTimeOff,
}: {
  data: Drilldown
  user: Me
  own: boolean
  current: boolean
  onKudos: (kudos: Kudos) => void
  onComment: (comment: PlanComment) => void
  onTimeOff: () => void
}) {
  const weakest = data.funnel.weakest === null ? null : (data.funnel.stages[data.funnel.weakest] ?? null)
  return (
    <>
      <Overview data={data} own={own} current={current} />
      <nav class="dd-jump" aria-label="On this page">
        <a href="#dd-funnel">Funnel</a>
        <a href="#dd-mix">Activity mix</a>
        <a href="#dd-trends">Trends</a>
        <a href="#dd-coaching">Questions</a>
        <a href="#dd-recent">Recent activity</a>
        <a href="#dd-plan">Plan</a>
        <a href="#dd-kudos">Kudos</a>
        {!own && <a href="#dd-time-off">Time off</a>}
      </nav>
      <Anchor id="dd-funnel">
        <Section title="Funnel: where deals leak">
          <Funnel data={data} own={own} />
        </Section>
      </Anchor>
      <Anchor id="dd-coaching">
        <Section title={own ? 'Questions to ask yourself' : 'Questions to ask'}>
          <Coaching data={data} own={own} />
        </Section>
      </Anchor>
      <Anchor id="dd-mix">
        <Section title="Activity mix vs the team">
          <Mix mix={data.mix} name={own ? 'You' : firstName(data.name)} />
        </Section>
      </Anchor>
      <Anchor id="dd-trends">
        <Section title="Plan vs actual over time">
          <p class="muted small">
            Each week: the target, what was done that met the quality bar, and everything logged.
            {current ? ' The last week is still running.' : ''}
          </p>
          <TrendChart trends={data.trends} current={current} initialTypeId={weakest?.from_type_id ?? null} />
        </Section>
        <Section title="Quality over time">
          <QualityChart points={data.quality} current={current} />
        </Section>
      </Anchor>
      <Anchor id="dd-recent">
        <Section title="Recent activity">
          <Recent items={data.recent} />
        </Section>
      </Anchor>
      <Anchor id="dd-plan">
        <Section title="The plan">
          <PlanPart data={data} user={user} own={own} onComment={onComment} />
        </Section>
      </Anchor>
      <Anchor id="dd-kudos">
        <Section
          title="Kudos"
          actions={
            own ? undefined : (
              <SendKudos
                repId={data.user_id}
                repName={data.name}
                signals={data.row.signals}
                weekStart={data.week_start}
                onSent={onKudos}
              />
            )
          }
        >
          {data.kudos.length === 0 ? (
            <p class="muted">{own ? 'No kudos yet.' : `No kudos for ${firstName(data.name)} yet.`}</p>
          ) : (
            <KudosList list={data.kudos} timeZone={user.time_zone} own={own} />
          )}
        </Section>
      </Anchor>
      {!own && (
        <Anchor id="dd-time-off">
          <TimeOffSection userId={data.user_id} name={firstName(data.name)} timeZone={data.row.time_zone} onChange={onTimeOff} />
        </Anchor>
      )}
    </>
  )
}

/** A jump target around one or more cards (Section makes its own heading ids). */
function Anchor({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <div id={id} class="dd-anchor">
      {children}
    </div>
  )
}

function Overview({ data, own, current }: { data: Drilldown; own: boolean; current: boolean }) {
  const row = data.row
  const groups = groupSignals(row.signals)
  const withTargets = row.progress.filter((p) => p.target > 0)
  return (
    <Section title={current ? 'This week at a glance' : 'That week at a glance'}>
      <ul class="dd-facts">
        <li>
          <span class="dd-facts__label">Plan</span>
          <span class="badge">{PLAN_STATUS_WORDS[row.plan_status]}</span>
        </li>
        <li>
          <span class="dd-facts__label">Pace</span>
          <RowPace row={row} />
          {withTargets.length > 0 && <span class="muted small">{Math.round(row.attainment * 100)}% of the plan</span>}
        </li>
        <li>
          <span class="dd-facts__label">Streak</span>
          <span>{streakText(row.streak)}</span>
        </li>
        <li>
          <span class="dd-facts__label">Last activity</span>
          <span>{row.last_activity_on ? shortDate(row.last_activity_on, true) : 'None yet'}</span>
        </li>
      </ul>
      {row.time_off && (
        <div class="notice notice--info" role="status">
          <p>
            <strong>{row.time_off}</strong> Nothing is flagged while {own ? 'you are' : 'they are'} away.
          </p>
        </div>
      )}
      {row.pending_sync && (
        <div class="notice notice--warn" role="status">
          <p>
            <strong>Pending sync.</strong> {row.pending_sync_reason ?? 'A device still holds logs that have not reached the server.'}{' '}
            The numbers may be incomplete, so pace flags are held back until it syncs.
          </p>
        </div>
      )}
      {withTargets.length > 0 && (
        <TableScroll label="Plan vs actual per activity type">
          <table class="data-table dd-progress">
            <caption class="visually-hidden">Plan vs actual per activity type</caption>
            <thead>
              <tr>
                <th scope="col">Activity</th>
                <th scope="col">Qualifying / target</th>
                <th scope="col">{current ? 'Steady pace by now' : 'Target'}</th>
                <th scope="col">Logged</th>
                <th scope="col">Pace</th>
              </tr>
            </thead>
            <tbody>
              {withTargets.map((p) => (
                <tr key={p.activity_type_id}>
                  <th scope="row">{p.name}</th>
                  <td>
                    <strong>{p.done_qualifying}</strong> / {p.target}
                  </td>
                  <td>{p.expected_by_now}</td>
                  <td>{p.done_total}</td>
                  <td>{row.pending_sync ? <span class="muted small">Not judged yet</span> : <PaceBadge status={p.status} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <div class="dd-signals">
        <SignalGroup
          title={own ? 'Worth a conversation' : 'Needs a conversation'}
          kind="conversation"
          signals={groups.conversation}
          empty={own ? 'Nothing here: keep going.' : 'Nothing calls for a conversation.'}
        />
        {groups.watch.length > 0 && (
          <SignalGroup title={own ? 'Worth keeping an eye on' : 'Worth watching'} kind="watch" signals={groups.watch} empty="" />
        )}
        <SignalGroup
          title={own ? 'Worth celebrating' : 'Deserves kudos'}
          kind="kudos"
          signals={groups.kudos}
          empty="Nothing to celebrate yet this week."
        />
      </div>
    </Section>
  )
}

function SignalGroup({
  title,
  kind,
  signals,
  empty,
}: {
  title: string
  kind: 'conversation' | 'watch' | 'kudos'
  signals: Drilldown['row']['signals']
  empty: string
}) {
  return (
    <div class={`dd-signal-group dd-signal-group--${kind}`}>
      <h3>
        <Icon name={kind === 'kudos' ? 'check' : kind === 'watch' ? 'clock' : 'alert'} />
        <span>
          {title} <span class="muted">({signals.length})</span>
        </span>
      </h3>
      {signals.length === 0 ? (
        <p class="muted small">{empty}</p>
      ) : (
        <ul class="dd-signal-list">
          {signals.map((s, i) => (
            <li key={`${s.kind}-${i}`}>
              <strong>{SIGNAL_LABELS[s.kind]}.</strong> {s.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Two bars on a shared 0–max scale, with the numbers written out. */
function PairedBars({
  rows,
  max,
}: {
  rows: { label: string; value: number | null; text: string; className: string }[]
  max: number
}) {
  return (
    <div class="pair">
      {rows.map((r) => (
        <div class={`pair__row ${r.className}`} key={r.label}>
          <span class="pair__label">{r.label}</span>
          <span class="pair__track" aria-hidden="true">
            {r.value !== null && (
              <span class="pair__fill" style={{ width: `${max > 0 ? Math.min(100, (r.value / max) * 100) : 0}%` }} />
            )}
          </span>
          <span class="pair__value">{r.text}</span>
        </div>
      ))}
    </div>
  )
}

function Funnel({ data, own }: { data: Drilldown; own: boolean }) {
  const { stages, weakest, summary } = data.funnel
  const who = own ? 'You' : firstName(data.name)
  if (stages.length === 0) return <p class="muted">The team has no funnel stages set up yet.</p>
  const max = Math.max(0.01, ...stages.flatMap((s) => [s.rep_ratio ?? 0, s.team_median ?? 0]))
  return (
    <>
      <p class={`dd-summary${weakest === null ? '' : ' dd-summary--weak'}`}>{summary}</p>
      <ol class="funnel-stages">
        {stages.map((stage, i) => (
          <FunnelStage key={stage.from_type_id} stage={stage} weakest={i === weakest} who={who} max={max} />
        ))}
      </ol>
      <p class="muted small">{data.funnel.window || 'Conversion over the weeks before this one, compared with the median of the team.'}</p>
    </>
  )
}

function FunnelStage({ stage, weakest, who, max }: { stage: StageConversion; weakest: boolean; who: string; max: number }) {
  const rep = formatRatio(stage.rep_ratio)
  const team = formatRatio(stage.team_median)
  const gap = ratioGapText(stage.rep_ratio, stage.team_median)
  return (
    <li class={`funnel-stage${weakest ? ' funnel-stage--weakest' : ''}`}>
      <div class="funnel-stage__head">
        <h3>
          <span aria-hidden="true">{stageLabel(stage)}</span>
          <span class="visually-hidden">{stageSpoken(stage)}</span>
        </h3>
        {weakest && (
          <span class="badge badge--weak">
            <Icon name="alert" />
            Weakest stage
          </span>
        )}
      </div>
      <PairedBars
        max={max}
        rows={[
          { label: who, value: stage.rep_ratio, text: rep ?? 'Too little data', className: 'pair__row--rep' },
          { label: 'Team median', value: stage.team_median, text: team ?? 'Too little data', className: 'pair__row--team' },
        ]}
      />
      <p class="small">
        {rep === null
          ? `Too little data to say yet: ${countOf(stage.rep_from_count, stage.from_name)} in these weeks.`
          : `From ${countOf(stage.rep_from_count, stage.from_name)}${gap ? `: ${gap}` : ''}.`}
      </p>
    </li>
  )
}

/** "308 calls", "1 call". */
function countOf(count: number, name: string): string {
  return `${count} ${(count === 1 ? name : pluralName(name)).toLowerCase()}`
}

function Mix({ mix, name }: { mix: MixEntry[]; name: string }) {
  if (mix.length === 0) return <p class="muted">No activity types yet.</p>
  return (
    <>
      <p class="muted small">Average per week over the recent weeks, next to the median of the team.</p>
      <ul class="mix-list">
        {mix.map((m) => {
          const max = Math.max(m.rep_per_week, m.team_median_per_week, 0.1)
          const delta = volumeGapText(m.rep_per_week, m.team_median_per_week)
          return (
            <li key={m.activity_type_id} class="mix-item">
              <h3 class="mix-item__name">
                {m.name}
                {delta && <span class="muted small"> · {delta}</span>}
              </h3>
              <PairedBars
                max={max}
                rows={[
                  { label: name, value: m.rep_per_week, text: `${perWeek(m.rep_per_week)} a week`, className: 'pair__row--rep' },
                  {
                    label: 'Team median',
                    value: m.team_median_per_week,
                    text: `${perWeek(m.team_median_per_week)} a week`,
                    className: 'pair__row--team',
                  },
                ]}
              />
            </li>
          )
        })}
      </ul>
    </>
  )
}

function Coaching({ data, own }: { data: Drilldown; own: boolean }) {
  return (
    <>
      {data.gaps.length > 0 && (
        <div class="dd-gaps">
          <h3>{own ? 'What the numbers suggest' : `Where ${firstName(data.name)} may need help`}</h3>
          <ul>
            {data.gaps.map((gap, i) => (
              <li key={`${gap.kind}-${i}`}>{gap.reason}</li>
            ))}
          </ul>
        </div>
      )}
      <h3>{own ? 'Ask yourself' : 'Coach by asking, not telling'}</h3>
      {data.questions.length === 0 ? (
        <p class="muted">No questions suggested this week.</p>
      ) : (
        <ol class="question-list">
          {data.questions.map((q, i) => (
            <li key={q.id} class="question">
              <p class="question__text">{q.text}</p>
              {!own && <CopyQuestion text={q.text} index={i + 1} />}
            </li>
          ))}
        </ol>
      )}
      {!own && (
        <p>
          <a href={COACHING_LIBRARY}>Open the coaching question library</a>
        </p>
      )}
    </>
  )
}

function CopyQuestion({ text, index }: { text: string; index: number }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  async function copy() {
    try {
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      setState('failed')
    }
  }
  return (
    <div class="question__actions">
      <button type="button" class="button button--secondary" onClick={() => void copy()}>
        Copy question {index}
      </button>
      <span class="small" role="status">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Could not copy: select the text and copy it by hand.' : ''}
      </span>
    </div>
  )
}

const RECENT_FIRST = 10

function Recent({ items }: { items: RecentActivity[] }) {
  const [all, setAll] = useState(false)
  if (items.length === 0) {
    return (
      <EmptyState title="Nothing logged yet">
        <p>Logged calls, visits and meetings show here once they sync.</p>
      </EmptyState>
    )
  }
  const shown = all ? items : items.slice(0, RECENT_FIRST)
  return (
    <>
      <ul class="recent-list">
        {shown.map((a) => (
          <RecentItem key={a.id} activity={a} />
        ))}
      </ul>
      {items.length > shown.length && (
        <button type="button" class="button button--secondary dd-more" onClick={() => setAll(true)}>
          Show all {items.length} recent activities
        </button>
      )}
    </>
  )
}

function RecentItem({ activity: a }: { activity: RecentActivity }) {
  return (
    <li class="recent-item">
      <div class="recent-item__head">
        <h3 class="recent-item__title">
          {a.type_name}
          {a.account_name ? ` · ${a.account_name}` : ''}
        </h3>
        {a.late && <span class="badge badge--late">Late</span>}
      </div>
      <p class="recent-item__meta small">
        <time dateTime={a.occurred_at}>{activityTime(a)}</time>
        {a.outcome ? ` · ${outcomeLabel(a.outcome as Parameters<typeof outcomeLabel>[0])}` : ''}
        {a.quality !== null ? ` · ${qualityText(a.quality)}` : ''}
        {a.deal_value !== null ? ` · Deal value ${formatDealValue(a.deal_value)}` : ''}
      </p>
      {a.note && <p class="recent-item__note">{a.note}</p>}
      {(a.next_step || a.follow_up_on) && (
        <p class="small">
          {a.next_step && (
            <>
              <strong>Next step:</strong> {a.next_step}
            </>
          )}
          {a.next_step && a.follow_up_on ? ' · ' : ''}
          {a.follow_up_on && (
            <>
              <strong>Follow up on</strong> {shortDate(a.follow_up_on, true)}
            </>
          )}
        </p>
      )}
      {a.late && <p class="small muted">Logged after the week was reviewed.</p>}
    </li>
  )
}

function PlanPart({
  data,
  user,
  own,
  onComment,
}: {
  data: Drilldown
  user: Me
  own: boolean
  onComment: (comment: PlanComment) => void
}) {
  const plan = data.plan
  if (!plan) {
    return <p class="muted">{own ? 'You have no plan for this week.' : `${firstName(data.name)} has no plan for this week.`}</p>
  }
  const names = new Map(data.trends.map((t) => [t.activity_type_id, { name: t.name, icon: 'dot' }]))
  for (const m of data.mix) if (!names.has(m.activity_type_id)) names.set(m.activity_type_id, { name: m.name, icon: 'dot' })
  return (
    <>
      <Acknowledgement plan={plan} timeZone={user.time_zone} />
      <h3>Targets</h3>
      <TargetsList targets={plan.targets} names={names} />
      {plan.commitments.length > 0 && (
        <>
          <h3>Commitments</h3>
          <ul class="commitments">
            {plan.commitments.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Revisions</h3>
      <RevisionHistory plan={plan} timeZone={user.time_zone} names={names} />
      <h3>Conversation</h3>
      <CommentThread
        plan={plan}
        viewerId={user.id}
        timeZone={user.time_zone}
        prompt={own ? 'Reply to your manager' : `Ask ${firstName(data.name)} a question`}
        hint={own ? undefined : 'Coach by asking: what would help this week?'}
        onAdded={onComment}
      />
    </>
  )
}
