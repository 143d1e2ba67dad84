"""Piccolo tables of the review domain: team thresholds, kudos, a team's own coaching questions."""

from piccolo.columns import Date, DoublePrecision, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.accounts.tables import Team, User


class ReviewConfig(Table, tablename="review_configs"):
    """A team's tuned thresholds; a team without a row uses the defaults (review.rules.Thresholds)."""

    team = ForeignKey(Team, on_delete=OnDelete.cascade, unique=True)
    behind_share = DoublePrecision()
    behind_share_often = DoublePrecision()
    behind_share_autonomy = DoublePrecision()
    silent_working_days = Integer()
    quality_share_min = DoublePrecision()
    quality_min_activities = Integer()
    conversion_drop = DoublePrecision()
    recent_weeks = Integer()
    baseline_weeks = Integer()
    on_plan_share = DoublePrecision()
    improved_by = DoublePrecision()
    streak_milestones = Varchar(length=80)  # JSON list of ints
    updated_at = Timestamptz()


class Kudos(Table, tablename="kudos"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    sender = ForeignKey(User, on_delete=OnDelete.cascade)
    message = Varchar(length=280, null=True, default=None)
    signal = Varchar(length=20, null=True, default=None)
    reason = Varchar(length=300, null=True, default=None)
    week_start = Date()
    # The client's id: a retried send finds it instead of giving kudos twice.
    client_key = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz()
    seen_at = Timestamptz(null=True, default=None)


class TeamQuestion(Table, tablename="coaching_questions"):
    """A question a team's manager added to the curated library."""

    team = ForeignKey(Team, on_delete=OnDelete.cascade, index=True)
    text = Text()
    gap = Varchar(length=20)
    author = ForeignKey(User, on_delete=OnDelete.cascade)
    client_key = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz()
    archived_at = Timestamptz(null=True, default=None)


TABLES = [ReviewConfig, Kudos, TeamQuestion]
