"""Triage calibration: does "needs a conversation" name the reps who need one? (issue 16)

    .venv/bin/python bench/triage.py                 # teams of 8, 30 and 50 reps, 16 weeks
    .venv/bin/python bench/triage.py --sizes 8 30 --weeks 16 --seed 7

In a fresh SQLite database (a temp DATA_DIR) it generates teams whose reps each follow a
known behaviour over --weeks weeks, through the services the app itself uses (accounts,
plans, activities: the same week attribution and rules as a real push), then reads each
team's review with the real Review service at three moments of the current week
(Wednesday 15:00, Thursday 11:00 and Friday 16:00 in the manager's zone). The generated
truth says who needs a conversation (slipping, sudden silence, low quality, a conversion
drop) and who deserves kudos (a star, the one improving rep, a deal won this week, this
week's plan delivered already, or 3+ finished weeks generated on plan); the others are fine (noisy but fine, a new hire mid-period, a phone with a
sync backlog). It prints, per team size and in all:

- precision and recall of "needs a conversation" (attention "talk") against the truth,
- precision of kudos (attention "kudos"),
- the share of an *ordinary* team (steady and noisy reps only) flagged "talk",
- flags where there must be none: for a week before a rep joined, or while a phone holds
  the week's logs (pending sync).

Targets: precision >= 0.85 and recall >= 0.90 for needs-a-conversation, precision >= 0.85
for kudos, <= 30% of an ordinary team flagged, zero flags before a start or while pending.
The baseline in the same run is the screen before the diagnosis: every rep with any
conversation signal counted as "needs a conversation" (what managers saw: 6 of 6).
Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
_DATA = Path(tempfile.mkdtemp(prefix="followthrough-triage-"))
os.environ.update({"DATA_DIR": str(_DATA), "DATABASE_URL": f"sqlite:///{_DATA / 'triage.db'}",
                   "SECRET_KEY": "bench", "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024",
                   "PICCOLO_CONF": "backend.piccolo_conf"})

MANAGER_ZONE = "Europe/Berlin"
ZONES = ["Europe/Berlin", "Europe/London", "Europe/Warsaw", "Europe/Madrid"]
PASSWORD = "triage-bench-pass-2026"
KEYS = ["call", "visit", "meeting", "proposal", "follow_up"]
TARGETS = {"call": 20, "visit": 5, "meeting": 6, "proposal": 2, "follow_up": 6}
GOOD = ([3, 4, 5], [4, 4, 2])  # every type's bar is 2 or 3: delivered is qualifying
POOR = ([1, 2], [3, 1])
OUTCOMES = ["next_step", "next_step", "follow_up", "follow_up", "no_interest", "proposal_requested"]
# The current week is anchored on a fixed Monday so every run sees the same calendar.
MONDAY = date(2026, 11, 23)
MOMENTS = [(2, wall(15)), (3, wall(11)), (4, wall(16))]  # (weekday, manager-local time)
EXPLAIN = "--explain" in sys.argv

TALK = {"slipping", "silence", "low_quality", "conversion_drop"}
ORDINARY = ["steady", "noisy", "steady", "noisy", "star"]


@dataclass(frozen=True)
class Rep:
    behaviour: str
    email: str
    zone: str


def team_of(size: int, ordinary: bool) -> list[str]:
    """Behaviours for a team: an ordinary one has only steady, noisy and star reps; a mixed
    one about a quarter that need a conversation, one improving rep, a new hire and a phone
    with a sync backlog, the rest ordinary."""
    if ordinary:
        return [ORDINARY[i % len(ORDINARY)] for i in range(size)]
    problems = ["slipping", "silence", "low_quality", "conversion_drop"]
    special = ["improving", "new_hire", "pending", "time_off"]
    n_problems = max(4, round(size * 0.25))
    behaviours = [problems[i % 4] for i in range(n_problems)] + special
    behaviours += [ORDINARY[i % len(ORDINARY)] for i in range(size - len(behaviours))]
    return behaviours[:size]


def delivery(behaviour: str, weeks_ago: int, rng: random.Random) -> float:
    if behaviour == "star":
        return rng.uniform(1.1, 1.25)
    if behaviour == "noisy":
        return rng.uniform(0.8, 1.2)
    if behaviour == "slipping":
        return {0: 0.3, 1: 0.45, 2: 0.55}.get(weeks_ago, rng.uniform(0.95, 1.1))
    if behaviour == "improving":
        return rng.uniform(1.0, 1.1) if weeks_ago <= 2 else rng.uniform(0.5, 0.6)
    return rng.uniform(0.95, 1.1)


async def seed(services, size: int, weeks: int, ordinary: bool, label: str, now: datetime) -> dict:
    """A team of `size` reps with `weeks` weeks of history up to `now`; returns the team id,
    the manager's principal and the truth per rep id."""
    from backend.accounts.service import Principal
    from shared_schemas import ActivityFields, NewTimeOff, PlanTarget

    accounts, plans, activities = services.accounts, services.plans, services.activities
    team = (await accounts.create_team(f"Triage {label}", [])).id
    joined = now - timedelta(weeks=weeks + 1)
    manager = await accounts.create_user(email=f"manager-{label}@triage.test", name=f"Manager {label}",
                                         password=PASSWORD, role="manager", team_id=team, time_zone=MANAGER_ZONE,
                                         joined_at=joined)
    type_ids = await plans.team_type_ids(team)
    manager_who = Principal(user_id=manager, role="manager", team_id=None, managed_team_ids=frozenset({team}),
                            session_hash="")
    truth: dict[int, str] = {}
    starts: dict[int, date] = {}
    shares: dict[int, dict[int, float]] = {}  # weeks ago -> the share of the plan generated
    for n, behaviour in enumerate(team_of(size, ordinary)):
        zone = ZONES[n % len(ZONES)]
        tz = ZoneInfo(zone)
        rng = random.Random(f"{label}-{n}")
        start = now - timedelta(weeks=5, days=2) if behaviour == "new_hire" else joined
        user_id = await accounts.create_user(email=f"rep{n}-{label}@triage.test", name=f"Rep {label} {n:02d}",
                                             password=PASSWORD, role="rep", team_id=team, time_zone=zone,
                                             joined_at=start)
        truth[user_id] = behaviour
        starts[user_id] = start.astimezone(tz).date()
        today = now.astimezone(tz).date()
        quiet_from = today - timedelta(days=6) if behaviour == "silence" else None
        away = (MONDAY, MONDAY + timedelta(days=2)) if behaviour == "time_off" else None  # off Mon-Wed
        records = []
        for weeks_ago in range(weeks, -1, -1):
            monday = MONDAY - timedelta(weeks=weeks_ago)
            if monday + timedelta(days=6) < starts[user_id]:
                continue  # nothing before they joined
            committed_at = min(datetime.combine(monday, wall(9), tzinfo=tz).astimezone(UTC), now - timedelta(hours=1))
            wobble = {k: max(1, round(t * rng.uniform(0.9, 1.1))) for k, t in TARGETS.items()}
            await plans.import_plan(
                user_id=user_id, monday=monday,
                targets=[PlanTarget(activity_type_id=type_ids[k], target=v) for k, v in wobble.items()],
                commitments=["Keep the Tuesday call block"], committed_at=committed_at,
                acknowledged_by=manager, acknowledged_at=committed_at + timedelta(minutes=30))
            share = delivery(behaviour, weeks_ago, rng)
            shares.setdefault(user_id, {})[weeks_ago] = share
            counts = {k: round(v * share * rng.uniform(0.9, 1.1)) for k, v in wobble.items()}
            if behaviour == "conversion_drop":
                counts["proposal"] = 0 if weeks_ago <= 2 else counts["proposal"] + 1
            poor = behaviour == "low_quality" and weeks_ago <= 2
            for key, count in counts.items():
                for i in range(count):
                    day = monday + timedelta(days=rng.randrange(5))
                    at = datetime.combine(day, wall(rng.randint(8, 17), rng.choice([0, 15, 30, 45])),
                                          tzinfo=tz).astimezone(UTC)
                    if at > now - timedelta(minutes=30) or (quiet_from and day >= quiet_from):
                        continue  # nothing in the future; the silent rep's quiet days
                    if behaviour == "pending" and at > now - timedelta(hours=30):
                        continue  # still on the phone
                    if day < starts[user_id] or (away and away[0] <= day <= away[1]):
                        continue
                    qualities, weights = POOR if poor else GOOD
                    uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"triage/{label}/{n}/{monday}/{key}/{i}"))
                    won = behaviour == "star" and weeks_ago == 0 and key == "proposal" and i == 0
                    records.append((uid, ActivityFields(
                        activity_type_id=type_ids[key], account_name=f"Account {rng.randrange(40)}",
                        outcome="won" if won else rng.choice(OUTCOMES), occurred_at=at, time_zone=zone,
                        quality=rng.choices(qualities, weights)[0])))
        for first in range(0, len(records), 500):
            await activities.import_history(user_id, records[first:first + 500])
        if away:
            await plans.time_off.add(manager_who, user_id, NewTimeOff(first_day=away[0], last_day=away[1],
                                                                       note="Trade fair"))
        backlog = behaviour == "pending"
        await activities.import_device(user_id, str(uuid.uuid5(uuid.NAMESPACE_URL, f"triage/{label}/{n}/phone")),
                                       now - timedelta(hours=30) if backlog else now - timedelta(minutes=20),
                                       5 if backlog else 0)
    return {"team": team, "who": manager_who, "truth": truth, "starts": starts, "shares": shares}


