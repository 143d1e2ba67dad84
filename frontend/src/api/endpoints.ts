// Every HTTP call the app makes, typed with the generated contract (docs/api.md).
import type {
  AcceptInvitationRequest,
  ChangePasswordRequest,
  CreateInviteRequest,
  CreateTeamRequest,
  Health,
  InvitationInfo,
  Invite,
  LoginRequest,
  Me,
  Team,
  UpdateMeRequest,
  UpdateTeamRequest,
  UpdateUserRequest,
  UserSummary,
} from '@contract/types'
import { apiRequest } from './client'

const enc = encodeURIComponent

export const api = {
  health: () => apiRequest<Health>('GET', '/api/health', undefined, { sessionRequired: false }),

  // A 401 here means "wrong email or password", not "your session ended".
  login: (body: LoginRequest) =>
    apiRequest<Me>('POST', '/api/auth/login', body, { sessionRequired: false }),
  logout: () => apiRequest<void>('POST', '/api/auth/logout', undefined, { sessionRequired: false }),

  me: () => apiRequest<Me>('GET', '/api/me'),
  updateMe: (body: UpdateMeRequest) => apiRequest<Me>('PATCH', '/api/me', body),
  changePassword: (body: ChangePasswordRequest) =>
    apiRequest<void>('POST', '/api/me/password', body),

  // The token is a bearer secret: it goes in the body, never in a URL (URLs reach logs).
  invitation: (token: string) =>
    apiRequest<InvitationInfo>('POST', '/api/invitations/lookup', { token }, { sessionRequired: false }),
  acceptInvitation: (token: string, body: Omit<AcceptInvitationRequest, 'token'>) =>
    apiRequest<Me>('POST', '/api/invitations/accept', { ...body, token }, { sessionRequired: false }),

  teams: () => apiRequest<Team[]>('GET', '/api/teams'),
  createTeam: (body: CreateTeamRequest) => apiRequest<Team>('POST', '/api/teams', body),
  updateTeam: (id: number, body: UpdateTeamRequest) =>
    apiRequest<Team>('PATCH', `/api/teams/${id}`, body),

  users: (teamId?: number) =>
    apiRequest<UserSummary[]>(
      'GET',
      teamId === undefined ? '/api/users' : `/api/users?team_id=${enc(String(teamId))}`,
    ),
  updateUser: (id: number, body: UpdateUserRequest) =>
    apiRequest<UserSummary>('PATCH', `/api/users/${id}`, body),

  invites: () => apiRequest<Invite[]>('GET', '/api/invites'),
  createInvite: (body: CreateInviteRequest) => apiRequest<Invite>('POST', '/api/invites', body),
  revokeInvite: (id: number) => apiRequest<void>('DELETE', `/api/invites/${id}`),
}
