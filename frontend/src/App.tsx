// Picks the screen from the session state and the path.
import { useEffect } from 'preact/hooks'
import type { Me } from '@contract/types'
import { CheckinScreen } from './coaching/manager/Checkin'
import { Reflect } from './coaching/Reflect'
import { TimelineScreen } from './coaching/Timeline'
import { canVisit, homePathFor, navItemsFor, repRoute } from './navigation'
import { Coaching } from './review/Coaching'
import { RepDrilldown } from './review/drilldown/RepDrilldown'
import { Scrum } from './review/Scrum'
import { TeamReview } from './review/TeamReview'
import { currentPath, navigate } from './router'
import { AcceptInvite } from './screens/AcceptInvite'
import { AdminTeams } from './screens/AdminTeams'
import { AdminUsers } from './screens/AdminUsers'
import { History } from './screens/History'
import { Home } from './screens/Home'
import { Log } from './screens/Log'
import { Login } from './screens/Login'
import { Expectations } from './screens/Expectations'
import { PlanBuilder } from './screens/PlanBuilder'
import { Preferences } from './screens/Preferences'
import { TeamPlans } from './screens/TeamPlans'
import { TeamSetup } from './screens/TeamSetup'
import { Settings } from './screens/Settings'
import { People } from './screens/Team'
import { me, sessionStatus } from './session'
import { Loading } from './ui/feedback'
import { AppShell, PublicShell } from './ui/Shell'
import { SyncStatusBar } from './ui/SyncStatus'

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
