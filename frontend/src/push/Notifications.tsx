// "Turn on reminders on this device": explanation first, then the permission prompt from
// the person's own tap, this account's devices, a test send, and the next reminder.
import { useEffect, useState } from 'preact/hooks'
import type { Me, NextReminder, PushDevice, TestPushResult } from '@contract/types'
import { ApiError, describeError } from '../api/client'
import { pushEnvironment } from '../pwa'
import { formatInstant } from '../time/format'
import { ErrorNotice, Loading } from '../ui/feedback'
import { pushApi } from './api'
import { askPermission, confirmThisDevice, PermissionRefusedError, turnOffThisDevice, turnOnThisDevice } from './device'
import { describeDevice, describeNextReminder, describeOutcome, pushSupport, type PushSupport } from './support'
import './push.css'

export const PUSH_EXPLANATION = "We'll nudge you at the times you chose, in your time zone. Nothing else."

/** A rep's devices get reminders; a manager's get the alerts they chose (alerts/). */
const WORDS = {
  rep: { title: 'Reminder notifications', explanation: PUSH_EXPLANATION, noun: 'Reminders', turnOn: 'reminders' },
  manager: {
    title: 'Alert notifications',
    explanation: "We'll send your alerts to this device at the times you chose above, in your time zone. Nothing else.",
    noun: 'Alerts',
    turnOn: 'alerts',
  },
}

type DeviceState = 'checking' | 'off' | 'on'

/**
 * The notifications panel. `Heading` is the level that fits where it is placed;
 * `refreshKey` changes when the reminder preferences were saved (re-reads the next one).
 */
