// The manager's landing (/team): the triage first ("Talk to these first", each with one
// sentence of why and an opening question; "Kudos worth sending"), then the whole team as a
// dense, sortable, searchable table whose rows expand to the rep's week (signals by
// severity, plan vs actual, facts, one-tap kudos). Pending sync is held apart from "off
// plan"; the CSV export closes the screen. Sized for 50 reps on a tablet.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Kudos, Me, RepReviewRow, Signal, TeamReview as TeamReviewBody } from '@contract/types'
import { reviewApi } from '../api/review'
import { PLAN_STATUS_LABELS } from '../plans/labels'
import { shortInstant, StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { TeamPicker } from '../plans/TeamPicker'
import { dateTimeFormat } from '../time/intl'
import '../plans/plans.css'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { Screen } from '../ui/Screen'
import { ExportSection } from './ExportSection'
import { KudosDialog } from './KudosDialog'
import {
  ATTENTION_LABELS,
  attentionOf,
  DEFAULT_SORT,
  filterCounts,
  filterFromSearch,
  FILTERS,
  filterRows,
  firstName,
  nextSort,
  percentOf,
  repPath,
  reviewQuery,
  searchRows,
  SIGNAL_LABELS,
  signalsOf,
  signalTiers,
  sortRows,
  weekFromSearch,
  type Attention,
  type ReviewFilter,
  type Sort,
  type SortKey,
} from './logic'
import {
  currentMonday,
  Pill,
  replaceSearch,
  ReviewIcon,
  RowPace,
  teamParam,
  todayIn,
  useReviewTeam,
  WeekPicker,
  weekTitle,
  type ReviewIconName,
} from './parts'

export function TeamReview({ user }: { user: Me }) {
  const [team, setTeamId] = useReviewTeam(user)
  const current = currentMonday(user)
  const [week, setWeek] = useState(() => weekFromSearch(location.search) ?? current)
  const [filter, setFilter] = useState<ReviewFilter>(() => filterFromSearch(location.search))
  // The table's search and order outlive a change of week (the body is keyed by week).
  const [query, setQuery] = useState('')
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT)

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
  const teamQuery = teamParam(user, team)
  return (
    <Screen
      title="Team"
      heading={team.name}
      intro={<p>Who to talk to first, whose kudos are due, and the whole team's plan against what they did.</p>}
    >
      <div class="toolbar review-toolbar">
        <TeamPicker user={user} team={team} onChange={setTeamId} />
        <WeekPicker week={week} current={current} onChange={setWeek} />
      </div>
      <nav class="review-links" aria-label="Team tools">
        <a class="button button--secondary" href={`/team/scrum${reviewQuery(week, current, { team: teamQuery })}`}>
          <ReviewIcon name="expand" />
          Weekly scrum
        </a>
        <a class="button button--secondary" href={`/team/people${reviewQuery(null, null, { team: teamQuery })}`}>
          <ReviewIcon name="team" />
          People
        </a>
        <a class="button button--secondary" href={`/team/coaching${reviewQuery(null, null, { team: teamQuery })}`}>
          <ReviewIcon name="sliders" />
          Thresholds and questions
        </a>
      </nav>
      <ReviewBody
        key={`${team.id}:${week}`}
        user={user}
        teamId={team.id}
        teamName={team.name}
        teamQuery={teamQuery}
        week={week}
        current={current}
        filter={filter}
        onFilter={setFilter}
        query={query}
        onQuery={setQuery}
        sort={sort}
        onSort={setSort}
        onThisWeek={() => setWeek(current)}
      />
    </Screen>
  )
}

/** Where a rep's screens are, with the week and team kept for "Back to the team". */
interface Links {
  week: string
  current: string
  team: string | null
}

function detailsHref(row: RepReviewRow, links: Links): string {
  return repPath(row.user_id, 'drilldown', links.week, links.current, links.team)
}

function checkinHref(row: RepReviewRow, links: Links): string {
  return repPath(row.user_id, 'checkin', links.week, links.current, links.team)
}

function ReviewBody({
  user,
  teamId,
  teamName,
  teamQuery,
  week,
  current,
  filter,
  onFilter,
  query,
  onQuery,
  sort,
  onSort,
  onThisWeek,
}: {
  user: Me
  teamId: number
  teamName: string
  teamQuery: string | null
  week: string
  current: string
  filter: ReviewFilter
  onFilter: (filter: ReviewFilter) => void
  query: string
  onQuery: (query: string) => void
  sort: Sort
  onSort: (sort: Sort) => void
  onThisWeek: () => void
}) {
  const review = useRead(`review:${teamId}:${week}`, () => reviewApi.teamReview(teamId, week === current ? undefined : week))
  const [kudosFor, setKudosFor] = useState<RepReviewRow | null>(null)
  const [sent, setSent] = useState<{ id: number; text: string } | null>(null)
  const [counted] = useState(() => new Set<number>())
  const data = review.data
  const links: Links = { week, current, team: teamQuery }

  function onSent(kudos: Kudos, row: RepReviewRow) {
    setKudosFor(null)
    setSent({ id: kudos.id, text: `Kudos sent to ${firstName(row.name)}.` })
    // A retried send answers with the first kudos: count each one once.
    if (counted.has(kudos.id)) return
    counted.add(kudos.id)
    // Shown at once (no second kudos by mistake), then the server's own diagnosis: the
    // row's attention and the kudos list change with the kudos sent.
    review.setData((body) =>
      body
        ? {
            ...body,
            kudos_first: (body.kudos_first ?? []).filter((id) => id !== row.user_id),
            rows: body.rows.map((r) =>
              r.user_id === row.user_id
                ? { ...r, kudos_this_week: r.kudos_this_week + 1, attention: r.attention === 'kudos' ? 'ok' : r.attention }
                : r,
            ),
          }
        : body,
    )
    review.reload()
  }

  function openKudos(row: RepReviewRow) {
    setSent(null)
    setKudosFor(row)
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
          <div class="review-status" role="status">
            {sent && (
              <div class="notice notice--success" key={sent.id}>
                <p>
                  <ReviewIcon name="star" /> {sent.text}
                </p>
              </div>
            )}
          </div>
          <TalkFirst review={data} links={links} />
          <KudosFirst review={data} onKudos={openKudos} />
          <TeamTable
            review={data}
            filter={filter}
            onFilter={onFilter}
            query={query}
            onQuery={onQuery}
            sort={sort}
            onSort={onSort}
            viewerZone={user.time_zone}
            links={links}
            onKudos={openKudos}
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
      <div class="review-summary__head">
        <h2 id="review-summary-title" class="review-summary__title">
          At a glance
          <span class="muted small">
            {' '}
            · {weekTitle(week, current)}
            {review.current ? ', so far' : ''}
          </span>
        </h2>
        {/* Past the triage in one step: the table is the way through a team of 50. */}
        <a class="review-summary__jump" href="#review-reps-title">
          The whole team ({review.rows.length})
          <ReviewIcon name="arrowDown" />
        </a>
      </div>
      <ul class="stats">
        <li class="stat stat--conversation">
          <ReviewIcon name="chat" />
          <span class="stat__n">{review.needs_conversation}</span>{' '}
          <span class="stat__label">{review.needs_conversation === 1 ? 'needs a conversation' : 'need a conversation'}</span>
        </li>
        <li class="stat stat--watch">
          <ReviewIcon name="alert" />
          <span class="stat__n">{review.watch ?? 0}</span> <span class="stat__label">to watch</span>
        </li>
        <li class="stat stat--kudos">
          <ReviewIcon name="star" />
          <span class="stat__n">{review.deserves_kudos}</span>{' '}
          <span class="stat__label">{review.deserves_kudos === 1 ? 'deserves kudos' : 'deserve kudos'}</span>
        </li>
        <li class="stat stat--pending">
          <ReviewIcon name="sync" />
          <span class="stat__n">{review.pending_sync}</span> <span class="stat__label">pending sync</span>
        </li>
      </ul>
    </section>
  )
}

/** The rows of a list of user ids, in the list's order (ids the rows lack are skipped). */
function rowsOf(review: TeamReviewBody, ids: number[]): RepReviewRow[] {
  const byId = new Map(review.rows.map((r) => [r.user_id, r]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

function TalkFirst({ review, links }: { review: TeamReviewBody; links: Links }) {
  const rows = rowsOf(review, review.talk_first ?? [])
  const when = review.current ? 'this week' : 'that week'
  return (
    <section class="triage" aria-labelledby="talk-first-title">
      <h2 id="talk-first-title">Talk to these first</h2>
      {rows.length === 0 ? (
        <p class="muted">Nobody needs a conversation {when}.</p>
      ) : (
        <ol class="triage__list">
          {rows.map((row) => (
            <li key={row.user_id} class="triage-card">
              <h3 class="triage-card__name">
                <a href={detailsHref(row, links)}>{row.name}</a>
              </h3>
              {row.why && <p class="triage-card__why">{row.why}</p>}
              {row.question && <AskLine question={row.question} />}
              <div class="row-actions triage-card__actions">
                <a class="button button--primary" href={checkinHref(row, links)}>
                  Prepare the check-in<span class="visually-hidden"> with {row.name}</span>
                </a>
                <a class="button button--secondary" href={detailsHref(row, links)}>
                  Details<span class="visually-hidden"> for {row.name}</span>
                  <ReviewIcon name="chevronRight" />
                </a>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

function KudosFirst({ review, onKudos }: { review: TeamReviewBody; onKudos: (row: RepReviewRow) => void }) {
  const rows = rowsOf(review, review.kudos_first ?? [])
  return (
    <section class="triage triage--kudos" aria-labelledby="kudos-first-title">
      <h2 id="kudos-first-title">Kudos worth sending</h2>
      {rows.length === 0 ? (
        <p class="muted">No kudos waiting: everyone who earned them has had theirs.</p>
      ) : (
        <ul class="kudos-first">
          {rows.map((row) => (
            <li key={row.user_id} class="kudos-first__item">
              <ReviewIcon name="star" />
              <p class="kudos-first__text">
                <strong>{row.name}</strong>
                {row.why && <span class="kudos-first__why"> {row.why}</span>}
              </p>
              <button type="button" class="button button--primary" onClick={() => onKudos(row)}>
                Send kudos<span class="visually-hidden"> to {row.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
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

function emptyText(filter: ReviewFilter, current: boolean): string {
  const when = current ? 'this week' : 'that week'
  switch (filter) {
    case 'all':
      return 'No reps on this team yet.'
    case 'conversation':
      return `Nobody needs a conversation ${when}.`
    case 'watch':
      return `Nobody to watch ${when}.`
    case 'kudos':
      return `No kudos signals ${when}.`
    case 'pending':
      return 'Everyone is synced.'
  }
}

const COLUMNS: { key: SortKey; label: string; finished?: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'attention', label: 'Attention' },
  { key: 'attainment', label: 'Plan' },
  { key: 'pace', label: 'Pace', finished: 'Result' },
  { key: 'last_sync', label: 'Last sync' },
  { key: 'streak', label: 'Streak' },
]

function TeamTable({
  review,
  filter,
  onFilter,
  query,
  onQuery,
  sort,
  onSort,
  viewerZone,
  links,
  onKudos,
}: {
  review: TeamReviewBody
  filter: ReviewFilter
  onFilter: (filter: ReviewFilter) => void
  query: string
  onQuery: (query: string) => void
  sort: Sort
  onSort: (sort: Sort) => void
  viewerZone: string
  links: Links
  onKudos: (row: RepReviewRow) => void
}) {
  const filtered = filterRows(review.rows, filter)
  const rows = sortRows(searchRows(filtered, query), sort)
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set())
  // One Tab stop for the whole table (roving focus): arrows move between reps.
  const [active, setActive] = useState<number | null>(null)
  const activeId = rows.some((r) => r.user_id === active) ? active : (rows[0]?.user_id ?? null)
  const body = useRef<HTMLTableSectionElement>(null)

  const filterLabel = FILTERS.find((f) => f.value === filter)?.label
  const shown = rows.length === review.rows.length ? `${rows.length}` : `${rows.length} of ${review.rows.length}`
  const title = filter === 'all' ? `The whole team (${shown})` : `The whole team: ${filterLabel} (${shown})`

  function toggle(id: number) {
    setOpen((was) => {
      const next = new Set(was)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  }

  function onKeyDown(event: KeyboardEvent) {
    const target = event.target as HTMLElement
    if (!target.classList.contains('team-row__toggle')) return
    const toggles = [...(body.current?.querySelectorAll<HTMLButtonElement>('.team-row__toggle') ?? [])]
    const at = toggles.indexOf(target as HTMLButtonElement)
    let to = at
    if (event.key === 'ArrowDown') to = Math.min(toggles.length - 1, at + 1)
    else if (event.key === 'ArrowUp') to = Math.max(0, at - 1)
    else if (event.key === 'Home') to = 0
    else if (event.key === 'End') to = toggles.length - 1
    else return
    event.preventDefault()
    const next = toggles[to]
    if (!next) return
    setActive(Number(next.dataset.rep))
    next.focus()
  }

  return (
    <section class="review-reps" aria-labelledby="review-reps-title">
      <div class="team-head">
        <h2 id="review-reps-title" aria-live="polite" tabIndex={-1}>
          {title}
        </h2>
        <div class="team-search">
          <label for="team-search">Find a rep</label>
          <input
            id="team-search"
            type="search"
            autocomplete="off"
            spellcheck={false}
            placeholder="Name"
            value={query}
            onInput={(e) => onQuery((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </div>
      <FilterBar rows={review.rows} filter={filter} onFilter={onFilter} />
      {rows.length === 0 ? (
        <EmptyState title={query.trim() && filtered.length > 0 ? `No rep's name contains “${query.trim()}”.` : emptyText(filter, review.current)}>
          {filter === 'all' && review.rows.length === 0 && (
            <p>
              Invite reps on the <a href="/team/people">People</a> screen.
            </p>
          )}
        </EmptyState>
      ) : (
        <div class="team-table-scroll">
          <table class="team-table">
            <caption class="visually-hidden">
              One row per rep: attention, the share of the week's plan delivered, pace, last sync and streak. The column
              buttons sort; each name opens the rep's week; up and down arrows move between reps.
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const label = !review.current && c.finished ? c.finished : c.label
                  const sorted = sort.key === c.key
                  return (
                    <th key={c.key} scope="col" class={`team-table__col--${c.key}`} aria-sort={sorted ? sort.dir : undefined}>
                      <button type="button" class="team-table__sort" onClick={() => onSort(nextSort(sort, c.key))}>
                        <span>{label}</span>
                        {sorted && <ReviewIcon name={sort.dir === 'ascending' ? 'arrowUp' : 'arrowDown'} />}
                      </button>
                    </th>
                  )
                })}
              </tr>
            </thead>
            <tbody ref={body} onKeyDown={onKeyDown}>
              {rows.map((row) => (
                <TeamRow
                  key={row.user_id}
                  row={row}
                  expanded={open.has(row.user_id)}
                  tabbable={row.user_id === activeId}
                  onToggle={() => {
                    setActive(row.user_id)
                    toggle(row.user_id)
                  }}
                  onFocus={() => setActive(row.user_id)}
                  viewerZone={viewerZone}
                  currentWeek={review.current}
                  links={links}
                  onKudos={onKudos}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

const ATTENTION_PILLS: Record<Attention, { tone: 'warn' | 'ok' | 'info' | 'neutral'; icon: ReviewIconName }> = {
  talk: { tone: 'warn', icon: 'chat' },
  watch: { tone: 'neutral', icon: 'alert' },
  kudos: { tone: 'ok', icon: 'star' },
  ok: { tone: 'neutral', icon: 'check' },
  pending: { tone: 'info', icon: 'sync' },
  away: { tone: 'neutral', icon: 'clock' },
}

function AttentionPill({ attention }: { attention: Attention }) {
  const pill = ATTENTION_PILLS[attention]
  return (
    <Pill tone={pill.tone} icon={pill.icon}>
      {ATTENTION_LABELS[attention]}
    </Pill>
  )
}

/** The table's last sync: "Fri 19:36" within the week, "28 Nov" before (the detail has the time). */
function syncCell(iso: string, timeZone: string): string {
  const date = new Date(iso)
  if (date.getTime() > Date.now() - 6 * 86_400_000) return shortInstant(iso, timeZone)
  try {
    return dateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }).format(date)
  } catch {
    return shortInstant(iso, timeZone)
  }
}

/** Words for a finished week's result: no "on track" or "ahead" once the week is over. */
const RESULT_WORDS: Record<RepReviewRow['pace_status'], string> = {
  ahead: 'Plan met',
  done: 'Plan met',
  on_track: 'On plan',
  behind: 'Short of plan',
  no_plan: 'No target',
}

function RowResult({ row, currentWeek }: { row: RepReviewRow; currentWeek: boolean }) {
  // The attention column already says "Pending sync": here, only that pace is held back.
  if (row.pending_sync) return <span class="muted">Not judged</span>
  if (currentWeek) return <RowPace row={row} />
  const met = row.pace_status === 'done' || row.pace_status === 'ahead' || row.pace_status === 'on_track'
  return (
    <Pill tone={row.pace_status === 'no_plan' ? 'neutral' : met ? 'ok' : 'warn'} icon={met ? 'check' : row.pace_status === 'no_plan' ? 'minus' : 'arrowDown'}>
      {RESULT_WORDS[row.pace_status]}
    </Pill>
  )
}

function TeamRow({
  row,
  expanded,
  tabbable,
  onToggle,
  onFocus,
  viewerZone,
  currentWeek,
  links,
  onKudos,
}: {
  row: RepReviewRow
  expanded: boolean
  tabbable: boolean
  onToggle: () => void
  onFocus: () => void
  viewerZone: string
  currentWeek: boolean
  links: Links
  onKudos: (row: RepReviewRow) => void
}) {
  const detailId = `rep-detail-${row.user_id}`
  return (
    <>
      <tr class={`team-row team-row--${attentionOf(row)}${expanded ? ' team-row--open' : ''}`}>
        <th scope="row" class="team-row__name">
          <button
            type="button"
            class="team-row__toggle"
            data-rep={row.user_id}
            tabIndex={tabbable ? 0 : -1}
            aria-expanded={expanded ? 'true' : 'false'}
            aria-controls={expanded ? detailId : undefined}
            onClick={onToggle}
            onFocus={onFocus}
          >
            <ReviewIcon name="chevronRight" />
            <span>{row.name}</span>
          </button>
        </th>
        <td>
          <AttentionPill attention={attentionOf(row)} />
        </td>
        <td>{row.plan_status === 'none' ? 'No plan' : `${percentOf(row.attainment)}%`}</td>
        <td>
          <RowResult row={row} currentWeek={currentWeek} />
        </td>
        <td class="team-table__sync">{row.last_sync_at ? syncCell(row.last_sync_at, viewerZone) : 'Never'}</td>
        <td class="team-table__streak">
          {row.streak > 0 ? (
            <>
              {row.streak}
              <span aria-hidden="true"> wk</span>
              <span class="visually-hidden"> {row.streak === 1 ? 'week' : 'weeks'} on plan</span>
            </>
          ) : (
            <>
              <span aria-hidden="true">—</span>
              <span class="visually-hidden">no streak</span>
            </>
          )}
        </td>
      </tr>
      {expanded && (
        <tr class={`team-row__detail team-row__detail--${attentionOf(row)}`} id={detailId}>
          <td colSpan={COLUMNS.length}>
            <RepDetail row={row} viewerZone={viewerZone} currentWeek={currentWeek} links={links} onKudos={onKudos} />
          </td>
        </tr>
      )}
    </>
  )
}

/** A rep's week in full: what the team card used to show. */
function RepDetail({
  row,
  viewerZone,
  currentWeek,
  links,
  onKudos,
}: {
  row: RepReviewRow
  viewerZone: string
  currentWeek: boolean
  links: Links
  onKudos: (row: RepReviewRow) => void
}) {
  const tiers = signalTiers(row)
  const kudos = signalsOf(row, 'kudos')
  const withTarget = row.progress.filter((p) => p.target > 0 || p.done_total > 0)
  const when = currentWeek ? 'this week' : 'that week'
  return (
    <div class="rep-detail">
      {row.why && <p class="rep-detail__why">{row.why}</p>}
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
          <dt>Plan</dt>
          <dd>{PLAN_STATUS_LABELS[row.plan_status]}</dd>
        </div>
        <div>
          <dt>Qualifying</dt>
          <dd>
            <strong>{row.qualifying}</strong> of {row.total} logged
          </dd>
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
            {currentWeek ? ' by now' : ' by the end of that week'}
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
                      <span class={`plan-actual__status plan-actual__status--${status}`}>
                        {(currentWeek ? STATUS_WORDS : FINISHED_STATUS_WORDS)[status]}
                      </span>
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
        <p class="muted small">No targets and nothing logged {when}.</p>
      )}
      {row.signals.length > 0 && (
        <div class="signal-groups">
          <SignalGroup tier="conversation" title="Needs a conversation" icon="chat" signals={tiers.talk} />
          <SignalGroup tier="watch" title="Watch" icon="alert" signals={tiers.watch} />
          <SignalGroup tier="kudos" title="Deserves kudos" icon="star" signals={tiers.kudos} />
        </div>
      )}
      {row.question && <AskLine question={row.question} />}
      <div class="row-actions rep-card__actions">
        <button
          type="button"
          class={`button ${kudos.length && row.kudos_this_week === 0 ? 'button--primary' : 'button--secondary'}`}
          onClick={() => onKudos(row)}
        >
          <ReviewIcon name="star" />
          Send kudos<span class="visually-hidden"> to {row.name}</span>
        </button>
        <a class="button button--secondary" href={checkinHref(row, links)}>
          1:1<span class="visually-hidden"> check-in with {row.name}</span>
        </a>
        <a class="button button--secondary" href={detailsHref(row, links)}>
          Details<span class="visually-hidden"> for {row.name}</span>
          <ReviewIcon name="chevronRight" />
        </a>
      </div>
    </div>
  )
}

function SignalGroup({ tier, title, icon, signals }: { tier: string; title: string; icon: ReviewIconName; signals: Signal[] }) {
  if (signals.length === 0) return null
  return (
    <div class={`signal-group signal-group--${tier}`}>
      <h3>
        <ReviewIcon name={icon} />
        {title}
      </h3>
      <ul>
        {signals.map((s) => (
          <li key={s.kind}>
            <strong>{SIGNAL_LABELS[s.kind]}:</strong> {s.reason}
          </li>
        ))}
      </ul>
    </div>
  )
}

const STATUS_WORDS: Record<string, string> = {
  ahead: 'Ahead',
  on_track: 'On track',
  behind: 'Behind',
  done: 'Done',
}

/** A finished week has no pace, only a result. */
const FINISHED_STATUS_WORDS: Record<string, string> = {
  ahead: 'Met',
  on_track: 'Met',
  behind: 'Short',
  done: 'Met',
}

/** The question the diagnosis suggests opening the conversation with. */
function AskLine({ question }: { question: string }) {
  return (
    <p class="triage-card__question">
      <ReviewIcon name="chat" />
      <span>
        <span class="triage-card__ask">Ask:</span> “{question}”
      </span>
    </p>
  )
}
