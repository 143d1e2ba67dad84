// HTTP calls of the coaching loop: check-in schedule, reflections (read; writes go through
// the sync outbox as `reflection.upsert`), the manager's check-in, commitments, self-coaching
// prompts and the rep's timeline (docs/api.md, "Coaching loop").
import type {
  CheckIn,
  CheckinNote,
  CheckinSchedule,
  CheckinWorkspace,
  Commitment,
  EditCheckinNote,
  MarkCommitment,
  NewCheckinNote,
  NewCommitment,
  NewSelfCoachingPrompt,
  Reflection,
  SelfCoachingPrompt,
  StartCheckin,
  Timeline,
  UpdateCheckinSchedule,
} from '@contract/types'
import { apiRequest } from './client'

const enc = encodeURIComponent

export const coachingApi = {
  schedule: (userId: number) => apiRequest<CheckinSchedule>('GET', `/api/reps/${userId}/checkin-schedule`),
  /** Managers set the agreed rhythm. */
  setSchedule: (userId: number, body: UpdateCheckinSchedule) =>
    apiRequest<CheckinSchedule>('PUT', `/api/reps/${userId}/checkin-schedule`, body),

  /** null when the rep has not written one for that week. */
  reflection: (userId: number, weekStart: string) =>
    apiRequest<Reflection | null>('GET', `/api/reps/${userId}/reflections/${enc(weekStart)}`),

  workspace: (userId: number, week?: string) =>
    apiRequest<CheckinWorkspace>(
      'GET',
      `/api/reps/${userId}/checkin-workspace${week ? `?week=${enc(week)}` : ''}`,
    ),
  /** Starts a check-in, or returns the rep's open one (201 new, 200 existing). */
  startCheckin: (userId: number, body: StartCheckin) =>
    apiRequest<CheckIn>('POST', `/api/reps/${userId}/checkins`, body),
  checkin: (checkinId: number) => apiRequest<CheckIn>('GET', `/api/checkins/${checkinId}`),
  addNote: (checkinId: number, body: NewCheckinNote) =>
    apiRequest<CheckinNote>('POST', `/api/checkins/${checkinId}/notes`, body),
  editNote: (noteId: number, body: EditCheckinNote) =>
    apiRequest<CheckinNote>('PATCH', `/api/checkin-notes/${noteId}`, body),
  addCommitment: (checkinId: number, body: NewCommitment) =>
    apiRequest<Commitment>('POST', `/api/checkins/${checkinId}/commitments`, body),
  markCommitment: (commitmentId: number, body: MarkCommitment) =>
    apiRequest<Commitment>('POST', `/api/commitments/${commitmentId}/mark`, body),
  closeCheckin: (checkinId: number) => apiRequest<CheckIn>('POST', `/api/checkins/${checkinId}/close`),

  /** Open commitments and those of the last 8 weeks, newest first. */
  commitments: (userId: number) => apiRequest<Commitment[]>('GET', `/api/reps/${userId}/commitments`),
  timeline: (userId: number) => apiRequest<Timeline>('GET', `/api/reps/${userId}/timeline`),

  /** One prompt for the rep (rotating), or null when the team has none for that trigger. */
  selfCoaching: (trigger: 'setback' | 'behind') =>
    apiRequest<SelfCoachingPrompt | null>('GET', `/api/me/self-coaching?trigger=${trigger}`),
  teamSelfCoaching: (teamId: number) =>
    apiRequest<SelfCoachingPrompt[]>('GET', `/api/teams/${teamId}/self-coaching`),
  addSelfCoaching: (teamId: number, body: NewSelfCoachingPrompt) =>
    apiRequest<SelfCoachingPrompt>('POST', `/api/teams/${teamId}/self-coaching`, body),
  removeSelfCoaching: (promptId: string) =>
    apiRequest<void>('DELETE', `/api/self-coaching/${enc(promptId)}`),
}
