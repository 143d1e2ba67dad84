// HTTP calls of manager review: team screen, drill-down, scrum, kudos, coaching questions,
// review thresholds and CSV export (docs/api.md, "Manager review").
import type {
  CoachingQuestion,
  Kudos,
  NewCoachingQuestion,
  NewKudos,
  RepDrilldown,
  ReviewSettings,
  TeamReview,
  TeamScrum,
  Teammate,
  UpdateReviewSettings,
} from '@contract/types'
import { apiRequest } from './client'

const enc = encodeURIComponent

function weekQuery(week?: string): string {
  return week ? `?week=${enc(week)}` : ''
}

export type ExportKind = 'activities' | 'plans' | 'progress'

export const reviewApi = {
  teamReview: (teamId: number, week?: string) =>
    apiRequest<TeamReview>('GET', `/api/teams/${teamId}/review${weekQuery(week)}`),
  scrum: (teamId: number, week?: string) =>
    apiRequest<TeamScrum>('GET', `/api/teams/${teamId}/scrum${weekQuery(week)}`),
  drilldown: (userId: number, week?: string) =>
    apiRequest<RepDrilldown>('GET', `/api/reps/${userId}/review${weekQuery(week)}`),

  settings: (teamId: number) => apiRequest<ReviewSettings>('GET', `/api/teams/${teamId}/review-settings`),
  updateSettings: (teamId: number, body: UpdateReviewSettings) =>
    apiRequest<ReviewSettings>('PATCH', `/api/teams/${teamId}/review-settings`, body),

  questions: (teamId: number) =>
    apiRequest<CoachingQuestion[]>('GET', `/api/teams/${teamId}/coaching-questions`),
  addQuestion: (teamId: number, body: NewCoachingQuestion) =>
    apiRequest<CoachingQuestion>('POST', `/api/teams/${teamId}/coaching-questions`, body),
  removeQuestion: (questionId: string) =>
    apiRequest<void>('DELETE', `/api/coaching-questions/${enc(questionId)}`),

  /** Your own kudos (reps), or one of your reps' (managers: pass userId). */
  kudos: (userId?: number, limit = 50) =>
    apiRequest<Kudos[]>('GET', `/api/kudos?limit=${limit}${userId === undefined ? '' : `&user_id=${userId}`}`),
  giveKudos: (body: NewKudos) => apiRequest<Kudos>('POST', '/api/kudos', body),
  /** Reps: teammates who chose to be named on team views (peer kudos go to them). */
  teammates: () => apiRequest<Teammate[]>('GET', '/api/kudos/teammates'),
  markKudosSeen: (kudosId: number) => apiRequest<Kudos>('POST', `/api/kudos/${kudosId}/seen`),
}

/** A plain link the browser downloads (the server streams the CSV with Content-Disposition). */
export function exportUrl(
  kind: ExportKind,
  scope: { teamId: number } | { userId: number },
  from: string,
  to: string,
): string {
  const who = 'teamId' in scope ? `team_id=${scope.teamId}` : `user_id=${scope.userId}`
  return `/api/export/${kind}?${who}&from=${enc(from)}&to=${enc(to)}`
}
