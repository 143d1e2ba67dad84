"""Piccolo tables of the manager alerts: each manager's choices, the outbox of things that
happened (written in the cause's transaction), and the inbox of grouped alerts.

One alert per manager, kind and local day is a unique index (the hand-written migration):
it is what makes "at most once a day per kind" hold across every scheduler process."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.accounts.tables import Team, User


class AlertChoice(Table, tablename="manager_alert_settings"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, unique=True)
    pace = Boolean(default=True)
    pace_weekday = Integer(default=2)
    pace_time = Varchar(length=5, default="11:00")
    plans = Boolean(default=True)
    reflections = Boolean(default=True)
    help = Boolean(default=True)
    commitments = Boolean(default=True)
    digest_days = Varchar(length=40, default="[0,1,2,3,4]")  # JSON list, 0 = Monday
    digest_time = Varchar(length=5, default="13:00")
    updated_at = Timestamptz()


class AlertEvent(Table, tablename="alert_events"):
    """The outbox: a plan committed or changed, a reflection, an ask for help, a reply."""

    team = ForeignKey(Team, on_delete=OnDelete.cascade)
    rep = ForeignKey(User, on_delete=OnDelete.cascade)
    kind = Varchar(length=20)
    week_start = Date()
    ref_id = Integer()
    at = Timestamptz(index=True)


class ManagerAlert(Table, tablename="manager_alerts"):
    """One grouped alert of one manager (the inbox). A digest with nothing to say is kept
    with count 0: it is the record that the day's kind is done (never shown, never pushed)."""

    user = ForeignKey(User, on_delete=OnDelete.cascade)
    kind = Varchar(length=20)
    local_date = Date()
    wall_time = Varchar(length=5)
    fire_at = Timestamptz()
    # The events it lists happened before this instant; the next digest of the kind starts here.
    covers_until = Timestamptz()
    title = Varchar(length=200)
    body = Text()
    url = Varchar(length=200)
    reps = Text(default="[]")  # JSON [{"user_id", "name", "detail"}]
    listed = Integer(default=0)  # reps listed
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None)


TABLES = [AlertChoice, AlertEvent, ManagerAlert]
