"""The sync layer: apply pushed mutations exactly once, serve pulls, settle weeks.

Delivery from devices is at-least-once; this makes it exactly-once. Per device the server
remembers the last applied seq and the first result of every seq: the id of the change
that took it (one SyncBatch row a push), and the code and message of a rejection (a
SyncMutation row each); replays answer `duplicate` with it. Per rep a change counter
orders every change for pull. Week progress is counted from the distinct live
activities, never incremented.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter

import msgspec
from piccolo.engine.base import Engine
from piccolo.query.functions.aggregate import Count, Sum
from piccolo.querystring import QueryString

from backend.accounts.service import Accounts, Principal
from backend.activities.rules import (
    MAX_MUTATION_BYTES,
    corrected_time,
    latest_accepted,
    measured_skew,
    payload_problem,
    skew_is_clear,
)
from backend.activities.tables import Activity, RepSyncState, SyncClient
from backend.core import clock
from backend.core.db import TxSQL, id_list, write_transaction
from backend.core.errors import DomainError, Forbidden, NotFound
from backend.core.http import MAX_BODY_BYTES, convert_strictly, described
from backend.core.weeks import local_date, week_start
from backend.plans.rules import Tally
from backend.plans.service import Plans
from shared_schemas import (
    ActivityFields,
    ActivityRecord,
    DeviceSync,
    Mutation,
    MutationResult,
    PullResponse,
    PushRequest,
    PushResponse,
    RepSync,
)

log = logging.getLogger("followthrough.sync")

MAX_BATCH = 200
TALLY_CACHE_REPS = 20_000  # weekly tallies kept in memory (a few KB per rep)
MAX_PULL = 500
# A deleted activity's tombstone is kept this long, then removed (prune_tombstones): a device
# whose pull cursor is older gets a snapshot. A create that reaches the server later than
# this after its activity was deleted elsewhere is applied as new (docs/sync-protocol.md).
TOMBSTONE_HORIZON = timedelta(days=90)
PRUNE_EVERY = timedelta(hours=6)
OLDEST_ACCEPTED = timedelta(days=366)
KINDS = ("activity.create", "activity.update", "activity.delete")
# The columns an inserted activity row may lack (a tombstone has only its id and owner).
ACTIVITY_DEFAULTS = {
    "activity_type": None, "account_name": None, "outcome": None, "quality": None, "note": None,
    "next_step": None, "follow_up_on": None, "deal_value": None, "occurred_at": None, "time_zone": None,
    "local_date": None, "week_start": None, "late": False, "deleted_at": None,
}
# The push path writes with hand-written SQL (TxSQL): Piccolo's query building cost more
# CPU than the statements themselves. Columns and their PostgreSQL types, in order:
ACTIVITY_COLUMNS = {
    "uid": "varchar", "user": "integer", "activity_type": "integer", "account_name": "varchar",
    "outcome": "varchar", "quality": "integer", "note": "text", "next_step": "varchar", "follow_up_on": "date",
    "deal_value": "float8", "occurred_at": "timestamptz", "time_zone": "varchar", "local_date": "date",
    "week_start": "date", "late": "boolean", "deleted_at": "timestamptz", "version": "integer",
    "created_at": "timestamptz", "updated_at": "timestamptz",
}
_activity_row = itemgetter(*ACTIVITY_COLUMNS)
RUN_COLUMNS = {"client": "integer", "first_seq": "integer", "last_seq": "integer", "mutation_ids": "text"}
RESULT_COLUMNS = {"client": "integer", "seq": "integer", "mutation_id": "varchar", "status": "varchar",
                  "code": "varchar", "message": "varchar"}


class BatchTooLarge(DomainError):
    status_code = 413


class Rejected(Exception):
    """A mutation that can never apply: recorded, answered, and the seq still advances."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class _Batch:
    """One push transaction: what it knows and what it will write.

    Mutations are decided one by one in memory (later ones see earlier ones), then
    written with a few set-based statements: a batch of 200 costs a handful of queries.
    """

    rep_id: int
    type_ids: frozenset[int]
    now: datetime
    skew: timedelta | None  # None: the device's clock reading was implausible (unknown skew)
    version: int
    stamp: object  # now as the driver stores it (TxSQL.stored): written into every changed row
    # uid -> {"id": row id or None if not written yet, "user": owner, "deleted": bool}
    known: dict[str, dict] = field(default_factory=dict)
    inserts: dict[str, dict] = field(default_factory=dict)  # uid -> column values
    updates: dict[int, dict] = field(default_factory=dict)  # row id -> column values
    # seq -> a create's or update's columns, or its Rejected: checked before the lock.
    # A mutation of another kind is here only when rejected (too large, bad text).
    checked: dict[int, dict | Rejected] = field(default_factory=dict)
    # seq -> an update's occurred_at as sent and its columns (or Rejected) uncorrected, when
    # the device's skew is corrected: an update that keeps the stored time is not corrected
    # twice (rules.corrected_time).
    as_sent: dict[int, tuple[datetime, dict | Rejected]] = field(default_factory=dict)

    def write(self, uid: str, values: dict) -> None:
        """Record new column values for an activity, whether it is in the table or not yet."""
        self.version += 1
        values = {**values, "version": self.version, "updated_at": self.stamp}
        entry = self.known.get(uid)
        if entry and entry["id"] is not None:
            self.updates.setdefault(entry["id"], {}).update(values)
        elif entry:
            self.inserts[uid].update(values)
        else:
            self.inserts[uid] = {"uid": uid, "user": self.rep_id, "created_at": self.stamp, **values}
            self.known[uid] = {"id": None, "user": self.rep_id, "deleted": False}


