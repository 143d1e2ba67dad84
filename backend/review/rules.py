"""Pure review rules: the signals on the team screen, streaks, the funnel diagnosis, gaps.

No I/O. Every threshold comes from `Thresholds`, which a team tunes. Property- and unit-
tested in tests/test_review_rules.py. Words matter here: every signal carries its reason
in plain language, about what the rep does (the process), never a verdict on the person.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Literal

from backend.core.weeks import working_days_in
from backend.plans.rules import Tally

Group = Literal["conversation", "kudos"]
WEEKDAY_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass(frozen=True)
class Thresholds:
    behind_share: float = 0.8
    behind_share_often: float = 0.9
    behind_share_autonomy: float = 0.6
    silent_working_days: int = 2
    quality_share_min: float = 0.6
    quality_min_activities: int = 10
    conversion_drop: float = 0.4
    recent_weeks: int = 2
    baseline_weeks: int = 8
    on_plan_share: float = 0.9
    improved_by: float = 0.15
    streak_milestones: tuple[int, ...] = (3, 5, 8, 12, 26, 52)
    # A ratio needs this many at the stage it converts from (the team's plan setting).
    min_data_points: int = 10

    def behind_share_for(self, style: str | None) -> float:
        """Reps who asked to be checked on often are flagged earlier; autonomy, later."""
        return {"often": self.behind_share_often, "autonomy": self.behind_share_autonomy}.get(
            style or "", self.behind_share)


Severity = Literal["talk", "watch"]
# How much stronger than the rep's own threshold a signal must be to be worth a
# conversation now ("talk") rather than an eye kept on it ("watch"). bench/triage.py
# measures what these give on generated teams (precision, recall, share flagged).
FAR_BEHIND = 0.6  # qualifying below 60% of the rep's own behind share (0.48 of pace by default)
FAR_BEHIND_MIN_EXPECTED = 5  # ...with at least this much expected by now (a Monday morning says little)
QUALITY_FAR_BELOW = 0.75  # the qualifying share below 75% of the team's minimum (45% by default)
STEEP_DROP = 0.5  # a conversion ratio below half of what a "drop" already is
COMMITMENTS_MANY = 2  # commitments not kept


@dataclass(frozen=True)
class Signal:
    kind: str
    group: Group
    reason: str
    activity_type_id: int | None = None
    # Conversation signals: "talk" when the evidence is worth a conversation now, "watch"
    # otherwise. Kudos signals: None.
    severity: Severity | None = None


@dataclass(frozen=True)
class TypeWeek:
    """Plan vs actual on one activity type in one week, with the pace as of the review."""

    type_id: int
    name: str
    target: int
    total: int
    qualifying: int
    expected_by_now: int
    status: str


def pct(value: Fraction | float) -> str:
    return f"{round(float(value) * 100)}%"


def share(value: float | Fraction) -> Fraction:
    """A threshold as an exact fraction: 0.9 is 9/10, not 0.90000000000000002."""
    return value if isinstance(value, Fraction) else _decimal_fraction(value)


@functools.lru_cache(maxsize=256, typed=True)
def _decimal_fraction(value: float) -> Fraction:
    # Parsing the decimal text is the slow part, and a team screen asks for the same few
    # thresholds hundreds of times.
    return Fraction(str(value))


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ----------------------------------------------------------------------------- delivery
def attainment(progress: Sequence[TypeWeek]) -> Fraction | None:
    """Share of the plan delivered, each type capped at its target (so 20 extra calls do
    not hide a missing proposal). None when the week has no targets."""
    planned = [p for p in progress if p.target > 0]
    total = sum(p.target for p in planned)
    if not total:
        return None
    return Fraction(sum(min(p.qualifying, p.target) for p in planned), total)


def plan_met(progress: Sequence[TypeWeek]) -> bool:
    planned = [p for p in progress if p.target > 0]
    return bool(planned) and all(p.qualifying >= p.target for p in planned)


def streak(attainments: Sequence[Fraction | None], on_plan_share: float, *, current_running: bool) -> int:
    """Weeks in a row on plan, counted back from the newest week (last in the list).

    A running week joins the streak once it is on plan already; until then it neither
    extends nor breaks it. A week without a plan breaks it.
    """
    weeks = list(attainments)
    needed = share(on_plan_share)
    if current_running and weeks and (weeks[-1] is None or weeks[-1] < needed):
        weeks = weeks[:-1]
    count = 0
    for value in reversed(weeks):
        if value is None or value < needed:
            break
        count += 1
    return count


def worst_status(progress: Sequence[TypeWeek]) -> str:
    order = ["behind", "on_track", "ahead", "done"]
    planned = [p.status for p in progress if p.target > 0]
    if not planned:
        return "no_plan"
    return min(planned, key=order.index)


# ----------------------------------------------------------------------------- conversation signals
def behind_pace(progress: Sequence[TypeWeek], style: str | None, thresholds: Thresholds, *,
                current: bool, recent_attainment: Fraction | None = None) -> Signal | None:
    """Qualifying activity below the rep's share of what a steady pace needs by now.
    Worth a conversation when far behind, or behind again after finished weeks below the
    same share (recent_attainment: delivery over the recent finished weeks): slipping."""
    planned = [p for p in progress if p.target > 0]
    expected = sum(p.expected_by_now for p in planned)
    if not expected:
        return None
    # Capped per type: 20 extra calls do not hide a missing proposal.
    done = sum(min(p.qualifying, p.expected_by_now) for p in planned)
    threshold = thresholds.behind_share_for(style)
    if Fraction(done, expected) >= share(threshold):
        return None
    behind = sorted((p for p in planned if p.qualifying < p.expected_by_now),
                    key=lambda p: Fraction(p.qualifying, p.expected_by_now))
    details = "; ".join(
        f"{p.name}: {p.qualifying} of {p.target}" + (f", a steady pace needs {p.expected_by_now} by now" if current
                                                      else "")
        for p in behind[:3])
    lead = (f"At {pct(Fraction(done, expected))} of the pace the plan needs so far" if current
            else f"Delivered {pct(Fraction(done, expected))} of the plan")
    style_note = {"often": " (asked to be checked on often)", "autonomy": " (prefers autonomy)"}.get(style or "", "")
    far = Fraction(done, expected) < share(threshold) * share(FAR_BEHIND) and expected >= FAR_BEHIND_MIN_EXPECTED
    slipping = recent_attainment is not None and recent_attainment < share(threshold) and \
        expected >= FAR_BEHIND_MIN_EXPECTED
    if slipping and not far:
        details += f"; the last {plural(thresholds.recent_weeks, 'week')} delivered {pct(recent_attainment)} of plan"
    return Signal("behind_pace", "conversation", f"{lead}{style_note}. {details}.",
                  behind[0].type_id if behind else None, "talk" if far or slipping else "watch")


def working_days_between(after: date, before: date, working_weekdays: Iterable[int],
                         holidays: Iterable[date] = ()) -> int:
    """Working days strictly after `after` and strictly before `before`."""
    off = set(holidays)
    return sum(1 for d in working_days_in(after + timedelta(days=1), before, working_weekdays) if d not in off)


def silent(last_activity_on: date | None, today: date, working_weekdays: Iterable[int], holidays: Iterable[date],
           thresholds: Thresholds, started_on: date | None = None) -> Signal | None:
    """No activity for N full working days (today is not over, so it does not count).
    started_on: the day the rep joined; days before it are not quiet days."""
    if last_activity_on is None or (started_on is not None and last_activity_on < started_on):
        if started_on is None:
            return Signal("silent", "conversation", "Nothing logged yet.", severity="talk")
        quiet = working_days_between(started_on - timedelta(days=1), today, working_weekdays, holidays)
        if quiet < thresholds.silent_working_days:
            return None
        return Signal("silent", "conversation",
                      f"Nothing logged in {plural(quiet, 'working day')} since joining on "
                      f"{WEEKDAY_SHORT[started_on.weekday()]} {started_on.day} {started_on.strftime('%b')}.",
                      severity=_silent_severity(quiet, thresholds))
    quiet = working_days_between(last_activity_on, today, working_weekdays, holidays)
    if quiet < thresholds.silent_working_days:
        return None
    return Signal("silent", "conversation",
                  f"No activity logged for {plural(quiet, 'working day')} "
                  f"(last on {WEEKDAY_SHORT[last_activity_on.weekday()]} {last_activity_on.day} "
                  f"{last_activity_on.strftime('%b')}).", severity=_silent_severity(quiet, thresholds))


def _silent_severity(quiet: int, thresholds: Thresholds) -> Severity:
    """A day past the team's silence threshold is worth a conversation; the first day, a look."""
    return "talk" if quiet > thresholds.silent_working_days else "watch"


