// Log an activity in three taps, offline or not: type → account → outcome = saved.
import type { ActivityType, Me } from '@contract/types'
import { useEffect, useState } from 'preact/hooks'
import { isSetback } from '../coaching/logic'
import { SelfCoachingPrompt } from '../coaching/SelfCoachingPrompt'
import { prefetchPrompts } from '../coaching/selfCoaching'
import { afterLocalChange } from '../sync/controller'
import { useActivityTypes } from '../sync/activityTypes'
import { onLocalChange } from '../sync/events'
import { isoWithOffset } from '../sync/engine'
import { deleteActivity, getActivity, logActivity, OUTCOMES, recentAccounts, typeUsage, type Outcome } from '../sync/local'
import { ErrorNotice, Loading } from '../ui/feedback'
import { Icon, type IconName } from '../ui/icons'
import { whenIdle } from '../ui/idle'
import { Screen } from '../ui/Screen'
import {
  ACCOUNT_MAX,
  checkDetails,
  DetailsFields,
  detailFields,
  deviceTimeZone,
  EMPTY_DETAILS,
  fromLocalInput,
  toLocalInput,
  type Details,
} from './LogForm'
import '../sync/sync.css'

type When = 'now' | 'hour' | 'yesterday' | 'custom'
const RECENT_CHIPS = 6

const KNOWN_ICONS = new Set<string>(['phone', 'car', 'handshake', 'document', 'repeat', 'dot'])
function iconFor(type: ActivityType): IconName {
  return (KNOWN_ICONS.has(type.icon) ? type.icon : 'dot') as IconName
}

/** Most-used first (by this device's logs), then the team's order. */
export function orderByUsage(types: ActivityType[], usage: Map<number, number>): ActivityType[] {
  return [...types].sort((a, b) => (usage.get(b.id) ?? 0) - (usage.get(a.id) ?? 0) || a.position - b.position)
}

/** Type-ahead over known accounts: names starting with the text first, then containing it. */
export function matchAccounts(accounts: string[], text: string, limit = 6): string[] {
  const query = text.trim().toLocaleLowerCase()
  if (!query) return accounts.slice(0, limit)
  const starts = accounts.filter((a) => a.toLocaleLowerCase().startsWith(query))
  const contains = accounts.filter((a) => !a.toLocaleLowerCase().startsWith(query) && a.toLocaleLowerCase().includes(query))
  return [...starts, ...contains].slice(0, limit)
}

export function occurredAtFor(when: When, custom: string, now = new Date()): string | null {
  switch (when) {
    case 'now':
      return isoWithOffset(now)
    case 'hour':
      return isoWithOffset(new Date(now.getTime() - 3_600_000))
    case 'yesterday': {
      const d = new Date(now)
      d.setDate(d.getDate() - 1)
      return isoWithOffset(d)
    }
    case 'custom':
      return fromLocalInput(custom)
  }
}

interface Saved {
  id: string
  typeName: string
  account: string
  pending: boolean
  undone: boolean
}

