// The weekly team scrum (/team/scrum), a ten-minute ritual on a shared screen: the team
// against its plan first, then one big card per rep as each chose to be shown (or as the
// team shows reps who have not chosen), then a wrap-up. Next/Previous and a countdown sit
// above the slide, so they stay in view on a 1024×768 tablet; full screen when the
// browser offers it. Nothing private is shown: no reasons, shortfalls or preferences.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Me, ScrumCard, ScrumTotals, ScrumTypeLine, TeamScrum } from '@contract/types'
import { reviewApi } from '../api/review'
import { StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { TeamPicker, teamsOf } from '../plans/TeamPicker'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { SelectField, TextArea } from '../ui/fields'
import { Screen } from '../ui/Screen'
import {
  DEFAULT_TURN_MS,
  formatClock,
  isRunning,
  newTimer,
  pauseTimer,
  percentOf,
  resetTimer,
  reviewQuery,
  startTimer,
  stepIndex,
  timeLeft,
  timerAnnouncement,
  weekFromSearch,
  type TimerState,
} from './logic'
import { currentMonday, replaceSearch, ReviewIcon, teamParam, useReviewTeam, weekTitle } from './parts'
import {
  coverText,
  notesKey,
  offScreenText,
  onPaceText,
  pendingText,
  scrumSteps,
  stepLabel,
  undecidedText,
  type ScrumStep,
} from './scrum-logic'
import './scrum.css'

const TURN_OPTIONS = [1, 2, 3, 5].map((m) => ({ value: String(m * 60_000), label: `${m} min` }))

export function Scrum({ user }: { user: Me }) {
  const [team, setTeamId] = useReviewTeam(user)
  const current = currentMonday(user)
  const week = weekFromSearch(location.search) ?? current
  const back = `/team${reviewQuery(week, current, { team: teamParam(user, team) })}`

  useEffect(() => {
    replaceSearch('/team/scrum', reviewQuery(week, current, { team: teamParam(user, team) }))
  }, [team?.id])

  if (!team) {
    return (
      <Screen title="Team scrum">
        <EmptyState title="You don't manage a team yet." />
      </Screen>
    )
  }
  return (
    <Screen title="Team scrum" heading={`Weekly scrum: ${team.name}`} intro={<p>{weekTitle(week, current)}</p>}>
      {teamsOf(user).length > 1 && (
        <div class="toolbar">
          <TeamPicker user={user} team={team} onChange={setTeamId} />
        </div>
      )}
      <ScrumBody key={`${team.id}:${week}`} teamId={team.id} week={week} current={current} exitHref={back} />
    </Screen>
  )
}

function ScrumBody({ teamId, week, current, exitHref }: { teamId: number; week: string; current: string; exitHref: string }) {
  const scrum = useRead(`scrum:${teamId}:${week}`, () => reviewApi.scrum(teamId, week === current ? undefined : week))
  return (
    <>
      <StaleNotice show={scrum.stale} onRetry={scrum.reload} />
      {scrum.loading && <Loading label="Loading the scrum…" />}
      <ErrorNotice message={scrum.error} onRetry={scrum.reload} />
      {scrum.error && !scrum.data && (
        <a class="button button--secondary" href={exitHref}>
          Back to the team
        </a>
      )}
      {scrum.data && <Presentation scrum={scrum.data} week={week} exitHref={exitHref} />}
    </>
  )
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    setNow(Date.now())
    const id = window.setInterval(() => setNow(Date.now()), 250)
    return () => window.clearInterval(id)
  }, [active])
  return active ? now : Date.now()
}

function fullscreenSupported(): boolean {
  return typeof document !== 'undefined' && !!document.fullscreenEnabled && typeof Element.prototype.requestFullscreen === 'function'
}

