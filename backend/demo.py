"""Demo data for trying Followthrough: `followthrough demo`.

Seeding is a list of steps, each idempotent and each given the app's services, so later
issues add activity history by appending a step.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from backend.core import clock
from backend.core.weeks import local_date, local_wall_time, week_start
from shared_schemas import PlanTarget, UpdatePreferences

DEMO_PASSWORD = "demo-pass-2026"
DEMO_TEAM = "Demo team"
HISTORY_WEEKS = 8
# The manager's zone: the team screen opens on the manager's week, so the whole story is
# told about that week. Using each rep's own week instead broke the story whenever a rep's
# day differs from the manager's (Sunday evening in Chicago is already Monday in Berlin).
TEAM_ZONE = "Europe/Berlin"


def demo_week(now: datetime) -> date:
    """The Monday of the week the demo's story is about (the manager's this week)."""
    return week_start(local_date(now, TEAM_ZONE))


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    time_zone: str


DEMO_USERS = [
    DemoUser("admin@demo.test", "Ada Admin", "admin", "Europe/London"),
    DemoUser("manager@demo.test", "Morgan Manager", "manager", "Europe/Berlin"),
    DemoUser("rep1@demo.test", "Riley Fischer", "rep", "Europe/Berlin"),
    DemoUser("rep2@demo.test", "Sam Okafor", "rep", "Europe/London"),
    DemoUser("rep3@demo.test", "Jordan Silva", "rep", "America/New_York"),
    DemoUser("rep4@demo.test", "Taylor Nguyen", "rep", "America/Chicago"),
    DemoUser("rep5@demo.test", "Casey Kowalski", "rep", "Europe/Warsaw"),
    DemoUser("rep6@demo.test", "Avery Patel", "rep", "Asia/Kolkata"),
]

# Each rep's own answer to "How would you like to be held accountable?" (rep6 has not answered yet).
DEMO_PREFERENCES = {
    "rep1@demo.test": ("daily", [0, 1, 2, 3, 4], ["17:30"], "often", "named"),
    "rep2@demo.test": ("weekly", [0, 4], ["08:30"], "autonomy", "named"),
    "rep3@demo.test": ("not_sure", [0, 1, 2, 3, 4], ["17:00"], "not_sure", "not_sure"),
    "rep4@demo.test": ("twice_weekly", [1, 3], ["16:00"], "often", "anonymous"),
    "rep5@demo.test": ("weekly", [0, 2, 4], ["12:30", "18:00"], "autonomy", "manager_only"),
}

# Weekly targets per rep: call, visit, meeting, proposal, follow_up.
DEMO_TARGETS = {
    "rep1@demo.test": (40, 6, 8, 3, 10),
    "rep2@demo.test": (30, 10, 6, 2, 8),
    "rep3@demo.test": (50, 2, 10, 4, 12),
    "rep4@demo.test": (25, 12, 5, 2, 6),
    "rep5@demo.test": (35, 8, 7, 3, 9),
    "rep6@demo.test": (45, 4, 9, 3, 11),
}
COMMITMENTS = [
    "Book 2 demos with existing accounts",
    "Call back every lead from the trade fair",
    "Ask for a referral after each won deal",
    "Prepare proposals the same day as the meeting",
    "Block Tuesday morning for prospecting calls",
    "Visit the three accounts that went quiet",
]
DEMO_EXPECTATIONS = """What we measure: calls, visits, meetings, proposals and follow-ups — the things you control.
Quality counts: each activity type says when it counts (for a call: you reached a person).
Plans: commit yours by Monday 12:00 your time; adjust mid-week with a reason, that's fine.
Check-ins: a weekly 1:1, with your own reflection first.
Missed a plan? We look at the process together — what got in the way, what would help — not at blame."""


async def seed_accounts(services: Any) -> None:
    accounts = services.accounts
    team_id = await accounts.team_id_by_name(DEMO_TEAM)
    if team_id is None:
        team_id = (await accounts.create_team(DEMO_TEAM, [])).id
    existing = await accounts.existing_emails([u.email for u in DEMO_USERS])
    # Everyone joined before the history begins (the review asks nothing of anyone before they joined).
    joined_at = clock.now() - timedelta(weeks=HISTORY_WEEKS + 2)
    for user in DEMO_USERS:
        if user.email in existing:
            continue
        await accounts.create_user(
            email=user.email,
            name=user.name,
            password=DEMO_PASSWORD,
            role=user.role,
            team_id=team_id if user.role != "admin" else None,
            time_zone=user.time_zone,
            joined_at=joined_at,
        )


async def _demo_ids(services: Any) -> tuple[int, dict[str, int]]:
    team_id = await services.accounts.team_id_by_name(DEMO_TEAM)
    reps = await services.accounts.team_reps(team_id, active_only=False)
    names = {u.name: u.email for u in DEMO_USERS}
    return team_id, {names[r.name]: r.id for r in reps if r.name in names}


async def seed_plans(services: Any) -> None:
    """Plans for the last 8 weeks and this week; most committed and acknowledged."""
    plans = services.plans
    team_id, rep_ids = await _demo_ids(services)
    type_ids = await plans.team_type_ids(team_id)
    keys = ["call", "visit", "meeting", "proposal", "follow_up"]
    manager_id = await _manager_id(services)
    rng = random.Random(2026)  # the same demo every time
    now = clock.now()
    this_week = demo_week(now)
    for email, user_id in sorted(rep_ids.items()):
        zone = next(u.time_zone for u in DEMO_USERS if u.email == email)
        for weeks_ago in range(HISTORY_WEEKS, -1, -1):
            monday = this_week - timedelta(weeks=weeks_ago)
            if weeks_ago == 0 and email in ("rep3@demo.test", "rep6@demo.test"):
                continue  # two reps have not committed this week's plan yet
            wobble = [max(1, round(t * rng.uniform(0.85, 1.15))) for t in DEMO_TARGETS[email]]
            committed_at = local_wall_time(monday, time(rng.randint(8, 11), rng.choice([0, 15, 30, 45])), zone)
            # A rep whose Monday has not begun yet committed on Sunday; nothing in the future.
            committed_at = min(committed_at, now - timedelta(hours=4))
            acknowledged = weeks_ago > 0 or email in ("rep1@demo.test", "rep2@demo.test")
            await plans.import_plan(
                user_id=user_id, monday=monday,
                targets=[PlanTarget(activity_type_id=type_ids[k], target=n) for k, n in zip(keys, wobble, strict=True)],
                commitments=rng.sample(COMMITMENTS, k=rng.randint(1, 2)),
                committed_at=committed_at,
                acknowledged_by=manager_id if acknowledged else None,
                acknowledged_at=committed_at + timedelta(hours=3) if acknowledged else None,
            )


async def _manager_id(services: Any) -> int | None:
    team_id = await services.accounts.team_id_by_name(DEMO_TEAM)
    managers = await services.accounts.team_managers(team_id)
    return managers[0].id if managers else None


async def seed_preferences(services: Any) -> None:
    _, rep_ids = await _demo_ids(services)
    answered = await services.plans.preferences_of(list(rep_ids.values()))
    for email, (rhythm, days, times, style, visibility) in DEMO_PREFERENCES.items():
        user_id = rep_ids.get(email)
        if user_id is None or answered[user_id].answered:
            continue
        await services.plans.set_preferences(user_id, UpdatePreferences(
            checkin_rhythm=rhythm, reminder_days=days, reminder_times=times, style=style, visibility=visibility))


async def seed_expectations(services: Any) -> None:
    team_id, _ = await _demo_ids(services)
    manager_id = await _manager_id(services)
    from backend.accounts.service import Principal

    who = Principal(user_id=manager_id, role="manager", team_id=None, managed_team_ids=frozenset({team_id}),
                    session_hash="")
    if not (await services.plans.expectations(who, team_id)).text:
        await services.plans.update_expectations(who, team_id, DEMO_EXPECTATIONS)


ACCOUNTS = ["Northwind Traders", "Contoso Pharma", "Fabrikam Foods", "Tailspin Logistics", "Wingtip Hotels",
            "Litware Labs", "Proseware Clinics", "Adatum Energy", "Lucerne Builders", "Alpine Ski House",
            "Coho Winery", "Woodgrove Bank"]
OUTCOMES = ["next_step", "next_step", "follow_up", "follow_up", "no_interest", "proposal_requested", "lost", "won"]
KEYS = ["call", "visit", "meeting", "proposal", "follow_up"]
GOOD_QUALITY = ([2, 3, 4, 5], [2, 4, 3, 1])
LOW_QUALITY = ([1, 2, 3], [4, 3, 1])
HIGH_QUALITY = ([3, 4, 5], [3, 4, 2])


def _delivery(email: str, weeks_ago: int, rng: random.Random) -> float:
    """How much of their plan each demo rep delivers, week by week, so that every review
    signal shows whatever the day of the week (see DEMO_STORY)."""
    if email == "rep4@demo.test":  # Taylor: on plan the last 3 finished weeks, not the 4th: a streak milestone
        return {0: 0.5, 1: 1.1, 2: 1.1, 3: 1.1, 4: 0.6}.get(weeks_ago, rng.uniform(0.85, 1.05))
    if email == "rep6@demo.test":  # Avery: well below plan until 3 weeks ago, on plan since: most improved
        return 0.9 if weeks_ago == 0 else 1.05 if weeks_ago <= 2 else rng.uniform(0.5, 0.65)
    base = {"rep1@demo.test": 1.0, "rep2@demo.test": 0.95, "rep3@demo.test": 0.75, "rep5@demo.test": 0.85}[email]
    return base * rng.uniform(0.85, 1.1)


def _quality(email: str, weeks_ago: int) -> tuple[list[int], list[int]]:
    if email == "rep5@demo.test" and weeks_ago <= 2:  # Casey: quality slipped in the last weeks
        return LOW_QUALITY
    return HIGH_QUALITY if email == "rep4@demo.test" else GOOD_QUALITY


def _count(email: str, key: str, target: int, weeks_ago: int, counts: dict[str, int], rng: random.Random) -> int:
    if key == "proposal" and email == "rep1@demo.test":
        # Riley: meetings stopped turning into proposals lately (and were never strong).
        return round(counts["meeting"] * (0.05 if weeks_ago <= 2 else 0.25))
    return round(target * _delivery(email, weeks_ago, rng))


def _quiet_from(email: str, today: date) -> date | None:
    """Sam has logged nothing for the last 3 working days (Mon–Fri): the "silent" signal."""
    if email != "rep2@demo.test":
        return None
    day, working = today, 0
    while working < 4:
        day -= timedelta(days=1)
        working += day.weekday() < 5
    return day + timedelta(days=1)


DEMO_STORY = """Demo team, in the review screen (any day of the week):
  Riley Fischer   meetings rarely turn into proposals lately: conversion drop, weakest stage vs the team
  Sam Okafor      nothing logged for 3 working days: silent
  Jordan Silva    "not sure" on how to be held accountable; no plan this week
  Taylor Nguyen   3 weeks in a row on plan: a streak milestone
  Casey Kowalski  a phone with logs waiting to sync (pending sync, not "off plan"); quality slipped
  Avery Patel     most improved; has not said how to be held accountable; no plan this week"""


async def seed_activity(services: Any) -> None:
    """8 weeks of logged activity for every demo rep, and this week up to now, following
    their plans with each rep's own story (DEMO_STORY); ids are fixed, so a second run adds nothing."""

    from shared_schemas import ActivityFields

    team_id, rep_ids = await _demo_ids(services)
    type_ids = await services.plans.team_type_ids(team_id)
    now = clock.now()
    for email, user_id in sorted(rep_ids.items()):
        zone = next(u.time_zone for u in DEMO_USERS if u.email == email)
        rng = random.Random(f"activity-{email}")
        today = local_date(now, zone)
        this_week = demo_week(now)
        quiet_from = _quiet_from(email, today)
        plans = (await services.plans.plans_between([user_id], this_week - timedelta(weeks=HISTORY_WEEKS),
                                                    this_week)).get(user_id, {})
        records = []
        for weeks_ago in range(HISTORY_WEEKS, -1, -1):
            monday = this_week - timedelta(weeks=weeks_ago)
            plan = plans.get(monday)
            counts: dict[str, int] = {}
            for key, default in zip(KEYS, DEMO_TARGETS[email], strict=True):
                target = plan.targets.get(type_ids[key], default) if plan else default
                counts[key] = _count(email, key, target, weeks_ago, counts, rng)
                qualities, weights = _quality(email, weeks_ago)
                for n in range(counts[key]):
                    day = monday + timedelta(days=rng.randrange(5))
                    at = local_wall_time(day, time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])), zone)
                    if at > now - timedelta(minutes=30) or (quiet_from and day >= quiet_from):
                        continue  # nothing in the future (this week stops at now); Sam's quiet days
                    uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"followthrough-demo/{email}/{monday}/{key}/{n}"))
                    account = rng.choice(ACCOUNTS)
                    outcome = rng.choice(OUTCOMES) if key in ("meeting", "proposal") else rng.choice(OUTCOMES[:6])
                    if outcome == "won" and email == "rep2@demo.test" and weeks_ago == 0:
                        outcome = "next_step"  # Sam's week is the silent one: nothing to praise
                    records.append((uid, ActivityFields(
                        activity_type_id=type_ids[key], account_name=account, outcome=outcome,
                        occurred_at=at, time_zone=zone, quality=rng.choices(qualities, weights)[0])))
        for start in range(0, len(records), 500):
            await services.activities.import_history(user_id, records[start:start + 500])


