"""Piccolo tables of the plans domain. Lists are stored as msgspec JSON text.

Composite unique keys (one plan per rep and week, one key per team) are unique indexes
created in the migration: Piccolo has no composite unique constraint.
"""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.accounts.tables import Team, User
from backend.plans.rules import DEFAULT_TEAM_VISIBILITY


class ActivityType(Table, tablename="activity_types"):
    team = ForeignKey(Team, on_delete=OnDelete.cascade, index=True)
    key = Varchar(length=32)
    name = Varchar(length=40)
    icon = Varchar(length=20, default="dot")
    funnel_stage = Integer(null=True, default=None)
    quality_min = Integer(default=1)
    quality_bar = Varchar(length=200, default="")
    position = Integer(default=0)
    active = Boolean(default=True)


class TeamPlanConfig(Table, tablename="team_plan_configs"):
    team = ForeignKey(Team, on_delete=OnDelete.cascade, unique=True)
    working_days = Varchar(length=40, default="[0,1,2,3,4]")
    deadline_weekday = Integer(default=0)
    deadline_time = Varchar(length=5, default="12:00")
    holidays = Text(default="[]")
    default_ratios = Text(default="[]")
    history_weeks = Integer(default=8)
    min_data_points = Integer(default=10)
    # How reps who have not chosen appear on shared views (named / anonymous / manager_only).
    default_visibility = Varchar(length=20, default=DEFAULT_TEAM_VISIBILITY)


class ExpectationsVersion(Table, tablename="team_expectations"):
    team = ForeignKey(Team, on_delete=OnDelete.cascade, index=True)
    text = Text()
    author = ForeignKey(User, on_delete=OnDelete.cascade)
    created_at = Timestamptz()


class AccountabilityPreferences(Table, tablename="accountability_preferences"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, unique=True)
    checkin_rhythm = Varchar(length=20)
    reminder_days = Varchar(length=40)
    reminder_times = Varchar(length=60)
    style = Varchar(length=20)
    visibility = Varchar(length=20)
    updated_at = Timestamptz()


class RepGoal(Table, tablename="rep_goals"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, unique=True)
    goal = Text()
    updated_at = Timestamptz()


class Plan(Table, tablename="plans"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    week_start = Date()
    status = Varchar(length=10, default="draft")  # draft | committed
    version = Integer(default=0)
    targets = Text(default="[]")
    commitments = Text(default="[]")
    committed_at = Timestamptz(null=True, default=None)
    acknowledged_at = Timestamptz(null=True, default=None)
    acknowledged_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PlanRevision(Table, tablename="plan_revisions"):
    plan = ForeignKey(Plan, on_delete=OnDelete.cascade, index=True)
    version = Integer()
    targets = Text()
    commitments = Text()
    reason = Varchar(length=500)
    author = ForeignKey(User, on_delete=OnDelete.cascade)
    created_at = Timestamptz()


class PlanComment(Table, tablename="plan_comments"):
    plan = ForeignKey(Plan, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(User, on_delete=OnDelete.cascade)
    body = Text()
    # The client's id for this comment: a retried POST finds it instead of adding a copy.
    client_key = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz()


class TimeOff(Table, tablename="time_off"):
    """Days a rep is away (holiday, sick, training): pace and silence skip them, as they skip
    the team's holidays. first_day..last_day inclusive, dates in the rep's own zone."""

    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    first_day = Date()
    last_day = Date()
    note = Varchar(length=140, null=True, default=None)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    # The client's id for this entry: a retried POST finds it instead of adding a copy.
    client_key = Varchar(length=64, null=True, default=None, unique=True)


TABLES = [
    ActivityType,
    TeamPlanConfig,
    ExpectationsVersion,
    AccountabilityPreferences,
    RepGoal,
    Plan,
    PlanRevision,
    PlanComment,
    TimeOff,
]
