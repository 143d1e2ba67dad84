// The weekly team scrum (/team/scrum): one big card per rep as each chose to be shown,
// Next/Previous (buttons and arrow keys), a per-rep countdown, full screen when the
// browser offers it. Everything works without the Fullscreen API.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Me, ScrumCard, TeamScrum } from '@contract/types'
import { reviewApi } from '../api/review'
import { StaleNotice } from '../plans/PlanParts'
import { useRead } from '../plans/read'
import { TeamPicker, teamsOf } from '../plans/TeamPicker'
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback'
import { SelectField } from '../ui/fields'
import { Screen } from '../ui/Screen'
import {
  DEFAULT_TURN_MS,
  formatClock,
  hiddenText,
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
      {scrum.data && <Presentation scrum={scrum.data} exitHref={exitHref} />}
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

function Presentation({ scrum, exitHref }: { scrum: TeamScrum; exitHref: string }) {
  const stage = useRef<HTMLDivElement>(null)
  const [index, setIndex] = useState(0)
  const [timer, setTimer] = useState<TimerState>(() => newTimer(DEFAULT_TURN_MS))
  const [announcement, setAnnouncement] = useState('')
  const [fullscreen, setFullscreen] = useState(false)
  const [fsError, setFsError] = useState<string | null>(null)
  const now = useNow(isRunning(timer))
  const left = timeLeft(timer, now)
  const lastLeft = useRef(left)
  const count = scrum.cards.length
  const card = scrum.cards[index]

  // Announce 1 minute, 30 seconds and time's up (never every second); stop at zero.
  useEffect(() => {
    const said = timerAnnouncement(lastLeft.current, left)
    lastLeft.current = left
    if (said) setAnnouncement(said)
    if (left <= 0 && isRunning(timer)) setTimer((t) => pauseTimer(t, Date.now()))
  }, [left])

  function go(step: number) {
    const next = stepIndex(index, step, count)
    if (next === index) return
    setIndex(next)
    setTimer((t) => resetTimer(t, Date.now()))
    lastLeft.current = timer.durationMs
    const name = scrum.cards[next]?.display_name
    setAnnouncement(`${name}, ${next + 1} of ${count}.`)
  }

  // Arrow keys (and presentation clickers' Page keys) walk the reps. One listener for the
  // screen's life, calling the latest `go`: re-adding it after each render would drop a key
  // pressed between a render and its effect.
  const goRef = useRef(go)
  goRef.current = go
  useEffect(() => {
    const go = (step: number) => goRef.current(step)
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

  const hidden = hiddenText(scrum.hidden)
  const running = isRunning(timer)
  const startLabel = running ? 'Pause' : left <= 0 ? 'Restart' : left < timer.durationMs ? 'Resume' : 'Start timer'

  return (
    <div ref={stage} class={`scrum${fullscreen ? ' scrum--fullscreen' : ''}`}>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      <div class="scrum__bar">
        <p class="scrum__progress">{count > 0 ? `${index + 1} of ${count}` : 'No reps to show'}</p>
        {hidden && <p class="scrum__hidden muted small">{hidden}</p>}
        <div class="scrum__tools">
          {card && (
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
          )}
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
      {card ? (
        <>
          <Card card={card} position={index + 1} count={count} />
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
          <p class="muted small scrum__keys">Tip: the left and right arrow keys move between reps.</p>
        </>
      ) : (
        <EmptyState title="No reps to show this week.">
          <p>Reps choose on their preferences whether they appear on team views.</p>
        </EmptyState>
      )}
    </div>
  )
}

function Card({ card, position, count }: { card: ScrumCard; position: number; count: number }) {
  return (
    <article class="scrum-card" aria-labelledby="scrum-card-name" aria-roledescription="slide">
      <div class="scrum-card__head">
        <h2 id="scrum-card-name" class="scrum-card__name">
          <span class="scrum-card__display">{card.display_name}</span>
          <span class="visually-hidden">, {position} of {count}</span>
        </h2>
        {card.anonymous && <span class="badge">Shown anonymously</span>}
        <p class="scrum-card__attainment">
          <strong>{percentOf(card.attainment)}%</strong> of plan
        </p>
      </div>
      {card.lines.length > 0 ? (
        <ul class="scrum-lines">
          {card.lines.map((line) => {
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
      ) : (
        <p class="muted">No plan and nothing logged this week.</p>
      )}
      {card.win && (
        <p class="scrum-card__win">
          <ReviewIcon name="star" />
          <span>
            <strong>Win:</strong> {card.win}
          </span>
        </p>
      )}
      {card.flag && (
        <p class="scrum-card__flag">
          <ReviewIcon name="alert" />
          <span>
            <strong>To talk about:</strong> {card.flag}
          </span>
        </p>
      )}
    </article>
  )
}
