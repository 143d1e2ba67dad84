"""Piccolo tables of the coaching domain: check-in schedules, reflections, check-ins with
their notes, commitments and audit trail, and a team's own self-coaching prompts.

Composite unique keys (one reflection per rep and week, a reflection id per rep) are unique
indexes created in hand-written migrations: Piccolo has no composite unique constraint."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.accounts.tables import Team, User


class CheckinSchedule(Table, tablename="checkin_schedules"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, unique=True)
    weekdays = Varchar(length=40)  # JSON list, 0 = Monday
    wall_time = Varchar(length=5)
    set_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()


class Reflection(Table, tablename="reflections"):
    # The id the first device gave it; later writes for the same week update this row.
    # Unique per rep ("user", uid), a unique index of the migrations: ids are per owner.
    uid = Varchar(length=36)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    week_start = Date()
    wins = Text(default="")
    stuck = Text(default="")
    differently = Text(default="")
    help_wanted = Text(default="")
    self_rating = Integer(null=True, default=None)
    jottings = Text(default="[]")
    updated_at = Timestamptz()


class CheckIn(Table, tablename="checkins"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    manager = ForeignKey(User, on_delete=OnDelete.cascade)
    week_start = Date()
    started_at = Timestamptz()
    closed_at = Timestamptz(null=True, default=None)
    client_key = Varchar(length=64, null=True, default=None, unique=True)


class CheckinNote(Table, tablename="checkin_notes"):
    checkin = ForeignKey(CheckIn, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(User, on_delete=OnDelete.cascade)
    body = Text()
    shared = Boolean(default=False)
    client_key = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz()
    edited_at = Timestamptz(null=True, default=None)


class Commitment(Table, tablename="commitments"):
    checkin = ForeignKey(CheckIn, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    text = Varchar(length=200)
    # Counted from this local date (the check-in's) to due_on, both included.
    starts_on = Date()
    due_on = Date()
    activity_type = Integer(null=True, default=None)
    target_count = Integer(null=True, default=None)
    # A manager's verdict on a commitment that cannot be measured.
    manager_status = Varchar(length=10, null=True, default=None)
    client_key = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz()


class CheckinEdit(Table, tablename="checkin_edits"):
    """The audit trail of changes to a check-in after it was closed."""

    checkin = ForeignKey(CheckIn, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(User, on_delete=OnDelete.cascade)
    at = Timestamptz()
    what = Varchar(length=100)
    before = Text()
    after = Text()
    reason = Varchar(length=300)


class SelfCoachingTip(Table, tablename="self_coaching_prompts"):
    team = ForeignKey(Team, on_delete=OnDelete.cascade, index=True)
    text = Text()
    trigger = Varchar(length=10)
    author = ForeignKey(User, on_delete=OnDelete.cascade)
    client_key = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz()
    archived_at = Timestamptz(null=True, default=None)


TABLES = [CheckinSchedule, Reflection, CheckIn, CheckinNote, Commitment, CheckinEdit, SelfCoachingTip]