def qualifying_share(progress: Sequence[TypeWeek]) -> tuple[int, int]:
    return sum(p.qualifying for p in progress), sum(p.total for p in progress)


def low_quality(progress: Sequence[TypeWeek], thresholds: Thresholds, period: str = "this week") -> Signal | None:
    """The share of activities meeting their type's bar is below the team's minimum.
    period names the weeks `progress` covers, in words."""
    qualifying, total = qualifying_share(progress)
    if total < thresholds.quality_min_activities:
        return None
    got = Fraction(qualifying, total)
    if got >= share(thresholds.quality_share_min):
        return None
    # The weakest type with a few logs at least (1 of 1 says little).
    counted = [p for p in progress if p.total >= 3] or [p for p in progress if p.total]
    weakest = min(counted, key=lambda p: Fraction(p.qualifying, p.total))
    far = got < share(thresholds.quality_share_min) * share(QUALITY_FAR_BELOW)
    return Signal("low_quality", "conversation",
                  f"{qualifying} of {total} activities {period} met the team's quality bar ({pct(got)}; "
                  f"the team looks for {pct(thresholds.quality_share_min)}). "
                  f"Lowest: {weakest.name.lower()}, {weakest.qualifying} of {weakest.total}.",
                  weakest.type_id, "talk" if far else "watch")


