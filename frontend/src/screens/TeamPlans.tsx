// Manager: every rep's plan for a week — who committed, who missed the deadline, what
// they plan — and one rep's plan to acknowledge or ask a question about.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ActivityType, Me, Plan, PlanComment, TeamPlanRow, TeamRef } from '@contract/types'
import { plansApi } from '../api/plans'
import { NOT_SURE_CONVERSATIONS, PLAN_STATUS_LABELS, plural } from '../plans/labels'
import { Acknowledgement, CommentThread, RevisionHistory, StaleNotice, TargetsList } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { TeamPicker, useTeamChoice } from '../plans/TeamPicker'
import { reviewWeeks, thisMonday } from '../plans/weeks'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { SelectField } from '../ui/fields'
import { useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import { safeZone } from './Home'

type Names = Map<number, { name: string; icon: string }>

export function TeamPlans({ user }: { user: Me }) {
  const [team, setTeamId] = useTeamChoice(user)
  const current = thisMonday(new Date(), safeZone(user.time_zone))
  const [week, setWeek] = useState(current)

  if (!team) {
    return (
      <Screen title="Plans">
        <EmptyState title="You don't manage a team yet.">
          <p>Ask an admin to make you the manager of a team; your reps' plans will then show here.</p>
        </EmptyState>
      </Screen>
    )
  }
  return (
    <Screen title="Plans" intro={<p>Each rep's plan for the week: acknowledge it, or ask a question.</p>}>
      <div class="toolbar">
        <TeamPicker user={user} team={team} onChange={setTeamId} />
        <SelectField label="Week" name="week" value={week} options={reviewWeeks(current)} onChange={setWeek} />
      </div>
      <TeamWeekView key={`${team.id}`} user={user} team={team} week={week} />
    </Screen>
  )
}

function TeamWeekView({ user, team, week }: { user: Me; team: TeamRef; week: string }) {
  const teamWeek = useRead(`team-week:${team.id}:${week}`, () => plansApi.teamWeek(team.id, week))
  const types = useRead(`types:${team.id}`, () => plansApi.activityTypes(team.id))
  const [open, setOpen] = useState<number | null>(null)
  const names: Names = new Map((types.data ?? []).map((t: ActivityType) => [t.id, t]))
  const rows = teamWeek.data?.rows ?? []
  const openRow = rows.find((r) => r.user_id === open)

  return (
    <>
      <StaleNotice show={teamWeek.stale} onRetry={teamWeek.reload} />
      {teamWeek.loading && <Loading label="Loading the team's plans…" />}
      <ErrorNotice message={teamWeek.error} onRetry={teamWeek.reload} />
      <ErrorNotice message={types.error} onRetry={types.reload} />
      {teamWeek.data && (
        <Section title={`${team.name}: ${plural(rows.filter((r) => r.status === 'committed' || r.status === 'acknowledged').length, 'plan')} committed of ${rows.length}`}>
          <p class="muted">{teamWeek.data.deadline_note}</p>
          {rows.length === 0 && <EmptyState title="No reps on this team yet." />}
          <ul class="plan-rows plan-rows--grid">
            {rows.map((row) => (
              <PlanRowCard key={row.user_id} row={row} names={names} onOpen={() => setOpen(row.user_id)} open={open === row.user_id} />
            ))}
          </ul>
        </Section>
      )}
      {openRow && (
        <RepPlan
          key={`${openRow.user_id}:${week}`}
          user={user}
          row={openRow}
          week={week}
          names={names}
          onClose={() => setOpen(null)}
          onChanged={() => teamWeek.reload()}
        />
      )}
    </>
  )
}

function StatusBadge({ status }: { status: TeamPlanRow['status'] }) {
  const tone = status === 'acknowledged' ? 'badge--ok' : status === 'committed' ? 'badge--team' : status === 'none' ? 'badge--warn' : 'badge--draft'
  return <span class={`badge ${tone}`}>{PLAN_STATUS_LABELS[status]}</span>
}

function PlanRowCard({ row, names, onOpen, open }: { row: TeamPlanRow; names: Names; onOpen: () => void; open: boolean }) {
  return (
    <li class={`plan-row${row.missed_deadline ? ' plan-row--missed' : ''}`}>
      <div class="plan-row__head">
        <h3 class="plan-row__name">{row.name}</h3>
        <StatusBadge status={row.status} />
        {row.missed_deadline && <span class="badge badge--warn">Missed the deadline</span>}
      </div>
      {row.status !== 'none' && <TargetsList targets={row.targets} names={names} />}
      {row.commitments.length > 0 && (
        <ul class="commitments">
          {row.commitments.map((c, i) => (
            <li key={i}>{c}</li>
          ))}
        </ul>
      )}
      {!row.preferences_answered && <p class="muted small">Hasn't said yet how they'd like to be held accountable.</p>}
      {row.not_sure.length > 0 && (
        <div>
          <p class="small">
            <strong>Conversations to have:</strong>
          </p>
          <ul class="conversations small">
            {row.not_sure.map((field) => (
              <li key={field}>{NOT_SURE_CONVERSATIONS[field] ?? `Not sure yet about ${field.replace(/_/g, ' ')}.`}</li>
            ))}
          </ul>
        </div>
      )}
      <p class="muted small">
        {plural(row.revision_count, 'revision')} · {plural(row.comment_count, 'message')}
      </p>
      {row.plan_id !== null && (
        <div class="row-actions">
          <button type="button" class="button button--secondary" onClick={onOpen} aria-expanded={open}>
            Open {row.name}'s plan
          </button>
        </div>
      )}
    </li>
  )
}

function RepPlan({
  user,
  row,
  week,
  names,
  onClose,
  onChanged,
}: {
  user: Me
  row: TeamPlanRow
  week: string
  names: Names
  onClose: () => void
  onChanged: () => void
}) {
  const view = useRead(`week:${week}:${row.user_id}`, () => plansApi.week(week, row.user_id))
  const ack = useSubmit()
  const plan = view.data?.plan ?? null
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    box.current?.scrollIntoView?.({ block: 'start' })
  }, [])

  function setPlan(next: Plan) {
    view.setData((v) => (v ? { ...v, plan: next } : v))
  }

  async function acknowledge() {
    if (!plan) return
    const fresh = await ack.run(() => plansApi.acknowledge(plan.id))
    if (fresh) {
      setPlan(fresh)
      onChanged()
    }
  }

  return (
    <div ref={box} class="rep-plan">
    <Section
      title={`${row.name}'s plan`}
      actions={
        <button type="button" class="button button--secondary" onClick={onClose}>
          Close
        </button>
      }
    >
      <StaleNotice show={view.stale} onRetry={view.reload} />
      {view.loading && <Loading label="Loading the plan…" />}
      <ErrorNotice message={view.error} onRetry={view.reload} />
      {view.data && !plan && <EmptyState title={`${row.name} has no plan for this week.`} />}
      {plan && (
        <>
          <Acknowledgement plan={plan} timeZone={user.time_zone} />
          {plan.status === 'committed' && !plan.acknowledged_at && (
            <div class="row-actions">
              <button type="button" class="button button--primary" disabled={ack.busy} onClick={acknowledge}>
                {ack.busy ? 'Acknowledging…' : 'Acknowledge plan'}
              </button>
            </div>
          )}
          <ErrorNotice message={ack.error} />
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
            prompt={`Ask ${row.name.split(/\s+/)[0]} a question`}
            hint="Coach by asking: what would help this week?"
            onAdded={(comment: PlanComment) => {
              setPlan({ ...plan, comments: [...plan.comments, comment] })
              onChanged()
            }}
          />
        </>
      )}
    </Section>
    </div>
  )
}
