// CSV export of a team or one rep: checked on the device, then a plain download link
// (the server streams the file with Content-Disposition).
import { useState } from 'preact/hooks'
import { exportUrl, type ExportKind } from '../api/review'
import { FieldShell, SelectField } from '../ui/fields'
import { defaultExportRange, MAX_EXPORT_DAYS, validateExportRange, daysBetween } from './logic'
import { ReviewIcon } from './parts'

const KINDS: { value: ExportKind; label: string }[] = [
  { value: 'activities', label: 'Activities: every logged activity' },
  { value: 'plans', label: 'Plans: weekly targets and status' },
  { value: 'progress', label: 'Progress: plan vs actual per rep and week' },
]

export function ExportSection({
  teamId,
  teamName,
  reps,
  today,
}: {
  teamId: number
  teamName: string
  reps: { user_id: number; name: string }[]
  today: string
}) {
  const [kind, setKind] = useState<ExportKind>('activities')
  const [range, setRange] = useState(() => defaultExportRange(today))
  const [who, setWho] = useState('team')
  const problems = validateExportRange(range)
  const valid = !problems.from && !problems.to
  const repId = who === 'team' ? null : Number(who)
  const rep = reps.find((r) => r.user_id === repId)
  const href = valid ? exportUrl(kind, repId === null ? { teamId } : { userId: repId }, range.from, range.to) : null
  const days = valid ? daysBetween(range.from, range.to) + 1 : 0

  return (
    <details class="card export">
      <summary class="export__summary">
        <ReviewIcon name="download" />
        <span>Export CSV</span>
      </summary>
      <div class="form">
        <p class="muted small">
          A spreadsheet file of {teamName}'s numbers. Dates are each rep's own local dates; at most {MAX_EXPORT_DAYS}{' '}
          days at a time.
        </p>
        <div class="form__grid">
          <SelectField
            label="What to export"
            name="export-kind"
            value={kind}
            options={KINDS}
            onChange={(value) => setKind(value as ExportKind)}
          />
          <SelectField
            label="Who"
            name="export-who"
            value={who}
            options={[
              { value: 'team', label: `The whole team (${teamName})` },
              ...reps.map((r) => ({ value: String(r.user_id), label: r.name })),
            ]}
            onChange={setWho}
          />
        </div>
        <div class="form__grid">
          <DateField label="From" value={range.from} error={problems.from} onInput={(from) => setRange((r) => ({ ...r, from }))} />
          <DateField label="To" value={range.to} error={problems.to} onInput={(to) => setRange((r) => ({ ...r, to }))} />
        </div>
        {href ? (
          <p class="row-actions">
            <a class="button button--primary" href={href} download>
              <ReviewIcon name="download" />
              Download CSV
            </a>
            <span class="muted small">
              {days} {days === 1 ? 'day' : 'days'}, {rep ? rep.name : 'whole team'}
            </span>
          </p>
        ) : (
          <p class="notice notice--warn small" role="status">
            Fix the dates above to download.
          </p>
        )}
      </div>
    </details>
  )
}

function DateField({
  label,
  value,
  error,
  onInput,
}: {
  label: string
  value: string
  error: string | undefined
  onInput: (value: string) => void
}) {
  return (
    <FieldShell label={label} error={error}>
      {(control) => (
        <input
          {...control}
          type="date"
          name={`export-${label.toLowerCase()}`}
          value={value}
          onInput={(event) => onInput((event.currentTarget as HTMLInputElement).value)}
        />
      )}
    </FieldShell>
  )
}
