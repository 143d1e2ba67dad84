// HTTP calls of the weekly behaviour plan (docs/api.md, "Weekly plans").
import type {
  ActivityType,
  ActivityTypeInput,
  FunnelRequest,
  FunnelResult,
  Goal,
  NewPlanComment,
  NewTimeOff,
  Plan,
  PlanComment,
  Preferences,
  SavePlan,
  TeamExpectations,
  TeamPlanSettings,
  TeamWeek,
  TimeOff,
  UpdateExpectations,
  UpdatePreferences,
  UpdateTeamPlanSettings,
  WeekView,
} from '@contract/types'
import { apiRequest } from './client'

const enc = encodeURIComponent

function forUser(userId?: number): string {
  return userId === undefined ? '' : `?user_id=${enc(String(userId))}`
}

export const plansApi = {
  activityTypes: (teamId: number) =>
    apiRequest<ActivityType[]>('GET', `/api/teams/${teamId}/activity-types`),
  createActivityType: (teamId: number, body: ActivityTypeInput) =>
    apiRequest<ActivityType>('POST', `/api/teams/${teamId}/activity-types`, body),
  updateActivityType: (id: number, body: ActivityTypeInput) =>
    apiRequest<ActivityType>('PUT', `/api/activity-types/${id}`, body),

  planSettings: (teamId: number) =>
    apiRequest<TeamPlanSettings>('GET', `/api/teams/${teamId}/plan-settings`),
  updatePlanSettings: (teamId: number, body: UpdateTeamPlanSettings) =>
    apiRequest<TeamPlanSettings>('PATCH', `/api/teams/${teamId}/plan-settings`, body),

  expectations: (teamId: number) =>
    apiRequest<TeamExpectations>('GET', `/api/teams/${teamId}/expectations`),
  updateExpectations: (teamId: number, body: UpdateExpectations) =>
    apiRequest<TeamExpectations>('PUT', `/api/teams/${teamId}/expectations`, body),

  teamWeek: (teamId: number, week: string) =>
    apiRequest<TeamWeek>('GET', `/api/teams/${teamId}/plans?week=${enc(week)}`),

  preferences: () => apiRequest<Preferences>('GET', '/api/me/preferences'),
  updatePreferences: (body: UpdatePreferences) =>
    apiRequest<Preferences>('PUT', '/api/me/preferences', body),
  userPreferences: (userId: number) =>
    apiRequest<Preferences>('GET', `/api/users/${userId}/preferences`),

  goal: () => apiRequest<Goal | null>('GET', '/api/me/goal'),
  saveGoal: (body: Goal) => apiRequest<Goal>('PUT', '/api/me/goal', body),
  funnel: (body: FunnelRequest, signal?: AbortSignal) =>
    apiRequest<FunnelResult>('POST', '/api/funnel', body, signal ? { signal } : {}),

  currentWeek: (userId?: number) => apiRequest<WeekView>('GET', `/api/weeks/current${forUser(userId)}`),
  week: (weekStart: string, userId?: number) =>
    apiRequest<WeekView>('GET', `/api/weeks/${enc(weekStart)}${forUser(userId)}`),

  savePlan: (weekStart: string, body: SavePlan) =>
    apiRequest<Plan>('PUT', `/api/my-plans/${enc(weekStart)}`, body),
  commitPlan: (weekStart: string) =>
    apiRequest<Plan>('POST', `/api/my-plans/${enc(weekStart)}/commit`),
  acknowledge: (planId: number) => apiRequest<Plan>('POST', `/api/plans/${planId}/acknowledge`),
  comment: (planId: number, body: NewPlanComment) =>
    apiRequest<PlanComment>('POST', `/api/plans/${planId}/comments`, body),

  // Days a rep is away: your own (no userId), or one of your reps'.
  timeOff: (userId?: number) =>
    apiRequest<TimeOff[]>('GET', userId === undefined ? '/api/me/time-off' : `/api/reps/${userId}/time-off`),
  addTimeOff: (body: NewTimeOff, userId?: number) =>
    apiRequest<TimeOff>('POST', userId === undefined ? '/api/me/time-off' : `/api/reps/${userId}/time-off`, body),
  cancelTimeOff: (id: number) => apiRequest<null>('DELETE', `/api/time-off/${id}`),
}