def combined(*weeks: Sequence[TypeWeek]) -> list[TypeWeek]:
    """Several weeks' counts per type added up (targets and pace are not meaningful)."""
    by_type: dict[int, TypeWeek] = {}
    for week in weeks:
        for p in week:
            seen = by_type.get(p.type_id)
            by_type[p.type_id] = TypeWeek(p.type_id, p.name, 0, p.total + (seen.total if seen else 0),
                                          p.qualifying + (seen.qualifying if seen else 0), 0, "no_plan")
    return list(by_type.values())


@dataclass(frozen=True)
class Stage:
    type_id: int
    name: str


def stage_flow(tallies: Iterable[Tally], stages: Sequence[Stage]) -> tuple[list[int], int]:
    """Totals of each funnel stage and won deals over some weeks."""
    tallies = list(tallies)
    return [sum(tally.total(s.type_id) for tally in tallies) for s in stages], sum(tally.won for tally in tallies)


def stage_ratios(counts: Sequence[int], won: int, min_points: int) -> list[Fraction | None]:
    """Each stage's conversion into the next (the last: into won deals); None where the
    stage it converts from has fewer than min_points."""
    flow = [*counts, won]
    return [Fraction(min(lower, upper), upper) if upper >= min_points else None
            for upper, lower in zip(flow, flow[1:], strict=False)]


def next_name(stages: Sequence[Stage], index: int) -> str:
    return stages[index + 1].name.lower() + "s" if index + 1 < len(stages) else "won deals"


