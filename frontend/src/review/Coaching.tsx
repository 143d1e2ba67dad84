// Manager settings of the review (/team/coaching): the thresholds behind "needs a
// conversation" and "deserves kudos", and the coaching-question library (the team's own
// questions, then the curated library), grouped by the gap they help with.
import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { CoachingQuestion, Me, ReviewSettings, TeamRef, UpdateReviewSettings } from '@contract/types'
import { reviewApi } from '../api/review'
import { StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { TeamPicker } from '../plans/TeamPicker'
import '../plans/plans.css'
import { EmptyState, ErrorNotice, Loading, SubmitButton, SuccessNotice } from '../ui/feedback'
import { FieldShell, SelectField, TextArea } from '../ui/fields'
import { useSubmit } from '../ui/hooks'
import { Screen, Section } from '../ui/Screen'
import { SelfCoachingLibrary } from '../coaching/manager/SelfCoachingLibrary'
import {
  fieldKey,
  GAP_LABELS,
  GAPS,
  newClientKey,
  parseMilestones,
  parseWhole,
  percentTextToShare,
  QUESTION_MAX,
  QUESTION_MIN,
  reviewQuery,
  shareToPercentText,
  type GapKind,
} from './logic'
import { replaceSearch, ReviewIcon, teamParam, useReviewTeam } from './parts'

export function Coaching({ user }: { user: Me }) {
  const [team, setTeamId] = useReviewTeam(user)
  const query = reviewQuery(null, null, { team: teamParam(user, team) })
  useEffect(() => replaceSearch('/team/coaching', query), [query])
  if (!team) {
    return (
      <Screen title="Thresholds and questions">
        <EmptyState title="You don't manage a team yet." />
      </Screen>
    )
  }
  return (
    <Screen
      title="Thresholds and questions"
      intro={<p>When the team screen flags a rep, and the questions you coach with.</p>}
    >
      <div class="toolbar">
        <TeamPicker user={user} team={team} onChange={setTeamId} />
        <a class="button button--secondary" href={`/team${query}`}>
          <ReviewIcon name="chevronLeft" />
          Back to the team
        </a>
      </div>
      <CoachingFor key={team.id} team={team} />
    </Screen>
  )
}

function CoachingFor({ team }: { team: TeamRef }) {
  const settings = useRead(`review-settings:${team.id}`, () => reviewApi.settings(team.id))
  const questions = useRead(`coaching-questions:${team.id}`, () => reviewApi.questions(team.id))
  return (
    <>
      <Section title="Review thresholds">
        <StaleNotice show={settings.stale} onRetry={settings.reload} />
        {settings.loading && <Loading label="Loading the thresholds…" />}
        <ErrorNotice message={settings.error} onRetry={settings.reload} />
        {settings.data && <ThresholdsForm team={team} settings={settings.data} onSaved={(s) => settings.setData(() => s)} />}
      </Section>
      <Section title="Coaching questions">
        <StaleNotice show={questions.stale} onRetry={questions.reload} />
        {questions.loading && <Loading label="Loading the questions…" />}
        <ErrorNotice message={questions.error} onRetry={questions.reload} />
        {questions.data && (
          <QuestionLibrary
            teamId={team.id}
            questions={questions.data}
            onAdded={(q) => questions.setData((list) => [q, ...(list ?? []).filter((x) => x.id !== q.id)])}
            onRemoved={(id) => questions.setData((list) => (list ?? []).filter((x) => x.id !== id))}
          />
        )}
      </Section>
      <SelfCoachingLibrary teamId={team.id} />
    </>
  )
}

// ---------------------------------------------------------------- thresholds

type Kind = 'share' | 'share-open-min' | 'share-open-both' | 'whole'

interface ThresholdField {
  key: Exclude<keyof UpdateReviewSettings, 'streak_milestones'>
  label: string
  hint: string
  kind: Kind
  unit: string
  min?: number
  max?: number
}

interface ThresholdGroup {
  legend: string
  fields: ThresholdField[]
}

const GROUPS: ThresholdGroup[] = [
  {
    legend: 'Behind pace',
    fields: [
      {
        key: 'behind_share',
        label: 'Flag as behind below, % of a steady pace',
        hint: 'A rep is flagged when their qualifying activity is below this share of what a steady pace needs by now.',
        kind: 'share',
        unit: '%',
      },
      {
        key: 'behind_share_often',
        label: 'For reps who asked to be checked on often, %',
        hint: 'Flag them earlier: at least as high as the default.',
        kind: 'share',
        unit: '%',
      },
      {
        key: 'behind_share_autonomy',
        label: 'For reps who chose autonomy, %',
        hint: 'Flag them later: no higher than the default.',
        kind: 'share',
        unit: '%',
      },
    ],
  },
  {
    legend: 'Silence and quality',
    fields: [
      {
        key: 'silent_working_days',
        label: 'Gone quiet after, working days',
        hint: 'Flag a rep who has logged nothing for this many working days (1–20).',
        kind: 'whole',
        unit: 'days',
        min: 1,
        max: 20,
      },
      {
        key: 'quality_share_min',
        label: 'Quality bar met at least, % of activities',
        hint: "Flag when fewer of a week's activities than this meet the activity type's quality bar.",
        kind: 'share',
        unit: '%',
      },
      {
        key: 'quality_min_activities',
        label: 'Judge quality from, activities in the week',
        hint: 'A few logs say little: only judge quality with at least this many (1–500).',
        kind: 'whole',
        unit: 'activities',
        min: 1,
        max: 500,
      },
    ],
  },
  {
    legend: 'Conversion',
    fields: [
      {
        key: 'conversion_drop',
        label: 'Conversion drop that counts, %',
        hint: "Flag when a stage converts this much worse than the rep's own baseline (more than 0, less than 100).",
        kind: 'share-open-both',
        unit: '%',
      },
      {
        key: 'recent_weeks',
        label: 'Recent window, weeks',
        hint: 'The reviewed week and the weeks before it, this many in all (1–8).',
        kind: 'whole',
        unit: 'weeks',
        min: 1,
        max: 8,
      },
      {
        key: 'baseline_weeks',
        label: 'Baseline, weeks before the recent window',
        hint: "What the rep's own normal is measured over (2–26).",
        kind: 'whole',
        unit: 'weeks',
        min: 2,
        max: 26,
      },
    ],
  },
  {
    legend: 'Kudos',
    fields: [
      {
        key: 'on_plan_share',
        label: 'A week is on plan from, % of the plan',
        hint: 'Weeks at or above this share of the plan count towards a streak (more than 0, up to 100).',
        kind: 'share-open-min',
        unit: '%',
      },
      {
        key: 'improved_by',
        label: 'Most improved by at least, percentage points',
        hint: 'Recent share of the plan delivered above the baseline by at least this much (more than 0, up to 100).',
        kind: 'share-open-min',
        unit: 'points',
      },
    ],
  },
]

const ALL_FIELDS = GROUPS.flatMap((g) => g.fields)

function initialText(settings: ReviewSettings): Record<string, string> {
  const text: Record<string, string> = {}
  for (const f of ALL_FIELDS) {
    const value = settings[f.key]
    text[f.key] = f.kind === 'whole' ? String(value) : shareToPercentText(value)
  }
  text.streak_milestones = settings.streak_milestones.join(', ')
  return text
}

function parseField(field: ThresholdField, text: string): { value: number } | { error: string } {
  if (field.kind === 'whole') {
    const value = parseWhole(text, field.min ?? 0, field.max ?? 1000)
    return value === null ? { error: `Enter a whole number from ${field.min} to ${field.max}.` } : { value }
  }
  const value = percentTextToShare(text, {
    exclusiveMin: field.kind !== 'share',
    exclusiveMax: field.kind === 'share-open-both',
  })
  if (value !== null) return { value }
  const range =
    field.kind === 'share' ? 'from 0 to 100' : field.kind === 'share-open-min' ? 'above 0, up to 100' : 'above 0 and below 100'
  return { error: `Enter a number ${range}.` }
}

function ThresholdsForm({
  team,
  settings,
  onSaved,
}: {
  team: TeamRef
  settings: ReviewSettings
  onSaved: (s: ReviewSettings) => void
}) {
  const [text, setText] = useState(() => initialText(settings))
  const [saved, setSaved] = useState(false)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    setSaved(false)
    const problems: Record<string, string> = {}
    const body: Record<string, number | number[]> = {}
    for (const f of ALL_FIELDS) {
      const parsed = parseField(f, text[f.key] ?? '')
      if ('error' in parsed) problems[f.key] = parsed.error
      else body[f.key] = parsed.value
    }
    const milestones = parseMilestones(text.streak_milestones ?? '')
    if ('error' in milestones) problems.streak_milestones = milestones.error
    else body.streak_milestones = milestones.value
    if (Object.keys(problems).length) {
      submission.fail('Please fix the highlighted fields.', problems)
      return
    }
    const fresh = await submission.run(() => reviewApi.updateSettings(team.id, body as UpdateReviewSettings))
    if (fresh) {
      setSaved(true)
      setText(initialText(fresh))
      onSaved(fresh)
    }
  }

  // Server errors come keyed by field ("streak_milestones[0]" belongs to the list).
  const errors: Record<string, string> = {}
  for (const [key, message] of Object.entries(submission.fieldErrors)) errors[fieldKey(key)] ??= message
  const busy = submission.busy
  const set = (key: string) => (value: string) => {
    setText((t) => ({ ...t, [key]: value }))
    setSaved(false)
  }

  return (
    <form class="form thresholds" onSubmit={submit} noValidate>
      <p class="muted small">
        These decide who shows under “Needs a conversation” and “Deserves kudos” on the team screen. Percentages are of
        what the plan needs.
      </p>
      {saved && (
        <SuccessNotice>
          <p>Thresholds saved. The team screen uses them from now on.</p>
        </SuccessNotice>
      )}
      <ErrorNotice message={submission.error} />
      {GROUPS.map((group) => (
        <fieldset class="field thresholds__group" key={group.legend}>
          <legend>{group.legend}</legend>
          <div class="form__grid">
            {group.fields.map((f) => (
              <NumberInput
                key={f.key}
                label={f.label}
                name={f.key}
                hint={f.hint}
                value={text[f.key] ?? ''}
                error={errors[f.key]}
                step={f.kind === 'whole' ? 1 : 0.1}
                whole={f.kind === 'whole'}
                disabled={busy}
                onInput={set(f.key)}
              />
            ))}
            {group.legend === 'Kudos' && (
              <FieldShell
                label="Streak milestones, weeks"
                hint="Celebrate a streak of on-plan weeks at these lengths, e.g. 3, 5, 8 (2–104, up to 10)."
                error={errors.streak_milestones}
              >
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    name="streak_milestones"
                    inputMode="numeric"
                    value={text.streak_milestones ?? ''}
                    disabled={busy}
                    onInput={(ev) => set('streak_milestones')((ev.currentTarget as HTMLInputElement).value)}
                  />
                )}
              </FieldShell>
            )}
          </div>
        </fieldset>
      ))}
      <SubmitButton busy={busy}>Save thresholds</SubmitButton>
    </form>
  )
}

