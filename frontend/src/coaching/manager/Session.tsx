// During the check-in: start it, take notes (each one private or shared, by choice), write
// down the rep's new commitments in their own words, close it. After closing, a note only
// changes with a reason, and every change is listed.
import type { CheckIn, CheckinNote, Commitment } from '@contract/types'
import { useRef, useState } from 'preact/hooks'
import { coachingApi } from '../../api/coaching'
import { formatInstant } from '../../time/format'
import { ErrorNotice, SubmitButton, SuccessNotice } from '../../ui/feedback'
import { FieldShell, SelectField, TextArea, TextField } from '../../ui/fields'
import { useSubmit } from '../../ui/hooks'
import { CommitmentItem } from './FollowUp'
import {
  checkCommitment,
  COMMITMENT_TEXT_MAX,
  COUNT_MAX,
  dueBounds,
  editSummary,
  MAX_DUE_DAYS,
  newClientKey,
  NOTE_MAX,
  REASON_MAX,
  validateNoteEdit,
  type CommitmentDraft,
} from './logic'
import { VisibilityChoice, VisibilityTag, type TeamTypes } from './parts'

interface Ctx {
  repFirstName: string
  viewerZone: string
  today: string
  repZone: string
}

/** The check-in card: start, or the open check-in, or the last closed one and "start the next". */
export function SessionCard({
  userId,
  current,
  lastClosed,
  ctx,
  types,
  onChange,
  onClosed,
}: {
  userId: number
  current: CheckIn | null
  lastClosed: CheckIn | null
  ctx: Ctx
  types: TeamTypes
  onChange: (checkin: CheckIn) => void
  onClosed: (checkin: CheckIn) => void
}) {
  const start = useSubmit()
  // One key per start: a retried tap (or a lost answer) returns the same check-in.
  const startKey = useRef(newClientKey())
  const [closedNow, setClosedNow] = useState(false)

  async function begin() {
    const checkin = await start.run(() => coachingApi.startCheckin(userId, { client_key: startKey.current }))
    if (checkin) {
      startKey.current = newClientKey()
      setClosedNow(false)
      onChange(checkin)
    }
  }

  if (current) {
    return (
      <OpenCheckin
        checkin={current}
        ctx={ctx}
        types={types}
        onChange={onChange}
        onClosed={(c) => {
          setClosedNow(true)
          onClosed(c)
        }}
      />
    )
  }
  return (
    <>
      {closedNow && <SuccessNotice>Check-in closed. {ctx.repFirstName} sees the shared notes and the commitments.</SuccessNotice>}
      <p>
        {lastClosed
          ? `The last check-in was closed ${formatInstant(lastClosed.closed_at, ctx.viewerZone, 'recently')}.`
          : `No check-in with ${ctx.repFirstName} yet.`}{' '}
        Start one when you sit down together: notes and commitments are saved as you go.
      </p>
      <ErrorNotice message={start.error} />
      <button
        type="button"
        class="button button--primary ci-start-left"
        onClick={() => void begin()}
        disabled={start.busy}
        aria-busy={start.busy ? 'true' : undefined}
      >
        {start.busy ? 'Starting…' : 'Start check-in'}
      </button>
      {lastClosed && <ClosedCheckin checkin={lastClosed} ctx={ctx} onChange={onChange} />}
    </>
  )
}

