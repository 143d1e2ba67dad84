"""Pure rules of the manager alerts: when each kind is due, which reps an alert lists and
how it reads. No I/O; tested in tests/test_alert_rules.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from backend.reminders.rules import Occurrence, occurrences

KINDS = ("pace", "plans", "reflections", "help", "commitments")
# Which outbox events each event kind lists (the other two kinds are read live).
EVENTS_OF = {"plans": ("plan_committed", "plan_changed"), "reflections": ("reflection",),
             "help": ("help_wanted", "reply")}
URLS = {"pace": "/team", "plans": "/plans", "reflections": "/team", "help": "/team", "commitments": "/team"}
NAMES_IN_BODY = 4  # a push shows a few names; the inbox lists everyone
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Choice:
    """A manager's alerts (the defaults until they choose)."""

    pace: bool = True
    pace_weekday: int = 2  # Wednesday: "who is behind by Wednesday 11:00"
    pace_time: str = "11:00"
    plans: bool = True
    reflections: bool = True
    help: bool = True
    commitments: bool = True
    # Working days at 13:00: after Monday's 12:00 plan deadline, and before afternoon 1:1s
    # (whose reflection prompt goes out two hours ahead).
    digest_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    digest_time: str = "13:00"

    def enabled(self, kind: str) -> bool:
        return bool(getattr(self, kind))


@dataclass(frozen=True)
class Due:
    kind: str
    occurrence: Occurrence


@dataclass(frozen=True)
class Listed:
    """A rep in an alert, with what happened in words (never a note's or reflection's text)."""

    user_id: int
    name: str
    detail: str


def _wall(text: str) -> time:
    return time(int(text[:2]), int(text[3:5]))


def due(choice: Choice, zone: str, start: datetime, end: datetime) -> list[Due]:
    """Each enabled kind's occurrences with start <= fire_at < end: the pace check on its
    weekday and time, the other kinds at the digest time on the digest days, in `zone`.
    Each kind has at most one occurrence per local day."""
    found: list[Due] = []
    for kind in KINDS:
        if not choice.enabled(kind):
            continue
        if kind == "pace":
            days, wall = (choice.pace_weekday,), choice.pace_time
        else:
            days, wall = choice.digest_days, choice.digest_time
        found.extend(Due(kind, o) for o in occurrences(days, [_wall(wall)], zone, start, end))
    return sorted(found, key=lambda d: (d.occurrence.fire_at, KINDS.index(d.kind)))


def window(last_covers_until: datetime | None, fire_at: datetime, read_at: datetime,
           first: timedelta = timedelta(days=7), settle: timedelta = timedelta(seconds=10)) -> tuple[datetime, datetime]:
    """The events a digest lists: from where the kind's last digest stopped (a first one
    looks back `first`) up to a little before they are read, so that an event whose
    transaction commits just after the read falls in the next digest, never in none."""
    until = min(fire_at, read_at) - settle
    since = last_covers_until if last_covers_until is not None else fire_at - first
    return since, max(since, until)


@dataclass(frozen=True)
class Event:
    kind: str
    rep_id: int
    week_start: date
    at: datetime


def from_events(kind: str, events: Iterable[Event], names: dict[int, str]) -> list[Listed]:
    """One line per rep (in name order) for an event kind: what they did since the last
    digest. Reps no longer known (`names`) are left out."""
    wanted = EVENTS_OF[kind]
    by_rep: dict[int, list[Event]] = {}
    for event in events:
        if event.kind in wanted and event.rep_id in names:
            by_rep.setdefault(event.rep_id, []).append(event)
    listed = []
    for rep_id, happened in by_rep.items():
        listed.append(Listed(rep_id, names[rep_id], _detail(kind, happened)))
    return sorted(listed, key=lambda item: (item.name.lower(), item.user_id))


def _week_words(monday: date) -> str:
    return f"the week of {monday.day} {monday:%b}"


def _detail(kind: str, happened: list[Event]) -> str:
    weeks = sorted({e.week_start for e in happened})
    on = " and ".join(_week_words(w) for w in weeks)
    kinds = {e.kind for e in happened}
    if kind == "plans":
        changes = sum(1 for e in happened if e.kind == "plan_changed")
        parts = []
        if "plan_committed" in kinds:
            parts.append("committed a plan")
        if changes:
            parts.append("changed a plan" + (f" ({changes} times)" if changes > 1 else ""))
        return f"{' and '.join(parts)} for {on}"
    if kind == "reflections":
        return f"reflected on {on}"
    parts = []
    if "help_wanted" in kinds:
        parts.append("asked for help in a reflection")
    if "reply" in kinds:
        parts.append("replied on a plan")
    return " and ".join(parts)


@dataclass(frozen=True)
class ReviewedRep:
    """What the review diagnosed for a rep this week (review.service.team_review's row)."""

    user_id: int
    name: str
    attention: str
    why: str | None
    behind_reason: str | None  # the behind_pace signal's words, when it has one


def behind(rows: Iterable[ReviewedRep]) -> list[Listed]:
    """The pace check: reps the review says to talk to, or who are behind pace, in the
    review's order (worst first). Nothing is re-diagnosed here."""
    return [Listed(r.user_id, r.name, r.why or r.behind_reason or "needs a conversation") for r in rows
            if r.attention == "talk" or r.behind_reason is not None]


def compose(kind: str, listed: Sequence[Listed], when: Occurrence) -> tuple[str, str]:
    """The alert's title and body. The body names the first few reps; the inbox has all."""
    count = len(listed)
    reps = "1 rep" if count == 1 else f"{count} reps"
    titles = {
        "pace": f"Behind by {WEEKDAY_NAMES[when.local_date.weekday()]} {when.wall_time:%H:%M}: {reps}",
        "plans": f"Plans committed or changed: {reps}",
        "reflections": f"Reflections written: {reps}",
        "help": f"Asked for help or replied: {reps}",
        "commitments": f"Commitments due today: {reps}",
    }
    shown = [f"{item.name} ({item.detail})" for item in listed[:NAMES_IN_BODY]]
    more = count - len(shown)
    body = "; ".join(shown) + (f"; and {more} more" if more > 0 else "") + "."
    return titles[kind], body