def deserves_kudos(behaviour: str, shares: dict[int, float], won: bool) -> bool:
    """The generated truth: a star or the improving rep, a deal won this week, this week's
    plan already delivered, or 3+ finished weeks in a row generated on plan (>= 95%)."""
    if behaviour in ("star", "improving") or won or shares.get(0, 0) >= 1.0:
        return True
    run = 0
    while shares.get(run + 1, 0) >= 0.95:
        run += 1
    return run >= 3


@dataclass
class Tally:
    talk_tp: int = 0
    talk_fp: int = 0
    talk_fn: int = 0
    kudos_tp: int = 0
    kudos_fp: int = 0
    old_flagged: int = 0  # the screen before the diagnosis: any conversation signal
    reps: int = 0
    before_start: int = 0
    while_pending: int = 0
    on_time_off: int = 0
    ordinary_flagged: int = 0
    ordinary_reps: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "n/a"


async def judge(services, team: dict, moment: datetime, ordinary: bool) -> Tally:
    from backend.core import clock

    clock.set_clock(lambda: moment)
    review = await services.review.team_review(team["who"], team["team"], None)
    tally = Tally()
    for row in review.rows:
        behaviour = team["truth"][row.user_id]
        won = any(s.kind == "won_deal" for s in row.signals)
        tally.reps += 1
        talk = row.attention == "talk"
        tally.old_flagged += any(s.group == "conversation" for s in row.signals)
        if ordinary:
            tally.ordinary_reps += 1
            tally.ordinary_flagged += talk
            continue
        tally.talk_tp += talk and behaviour in TALK
        tally.talk_fp += talk and behaviour not in TALK
        tally.talk_fn += not talk and behaviour in TALK
        if row.attention == "kudos":
            deserving = behaviour not in TALK and deserves_kudos(behaviour, team["shares"][row.user_id], won)
            tally.kudos_tp += deserving
            tally.kudos_fp += not deserving
            if not deserving and EXPLAIN:
                print(f"  kudos for a {behaviour} rep at {moment:%a %H:%M}: {row.why}")
        if EXPLAIN and talk != (behaviour in TALK):
            print(f"  {'talk' if talk else 'missed'}: {behaviour} rep at {moment:%a %H:%M} ({row.attention}): "
                  + "; ".join(f"{s.kind}/{s.severity}: {s.reason}" for s in row.signals if s.group == "conversation"))
        if row.pending_sync and talk:
            tally.while_pending += 1
        if behaviour == "time_off" and talk:
            tally.on_time_off += 1
    # A week before the new hire joined: they must not appear at all.
    for user_id, start in team["starts"].items():
        monday = start - timedelta(days=start.weekday())
        if team["truth"][user_id] == "new_hire":
            earlier = await services.review.team_review(team["who"], team["team"], monday - timedelta(weeks=1))
            tally.before_start += sum(1 for r in earlier.rows if r.user_id == user_id)
    clock.set_clock(None)
    return tally


