// The rep builds this week's or next week's plan: a target per activity type, their own
// commitments, and a funnel calculator whose numbers can fill the targets.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { ActivityType, FunnelResult, Goal, Me, Plan, WeekView } from '@contract/types'
import { ApiError, describeError } from '../api/client'
import { plansApi } from '../api/plans'
import {
  clampTarget,
  fromPlanTargets,
  latestOnly,
  MAX_TARGET,
  percentToRatio,
  ratioOverrides,
  ratioToPercent,
  SOURCE_LABELS,
  targetsFromFunnel,
  toPlanTargets,
} from '../plans/funnel'
import { ActivityIcon, RevisionHistory, shortInstant, StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { planWeeks, previousMonday, thisMonday } from '../plans/weeks'
import { ErrorNotice, Loading, SuccessNotice } from '../ui/feedback'
import { NumberField, SelectField, TextArea, TextField } from '../ui/fields'
import { Icon } from '../ui/icons'
import { useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import { safeZone } from './Home'
import { dateTimeFormat } from '../time/intl'

const MAX_COMMITMENTS = 10

export function PlanBuilder({ user }: { user: Me }) {
  const current = thisMonday(new Date(), safeZone(user.time_zone))
  const weeks = planWeeks(current)
  const [week, setWeek] = useState(current)
  const view = useRead(`week:${week}:${user.id}`, () => plansApi.week(week))
  // Lives here: saving remounts the form (new version), the confirmation must survive it.
  const [notice, setNotice] = useState<string | null>(null)

  return (
    <Screen title="Plan your week" intro={<p>Choose what you'll do this week — the activities you control.</p>}>
      <div class="toolbar">
        <SelectField
          label="Week"
          name="week"
          value={week}
          options={weeks}
          onChange={(value) => {
            setNotice(null)
            setWeek(value)
          }}
        />
      </div>
      <StaleNotice show={view.stale} onRetry={view.reload} />
      {view.loading && <Loading label="Loading your plan…" />}
      <ErrorNotice message={view.error} onRetry={view.reload} />
      {view.data && (
        <PlanForm
          key={`${week}:${view.data.plan?.version ?? 'new'}:${view.data.plan?.status ?? ''}`}
          user={user}
          view={view.data}
          notice={notice}
          setNotice={setNotice}
          onPlan={(plan) => view.setData((v) => (v ? { ...v, plan } : v))}
        />
      )}
    </Screen>
  )
}

function PlanForm({
  user,
  view,
  onPlan,
  notice,
  setNotice,
}: {
  user: Me
  view: WeekView
  onPlan: (plan: Plan) => void
  notice: string | null
  setNotice: (notice: string | null) => void
}) {
  const types = view.progress.map((p) => p.activity_type)
  const plan = view.plan
  const [targets, setTargets] = useState<Record<number, number>>(() => (plan ? fromPlanTargets(plan.targets) : {}))
  const [commitments, setCommitments] = useState<string[]>(() => (plan?.commitments.length ? plan.commitments : []))
  const [reason, setReason] = useState('')
  const submission = useSubmit()
  const copy = useSubmit()
  const noticeBox = useRef<HTMLDivElement>(null)
  useEffect(() => {
    noticeBox.current?.scrollIntoView?.({ block: 'center' })
  }, [notice])
  const committed = plan?.status === 'committed'
  const names = new Map(types.map((t) => [t.id, t]))

  const cleanCommitments = commitments.map((c) => c.trim()).filter(Boolean)
  const changed =
    !plan ||
    JSON.stringify(toPlanTargets(targets)) !== JSON.stringify(toPlanTargets(fromPlanTargets(plan.targets))) ||
    JSON.stringify(cleanCommitments) !== JSON.stringify(plan.commitments)

  function setTarget(id: number, value: number) {
    setNotice(null)
    setTargets((t) => ({ ...t, [id]: clampTarget(value) }))
  }

  async function copyLastWeek() {
    setNotice(null)
    const last = await copy.run(() => plansApi.week(previousMonday(view.week_start)))
    if (!last) return
    if (!last.plan) {
      copy.fail('There is no plan for last week to copy.')
      return
    }
    setTargets(fromPlanTargets(last.plan.targets))
    setCommitments(last.plan.commitments)
    setNotice("Copied last week's targets and commitments. Change what you like, then save.")
  }

  async function save(commit: boolean) {
    setNotice(null)
    const problems: Record<string, string> = {}
    if (committed && changed && !reason.trim()) problems.reason = 'Say why the plan changes.'
    if (commit && toPlanTargets(targets).length === 0) problems.targets = 'Set a target for at least one activity.'
    if (Object.keys(problems).length) {
      submission.fail('Please fix the highlighted fields.', problems)
      return
    }
    const saved = await submission.run(async () => {
      let result: Plan = plan as Plan
      if (changed) {
        result = await plansApi.savePlan(view.week_start, {
          targets: toPlanTargets(targets),
          commitments: cleanCommitments,
          reason: committed ? reason.trim() : null,
        })
      }
      if (commit && result.status !== 'committed') result = await plansApi.commitPlan(view.week_start)
      return result
    })
    if (saved) {
      setNotice(
        committed
          ? `Plan changed (version ${saved.version}). Your manager will see why.`
          : saved.status === 'committed'
            ? 'Plan committed. Your manager can now see and acknowledge it.'
            : 'Draft saved. Commit it when you are ready.',
      )
      onPlan(saved)
      setReason('')
    }
  }

  const errors = submission.fieldErrors
  return (
    <>
      <Section title={committed ? 'Your committed plan' : 'Targets'}>
        <p class="muted small">
          {committed
            ? `Committed${plan?.committed_at ? ` ${shortInstant(plan.committed_at, user.time_zone)}` : ''}. You can still adjust it — say why, and it's kept in the history.`
            : `Plans are due ${shortInstant(view.deadline, user.time_zone)}.`}
        </p>
        {notice && (
          <div ref={noticeBox}>
            <SuccessNotice>
              <p>{notice}</p>
            </SuccessNotice>
          </div>
        )}
        <ErrorNotice message={copy.error} />
        <div class="row-actions">
          <button type="button" class="button button--secondary" onClick={copyLastWeek} disabled={copy.busy || submission.busy}>
            <Icon name="repeat" />
            {copy.busy ? 'Copying…' : 'Copy last week'}
          </button>
        </div>
        {errors.targets && <p class="field__error">{errors.targets}</p>}
        <ul class="stepper-list" aria-label="Targets per activity">
          {types.map((type) => (
            <TargetStepper
              key={type.id}
              type={type}
              value={targets[type.id] ?? 0}
              onChange={(value) => setTarget(type.id, value)}
              disabled={submission.busy}
            />
          ))}
        </ul>
      </Section>

      <Section title="Your commitments">
        <p class="muted small">In your own words, e.g. "book 2 demos with existing accounts". Up to {MAX_COMMITMENTS}.</p>
        {commitments.length === 0 && <p class="muted">No commitments yet.</p>}
        <ol class="stepper-list">
          {commitments.map((text, index) => (
            <li key={index} class="commitment-edit">
              <TextField
                label={`Commitment ${index + 1}`}
                name={`commitment-${index}`}
                value={text}
                maxLength={200}
                disabled={submission.busy}
                error={errors[`commitments[${index}]`] ?? errors[`commitments.${index}`]}
                onInput={(value) => setCommitments((list) => list.map((c, i) => (i === index ? value : c)))}
              />
              <button
                type="button"
                class="button button--secondary"
                disabled={submission.busy}
                aria-label={`Remove commitment ${index + 1}`}
                onClick={() => setCommitments((list) => list.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
        {errors.commitments && <p class="field__error">{errors.commitments}</p>}
        <div class="row-actions">
          <button
            type="button"
            class="button button--secondary"
            disabled={commitments.length >= MAX_COMMITMENTS || submission.busy}
            onClick={() => setCommitments((list) => [...list, ''])}
          >
            <Icon name="plus" />
            Add a commitment
          </button>
        </div>
      </Section>

      <FunnelCalculator types={types} onUse={(funnel) => setTargets((t) => targetsFromFunnel(t, funnel))} />

      {committed && changed && (
        <Section title="Why does the plan change?">
          <TextArea
            label="Reason for the change"
            name="reason"
            value={reason}
            onInput={setReason}
            error={errors.reason}
            hint="Required for a committed plan. Your manager sees it in the plan's history."
            disabled={submission.busy}
            maxLength={500}
          />
        </Section>
      )}

      {(!committed || changed || submission.error) && (
      <div class="sticky-actions">
        <ErrorNotice message={submission.error} />
        {committed ? (
          <button type="button" class="button button--primary" disabled={submission.busy || !changed} onClick={() => save(false)}>
            {submission.busy ? 'Saving…' : changed ? 'Save the change' : 'No changes to save'}
          </button>
        ) : (
          <>
            <button type="button" class="button button--secondary" disabled={submission.busy} onClick={() => save(false)}>
              {submission.busy ? 'Saving…' : 'Save draft'}
            </button>
            <button type="button" class="button button--primary" disabled={submission.busy} onClick={() => save(true)}>
              {submission.busy ? 'Saving…' : 'Commit plan'}
            </button>
          </>
        )}
      </div>
      )}

      {plan && plan.revisions.length > 0 && (
        <Section title="Revision history">
          <RevisionHistory plan={plan} timeZone={user.time_zone} names={names} />
        </Section>
      )}
    </>
  )
}

function TargetStepper({
  type,
  value,
  onChange,
  disabled,
}: {
  type: ActivityType
  value: number
  onChange: (value: number) => void
  disabled: boolean
}) {
  const id = `target-${type.id}`
  const [text, setText] = useState(String(value))
  useEffect(() => setText(String(value)), [value])
  return (
    <li class="stepper">
      <ActivityIcon icon={type.icon} />
      <label for={id}>{type.name} per week</label>
      <div class="stepper__controls">
        <button
          type="button"
          class="button button--secondary"
          aria-label={`One ${type.name} less`}
          disabled={disabled || value <= 0}
          onClick={() => onChange(value - 1)}
        >
          <Icon name="minus" />
        </button>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_TARGET}
          step={1}
          value={text}
          disabled={disabled}
          aria-describedby={`${id}-hint`}
          onInput={(event) => {
            const raw = (event.currentTarget as HTMLInputElement).value
            setText(raw)
            if (raw !== '') onChange(Number(raw))
          }}
          onBlur={() => setText(String(value))}
        />
        <button
          type="button"
          class="button button--secondary"
          aria-label={`One ${type.name} more`}
          disabled={disabled || value >= MAX_TARGET}
          onClick={() => onChange(value + 1)}
        >
          <Icon name="plus" />
        </button>
      </div>
      <p class="stepper__hint muted small" id={`${id}-hint`}>
        Counts when: {type.quality_bar || `quality ${type.quality_min} of 5 or better`}.
      </p>
    </li>
  )
}

interface GoalForm {
  kind: Goal['kind']
  amount: string
  period: Goal['period']
  avgDealSize: string
}

function goalFromForm(form: GoalForm, edits: Record<number, string>): { goal: Goal | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const amount = Number(form.amount)
  if (!form.amount.trim() || !Number.isFinite(amount) || amount <= 0) errors.amount = 'Enter a goal above 0.'
  const deal = Number(form.avgDealSize)
  const needsDeal = form.kind === 'revenue'
  if (needsDeal && (!form.avgDealSize.trim() || !Number.isFinite(deal) || deal <= 0)) {
    errors.avg_deal_size = 'Enter your average deal size to turn revenue into deals.'
  }
  for (const [id, text] of Object.entries(edits)) {
    if (percentToRatio(text) === null) errors[`ratio-${id}`] = 'Enter a percentage above 0 and at most 100.'
  }
  if (Object.keys(errors).length) return { goal: null, errors }
  return {
    goal: {
      kind: form.kind,
      amount,
      period: form.period,
      avg_deal_size: form.avgDealSize.trim() && deal > 0 ? deal : null,
      ratio_overrides: ratioOverrides(edits),
    },
    errors,
  }
}

/** "goal.avg_deal_size" → "avg_deal_size": server field errors next to our fields. */
function lastSegment(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.split('.').pop() ?? k, v]))
}

function FunnelCalculator({ types, onUse }: { types: ActivityType[]; onUse: (funnel: FunnelResult) => void }) {
  const [form, setForm] = useState<GoalForm>({ kind: 'revenue', amount: '', period: 'month', avgDealSize: '' })
  const [edits, setEdits] = useState<Record<number, string>>({})
  const [result, setResult] = useState<FunnelResult | null>(null)
  const [computing, setComputing] = useState(false)
  const [serverError, setServerError] = useState<string | null>(null)
  const [serverFields, setServerFields] = useState<Record<string, string>>({})
  const [touched, setTouched] = useState(false)
  const [used, setUsed] = useState(false)
  const saveGoal = useSubmit()
  const goalRead = useRead('goal', () => plansApi.goal())
  const loadedGoal = useRef(false)

  const runner = useMemo(
    () =>
      latestOnly<Goal, FunnelResult>(
        (goal, signal) => plansApi.funnel({ goal }, signal),
        (funnel) => {
          setResult(funnel)
          setComputing(false)
          setServerError(null)
          setServerFields({})
        },
        (error) => {
          setComputing(false)
          setServerError(describeError(error))
          setServerFields(error instanceof ApiError ? lastSegment(error.fieldErrors) : {})
        },
      ),
    [],
  )
  useEffect(() => () => runner.cancel(), [runner])

  // Start from the saved goal, once.
  useEffect(() => {
    const saved = goalRead.data
    if (loadedGoal.current || goalRead.loading) return
    loadedGoal.current = true
    if (saved) {
      setForm({
        kind: saved.kind,
        amount: String(saved.amount),
        period: saved.period,
        avgDealSize: saved.avg_deal_size ? String(saved.avg_deal_size) : '',
      })
      setEdits(
        Object.fromEntries((saved.ratio_overrides ?? []).map((r) => [r.activity_type_id, String(ratioToPercent(r.ratio))])),
      )
      setTouched(true)
    }
  }, [goalRead.data, goalRead.loading])

  const { goal, errors } = goalFromForm(form, edits)
  const goalKey = JSON.stringify(goal)
  useEffect(() => {
    if (!touched) return
    setUsed(false)
    if (!goal) {
      runner.cancel()
      setComputing(false)
      return
    }
    setComputing(true)
    runner.schedule(goal)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [goalKey, touched])

  function update(patch: Partial<GoalForm>) {
    setTouched(true)
    setForm((f) => ({ ...f, ...patch }))
  }

  async function use() {
    if (!result || !goal) return
    onUse(result)
    setUsed(true)
    await saveGoal.run(() => plansApi.saveGoal(goal))
  }

  const shown = touched ? errors : {}
  const fieldError = (name: string) => shown[name] ?? serverFields[name]
  const typeName = new Map(types.map((t) => [t.id, t]))
  return (
    <Section title="Funnel calculator">
      <p class="muted small">
        From your goal to the weekly activity it takes. Change the goal or a ratio and the numbers follow at once.
      </p>
      <div class="form__grid">
        <SelectField
          label="Goal in"
          name="kind"
          value={form.kind}
          options={[
            { value: 'revenue', label: 'Revenue' },
            { value: 'deals', label: 'Number of deals' },
          ]}
          onChange={(kind) => update({ kind: kind as Goal['kind'] })}
        />
        <SelectField
          label="Per"
          name="period"
          value={form.period}
          options={[
            { value: 'month', label: 'Month' },
            { value: 'quarter', label: 'Quarter' },
          ]}
          onChange={(period) => update({ period: period as Goal['period'] })}
        />
        <NumberField
          label={form.kind === 'revenue' ? 'Revenue goal' : 'Deals goal'}
          name="amount"
          value={form.amount}
          onInput={(amount) => update({ amount })}
          error={fieldError('amount')}
        />
        <NumberField
          label="Average deal size"
          name="avg_deal_size"
          value={form.avgDealSize}
          onInput={(avgDealSize) => update({ avgDealSize })}
          error={fieldError('avg_deal_size')}
          hint={form.kind === 'deals' ? 'Optional when the goal is in deals.' : undefined}
        />
      </div>
      <ErrorNotice message={serverError} />
      {computing && !result && <Loading label="Working out the numbers…" />}
      {result && (
        <div class="funnel" aria-busy={computing ? 'true' : undefined}>
          <p>
            <strong>{result.deals}</strong> {result.deals === 1 ? 'deal' : 'deals'} over {result.working_weeks} working
            weeks ({shortRange(result.period_start, result.period_end)}).
            {computing && <span class="muted small"> Updating…</span>}
          </p>
          <table class="funnel-table">
            <caption class="visually-hidden">Weekly activity needed per funnel stage</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Converts</th>
                <th scope="col" class="num">
                  Per week
                </th>
              </tr>
            </thead>
            <tbody>
              {result.stages.map((stage) => {
                const id = `ratio-${stage.activity_type_id}`
                const edited = edits[stage.activity_type_id]
                return (
                  <tr key={stage.activity_type_id}>
                    <th scope="row">
                      <span class="stage-name">
                        {typeName.get(stage.activity_type_id)?.name ?? stage.name}
                      </span>
                      <span class="muted small block">
                        {stage.total} in total
                      </span>
                    </th>
                    <td>
                      <label class="visually-hidden" for={id}>
                        {stage.name} conversion in percent
                      </label>
                      <input
                        id={id}
                        type="number"
                        inputMode="decimal"
                        min={0.1}
                        max={100}
                        step={0.1}
                        value={edited ?? String(ratioToPercent(stage.ratio))}
                        aria-describedby={`${id}-src${fieldError(id) ? ` ${id}-err` : ''}`}
                        aria-invalid={fieldError(id) ? 'true' : undefined}
                        onInput={(event) => {
                          const value = (event.currentTarget as HTMLInputElement).value
                          setTouched(true)
                          setEdits((e) => ({ ...e, [stage.activity_type_id]: value }))
                        }}
                      />
                      <span class="small"> %</span>
                      <span class="muted small block" id={`${id}-src`}>
                        from {edited !== undefined ? SOURCE_LABELS.override : SOURCE_LABELS[stage.ratio_source] ?? stage.ratio_source}
                      </span>
                      {fieldError(id) && (
                        <span class="field__error block" id={`${id}-err`}>
                          {fieldError(id)}
                        </span>
                      )}
                    </td>
                    <td class="num">
                      <span class="weekly" data-stage={stage.activity_type_id}>
                        {stage.weekly}
                      </span>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <p class="explanation small">{result.explanation}</p>
          {Object.keys(edits).length > 0 && (
            <button type="button" class="button button--link" onClick={() => setEdits({})}>
              Back to the suggested ratios
            </button>
          )}
          <ErrorNotice message={saveGoal.error} />
          {used && !saveGoal.error && (
            <p class="muted small" role="status">
              {saveGoal.busy ? 'Saving your goal…' : 'Targets filled in above, and your goal is saved.'}
            </p>
          )}
          <div class="row-actions">
            <button type="button" class="button button--primary" disabled={computing || saveGoal.busy} onClick={use}>
              Use these targets
            </button>
          </div>
        </div>
      )}
      {!result && !computing && (
        <p class="muted">Enter your goal to see how many calls, meetings and proposals it takes each week.</p>
      )}
    </Section>
  )
}

function shortRange(start: string, end: string): string {
  const f = dateTimeFormat(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short' })
  return f.formatRange(new Date(`${start}T00:00:00Z`), new Date(`${end}T00:00:00Z`))
}

