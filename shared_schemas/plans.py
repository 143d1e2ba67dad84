"""Weekly behaviour plans: activity types, funnel math, plans, preferences and pace."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from shared_schemas.common import Id, Instant

WallTime = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, 24-hour local time.")]
Weekday = Annotated[int, msgspec.Meta(ge=0, le=6, description="0 = Monday … 6 = Sunday.")]
Target = Annotated[int, msgspec.Meta(ge=0, le=500, description="Per week; above 500 is not a plan.")]
Ratio = Annotated[float, msgspec.Meta(gt=0, le=1, description="A conversion ratio: above 0, at most 1.")]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
RatioSource = Literal["override", "rep_history", "team_history", "team_default"]
PaceStatus = Literal["no_plan", "done", "ahead", "on_track", "behind"]
# How a rep appears on shared views (the scrum, teammates): by name, as "Rep A", or to the manager only.
TeamVisibility = Literal["named", "anonymous", "manager_only"]


class ActivityType(msgspec.Struct, kw_only=True):
    id: int
    team_id: int
    key: str
    name: str
    icon: str
    # Position in the sales funnel (1 = top, e.g. calls); None when not a funnel stage.
    funnel_stage: int | None
    # An activity qualifies when its quality (1–5) is at least this.
    quality_min: int
    # The bar in the team's own words, e.g. "conversation held with a decision maker".
    quality_bar: str
    position: int
    active: bool


class ActivityTypeInput(msgspec.Struct, kw_only=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    icon: Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9-]{0,19}$", description="An icon name the PWA knows, e.g. phone.")] = "dot"
    funnel_stage: Annotated[int, msgspec.Meta(ge=1, le=6)] | None = None
    quality_min: Annotated[int, msgspec.Meta(ge=1, le=5)] = 1
    quality_bar: Annotated[str, msgspec.Meta(max_length=200)] = ""
    position: Annotated[int, msgspec.Meta(ge=0, le=100)] | None = None
    active: bool = True


class StageRatio(msgspec.Struct, kw_only=True):
    """How often this funnel stage turns into the next one (the last stage: into a won deal)."""

    activity_type_id: Id
    ratio: Ratio


class TeamPlanSettings(msgspec.Struct, kw_only=True):
    team_id: int
    working_days: list[Weekday]
    plan_deadline_weekday: Weekday
    plan_deadline_time: WallTime
    holidays: list[date]
    default_ratios: list[StageRatio]
    # Own ratios come from this many past weeks, when each stage has enough data points.
    history_weeks: int
    min_data_points: int
    # How reps who have not chosen (visibility "not_sure" or never answered) appear on shared views.
    default_visibility: TeamVisibility


class UpdateTeamPlanSettings(msgspec.Struct, kw_only=True):
    working_days: list[Weekday] | None = None
    plan_deadline_weekday: Weekday | None = None
    plan_deadline_time: WallTime | None = None
    holidays: list[date] | None = None
    default_ratios: list[StageRatio] | None = None
    history_weeks: Annotated[int, msgspec.Meta(ge=2, le=52)] | None = None
    min_data_points: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None
    default_visibility: TeamVisibility | None = None


class ExpectationsVersion(msgspec.Struct, kw_only=True):
    text: str
    author: str
    created_at: Instant


class TeamExpectations(msgspec.Struct, kw_only=True):
    team_id: int
    # The current text (empty until the manager writes it) and every earlier version, newest first.
    text: str
    updated_at: Instant | None
    author: str | None
    history: list[ExpectationsVersion]


class UpdateExpectations(msgspec.Struct, kw_only=True):
    text: Annotated[str, msgspec.Meta(max_length=5000)]


CheckinRhythm = Literal["daily", "twice_weekly", "weekly", "not_sure"]
AccountabilityStyle = Literal["often", "autonomy", "not_sure"]
Visibility = Literal["named", "anonymous", "manager_only", "not_sure"]


class Preferences(msgspec.Struct, kw_only=True):
    """How a rep chose to be held accountable. "not_sure" is an answer, not a gap."""

    checkin_rhythm: CheckinRhythm
    reminder_days: list[Weekday]
    reminder_times: list[WallTime]
    time_zone: str
    style: AccountabilityStyle
    visibility: Visibility
    # False until the rep has answered the onboarding question once.
    answered: bool
    updated_at: Instant | None
    # The team's default for reps who have not chosen, and how this rep appears on shared
    # views because of it: their own choice, or the team's default while undecided.
    team_visibility: TeamVisibility
    shown_as: TeamVisibility


class UpdatePreferences(msgspec.Struct, kw_only=True):
    checkin_rhythm: CheckinRhythm
    reminder_days: Annotated[list[Weekday], msgspec.Meta(max_length=7)]
    reminder_times: Annotated[list[WallTime], msgspec.Meta(max_length=4)]
    style: AccountabilityStyle
    visibility: Visibility
    time_zone: str | None = None


class Goal(msgspec.Struct, kw_only=True):
    kind: Literal["revenue", "deals"]
    amount: Annotated[float, msgspec.Meta(ge=0, le=1e12)]
    period: Literal["month", "quarter"]
    avg_deal_size: Annotated[float, msgspec.Meta(gt=0, le=1e12)] | None = None
    # What-if: ratios the rep types in win over history and defaults.
    ratio_overrides: list[StageRatio] = []


class FunnelRequest(msgspec.Struct, kw_only=True):
    goal: Goal
    # Which period: the month or quarter containing this date (default: today, rep's zone).
    on: date | None = None
    # A manager may run the numbers for one of their reps.
    user_id: Id | None = None


class FunnelStage(msgspec.Struct, kw_only=True):
    activity_type_id: int
    name: str
    ratio: float
    ratio_source: RatioSource
    total: int
    weekly: int


class FunnelResult(msgspec.Struct, kw_only=True):
    deals: int
    period_start: date
    period_end: date
    working_weeks: float
    stages: list[FunnelStage]
    # Where the ratios come from, in words, with the number of data points.
    explanation: str


class PlanTarget(msgspec.Struct, kw_only=True):
    activity_type_id: Id
    target: Target


class SavePlan(msgspec.Struct, kw_only=True):
    targets: Annotated[list[PlanTarget], msgspec.Meta(max_length=30)]
    commitments: Annotated[list[ShortText], msgspec.Meta(max_length=10)] = []
    # Needed to change a committed plan: why it changes (kept in the revision history).
    reason: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class PlanRevision(msgspec.Struct, kw_only=True):
    version: int
    targets: list[PlanTarget]
    commitments: list[str]
    reason: str
    author: str
    created_at: Instant


class PlanComment(msgspec.Struct, kw_only=True):
    id: int
    author_id: int
    author: str
    body: str
    created_at: Instant


class NewPlanComment(msgspec.Struct, kw_only=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    # A client-made id: sending the same comment twice stores it once.
    client_key: Annotated[str, msgspec.Meta(min_length=8, max_length=64)] | None = None


class Plan(msgspec.Struct, kw_only=True):
    id: int
    user_id: int
    week_start: date
    status: Literal["draft", "committed"]
    version: int
    targets: list[PlanTarget]
    commitments: list[str]
    committed_at: Instant | None
    acknowledged_at: Instant | None
    acknowledged_by: str | None
    revisions: list[PlanRevision]
    comments: list[PlanComment]


class PaceBody(msgspec.Struct, kw_only=True):
    """Pace on one activity type. With these numbers a client recomputes the status for
    counts it knows better (logs not yet synced): done >= target → done; done <
    expected_by_now → behind; done > expected_by_end_of_today → ahead; else on_track."""

    status: PaceStatus
    expected_by_now: int
    expected_by_end_of_today: float
    working_days_left: int
    per_day_left: int


class ActivityProgress(msgspec.Struct, kw_only=True):
    activity_type: ActivityType
    target: int
    done_total: int
    done_qualifying: int
    pace: PaceBody


class TimeOff(msgspec.Struct, kw_only=True):
    """Days a rep is away: pace and silence skip them, like the team's holidays."""

    id: int
    user_id: int
    # Inclusive, in the rep's own dates.
    first_day: date
    last_day: date
    note: str | None
    created_by: str | None  # who declared it (the rep or a manager)
    created_at: Instant


