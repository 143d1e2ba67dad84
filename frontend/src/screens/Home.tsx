import { useEffect, useState } from 'preact/hooks'
import type { Me } from '@contract/types'
import { formatDayLabel, formatWeekRange, greeting, weekDays } from '../time/week'
import { Screen, Section } from '../ui/Screen'

/** Re-render at most once a minute so "today" moves on at midnight in the rep's zone. */
function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

function safeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return zone
  } catch {
    return 'UTC'
  }
}

export function Home({ user }: { user: Me }) {
  const now = useNow()
  const zone = safeZone(user.time_zone)
  const days = weekDays(now, zone)
  const firstName = user.name.split(/\s+/)[0] || user.name

  return (
    <Screen
      title="This week"
      intro={
        <p class="greeting">
          {greeting(now, zone)}, {firstName}.
        </p>
      }
    >
      <Section title="Your week">
        <p class="week-range">{formatWeekRange(days)}</p>
        <ol class="week-strip" aria-label="Days of this week">
          {days.map((day) => {
            const label = formatDayLabel(day)
            return (
              <li
                key={day.iso}
                class={`week-strip__day${day.isToday ? ' week-strip__day--today' : ''}`}
                aria-current={day.isToday ? 'date' : undefined}
              >
                <span class="week-strip__weekday" aria-hidden="true">
                  {label.weekday}
                </span>
                <span class="week-strip__date" aria-hidden="true">
                  {label.date}
                </span>
                <span class="visually-hidden">
                  {label.full}
                  {day.isToday ? ' (today)' : ''}
                </span>
              </li>
            )
          })}
        </ol>
        <p class="muted small">Dates follow your time zone, {zone}.</p>
      </Section>
      <Section title="Your weekly plan">
        <div class="empty">
          <p class="empty__title">Your plan will appear here once it is set up.</p>
          <div class="empty__body">
            <p>
              Each week you'll commit to the activities you control — calls, visits, proposals,
              follow-ups — and log them here in seconds, even without signal.
            </p>
            <p>Your manager will help you set up your first plan{user.team ? ` for ${user.team.name}` : ''}.</p>
          </div>
        </div>
      </Section>
    </Screen>
  )
}