function OpenCheckin({
  checkin,
  ctx,
  types,
  onChange,
  onClosed,
}: {
  checkin: CheckIn
  ctx: Ctx
  types: TeamTypes
  onChange: (checkin: CheckIn) => void
  onClosed: (checkin: CheckIn) => void
}) {
  const [confirming, setConfirming] = useState(false)
  const close = useSubmit()
  async function doClose() {
    const closed = await close.run(() => coachingApi.closeCheckin(checkin.id))
    if (closed) {
      setConfirming(false)
      onClosed(closed)
    }
  }
  return (
    <>
      <p class="ci-live" role="status">
        <span class="ci-live__dot" aria-hidden="true" />
        <span>
          <strong>Check-in in progress</strong> — started {formatInstant(checkin.started_at, ctx.viewerZone)} by{' '}
          {checkin.manager_name}.
        </span>
      </p>

      <div class="ci-block">
        <h3>Notes ({checkin.notes.length})</h3>
        <NoteList checkin={checkin} ctx={ctx} onChange={onChange} />
        <NoteForm checkin={checkin} ctx={ctx} onAdded={(note) => onChange({ ...checkin, notes: [...checkin.notes.filter((n) => n.id !== note.id), note] })} />
      </div>

      <div class="ci-block">
        <h3>{ctx.repFirstName}'s new commitments ({checkin.commitments.length})</h3>
        {checkin.commitments.length === 0 ? (
          <p class="muted small">None yet. Let {ctx.repFirstName} say what they will do, and write it in their words.</p>
        ) : (
          <ul class="ci-commitments">
            {checkin.commitments.map((c) => (
              <CommitmentItem key={c.id} commitment={c} today={ctx.today} />
            ))}
          </ul>
        )}
        <CommitmentForm
          checkin={checkin}
          ctx={ctx}
          types={types}
          onAdded={(c) => onChange({ ...checkin, commitments: [...checkin.commitments.filter((x) => x.id !== c.id), c] })}
        />
      </div>

      <div class="ci-block ci-close">
        <h3>Wrap up</h3>
        {confirming ? (
          <div class="confirm ci-confirm" role="group" aria-labelledby="ci-close-question">
            <p id="ci-close-question">
              <strong>Close this check-in?</strong> {ctx.repFirstName} will see the shared notes and the commitments. After
              closing, a note can only be changed with a reason, which is kept.
            </p>
            <ErrorNotice message={close.error} />
            <button type="button" class="button button--primary" onClick={() => void doClose()} disabled={close.busy}>
              {close.busy ? 'Closing…' : 'Yes, close the check-in'}
            </button>
            <button type="button" class="button button--secondary" onClick={() => setConfirming(false)} disabled={close.busy}>
              Keep it open
            </button>
          </div>
        ) : (
          <button type="button" class="button button--secondary ci-start-left" onClick={() => setConfirming(true)}>
            Close check-in
          </button>
        )}
      </div>
    </>
  )
}