def conversion_drops(recent: Sequence[Fraction | None], baseline: Sequence[Fraction | None],
                     stages: Sequence[Stage], thresholds: Thresholds) -> list[Signal]:
    """Stages whose recent ratio fell below (1 - conversion_drop) of the rep's own baseline."""
    signals = []
    keep = 1 - share(thresholds.conversion_drop)
    for i, (now, before) in enumerate(zip(recent, baseline, strict=True)):
        if now is None or before is None or before == 0 or now >= before * keep:
            continue
        steep = now < before * keep * share(STEEP_DROP)
        signals.append(Signal(
            "conversion_drop", "conversation",
            f"{stages[i].name}s turn into {next_name(stages, i)} at {pct(now)} over the last "
            f"{plural(thresholds.recent_weeks, 'week')}, down from {pct(before)} in the "
            f"{thresholds.baseline_weeks} weeks before.",
            stages[i].type_id, "talk" if steep else "watch"))
    return signals


def no_plan(committed: bool, deadline_passed: bool, deadline_words: str, *, joined_after_deadline: bool = False,
            missed_last_week: bool = False, current: bool = True) -> Signal | None:
    """A missed plan deadline; not for a rep who joined after it (new_rep says what to do).
    Worth a conversation when the week before had no plan either; once, a look."""
    if committed or not deadline_passed or joined_after_deadline:
        return None
    week, before = ("this week", "last week") if current else ("that week", "the week before")
    if missed_last_week:
        return Signal("no_plan", "conversation",
                      f"No plan committed for {week} (due {deadline_words}), nor for {before}.", severity="talk")
    return Signal("no_plan", "conversation", f"No plan committed for {week} (due {deadline_words}).",
                  severity="watch")


def new_rep(started_on: date | None, monday: date, committed: bool) -> Signal | None:
    """A rep in their first week without a plan yet: a welcome and a first plan, together."""
    if started_on is None or committed or not monday <= started_on <= monday + timedelta(days=6):
        return None
    return Signal("new_rep", "conversation",
                  f"New on the team since {WEEKDAY_SHORT[started_on.weekday()]} {started_on.day} "
                  f"{started_on.strftime('%b')}: welcome them and set up a first plan together.", severity="watch")


def on_time_off(signals: Sequence[Signal]) -> list[Signal]:
    """A rep away (off today, or every working day of the reviewed week) is not judged:
    nobody is there to talk to, and there is no plan, pace or silence to hold them to. Kudos
    stay, for their return."""
    return [s for s in signals if s.group != "conversation"]


def time_off_words(off_until: date | None, week_off: bool, current: bool) -> str | None:
    """What a screen shows instead of flags for a rep away: 'Off until Fri 11 Dec.'"""
    if off_until is not None:
        return f"Off until {WEEKDAY_SHORT[off_until.weekday()]} {off_until.day} {off_until.strftime('%b')}."
    if week_off:
        return "Off all this week." if current else "Off all that week."
    return None


NOT_SURE_WORDS = {"checkin_rhythm": "how often to check in", "style": "how to be held accountable",
                  "visibility": "how visible to be on team views"}


def not_sure(answered: bool, not_sure_fields: Sequence[str]) -> Signal | None:
    if not answered:
        return Signal("not_sure", "conversation",
                      "Has not said yet how they want to be held accountable: agree on it together.", severity="watch")
    if not not_sure_fields:
        return None
    topics = [NOT_SURE_WORDS[f] for f in not_sure_fields if f in NOT_SURE_WORDS]
    return Signal("not_sure", "conversation",
                  f"Answered \u201cnot sure yet\u201d on {_join(topics)}: a good question to explore together.",
                  severity="watch")


@dataclass(frozen=True)
class CommitmentCheck:
    """A commitment from the last check-in and whether it was kept (coaching provides these)."""

    text: str
    status: Literal["met", "partly", "not_met", "open"]