async def seed_devices(services: Any) -> None:
    """One phone per rep that synced a few minutes ago; Casey's still holds 2 logs."""

    _, rep_ids = await _demo_ids(services)
    now = clock.now()
    for email, user_id in sorted(rep_ids.items()):
        waiting = 2 if email == "rep5@demo.test" else 0
        last_sync = now - timedelta(hours=20) if waiting else now - timedelta(minutes=12)
        client_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"followthrough-demo/{email}/phone"))
        await services.activities.import_device(user_id, client_id, last_sync, waiting)


# Agreed 1:1 times (rep-local): weekday (0 = Monday), time.
DEMO_CHECKINS = {"rep1@demo.test": (3, "14:00"), "rep2@demo.test": (0, "10:00"), "rep3@demo.test": (1, "15:00"),
                 "rep4@demo.test": (3, "09:00"), "rep5@demo.test": (2, "16:00"), "rep6@demo.test": (4, "11:00")}


async def seed_coaching(services: Any) -> None:
    """Last week's 1:1s with notes and commitments (whose status the app now works out by
    itself), reflections, agreed check-in times and some kudos; idempotent."""
    from backend.core.weeks import local_start_of_day
    from shared_schemas import ReflectionFields

    team_id, rep_ids = await _demo_ids(services)
    manager_id = await _manager_id(services)
    types = await services.plans.team_type_ids(team_id)
    people = await services.accounts.people(list(rep_ids.values()))
    now = clock.now()
    for email, user_id in sorted(rep_ids.items()):
        weekday, wall = DEMO_CHECKINS[email]
        await services.coaching.import_schedule(user_id, [weekday], wall, manager_id)
    stories = {
        "rep1@demo.test": ([("Proposals stall after good meetings: ask what happens in the 24 hours after.", False),
                            ("Agreed: draft the proposal the same day as the meeting.", True)],
                           [("Send 3 proposals", 1, types["proposal"], 3, None),
                            ("Ask the Contoso champion who else decides", 1, None, None, None)]),
        "rep4@demo.test": ([("Keep doing what works: the Tuesday call block.", True)],
                           [("Keep Tuesday morning for prospecting calls", 1, types["call"], 10, None),
                            ("Visit the three accounts that went quiet", 1, None, None, "met")]),
        "rep5@demo.test": ([("Visits are getting rushed; quality dropped. Ask what is squeezing the week.", False),
                            ("Agreed: fewer, better-prepared visits.", True)],
                           [("Send 6 proposals", 1, types["proposal"], 6, None),
                            ("Book 30 calls with decision makers", 1, types["call"], 30, None)]),
        "rep2@demo.test": ([("Wants more autonomy; check in only on the plan.", False)],
                           [("Try the new pricing sheet with two customers", 8, None, None, None)]),
    }
    for email, (notes, commitments) in stories.items():
        rep = people[rep_ids[email]]
        this_week = demo_week(now)
        weekday, wall = DEMO_CHECKINS[email]
        last_week_day = this_week - timedelta(days=7) + timedelta(days=weekday)
        hour, minute = (int(x) for x in wall.split(":"))
        started = local_wall_time(last_week_day, time(hour, minute), rep.time_zone)
        friday = this_week - timedelta(days=3)
        await services.coaching.import_checkin(
            rep=rep, manager_id=manager_id, started_at=started, closed=True, notes=notes,
            commitments=[(text, friday if days == 1 else last_week_day + timedelta(days=days), type_id, count, verdict)
                         for text, days, type_id, count, verdict in commitments],
            key=f"demo-checkin-{email}-{this_week}")
        last_monday = this_week - timedelta(weeks=1)
        await services.coaching.import_reflection(rep.id, str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo/{email}/reflection")),
                                                  ReflectionFields(
            week_start=last_monday, wins="Two good first meetings at Northwind Traders.",
            stuck="Getting past the front desk at Fabrikam Foods.", differently="Call before 9, when the boss picks up.",
            help_wanted="A one-page case study for the food sector.", self_rating=3),
            started - timedelta(hours=3))
    taylor, avery = people[rep_ids["rep4@demo.test"]], people[rep_ids["rep6@demo.test"]]
    last_monday = demo_week(now) - timedelta(weeks=1)
    await services.review.import_kudos(
        rep_id=taylor.id, sender_id=manager_id, message="Two weeks on plan in a row, and the Tuesday block is paying off.",
        signal=None, reason=None, monday=last_monday, at=local_start_of_day(last_monday + timedelta(days=4),
                                                                              taylor.time_zone) + timedelta(hours=16),
        key="demo-kudos-taylor", seen=True)
    await services.review.import_kudos(
        rep_id=avery.id, sender_id=manager_id, message="What a month: from half the plan to all of it. Thank you!",
        signal="most_improved", reason=None, monday=demo_week(now),
        at=now - timedelta(hours=1), key="demo-kudos-avery", seen=False)


SEED_STEPS: list[Callable[[Any], Awaitable[None]]] = [
    seed_accounts, seed_preferences, seed_plans, seed_expectations, seed_activity, seed_devices, seed_coaching,
]


async def seed_demo(services: Any) -> None:
    """services: the app's state (accounts, plans, …)."""
    for step in SEED_STEPS:
        await step(services)


def demo_logins_text() -> str:
    lines = [f"  {u.role:<8} {u.email}" for u in DEMO_USERS if u.role != "rep"]
    reps = [u.email for u in DEMO_USERS if u.role == "rep"]
    lines.append(f"  {'rep':<8} {reps[0]} … {reps[-1]}")
    return "\n".join(lines) + f"\n  password {DEMO_PASSWORD}"