# Another domain's mutation kind: applied inside the push's transaction; raise Rejected
# to refuse it. Arguments: the rep, the mutation's entity id, its payload, now.
KindHandler = Callable[[int, str, "dict | None", datetime], Awaitable[None]]


class Activities:
    def __init__(self, engine: Engine, accounts: Accounts, plans: Plans) -> None:
        self.engine = engine
        self.accounts = accounts
        self.plans = plans
        self.other_kinds: dict[str, KindHandler] = {}
        self._notes: set[asyncio.Task] = set()  # pulls being noted (see _note_later)
        # rep -> ((change counter, first week, last week), weekly tallies): see weekly_tallies.
        self._tally_cache: OrderedDict[int, tuple[tuple[int, date, date], dict[date, Tally]]] = OrderedDict()

    def handle_kind(self, kind: str, handler: KindHandler) -> None:
        """Let another domain's records travel through the same outbox (e.g. reflections)."""
        self.other_kinds[kind] = handler

    @staticmethod
    def _check_rep(who: Principal) -> int:
        """The rep's team. The principal was read from the database for this request."""
        if who.role != "rep" or who.team_id is None:
            raise Forbidden("Activity is logged by reps on a team.")
        return who.team_id

    # ------------------------------------------------------------------ push
    async def push(self, who: Principal, request: PushRequest, body_bytes: int = 0, *,
                   check_text: bool = True) -> PushResponse:
        """Apply a batch. `body_bytes` is the request's size: only a body bigger than the
        per-mutation limit can hold a mutation over it, so only then are mutations measured.
        `check_text`: whether the payloads may hold text no field may store (the controller
        knows from the body's bytes; see controller.push_body)."""
        if len(request.mutations) > MAX_BATCH:
            raise BatchTooLarge(
                f"A batch holds at most {MAX_BATCH} mutations; split it and send the rest after.",
                extra=size_hint(),
            )
        team_id = self._check_rep(who)
        now = clock.now()
        skew = measured_skew(request.sent_at, now)
        mutations = sorted(request.mutations, key=lambda m: m.seq)
        type_ids = frozenset(await self.plans.active_type_ids(team_id))
        # Payloads are checked before taking the write lock: other writers need not wait
        # for this; what depends on stored state is decided inside the transaction.
        checked: dict[int, dict | Rejected] = {}
        as_sent: dict[int, tuple[datetime, dict | Rejected]] = {}
        for m in mutations:
            refused = self._refused(m, body_bytes > MAX_MUTATION_BYTES, check_text)
            if refused is not None:
                checked[m.seq] = refused
            elif m.kind in ("activity.create", "activity.update"):
                checked[m.seq] = self._checked(type_ids, now, skew, m.payload)
                if m.kind == "activity.update" and skew_is_clear(skew) and isinstance(m.payload, dict):
                    sent = _instant(m.payload.get("occurred_at"))
                    if sent is not None:
                        as_sent[m.seq] = (sent, self._checked(type_ids, now, None, m.payload))
        async with write_transaction(self.engine):
            sql = TxSQL(self.engine)
            # The rep's change counter first: on PostgreSQL its row lock serializes every push
            # of the rep (from any device) until COMMIT, so what is read below stays true.
            # SQLite's write lock already serializes all writers.
            start_version = await self._lock_version(sql, who.user_id)
            device_id, last = await self._push_device(sql, who.user_id, request.client_id, now)
            batch = _Batch(who.user_id, type_ids, now, skew, start_version, sql.stored(now), checked=checked,
                           as_sent=as_sent)
            replays = await self._first_results(sql, device_id, [m.seq for m in mutations if m.seq <= last])
            await self._load_known(sql, batch, [m for m in mutations if m.seq > last])
            results: list[MutationResult] = []
            handled: list[str] = []  # the ids of the mutations this push applied or rejected, in seq order
            rejected: list[tuple] = []
            for index, mutation in enumerate(mutations):
                if mutation.seq <= last:
                    results.append(self._replayed(replays, mutation))
                    continue
                if mutation.seq > last + 1:
                    # A gap: something before this never arrived. Stop; the device resends.
                    results.extend(
                        MutationResult(seq=m.seq, mutation_id=m.mutation_id, status="gap",
                                       code="gap", message=f"Expected seq {last + 1} first.")
                        for m in mutations[index:]
                    )
                    break
                result = await self._apply_one(batch, mutation)
                if result.status == "rejected":
                    rejected.append((device_id, mutation.seq, mutation.mutation_id, result.status, result.code,
                                     result.message))
                handled.append(mutation.mutation_id)
                results.append(result)
                last = mutation.seq
            # Handled mutations never skip a seq: they are the run last - len + 1 .. last.
            run = (device_id, last - len(handled) + 1, last, ",".join(handled)) if handled else None
            await self._flush(sql, batch, rejected, run)
            await sql.execute(
                "UPDATE sync_clients SET last_seq = ?, last_push_at = ?, outbox_size = ?, skew_seconds = ?,"
                " clock_known = ? WHERE id = ?",
                last, now, max(request.outbox_size - sum(r.status != "gap" for r in results), 0),
                0 if skew is None else int(skew.total_seconds()), skew is not None, device_id)
            if batch.version != start_version:
                await sql.execute('UPDATE rep_sync_state SET version = ? WHERE "user" = ?', batch.version, who.user_id)
        return PushResponse(last_applied_seq=last, results=results,
                            clock_skew_seconds=None if skew is None else int(skew.total_seconds()),
                            max_batch=MAX_BATCH, max_mutation_bytes=MAX_MUTATION_BYTES,
                            max_body_bytes=MAX_BODY_BYTES)

    @staticmethod
    def _refused(mutation: Mutation, measure: bool, check_text: bool) -> Rejected | None:
        """A mutation refused whatever its kind: too large to store, or text no field may
        hold. Answered `rejected` like any other, so it never blocks the device's queue."""
        if mutation.too_large:
            return Rejected("too_large", "This change is too large to sync: shorten its texts and save it again.")
        if mutation.kind == "activity.delete":
            return None  # its payload is ignored
        problem = payload_problem(mutation.payload) if check_text else None
        if problem:
            return Rejected("invalid", f"The change is not valid: {problem}.")
        if measure and len(msgspec.json.encode(mutation)) > MAX_MUTATION_BYTES:
            return Rejected("too_large", f"This change is over {MAX_MUTATION_BYTES // 1024} KiB: shorten its texts"
                                         " and save it again.")
        return None

    @staticmethod
    async def _lock_version(sql: TxSQL, user_id: int) -> int:
        """The rep's change counter, its row locked until COMMIT on PostgreSQL."""
        query = 'SELECT version FROM rep_sync_state WHERE "user" = ?' + (" FOR UPDATE" if sql.postgres else "")
        rows = await sql.rows(query, user_id)
        if not rows:
            # The rep's first change: of two first pushes at once, the second insert does nothing.
            await sql.execute('INSERT INTO rep_sync_state ("user", version, pruned_through) VALUES (?, 0, 0)'
                              ' ON CONFLICT ("user") DO NOTHING', user_id)
            rows = await sql.rows(query, user_id)
        return rows[0]["version"]

    @staticmethod
    async def _push_device(sql: TxSQL, user_id: int, client_id: str, now: datetime) -> tuple[int, int]:
        """The device's row id and last applied seq, the row created on first contact."""
        client_id = client_id.lower()
        query = 'SELECT id, last_seq FROM sync_clients WHERE "user" = ? AND client_id = ?'
        rows = await sql.rows(query, user_id, client_id)
        if not rows:
            # A pull may meet the new device at the same moment: the second insert does nothing.
            await sql.execute(
                'INSERT INTO sync_clients (client_id, "user", last_seq, last_push_at, last_pull_at, outbox_size,'
                ' skew_seconds, created_at) VALUES (?, ?, 0, NULL, NULL, 0, 0, ?)'
                ' ON CONFLICT ("user", client_id) DO NOTHING', client_id, user_id, now)
            rows = await sql.rows(query, user_id, client_id)
        return rows[0]["id"], rows[0]["last_seq"]

    @staticmethod
    async def _first_results(sql: TxSQL, device_id: int, seqs: list[int]) -> dict[int, dict]:
        """The first result of each replayed seq: a rejection's receipt, or the applied
        change's id from its push's run."""
        if not seqs:
            return {}
        test, args = sql.one_of(seqs, "integer")
        rows = await sql.rows(f"SELECT seq, mutation_id, status, code, message FROM sync_mutations"
                              f" WHERE client = ? AND seq {test}", device_id, *args)
        first = {r["seq"]: r for r in rows}
        applied = [seq for seq in seqs if seq not in first]
        if applied:
            low, high = min(applied), max(applied)
            runs = await sql.rows("SELECT first_seq, mutation_ids FROM sync_batches"
                                  " WHERE client = ? AND last_seq >= ? AND first_seq <= ?", device_id, low, high)
            ids = {run["first_seq"] + offset: mutation_id for run in runs
                   for offset, mutation_id in enumerate(run["mutation_ids"].split(","))}
            for seq in applied:
                if seq in ids:
                    first[seq] = {"mutation_id": ids[seq], "status": "applied", "code": None, "message": None}
        return first

    @staticmethod
    def _replayed(first_results: dict[int, dict], mutation: Mutation) -> MutationResult:
        first = first_results.get(mutation.seq)
        if first is None:  # up to last_seq and no record of it: it was applied
            return MutationResult(seq=mutation.seq, mutation_id=mutation.mutation_id, status="duplicate",
                                  first_status="applied")
        return MutationResult(seq=mutation.seq, mutation_id=first["mutation_id"], status="duplicate",
                              code=first["code"], message=first["message"], first_status=first["status"])

    @staticmethod
    async def _load_known(sql: TxSQL, batch: _Batch, mutations: list[Mutation]) -> None:
        uids = sorted({m.entity_id.lower() for m in mutations})
        if not uids:
            return
        test, args = sql.one_of(uids, "varchar")
        # Ids are per owner: another rep's activity with the same id is not even read, so it
        # can neither be touched nor told apart from an id nobody used.
        rows = await sql.rows(f'SELECT id, uid, "user", deleted_at IS NOT NULL AS deleted, occurred_at FROM activities'
                              f' WHERE "user" = ? AND uid {test}', batch.rep_id, *args)
        batch.known = {r["uid"]: {"id": r["id"], "user": r["user"], "deleted": bool(r["deleted"]),
                                  "occurred_at": r["occurred_at"]} for r in rows}

    @staticmethod
    async def _flush(sql: TxSQL, batch: _Batch, receipts: list[tuple], run: tuple | None = None) -> None:
        """The batch's writes: one executemany per statement, whatever the batch size; then
        the rejections' receipts and the push's run (SyncBatch)."""
        # Every inserted row carries every column (tombstones too).
        await sql.insert("activities", ACTIVITY_COLUMNS, [_activity_row(ACTIVITY_DEFAULTS | values)
                                                          for values in batch.inserts.values()])
        # Updates that set the same columns (deletes; edits) share one statement.
        updates: dict[tuple[str, ...], list[tuple]] = {}
        for row_id, values in batch.updates.items():
            updates.setdefault(tuple(values), []).append((*values.values(), row_id))
        for columns, rows in updates.items():
            assignments = ", ".join(f'"{column}" = ?' for column in columns)
            await sql.executemany(f"UPDATE activities SET {assignments} WHERE id = ?", rows)
        await sql.insert("sync_mutations", RESULT_COLUMNS, receipts)
        if run is not None:
            await sql.insert("sync_batches", RUN_COLUMNS, [run])

    async def _apply_one(self, batch: _Batch, mutation: Mutation) -> MutationResult:
        try:
            await self._apply(batch, mutation)
        except Rejected as rejected:
            return MutationResult(seq=mutation.seq, mutation_id=mutation.mutation_id, status="rejected",
                                  code=rejected.code, message=rejected.message)
        return MutationResult(seq=mutation.seq, mutation_id=mutation.mutation_id, status="applied")

    async def _apply(self, batch: _Batch, mutation: Mutation) -> None:
        uid = mutation.entity_id.lower()
        existing = batch.known.get(uid)
        checked = batch.checked.get(mutation.seq)
        kept = batch.as_sent.get(mutation.seq)
        if kept is not None and existing and kept[0] == _instant(existing["occurred_at"]):
            # The update keeps the time the server holds (corrected when it was created, and
            # what the device pulled): not corrected a second time.
            checked = kept[1]
        if isinstance(checked, Rejected):
            raise checked
        other = self.other_kinds.get(mutation.kind)
        if other is not None:
            await other(batch.rep_id, mutation.entity_id.lower(), mutation.payload, batch.now)
            return
        if mutation.kind not in KINDS:
            raise Rejected("unknown_kind", f"This app version does not know {mutation.kind!r} changes.")
        if mutation.kind == "activity.delete":
            if existing and existing["deleted"]:
                return  # deleting twice changes nothing
            # Unknown here yet (the delete overtook its create): the tombstone stops a late
            # create from resurrecting it.
            batch.write(uid, {"deleted_at": batch.stamp})
            batch.known[uid]["deleted"] = True
            return
        columns = checked
        if existing and existing["deleted"]:
            raise Rejected("deleted", "This activity was deleted, on this or another device.")
        if mutation.kind == "activity.create" and existing:
            raise Rejected("already_exists", "An activity with this id already exists.")
        if mutation.kind == "activity.update" and not existing:
            raise Rejected("not_found", "That activity does not exist (yet) on the server.")
        batch.write(uid, columns)

    def _checked(self, type_ids: frozenset[int], now: datetime, skew: timedelta | None,
                 payload: dict | None) -> dict | Rejected:
        """A create's or update's columns, or why it is rejected (returned, not raised)."""
        try:
            return self._columns(now, self._valid_fields(type_ids, now, skew, payload))
        except Rejected as rejected:
            return rejected

    def _valid_fields(self, type_ids: frozenset[int], now: datetime, skew: timedelta | None,
                      payload: dict | None) -> ActivityFields:
        try:
            # Strict, as the schema and every body say ("4" is no quality; 4.0 is 4).
            fields = convert_strictly(payload or {}, ActivityFields)
        except msgspec.ValidationError as error:
            raise Rejected("invalid", f"The activity is not valid: {described(error)}.") from None
        try:
            self.accounts.valid_time_zone(fields.time_zone)
        except DomainError:
            raise Rejected("invalid_time_zone", f"{fields.time_zone!r} is not a known time zone.") from None
        if fields.activity_type_id not in type_ids:
            raise Rejected("unknown_activity_type", "That activity type is not (or no longer) one of your team's.")
        # A clearly wrong device clock stamped this time: on the server's clock it is earlier
        # (fast) or later (slow) by the measured skew (rules.corrected_time).
        occurred_at = corrected_time(fields.occurred_at, skew)
        if occurred_at != fields.occurred_at:
            fields = msgspec.structs.replace(fields, occurred_at=occurred_at)
        if fields.occurred_at > latest_accepted(now, skew):
            raise Rejected("in_future", "This activity is dated in the future: check the time and your phone's clock.")
        if fields.occurred_at < now - OLDEST_ACCEPTED:
            raise Rejected("too_old", "This activity is more than a year old.")
        return fields

    @staticmethod
    def _columns(now: datetime, fields: ActivityFields) -> dict:
        day = local_date(fields.occurred_at, fields.time_zone)
        monday = week_start(day)
        # Late: it reaches the server after its own week was over (the week may be reviewed).
        week_over = _today_in(now, fields.time_zone) > monday + timedelta(days=6)
        return {
            "activity_type": fields.activity_type_id,
            "account_name": fields.account_name.strip(),
            "outcome": fields.outcome,
            "quality": fields.quality,
            "note": fields.note,
            "next_step": fields.next_step.strip(),
            "follow_up_on": fields.follow_up_on,
            "deal_value": fields.deal_value,
            "occurred_at": fields.occurred_at,
            "time_zone": fields.time_zone,
            "local_date": day,
            "week_start": monday,
            "late": week_over,
        }

    # ------------------------------------------------------------------ pull
    async def pull(self, who: Principal, client_id: str, cursor: int, limit: int, outbox_size: int | None) -> PullResponse:
        self._check_rep(who)
        rep_id = who.user_id
        limit = max(1, min(limit, MAX_PULL))
        now = clock.now()
        client_id = client_id.lower()
        # Read only: a pull never waits for a writer (it used to write last_pull_at first and
        # waited 14 s behind SQLite writers). What managers see of it is noted afterwards.
        device = await SyncClient.select(SyncClient.id, SyncClient.last_seq, SyncClient.last_pull_at,
                                         SyncClient.outbox_size).where(
            (SyncClient.user == rep_id) & (SyncClient.client_id == client_id)).first()
        if pull_worth_noting(device, now, outbox_size):
            self._note_later(rep_id, client_id, now, outbox_size)
        state = await RepSyncState.select().where(RepSyncState.user == rep_id).first()
        version = state["version"] if state else 0
        pruned = state["pruned_through"] if state else 0
        # A negative cursor continues a read from scratch (a first pull or a snapshot) after
        # version -cursor: its pages may lie before pruned_through, and must not be taken
        # for a stale cursor (that restarted the snapshot on every page, for ever).
        continuing = cursor < 0
        after = -cursor if continuing else cursor
        snapshot = not continuing and (cursor > version or (cursor > 0 and cursor < pruned))
        query = Activity.select().where((Activity.user == rep_id) & (Activity.version > (0 if snapshot else after)))
        if snapshot:
            query = query.where(Activity.deleted_at.is_null())
        rows = await query.order_by(Activity.version).limit(limit + 1)
        has_more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1]["version"] if rows else (0 if snapshot else after)
        if has_more:
            from_scratch = snapshot or continuing or cursor == 0
            next_cursor = -last if from_scratch and last < pruned else last
        else:
            # Caught up: at least the rep's counter, so a history that ends in pruned
            # tombstones does not look stale at the next pull.
            next_cursor = max(last, version)
        return PullResponse(
            cursor=next_cursor,
            changes=[self._record(r) for r in rows],
            has_more=has_more,
            snapshot=snapshot,
            last_applied_seq=device["last_seq"] if device else 0,
        )

    def _note_later(self, rep_id: int, client_id: str, now: datetime, outbox_size: int | None) -> None:
        """Record a pull (when, and the outbox size it reported) in a task of its own: the pull
        has answered already. Best effort: if it fails, a later pull notes it."""
        task = asyncio.get_running_loop().create_task(self._note_pull(rep_id, client_id, now, outbox_size))
        self._notes.add(task)
        task.add_done_callback(self._notes.discard)

    async def _note_pull(self, rep_id: int, client_id: str, now: datetime, outbox_size: int | None) -> None:
        try:
            async with write_transaction(self.engine):
                # A push may meet the new device at the same moment: the second insert does nothing.
                await SyncClient.insert(SyncClient(client_id=client_id, user=rep_id, created_at=now)).on_conflict(
                    target=(SyncClient.user, SyncClient.client_id), action="DO NOTHING")
                changes: dict = {SyncClient.last_pull_at: now}
                if outbox_size is not None:
                    changes[SyncClient.outbox_size] = outbox_size
                await SyncClient.update(changes).where(
                    (SyncClient.user == rep_id) & (SyncClient.client_id == client_id))
        except Exception as error:  # noqa: BLE001 - bookkeeping must never fail anything
            log.info("pull of device %s not noted: %s", client_id, error)

    # ------------------------------------------------------------------ tombstones
    async def prune_tombstones(self, chunk: int = 2000) -> int:
        """Remove tombstones deleted over TOMBSTONE_HORIZON ago; returns how many.

        Each rep's `pruned_through` rises to the newest version removed, so a device whose
        cursor is older gets a snapshot on its next pull (it may have missed a tombstone).
        Chunks of their own transactions: writers never wait long behind this."""
        cutoff = clock.now() - TOMBSTONE_HORIZON
        removed = 0
        while True:
            async with write_transaction(self.engine):
                rows = await Activity.select(Activity.id, Activity.user, Activity.version).where(
                    Activity.deleted_at.is_not_null() & (Activity.deleted_at < cutoff)).order_by(Activity.id).limit(chunk)
                if not rows:
                    return removed
                through: dict[int, int] = {}
                for row in rows:
                    through[row["user"]] = max(through.get(row["user"], 0), row["version"])
                for user, version in through.items():
                    await RepSyncState.update({RepSyncState.pruned_through: version}).where(
                        (RepSyncState.user == user) & (RepSyncState.pruned_through < version))
                await Activity.delete().where(Activity.id.is_in(id_list(r["id"] for r in rows)))
            removed += len(rows)
            log.info("pruned %d tombstones deleted before %s", len(rows), cutoff.isoformat())

    async def prune_loop(self, stop: asyncio.Event) -> None:
        """Prune tombstones now and every PRUNE_EVERY until `stop` (run by `serve`)."""
        while not stop.is_set():
            try:
                await self.prune_tombstones()
            except Exception:  # noqa: BLE001 - a busy database now is no reason to stop for good
                log.warning("pruning tombstones failed; trying again later", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PRUNE_EVERY.total_seconds())

    async def settle(self) -> None:
        """Wait for the pulls being noted (at shutdown, and in tests)."""
        while self._notes:
            await asyncio.gather(*list(self._notes), return_exceptions=True)

    @staticmethod
    def _record(row: dict) -> ActivityRecord:
        if row["deleted_at"] is not None:
            return ActivityRecord(id=row["uid"], version=row["version"], deleted=True, updated_at=row["updated_at"])
        return ActivityRecord(
            id=row["uid"], version=row["version"], deleted=False, activity_type_id=row["activity_type"],
            account_name=row["account_name"], outcome=row["outcome"], quality=row["quality"], note=row["note"],
            next_step=row["next_step"], follow_up_on=row["follow_up_on"], deal_value=row["deal_value"],
            occurred_at=row["occurred_at"], time_zone=row["time_zone"], week_start=row["week_start"],
            late=row["late"], updated_at=row["updated_at"],
        )

    # ------------------------------------------------------------------ settlement
    async def tally(self, user_id: int, start: date, end: date) -> Tally:
        """Distinct live activities of a rep between two local dates (inclusive),
        by type and quality. Recomputed every time: a replay can never count twice."""
        rows = await Activity.select(Activity.activity_type, Activity.quality, Activity.outcome, Count()).where(
            (Activity.user == user_id) & Activity.deleted_at.is_null()
            & (Activity.local_date >= start) & (Activity.local_date <= end)
        ).group_by(Activity.activity_type, Activity.quality, Activity.outcome)
        by_type: dict[int, dict[int, int]] = {}
        won = 0
        for row in rows:
            qualities = by_type.setdefault(row["activity_type"], {})
            qualities[row["quality"]] = qualities.get(row["quality"], 0) + row["count"]
            if row["outcome"] == "won":
                won += row["count"]
        return Tally(by_type=by_type, won=won)

    async def count_since(self, user_id: int, type_id: int, since: datetime, until: date) -> int:
        """Live activities of one type that happened at or after an instant, up to a local date."""
        return await Activity.count().where(
            (Activity.user == user_id) & (Activity.activity_type == type_id) & Activity.deleted_at.is_null()
            & (Activity.occurred_at >= since) & (Activity.local_date <= until))

    async def tally_many(self, user_ids: list[int], start: date, end: date) -> dict[int, Tally]:
        """tally() for many reps with one query."""
        if not user_ids:
            return {}
        rows = await Activity.select(Activity.user, Activity.activity_type, Activity.quality, Activity.outcome,
                                     Count()).where(
            Activity.user.is_in(id_list(user_ids)) & Activity.deleted_at.is_null()
            & (Activity.local_date >= start) & (Activity.local_date <= end)
        ).group_by(Activity.user, Activity.activity_type, Activity.quality, Activity.outcome)
        by_user: dict[int, dict[int, dict[int, int]]] = {}
        won: dict[int, int] = {}
        for row in rows:
            qualities = by_user.setdefault(row["user"], {}).setdefault(row["activity_type"], {})
            qualities[row["quality"]] = qualities.get(row["quality"], 0) + row["count"]
            if row["outcome"] == "won":
                won[row["user"]] = won.get(row["user"], 0) + row["count"]
        return {user: Tally(by_type=types, won=won.get(user, 0)) for user, types in by_user.items()}

    async def import_history(self, user_id: int, records: list[tuple[str, ActivityFields]]) -> int:
        """Store activities as they happened (demo data, imports), bypassing devices and
        seqs but not the rules: week attribution and versions are the same as a push.
        Ids already present are skipped. Returns how many were stored."""
        now = clock.now()
        async with write_transaction(self.engine):
            present = {r["uid"] for r in await Activity.select(Activity.uid).where(
                (Activity.user == user_id) & Activity.uid.is_in([uid for uid, _ in records] or [""]))}
            fresh = [(uid, fields) for uid, fields in records if uid not in present]
            if not fresh:
                return 0
            sql = TxSQL(self.engine)
            batch = _Batch(user_id, frozenset(), now, timedelta(0), await self._lock_version(sql, user_id),
                           sql.stored(now))
            start_version = batch.version
            for uid, fields in fresh:
                batch.write(uid, {**self._columns(now, fields), "late": False})
            await self._flush(sql, batch, receipts=[])
            await sql.execute('UPDATE rep_sync_state SET version = ? WHERE "user" = ?', batch.version, user_id)
        return batch.version - start_version

    async def weekly_tallies(self, user_ids: list[int], first_monday: date,
                             last_sunday: date) -> dict[int, dict[date, Tally]]:
        """Per rep and local week: tally() of each week in a range.

        Every change to a rep's activities raises their change counter (RepSyncState), so
        the answer for a rep is kept per (counter, range) and only reps whose counter moved
        are counted again: a manager refreshing the team screen costs one small read. Safe
        with several processes: each checks the counters in the database."""
        if not user_ids:
            return {}
        first, last = week_start(first_monday), week_start(last_sunday)
        versions = {r["user"]: r["version"] for r in await RepSyncState.select(
            RepSyncState.user, RepSyncState.version).where(RepSyncState.user.is_in(user_ids))}
        result: dict[int, dict[date, Tally]] = {}
        stale = []
        for user in user_ids:
            cached = self._tally_cache.get(user)
            if cached and cached[0] == (versions.get(user, 0), first, last):
                result[user] = cached[1]
            else:
                stale.append(user)
        if stale:
            counted = await self._weekly_tallies(stale, first, last)
            for user in stale:
                result[user] = counted.get(user, {})
                self._tally_cache[user] = ((versions.get(user, 0), first, last), result[user])
                self._tally_cache.move_to_end(user)
            while len(self._tally_cache) > TALLY_CACHE_REPS:
                self._tally_cache.popitem(last=False)
        return {user: weeks for user, weeks in result.items() if weeks}

    @staticmethod
    async def _weekly_tallies(user_ids: list[int], first: date, last: date) -> dict[int, dict[date, Tally]]:
        """One grouped query, selected by local week (week_start, derived from local_date at
        apply time) and grouped without outcome (won deals are summed): an index-only scan
        of activities_user_week_tally in group order."""
        rows = await Activity.select(
            Activity.user, Activity.week_start, Activity.activity_type, Activity.quality, Count(),
            Sum(QueryString("CASE WHEN outcome = 'won' THEN 1 ELSE 0 END"), alias="won"),
        ).where(
            Activity.user.is_in(user_ids) & Activity.deleted_at.is_null()
            & (Activity.week_start >= first) & (Activity.week_start <= last)
        ).group_by(Activity.user, Activity.week_start, Activity.activity_type, Activity.quality)
        by_week: dict[tuple[int, date], dict[int, dict[int, int]]] = {}
        won: dict[tuple[int, date], int] = {}
        for row in rows:
            key = (row["user"], row["week_start"])
            by_week.setdefault(key, {}).setdefault(row["activity_type"], {})[row["quality"]] = row["count"]
            if row["won"]:
                won[key] = won.get(key, 0) + row["won"]
        result: dict[int, dict[date, Tally]] = {}
        for (user, monday), types in by_week.items():
            result.setdefault(user, {})[monday] = Tally(by_type=types, won=won.get((user, monday), 0))
        return result

    async def last_activity_dates(self, user_ids: list[int], on_or_before: date) -> dict[int, date]:
        """Each rep's latest local date with a live activity, up to a date: one backward
        step in activities_user_local_date per rep, not a scan of all their history."""
        ids = sorted(set(user_ids)) or [0]
        rows = await Activity.raw(
            'SELECT u.id AS "user", (SELECT MAX(a.local_date) FROM activities a WHERE a."user" = u.id'
            ' AND a.deleted_at IS NULL AND a.local_date <= {}) AS "last"'
            f' FROM users u WHERE u.id IN ({", ".join("{}" for _ in ids)})', on_or_before, *ids)
        return {row["user"]: _as_date(row["last"]) for row in rows if row["last"] is not None}

    async def won_accounts(self, user_ids: list[int], start: date, end: date) -> dict[int, list[str]]:
        """Accounts of the deals each rep logged as won between two local dates."""
        rows = await Activity.select(Activity.user, Activity.account_name).where(
            Activity.user.is_in(user_ids or [0]) & Activity.deleted_at.is_null() & (Activity.outcome == "won")
            & (Activity.local_date >= start) & (Activity.local_date <= end)
        ).order_by(Activity.occurred_at)
        result: dict[int, list[str]] = {}
        for row in rows:
            result.setdefault(row["user"], []).append(row["account_name"] or "an account")
        return result

    async def recent(self, user_id: int, *, up_to: date, limit: int) -> list[dict]:
        """A rep's latest live activities up to a local date, newest first (rows)."""
        return await Activity.select().where(
            (Activity.user == user_id) & Activity.deleted_at.is_null() & (Activity.local_date <= up_to)
        ).order_by(Activity.occurred_at, ascending=False).limit(limit)

    async def export_pages(self, user_ids: list[int], start: date, end: date,
                           page: int = 2000) -> AsyncIterator[list[dict]]:
        """Live activities between two local dates, in pages ordered by id (keyset): a year
        of a large team streams in constant memory."""
        after = 0
        while True:
            rows = await Activity.select(
                Activity.id, Activity.uid, Activity.user, Activity.user.name, Activity.activity_type,
                Activity.account_name, Activity.outcome, Activity.quality, Activity.note, Activity.next_step,
                Activity.follow_up_on, Activity.deal_value, Activity.occurred_at, Activity.time_zone,
                Activity.local_date, Activity.week_start, Activity.late,
            ).where(
                Activity.user.is_in(user_ids or [0]) & Activity.deleted_at.is_null() & (Activity.id > after)
                & (Activity.local_date >= start) & (Activity.local_date <= end)
            ).order_by(Activity.id).limit(page)
            if not rows:
                return
            yield rows
            after = rows[-1]["id"]

    async def import_device(self, user_id: int, client_id: str, last_sync_at: datetime, outbox_size: int) -> None:
        """Record a device's sync state as it was (demo data, migrations from another tool)."""
        async with write_transaction(self.engine):
            found = await SyncClient.select(SyncClient.id).where(
                (SyncClient.user == user_id) & (SyncClient.client_id == client_id)).first()
            values = {SyncClient.last_push_at: last_sync_at, SyncClient.last_pull_at: last_sync_at,
                      SyncClient.outbox_size: outbox_size}
            if found:
                await SyncClient.update(values).where(SyncClient.id == found["id"])
            else:
                await SyncClient.insert(SyncClient(client_id=client_id, user=user_id, last_push_at=last_sync_at,
                                                   last_pull_at=last_sync_at, outbox_size=outbox_size,
                                                   created_at=last_sync_at))

    # ------------------------------------------------------------------ what managers see
    async def devices_of(self, user_ids: list[int]) -> dict[int, list[DeviceSync]]:
        """Each rep's devices, most recently synced first."""
        devices = await SyncClient.select().where(SyncClient.user.is_in(user_ids or [0]))
        by_rep: dict[int, list[dict]] = {}
        for device in devices:
            by_rep.setdefault(device["user"], []).append(device)
        return {
            user: [DeviceSync(client_id=d["client_id"], last_push_at=d["last_push_at"],
                              last_pull_at=d["last_pull_at"], outbox_size=d["outbox_size"],
                              clock_skew_seconds=d["skew_seconds"] if d["clock_known"] else None)
                   for d in sorted(rows, key=lambda d: d["last_push_at"] or d["created_at"], reverse=True)]
            for user, rows in by_rep.items()
        }

    async def team_sync(self, who: Principal, team_id: int) -> list[RepSync]:
        if not who.can_manage_team(team_id):
            raise NotFound("That team does not exist or is not yours.")
        reps = await self.accounts.team_reps(team_id)
        devices = await self.devices_of([r.id for r in reps])
        result = []
        for rep in reps:
            rows = devices.get(rep.id, [])
            result.append(RepSync(user_id=rep.id, name=rep.name, last_sync_at=last_sync(rows),
                                  pending=any(d.outbox_size > 0 for d in rows), devices=rows))
        return result


