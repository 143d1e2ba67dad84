"""Piccolo tables of the activities domain (activities and the sync bookkeeping)."""

from piccolo.columns import (
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.accounts.tables import User


class Activity(Table, tablename="activities"):
    # The client-made UUID: the same activity has the same id on every device. Unique per
    # owner (activities_user_uid), not globally: another rep's use of an id never affects mine.
    uid = Varchar(length=36)
    user = ForeignKey(User, on_delete=OnDelete.cascade)
    # Nullable fields: a tombstone (deleted before it was ever created here) has none.
    activity_type = Integer(null=True, default=None)
    account_name = Varchar(length=120, null=True, default=None)
    outcome = Varchar(length=30, null=True, default=None)
    quality = Integer(null=True, default=None)
    note = Text(null=True, default=None)
    next_step = Varchar(length=200, null=True, default=None)
    follow_up_on = Date(null=True, default=None)
    deal_value = DoublePrecision(null=True, default=None)
    occurred_at = Timestamptz(null=True, default=None)
    time_zone = Varchar(length=64, null=True, default=None)
    # Derived once, at apply time, from occurred_at in time_zone (the rep's week rule).
    local_date = Date(null=True, default=None)
    week_start = Date(null=True, default=None)
    late = Boolean(default=False)
    # The rep's change counter at the last change: pull returns rows after a cursor.
    version = Integer()
    created_at = Timestamptz()
    updated_at = Timestamptz()
    deleted_at = Timestamptz(null=True, default=None)


class SyncClient(Table, tablename="sync_clients"):
    """One device (browser profile) of one user."""

    client_id = Varchar(length=36)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    last_seq = Integer(default=0)
    last_push_at = Timestamptz(null=True, default=None)
    last_pull_at = Timestamptz(null=True, default=None)
    outbox_size = Integer(default=0)
    skew_seconds = Integer(default=0)
    # False when the device's last `sent_at` was no plausible clock reading (skew unknown).
    clock_known = Boolean(default=True)
    created_at = Timestamptz()


class SyncMutation(Table, tablename="sync_mutations"):
    """The first result of a rejected (device, seq): replays answer with it. An applied seq
    has none (SyncBatch names its change); rows from before 2026-12-03 have applied ones too."""

    client = ForeignKey(SyncClient, on_delete=OnDelete.cascade)
    seq = Integer()
    mutation_id = Varchar(length=36)
    status = Varchar(length=10)
    code = Varchar(length=40, null=True, default=None)
    message = Varchar(length=300, null=True, default=None)


class SyncBatch(Table, tablename="sync_batches"):
    """The mutations one push handled, a contiguous run of a device's seqs: a replay is
    answered with the id of the change that first took its seq. One row a push, where a
    receipt a mutation doubled the rows of every log."""

    client = ForeignKey(SyncClient, on_delete=OnDelete.cascade)
    first_seq = Integer()
    last_seq = Integer()
    # The runs' mutation ids in seq order, comma-separated (UUIDs hold no comma).
    mutation_ids = Text()


class RepSyncState(Table, tablename="rep_sync_state"):
    """Per rep: the change counter that orders every change to their activities."""

    user = ForeignKey(User, on_delete=OnDelete.cascade, unique=True)
    version = Integer(default=0)
    # Tombstones up to this version were removed: older cursors get a snapshot.
    pruned_through = Integer(default=0)


TABLES = [Activity, SyncClient, SyncMutation, SyncBatch, RepSyncState]