def commitments_missed(commitments: Sequence[CommitmentCheck], *, at_least: int = 1) -> Signal | None:
    missed = [c for c in commitments if c.status in ("not_met", "partly")]
    if len(missed) < at_least:
        return None
    shown = "; ".join(f"\u201c{c.text}\u201d" for c in missed[:2])
    return Signal("commitments_missed", "conversation",
                  f"{plural(len(missed), 'commitment')} from recent check-ins not kept: {shown}. "
                  "What got in the way?", severity="talk" if len(missed) >= COMMITMENTS_MANY else "watch")


# ----------------------------------------------------------------------------- kudos signals
def plan_met_signal(progress: Sequence[TypeWeek], *, current: bool) -> Signal | None:
    if not plan_met(progress):
        return None
    planned = [p for p in progress if p.target > 0]
    beaten = [p for p in planned if p.qualifying > p.target]
    words = "Plan met" + (" already" if current else "") + (
        f", and beaten on {_join([p.name.lower() for p in beaten])}" if beaten else "")
    return Signal("plan_met", "kudos", words + ".")


def streak_milestone(length: int, milestones: Iterable[int]) -> Signal | None:
    if length not in set(milestones):
        return None
    return Signal("streak_milestone", "kudos", f"{length} weeks in a row on plan.")


def won_deal(accounts: Sequence[str], *, current: bool = True) -> Signal | None:
    if not accounts:
        return None
    names = sorted(set(accounts))
    shown = _join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return Signal("won_deal", "kudos",
                  f"Won {plural(len(accounts), 'deal')} {'this' if current else 'that'} week: {shown}.")


def most_improved(changes: dict[int, tuple[Fraction | None, Fraction | None]],
                  thresholds: Thresholds) -> tuple[int, Signal] | None:
    """The one rep whose recent delivery rose most above their own baseline, if by enough.
    changes: user id -> (recent attainment, baseline attainment)."""
    best: tuple[Fraction, int, Fraction, Fraction] | None = None
    for user_id, (recent, baseline) in sorted(changes.items()):
        if recent is None or baseline is None:
            continue
        gain = recent - baseline
        if gain >= share(thresholds.improved_by) and (best is None or gain > best[0]):
            best = (gain, user_id, recent, baseline)
    if best is None:
        return None
    _, user_id, recent, baseline = best
    return user_id, Signal("most_improved", "kudos",
                           f"Most improved: {pct(recent)} of plan over the last "
                           f"{plural(thresholds.recent_weeks, 'week')}, up from {pct(baseline)}.")