def _instant(value) -> datetime | None:
    """An aware instant from a payload's or a row's value (SQLite rows may hold text)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else None
    return None


# A pull is noted (last_pull_at) when the last note is older than this, or the outbox size
# it reports changed: the manager's "last synced" is to this precision, at no write a pull.
PULL_NOTE_EVERY = timedelta(minutes=5)


def pull_worth_noting(device: dict | None, now: datetime, outbox_size: int | None) -> bool:
    if device is None or device["last_pull_at"] is None:
        return True
    if outbox_size is not None and outbox_size != device["outbox_size"]:
        return True
    return now - device["last_pull_at"] >= PULL_NOTE_EVERY


def size_hint() -> dict:
    """What a 413 tells the device so it can split its batch (docs/sync-protocol.md)."""
    return {"max_batch": MAX_BATCH, "max_body_bytes": MAX_BODY_BYTES, "max_mutation_bytes": MAX_MUTATION_BYTES}


@lru_cache(maxsize=256)
def _today_in(now: datetime, zone: str) -> date:
    """local_date of a push's `now`: the same for every mutation of the batch in that zone."""
    return local_date(now, zone)


def last_sync(devices: list[DeviceSync]) -> datetime | None:
    """When any of a rep's devices last talked to the server (push or pull)."""
    moments = [m for d in devices for m in (d.last_push_at, d.last_pull_at) if m]
    return max(moments) if moments else None


def _as_date(value) -> date:
    # SQLite's MAX() over a date column comes back as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
