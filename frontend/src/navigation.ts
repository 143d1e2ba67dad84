// Which screens each person can reach, and where they land after signing in.
import type { Me } from '@contract/types'
import type { IconName } from './ui/icons'

export interface NavItem {
  path: string
  /** The full name: the side navigation shows it, and it is the link's accessible name. */
  label: string
  /** A shorter visible label for the phone's bottom bar (contained in `label`, so the
   * accessible name still includes the visible text). */
  short?: string
  icon: IconName
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
const EXPECTATIONS: NavItem = { path: '/expectations', label: 'Expectations', icon: 'book' }
const SETUP: NavItem = { path: '/setup', label: 'Setup', icon: 'sliders' }

export function navItemsFor(me: Me): NavItem[] {
  const managesTeam = me.managed_teams.length > 0
  switch (me.role) {
    case 'rep':
      return [HOME, LOG, HISTORY, PLAN, SETTINGS]
    case 'manager':
      return [TEAM, PLANS, EXPECTATIONS, SETUP, SETTINGS]
    case 'admin':
      return managesTeam ? [ADMIN_USERS, ADMIN_TEAMS, TEAM, SETTINGS] : [ADMIN_USERS, ADMIN_TEAMS, SETTINGS]
  }
}

export function homePathFor(me: Me): string {
  return navItemsFor(me)[0]!.path
}

/** The manager's review screens reached from the team screen and Setup. */
const TEAM_LINKED = ['/team/people', '/team/scrum', '/team/coaching']

/** One rep's drill-down: /team/reps/{id}. */
const REP_DRILLDOWN = /^\/team\/reps\/([1-9]\d{0,9})$/

/** The rep id of a drill-down path, or null when `path` is not one. */
export function drilldownRepId(path: string): number | null {
  const match = REP_DRILLDOWN.exec(path)
  return match ? Number(match[1]) : null
}

/** Screens reached from links rather than the bar (keeps the phone bar at 5 items or fewer). */
export function linkedPathsFor(me: Me): string[] {
  const managesTeam = me.managed_teams.length > 0
  switch (me.role) {
    case 'rep':
      return ['/preferences', '/expectations', '/insights']
    case 'manager':
      return managesTeam ? TEAM_LINKED : []
    case 'admin':
      return managesTeam ? ['/plans', '/expectations', '/setup', ...TEAM_LINKED] : []
  }
}

export function canVisit(me: Me, path: string): boolean {
  if (navItemsFor(me).some((item) => item.path === path) || linkedPathsFor(me).includes(path)) return true
  // A manager's drill-down into one rep (the server checks the rep is on their team).
  return me.role !== 'rep' && me.managed_teams.length > 0 && drilldownRepId(path) !== null
}