export function Log({ user }: { user: Me }) {
  const { types, error } = useActivityTypes(user)
  const [usage, setUsage] = useState<Map<number, number>>(new Map())
  const [accounts, setAccounts] = useState<string[]>([])
  const [type, setType] = useState<ActivityType | null>(null)
  const [account, setAccount] = useState('')
  const [accountDone, setAccountDone] = useState(false)
  const [when, setWhen] = useState<When>('now')
  const [custom, setCustom] = useState(() => toLocalInput(new Date().toISOString()))
  const [details, setDetails] = useState<Details>(EMPTY_DETAILS)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saved, setSaved] = useState<Saved | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // After a setback (no interest, lost): one self-coaching prompt, below the confirmation.
  const [setback, setSetback] = useState(false)

  // Keep a prompt on the phone for the next setback with no signal.
  useEffect(() => {
    if (user.role === 'rep') return whenIdle(() => prefetchPrompts(user.id))
  }, [user.id, user.role])

  useEffect(() => {
    const load = () => {
      void typeUsage().then(setUsage).catch(() => undefined)
      void recentAccounts().then(setAccounts).catch(() => undefined)
    }
    load()
    return onLocalChange(load)
  }, [])

  // The confirmation follows the log: "waiting to sync" turns into "synced".
  const savedId = saved?.id ?? null
  useEffect(() => {
    if (!savedId) return
    const check = () =>
      void getActivity(savedId).then((record) => {
        setSaved((s) => (s && s.id === savedId ? { ...s, pending: record ? record.pending > 0 : s.pending } : s))
      })
    return onLocalChange(check)
  }, [savedId])

  function reset() {
    setType(null)
    setAccount('')
    setAccountDone(false)
    setWhen('now')
    setDetails(EMPTY_DETAILS)
    setErrors({})
    setFailure(null)
  }

  function chooseAccount(name: string) {
    const clean = name.trim()
    if (!clean) {
      setErrors({ account_name: 'Enter the account.' })
      return
    }
    if (clean.length > ACCOUNT_MAX) {
      setErrors({ account_name: `At most ${ACCOUNT_MAX} characters.` })
      return
    }
    setErrors({})
    setAccount(clean)
    setAccountDone(true)
  }

  async function save(outcome: Outcome) {
    if (!type || busy) return
    const problems = checkDetails(details)
    const occurredAt = occurredAtFor(when, custom)
    if (!occurredAt) problems.occurred_at = 'Enter when it happened.'
    else if (Date.parse(occurredAt) > Date.now() + 10 * 60_000) problems.occurred_at = 'This is in the future.'
    setErrors(problems)
    if (Object.keys(problems).length > 0) return
    setBusy(true)
    setFailure(null)
    try {
      const { id } = await logActivity({
        activity_type_id: type.id,
        account_name: account,
        outcome,
        occurred_at: occurredAt!,
        time_zone: deviceTimeZone(),
        ...detailFields(details),
      })
      setSaved({ id, typeName: type.name, account, pending: true, undone: false })
      reset()
      afterLocalChange()
      if (isSetback(outcome)) setSetback(true)
    } catch (reason) {
      setFailure(reason instanceof Error ? `Could not save: ${reason.message}` : 'Could not save. Please try again.')
    } finally {
      setBusy(false)
    }
  }

  async function undo() {
    if (!saved) return
    try {
      await deleteActivity(saved.id)
      setSaved({ ...saved, undone: true })
      setSetback(false)
      afterLocalChange()
    } catch {
      setFailure('Could not undo. Delete it from History instead.')
    }
  }

  const ordered = types ? orderByUsage(types, usage) : []
  const suggestions = matchAccounts(accounts, accountDone ? '' : account, RECENT_CHIPS)

  return (
    <Screen title="Log activity" intro="Three taps: what, who, how it went. Works offline.">
      {saved && (
        <div class={`notice ${saved.undone ? 'notice--info' : 'notice--success'} log-confirm`} role="status">
          <p>
            {saved.undone ? (
              <>Removed the log for {saved.account}.</>
            ) : (
              <>
                <strong>{saved.typeName} logged</strong> · {saved.account} ·{' '}
                <span class="log-confirm__state">{saved.pending ? 'waiting to sync' : 'synced'}</span>
              </>
            )}
          </p>
          {!saved.undone && (
            <button type="button" class="button button--secondary" onClick={undo}>
              Undo
            </button>
          )}
        </div>
      )}
      {setback && user.role === 'rep' && (
        <SelfCoachingPrompt user={user} trigger="setback" className="coach-prompt--in-log" onClose={() => setSetback(false)} />
      )}
      <ErrorNotice message={failure} />
      {!types && !error && <Loading label="Loading your activity types…" />}
      {!types && error ? (
        <ErrorNotice message="Your activity types are not on this device yet. Connect once to load them." />
      ) : null}

      {types && (
        <div class="log-flow">
          <section class="card log-step" aria-labelledby="log-step-type">
            <div class="card__head">
              <h2 id="log-step-type">1. What did you do?</h2>
              {type && (
                <button type="button" class="button button--link" onClick={() => setType(null)}>
                  Change
                </button>
              )}
            </div>
            {type ? (
              <p class="log-chosen">
                <Icon name={iconFor(type)} /> {type.name}
              </p>
            ) : types.length === 0 ? (
              <p class="muted">Your team has no activity types yet. Ask your manager to set them up.</p>
            ) : (
              <div class="type-grid">
                {ordered.map((t) => (
                  <button type="button" class="type-button" key={t.id} onClick={() => setType(t)}>
                    <Icon name={iconFor(t)} />
                    <span>{t.name}</span>
                  </button>
                ))}
              </div>
            )}
          </section>

          {type && (
            <section class="card log-step" aria-labelledby="log-step-account">
              <div class="card__head">
                <h2 id="log-step-account">2. Which account?</h2>
                {accountDone && (
                  <button type="button" class="button button--link" onClick={() => setAccountDone(false)}>
                    Change
                  </button>
                )}
              </div>
              {accountDone ? (
                <p class="log-chosen">{account}</p>
              ) : (
                <form
                  class="form"
                  onSubmit={(e) => {
                    e.preventDefault()
                    chooseAccount(account)
                  }}
                  noValidate
                >
                  {suggestions.length > 0 && (
                    <div class="chips" aria-label={account.trim() ? 'Matching accounts' : 'Recent accounts'} role="group">
                      {suggestions.map((name) => (
                        <button type="button" class="chip" key={name} onClick={() => chooseAccount(name)}>
                          {name}
                        </button>
                      ))}
                    </div>
                  )}
                  <div class={`field${errors.account_name ? ' field--invalid' : ''}`}>
                    <label for="log-account">Account (type to search or add a new one)</label>
                    <div class="log-account-row">
                      <input
                        id="log-account"
                        name="account_name"
                        type="text"
                        autoComplete="off"
                        value={account}
                        maxLength={ACCOUNT_MAX}
                        onInput={(e) => setAccount((e.currentTarget as HTMLInputElement).value)}
                        aria-invalid={errors.account_name ? 'true' : undefined}
                        aria-describedby={errors.account_name ? 'log-account-error' : undefined}
                      />
                      <button type="submit" class="button button--primary">
                        Next
                      </button>
                    </div>
                    {errors.account_name && (
                      <p class="field__error" id="log-account-error">
                        {errors.account_name}
                      </p>
                    )}
                  </div>
                </form>
              )}
            </section>
          )}

          {type && accountDone && (
            <section class="card log-step" aria-labelledby="log-step-outcome">
              <div class="card__head">
                <h2 id="log-step-outcome">3. How did it go?</h2>
              </div>
              <div class="outcome-grid" role="group" aria-label="Outcome (saves the log)">
                {OUTCOMES.map((o) => (
                  <button type="button" class="chip chip--outcome" key={o.value} disabled={busy} onClick={() => void save(o.value)}>
                    {o.label}
                  </button>
                ))}
              </div>
              <fieldset class="field log-when">
                <legend>When</legend>
                <div class="chips">
                  {(
                    [
                      ['now', 'Now'],
                      ['hour', '1 hour ago'],
                      ['yesterday', 'Yesterday'],
                      ['custom', 'Earlier…'],
                    ] as const
                  ).map(([value, label]) => (
                    <label class={`chip chip--radio${when === value ? ' chip--selected' : ''}`} key={value}>
                      <input type="radio" name="when" value={value} checked={when === value} onChange={() => setWhen(value)} />
                      <span>{label}</span>
                    </label>
                  ))}
                </div>
                {when === 'custom' && (
                  <div class={`field${errors.occurred_at ? ' field--invalid' : ''}`}>
                    <label for="log-when-custom">Date and time</label>
                    <input
                      id="log-when-custom"
                      type="datetime-local"
                      value={custom}
                      max={toLocalInput(new Date().toISOString())}
                      onInput={(e) => setCustom((e.currentTarget as HTMLInputElement).value)}
                      aria-invalid={errors.occurred_at ? 'true' : undefined}
                      aria-describedby={errors.occurred_at ? 'log-when-error' : undefined}
                    />
                  </div>
                )}
                {errors.occurred_at && (
                  <p class="field__error" id="log-when-error">
                    {errors.occurred_at}
                  </p>
                )}
              </fieldset>
              <details class="log-more" open={Object.keys(errors).some((k) => k !== "occurred_at") || undefined}>
                <summary>More details</summary>
                <DetailsFields details={details} onChange={setDetails} errors={errors} />
              </details>
            </section>
          )}
        </div>
      )}
      <p class="log-footer">
        <a href="/history">History and sync status</a>
      </p>
    </Screen>
  )
}
