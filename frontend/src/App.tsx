// Picks the screen from the session state and the path.
import { useEffect } from 'preact/hooks'
import type { Me } from '@contract/types'
import { canVisit, homePathFor, navItemsFor, repRoute } from './navigation'
import { currentPath, navigate } from './router'
import { AcceptInvite } from './screens/AcceptInvite'
import { History } from './screens/History'
import { Home } from './screens/Home'
import { Log } from './screens/Log'
import { Login } from './screens/Login'
import { me, sessionStatus } from './session'
import { Loading } from './ui/feedback'
import { AppShell, PublicShell } from './ui/Shell'
import { SyncStatusBar } from './ui/SyncStatus'
import { lazyScreen } from './ui/lazy'
import { watchUnread } from './alerts/unread'
// The reflection is written offline on a phone, like a log: in the first bundle too.
import { Reflect } from './coaching/Reflect'

// Code splitting (issue #8: first-load budget). Signing in, accepting an invitation (it
// reads its token from the #fragment at once) and the rep's everyday screens
// (This week, Log, History: offline-critical, and History takes #fragment links) are in
// the first bundle; every other screen's code is fetched the first time it is shown and
// precached by the service worker for offline use (ui/lazy.tsx).
const CheckinScreen = lazyScreen(() => import('./coaching/manager/Checkin').then((m) => m.CheckinScreen))
const TimelineScreen = lazyScreen(() => import('./coaching/Timeline').then((m) => m.TimelineScreen))
const Coaching = lazyScreen(() => import('./review/Coaching').then((m) => m.Coaching))
const RepDrilldown = lazyScreen(() => import('./review/drilldown/RepDrilldown').then((m) => m.RepDrilldown))
const Scrum = lazyScreen(() => import('./review/Scrum').then((m) => m.Scrum))
const TeamReview = lazyScreen(() => import('./review/TeamReview').then((m) => m.TeamReview))
const AdminTeams = lazyScreen(() => import('./screens/AdminTeams').then((m) => m.AdminTeams))
const AdminUsers = lazyScreen(() => import('./screens/AdminUsers').then((m) => m.AdminUsers))
const Expectations = lazyScreen(() => import('./screens/Expectations').then((m) => m.Expectations))
const PlanBuilder = lazyScreen(() => import('./screens/PlanBuilder').then((m) => m.PlanBuilder))
const Preferences = lazyScreen(() => import('./screens/Preferences').then((m) => m.Preferences))
const TeamPlans = lazyScreen(() => import('./screens/TeamPlans').then((m) => m.TeamPlans))
const TeamSetup = lazyScreen(() => import('./screens/TeamSetup').then((m) => m.TeamSetup))
const Settings = lazyScreen(() => import('./screens/Settings').then((m) => m.Settings))
const People = lazyScreen(() => import('./screens/Team').then((m) => m.People))
const AlertsInbox = lazyScreen(() => import('./alerts/Inbox').then((m) => m.AlertsInbox))

/** The screen the app opens on starts fetching its code alongside the session check.
 *  Not the alerts inbox: its chunk imports the unread count from the entry, and Chromium
 *  left that import() pending for ever when it started while the entry was still being
 *  evaluated (a full load of /alerts stayed on "Loading…"); it loads when first shown. */
const OPENING_SCREENS: Record<string, { preload: () => void }> = {
  '/team': TeamReview,
  '/team/people': People,
  '/team/scrum': Scrum,
  '/team/coaching': Coaching,
  '/insights': RepDrilldown,
  '/admin/users': AdminUsers,
  '/admin/teams': AdminTeams,
  '/settings': Settings,
  '/plan': PlanBuilder,
  '/preferences': Preferences,
  '/plans': TeamPlans,
  '/expectations': Expectations,
  '/setup': TeamSetup,
  '/timeline': TimelineScreen,
}
OPENING_SCREENS[currentPath.peek()]?.preload()

function ScreenFor({ path, user }: { path: string; user: Me }) {
  switch (path) {
    case '/home':
      return <Home user={user} />
    case '/team':
      return <TeamReview user={user} />
    case '/team/people':
      return <People user={user} />
    case '/team/scrum':
      return <Scrum user={user} />
    case '/team/coaching':
      return <Coaching user={user} />
    case '/insights':
      return <RepDrilldown user={user} userId={user.id} />
    case '/admin/users':
      return <AdminUsers user={user} />
    case '/admin/teams':
      return <AdminTeams />
    case '/settings':
      return <Settings user={user} />
    case '/plan':
      return <PlanBuilder user={user} />
    case '/preferences':
      return <Preferences user={user} />
    case '/plans':
      return <TeamPlans user={user} />
    case '/expectations':
      return <Expectations user={user} />
    case '/setup':
      return <TeamSetup user={user} />
    case '/log':
      return <Log user={user} />
    case '/history':
      return <History user={user} />
    case '/reflect':
      return <Reflect user={user} />
    case '/timeline':
      return <TimelineScreen user={user} userId={user.id} />
    case '/alerts':
      return <AlertsInbox />
    default: {
      const route = repRoute(path)
      if (route === null) return null
      const { userId, view } = route
      if (view === 'checkin') return <CheckinScreen key={userId} user={user} userId={userId} />
      if (view === 'timeline') {
        return (
          <TimelineScreen key={userId} user={user} userId={userId} checkinHref={() => `/team/reps/${userId}/checkin`} />
        )
      }
      return <RepDrilldown key={userId} user={user} userId={userId} />
    }
  }
}

/** Land on the person's home when the path is not theirs (/, /login, another role's screen). */
function useCanonicalPath(user: Me | null, path: string): string | null {
  const target = user && !canVisit(user, path) ? homePathFor(user) : null
  useEffect(() => {
    if (target) navigate(target, { replace: true })
  }, [target])
  return target ?? (user ? path : null)
}

export function App() {
  const path = currentPath.value
  const status = sessionStatus.value
  const user = status === 'signed-in' ? me.value : null
  const screenPath = useCanonicalPath(path === '/invite' ? null : user, path)
  const isManager = user?.role === 'manager'
  useEffect(() => (isManager ? watchUnread() : undefined), [isManager])  // the Alerts badge

  if (path === '/invite') {
    return (
      <PublicShell>
        <AcceptInvite onAccepted={() => navigate('/', { replace: true })} />
      </PublicShell>
    )
  }
  if (status === 'starting') {
    return (
      <PublicShell>
        <Loading label="Opening Followthrough…" />
      </PublicShell>
    )
  }
  if (!user || !screenPath) {
    return (
      <PublicShell>
        <Login />
      </PublicShell>
    )
  }
  return (
    <AppShell items={navItemsFor(user)}>
      {user.role === 'rep' && <SyncStatusBar />}
      <ScreenFor key={screenPath} path={screenPath} user={user} />
    </AppShell>
  )
}