class NewTimeOff(msgspec.Struct, kw_only=True):
    first_day: date
    # The last day away, included; the same as first_day for one day.
    last_day: date
    note: Annotated[str, msgspec.Meta(max_length=140)] | None = None
    # A client-made id: sending the same entry twice stores it once.
    client_key: Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] | None = None


class WeekView(msgspec.Struct, kw_only=True):
    """One rep's week: plan, progress per activity type and pace, in the rep's zone."""

    user_id: int
    user_name: str
    time_zone: str
    week_start: date
    week_end: date
    working_days: list[date]
    plan: Plan | None
    progress: list[ActivityProgress]
    deadline: Instant
    missed_deadline: bool
    # Declared days off this week (not in working_days: pace spreads the plan over the rest).
    days_off: list[date] = []


class TeamPlanRow(msgspec.Struct, kw_only=True):
    user_id: int
    name: str
    plan_id: int | None
    status: Literal["none", "draft", "committed", "acknowledged"]
    missed_deadline: bool
    targets: list[PlanTarget]
    commitments: list[str]
    comment_count: int
    revision_count: int
    preferences_answered: bool
    # Preference questions this rep answered "not sure": a conversation to have.
    not_sure: list[str]


class TeamWeek(msgspec.Struct, kw_only=True):
    team_id: int
    week_start: date
    deadline_note: str
    rows: list[TeamPlanRow]
