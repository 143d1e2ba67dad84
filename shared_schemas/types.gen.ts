// Generated from shared_schemas by `make types`. Do not edit by hand:
// change the msgspec Structs and regenerate (a test fails when this file drifts).

export interface AcceptInvitationRequest {
  /** The token from the link's fragment. */
  token: string;
  /** At least 10 characters. */
  password: string;
  browser_time_zone?: string | null;
}

/** The payload of activity.create and activity.update (the whole editable record). */
export interface ActivityFields {
  activity_type_id: number;
  account_name: string;
  outcome: "follow_up" | "lost" | "next_step" | "no_interest" | "proposal_requested" | "won";
  occurred_at: string;
  time_zone: string;
  quality?: number;
  note?: string;
  next_step?: string;
  follow_up_on?: string | null;
  deal_value?: number | null;
}

export interface ActivityProgress {
  activity_type: ActivityType;
  target: number;
  done_total: number;
  done_qualifying: number;
  pace: PaceBody;
}

/** An activity as the server holds it. Deleted ones come as tombstones (deleted=true). */
export interface ActivityRecord {
  id: string;
  version: number;
  deleted: boolean;
  activity_type_id?: number | null;
  account_name?: string | null;
  outcome?: "follow_up" | "lost" | "next_step" | "no_interest" | "proposal_requested" | "won" | null;
  quality?: number | null;
  note?: string | null;
  next_step?: string | null;
  follow_up_on?: string | null;
  deal_value?: number | null;
  occurred_at?: string | null;
  time_zone?: string | null;
  week_start?: string | null;
  late?: boolean;
  updated_at?: string | null;
}

export interface ActivityType {
  id: number;
  team_id: number;
  key: string;
  name: string;
  icon: string;
  funnel_stage: number | null;
  quality_min: number;
  quality_bar: string;
  position: number;
  active: boolean;
}

export interface ActivityTypeInput {
  name: string;
  /** An icon name the PWA knows, e.g. phone. */
  icon?: string;
  funnel_stage?: number | null;
  quality_min?: number;
  quality_bar?: string;
  position?: number | null;
  active?: boolean;
}

export interface AlertCount {
  unread: number;
}

/** Newest first. */
export interface AlertInbox {
  alerts: ManagerAlert[];
  unread: number;
}

/** One rep in a grouped alert, with what happened in words (no private text). */
export interface AlertRep {
  user_id: number;
  name: string;
  detail: string;
}

/** A manager's alerts. Each kind comes at most once a day, grouped (one alert listing
    several reps). The pace check comes weekly at pace_weekday + pace_time; the others in
    the daily digest at digest_time on digest_days. Times are in the manager's time_zone. */
export interface AlertSettings {
  pace: boolean;
  /** 0 = Monday … 6 = Sunday. */
  pace_weekday: number;
  /** HH:MM, 24-hour local time. */
  pace_time: string;
  plans: boolean;
  reflections: boolean;
  help: boolean;
  commitments: boolean;
  digest_days: number[];
  /** HH:MM, 24-hour local time. */
  digest_time: string;
  time_zone: string;
  saved: boolean;
}

export interface ChangePasswordRequest {
  current_password: string;
  /** At least 10 characters. */
  new_password: string;
}

export interface CheckIn {
  id: number;
  user_id: number;
  rep_name: string;
  manager_name: string;
  week_start: string;
  started_at: string;
  closed_at: string | null;
  notes: CheckinNote[];
  commitments: Commitment[];
  follow_up: Commitment[];
  edits: CheckinEdit[];
}

export interface CheckinEdit {
  author: string;
  at: string;
  what: string;
  before: string;
  after: string;
  reason: string;
}

export interface CheckinNote {
  id: number;
  author: string;
  body: string;
  shared: boolean;
  created_at: string;
  edited_at: string | null;
}