async def main(sizes: list[int], weeks: int) -> None:
    from backend.cli import _migrate, _services
    from backend.core import clock
    from backend.core.db import close_pool, start_pool

    await _migrate()
    services = _services()
    await start_pool(services.engine)
    tz = ZoneInfo(MANAGER_ZONE)
    try:
        totals = Tally()
        print(f"Triage calibration: {weeks} weeks of history, moments Wed 15:00, Thu 11:00, Fri 16:00 "
              f"({MANAGER_ZONE}), week of {MONDAY}")
        print(f"{'team':<14} {'talk precision':>14} {'talk recall':>12} {'kudos precision':>16} "
              f"{'flagged':>8} {'before':>8} {'secs':>7}")
        for size in sizes:
            size_tally = Tally()
            for ordinary in (False, True):
                label = f"{size}-{'ordinary' if ordinary else 'mixed'}"
                team_tally = Tally()
                started = time.perf_counter()
                # A team of its own per moment: its history stops at that moment, as a real one's would.
                for weekday, at in MOMENTS:
                    moment = datetime.combine(MONDAY + timedelta(days=weekday), at, tzinfo=tz).astimezone(UTC)
                    clock.set_clock(lambda moment=moment: moment)
                    team = await seed(services, size, weeks, ordinary, f"{label}-{weekday}", moment)
                    team_tally.add(await judge(services, team, moment, ordinary))
                clock.set_clock(None)
                seconds = time.perf_counter() - started
                size_tally.add(team_tally)
                print(f"{label:<14} {ratio(team_tally.talk_tp, team_tally.talk_tp + team_tally.talk_fp):>14} "
                      f"{ratio(team_tally.talk_tp, team_tally.talk_tp + team_tally.talk_fn):>12} "
                      f"{ratio(team_tally.kudos_tp, team_tally.kudos_tp + team_tally.kudos_fp):>16} "
                      f"{ratio(team_tally.talk_tp + team_tally.talk_fp + team_tally.ordinary_flagged, team_tally.reps):>8} "
                      f"{'' if ordinary else 'was ' + ratio(team_tally.old_flagged, team_tally.reps):>8} {seconds:>7.1f}")
            totals.add(size_tally)
        t = totals
        print()
        print(f"needs a conversation: precision {ratio(t.talk_tp, t.talk_tp + t.talk_fp)} (target >= 0.85), "
              f"recall {ratio(t.talk_tp, t.talk_tp + t.talk_fn)} (target >= 0.90)")
        print(f"kudos: precision {ratio(t.kudos_tp, t.kudos_tp + t.kudos_fp)} (target >= 0.85)")
        print(f"ordinary teams flagged: {ratio(t.ordinary_flagged, t.ordinary_reps)} of reps (target <= 0.30)")
        print(f"baseline (before the diagnosis, any conversation signal): {ratio(t.old_flagged, t.reps)} of all "
              f"reps flagged; with the diagnosis {ratio(t.talk_tp + t.talk_fp + t.ordinary_flagged, t.reps)}")
        print(f"flags before a rep joined: {t.before_start} (target 0); talk while pending sync: "
              f"{t.while_pending} (target 0); talk for a rep back from or on time off: {t.on_time_off} (target 0)")
    finally:
        await close_pool(services.engine)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 30, 50])
    parser.add_argument("--weeks", type=int, default=16)
    parser.add_argument("--explain", action="store_true", help="print each wrong call with its signals")
    args = parser.parse_args()
    asyncio.run(main(args.sizes, args.weeks))
