// Pieces the review screens share: the team chosen from ?team=, this week's Monday,
// the week picker, a few icons the shared set lacks, and the URL kept in step.
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import type { Me, RepReviewRow, TeamRef } from '@contract/types'
import { PaceBadge } from '../plans/PlanParts'
import { teamsOf } from '../plans/TeamPicker'
import { addDays, shortDate, thisMonday } from '../plans/weeks'
import { localDate } from '../time/week'
import { Icon, type IconName } from '../ui/icons'
import { weekNav } from './logic'
import './review.css'

/** The team a review screen shows: ?team= when it is one of yours, else the first. */
export function useReviewTeam(user: Me): [TeamRef | undefined, (id: number) => void] {
  const teams = teamsOf(user)
  const [teamId, setTeamId] = useState(() => {
    const asked = Number(new URLSearchParams(location.search).get('team'))
    return teams.some((t) => t.id === asked) ? asked : (teams[0]?.id ?? 0)
  })
  return [teams.find((t) => t.id === teamId) ?? teams[0], setTeamId]
}

/** `?team=` only when it is not the first (default) team. */
export function teamParam(user: Me, team: TeamRef | undefined): string | null {
  const first = teamsOf(user)[0]
  return team && first && team.id !== first.id ? String(team.id) : null
}

/** The Monday of this week in the viewer's zone (the server uses the same zone). */
export function currentMonday(user: Me, now = new Date()): string {
  return thisMonday(now, user.time_zone)
}

/** Today's date in the viewer's zone, "YYYY-MM-DD". */
export function todayIn(timeZone: string, now = new Date()): string {
  const d = localDate(now, timeZone)
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
}

/** Keep the address bar in step with the screen's state without a navigation. */
export function replaceSearch(path: string, query: string): void {
  if (location.pathname !== path) return
  const next = `${path}${query}${location.hash}`
  if (`${location.pathname}${location.search}${location.hash}` !== next) history.replaceState(null, '', next)
}

/** "16–22 Nov 2026" for the week starting `monday`. */
export function weekRangeText(monday: string): string {
  const sunday = addDays(monday, 6)
  const sameMonth = monday.slice(0, 7) === sunday.slice(0, 7)
  const start = sameMonth ? String(Number(monday.slice(8))) : shortDate(monday, monday.slice(0, 4) !== sunday.slice(0, 4), 'en-GB')
  return `${start}–${shortDate(sunday, true, 'en-GB')}`
}

export function weekTitle(week: string, current: string): string {
  if (week === current) return `This week, ${weekRangeText(week)}`
  if (week === addDays(current, -7)) return `Last week, ${weekRangeText(week)}`
  return `Week of ${weekRangeText(week)}`
}

/** Previous / next week and "This week"; weeks the server would refuse are not offered. */
export function WeekPicker({
  week,
  current,
  onChange,
  disabled = false,
}: {
  week: string
  current: string
  onChange: (week: string) => void
  disabled?: boolean
}) {
  const nav = weekNav(week, current)
  return (
    <div class="week-picker" role="group" aria-label="Week">
      <button
        type="button"
        class="button button--secondary week-picker__step"
        disabled={disabled || !nav.previous}
        aria-label="Previous week"
        onClick={() => nav.previous && onChange(nav.previous)}
      >
        <ReviewIcon name="chevronLeft" />
        <span>
          Previous<span class="week-picker__word"> week</span>
        </span>
      </button>
      <p class="week-picker__label" aria-live="polite">
        {weekTitle(week, current)}
      </p>
      <button
        type="button"
        class="button button--secondary week-picker__step"
        disabled={disabled || !nav.next}
        aria-label="Next week"
        onClick={() => nav.next && onChange(nav.next)}
      >
        <span>
          Next<span class="week-picker__word"> week</span>
        </span>
        <ReviewIcon name="chevronRight" />
      </button>
      {!nav.isCurrent && (
        <button type="button" class="button button--link" disabled={disabled} onClick={() => onChange(current)}>
          This week
        </button>
      )}
    </div>
  )
}

/** The review screens' icons: the shared set (ui/icons.tsx), always decorative. */
export type ReviewIconName = IconName
export const ReviewIcon = Icon

/** A small pill with an icon and words (colour is never the only signal). */
export function Pill({ tone, icon, children }: { tone: 'warn' | 'ok' | 'info' | 'neutral'; icon?: ReviewIconName; children: ComponentChildren }) {
  return (
    <span class={`pill pill--${tone}`}>
      {icon && <ReviewIcon name={icon} />}
      <span>{children}</span>
    </span>
  )
}

/** A rep-week's pace as every review screen shows it: never judged while a device still
 *  holds logs of that week (the team card, the drill-down and the check-in agree). */
export function RowPace({ row }: { row: Pick<RepReviewRow, 'pending_sync' | 'pace_status'> }) {
  return row.pending_sync ? (
    <Pill tone="warn" icon="sync">
      Pending sync
    </Pill>
  ) : (
    <PaceBadge status={row.pace_status} />
  )
}