def mean(values: Iterable[Fraction | None]) -> Fraction | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    # Exact, over one common denominator: adding Fractions one by one reduces each sum.
    common = math.lcm(*(v.denominator for v in present))
    return Fraction(sum(v.numerator * (common // v.denominator) for v in present), common * len(present))


# ----------------------------------------------------------------------------- sync
@dataclass(frozen=True)
class DeviceState:
    last_sync_at: datetime | None
    outbox_size: int


def pending_sync(devices: Sequence[DeviceState], expected_from: datetime | None, expected_words: str,
                 week_end: datetime | None = None) -> str | None:
    """Why the numbers of a week may be incomplete, or None.

    expected_from: the start of the last working day the review counts on (None when
    there is none yet). A device that has not synced during or since that day may still
    hold its logs. A rep with no device at all has nothing pending.
    week_end: the end of the reviewed week. A device that synced after it had sent what
    it held of that week, so what it holds now is newer: a finished week it synced after
    is complete (Casey's two waiting logs do not make every past week "pending").
    """
    if week_end is not None:
        devices = [d for d in devices if d.last_sync_at is None or d.last_sync_at < week_end]
    waiting = sum(d.outbox_size for d in devices)
    if waiting:
        return f"{plural(waiting, 'log')} waiting on a device to sync."
    if not devices or expected_from is None:
        return None
    synced = [d.last_sync_at for d in devices if d.last_sync_at]
    last = max(synced) if synced else None
    if last is None or last < expected_from:
        return f"No sync since before {expected_words}: logs may still be on the phone."
    return None


# ----------------------------------------------------------------------------- the diagnosis
# How strong each kind of evidence is, to rank who to talk to first.
CONVERSATION_WEIGHT = {"silent": 5, "behind_pace": 4, "commitments_missed": 3, "new_rep": 3, "conversion_drop": 2,
                       "low_quality": 2, "no_plan": 2, "not_sure": 1}
KUDOS_WEIGHT = {"streak_milestone": 3, "most_improved": 3, "plan_met": 2, "won_deal": 1}
# The gap a conversation signal opens, for the question to start with (questions.LIBRARY).
SIGNAL_GAP = {"silent": "silent", "behind_pace": "low_volume", "low_quality": "low_quality",
              "conversion_drop": "weak_conversion", "no_plan": "no_plan", "new_rep": "new_rep",
              "commitments_missed": "commitments", "not_sure": "not_sure"}
Attention = Literal["talk", "watch", "kudos", "ok", "pending", "away"]


@dataclass(frozen=True)
class RepWeek:
    """The one diagnosis of a rep-week that every screen shows (team card, drill-down,
    check-in, scrum): the signals with their severity, the attention in one word, why,
    and how strongly (to rank the team)."""

    signals: tuple[Signal, ...]
    attention: Attention
    why: str | None
    talk_score: int
    kudos_score: int

    pending_reason: str | None = None

    def gaps(self) -> list[GapFinding]:
        """What this week's evidence says to coach first, strongest first (the drill-down
        and the check-in list these before what the weeks before suggest)."""
        found = [GapFinding("pending_sync", self.pending_reason)] if self.pending_reason else []
        for signal in sorted((s for s in self.signals if s.group == "conversation"), key=_strength, reverse=True):
            kind = SIGNAL_GAP.get(signal.kind)
            if kind and all(g.kind != kind for g in found):
                found.append(GapFinding(kind, signal.reason, signal.activity_type_id))
        return found


def _strength(signal: Signal) -> tuple[int, int]:
    return (signal.severity == "talk", CONVERSATION_WEIGHT.get(signal.kind, 1))


def diagnose(signals: Sequence[Signal], *, pending_reason: str | None, kudos_sent: int,
             away: str | None = None) -> RepWeek:
    """A rep away (declared time off: `away` says until when) is not judged at all. While a
    device still holds the week's logs nothing is judged either: every conversation signal
    is only worth a look ("watch") and the rep is "pending". Otherwise a single "talk"
    signal makes the rep one to talk to; kudos come next, unless already sent."""
    if away:
        kept = tuple(s for s in signals if s.group != "conversation")
        return RepWeek(kept, "away", away, 0, 0, None)
    if pending_reason:
        signals = [replace(s, severity="watch") if s.group == "conversation" else s for s in signals]
    conversation = sorted((s for s in signals if s.group == "conversation"), key=_strength, reverse=True)
    kudos = sorted((s for s in signals if s.group == "kudos"), key=lambda s: -KUDOS_WEIGHT.get(s.kind, 1))
    talk = [s for s in conversation if s.severity == "talk"]
    talk_score = sum(10 * CONVERSATION_WEIGHT.get(s.kind, 1) for s in talk) + \
        sum(CONVERSATION_WEIGHT.get(s.kind, 1) for s in conversation if s.severity != "talk")
    kudos_score = sum(KUDOS_WEIGHT.get(s.kind, 1) for s in kudos)
    if pending_reason:
        attention, why = "pending", pending_reason
    elif talk:
        attention, why = "talk", talk[0].reason
    elif kudos and not kudos_sent:
        attention, why = "kudos", kudos[0].reason
    elif conversation:
        attention, why = "watch", conversation[0].reason
    else:
        attention, why = "ok", kudos[0].reason if kudos else None
    return RepWeek(tuple(signals), attention, why, talk_score if attention == "talk" else 0,
                   kudos_score if attention == "kudos" else 0, pending_reason)


def first_few(team_size: int) -> int:
    """How many reps a "first" list names: a few, a tenth of a big team."""
    return max(3, math.ceil(team_size / 10))


def talk_first(weeks: dict[int, tuple[str, RepWeek]]) -> list[int]:
    """The reps to talk to first (user ids): strongest evidence first, at most first_few.
    weeks: user id -> (name, diagnosis)."""
    talking = [(-d.talk_score, name.lower(), uid) for uid, (name, d) in weeks.items() if d.attention == "talk"]
    return [uid for *_, uid in sorted(talking)[:first_few(len(weeks))]]


def kudos_first(weeks: dict[int, tuple[str, RepWeek]]) -> list[int]:
    """Who most deserves kudos and has none yet this week (user ids), at most first_few."""
    deserving = [(-d.kudos_score, name.lower(), uid) for uid, (name, d) in weeks.items() if d.attention == "kudos"]
    return [uid for *_, uid in sorted(deserving)[:first_few(len(weeks))]]


ATTENTION_ORDER = {"talk": 0, "pending": 1, "kudos": 2, "watch": 3, "away": 4, "ok": 5}


def attention_key(week: RepWeek, name: str) -> tuple:
    """The team's order: who to talk to (strongest first), pending sync, kudos waiting,
    reps to watch, then the rest, by name."""
    return (ATTENTION_ORDER[week.attention], -week.talk_score, -week.kudos_score, name.lower())


# ----------------------------------------------------------------------------- funnel diagnosis
def median(values: Iterable[Fraction | float | None]) -> Fraction | None:
    present = [share(v) for v in values if v is not None]
    return Fraction(statistics.median(present)) if present else None


@dataclass(frozen=True)
class Diagnosis:
    weakest: int | None
    summary: str


def weakest_stage(rep: Sequence[Fraction | None], team: Sequence[Fraction | None], stages: Sequence[Stage],
                  *, below: float = 0.8) -> Diagnosis:
    """The stage where the rep converts furthest below the team's median (at most `below`
    of it), in plain words."""
    if not stages:
        return Diagnosis(None, "The team has no funnel stages set up.")
    candidates = [(r / t, i) for i, (r, t) in enumerate(zip(rep, team, strict=True))
                  if r is not None and t is not None and t > 0]
    if not candidates:
        return Diagnosis(None, "Not enough logged activity yet to compare this rep's funnel with the team's.")
    lowest, index = min(candidates)
    if lowest > share(below):
        return Diagnosis(None, "No stage stands out: every stage converts close to the team's median or better.")
    return Diagnosis(index, f"{stages[index].name}s turn into {next_name(stages, index)} at {pct(rep[index])}; "
                            f"the team's median is {pct(team[index])}.")


@dataclass(frozen=True)
class GapFinding:
    kind: str
    reason: str
    activity_type_id: int | None = None


@dataclass(frozen=True)
class GapInputs:
    committed: bool
    recent_attainment: Fraction | None
    weekly_attainments: Sequence[Fraction | None]
    volume_vs_team: Fraction | None
    qualifying: int
    total: int
    diagnosis: Diagnosis
    stages: Sequence[Stage] = field(default_factory=tuple)
    # This week's evidence (RepWeek.gaps), coached first.
    now: Sequence[GapFinding] = ()


def gaps(inputs: GapInputs, thresholds: Thresholds) -> list[GapFinding]:
    """What this rep may need help with, most useful to coach first: this week's evidence,
    then what the weeks before suggest."""
    found: list[GapFinding] = list(inputs.now)
    if not inputs.committed:
        found.append(GapFinding("no_plan", "No committed plan for this week."))
    if inputs.diagnosis.weakest is not None:
        found.append(GapFinding("weak_conversion", inputs.diagnosis.summary,
                                inputs.stages[inputs.diagnosis.weakest].type_id))
    low_plan = inputs.recent_attainment is not None and inputs.recent_attainment < share(thresholds.behind_share)
    low_team = inputs.volume_vs_team is not None and inputs.volume_vs_team < Fraction(3, 4)
    if low_plan or low_team:
        words = []
        if low_plan:
            words.append(f"{pct(inputs.recent_attainment)} of plan over the last "
                         f"{plural(thresholds.recent_weeks, 'week')}")
        if low_team:
            words.append(f"activity volume at {pct(inputs.volume_vs_team)} of the team's median")
        found.append(GapFinding("low_volume", _join(words).capitalize() + "."))
    if inputs.total >= thresholds.quality_min_activities and \
            Fraction(inputs.qualifying, inputs.total) < share(thresholds.quality_share_min):
        found.append(GapFinding("low_quality", f"{pct(Fraction(inputs.qualifying, inputs.total))} of activities "
                                               "met the quality bar recently."))
    weekly = [float(a) for a in inputs.weekly_attainments if a is not None]
    if len(weekly) >= 4 and statistics.pstdev(weekly) >= 0.2:
        found.append(GapFinding("inconsistency", f"Weeks swing between {pct(min(weekly))} and {pct(max(weekly))} "
                                                 "of plan."))
    kinds: set[str] = set()
    return [g for g in found if not (g.kind in kinds or kinds.add(g.kind))]


def pick_questions(gap_kinds: Sequence[str], questions: Sequence[tuple[str, str]], rotation: int,
                   *, want: int = 3) -> list[str]:
    """2–3 question ids that fit the gaps, most important gap first, rotating weekly so a
    rep does not hear the same questions every time. questions: (id, gap) pairs.
    Without any gap, questions that stretch a rep who is doing well ("growth")."""
    kinds = list(dict.fromkeys(gap_kinds)) or ["growth"]
    pools = {kind: [qid for qid, gap in questions if gap == kind] for kind in kinds}
    picked: list[str] = []
    round_ = 0
    while len(picked) < want and any(len(pool) > round_ for pool in pools.values()):
        for kind in kinds:
            pool = pools[kind]
            if len(pool) > round_ and len(picked) < want:
                picked.append(pool[(rotation + round_) % len(pool)])
        round_ += 1
    if len(picked) < 2 and "growth" not in kinds:
        growth = [qid for qid, gap in questions if gap == "growth"]
        picked.extend(growth[(rotation + i) % len(growth)] for i in range(min(2 - len(picked), len(growth))))
    return list(dict.fromkeys(picked))


def _join(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# ----------------------------------------------------------------------------- the scrum
@dataclass(frozen=True)
class ScrumRep:
    """One rep's week as the team totals count it."""

    progress: tuple[TypeWeek, ...]
    pending: bool
    behind: bool  # the diagnosis found the rep behind pace


@dataclass(frozen=True)
class TeamTotals:
    lines: tuple[tuple[str, int, int], ...]  # (type name, targets added up, qualifying done)
    reps: int
    whole_team: bool
    judged: int
    on_pace: int
    pending: int


def scrum_totals(shown: Sequence[ScrumRep], off_screen: Sequence[ScrumRep]) -> TeamTotals:
    """The team against its plan. Reps kept off the shared screen count in the totals,
    except when exactly one is: the totals less the cards on screen would be that rep's
    week. A rep's week is judged when it has targets and no logs wait on a device; on pace
    when the diagnosis did not find it behind."""
    whole_team = len(off_screen) != 1
    counted = [*shown, *off_screen] if whole_team else list(shown)
    names: dict[int, str] = {}
    sums: dict[int, list[int]] = {}
    for rep in counted:
        for p in rep.progress:
            names.setdefault(p.type_id, p.name)
            total = sums.setdefault(p.type_id, [0, 0])
            total[0] += p.target
            total[1] += p.qualifying
    judged = [r for r in counted if not r.pending and any(p.target > 0 for p in r.progress)]
    return TeamTotals(
        lines=tuple((names[t], target, done) for t, (target, done) in sums.items() if target or done),
        reps=len(counted), whole_team=whole_team, judged=len(judged),
        on_pace=sum(1 for r in judged if not r.behind), pending=sum(1 for r in counted if r.pending))
