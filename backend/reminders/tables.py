"""Piccolo tables of the reminders domain."""

from piccolo.columns import Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.accounts.tables import User


class PushSubscription(Table, tablename="push_subscriptions"):
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    # A bearer secret of the push service: unique, and never shown back in full.
    endpoint = Varchar(length=1024, unique=True)
    p256dh = Varchar(length=128)
    auth = Varchar(length=64)
    client_id = Varchar(length=36, null=True, default=None)
    # The session that subscribed: signing out of that device removes the subscription.
    session_hash = Varchar(length=64, default="")
    user_agent = Varchar(length=200, default="")
    created_at = Timestamptz()
    last_success_at = Timestamptz(null=True, default=None)
    # Failed sends in a row (answers a retry will not change: bad keys, a 4xx, a refused
    # host); a delivery resets it. At MAX_FAILURES the subscription is disabled.
    failures = Integer(default=0)
    # Set when failures reached MAX_FAILURES: no more sends until the device subscribes again.
    disabled_at = Timestamptz(null=True, default=None)
    # Set by a 429 answer: no sends to this subscription before then.
    retry_after = Timestamptz(null=True, default=None)


class ReminderSend(Table, tablename="reminder_sends"):
    """One occurrence of one reminder of one rep. The unique key (user, kind, local date,
    wall time) is claimed before sending, so several scheduler processes send it once."""

    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)
    local_date = Date()
    wall_time = Varchar(length=5)
    fire_at = Timestamptz()
    claimed_at = Timestamptz()
    # The tick that claimed it: a bulk insert that skips conflicts, then a read of its own rows.
    claimed_by = Varchar(length=32, index=True)
    # sent | skipped_late | not_needed | no_device | failed
    status = Varchar(length=20, default="claimed")
    detail = Varchar(length=300, default="")


TABLES = [PushSubscription, ReminderSend]
