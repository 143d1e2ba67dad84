// Generated from shared_schemas by `make types`. Do not edit by hand:
// change the msgspec Structs and regenerate (a test fails when this file drifts).

export interface AcceptInvitationRequest {
  /** At least 10 characters. */
  password: string;
  browser_time_zone?: string | null;
}

export interface ChangePasswordRequest {
  current_password: string;
  /** At least 10 characters. */
  new_password: string;
}

export interface CreateInviteRequest {
  /** An email address; compared case-insensitively. */
  email: string;
  name: string;
  role?: "admin" | "manager" | "rep";
  team_id?: number | null;
}

export interface CreateTeamRequest {
  name: string;
  manager_ids?: number[];
}

/** Every 4xx/5xx answer: a message a person can read, and details for forms. */
export interface ErrorBody {
  status_code: number;
  detail: string;
  extra?: Record<string, unknown> | null;
}

export interface Health {
  status: string;
  database: string;
  version: string;
}

/** What the invitee sees before setting a password. */
export interface InvitationInfo {
  email: string;
  name: string;
  role: "admin" | "manager" | "rep";
  team_name: string | null;
  expires_at: string;
}

export interface Invite {
  id: number;
  email: string;
  name: string;
  role: "admin" | "manager" | "rep";
  team: TeamRef | null;
  invited_by: string;
  created_at: string;
  expires_at: string;
  invite_url?: string | null;
}

export interface LoginRequest {
  /** An email address; compared case-insensitively. */
  email: string;
  password: string;
  browser_time_zone?: string | null;
}

/** The signed-in user, as the PWA needs it to pick the home screen. */
export interface Me {
  id: number;
  email: string;
  name: string;
  role: "admin" | "manager" | "rep";
  time_zone: string;
  team: TeamRef | null;
  managed_teams: TeamRef[];
}

export interface Team {
  id: number;
  name: string;
  managers: TeamRef[];
  rep_count: number;
}

export interface TeamRef {
  id: number;
  name: string;
}

export interface UpdateMeRequest {
  name?: string | null;
  time_zone?: string | null;
}

export interface UpdateTeamRequest {
  name?: string | null;
  manager_ids?: number[] | null;
}

/** Admins may change everything; a manager may only (de)activate or rename their reps. */
export interface UpdateUserRequest {
  name?: string | null;
  role?: "admin" | "manager" | "rep" | null;
  team_id?: number | null;
  active?: boolean | null;
}

export interface UserSummary {
  id: number;
  email: string;
  name: string;
  role: "admin" | "manager" | "rep";
  time_zone: string;
  active: boolean;
  team: TeamRef | null;
  managed_teams: TeamRef[];
  last_login_at: string | null;
}