/** When a rep's 1:1s happen, in the rep's own zone, as agreed with their manager. */
export interface CheckinSchedule {
  user_id: number;
  weekdays: number[];
  /** HH:MM, 24-hour local time. */
  time: string;
  time_zone: string;
  rhythm_preference: string;
  agreed: boolean;
  set_by: string | null;
  updated_at: string | null;
  next_at: string | null;
  next_words: string | null;
}

/** Everything a manager needs for a 1:1, on one screen. */
export interface CheckinWorkspace {
  user_id: number;
  rep_name: string;
  week_start: string;
  row: RepReviewRow;
  reflection: Reflection | null;
  follow_up: Commitment[];
  open_commitments: Commitment[];
  gaps: Gap[];
  questions: CoachingQuestion[];
  schedule: CheckinSchedule;
  current: CheckIn | null;
  last_closed: CheckIn | null;
}

export interface CoachingQuestion {
  id: string;
  text: string;
  gap: "commitments" | "growth" | "inconsistency" | "low_quality" | "low_volume" | "new_rep" | "no_plan" | "not_sure" | "pending_sync" | "silent" | "weak_conversion";
  source: "library" | "team";
  author?: string | null;
  created_at?: string | null;
}

export interface Commitment {
  id: number;
  user_id: number;
  checkin_id: number;
  text: string;
  due_on: string;
  activity_type_id: number | null;
  activity_type_name: string | null;
  target_count: number | null;
  done_count: number | null;
  status: "met" | "not_met" | "open" | "partly" | "to_review";
  status_source: "manager" | "measured" | "pending";
  created_at: string;
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

export interface DeviceSync {
  client_id: string;
  last_push_at: string | null;
  last_pull_at: string | null;
  outbox_size: number;
  clock_skew_seconds: number | null;
}

export interface EditCheckinNote {
  body?: string | null;
  shared?: boolean | null;
  reason?: string | null;
}

/** Every 4xx/5xx answer: a message a person can read, and details for forms. */
export interface ErrorBody {
  status_code: number;
  detail: string;
  extra?: Record<string, unknown> | null;
}

export interface ExpectationsVersion {
  text: string;
  author: string;
  created_at: string;
}

export interface FunnelDiagnosis {
  stages: StageConversion[];
  weakest: number | null;
  summary: string;
  window?: string;
}

export interface FunnelRequest {
  goal: Goal;
  on?: string | null;
  user_id?: number | null;
}

export interface FunnelResult {
  deals: number;
  period_start: string;
  period_end: string;
  working_weeks: number;
  stages: FunnelStage[];
  explanation: string;
}

export interface FunnelStage {
  activity_type_id: number;
  name: string;
  ratio: number;
  ratio_source: "override" | "rep_history" | "team_default" | "team_history";
  total: number;
  weekly: number;
}

export interface Gap {
  kind: "commitments" | "growth" | "inconsistency" | "low_quality" | "low_volume" | "new_rep" | "no_plan" | "not_sure" | "pending_sync" | "silent" | "weak_conversion";
  reason: string;
  activity_type_id?: number | null;
}

export interface Goal {
  kind: "deals" | "revenue";
  amount: number;
  period: "month" | "quarter";
  avg_deal_size?: number | null;
  ratio_overrides?: StageRatio[];
}

export interface Health {
  status: string;
  database: string;
}

/** What the invitee sees before setting a password. */
export interface InvitationInfo {
  email: string;
  name: string;
  role: "admin" | "manager" | "rep";
  team_name: string | null;
  expires_at: string;
}

/** The invitation token travels in a body, never in a URL: URLs end up in logs. */
export interface InvitationLookup {
  /** The token from the link's fragment. */
  token: string;
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

export interface Kudos {
  id: number;
  user_id: number;
  rep_name: string;
  from_user_id: number;
  from_name: string;
  message: string | null;
  signal: "most_improved" | "plan_met" | "streak_milestone" | "won_deal" | null;
  reason: string | null;
  week_start: string;
  created_at: string;
  seen_at: string | null;
}

export interface LoginRequest {
  /** An email address; compared case-insensitively. */
  email: string;
  password: string;
  browser_time_zone?: string | null;
}

export interface ManagerAlert {
  id: number;
  kind: "commitments" | "help" | "pace" | "plans" | "reflections";
  local_date: string;
  wall_time: string;
  title: string;
  body: string;
  url: string;
  reps: AlertRep[];
  created_at: string;
  read_at: string | null;
}

export interface MarkAlertsRead {
  ids: number[];
}

/** A manager's verdict on a commitment that cannot be measured, at the next check-in. */
export interface MarkCommitment {
  status: "met" | "not_met" | "partly";
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

export interface Milestone {
  kind: "commitments_kept" | "first_plan_met" | "streak" | "won_deal";
  week_start: string;
  title: string;
}

/** Activity mix over the recent window: this rep's weekly average vs the team's median. */
export interface MixEntry {
  activity_type_id: number;
  name: string;
  rep_per_week: number;
  team_median_per_week: number;
}

export interface Mutation {
  mutation_id: string;
  seq: number;
  kind: string;
  entity_id: string;
  payload?: Record<string, unknown> | null;
  too_large?: boolean;
}

export interface MutationResult {
  seq: number;
  mutation_id: string;
  status: "applied" | "duplicate" | "gap" | "rejected";
  code?: string | null;
  message?: string | null;
  first_status?: "applied" | "rejected" | null;
}

export interface NewCheckinNote {
  body: string;
  shared?: boolean;
  client_key?: string | null;
}

export interface NewCoachingQuestion {
  text: string;
  gap: "commitments" | "growth" | "inconsistency" | "low_quality" | "low_volume" | "new_rep" | "no_plan" | "not_sure" | "pending_sync" | "silent" | "weak_conversion";
  client_key?: string | null;
}

export interface NewCommitment {
  text: string;
  due_on: string;
  activity_type_id?: number | null;
  target_count?: number | null;
  client_key?: string | null;
}

export interface NewKudos {
  user_id: number;
  message?: string | null;
  signal?: "most_improved" | "plan_met" | "streak_milestone" | "won_deal" | null;
  week_start?: string | null;
  client_key?: string | null;
}

export interface NewPlanComment {
  body: string;
  client_key?: string | null;
}

export interface NewSelfCoachingPrompt {
  text: string;
  trigger: "behind" | "setback";
  client_key?: string | null;
}

export interface NewTimeOff {
  first_day: string;
  last_day: string;
  note?: string | null;
  client_key?: string | null;
}

/** When the rep's next reminder fires, in their own zone (for the settings screen). */
export interface NextReminder {
  local_date: string;
  wall_time: string;
  time_zone: string;
  fire_at: string;
}

/** Pace on one activity type. With these numbers a client recomputes the status for
    counts it knows better (logs not yet synced): done >= target → done; done <
    expected_by_now → behind; done > expected_by_end_of_today → ahead; else on_track. */
export interface PaceBody {
  status: "ahead" | "behind" | "done" | "no_plan" | "on_track";
  expected_by_now: number;
  expected_by_end_of_today: number;
  working_days_left: number;
  per_day_left: number;
}

export interface Plan {
  id: number;
  user_id: number;
  week_start: string;
  status: "committed" | "draft";
  version: number;
  targets: PlanTarget[];
  commitments: string[];
  committed_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  revisions: PlanRevision[];
  comments: PlanComment[];
}

export interface PlanComment {
  id: number;
  author_id: number;
  author: string;
  body: string;
  created_at: string;
}

export interface PlanRevision {
  version: number;
  targets: PlanTarget[];
  commitments: string[];
  reason: string;
  author: string;
  created_at: string;
}

export interface PlanTarget {
  activity_type_id: number;
  /** Per week; above 500 is not a plan. */
  target: number;
}

/** How a rep chose to be held accountable. "not_sure" is an answer, not a gap. */
export interface Preferences {
  checkin_rhythm: "daily" | "not_sure" | "twice_weekly" | "weekly";
  reminder_days: number[];
  reminder_times: string[];
  time_zone: string;
  style: "autonomy" | "not_sure" | "often";
  visibility: "anonymous" | "manager_only" | "named" | "not_sure";
  answered: boolean;
  updated_at: string | null;
  team_visibility: "anonymous" | "manager_only" | "named";
  shown_as: "anonymous" | "manager_only" | "named";
}

export interface PullResponse {
  cursor: number;
  changes: ActivityRecord[];
  has_more: boolean;
  snapshot: boolean;
  last_applied_seq: number;
}

export interface PushDevice {
  id: number;
  service: string;
  user_agent: string;
  created_at: string;
  last_success_at: string | null;
  disabled_at?: string | null;
}

export interface PushKeys {
  p256dh: string;
  auth: string;
}

export interface PushOutcome {
  device_id: number;
  status: "delivered" | "failed" | "gone" | "retry_later";
  detail: string;
}

export interface PushPublicKey {
  public_key: string;
}

export interface PushRequest {
  client_id: string;
  sent_at: string;
  mutations: Mutation[];
  outbox_size?: number;
}

export interface PushResponse {
  last_applied_seq: number;
  results: MutationResult[];
  clock_skew_seconds: number | null;
  max_batch: number;
  max_body_bytes?: number;
  max_mutation_bytes?: number;
}

/** What PushSubscription.toJSON() gives, plus the device's sync client_id. */
export interface PushSubscriptionInput {
  endpoint: string;
  keys: PushKeys;
  client_id?: string | null;
  user_agent?: string;
}

export interface QualityPoint {
  week_start: string;
  avg_quality: number | null;
  qualifying_share: number | null;
  total: number;
}

export interface RecentActivity {
  id: string;
  activity_type_id: number;
  type_name: string;
  account_name: string | null;
  outcome: string | null;
  quality: number | null;
  note: string | null;
  next_step: string | null;
  follow_up_on: string | null;
  deal_value: number | null;
  occurred_at: string;
  time_zone: string;
  late: boolean;
}

export interface Reflection {
  id: string;
  user_id: number;
  week_start: string;
  wins: string;
  stuck: string;
  differently: string;
  help_wanted: string;
  self_rating: number | null;
  jottings: string[];
  updated_at: string;
}

/** The payload of a `reflection.upsert` sync mutation (the whole reflection of a week). */
export interface ReflectionFields {
  week_start: string;
  wins?: string;
  stuck?: string;
  differently?: string;
  help_wanted?: string;
  self_rating?: number | null;
  jottings?: string[];
}

export interface RemoveSubscription {
  endpoint: string;
}

export interface RepDrilldown {
  user_id: number;
  name: string;
  team_id: number;
  week_start: string;
  row: RepReviewRow;
  mix: MixEntry[];
  funnel: FunnelDiagnosis;
  trends: TypeTrend[];
  quality: QualityPoint[];
  recent: RecentActivity[];
  plan: Plan | null;
  gaps: Gap[];
  questions: CoachingQuestion[];
  kudos: Kudos[];
  current?: boolean;
}

export interface RepReviewRow {
  user_id: number;
  name: string;
  time_zone: string;
  plan_status: "acknowledged" | "committed" | "draft" | "none";
  progress: TypeProgress[];
  pace_status: "ahead" | "behind" | "done" | "no_plan" | "on_track";
  attainment: number;
  qualifying: number;
  total: number;
  last_activity_on: string | null;
  last_sync_at: string | null;
  devices: DeviceSync[];
  pending_sync: boolean;
  pending_sync_reason: string | null;
  streak: number;
  signals: Signal[];
  kudos_this_week: number;
  attention?: "away" | "kudos" | "ok" | "pending" | "talk" | "watch";
  why?: string | null;
  question?: string | null;
  time_off?: string | null;
}

/** What a manager needs to tell "pending sync" from "off plan". */
export interface RepSync {
  user_id: number;
  name: string;
  last_sync_at: string | null;
  pending: boolean;
  devices: DeviceSync[];
}

/** Thresholds a team tunes. Shares are 0–1. */
export interface ReviewSettings {
  team_id: number;
  behind_share: number;
  behind_share_often: number;
  behind_share_autonomy: number;
  silent_working_days: number;
  quality_share_min: number;
  quality_min_activities: number;
  conversion_drop: number;
  recent_weeks: number;
  baseline_weeks: number;
  on_plan_share: number;
  improved_by: number;
  streak_milestones: number[];
}

export interface SavePlan {
  targets: PlanTarget[];
  commitments?: string[];
  reason?: string | null;
}

/** One rep on the shared screen: numbers and a win, never a shortfall's words, a signal's
    reason or a private preference (the team sees it). */
export interface ScrumCard {
  display_name: string;
  anonymous: boolean;
  lines: ScrumTypeLine[];
  attainment: number;
  win: string | null;
  pending: boolean;
}

/** The team against its plan, first on the screen. */
export interface ScrumTotals {
  lines: ScrumTypeLine[];
  reps: number;
  whole_team: boolean;
  judged: number;
  on_pace: number;
  pending: number;
}

export interface ScrumTypeLine {
  name: string;
  target: number;
  done: number;
}

export interface ScrumWrapUp {
  needs_help: string[];
}

export interface SelfCoachingPrompt {
  id: string;
  text: string;
  trigger: "behind" | "setback";
  source: "library" | "team";
}

export interface Signal {
  kind: "behind_pace" | "commitments_missed" | "conversion_drop" | "low_quality" | "most_improved" | "new_rep" | "no_plan" | "not_sure" | "plan_met" | "silent" | "streak_milestone" | "won_deal";
  group: "conversation" | "kudos";
  reason: string;
  activity_type_id?: number | null;
  severity?: "talk" | "watch" | null;
}

export interface StageConversion {
  from_type_id: number;
  from_name: string;
  to_name: string;
  rep_ratio: number | null;
  rep_from_count: number;
  team_median: number | null;
}

/** How often this funnel stage turns into the next one (the last stage: into a won deal). */
export interface StageRatio {
  activity_type_id: number;
  /** A conversion ratio: above 0, at most 1. */
  ratio: number;
}

export interface StartCheckin {
  client_key?: string | null;
}

export interface Team {
  id: number;
  name: string;
  managers: TeamRef[];
  rep_count: number;
}

export interface TeamExpectations {
  team_id: number;
  text: string;
  updated_at: string | null;
  author: string | null;
  history: ExpectationsVersion[];
}

export interface TeamPlanRow {
  user_id: number;
  name: string;
  plan_id: number | null;
  status: "acknowledged" | "committed" | "draft" | "none";
  missed_deadline: boolean;
  targets: PlanTarget[];
  commitments: string[];
  comment_count: number;
  revision_count: number;
  preferences_answered: boolean;
  not_sure: string[];
}

export interface TeamPlanSettings {
  team_id: number;
  working_days: number[];
  /** 0 = Monday … 6 = Sunday. */
  plan_deadline_weekday: number;
  /** HH:MM, 24-hour local time. */
  plan_deadline_time: string;
  holidays: string[];
  default_ratios: StageRatio[];
  history_weeks: number;
  min_data_points: number;
  default_visibility: "anonymous" | "manager_only" | "named";
}

export interface TeamRef {
  id: number;
  name: string;
}

export interface TeamReview {
  team_id: number;
  team_name: string;
  week_start: string;
  week_end: string;
  current: boolean;
  as_of: string;
  settings: ReviewSettings;
  rows: RepReviewRow[];
  needs_conversation: number;
  deserves_kudos: number;
  pending_sync: number;
  talk_first?: number[];
  kudos_first?: number[];
  watch?: number;
}

export interface TeamScrum {
  team_id: number;
  team_name: string;
  week_start: string;
  totals: ScrumTotals;
  cards: ScrumCard[];
  wrap_up: ScrumWrapUp;
  hidden: number;
  default_visibility: "anonymous" | "manager_only" | "named";
  undecided: number;
}

export interface TeamWeek {
  team_id: number;
  week_start: string;
  deadline_note: string;
  rows: TeamPlanRow[];
}

/** A teammate who chose to be named on team views: one a rep can send kudos to. */
export interface Teammate {
  user_id: number;
  name: string;
}

export interface TestPushResult {
  results: PushOutcome[];
}

/** Days a rep is away: pace and silence skip them, like the team's holidays. */
export interface TimeOff {
  id: number;
  user_id: number;
  first_day: string;
  last_day: string;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

export interface Timeline {
  user_id: number;
  name: string;
  entries: TimelineEntry[];
  milestones: Milestone[];
  kudos: Kudos[];
}

export interface TimelineEntry {
  kind: "checkin" | "commitment" | "kudos" | "milestone" | "reflection";
  at: string;
  week_start: string;
  title: string;
  detail?: string | null;
  status?: "met" | "not_met" | "open" | "partly" | "to_review" | null;
  ref_id?: number | null;
}

export interface TrendPoint {
  week_start: string;
  target: number;
  done_total: number;
  done_qualifying: number;
  avg_quality: number | null;
}

/** Plan vs actual on one activity type for the reviewed week. */
export interface TypeProgress {
  activity_type_id: number;
  name: string;
  target: number;
  done_total: number;
  done_qualifying: number;
  expected_by_now: number;
  status: "ahead" | "behind" | "done" | "no_plan" | "on_track";
}

export interface TypeTrend {
  activity_type_id: number;
  name: string;
  points: TrendPoint[];
}

export interface UpdateAlertSettings {
  pace: boolean;
  /** 0 = Monday … 6 = Sunday. */
  pace_weekday: number;
  /** HH:MM, 24-hour local time. */
  pace_time: string;
  plans: boolean;
  reflections: boolean;
  help: boolean;
  commitments: boolean;
  digest_days: number[];
  /** HH:MM, 24-hour local time. */
  digest_time: string;
}

export interface UpdateCheckinSchedule {
  weekdays: number[];
  /** HH:MM, 24-hour local time. */
  time: string;
}

export interface UpdateExpectations {
  text: string;
}

export interface UpdateMeRequest {
  name?: string | null;
  time_zone?: string | null;
}

export interface UpdatePreferences {
  checkin_rhythm: "daily" | "not_sure" | "twice_weekly" | "weekly";
  reminder_days: number[];
  reminder_times: string[];
  style: "autonomy" | "not_sure" | "often";
  visibility: "anonymous" | "manager_only" | "named" | "not_sure";
  time_zone?: string | null;
}

export interface UpdateReviewSettings {
  behind_share?: number | null;
  behind_share_often?: number | null;
  behind_share_autonomy?: number | null;
  silent_working_days?: number | null;
  quality_share_min?: number | null;
  quality_min_activities?: number | null;
  conversion_drop?: number | null;
  recent_weeks?: number | null;
  baseline_weeks?: number | null;
  on_plan_share?: number | null;
  improved_by?: number | null;
  streak_milestones?: number[] | null;
}

export interface UpdateTeamPlanSettings {
  working_days?: number[] | null;
  plan_deadline_weekday?: number | null;
  plan_deadline_time?: string | null;
  holidays?: string[] | null;
  default_ratios?: StageRatio[] | null;
  history_weeks?: number | null;
  min_data_points?: number | null;
  default_visibility?: "anonymous" | "manager_only" | "named" | null;
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

/** One rep's week: plan, progress per activity type and pace, in the rep's zone. */
export interface WeekView {
  user_id: number;
  user_name: string;
  time_zone: string;
  week_start: string;
  week_end: string;
  working_days: string[];
  plan: Plan | null;
  progress: ActivityProgress[];
  deadline: string;
  missed_deadline: boolean;
  days_off?: string[];
}
