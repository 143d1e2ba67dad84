"""Manager review: team signals, rep drill-down, kudos, coaching questions, scrum, settings."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from shared_schemas.common import Id, Instant
from shared_schemas.plans import PaceStatus, Plan, TeamVisibility
from shared_schemas.sync import DeviceSync

# "conversation" signals: why a rep may need a talk. "kudos" signals: what to praise.
ConversationKind = Literal[
    "behind_pace", "silent", "low_quality", "conversion_drop", "no_plan", "not_sure", "commitments_missed", "new_rep",
]
KudosKind = Literal["plan_met", "most_improved", "streak_milestone", "won_deal"]
SignalKind = Literal[
    "behind_pace", "silent", "low_quality", "conversion_drop", "no_plan", "not_sure", "commitments_missed",
    "new_rep", "plan_met", "most_improved", "streak_milestone", "won_deal",
]
# What a rep may need help with; "growth" when nothing is wrong (questions that stretch).
GapKind = Literal["low_volume", "weak_conversion", "low_quality", "no_plan", "inconsistency", "growth",
                  "silent", "new_rep", "commitments", "not_sure", "pending_sync"]
Share = Annotated[float, msgspec.Meta(ge=0, le=1)]
ClientKey = Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


# How strong a conversation signal's evidence is: "talk" is worth a conversation now,
# "watch" is worth keeping an eye on (shown without the alarm). Kudos signals: None.
Severity = Literal["talk", "watch"]
# A rep-week in one word, from the one diagnosis every screen reads (review.rules.diagnose).
Attention = Literal["talk", "watch", "kudos", "ok", "pending", "away"]


class Signal(msgspec.Struct, kw_only=True):
    kind: SignalKind
    group: Literal["conversation", "kudos"]
    # The reason in words, e.g. "Calls: 12 of 40 so far; a steady pace needs 18 by now."
    reason: str
    # The activity type it is about, when it is about one.
    activity_type_id: int | None = None
    severity: Severity | None = None


class TypeProgress(msgspec.Struct, kw_only=True):
    """Plan vs actual on one activity type for the reviewed week."""

    activity_type_id: int
    name: str
    target: int
    done_total: int
    done_qualifying: int
    # What a steady pace needs by now (the whole target once the week is over).
    expected_by_now: int
    status: PaceStatus


class RepReviewRow(msgspec.Struct, kw_only=True):
    user_id: int
    name: str
    time_zone: str
    plan_status: Literal["none", "draft", "committed", "acknowledged"]
    progress: list[TypeProgress]
    # The worst pace across activity types with a target ("no_plan" without targets).
    pace_status: PaceStatus
    # Share of the plan delivered, each type capped at its target (0–1).
    attainment: float
    qualifying: int
    total: int
    last_activity_on: date | None
    last_sync_at: Instant | None
    devices: list[DeviceSync]
    # True when a device has not synced since the rep's last expected activity, or still
    # holds logs: the numbers may be incomplete, so pace flags are held back.
    pending_sync: bool
    pending_sync_reason: str | None
    # Weeks in a row on plan, up to the reviewed week.
    streak: int
    signals: list[Signal]
    kudos_this_week: int
    # The diagnosis in one word: "talk" (a conversation is worth having now), "watch",
    # "kudos" (deserves praise, none sent yet this week), "ok", or "pending" (a device still
    # holds this week's logs: nothing is judged), or "away" (declared time off: not judged).
    attention: Attention = "ok"
    # One sentence of why (the strongest evidence), when there is something to say.
    why: str | None = None
    # A question to open the conversation with, for "talk" reps.
    question: str | None = None
    # While the rep is away (declared time off today, or every working day of the week):
    # "Off until Fri 11 Dec.", shown instead of flags (no conversation signal is raised).
    time_off: str | None = None


class ReviewSettings(msgspec.Struct, kw_only=True):
    """Thresholds a team tunes. Shares are 0–1."""

    team_id: int
    # Behind pace: qualifying done below this share of what a steady pace needs by now.
    behind_share: float
    # … for reps who asked to be checked on often (flagged earlier: a higher share) …
    behind_share_often: float
    # … and for reps who chose autonomy (flagged later: a lower share).
    behind_share_autonomy: float
    # Silent: no activity logged for this many working days.
    silent_working_days: int
    # Low quality: the share of activities meeting the type's bar is below this.
    quality_share_min: float
    # …and only with at least this many activities in the week (a few logs say little).
    quality_min_activities: int
    # Conversion drop: a stage's recent ratio is below (1 - this) × the rep's own baseline.
    conversion_drop: float
    # "Recent" is the reviewed week and the weeks before it, this many in all.
    recent_weeks: int
    # The baseline: this many weeks before the recent window.
    baseline_weeks: int
    # A week counts as "on plan" (for streaks) at this share of the plan or more.
    on_plan_share: float
    # Most improved: recent attainment above the baseline by at least this (absolute share).
    improved_by: float
    streak_milestones: list[int]


class UpdateReviewSettings(msgspec.Struct, kw_only=True):
    behind_share: Share | None = None
    behind_share_often: Share | None = None
    behind_share_autonomy: Share | None = None
    silent_working_days: Annotated[int, msgspec.Meta(ge=1, le=20)] | None = None
    quality_share_min: Share | None = None
    quality_min_activities: Annotated[int, msgspec.Meta(ge=1, le=500)] | None = None
    conversion_drop: Annotated[float, msgspec.Meta(gt=0, lt=1)] | None = None
    recent_weeks: Annotated[int, msgspec.Meta(ge=1, le=8)] | None = None
    baseline_weeks: Annotated[int, msgspec.Meta(ge=2, le=26)] | None = None
    on_plan_share: Annotated[float, msgspec.Meta(gt=0, le=1)] | None = None
    improved_by: Annotated[float, msgspec.Meta(gt=0, le=1)] | None = None
    streak_milestones: Annotated[list[Annotated[int, msgspec.Meta(ge=2, le=104)]],
                                 msgspec.Meta(min_length=1, max_length=10)] | None = None


class TeamReview(msgspec.Struct, kw_only=True):
    team_id: int
    team_name: str
    week_start: date
    week_end: date
    # True while the reviewed week is still running (pace is "so far").
    current: bool
    as_of: Instant
    settings: ReviewSettings
    # Sorted: who needs a conversation first, then pending sync, then the rest.
    rows: list[RepReviewRow]
    # Reps with attention "talk".
    needs_conversation: int
    deserves_kudos: int
    pending_sync: int
    # "Talk to these first": the few reps whose evidence is strongest, strongest first (user ids).
    talk_first: list[int] = []
    # Who most deserves kudos this week and has none yet, most deserving first (user ids).
    kudos_first: list[int] = []
    # Reps with attention "watch".
    watch: int = 0


class MixEntry(msgspec.Struct, kw_only=True):
    """Activity mix over the recent window: this rep's weekly average vs the team's median."""

    activity_type_id: int
    name: str
    rep_per_week: float
    team_median_per_week: float


class StageConversion(msgspec.Struct, kw_only=True):
    from_type_id: int
    from_name: str
    # The next stage's name, or "won deals" for the last stage.
    to_name: str
    # None when there is too little data (fewer than the team's min data points).
    rep_ratio: float | None
    rep_from_count: int
    team_median: float | None


class FunnelDiagnosis(msgspec.Struct, kw_only=True):
    stages: list[StageConversion]
    # Index into stages of the weakest stage vs the team, or None when nothing stands out.
    weakest: int | None
    # In plain words, e.g. "Meetings turn into proposals at 18%; the team's median is 35%."
    summary: str
    # The weeks the ratios are worked out over, in words ("Conversion over the 8 finished weeks
    # 28 Sep – 22 Nov, …"), and how the team screen's conversion drop differs.
    window: str = ""


class TrendPoint(msgspec.Struct, kw_only=True):
    week_start: date
    target: int
    done_total: int
    done_qualifying: int
    # Average quality (1–5) of this type's activities that week; None without any.
    avg_quality: float | None


class TypeTrend(msgspec.Struct, kw_only=True):
    activity_type_id: int
    name: str
    points: list[TrendPoint]


class QualityPoint(msgspec.Struct, kw_only=True):
    week_start: date
    avg_quality: float | None
    qualifying_share: float | None
    total: int


class Gap(msgspec.Struct, kw_only=True):
    kind: GapKind
    reason: str
    # For weak conversion: the stage (activity type) that leaks.
    activity_type_id: int | None = None


class CoachingQuestion(msgspec.Struct, kw_only=True):
    # "lib-…" for the curated library, "team-<n>" for a team's own.
    id: str
    text: str
    gap: GapKind
    source: Literal["library", "team"]
    author: str | None = None
    created_at: Instant | None = None


class NewCoachingQuestion(msgspec.Struct, kw_only=True):
    text: Annotated[str, msgspec.Meta(min_length=10, max_length=300)]
    gap: GapKind
    # A client-made id: sending the same question twice stores it once.
    client_key: ClientKey | None = None


class RecentActivity(msgspec.Struct, kw_only=True):
    id: str
    activity_type_id: int
    type_name: str
    account_name: str | None
    outcome: str | None
    quality: int | None
    note: str | None
    next_step: str | None
    follow_up_on: date | None
    deal_value: float | None
    occurred_at: Instant
    time_zone: str
    late: bool


class Kudos(msgspec.Struct, kw_only=True):
    id: int
    user_id: int
    rep_name: str
    from_user_id: int
    from_name: str
    message: str | None
    # What it was for, when sent from a signal, e.g. "plan_met", and that signal's words.
    signal: KudosKind | None
    reason: str | None
    week_start: date
    created_at: Instant
    seen_at: Instant | None


class NewKudos(msgspec.Struct, kw_only=True):
    user_id: Id
    message: Annotated[str, msgspec.Meta(max_length=280)] | None = None
    signal: KudosKind | None = None
    # The week it is for (a Monday); default: the rep's current week.
    week_start: date | None = None
    # A client-made id: a retried send gives kudos once.
    client_key: ClientKey | None = None


class Teammate(msgspec.Struct, kw_only=True):
    """A teammate who chose to be named on team views: one a rep can send kudos to."""

    user_id: int
    name: str


class RepDrilldown(msgspec.Struct, kw_only=True):
    user_id: int
    name: str
    team_id: int
    week_start: date
    row: RepReviewRow
    mix: list[MixEntry]
    funnel: FunnelDiagnosis
    # Oldest week first, ending with the reviewed week.
    trends: list[TypeTrend]
    quality: list[QualityPoint]
    recent: list[RecentActivity]
    plan: Plan | None
    gaps: list[Gap]
    # 2–3 questions that fit this rep's gaps (to the rep: questions to ask themselves).
    questions: list[CoachingQuestion]
    kudos: list[Kudos]
    # True while the reviewed week is still running in the rep's zone.
    current: bool = False


class ScrumTypeLine(msgspec.Struct, kw_only=True):
    name: str
    target: int
    done: int


class ScrumCard(msgspec.Struct, kw_only=True):
    """One rep on the shared screen: numbers and a win, never a shortfall's words, a signal's
    reason or a private preference (the team sees it)."""

    # The rep's name, or "Rep A" for reps shown anonymously on shared views.
    display_name: str
    anonymous: bool
    lines: list[ScrumTypeLine]
    attainment: float
    # One win to celebrate, in words (a won deal, a met target, a streak), or None.
    win: str | None
    # A device still holds logs of this week: the numbers may be incomplete.
    pending: bool


class ScrumTotals(msgspec.Struct, kw_only=True):
    """The team against its plan, first on the screen."""

    # Per activity type: the reps' targets added up, and their qualifying activity.
    lines: list[ScrumTypeLine]
    # Reps whose numbers are in the totals: every rep, except when exactly one rep is kept
    # off the screen (the totals less the cards would show that rep's week): then only those shown.
    reps: int
    whole_team: bool
    # Of those reps, the ones whose week can be judged (a plan, nothing pending) and of
    # them the ones on pace.
    judged: int
    on_pace: int
    pending: int


class ScrumWrapUp(msgspec.Struct, kw_only=True):
    # Reps on the screen whose week is worth a conversation (display names, no reasons).
    needs_help: list[str]


class TeamScrum(msgspec.Struct, kw_only=True):
    team_id: int
    team_name: str
    week_start: date
    totals: ScrumTotals
    cards: list[ScrumCard]
    wrap_up: ScrumWrapUp
    # Reps shown to their manager only: by their choice, or by the team's default while undecided.
    hidden: int
    # How reps who have not chosen appear (the team's default), and how many of them follow it.
    default_visibility: TeamVisibility
    undecided: int