function Presentation({ scrum, week, exitHref }: { scrum: TeamScrum; week: string; exitHref: string }) {
  const stage = useRef<HTMLDivElement>(null)
  const [index, setIndex] = useState(0)
  const [timer, setTimer] = useState<TimerState>(() => newTimer(DEFAULT_TURN_MS))
  const [announcement, setAnnouncement] = useState('')
  const [fullscreen, setFullscreen] = useState(false)
  const [fsError, setFsError] = useState<string | null>(null)
  const now = useNow(isRunning(timer))
  const left = timeLeft(timer, now)
  const lastLeft = useRef(left)
  const steps = scrumSteps(scrum)
  const count = steps.length
  const step = steps[Math.min(index, count - 1)]!

  // Announce 1 minute, 30 seconds and time's up (never every second); stop at zero.
  useEffect(() => {
    const said = timerAnnouncement(lastLeft.current, left)
    lastLeft.current = left
    if (said) setAnnouncement(said)
    if (left <= 0 && isRunning(timer)) setTimer((t) => pauseTimer(t, Date.now()))
  }, [left])

  function go(by: number) {
    const next = stepIndex(index, by, count)
    if (next === index) return
    setIndex(next)
    setTimer((t) => resetTimer(t, Date.now()))
    lastLeft.current = timer.durationMs
    setAnnouncement(`${stepLabel(steps[next]!)}, ${next + 1} of ${count}.`)
  }

  // Arrow keys (and presentation clickers' Page keys) walk the steps. One listener for the
  // screen's life, calling the latest `go`: re-adding it after each render would drop a key
  // pressed between a render and its effect.
  const goRef = useRef(go)
  goRef.current = go
  useEffect(() => {
    const go = (by: number) => goRef.current(by)
    function onKey(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
      const target = event.target as HTMLElement | null
      if (target?.closest('input, select, textarea, [contenteditable="true"]')) return
      if (event.key === 'ArrowRight' || event.key === 'PageDown') {
        event.preventDefault()
        go(1)
      } else if (event.key === 'ArrowLeft' || event.key === 'PageUp') {
        event.preventDefault()
        go(-1)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === stage.current && !!stage.current)
    document.addEventListener('fullscreenchange', onChange)
    return () => {
      document.removeEventListener('fullscreenchange', onChange)
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined)
    }
  }, [])

  async function toggleFullscreen() {
    setFsError(null)
    try {
      if (document.fullscreenElement) await document.exitFullscreen()
      else await stage.current?.requestFullscreen()
    } catch {
      setFsError('Full screen is not available here; the scrum works the same in the window.')
    }
  }

  function toggleTimer() {
    const at = Date.now()
    if (isRunning(timer)) {
      setTimer(pauseTimer(timer, at))
      setAnnouncement(`Timer paused at ${formatClock(timeLeft(timer, at))}.`)
    } else {
      const base = left <= 0 ? resetTimer(timer, at) : timer
      lastLeft.current = timeLeft(base, at)
      setTimer(startTimer(base, at))
      setAnnouncement(left <= 0 || left === timer.durationMs ? 'Timer started.' : 'Timer resumed.')
    }
  }

  const running = isRunning(timer)
  const startLabel = running ? 'Pause' : left <= 0 ? 'Restart' : left < timer.durationMs ? 'Resume' : 'Start timer'

  return (
    <div ref={stage} class={`scrum${fullscreen ? ' scrum--fullscreen' : ''}`}>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      <div class="scrum__bar">
        <p class="scrum__progress">
          <span class="scrum__step-name">{stepLabel(step)}</span>
          <span class="scrum__count">
            {index + 1} of {count}
          </span>
        </p>
        <div class="scrum__tools">
          <div class="scrum__turn">
            <SelectField
              label="Time per rep"
              name="turn"
              value={String(timer.durationMs)}
              options={TURN_OPTIONS}
              onChange={(value) => {
                const ms = Number(value)
                setTimer((t) => resetTimer(t, Date.now(), ms))
                lastLeft.current = ms
              }}
            />
          </div>
          {fullscreenSupported() && (
            <button type="button" class="button button--secondary" onClick={toggleFullscreen} aria-pressed={fullscreen ? 'true' : 'false'}>
              <ReviewIcon name="expand" />
              Full screen
            </button>
          )}
          <a class="button button--secondary" href={exitHref}>
            <ReviewIcon name="close" />
            Exit scrum
          </a>
        </div>
      </div>
      {fsError && <p class="notice notice--info small">{fsError}</p>}
      <div class="scrum__controls">
        <button type="button" class="button button--secondary scrum__step" disabled={index === 0} onClick={() => go(-1)}>
          <ReviewIcon name="chevronLeft" />
          Previous
        </button>
        <div class="scrum__timer">
          <p class={`scrum__clock${left <= 0 ? ' scrum__clock--over' : ''}`} role="timer" aria-label="Time left for this rep">
            <ReviewIcon name="clock" />
            <span>{formatClock(left)}</span>
            {left <= 0 && <span class="scrum__over">Time's up</span>}
          </p>
          <div class="row-actions">
            <button type="button" class="button button--secondary" onClick={toggleTimer}>
              <ReviewIcon name={running ? 'pause' : 'play'} />
              {startLabel}
            </button>
            <button
              type="button"
              class="button button--secondary"
              onClick={() => {
                setTimer((t) => resetTimer(t, Date.now()))
                lastLeft.current = timer.durationMs
                setAnnouncement('Timer reset.')
              }}
            >
              <ReviewIcon name="reset" />
              Reset
            </button>
          </div>
        </div>
        <button type="button" class="button button--primary scrum__step" disabled={index >= count - 1} onClick={() => go(1)}>
          Next
          <ReviewIcon name="chevronRight" />
        </button>
      </div>
      <Slide step={step} scrum={scrum} week={week} position={index + 1} count={count} />
      <p class="muted small scrum__keys">Tip: the left and right arrow keys move between steps.</p>
    </div>
  )
}

function Slide({ step, scrum, week, position, count }: { step: ScrumStep; scrum: TeamScrum; week: string; position: number; count: number }) {
  if (step.kind === 'team') return <TeamSlide scrum={scrum} position={position} count={count} />
  if (step.kind === 'wrap') return <WrapUp scrum={scrum} week={week} position={position} count={count} />
  return <Card card={step.card} position={position} count={count} />
}

function SlideTitle({ text, position, count }: { text: string; position: number; count: number }) {
  return (
    <h2 id="scrum-card-name" class="scrum-card__name">
      <span class="scrum-card__display">{text}</span>
      <span class="visually-hidden">
        , {position} of {count}
      </span>
    </h2>
  )
}

function Lines({ lines }: { lines: ScrumTypeLine[] }) {
  return (
    <ul class="scrum-lines">
      {lines.map((line) => {
        const share = line.target > 0 ? Math.min(1, line.done / line.target) : 0
        return (
          <li key={line.name} class="scrum-line">
            <span class="scrum-line__name">{line.name}</span>
            <span class="scrum-line__numbers">
              <strong>{line.done}</strong>
              {line.target > 0 ? ` of ${line.target}` : ' (no target)'}
            </span>
            {line.target > 0 && (
              <span class={`bar scrum-line__bar${line.done >= line.target ? ' scrum-line__bar--done' : ''}`} aria-hidden="true">
                <span class="bar__fill" style={{ width: `${Math.round(share * 100)}%` }} />
              </span>
            )}
          </li>
        )
      })}
    </ul>
  )
}

function TeamSlide({ scrum, position, count }: { scrum: TeamScrum; position: number; count: number }) {
  const totals: ScrumTotals = scrum.totals
  const notes = [coverText(totals), pendingText(totals), offScreenText(scrum.hidden), undecidedText(scrum.undecided, scrum.default_visibility)]
  return (
    <article class="scrum-card scrum-team" aria-labelledby="scrum-card-name" aria-roledescription="slide">
      <div class="scrum-card__head">
        <SlideTitle text="The team this week" position={position} count={count} />
        <p class="scrum-card__attainment">
          <strong>{onPaceText(totals)}</strong>
        </p>
      </div>
      {totals.lines.length > 0 ? <Lines lines={totals.lines} /> : <p class="muted">No plans and nothing logged this week.</p>}
      <ul class="scrum-team__notes muted small">
        {notes.filter(Boolean).map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </article>
  )
}

function Card({ card, position, count }: { card: ScrumCard; position: number; count: number }) {
  return (
    <article class="scrum-card" aria-labelledby="scrum-card-name" aria-roledescription="slide">
      <div class="scrum-card__head">
        <SlideTitle text={card.display_name} position={position} count={count} />
        {card.anonymous && <span class="badge">Shown anonymously</span>}
        <p class="scrum-card__attainment">
          <strong>{percentOf(card.attainment)}%</strong> of plan
        </p>
      </div>
      {card.lines.length > 0 ? <Lines lines={card.lines} /> : <p class="muted">No plan and nothing logged this week.</p>}
      {card.win && (
        <p class="scrum-card__win">
          <ReviewIcon name="star" />
          <span>
            <strong>Win:</strong> {card.win}
          </span>
        </p>
      )}
      {card.pending && <p class="muted small">Some logs may still be syncing: the numbers can grow.</p>}
    </article>
  )
}

function readNotes(key: string): string {
  try {
    return localStorage.getItem(key) ?? ''
  } catch {
    return ''
  }
}

function WrapUp({ scrum, week, position, count }: { scrum: TeamScrum; week: string; position: number; count: number }) {
  const key = notesKey(scrum.team_id, week)
  const [notes, setNotes] = useState(() => readNotes(key))
  const [unsaved, setUnsaved] = useState(false)
  const wins = scrum.cards.filter((c) => c.win)
  const help = scrum.wrap_up.needs_help
  return (
    <article class="scrum-card scrum-wrap" aria-labelledby="scrum-card-name" aria-roledescription="slide">
      <div class="scrum-card__head">
        <SlideTitle text="Wrap-up" position={position} count={count} />
      </div>
      <div class="scrum-wrap__grid">
        <section aria-labelledby="scrum-help">
          <h3 id="scrum-help">Who could use a hand</h3>
          {help.length > 0 ? (
            <>
              <ul class="scrum-wrap__names">
                {help.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
              <p class="muted small">Offer help one to one after the scrum.</p>
            </>
          ) : (
            <p class="muted">Nobody this week.</p>
          )}
        </section>
        <section aria-labelledby="scrum-wins">
          <h3 id="scrum-wins">Wins</h3>
          {wins.length > 0 ? (
            <ul class="scrum-wrap__names">
              {wins.map((c) => (
                <li key={c.display_name}>
                  <strong>{c.display_name}</strong>: {c.win}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">No wins called out yet.</p>
          )}
        </section>
      </div>
      <TextArea
        label="What we agreed"
        name="agreed"
        rows={3}
        maxLength={2000}
        value={notes}
        hint={unsaved ? 'Not saved: this browser does not keep notes.' : 'Kept on this device for this team and week.'}
        onInput={(value) => {
          setNotes(value)
          try {
            localStorage.setItem(key, value)
            setUnsaved(false)
          } catch {
            setUnsaved(true)
          }
        }}
      />
    </article>
  )
}