function ClosedCheckin({ checkin, ctx, onChange }: { checkin: CheckIn; ctx: Ctx; onChange: (c: CheckIn) => void }) {
  return (
    <div class="ci-block ci-closed">
      <h3>Last check-in: notes ({checkin.notes.length})</h3>
      <p class="muted small">
        Closed {formatInstant(checkin.closed_at, ctx.viewerZone, '')}. Changing a note now needs a reason, which is kept
        in the record below.
      </p>
      <NoteList checkin={checkin} ctx={ctx} onChange={onChange} />
      <h3>Commitments made ({checkin.commitments.length})</h3>
      {checkin.commitments.length === 0 ? (
        <p class="muted small">None.</p>
      ) : (
        <ul class="ci-commitments">
          {checkin.commitments.map((c) => (
            <CommitmentItem key={c.id} commitment={c} today={ctx.today} />
          ))}
        </ul>
      )}
      <h3>Changes after closing ({checkin.edits.length})</h3>
      {checkin.edits.length === 0 ? (
        <p class="muted small">No changes.</p>
      ) : (
        <ol class="ci-edits" aria-label="Audit trail">
          {checkin.edits.map((edit, i) => (
            <li key={`${edit.at}-${i}`}>
              <p class="small">
                <strong>{edit.author}</strong>, {formatInstant(edit.at, ctx.viewerZone)}
              </p>
              <p class="ci-edits__what">{editSummary(edit)}</p>
              <p class="small">Reason: “{edit.reason}”</p>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

// ---------------------------------------------------------------- notes

function NoteList({ checkin, ctx, onChange }: { checkin: CheckIn; ctx: Ctx; onChange: (c: CheckIn) => void }) {
  if (checkin.notes.length === 0) return <p class="muted small">No notes.</p>
  return (
    <ul class="ci-notes">
      {checkin.notes.map((note) => (
        <NoteItem
          key={note.id}
          note={note}
          checkin={checkin}
          ctx={ctx}
          onSaved={(saved, refreshed) =>
            onChange(refreshed ?? { ...checkin, notes: checkin.notes.map((n) => (n.id === saved.id ? saved : n)) })
          }
        />
      ))}
    </ul>
  )
}

function NoteItem({
  note,
  checkin,
  ctx,
  onSaved,
}: {
  note: CheckinNote
  checkin: CheckIn
  ctx: Ctx
  onSaved: (note: CheckinNote, refreshed: CheckIn | null) => void
}) {
  const [editing, setEditing] = useState(false)
  return (
    <li class={`ci-note${note.shared ? ' ci-note--shared' : ''}`}>
      <div class="ci-note__head">
        <VisibilityTag shared={note.shared} repFirstName={ctx.repFirstName} />
        <span class="muted small">
          {note.author}, {formatInstant(note.created_at, ctx.viewerZone)}
          {note.edited_at ? ` · edited ${formatInstant(note.edited_at, ctx.viewerZone)}` : ''}
        </span>
      </div>
      {editing ? (
        <NoteEditForm
          note={note}
          checkin={checkin}
          ctx={ctx}
          onCancel={() => setEditing(false)}
          onSaved={(saved, refreshed) => {
            setEditing(false)
            onSaved(saved, refreshed)
          }}
        />
      ) : (
        <>
          <p class="ci-note__body">{note.body}</p>
          <button type="button" class="button button--link ci-start-left" onClick={() => setEditing(true)}>
            Edit note<span class="visually-hidden"> from {formatInstant(note.created_at, ctx.viewerZone)}</span>
          </button>
        </>
      )}
    </li>
  )
}

function NoteEditForm({
  note,
  checkin,
  ctx,
  onCancel,
  onSaved,
}: {
  note: CheckinNote
  checkin: CheckIn
  ctx: Ctx
  onCancel: () => void
  onSaved: (note: CheckinNote, refreshed: CheckIn | null) => void
}) {
  const closed = checkin.closed_at !== null
  const [body, setBody] = useState(note.body)
  const [shared, setShared] = useState(note.shared)
  const [reason, setReason] = useState('')
  const submit = useSubmit()
  async function save(event: Event) {
    event.preventDefault()
    const errors = validateNoteEdit(body, reason, closed)
    if (Object.keys(errors).length) {
      submit.fail('Check the highlighted fields.', errors)
      return
    }
    if (body === note.body && shared === note.shared) {
      onCancel()
      return
    }
    const saved = await submit.run(() =>
      coachingApi.editNote(note.id, {
        ...(body !== note.body ? { body } : {}),
        ...(shared !== note.shared ? { shared } : {}),
        ...(closed ? { reason: reason.trim() } : {}),
      }),
    )
    if (!saved) return
    // The audit trail lives on the check-in: fetch it again (keep the saved note if that fails).
    let refreshed: CheckIn | null = null
    try {
      refreshed = await coachingApi.checkin(checkin.id)
    } catch {
      refreshed = null
    }
    onSaved(saved, refreshed)
  }
  return (
    <form class="form ci-note-edit" onSubmit={(e) => void save(e)} noValidate>
      <TextArea label="Note" name="body" value={body} onInput={setBody} maxLength={NOTE_MAX} rows={4} error={submit.fieldErrors.body} />
      <VisibilityChoice shared={shared} onChange={setShared} repFirstName={ctx.repFirstName} disabled={submit.busy} />
      {note.shared && !shared && (
        <p class="notice notice--info small">
          {ctx.repFirstName} may already have read this note: making it private hides it from now on.
        </p>
      )}
      {closed && (
        <TextField
          label="Reason for the change"
          name="reason"
          value={reason}
          onInput={setReason}
          maxLength={REASON_MAX}
          required
          hint="The check-in is closed: the reason is kept with the change."
          error={submit.fieldErrors.reason}
        />
      )}
      <ErrorNotice message={submit.error} />
      <div class="row-actions">
        <SubmitButton busy={submit.busy}>Save the note</SubmitButton>
        <button type="button" class="button button--secondary" onClick={onCancel} disabled={submit.busy}>
          Cancel
        </button>
      </div>
    </form>
  )
}

function NoteForm({ checkin, ctx, onAdded }: { checkin: CheckIn; ctx: Ctx; onAdded: (note: CheckinNote) => void }) {
  const [body, setBody] = useState('')
  const [shared, setShared] = useState(false)
  const [added, setAdded] = useState<string | null>(null)
  // One key per note until it is stored: a retried tap stores it once.
  const key = useRef(newClientKey())
  const submit = useSubmit()
  async function add(event: Event) {
    event.preventDefault()
    setAdded(null)
    if (!body.trim()) {
      submit.fail('Write the note first.', { body: 'Write the note first.' })
      return
    }
    const note = await submit.run(() => coachingApi.addNote(checkin.id, { body: body.trim(), shared, client_key: key.current }))
    if (!note) return
    key.current = newClientKey()
    setBody('')
    setShared(false)
    setAdded(note.shared ? `Note shared with ${ctx.repFirstName}.` : 'Private note saved.')
    onAdded(note)
  }
  return (
    <form class="form form--inline" onSubmit={(e) => void add(e)} noValidate aria-label="Add a note">
      <TextArea label="New note" name="body" value={body} onInput={setBody} maxLength={NOTE_MAX} rows={3} error={submit.fieldErrors.body} />
      <VisibilityChoice shared={shared} onChange={setShared} repFirstName={ctx.repFirstName} disabled={submit.busy} />
      <ErrorNotice message={submit.error} />
      {added && <SuccessNotice>{added}</SuccessNotice>}
      <SubmitButton busy={submit.busy}>{shared ? `Add shared note` : 'Add private note'}</SubmitButton>
    </form>
  )
}

// ---------------------------------------------------------------- commitments

const EMPTY_DRAFT: CommitmentDraft = { text: '', dueOn: '', measurable: false, activityTypeId: '', count: '' }

function CommitmentForm({
  checkin,
  ctx,
  types,
  onAdded,
}: {
  checkin: CheckIn
  ctx: Ctx
  types: TeamTypes
  onAdded: (c: Commitment) => void
}) {
  const [draft, setDraft] = useState<CommitmentDraft>(EMPTY_DRAFT)
  const [added, setAdded] = useState<string | null>(null)
  const key = useRef(newClientKey())
  const submit = useSubmit()
  const bounds = dueBounds(ctx.today)
  const set = (patch: Partial<CommitmentDraft>) => setDraft((d) => ({ ...d, ...patch }))

  async function add(event: Event) {
    event.preventDefault()
    setAdded(null)
    const checked = checkCommitment(draft, ctx.today)
    if ('errors' in checked) {
      submit.fail('Check the highlighted fields.', checked.errors)
      return
    }
    const saved = await submit.run(() => coachingApi.addCommitment(checkin.id, { ...checked.body, client_key: key.current }))
    if (!saved) return
    key.current = newClientKey()
    setDraft(EMPTY_DRAFT)
    setAdded(`Commitment recorded: “${saved.text}”.`)
    onAdded(saved)
  }

  // The server's 422 names the field in `extra`; anything it says about the rest shows below.
  const errors = submit.fieldErrors
  const typeOptions = [{ value: '', label: 'Choose an activity' }, ...types.types.map((t) => ({ value: String(t.id), label: t.label }))]
  const serverExtra = extraText(submit.error, errors)
  return (
    <form class="form form--inline" onSubmit={(e) => void add(e)} noValidate aria-label="Record a commitment">
      <TextField
        label={`Commitment, in ${ctx.repFirstName}'s words`}
        name="text"
        value={draft.text}
        onInput={(text) => set({ text })}
        maxLength={COMMITMENT_TEXT_MAX}
        hint={`Write it as ${ctx.repFirstName} says it, e.g. “Call back the five open leads from the trade fair”.`}
        error={errors.text}
      />
      <FieldShell
        label="Due on"
        hint={`Today or later, within ${MAX_DUE_DAYS / 7} weeks. Dates are ${ctx.repFirstName}'s (${ctx.repZone}).`}
        error={errors.due_on}
      >
        {(control) => (
          <input
            {...control}
            type="date"
            name="due_on"
            min={bounds.min}
            max={bounds.max}
            value={draft.dueOn}
            onInput={(e) => set({ dueOn: (e.currentTarget as HTMLInputElement).value })}
          />
        )}
      </FieldShell>
      <label class="check">
        <input type="checkbox" name="measurable" checked={draft.measurable} onChange={(e) => set({ measurable: (e.currentTarget as HTMLInputElement).checked })} />
        <span>Count it from logged activity (measurable)</span>
      </label>
      {draft.measurable && (
        <div class="ci-measure">
          {types.error ? (
            <ErrorNotice message={`Activity types could not be loaded: ${types.error}`} onRetry={types.reload} />
          ) : (
            <SelectField
              label="Activity"
              name="activity_type_id"
              value={draft.activityTypeId}
              options={typeOptions}
              onChange={(activityTypeId) => set({ activityTypeId })}
              disabled={types.loading}
              hint={types.loading ? 'Loading the activity types…' : undefined}
              error={errors.activity_type_id}
            />
          )}
          <FieldShell label="How many" error={errors.target_count}>
            {(control) => (
              <input
                {...control}
                type="number"
                name="target_count"
                inputMode="numeric"
                min={1}
                max={COUNT_MAX}
                step={1}
                value={draft.count}
                onInput={(e) => set({ count: (e.currentTarget as HTMLInputElement).value })}
              />
            )}
          </FieldShell>
        </div>
      )}
      <ErrorNotice message={submit.error} />
      {serverExtra && <p class="field__error">{serverExtra}</p>}
      {added && <SuccessNotice>{added}</SuccessNotice>}
      <SubmitButton busy={submit.busy}>Record the commitment</SubmitButton>
    </form>
  )
}

/** Problems in `extra` that no field above shows (so nothing the server said is lost). */
function extraText(error: string | null, fieldErrors: Record<string, string>): string | null {
  if (!error) return null
  const shown = new Set(['text', 'due_on', 'activity_type_id', 'target_count'])
  const rest = Object.entries(fieldErrors)
    .filter(([field]) => !shown.has(field))
    .map(([field, message]) => `${field.replace(/_/g, ' ')}: ${message}`)
  return rest.length ? rest.join(' ') : null
}