function NumberInput(props: {
  label: string
  name: string
  hint: ComponentChildren
  value: string
  error: string | undefined
  step: number
  whole: boolean
  disabled: boolean
  onInput: (value: string) => void
}) {
  return (
    <FieldShell label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <input
          {...control}
          type="number"
          name={props.name}
          inputMode={props.whole ? 'numeric' : 'decimal'}
          min={0}
          step={props.step}
          value={props.value}
          disabled={props.disabled}
          onInput={(ev) => props.onInput((ev.currentTarget as HTMLInputElement).value)}
        />
      )}
    </FieldShell>
  )
}

// ---------------------------------------------------------------- questions

const GAP_OPTIONS = GAPS.map((g) => ({ value: g, label: GAP_LABELS[g] }))

function QuestionLibrary({
  teamId,
  questions,
  onAdded,
  onRemoved,
}: {
  teamId: number
  questions: CoachingQuestion[]
  onAdded: (q: CoachingQuestion) => void
  onRemoved: (id: string) => void
}) {
  const [removedNote, setRemovedNote] = useState<string | null>(null)
  const own = questions.filter((q) => q.source === 'team').length
  return (
    <div class="questions">
      <p class="muted small">
        Coach by asking, not telling. The drill-down suggests two or three of these to fit each rep's gaps: your team's
        own questions ({own}) first, then the curated library.
      </p>
      <details class="questions__add">
        <summary>Add a question</summary>
        <AddQuestion teamId={teamId} onAdded={onAdded} />
      </details>
      <div role="status">{removedNote && <p class="small">{removedNote}</p>}</div>
      {GAPS.map((gap) => {
        const list = questions.filter((q) => q.gap === gap)
        return (
          <section key={gap} class="questions__gap" aria-labelledby={`gap-${gap}`}>
            <h3 id={`gap-${gap}`}>
              {GAP_LABELS[gap]} <span class="muted small">({list.length})</span>
            </h3>
            {list.length === 0 ? (
              <p class="muted small">No questions yet.</p>
            ) : (
              <ul class="question-list">
                {list.map((q) => (
                  <QuestionItem
                    key={q.id}
                    question={q}
                    onRemoved={() => {
                      setRemovedNote(`Removed: “${q.text}”`)
                      onRemoved(q.id)
                    }}
                  />
                ))}
              </ul>
            )}
          </section>
        )
      })}
    </div>
  )
}

