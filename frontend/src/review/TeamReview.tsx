// The manager's landing (/team): every rep's plan vs actual for a week, who needs a
// conversation and who deserves kudos (with the reasons in words), pending sync held apart
// from "off plan", one-tap kudos, and the CSV export.
import { useEffect, useState } from 'preact/hooks'
import type { Kudos, Me, RepReviewRow, TeamReview as TeamReviewBody } from '@contract/types'
import { reviewApi } from '../api/review'
import { PLAN_STATUS_LABELS } from '../plans/labels'
import { shortInstant, StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { TeamPicker } from '../plans/TeamPicker'
import '../plans/plans.css'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { Screen } from '../ui/Screen'
import { ExportSection } from './ExportSection'
import { KudosDialog } from './KudosDialog'
import {
  drilldownPath,
  filterCounts,
  filterFromSearch,
  FILTERS,
  filterRows,
  firstName,
  percentOf,
  reviewQuery,
  SIGNAL_LABELS,
  signalsOf,
  streakText,
  weekFromSearch,
  type ReviewFilter,
} from './logic'
import { currentMonday, Pill, replaceSearch, ReviewIcon, RowPace, teamParam, todayIn, useReviewTeam, WeekPicker, weekTitle } from './parts'

export function TeamReview({ user }: { user: Me }) {
  const [team, setTeamId] = useReviewTeam(user)
  const current = currentMonday(user)
  const [week, setWeek] = useState(() => weekFromSearch(location.search) ?? current)
  const [filter, setFilter] = useState<ReviewFilter>(() => filterFromSearch(location.search))

  useEffect(() => {
    replaceSearch('/team', reviewQuery(week, current, { team: teamParam(user, team), show: filter === 'all' ? null : filter }))
  }, [week, filter, team?.id])

  if (!team) {
    return (
      <Screen title="Team">
        <EmptyState title="You don't manage a team yet.">
          <p>Ask an admin to make you the manager of a team; your reps will then show here.</p>
        </EmptyState>
      </Screen>
    )
  }
  return (
    <Screen
      title="Team"
      heading={team.name}
      intro={<p>Who needs a conversation, who deserves kudos, and everyone's plan against what they did.</p>}
    >
      <div class="toolbar review-toolbar">
        <TeamPicker user={user} team={team} onChange={setTeamId} />
        <WeekPicker week={week} current={current} onChange={setWeek} />
      </div>
      <nav class="review-links" aria-label="Team tools">
        <a class="button button--secondary" href={`/team/scrum${reviewQuery(week, current, { team: teamParam(user, team) })}`}>
          <ReviewIcon name="expand" />
          Weekly scrum
        </a>
        <a class="button button--secondary" href={`/team/people${reviewQuery(null, null, { team: teamParam(user, team) })}`}>
          <ReviewIcon name="team" />
          People
        </a>
        <a class="button button--secondary" href={`/team/coaching${reviewQuery(null, null, { team: teamParam(user, team) })}`}>
          <ReviewIcon name="sliders" />
          Thresholds and questions
        </a>
      </nav>
      <ReviewBody
        key={`${team.id}:${week}`}
        user={user}
        teamId={team.id}
        teamName={team.name}
        week={week}
        current={current}
        filter={filter}
        onFilter={setFilter}
        onThisWeek={() => setWeek(current)}
      />
    </Screen>
  )
}

function ReviewBody({
  user,
  teamId,
  teamName,
  week,
  current,
  filter,
  onFilter,
  onThisWeek,
}: {
  user: Me
  teamId: number
  teamName: string
  week: string
  current: string
  filter: ReviewFilter
  onFilter: (filter: ReviewFilter) => void
  onThisWeek: () => void
}) {
  const review = useRead(`review:${teamId}:${week}`, () => reviewApi.teamReview(teamId, week === current ? undefined : week))
  const [kudosFor, setKudosFor] = useState<RepReviewRow | null>(null)
  const [sent, setSent] = useState<{ id: number; text: string } | null>(null)
  const [counted] = useState(() => new Set<number>())
  const data = review.data

  function onSent(kudos: Kudos, row: RepReviewRow) {
    setKudosFor(null)
    setSent({ id: kudos.id, text: `Kudos sent to ${firstName(row.name)}.` })
    // A retried send answers with the first kudos: count each one once.
    if (counted.has(kudos.id)) return
    counted.add(kudos.id)
    review.setData((body) =>
      body
        ? {
            ...body,
            rows: body.rows.map((r) => (r.user_id === row.user_id ? { ...r, kudos_this_week: r.kudos_this_week + 1 } : r)),
          }
        : body,
    )
  }

  return (
    <>
      <StaleNotice show={review.stale} onRetry={review.reload} />
      {review.loading && <Loading label="Loading the team review…" />}
      {review.error && (
        <div class="stack">
          <ErrorNotice message={review.error} onRetry={review.reload} />
          {week !== current && (
            <button type="button" class="button button--secondary" onClick={onThisWeek}>
              Back to this week
            </button>
          )}
        </div>
      )}
      {data && (
        <>
          <Summary review={data} week={week} current={current} />
          <FilterBar rows={data.rows} filter={filter} onFilter={onFilter} />
          <div class="review-status" role="status">
            {sent && (
              <div class="notice notice--success" key={sent.id}>
                <p>
                  <ReviewIcon name="star" /> {sent.text}
                </p>
              </div>
            )}
          </div>
          <RepList
            review={data}
            filter={filter}
            viewerZone={user.time_zone}
            week={week}
            current={current}
            onKudos={(row) => {
              setSent(null)
              setKudosFor(row)
            }}
          />
          <ExportSection teamId={teamId} teamName={teamName} reps={data.rows} today={todayIn(user.time_zone)} />
        </>
      )}
      {kudosFor && (
        <KudosDialog row={kudosFor} week={week === current ? null : week} onClose={() => setKudosFor(null)} onSent={onSent} />
      )}
    </>
  )
}

function Summary({ review, week, current }: { review: TeamReviewBody; week: string; current: string }) {
  return (
    <section class="review-summary" aria-labelledby="review-summary-title">
      <h2 id="review-summary-title" class="review-summary__title">
        At a glance
        <span class="muted small">
          {' '}
          · {weekTitle(week, current)}
          {review.current ? ', so far' : ''}
        </span>
      </h2>
      <ul class="stats">
        <li class="stat stat--conversation">
          <ReviewIcon name="chat" />
          <span class="stat__n">{review.needs_conversation}</span>{' '}
          <span class="stat__label">{review.needs_conversation === 1 ? 'needs a conversation' : 'need a conversation'}</span>
        </li>
        <li class="stat stat--kudos">
          <ReviewIcon name="star" />
          <span class="stat__n">{review.deserves_kudos}</span>{' '}
          <span class="stat__label">{review.deserves_kudos === 1 ? 'deserves kudos' : 'deserve kudos'}</span>
        </li>
        <li class="stat stat--pending">
          <ReviewIcon name="sync" />
          <span class="stat__n">{review.pending_sync}</span>{' '}
          <span class="stat__label">pending sync</span>
        </li>
      </ul>
    </section>
  )
}

function FilterBar({ rows, filter, onFilter }: { rows: RepReviewRow[]; filter: ReviewFilter; onFilter: (f: ReviewFilter) => void }) {
  const counts = filterCounts(rows)
  return (
    <div class="segmented" role="group" aria-label="Show reps">
      {FILTERS.map((f) => (
        <button
          key={f.value}
          type="button"
          class="segmented__option"
          aria-pressed={filter === f.value ? 'true' : 'false'}
          onClick={() => onFilter(f.value)}
        >
          {filter === f.value && <ReviewIcon name="check" />}
          <span>{f.label}</span>
          <span class="segmented__count">{counts[f.value]}</span>
        </button>
      ))}
    </div>
  )
}

const EMPTY_FILTER: Record<ReviewFilter, string> = {
  all: 'No reps on this team yet.',
  conversation: 'Nobody needs a conversation this week.',
  kudos: 'No kudos signals this week.',
  pending: 'Everyone is synced.',
}

function RepList({
  review,
  filter,
  viewerZone,
  week,
  current,
  onKudos,
}: {
  review: TeamReviewBody
  filter: ReviewFilter
  viewerZone: string
  week: string
  current: string
  onKudos: (row: RepReviewRow) => void
}) {
  const rows = filterRows(review.rows, filter)
  const title = filter === 'all' ? `Reps (${rows.length})` : `Reps: ${FILTERS.find((f) => f.value === filter)?.label} (${rows.length} of ${review.rows.length})`
  return (
    <section class="review-reps" aria-labelledby="review-reps-title">
      <h2 id="review-reps-title" aria-live="polite">
        {title}
      </h2>
      {rows.length === 0 ? (
        <EmptyState title={EMPTY_FILTER[filter]}>
          {filter === 'all' && (
            <p>
              Invite reps on the <a href="/team/people">People</a> screen.
            </p>
          )}
        </EmptyState>
      ) : (
        <ul class="rep-cards">
          {rows.map((row) => (
            <RepCard key={row.user_id} row={row} viewerZone={viewerZone} week={week} current={current} currentWeek={review.current} onKudos={onKudos} />
          ))}
        </ul>
      )}
    </section>
  )
}

function RepCard({
  row,
  viewerZone,
  week,
  current,
  currentWeek,
  onKudos,
}: {
  row: RepReviewRow
  viewerZone: string
  week: string
  current: string
  currentWeek: boolean
  onKudos: (row: RepReviewRow) => void
}) {
  const conversation = signalsOf(row, 'conversation')
  const kudos = signalsOf(row, 'kudos')
  const tone = row.pending_sync ? 'pending' : conversation.length ? 'conversation' : kudos.length ? 'kudos' : 'plain'
  const withTarget = row.progress.filter((p) => p.target > 0 || p.done_total > 0)
  return (
    <li class={`rep-card rep-card--${tone}`}>
      <div class="rep-card__head">
        <h3 class="rep-card__name">
          <a href={drilldownPath(row.user_id, week, current)}>{row.name}</a>
        </h3>
        <div class="rep-card__badges">
          <RowPace row={row} />
          <Pill tone={row.plan_status === 'none' ? 'neutral' : 'info'} icon="plan">
            {PLAN_STATUS_LABELS[row.plan_status]}
          </Pill>
          {row.streak > 0 && (
            <Pill tone="ok" icon="flame">
              {streakText(row.streak)}
            </Pill>
          )}
        </div>
      </div>
      {row.pending_sync && (
        <p class="notice notice--warn small">
          <span>
            <strong>Pending sync:</strong> {row.pending_sync_reason ?? 'a device still holds logs.'} The numbers may be
            incomplete, so pace is not judged yet.
          </span>
        </p>
      )}
      <dl class="rep-card__facts">
        <div>
          <dt>Qualifying</dt>
          <dd>
            <strong>{row.qualifying}</strong> of {row.total} logged
          </dd>
        </div>
        <div>
          <dt>Plan delivered</dt>
          <dd>{row.plan_status === 'none' ? '—' : `${percentOf(row.attainment)}%`}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>{row.last_sync_at ? shortInstant(row.last_sync_at, viewerZone) : 'No device sync yet'}</dd>
        </div>
        <div>
          <dt>{currentWeek ? 'Kudos this week' : 'Kudos that week'}</dt>
          <dd class="rep-card__kudos-count">{row.kudos_this_week}</dd>
        </div>
      </dl>
      {withTarget.length > 0 ? (
        <table class="plan-actual">
          <caption class="visually-hidden">
            Plan vs actual for {row.name}: qualifying activities done, the week's target, and what a steady pace needs
            {currentWeek ? ' by now' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Activity</th>
              <th scope="col">Done</th>
              <th scope="col">Target</th>
              <th scope="col">{currentWeek ? 'By now' : 'Due'}</th>
            </tr>
          </thead>
          <tbody>
            {withTarget.map((p) => {
              const share = p.target > 0 ? Math.min(1, p.done_qualifying / p.target) : 0
              const status = row.pending_sync ? 'pending' : p.status
              return (
                <tr key={p.activity_type_id} class={`plan-actual__row plan-actual__row--${status}`}>
                  <th scope="row">
                    <span class="plan-actual__name">{p.name}</span>
                    {p.target > 0 && status !== 'pending' && status !== 'no_plan' && (
                      <span class={`plan-actual__status plan-actual__status--${status}`}>{STATUS_WORDS[status]}</span>
                    )}
                  </th>
                  <td>
                    <strong>{p.done_qualifying}</strong>
                    {p.done_total !== p.done_qualifying && <span class="plan-actual__logged"> ({p.done_total} logged)</span>}
                    {p.target > 0 && (
                      <span class="bar plan-actual__bar" aria-hidden="true">
                        <span class="bar__fill" style={{ width: `${Math.round(share * 100)}%` }} />
                      </span>
                    )}
                  </td>
                  <td>{p.target > 0 ? p.target : '—'}</td>
                  <td>{p.target > 0 ? p.expected_by_now : '—'}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      ) : (
        <p class="muted small">No targets and nothing logged this week.</p>
      )}
      {(conversation.length > 0 || kudos.length > 0) && (
        <div class="signal-groups">
          {conversation.length > 0 && (
            <div class="signal-group signal-group--conversation">
              <h4>
                <ReviewIcon name="chat" />
                Needs a conversation
              </h4>
              <ul>
                {conversation.map((s) => (
                  <li key={s.kind}>
                    <strong>{SIGNAL_LABELS[s.kind]}:</strong> {s.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {kudos.length > 0 && (
            <div class="signal-group signal-group--kudos">
              <h4>
                <ReviewIcon name="star" />
                Deserves kudos
              </h4>
              <ul>
                {kudos.map((s) => (
                  <li key={s.kind}>
                    <strong>{SIGNAL_LABELS[s.kind]}:</strong> {s.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
      <div class="row-actions rep-card__actions">
        <button
          type="button"
          class={`button ${kudos.length ? 'button--primary' : 'button--secondary'}`}
          onClick={() => onKudos(row)}
        >
          <ReviewIcon name="star" />
          Send kudos<span class="visually-hidden"> to {row.name}</span>
        </button>
        <a class="button button--secondary" href={`/team/reps/${row.user_id}/checkin`}>
          1:1<span class="visually-hidden"> check-in with {row.name}</span>
        </a>
        <a class="button button--secondary" href={drilldownPath(row.user_id, week, current)}>
          Details<span class="visually-hidden"> for {row.name}</span>
          <ReviewIcon name="chevronRight" />
        </a>
      </div>
    </li>
  )
}

const STATUS_WORDS: Record<string, string> = {
  ahead: 'Ahead',
  on_track: 'On track',
  behind: 'Behind',
  done: 'Done',
}
