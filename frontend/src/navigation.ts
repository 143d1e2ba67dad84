// Which screens each person can reach, and where they land after signing in.
import type { ReadonlySignal } from '@preact/signals'
import type { Me } from '@contract/types'
import { unreadAlerts } from './alerts/unread'
import type { IconName } from './ui/icons'

export interface NavItem {
  path: string
  /** The full name: the side navigation shows it, and it is the link's accessible name. */
  label: string
  /** A shorter visible label for the phone's bottom bar (contained in `label`, so the
   * accessible name still includes the visible text). */
  short?: string
  icon: IconName
  /** A count shown on the link (unread alerts), read as part of its name. */
  count?: ReadonlySignal<number>
  countLabel?: string
}

const HOME: NavItem = { path: '/home', label: 'This week', short: 'Week', icon: 'home' }
const TEAM: NavItem = { path: '/team', label: 'Team', icon: 'team' }
const ADMIN_USERS: NavItem = { path: '/admin/users', label: 'Users', icon: 'users' }
const ADMIN_TEAMS: NavItem = { path: '/admin/teams', label: 'Teams', icon: 'teams' }
const SETTINGS: NavItem = { path: '/settings', label: 'Settings', icon: 'settings' }
const LOG: NavItem = { path: '/log', label: 'Log', icon: 'plus' }
const HISTORY: NavItem = { path: '/history', label: 'History', icon: 'document' }
const PLAN: NavItem = { path: '/plan', label: 'Plan', icon: 'plan' }
const PLANS: NavItem = { path: '/plans', label: 'Plans', icon: 'plan' }
const SETUP: NavItem = { path: '/setup', label: 'Setup', icon: 'sliders' }
const ALERTS: NavItem = { path: '/alerts', label: 'Alerts', icon: 'bell', count: unreadAlerts, countLabel: 'unread' }

export function navItemsFor(me: Me): NavItem[] {
  const managesTeam = me.managed_teams.length > 0
  switch (me.role) {
    case 'rep':
      return [HOME, LOG, HISTORY, PLAN, SETTINGS]
    case 'manager':
      // Five in the phone's bar: Expectations is linked from Setup.
      return [TEAM, PLANS, ALERTS, SETUP, SETTINGS]
    case 'admin':
      return managesTeam ? [ADMIN_USERS, ADMIN_TEAMS, TEAM, SETTINGS] : [ADMIN_USERS, ADMIN_TEAMS, SETTINGS]
  }
}

export function homePathFor(me: Me): string {
  return navItemsFor(me)[0]!.path
}

/** The manager's review screens reached from the team screen and Setup. */
const TEAM_LINKED = ['/team/people', '/team/scrum', '/team/coaching']

/** One rep's screens for their manager: /team/reps/{id} (drill-down), …/checkin, …/timeline. */
const REP_ROUTE = /^\/team\/reps\/([1-9]\d{0,9})(?:\/(checkin|timeline))?$/

export type RepView = 'drilldown' | 'checkin' | 'timeline'

/** Which rep and which of their screens a path is, or null when it is not one. */
export function repRoute(path: string): { userId: number; view: RepView } | null {
  const match = REP_ROUTE.exec(path)
  return match ? { userId: Number(match[1]), view: (match[2] as RepView | undefined) ?? 'drilldown' } : null
}

/** The rep id of a drill-down path, or null when `path` is not one. */
export function drilldownRepId(path: string): number | null {
  const route = repRoute(path)
  return route && route.view === 'drilldown' ? route.userId : null
}

/** Screens reached from links rather than the bar (keeps the phone bar at 5 items or fewer). */
export function linkedPathsFor(me: Me): string[] {
  const managesTeam = me.managed_teams.length > 0
  switch (me.role) {
    case 'rep':
      return ['/preferences', '/expectations', '/insights', '/reflect', '/timeline']
    case 'manager':
      return managesTeam ? [...TEAM_LINKED, '/expectations'] : ['/expectations']
    case 'admin':
      return managesTeam ? ['/plans', '/expectations', '/setup', ...TEAM_LINKED] : []
  }
}

export function canVisit(me: Me, path: string): boolean {
  if (navItemsFor(me).some((item) => item.path === path) || linkedPathsFor(me).includes(path)) return true
  // A manager's screens for one rep (the server checks the rep is on their team).
  return me.role !== 'rep' && me.managed_teams.length > 0 && repRoute(path) !== null
}
