// The manager's 1:1 check-in with one rep, on one screen (/team/reps/{id}/checkin): on a
// tablet, what to know on the left (the week's numbers and signals, the rep's reflection,
// last time's commitments) and the conversation on the right (questions to ask, the
// check-in itself with notes and new commitments, the agreed rhythm). One column on phones.
import type { CheckIn, CheckinWorkspace, Commitment, Me, Signal } from '@contract/types'
import { ApiError } from '../../api/client'
import { coachingApi } from '../../api/coaching'
import { PaceBadge, StaleNotice } from '../../plans/PlanParts'
import '../../plans/plans.css'
import { useRead } from '../../plans/read'
import { shortDate } from '../../plans/weeks'
import { groupSignals } from '../../review/drilldown/format'
import { GAP_LABELS, SIGNAL_LABELS, streakText, teamBackPath, teamViewQuery } from '../../review/logic'
import { ReviewIcon, RowPace } from '../../review/parts'
import { safeZone } from '../../screens/Home'
import { formatInstant } from '../../time/format'
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback'
import { Screen, Section } from '../../ui/Screen'
import { FollowUp } from './FollowUp'
import { firstName, REFLECTION_FIELDS, reflectionIsEmpty, replaceCommitment, todayIn } from './logic'
import { useTeamTypes } from './parts'
import { ScheduleCard } from './Schedule'
import { SessionCard } from './Session'
import './checkin.css'

const PLAN_WORDS: Record<CheckinWorkspace['row']['plan_status'], string> = {
  none: 'No plan this week',
  draft: 'Plan in draft',
  committed: 'Plan committed',
  acknowledged: 'Plan acknowledged',
}

export function CheckinScreen({ user, userId }: { user: Me; userId: number }) {
  const viewerZone = safeZone(user.time_zone)
  const read = useRead(`checkin-workspace:${userId}`, () => coachingApi.workspace(userId))
  const data = read.data
  const missing = read.failure instanceof ApiError && (read.failure.status === 404 || read.failure.status === 403)
  const title = data ? `Check-in with ${data.rep_name}` : 'Check-in'

  return (
    <Screen title={title} intro={<Links userId={userId} name={data?.rep_name ?? null} />}>
      <StaleNotice show={read.stale} onRetry={read.reload} />
      {read.loading && <Loading label="Loading the check-in…" />}
      {missing ? (
        <div class="notice notice--error" role="alert">
          <p>
            <strong>No check-in to show for this person.</strong> {(read.failure as ApiError).detail}
          </p>
          <a class="button button--secondary" href={teamBackPath(location.search)}>
            Back to the team
          </a>
        </div>
      ) : (
        <ErrorNotice message={read.error} onRetry={read.reload} />
      )}
      {data && !missing && (
        <Workspace
          data={data}
          user={user}
          viewerZone={viewerZone}
          update={(change) => read.setData((d) => (d ? change(d) : d))}
          reload={read.reload}
        />
      )}
    </Screen>
  )
}

function Links({ userId, name }: { userId: number; name: string | null }) {
  const who = name ? firstName(name) : 'the rep'
  return (
    <nav class="ci-links" aria-label="Related screens">
      <a href={teamBackPath(location.search)}>
        <ReviewIcon name="chevronLeft" />
        <span>Back to the team</span>
      </a>
      <a href={`/team/reps/${userId}${teamViewQuery(location.search)}`}>{name ? `${who}'s numbers in depth` : 'Numbers in depth'}</a>
      <a href={`/team/reps/${userId}/timeline`}>{name ? `${who}'s timeline` : 'Timeline'}</a>
    </nav>
  )
}