export function ReminderNotifications({
  user,
  heading: Heading = 'h3',
  refreshKey,
}: {
  user: Me
  heading?: 'h2' | 'h3'
  refreshKey?: string | null
}) {
  const [support, setSupport] = useState<PushSupport>(() => pushSupport(pushEnvironment()))
  const [state, setState] = useState<DeviceState>(support === 'available' ? 'checking' : 'off')
  const [thisDevice, setThisDevice] = useState<PushDevice | null>(null)
  const [devices, setDevices] = useState<PushDevice[] | null>(null)
  const [publicKey, setPublicKey] = useState<string | null>(null)
  const [busy, setBusy] = useState<'on' | 'off' | 'test' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [test, setTest] = useState<TestPushResult | null>(null)

  async function loadDevices() {
    try {
      setDevices(await pushApi.devices())
    } catch {
      setDevices((d) => d) // the list is a courtesy; the buttons still work
    }
  }

  useEffect(() => {
    let current = true
    void loadDevices()
    if (support !== 'available') return
    // Fetched ahead, so the tap goes straight from "Allow" to subscribing.
    pushApi.publicKey().then(
      (key) => current && setPublicKey(key.public_key),
      () => undefined,
    )
    confirmThisDevice().then(
      (device) => {
        if (!current) return
        setThisDevice(device)
        setState(device ? 'on' : 'off')
        if (device) void loadDevices()
      },
      (reason: unknown) => {
        if (!current) return
        setState('off')
        // 409: the browser's subscription belongs to someone who used this device before.
        if (!(reason instanceof ApiError && reason.status === 409)) setError(describeError(reason))
      },
    )
    return () => {
      current = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  function turnOn() {
    // The permission prompt must come straight from this tap: no await before it.
    const permission = askPermission()
    setBusy('on')
    setError(null)
    setTest(null)
    turnOnThisDevice(permission, publicKey ?? undefined)
      .then(
        (device) => {
          setThisDevice(device)
          setState('on')
          void loadDevices()
        },
        (reason: unknown) => {
          if (reason instanceof PermissionRefusedError) {
            setSupport(pushSupport(pushEnvironment()))
            if (reason.permission !== 'denied') setError(reason.message)
          } else {
            setError(describeError(reason))
          }
        },
      )
      .finally(() => setBusy(null))
  }

  function turnOff() {
    setBusy('off')
    setError(null)
    setTest(null)
    turnOffThisDevice()
      .then(
        () => {
          setThisDevice(null)
          setState('off')
          void loadDevices()
        },
        (reason: unknown) => setError(describeError(reason)),
      )
      .finally(() => setBusy(null))
  }

  function sendTest() {
    setBusy('test')
    setError(null)
    setTest(null)
    pushApi
      .test()
      .then(
        (result) => {
          setTest(result)
          void loadDevices()
        },
        (reason: unknown) => setError(describeError(reason)),
      )
      .finally(() => setBusy(null))
  }

  const words = user.role === 'rep' ? WORDS.rep : WORDS.manager
  const title = (
    <Heading id="push-heading" class="push__title">
      {words.title}
    </Heading>
  )
  const body = (
    <>
      <p>{words.explanation}</p>
      {user.role === 'rep' && (
        <NextReminderLine refreshKey={refreshKey ?? null} on={state === 'on'} inPreferences={Heading === 'h3'} />
      )}
      <ThisDevice
        support={support}
        state={state}
        busy={busy}
        onTurnOn={turnOn}
        onTurnOff={turnOff}
        words={words}
      />
      <ErrorNotice message={error} />
      {devices && devices.length > 0 && (
        <Devices
          devices={devices}
          thisDeviceId={state === 'on' ? (thisDevice?.id ?? null) : null}
          zone={user.time_zone}
          test={test}
          heading={Heading === 'h2' ? 'h3' : 'h4'}
        />
      )}
      {devices && devices.length > 0 && (
        <p>
          <button type="button" class="button button--secondary" disabled={busy !== null} onClick={sendTest}>
            {busy === 'test' ? 'Sending…' : 'Send me a test notification'}
          </button>
        </p>
      )}
    </>
  )
  // In Settings it is a card of its own; in Preferences a part of the Reminders card.
  if (Heading === 'h2') {
    return (
      <section class="card push" aria-labelledby="push-heading">
        <div class="card__head">{title}</div>
        {body}
      </section>
    )
  }
  return (
    <div class="push push--nested">
      {title}
      {body}
    </div>
  )
}

function ThisDevice({
  support,
  state,
  busy,
  onTurnOn,
  onTurnOff,
  words,
}: {
  support: PushSupport
  state: DeviceState
  busy: 'on' | 'off' | 'test' | null
  onTurnOn: () => void
  onTurnOff: () => void
  words: (typeof WORDS)['rep']
}) {
  if (support === 'ios-needs-home-screen') {
    return (
      <div class="notice notice--info push__state" data-push-state="ios-needs-home-screen">
        <p>
          <strong>On iPhone and iPad, add Followthrough to your Home Screen first.</strong> In Safari, tap the Share
          button, then "Add to Home Screen". Open Followthrough from the new icon and come back here to turn reminders
          on.
        </p>
      </div>
    )
  }
  if (support === 'unsupported') {
    return (
      <div class="notice notice--info push__state" data-push-state="unsupported">
        <p>
          <strong>This browser can't show reminders.</strong> It does not support web push notifications (some private
          windows and older browsers don't). Try a current Chrome, Edge, Firefox or Safari, or the app on your phone.
        </p>
      </div>
    )
  }
  if (support === 'denied') {
    return (
      <div class="notice notice--info push__state" data-push-state="denied">
        <p>
          <strong>Notifications are blocked for Followthrough in this browser.</strong> To turn them back on, open the
          site settings (the icon next to the address, or your browser's settings → Site settings → Notifications),
          allow notifications for this site, then reload this page.
        </p>
      </div>
    )
  }
  if (state === 'checking') return <Loading label="Checking this device…" />
  if (state === 'on') {
    return (
      <div class="push__state" data-push-state="on">
        <p class="push__status">
          <span class="badge badge--ok">On</span> {words.noun} are on for this device.
        </p>
        <button type="button" class="button button--secondary" disabled={busy !== null} onClick={onTurnOff}>
          {busy === 'off' ? 'Turning off…' : 'Turn off on this device'}
        </button>
      </div>
    )
  }
  return (
    <div class="push__state" data-push-state="off">
      <p class="muted">Your browser will ask whether Followthrough may show notifications.</p>
      <button type="button" class="button button--primary" disabled={busy !== null} onClick={onTurnOn}>
        {busy === 'on' ? 'Turning on…' : `Turn on ${words.turnOn} on this device`}
      </button>
    </div>
  )
}

function Devices({
  devices,
  thisDeviceId,
  zone,
  test,
  heading: Heading,
}: {
  devices: PushDevice[]
  thisDeviceId: number | null
  zone: string
  test: TestPushResult | null
  heading: 'h3' | 'h4'
}) {
  const outcomes = new Map((test?.results ?? []).map((r) => [r.device_id, r]))
  const removed = (test?.results ?? []).filter((r) => r.status === 'gone' && !devices.some((d) => d.id === r.device_id))
  return (
    <div class="push__devices">
      <Heading class="push__subtitle">Devices with reminders on</Heading>
      {test && test.results.length === 0 && <p role="status">No device could be reached.</p>}
      <ul class="list">
        {devices.map((device) => {
          const outcome = outcomes.get(device.id)
          return (
            <li class="person" key={device.id}>
              <div class="person__head">
                <strong class="person__name">{describeDevice(device.user_agent)}</strong>
                {device.id === thisDeviceId && <span class="badge badge--team">This device</span>}
              </div>
              <dl class="facts">
                <div>
                  <dt>Push service</dt>
                  <dd>{device.service}</dd>
                </div>
                <div>
                  <dt>On since</dt>
                  <dd>{formatInstant(device.created_at, zone)}</dd>
                </div>
                <div>
                  <dt>Last delivered</dt>
                  <dd>{formatInstant(device.last_success_at, zone, 'Not yet')}</dd>
                </div>
              </dl>
              {outcome && (
                <p class={`push__outcome push__outcome--${outcome.status}`} role="status">
                  Test: {describeOutcome(outcome)}
                </p>
              )}
            </li>
          )
        })}
      </ul>
      {removed.length > 0 && (
        <p role="status" class="push__outcome push__outcome--gone">
          {removed.length === 1 ? 'One device' : `${removed.length} devices`}: {describeOutcome(removed[0]!)}
        </p>
      )}
    </div>
  )
}

function NextReminderLine({
  refreshKey,
  on,
  inPreferences,
}: {
  refreshKey: string | null
  on: boolean
  inPreferences: boolean
}) {
  const [next, setNext] = useState<NextReminder | null | undefined>(undefined)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let current = true
    setFailed(false)
    pushApi.next().then(
      (value) => current && setNext(value ?? null),
      () => current && setFailed(true),
    )
    return () => {
      current = false
    }
  }, [refreshKey])
  if (failed && next === undefined) return null
  if (next === undefined) return null
  return (
    <p class="push__next" data-testid="next-reminder">
      {next ? (
        <>
          <strong>Next reminder: {describeNextReminder(next)}</strong>
          {!on && <span class="muted"> — turn notifications on below to get it here.</span>}
        </>
      ) : (
        <span class="muted">
          {inPreferences ? (
            'No reminder planned yet: choose days and times above, then save your answers.'
          ) : (
            <>
              No reminder planned yet: choose days and times in{' '}
              <a href="/preferences">how you'd like to be held accountable</a>.
            </>
          )}
        </span>
      )}
    </p>
  )
}
