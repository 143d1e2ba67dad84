import { describe, expect, it } from 'vitest'
import type { Me } from '@contract/types'
import { ApiError, OFFLINE_MESSAGE, OfflineError } from '../src/api/client'
import { canVisit, homePathFor, navItemsFor } from '../src/navigation'
import { invitationErrorMessage, inviteTokenFrom } from '../src/screens/AcceptInvite'
import { loginErrorMessage } from '../src/screens/Login'

function user(role: Me['role'], managed: number[] = []): Me {
  return {
    id: 1,
    email: 'x@demo.test',
    name: 'X',
    role,
    time_zone: 'UTC',
    team: null,
    managed_teams: managed.map((id) => ({ id, name: `Team ${id}` })),
  }
}

describe('where people land and what they can open', () => {
  it('sends each role to its own home', () => {
    expect(homePathFor(user('rep'))).toBe('/home')
    expect(homePathFor(user('manager', [3]))).toBe('/team')
    expect(homePathFor(user('admin'))).toBe('/admin/users')
  })

  it('shows the team screen to admins only when they manage a team', () => {
    expect(canVisit(user('admin'), '/team')).toBe(false)
    expect(canVisit(user('admin', [3]), '/team')).toBe(true)
    expect(navItemsFor(user('admin', [3])).map((i) => i.path)).toEqual([
      '/admin/users',
      '/admin/teams',
      '/team',
      '/settings',
    ])
  })

  it('keeps reps out of team and admin screens', () => {
    for (const path of ['/team', '/admin/users', '/admin/teams']) {
      expect(canVisit(user('rep'), path)).toBe(false)
    }
    expect(canVisit(user('rep'), '/settings')).toBe(true)
  })
})

describe('invitation links', () => {
  it('reads the token from the fragment', () => {
    expect(inviteTokenFrom('#token=abc_DEF-123')).toBe('abc_DEF-123')
    expect(inviteTokenFrom('#other=1&token=xyz')).toBe('xyz')
    expect(inviteTokenFrom('')).toBeNull()
    expect(inviteTokenFrom('#token=')).toBeNull()
  })

  it('explains unknown and used-up invitations differently', () => {
    expect(invitationErrorMessage(new ApiError(404, 'Not found.'))).toMatch(/couldn't find/)
    expect(invitationErrorMessage(new ApiError(410, 'Gone.'))).toMatch(/expired, was already used, or was revoked/)
    expect(invitationErrorMessage(new OfflineError())).toBe(OFFLINE_MESSAGE)
  })
})

describe('sign-in errors', () => {
  it('says how long to wait after too many attempts', () => {
    expect(loginErrorMessage(new ApiError(429, 'Too many.', null, 37))).toBe(
      'Too many sign-in attempts. Try again in 37 seconds.',
    )
    expect(loginErrorMessage(new ApiError(429, 'Too many.', null, 1))).toMatch(/in 1 second\.$/)
  })

  it('words wrong credentials and deactivated accounts for people', () => {
    expect(loginErrorMessage(new ApiError(401, 'Unauthorized'))).toMatch(/do not match/)
    expect(loginErrorMessage(new ApiError(403, 'This account is deactivated.'))).toBe(
      'This account is deactivated.',
    )
    expect(loginErrorMessage(new OfflineError())).toBe(OFFLINE_MESSAGE)
  })
})