function Workspace({
  data,
  user,
  viewerZone,
  update,
  reload,
}: {
  data: CheckinWorkspace
  user: Me
  viewerZone: string
  update: (change: (d: CheckinWorkspace) => CheckinWorkspace) => void
  reload: () => void
}) {
  const repFirstName = firstName(data.rep_name)
  const repZone = safeZone(data.schedule.time_zone || data.row.time_zone)
  const today = todayIn(repZone)
  const types = useTeamTypes(user, data.row.progress.map((p) => p.activity_type_id))
  const current = data.current
  const followUp = current ? current.follow_up : data.follow_up
  const ctx = { repFirstName, viewerZone, today, repZone }

  function marked(c: Commitment) {
    update((d) => ({
      ...d,
      follow_up: replaceCommitment(d.follow_up, c),
      open_commitments: replaceCommitment(d.open_commitments, c),
      current: d.current ? { ...d.current, follow_up: replaceCommitment(d.current.follow_up, c) } : d.current,
    }))
  }

  function changed(checkin: CheckIn) {
    update((d) => {
      if (checkin.closed_at === null) return { ...d, current: checkin }
      return {
        ...d,
        current: d.current && d.current.id === checkin.id ? null : d.current,
        last_closed: !d.last_closed || d.last_closed.id <= checkin.id ? checkin : d.last_closed,
      }
    })
  }

  return (
    <>
      <nav class="ci-jump" aria-label="On this page">
        <a href="#ci-numbers">Numbers</a>
        <a href="#ci-reflection">Reflection</a>
        <a href="#ci-follow-up">Follow-up</a>
        <a href="#ci-schedule">Rhythm</a>
        <a href="#ci-questions">Questions</a>
        <a href="#ci-session">Check-in</a>
      </nav>
      <div class="ci-layout">
        <div class="ci-col">
          <div id="ci-numbers" class="ci-anchor">
            <Section title={`${repFirstName}'s week`}>
              <Numbers data={data} />
            </Section>
          </div>
          <div id="ci-reflection" class="ci-anchor">
            <Section title={`${repFirstName}'s reflection`}>
              <ReflectionPart data={data} viewerZone={viewerZone} />
            </Section>
          </div>
          <div id="ci-follow-up" class="ci-anchor">
            <Section title="Follow-up">
              <FollowUp
                followUp={followUp}
                open={data.open_commitments}
                today={today}
                repFirstName={repFirstName}
                onMarked={marked}
              />
            </Section>
          </div>
          <div id="ci-schedule" class="ci-anchor">
            <Section title="Check-in rhythm">
              <ScheduleCard
                schedule={data.schedule}
                repFirstName={repFirstName}
                viewerZone={viewerZone}
                onSaved={(schedule) => update((d) => ({ ...d, schedule }))}
              />
            </Section>
          </div>
        </div>
        <div class="ci-col">
          <div id="ci-questions" class="ci-anchor">
            <Section title="Ask, don't tell">
              <Questions data={data} repFirstName={repFirstName} />
            </Section>
          </div>
          <div id="ci-session" class="ci-anchor">
            <Section title="During the check-in">
              <SessionCard
                userId={data.user_id}
                current={current}
                lastClosed={data.last_closed}
                ctx={ctx}
                types={types}
                onChange={changed}
                onClosed={(closed) => {
                  changed(closed)
                  // The follow-up, open commitments and the next check-in move on: read them again.
                  reload()
                }}
              />
            </Section>
          </div>
        </div>
      </div>
    </>
  )
}

// ---------------------------------------------------------------- numbers

function Numbers({ data }: { data: CheckinWorkspace }) {
  const row = data.row
  const withTargets = row.progress.filter((p) => p.target > 0)
  const { conversation, watch, kudos } = groupSignals(row.signals)
  return (
    <>
      <p class="muted small">Week of {shortDate(data.week_start, true)}</p>
      <dl class="ci-facts ci-facts--row">
        <div>
          <dt>Plan</dt>
          <dd>{PLAN_WORDS[row.plan_status]}</dd>
        </div>
        <div>
          <dt>Pace</dt>
          <dd class="ci-pace">
            <RowPace row={row} />
            {withTargets.length > 0 && <span class="small">{Math.round(row.attainment * 100)}% of the plan</span>}
          </dd>
        </div>
        <div>
          <dt>Streak</dt>
          <dd>{streakText(row.streak)}</dd>
        </div>
        <div>
          <dt>Last activity</dt>
          <dd>{row.last_activity_on ? shortDate(row.last_activity_on, true) : 'None yet'}</dd>
        </div>
      </dl>
      {row.pending_sync && (
        <div class="notice notice--info ci-pending" role="status">
          <p>
            <strong>Pending sync.</strong>{' '}
            {row.pending_sync_reason ?? 'A device still holds logs that have not reached the server.'} The numbers may be
            incomplete: ask before reading them as off plan.
          </p>
        </div>
      )}
      {withTargets.length === 0 ? (
        <p class="muted">No targets for this week.</p>
      ) : (
        <ul class="ci-progress" aria-label="Plan vs actual per activity">
          {withTargets.map((p) => (
            <li key={p.activity_type_id} class="ci-progress__item">
              <div class="ci-progress__head">
                <strong>{p.name}</strong>
                {!row.pending_sync && <PaceBadge status={p.status} />}
              </div>
              <p class="ci-progress__numbers">
                <span class="ci-progress__big">
                  {p.done_qualifying} of {p.target}
                </span>{' '}
                <span class="small">qualifying</span>
              </p>
              <div class="ci-bar" aria-hidden="true">
                <span class="ci-bar__fill" style={{ width: `${Math.min(100, (p.done_qualifying / p.target) * 100)}%` }} />
                <span class="ci-bar__mark" style={{ left: `${Math.min(100, (p.expected_by_now / p.target) * 100)}%` }} />
              </div>
              <p class="small muted">
                A steady pace needs {p.expected_by_now} by now · {p.done_total} logged in all
              </p>
            </li>
          ))}
        </ul>
      )}
      <div class="ci-signals">
        <SignalGroup title="Needs a conversation" kind="conversation" signals={conversation} empty="Nothing calls for a conversation." />
        {watch.length > 0 && <SignalGroup title="Worth watching" kind="watch" signals={watch} empty="" />}
        <SignalGroup title="Deserves kudos" kind="kudos" signals={kudos} empty="Nothing to celebrate yet this week." />
      </div>
    </>
  )
}