function QuestionItem({ question, onRemoved }: { question: CoachingQuestion; onRemoved: () => void }) {
  const [confirming, setConfirming] = useState(false)
  const submission = useSubmit()
  const own = question.source === 'team'
  async function remove() {
    const done = await submission.run(async () => {
      await reviewApi.removeQuestion(question.id)
      return true
    })
    if (done) onRemoved()
  }
  return (
    <li class={`question${own ? ' question--own' : ''}`}>
      <p class="question__text">{question.text}</p>
      <p class="question__meta small">
        <span class={`badge${own ? ' badge--team' : ''}`}>{own ? 'Your team' : 'Library'}</span>
        {own && question.author && <span class="muted"> added by {question.author}</span>}
      </p>
      <ErrorNotice message={submission.error} />
      {own &&
        (confirming ? (
          <div class="confirm">
            <p>Remove this question from your team's library?</p>
            <button type="button" class="button button--danger" disabled={submission.busy} onClick={remove}>
              {submission.busy ? 'Removing…' : 'Yes, remove'}
            </button>
            <button type="button" class="button button--secondary" disabled={submission.busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <div class="row-actions">
            <button type="button" class="button button--link" onClick={() => setConfirming(true)}>
              Remove<span class="visually-hidden"> question “{question.text}”</span>
            </button>
          </div>
        ))}
    </li>
  )
}

function AddQuestion({ teamId, onAdded }: { teamId: number; onAdded: (q: CoachingQuestion) => void }) {
  const [text, setText] = useState('')
  const [gap, setGap] = useState<GapKind>('low_volume')
  // One key per question: a retry after a lost answer stores it once.
  const [clientKey, setClientKey] = useState(newClientKey)
  const [added, setAdded] = useState<string | null>(null)
  const submission = useSubmit()

  async function submit(event: Event) {
    event.preventDefault()
    setAdded(null)
    const value = text.trim().replace(/\s+/g, ' ')
    if (value.length < QUESTION_MIN || value.length > QUESTION_MAX) {
      submission.fail('Please fix the highlighted fields.', {
        text: `Write a question of ${QUESTION_MIN} to ${QUESTION_MAX} characters.`,
      })
      return
    }
    const question = await submission.run(() => reviewApi.addQuestion(teamId, { text: value, gap, client_key: clientKey }))
    if (question) {
      onAdded(question)
      setAdded(`Added under “${GAP_LABELS[question.gap]}”.`)
      setText('')
      setClientKey(newClientKey())
    }
  }
  return (
    <form class="form" onSubmit={submit} noValidate>
      {added && (
        <SuccessNotice>
          <p>{added}</p>
        </SuccessNotice>
      )}
      <ErrorNotice message={submission.error} />
      <TextArea
        label="Question"
        name="text"
        value={text}
        onInput={(value) => {
          setText(value)
          if (submission.error) submission.reset()
        }}
        maxLength={QUESTION_MAX}
        error={submission.fieldErrors.text}
        hint={`An open question the rep answers in their own words (${QUESTION_MIN}–${QUESTION_MAX} characters).`}
        disabled={submission.busy}
      />
      <SelectField
        label="Helps with"
        name="gap"
        value={gap}
        options={GAP_OPTIONS}
        onChange={(value) => setGap(value as GapKind)}
        error={submission.fieldErrors.gap}
        disabled={submission.busy}
      />
      <SubmitButton busy={submission.busy} busyLabel="Adding…">
        Add question
      </SubmitButton>
    </form>
  )
}