function SignalGroup({ title, kind, signals, empty }: { title: string; kind: 'conversation' | 'watch' | 'kudos'; signals: Signal[]; empty: string }) {
  return (
    <div class={`ci-signal-group ci-signal-group--${kind}`}>
      <h3>
        <ReviewIcon name={kind === 'kudos' ? 'star' : kind === 'watch' ? 'clock' : 'alert'} />
        <span>
          {title} <span class="muted">({signals.length})</span>
        </span>
      </h3>
      {signals.length === 0 ? (
        <p class="muted small">{empty}</p>
      ) : (
        <ul>
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

// ---------------------------------------------------------------- reflection

function ReflectionPart({ data, viewerZone }: { data: CheckinWorkspace; viewerZone: string }) {
  const r = data.reflection
  const who = firstName(data.rep_name)
  if (!r || reflectionIsEmpty(r)) {
    return (
      <div class="ci-empty">
        <p>
          <strong>Not written yet.</strong> {who} can write it in the app before you meet.
        </p>
        <p class="muted">
          Next check-in: {data.schedule.next_words ?? 'not scheduled yet'}
          {data.schedule.next_words ? ` (${who}'s time)` : ''}.
        </p>
      </div>
    )
  }
  const filled = REFLECTION_FIELDS.filter((f) => r[f.key].trim())
  return (
    <>
      <dl class="ci-reflection">
        {filled.map((f) => (
          <div key={f.key} class={f.key === 'help_wanted' ? 'ci-reflection__help' : undefined}>
            <dt>{f.label}</dt>
            <dd>{r[f.key]}</dd>
          </div>
        ))}
        {r.self_rating !== null && (
          <div>
            <dt>How they rate their week</dt>
            <dd>{r.self_rating} of 5</dd>
          </div>
        )}
      </dl>
      {r.jottings.filter((j) => j.trim()).length > 0 && (
        <>
          <h3>Jotted down during the week</h3>
          <ul class="ci-jottings">
            {r.jottings
              .filter((j) => j.trim())
              .map((j, i) => (
                <li key={i}>{j}</li>
              ))}
          </ul>
        </>
      )}
      <p class="muted small">Updated {formatInstant(r.updated_at, viewerZone)}</p>
    </>
  )
}

// ---------------------------------------------------------------- questions

function Questions({ data, repFirstName }: { data: CheckinWorkspace; repFirstName: string }) {
  return (
    <>
      <p>
        Questions help {repFirstName} find the answer. Ask, listen, and hold the advice back until they have said what they
        think.
      </p>
      {data.gaps.length > 0 && (
        <div class="ci-block">
          <h3>What the numbers suggest</h3>
          <ul class="ci-gaps">
            {data.gaps.map((g, i) => (
              <li key={`${g.kind}-${i}`}>
                <strong>{GAP_LABELS[g.kind]}:</strong> {g.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {data.questions.length === 0 ? (
        <EmptyState title="No questions suggested this week.">
          <p>
            Start with: “What went well, and what would you do differently?”
          </p>
        </EmptyState>
      ) : (
        <ol class="ci-questions" aria-label="Questions to ask">
          {data.questions.map((q) => (
            <li key={q.id} class="ci-question">
              <p class="ci-question__text">{q.text}</p>
              <p class="small muted">For: {GAP_LABELS[q.gap]}</p>
            </li>
          ))}
        </ol>
      )}
    </>
  )
}
