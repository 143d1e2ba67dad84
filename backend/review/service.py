"""Manager review over the database: the team screen, a rep's drill-down, the weekly scrum,
kudos, coaching questions, review thresholds and CSV export.

The rules are pure (review.rules); this module gathers the facts with a handful of set-
based queries per team (not per rep) and turns rules' findings into response bodies.
People come from accounts, plans and preferences from plans, logged activity and device
sync state from activities: each through its service.
"""

from __future__ import annotations

import asyncio
import csv
import io
import random
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

import msgspec
from piccolo.engine.base import Engine

from backend.accounts.service import Accounts, Person, Principal
from backend.activities.service import Activities, last_sync
from backend.core import clock
from backend.core.db import write_transaction
from backend.core.errors import Forbidden, InvalidInput, NotFound
from backend.core.weeks import local_date, local_start_of_day, week_start
from backend.plans import rules as plan_rules
from backend.plans.service import Plans, PlanSummary
from backend.review import rules
from backend.review.questions import LIBRARY, fill
from backend.review.tables import Kudos, ReviewConfig, TeamQuestion
from shared_schemas import (
    ActivityType,
    CoachingQuestion,
    DeviceSync,
    FunnelDiagnosis,
    Gap,
    MixEntry,
    Preferences,
    QualityPoint,
    RecentActivity,
    RepDrilldown,
    RepReviewRow,
    ReviewSettings,
    ScrumCard,
    ScrumTotals,
    ScrumTypeLine,
    ScrumWrapUp,
    Signal,
    StageConversion,
    Teammate,
    TeamReview,
    TeamScrum,
    TrendPoint,
    TypeProgress,
    TypeTrend,
)
from shared_schemas import Kudos as KudosBody

# Looking back further than this is an archive question: export it instead.
MAX_WEEKS_BACK = 104
TREND_WEEKS = 12
RECENT_ACTIVITY = 30
MAX_EXPORT_DAYS = 366
KEPT_HISTORIES = 5000  # reps whose history is kept (Review._history)
ExportKind = Literal["activities", "plans", "progress"]
# Commitments from the last check-in and whether they were kept; the coaching domain provides them.
CommitmentSource = Callable[[list[int], date], Awaitable[dict[int, list[rules.CommitmentCheck]]]]
Notify = Callable[[int, dict, str], Awaitable[None]]
NOT_YOUR_TEAM = "That team does not exist or is not yours."


async def no_commitments(user_ids: list[int], monday: date) -> dict[int, list[rules.CommitmentCheck]]:
    return {}


async def no_notify(user_id: int, payload: dict, topic: str) -> None:
    return None


@dataclass
class RepFacts:
    """Everything the rules need about one rep for one reviewed week."""

    person: Person
    monday: date
    current: bool
    # Oldest first, ending with the reviewed week.
    weeks: list[date]
    history: History
    tallies: dict[date, plan_rules.Tally]
    plan: PlanSummary | None
    plans: dict[date, PlanSummary]
    devices: list[DeviceSync]
    last_activity_on: date | None
    # The reviewed week in detail: left empty for reps who are only compared with (focus).
    progress: list[rules.TypeWeek] = field(default_factory=list)
    streak: int = 0
    pending_reason: str | None = None
    signals: list[rules.Signal] = field(default_factory=list)
    # Declared days off from the first compared week to the reviewed one (pace and silence
    # skip them), and what the screens say instead of flags while the rep is away.
    days_off: frozenset[date] = frozenset()
    away: str | None = None
    # The diagnosis every screen shows (rules.diagnose), once signals are known.
    week: rules.RepWeek | None = None


class Basis(NamedTuple):
    """What every rep's history is worked out against, for one team and reviewed week."""

    weeks: tuple[date, ...]  # oldest first, ending with the reviewed week
    quality_min: tuple[tuple[int, int], ...]  # (type id, quality bar) of each active type
    stages: tuple[rules.Stage, ...]
    thresholds: rules.Thresholds


@dataclass(frozen=True)
class History:
    """A rep's weeks as the rules compare them: the attainment of each of Basis.weeks, and
    delivery and conversion over the recent and the baseline windows."""

    attainments: tuple[Fraction | None, ...]
    recent_attainment: Fraction | None
    baseline_attainment: Fraction | None
    recent_ratios: list[Fraction | None]
    baseline_ratios: list[Fraction | None]


@dataclass(frozen=True)
class _KeptHistory:
    """A rep's history and what it was worked out from (Review._history)."""

    basis: Basis
    current: bool
    plans: dict[date, PlanSummary]
    tallies: dict[date, plan_rules.Tally]
    history: History


@dataclass
class TeamFacts:
    team_id: int
    monday: date
    types: list[ActivityType]
    stages: list[rules.Stage]
    thresholds: rules.Thresholds
    reps: list[RepFacts]
    kudos_counts: dict[int, int]
    prefs: dict[int, Preferences]
    # Results of the extra reads that ran with the team's (_team_facts' also).
    also: list = field(default_factory=list)

    def recent_weeks(self, rep: RepFacts) -> list[date]:
        return rep.weeks[_recent_span(self.thresholds, rep.current, len(rep.weeks))]


class Review:
    def __init__(self, engine: Engine, accounts: Accounts, plans: Plans, activities: Activities,
                 notify: Notify = no_notify) -> None:
        self.engine = engine
        self.accounts = accounts
        self.plans = plans
        self.activities = activities
        self.notify = notify
        self.commitment_checks: CommitmentSource = no_commitments
        self._histories: OrderedDict[int, _KeptHistory] = OrderedDict()

    def use_commitment_checks(self, source: CommitmentSource) -> None:
        self.commitment_checks = source

    # ------------------------------------------------------------------ access
    async def _managed_team(self, who: Principal, team_id: int) -> None:
        if not who.can_manage_team(team_id) or not await self.accounts.team_exists(team_id):
            raise NotFound(NOT_YOUR_TEAM)

    async def _managed_team_week(self, who: Principal, team_id: int, week: date | None) -> date:
        """_managed_team, then the reviewed week (_checked_week): both reads at once, a
        refused team refused first."""
        if not who.can_manage_team(team_id):
            raise NotFound(NOT_YOUR_TEAM)
        exists, me = await asyncio.gather(self.accounts.team_exists(team_id), self.accounts.person(who.user_id))
        if not exists:
            raise NotFound(NOT_YOUR_TEAM)
        return _checked_week(me, week)

    # ------------------------------------------------------------------ settings
    async def thresholds(self, team_id: int, config=None) -> rules.Thresholds:
        row = await self._review_config(team_id)
        return _thresholds(row, config or await self.plans.team_plan_settings(team_id))

    @staticmethod
    async def _review_config(team_id: int) -> dict | None:
        return await ReviewConfig.select().where(ReviewConfig.team == team_id).first()

    @staticmethod
    def _settings_body(team_id: int, t: rules.Thresholds) -> ReviewSettings:
        return ReviewSettings(
            team_id=team_id, behind_share=t.behind_share, behind_share_often=t.behind_share_often,
            behind_share_autonomy=t.behind_share_autonomy, silent_working_days=t.silent_working_days,
            quality_share_min=t.quality_share_min, quality_min_activities=t.quality_min_activities,
            conversion_drop=t.conversion_drop, recent_weeks=t.recent_weeks, baseline_weeks=t.baseline_weeks,
            on_plan_share=t.on_plan_share, improved_by=t.improved_by, streak_milestones=list(t.streak_milestones))

    async def settings(self, who: Principal, team_id: int) -> ReviewSettings:
        await self._managed_team(who, team_id)
        return self._settings_body(team_id, await self.thresholds(team_id))

    async def update_settings(self, who: Principal, team_id: int, body) -> ReviewSettings:
        await self._managed_team(who, team_id)
        current = await self.thresholds(team_id)
        changes = {f: getattr(body, f) for f in body.__struct_fields__ if getattr(body, f) is not None}
        if "streak_milestones" in changes:
            changes["streak_milestones"] = tuple(sorted(set(changes["streak_milestones"])))
        merged = rules.Thresholds(**{**current.__dict__, **changes})
        problems = {}
        if not merged.behind_share_autonomy <= merged.behind_share <= merged.behind_share_often:
            problems["behind_share"] = ("Flag reps who asked to be checked on often no later than others, "
                                        "and reps who chose autonomy no earlier: autonomy ≤ default ≤ often.")
        if problems:
            raise InvalidInput("These thresholds do not fit together.", extra=problems)
        values = {k: v for k, v in merged.__dict__.items() if k != "min_data_points"}
        values["streak_milestones"] = msgspec.json.encode(list(merged.streak_milestones)).decode()
        async with write_transaction(self.engine):
            exists = await ReviewConfig.exists().where(ReviewConfig.team == team_id)
            if exists:
                await ReviewConfig.update({**{getattr(ReviewConfig, k): v for k, v in values.items()},
                                           ReviewConfig.updated_at: clock.now()}).where(ReviewConfig.team == team_id)
            else:
                await ReviewConfig.insert(ReviewConfig(team=team_id, updated_at=clock.now(), **values))
        return self._settings_body(team_id, merged)

    # ------------------------------------------------------------------ facts
    async def _team_facts(self, team_id: int, monday: date, *, focus: int | None = None,
                          also: Sequence[Callable[[], Awaitable]] = ()) -> TeamFacts:
        """What the rules need about a team's reps for a week. With focus (a rep's id) only
        that rep's week, sync and signals are worked out; every rep still carries what a
        comparison with the team needs (tallies, plans, history). also: more reads to
        run with the team's; their results land in TeamFacts.also."""
        await self.plans.ensure_team_defaults(team_id)
        config, types, reps, review_config = await asyncio.gather(
            self.plans.team_plan_settings(team_id), self.plans.team_types(team_id), self.accounts.team_reps(team_id),
            self._review_config(team_id))
        thresholds = _thresholds(review_config, config)
        # A week before someone joined asks nothing of them: they are not on that week's team.
        reps = [r for r in reps if r.started_on is None or r.started_on <= monday + timedelta(days=6)]
        stages = [rules.Stage(t.id, t.name) for t in sorted((t for t in types if t.funnel_stage),
                                                             key=lambda t: t.funnel_stage or 0)]
        ids = [r.id for r in reps]
        # Signals, sync and kudos are read for the reps whose week is worked out.
        detailed = ids if focus is None else [i for i in ids if i == focus]
        span = max(TREND_WEEKS, thresholds.recent_weeks + thresholds.baseline_weeks + 1)
        weeks = [monday - timedelta(weeks=n) for n in range(span - 1, -1, -1)]
        sunday = monday + timedelta(days=6)
        # Independent reads, concurrently: each takes its own pooled connection.
        plans, tallies, last_dates, devices, won, prefs, commitments, kudos_counts, time_off, *extra = await asyncio.gather(
            self.plans.plans_between(ids, weeks[0], monday),
            self.activities.weekly_tallies(ids, weeks[0], sunday),
            self.activities.last_activity_dates(detailed, sunday),
            self.activities.devices_of(detailed),
            self.activities.won_accounts(detailed, monday, sunday),
            self.plans.preferences_for({r.id: r for r in reps if r.id in detailed}),
            self.commitment_checks(detailed, monday),
            self._kudos_counts(detailed, monday),
            self.plans.time_off.of_reps(detailed, weeks[0]),
            *(read() for read in also),
        )
        now = clock.now()
        basis = Basis(tuple(weeks), tuple((t.id, t.quality_min) for t in types), tuple(stages), thresholds)
        calendar = _Calendar(tuple(config.working_days), tuple(config.holidays))

        facts: list[RepFacts] = []
        team = TeamFacts(team_id, monday, types, stages, thresholds, facts, kudos_counts, prefs, extra)
        for rep in reps:
            rep_plans = plans.get(rep.id, {})
            rep_tallies = tallies.get(rep.id, {})
            today = local_date(now, rep.time_zone)
            current = monday >= week_start(today)
            fact = RepFacts(
                person=rep, monday=monday, current=current, weeks=weeks,
                history=self._history(rep.id, basis, current, rep_plans, rep_tallies), tallies=rep_tallies,
                plan=rep_plans.get(monday), plans=rep_plans, devices=devices.get(rep.id, []),
                last_activity_on=last_dates.get(rep.id))
            facts.append(fact)
            if focus is not None and rep.id != focus:
                continue
            week_end = local_start_of_day(monday + timedelta(days=7), rep.time_zone)
            away = time_off.get(rep.id, [])
            fact.days_off = plan_rules.days_off(away, weeks[0], sunday)
            week_off = plan_rules.week_off(monday, config.working_days, config.holidays, fact.days_off)
            fact.away = rules.time_off_words(
                plan_rules.off_until(away, today, config.working_days, config.holidays) if current else None,
                week_off, current)
            # Days off count like holidays: the week's target spreads over the working days left.
            fact.progress = _progress(types, fact.plan.targets if fact.plan else {}, rep_tallies.get(monday),
                                      min(now, week_end), rep.time_zone, monday,
                                      calendar._replace(holidays=(*calendar.holidays, *fact.days_off))
                                      if fact.days_off else calendar)
            fact.streak = rules.streak(fact.history.attainments, thresholds.on_plan_share, current_running=current)
            last_working = _last_working_day_before(min(today, monday + timedelta(days=7)), config, fact.days_off)
            fact.pending_reason = rules.pending_sync(
                [rules.DeviceState(last_sync([d]), d.outbox_size) for d in fact.devices],
                local_start_of_day(last_working, rep.time_zone) if last_working else None,
                _day_words(last_working) if last_working else "", week_end=week_end)
            fact.signals = self._rep_signals(fact, team, config, prefs[rep.id], won.get(rep.id, []),
                                             commitments.get(rep.id, []), now)
            if fact.away:
                fact.signals = rules.on_time_off(fact.signals)
        improved = rules.most_improved(
            {f.person.id: (f.history.recent_attainment, f.history.baseline_attainment) for f in facts}, thresholds)
        if improved:
            user_id, signal = improved
            next(f for f in facts if f.person.id == user_id).signals.append(signal)
        for fact in facts:
            if focus is None or fact.person.id == focus:
                fact.week = rules.diagnose(fact.signals, pending_reason=fact.pending_reason,
                                           kudos_sent=kudos_counts.get(fact.person.id, 0), away=fact.away)
        return team

    def _history(self, user_id: int, basis: Basis, current: bool, plans: dict[date, PlanSummary],
                 tallies: dict[date, plan_rules.Tally]) -> History:
        """A rep's history, kept per rep while every input is the same: an equal basis and
        equal plans, as read by this request, and the very tallies object the activity domain
        hands out (a new one whenever the rep's change counter moves, see
        Activities.weekly_tallies). A refreshed screen works out again only the reps whose
        plans or activity changed."""
        kept = self._histories.get(user_id)
        if kept and kept.tallies is tallies and kept.current == current and kept.basis == basis \
                and kept.plans == plans:
            self._histories.move_to_end(user_id)
            return kept.history
        history = _history(basis, current, plans, tallies)
        self._histories[user_id] = _KeptHistory(basis, current, plans, tallies, history)
        self._histories.move_to_end(user_id)
        while len(self._histories) > KEPT_HISTORIES:
            self._histories.popitem(last=False)
        return history

    def _rep_signals(self, fact: RepFacts, team: TeamFacts, config, prefs, won: list[str],
                     commitments: list[rules.CommitmentCheck], now: datetime) -> list[rules.Signal]:
        t = team.thresholds
        rep = fact.person
        today = min(local_date(now, rep.time_zone), fact.monday + timedelta(days=7))
        deadline = self.plans.deadline(fact.monday, config, rep.time_zone)
        last_plan = fact.plans.get(fact.monday - timedelta(weeks=1))
        not_sure_fields = [f for f in ("checkin_rhythm", "style", "visibility") if getattr(prefs, f) == "not_sure"]
        found = [
            None if fact.pending_reason else rules.behind_pace(
                fact.progress, prefs.style if prefs.answered else None, t, current=fact.current,
                recent_attainment=fact.history.recent_attainment),
            None if fact.pending_reason else rules.silent(fact.last_activity_on, today, config.working_days,
                                                          [*config.holidays, *fact.days_off], t, rep.started_on),
            self._low_quality(fact, team),
            *rules.conversion_drops(fact.history.recent_ratios, fact.history.baseline_ratios, team.stages, t),
            rules.no_plan(bool(fact.plan and fact.plan.committed), now > deadline,
                          f"{deadline.astimezone(ZoneInfo(rep.time_zone)):%a %d %b %H:%M}",
                          joined_after_deadline=rep.started_on is not None
                          and rep.started_on >= deadline.astimezone(ZoneInfo(rep.time_zone)).date(),
                          current=fact.current, missed_last_week=not (last_plan and last_plan.committed)
                          and (rep.started_on is None or rep.started_on <= fact.monday - timedelta(weeks=1))),
            rules.new_rep(rep.started_on, fact.monday, bool(fact.plan and fact.plan.committed)),
            rules.not_sure(prefs.answered, not_sure_fields),
            rules.commitments_missed(commitments),
            rules.plan_met_signal(fact.progress, current=fact.current),
            rules.streak_milestone(fact.streak, t.streak_milestones),
            rules.won_deal(won, current=fact.current),
        ]
        return [s for s in found if s is not None]

    @staticmethod
    def _low_quality(fact: RepFacts, team: TeamFacts) -> rules.Signal | None:
        """Quality over the reviewed week; early in a running week (too few logs to say
        anything) over this week and last."""
        this, before = ("this week", "this week and last") if fact.current else ("that week", "that week and the one before")
        if sum(p.total for p in fact.progress) >= team.thresholds.quality_min_activities or len(fact.weeks) < 2:
            return rules.low_quality(fact.progress, team.thresholds, this)
        tally = fact.tallies.get(fact.weeks[-2], plan_rules.EMPTY_TALLY)
        last_week = [rules.TypeWeek(t.id, t.name, 0, tally.total(t.id), tally.qualifying(t.id, t.quality_min), 0,
                                    "no_plan") for t in team.types]
        return rules.low_quality(rules.combined(fact.progress, last_week), team.thresholds, before)

    @staticmethod
    async def _kudos_counts(user_ids: list[int], monday: date) -> dict[int, int]:
        # Written out: Piccolo's builder costs twice the query itself for a team's ids.
        ids = sorted(set(user_ids)) or [0]
        rows = await Kudos.raw(
            'SELECT "user", COUNT(*) AS n FROM kudos WHERE week_start = {} AND "user" IN ('
            + ", ".join("{}" for _ in ids) + ') GROUP BY "user"', monday, *ids)
        return {row["user"]: row["n"] for row in rows}

    async def finished_weeks(self, rep: Person, weeks: int) -> list[tuple[date, Fraction | None, bool, int]]:
        """A rep's last finished weeks, oldest first: (monday, share of plan, plan met, deals won)."""
        if rep.team_id is None:
            return []
        config = await self.plans.team_plan_settings(rep.team_id)
        types = await self.plans.team_types(rep.team_id)
        this_week = week_start(local_date(clock.now(), rep.time_zone))
        mondays = [this_week - timedelta(weeks=n) for n in range(weeks, 0, -1)]
        plans = (await self.plans.plans_between([rep.id], mondays[0], mondays[-1])).get(rep.id, {})
        tallies = (await self.activities.weekly_tallies([rep.id], mondays[0], this_week - timedelta(days=1))).get(
            rep.id, {})
        result = []
        for monday in mondays:
            plan = plans.get(monday)
            progress = _progress(types, plan.targets if plan else {}, tallies.get(monday),
                                 local_start_of_day(monday + timedelta(days=7), rep.time_zone), rep.time_zone, monday,
                                 _Calendar(tuple(config.working_days), tuple(config.holidays)))
            result.append((monday, rules.attainment(progress) if plan else None, bool(plan) and rules.plan_met(progress),
                           tallies[monday].won if monday in tallies else 0))
        return result

    # ------------------------------------------------------------------ the team screen
    async def team_review(self, who: Principal, team_id: int, week: date | None) -> TeamReview:
        monday = await self._managed_team_week(who, team_id, week)
        team = await self._team_facts(team_id, monday, also=[lambda: self.accounts.team_name(team_id),
                                                             lambda: self._team_questions(team_id)])
        name, team_questions = team.also[0] or "", team.also[1]
        facts = sorted(team.reps, key=lambda f: rules.attention_key(_week(f), f.person.name))
        rows = [self._row(f, team, team_questions) for f in facts]
        weeks = {f.person.id: (f.person.name, _week(f)) for f in facts}
        return TeamReview(
            team_id=team_id, team_name=name, week_start=monday, week_end=monday + timedelta(days=6),
            current=any(f.current for f in team.reps) or monday >= week_start(local_date(clock.now(), "UTC")),
            as_of=clock.now(), settings=self._settings_body(team_id, team.thresholds), rows=rows,
            needs_conversation=sum(1 for r in rows if r.attention == "talk"),
            deserves_kudos=sum(1 for r in rows if r.attention == "kudos"),
            pending_sync=sum(1 for r in rows if r.pending_sync),
            talk_first=rules.talk_first(weeks), kudos_first=rules.kudos_first(weeks),
            watch=sum(1 for r in rows if r.attention == "watch"),
        )

    def _row(self, fact: RepFacts, team: TeamFacts, team_questions: list[CoachingQuestion]) -> RepReviewRow:
        """A rep's week as every screen shows it; for a rep to talk to, the question to open
        with is the first the drill-down and the check-in suggest for the same week."""
        week = _week(fact)
        question = None
        if week.attention == "talk":
            picked = _suggested(team_questions, week.gaps(), team.stages, _rotation(fact.person.id, fact.monday))
            question = picked[0].text if picked else None
        qualifying, total = rules.qualifying_share(fact.progress)
        attained = rules.attainment(fact.progress)
        plan = fact.plan
        return RepReviewRow(
            user_id=fact.person.id, name=fact.person.name, time_zone=fact.person.time_zone,
            plan_status="none" if plan is None else "acknowledged" if plan.committed and plan.acknowledged
            else "committed" if plan.committed else "draft",
            progress=[TypeProgress(activity_type_id=p.type_id, name=p.name, target=p.target, done_total=p.total,
                                   done_qualifying=p.qualifying, expected_by_now=p.expected_by_now, status=p.status)
                      for p in fact.progress],
            pace_status=rules.worst_status(fact.progress), attainment=round(float(attained or 0), 3),
            qualifying=qualifying, total=total, last_activity_on=fact.last_activity_on,
            last_sync_at=last_sync(fact.devices), devices=fact.devices,
            pending_sync=fact.pending_reason is not None, pending_sync_reason=fact.pending_reason,
            streak=fact.streak, signals=[_signal_body(s) for s in week.signals],
            kudos_this_week=team.kudos_counts.get(fact.person.id, 0),
            attention=week.attention, why=fact.away or week.why, question=question, time_off=fact.away,
        )

    # ------------------------------------------------------------------ the drill-down
    async def drilldown(self, who: Principal, user_id: int, week: date | None) -> RepDrilldown:
        rep, me = await _in_order(self.plans.visible_rep(who, user_id), self.accounts.person(who.user_id))
        if rep.role != "rep" or rep.team_id is None:
            raise NotFound("That person is not a rep on a team.")
        monday = _checked_week(me, week)
        if rep.started_on is not None and rep.started_on > monday + timedelta(days=6):
            raise InvalidInput(f"{rep.name} joined on {rep.started_on.isoformat()}: pick that week or a later one.",
                               extra={"week": "A week after they joined."})
        # The rep's own reads run with the team's.
        team = await self._team_facts(rep.team_id, monday, focus=rep.id, also=[
            lambda: self._team_questions(rep.team_id),
            lambda: self.activities.recent(rep.id, up_to=monday + timedelta(days=6), limit=RECENT_ACTIVITY),
            lambda: self.plans.plan_of(rep.id, monday), lambda: self._kudos_of([rep.id], limit=20)])
        team_questions, recent_rows, plan, kudos = team.also
        fact = next((f for f in team.reps if f.person.id == rep.id), None)
        if fact is None:
            raise NotFound("That rep is not active on a team.")
        t = team.thresholds
        recent = team.recent_weeks(fact)
        funnel_window = fact.weeks[max(0, len(fact.weeks) - (1 if fact.current else 0) - t.baseline_weeks):
                                   len(fact.weeks) - (1 if fact.current else 0)]

        flows = {f.person.id: rules.stage_flow((f.tallies[w] for w in funnel_window if w in f.tallies), team.stages)
                 for f in team.reps}
        team_ratios = [rules.stage_ratios(*flow, t.min_data_points) for flow in flows.values()]
        mine = rules.stage_ratios(*flows[rep.id], t.min_data_points)
        team_median = [rules.median(r[i] for r in team_ratios) for i in range(len(team.stages))]
        diagnosis = rules.weakest_stage(mine, team_median, team.stages)
        counts, _ = flows[rep.id]
        funnel = FunnelDiagnosis(
            stages=[StageConversion(from_type_id=s.type_id, from_name=s.name, to_name=rules.next_name(team.stages, i),
                                    rep_ratio=_round(mine[i]), rep_from_count=counts[i],
                                    team_median=_round(team_median[i]))
                    for i, s in enumerate(team.stages)],
            weakest=diagnosis.weakest, summary=diagnosis.summary,
            window=f"Conversion over {_window_words(funnel_window)}, next to the team's median. A conversion drop "
                   f"on the team screen compares the last {rules.plural(t.recent_weeks, 'finished week')} with the "
                   f"{t.baseline_weeks} before them.")

        def per_week(f: RepFacts, type_id: int) -> Fraction:
            return Fraction(sum(f.tallies[w].total(type_id) for w in recent if w in f.tallies), max(len(recent), 1))

        mix = [MixEntry(activity_type_id=ty.id, name=ty.name, rep_per_week=round(float(per_week(fact, ty.id)), 1),
                        team_median_per_week=round(float(rules.median(per_week(f, ty.id) for f in team.reps) or 0), 1))
               for ty in team.types]
        rep_volume = sum(m.rep_per_week for m in mix)
        team_volume = sum(m.team_median_per_week for m in mix)
        recent_tallies = [fact.tallies[w] for w in recent if w in fact.tallies]
        quality_min = {ty.id: ty.quality_min for ty in team.types}
        qualifying = sum(tl.qualifying(i, q) for tl in recent_tallies for i, q in quality_min.items())
        total = sum(tl.total(i) for tl in recent_tallies for i in quality_min)
        found = rules.gaps(rules.GapInputs(
            committed=bool(fact.plan and fact.plan.committed), recent_attainment=fact.history.recent_attainment,
            weekly_attainments=[a for w, a in zip(fact.weeks, fact.history.attainments, strict=True)
                                if not (fact.current and w == monday)],
            volume_vs_team=Fraction(str(rep_volume)) / Fraction(str(team_volume)) if team_volume else None,
            qualifying=qualifying, total=total, diagnosis=diagnosis, stages=team.stages, now=_week(fact).gaps()), t)
        trend_weeks = fact.weeks[-TREND_WEEKS:]
        trends = [TypeTrend(activity_type_id=ty.id, name=ty.name, points=[
            _trend_point(w, ty, fact.plans.get(w), fact.tallies.get(w)) for w in trend_weeks]) for ty in team.types]
        quality = [_quality_point(w, fact.tallies.get(w), quality_min) for w in trend_weeks]
        questions = _suggested(team_questions, found, team.stages, rotation=_rotation(rep.id, monday))
        return RepDrilldown(
            user_id=rep.id, name=rep.name, team_id=rep.team_id, week_start=monday,
            row=self._row(fact, team, team_questions),
            mix=mix, funnel=funnel, trends=trends, quality=quality, recent=_recent(recent_rows, team.types),
            plan=plan,
            gaps=[Gap(kind=g.kind, reason=g.reason, activity_type_id=g.activity_type_id) for g in found],
            questions=questions, kudos=kudos, current=fact.current,
        )

    # ------------------------------------------------------------------ coaching questions
    async def _team_questions(self, team_id: int) -> list[CoachingQuestion]:
        rows = await TeamQuestion.select(TeamQuestion.id, TeamQuestion.text, TeamQuestion.gap,
                                         TeamQuestion.author.name, TeamQuestion.created_at).where(
            (TeamQuestion.team == team_id) & TeamQuestion.archived_at.is_null()).order_by(TeamQuestion.id)
        return [CoachingQuestion(id=f"team-{r['id']}", text=r["text"], gap=r["gap"], source="team",
                                 author=r["author.name"], created_at=r["created_at"]) for r in rows]

    async def questions(self, who: Principal, team_id: int) -> list[CoachingQuestion]:
        await self._managed_team(who, team_id)
        library = [CoachingQuestion(id=qid, text=text, gap=gap, source="library") for qid, gap, text in LIBRARY]
        return [*await self._team_questions(team_id), *library]

    async def add_question(self, who: Principal, team_id: int, body) -> tuple[CoachingQuestion, bool]:
        """Store a team's own question; (question, created). A retried add returns the first."""
        await self._managed_team(who, team_id)
        text = " ".join(body.text.split())
        async with write_transaction(self.engine):
            if body.client_key:
                found = await TeamQuestion.select(TeamQuestion.id, TeamQuestion.team).where(
                    TeamQuestion.client_key == body.client_key).first()
                if found:
                    if found["team"] != team_id:
                        raise InvalidInput("That client_key was already used for another question.",
                                           extra={"client_key": "Use a new key for a new question."})
                    created = False
                    question_id = found["id"]
            if not body.client_key or not found:
                if await TeamQuestion.exists().where((TeamQuestion.team == team_id) & (TeamQuestion.text == text)
                                                     & TeamQuestion.archived_at.is_null()):
                    raise InvalidInput("Your team's library already has that question.",
                                       extra={"text": "Already in the library."})
                rows = await TeamQuestion.insert(TeamQuestion(
                    team=team_id, text=text, gap=body.gap, author=who.user_id, client_key=body.client_key,
                    created_at=clock.now())).returning(TeamQuestion.id)
                created, question_id = True, rows[0]["id"]
        question = next(q for q in await self._team_questions(team_id) if q.id == f"team-{question_id}")
        return question, created

    async def archive_question(self, who: Principal, question_id: str) -> None:
        if not question_id.startswith("team-") or not question_id[5:].isdigit():
            raise InvalidInput("Only a team's own questions can be removed; the curated library stays.",
                               extra={"question_id": "Give a team question's id, e.g. team-12."})
        row = await TeamQuestion.select(TeamQuestion.id, TeamQuestion.team).where(
            TeamQuestion.id == int(question_id[5:])).first()
        if row is None or not who.can_manage_team(row["team"]):
            raise NotFound("That question does not exist or is not your team's.")
        async with write_transaction(self.engine):
            await TeamQuestion.update({TeamQuestion.archived_at: clock.now()}).where(
                (TeamQuestion.id == row["id"]) & TeamQuestion.archived_at.is_null())

    # ------------------------------------------------------------------ kudos
    async def give_kudos(self, who: Principal, body) -> tuple[KudosBody, bool]:
        """Kudos for a rep of a team the sender manages; (kudos, created). A retry with the
        same client_key returns the first one and sends nothing again."""
        rep = await self.accounts.person(body.user_id)
        peer = who.role == "rep"
        if rep is None or rep.role != "rep" or not (who.can_manage_team(rep.team_id) or (
                peer and who.team_id is not None and who.team_id == rep.team_id)):
            raise NotFound("That rep does not exist or is not on your team.")
        if peer:
            if rep.id == who.user_id:
                raise InvalidInput("Kudos are for someone else.", extra={"user_id": "Pick a teammate."})
            if (await self.plans.preferences_of([rep.id]))[rep.id].shown_as != "named":
                raise Forbidden("This teammate has not opened up to kudos from peers (their visibility choice).")
            if body.signal or not body.message:
                raise InvalidInput("Kudos from a teammate are a short message.",
                                   extra={"message": "Write a few words."})
        if not rep.active:
            raise InvalidInput("That rep's account is deactivated.", extra={"user_id": "Pick an active rep."})
        monday = body.week_start or week_start(local_date(clock.now(), rep.time_zone))
        if monday.weekday() != 0:
            raise InvalidInput(f"{monday.isoformat()} is not a Monday.", extra={"week_start": "Pick a Monday."})
        if monday > week_start(local_date(clock.now(), rep.time_zone)):
            raise InvalidInput("Kudos are for work done: pick this week or an earlier one.",
                               extra={"week_start": "Not a future week."})
        message = " ".join(body.message.split()) if body.message else None
        if not message and not body.signal:
            raise InvalidInput("Say what the kudos are for: a short message or the signal they answer.",
                               extra={"message": "Write a few words."})
        reason = None
        if body.signal:
            team = await self._team_facts(rep.team_id, monday, focus=rep.id)
            fact = next((f for f in team.reps if f.person.id == rep.id), None)
            reason = next((s.reason for s in (fact.signals if fact else []) if s.kind == body.signal), None)
        async with write_transaction(self.engine):
            if body.client_key:
                found = await Kudos.select(Kudos.id, Kudos.sender).where(Kudos.client_key == body.client_key).first()
                if found:
                    if found["sender"] != who.user_id:
                        raise InvalidInput("That client_key was already used.", extra={"client_key": "Use a new key."})
                    return (await self._kudos_by_ids([found["id"]]))[0], False
            rows = await Kudos.insert(Kudos(
                user=rep.id, sender=who.user_id, message=message, signal=body.signal, reason=reason,
                week_start=monday, client_key=body.client_key, created_at=clock.now())).returning(Kudos.id)
        kudos = (await self._kudos_by_ids([rows[0]["id"]]))[0]
        await self.notify(rep.id, {
            "title": f"Kudos from {kudos.from_name}",
            "body": message or reason or "Well done this week!",
            "url": "/history#kudos", "tag": f"kudos-{kudos.id}",
        }, f"kudos-{kudos.id}")
        return kudos, True

    async def import_kudos(self, *, rep_id: int, sender_id: int, message: str | None, signal: str | None,
                           reason: str | None, monday: date, at: datetime, key: str, seen: bool) -> None:
        """Kudos as they were given (demo data); idempotent by key."""
        if not await Kudos.exists().where(Kudos.client_key == key):
            async with write_transaction(self.engine):
                await Kudos.insert(Kudos(user=rep_id, sender=sender_id, message=message, signal=signal, reason=reason,
                                         week_start=monday, client_key=key, created_at=at,
                                         seen_at=at + timedelta(hours=2) if seen else None))

    async def _kudos_by_ids(self, ids: list[int]) -> list[KudosBody]:
        return await self._kudos_where(Kudos.id.is_in(ids or [0]), limit=len(ids) or 1)

    async def _kudos_of(self, user_ids: list[int], limit: int) -> list[KudosBody]:
        return await self._kudos_where(Kudos.user.is_in(user_ids or [0]), limit=limit)

    @staticmethod
    async def _kudos_where(condition, limit: int) -> list[KudosBody]:
        rows = await Kudos.select(
            Kudos.id, Kudos.user, Kudos.user.name, Kudos.sender, Kudos.sender.name, Kudos.message, Kudos.signal,
            Kudos.reason, Kudos.week_start, Kudos.created_at, Kudos.seen_at,
        ).where(condition).order_by(Kudos.created_at, ascending=False).order_by(Kudos.id, ascending=False).limit(limit)
        return [KudosBody(id=r["id"], user_id=r["user"], rep_name=r["user.name"], from_user_id=r["sender"],
                          from_name=r["sender.name"], message=r["message"], signal=r["signal"], reason=r["reason"],
                          week_start=r["week_start"], created_at=r["created_at"], seen_at=r["seen_at"])
                for r in rows]

    async def kudos(self, who: Principal, user_id: int | None, limit: int) -> list[KudosBody]:
        """A rep's kudos, newest first: their own, or a managed rep's."""
        rep = await self.plans.visible_rep(who, user_id or who.user_id)
        return await self._kudos_of([rep.id], limit)

    async def teammates(self, who: Principal) -> list[Teammate]:
        """For a rep: teammates who chose to be named on team views (peer kudos go to them)."""
        if who.role != "rep" or who.team_id is None:
            raise Forbidden("Teammates are a rep's view of their own team.")
        reps = [r for r in await self.accounts.team_reps(who.team_id) if r.id != who.user_id]
        prefs = await self.plans.preferences_for({r.id: r for r in reps})
        return [Teammate(user_id=r.id, name=r.name) for r in sorted(reps, key=lambda r: r.name.lower())
                if prefs[r.id].shown_as == "named"]

    async def mark_kudos_seen(self, who: Principal, kudos_id: int) -> KudosBody:
        row = await Kudos.select(Kudos.id, Kudos.user, Kudos.seen_at).where(Kudos.id == kudos_id).first()
        if row is None or row["user"] != who.user_id:
            raise NotFound("Those kudos do not exist or are not yours.")
        if row["seen_at"] is None:
            async with write_transaction(self.engine):
                await Kudos.update({Kudos.seen_at: clock.now()}).where(
                    (Kudos.id == kudos_id) & Kudos.seen_at.is_null())
        return (await self._kudos_by_ids([kudos_id]))[0]

    # ------------------------------------------------------------------ the weekly scrum
    async def scrum(self, who: Principal, team_id: int, week: date | None) -> TeamScrum:
        """A shared screen: the team's totals first, then each rep as they chose to be shown
        (or as the team shows reps who have not chosen), then the wrap-up. It reads the same
        diagnosis as the team screen, and shows no reason, shortfall or preference."""
        monday = await self._managed_team_week(who, team_id, week)
        team = await self._team_facts(team_id, monday, also=[lambda: self.accounts.team_name(team_id),
                                                             lambda: self.plans.team_plan_settings(team_id)])
        prefs = team.prefs
        named = sorted((f for f in team.reps if prefs[f.person.id].shown_as == "named"),
                       key=lambda f: f.person.name.lower())
        anonymous = [f for f in team.reps if prefs[f.person.id].shown_as == "anonymous"]
        off_screen = [f for f in team.reps if prefs[f.person.id].shown_as == "manager_only"]
        # A fresh order each week, so "Rep A" cannot be matched to a name by position.
        random.Random(f"{team_id}-{monday}").shuffle(anonymous)
        shown = [(f, f.person.name, False) for f in named]
        shown += [(f, f"Rep {chr(ord('A') + i % 26)}{i // 26 or ''}", True) for i, f in enumerate(anonymous)]
        totals = rules.scrum_totals([self._scrum_rep(f) for f, *_ in shown],
                                    [self._scrum_rep(f) for f in off_screen])
        name, config = team.also
        return TeamScrum(
            team_id=team_id, team_name=name or "", week_start=monday,
            totals=ScrumTotals(lines=[ScrumTypeLine(name=n, target=t, done=d) for n, t, d in totals.lines],
                               reps=totals.reps, whole_team=totals.whole_team, judged=totals.judged,
                               on_pace=totals.on_pace, pending=totals.pending),
            cards=[self._scrum_card(f, display, anon) for f, display, anon in shown],
            wrap_up=ScrumWrapUp(needs_help=[display for f, display, _ in shown
                                            if f.week is not None and f.week.attention == "talk"]),
            hidden=len(off_screen), default_visibility=config.default_visibility,
            undecided=sum(1 for f in team.reps if prefs[f.person.id].visibility == "not_sure"))

    @staticmethod
    def _scrum_rep(fact: RepFacts) -> rules.ScrumRep:
        return rules.ScrumRep(tuple(fact.progress), fact.pending_reason is not None,
                              any(s.kind == "behind_pace" for s in fact.signals))

    @staticmethod
    def _scrum_card(fact: RepFacts, display_name: str, anonymous: bool) -> ScrumCard:
        kudos = [s for s in fact.signals if s.group == "kudos"]
        # An anonymous card must not name accounts or people: only the kind of win.
        win = kudos[0].reason if kudos and not (anonymous and kudos[0].kind == "won_deal") else (
            "Won a deal this week." if kudos else None)
        if win is None:
            beaten = [p for p in fact.progress if p.target and p.qualifying >= p.target]
            win = f"{beaten[0].name} target met: {beaten[0].qualifying} of {beaten[0].target}." if beaten else None
        # No conversation reason here: the team sees this screen ("(prefers autonomy)",
        # "at 0% of the pace" are for the 1:1).
        return ScrumCard(display_name=display_name, anonymous=anonymous,
                         lines=[ScrumTypeLine(name=p.name, target=p.target, done=p.qualifying)
                                for p in fact.progress if p.target or p.qualifying],
                         attainment=round(float(rules.attainment(fact.progress) or 0), 3), win=win,
                         pending=fact.pending_reason is not None)

    # ------------------------------------------------------------------ export
    async def export_scope(self, who: Principal, team_id: int | None, user_id: int | None, start: date,
                           end: date) -> tuple[str, list[Person]]:
        """Check an export request; (file name stem, the reps it covers)."""
        if (team_id is None) == (user_id is None):
            raise InvalidInput("Export one team (team_id) or one rep (user_id).",
                               extra={"team_id": "Give team_id or user_id, not both."})
        if end < start:
            raise InvalidInput("The range ends before it starts.", extra={"to": "Pick a date on or after 'from'."})
        if (end - start).days + 1 > MAX_EXPORT_DAYS:
            raise InvalidInput(f"Export at most {MAX_EXPORT_DAYS} days at a time.",
                               extra={"to": f"Pick a range of at most {MAX_EXPORT_DAYS} days."})
        if user_id is not None:
            rep = await self.plans.visible_rep(who, user_id)
            if rep.role != "rep":
                raise NotFound("That person is not a rep.")
            return f"rep-{rep.id}", [rep]
        assert team_id is not None
        if who.team_id == team_id and not who.can_manage_team(team_id):
            raise Forbidden("Reps can export their own activity (user_id), not the team's.")
        await self._managed_team(who, team_id)
        return f"team-{team_id}", await self.accounts.team_reps(team_id, active_only=False)

    async def export_csv(self, kind: ExportKind, reps: list[Person], start: date, end: date) -> AsyncIterator[bytes]:
        """CSV rows in chunks: constant memory for a year of a large team."""
        names = {r.id: r.name for r in reps}
        ids = list(names)
        team_ids = {r.team_id for r in reps if r.team_id is not None}
        types: dict[int, ActivityType] = {}
        for team_id in team_ids:
            types.update({t.id: t for t in await self.plans.team_types(team_id)})
        if kind == "activities":
            yield _csv_line(["activity_id", "rep", "week_start", "local_date", "occurred_at", "time_zone",
                             "activity_type", "account", "outcome", "quality", "qualifying", "deal_value",
                             "next_step", "follow_up_on", "note", "late"])
            async for page in self.activities.export_pages(ids, start, end):
                yield b"".join(_csv_line([
                    r["uid"], r["user.name"], r["week_start"], r["local_date"], r["occurred_at"].isoformat(),
                    r["time_zone"], types[r["activity_type"]].name if r["activity_type"] in types else "",
                    r["account_name"], r["outcome"], r["quality"],
                    _yes(r["activity_type"] in types and (r["quality"] or 0) >= types[r["activity_type"]].quality_min),
                    r["deal_value"], r["next_step"], r["follow_up_on"], r["note"], _yes(r["late"])]) for r in page)
            return
        first, last = week_start(start), week_start(end)
        if kind == "plans":
            yield _csv_line(["rep", "week_start", "status", "acknowledged",
                             *[f"target_{t.name}" for t in types.values()]])
        else:
            yield _csv_line(["rep", "week_start", "activity_type", "target", "done_total", "done_qualifying",
                             "met"])
        chunk = 8  # weeks per query: bounded memory however long the range
        monday = first
        while monday <= last:
            until = min(monday + timedelta(weeks=chunk - 1), last)
            plans = await self.plans.plans_between(ids, monday, until)
            tallies = await self.activities.weekly_tallies(ids, monday, until + timedelta(days=6)) \
                if kind == "progress" else {}
            lines = []
            for user_id in sorted(ids, key=lambda i: names[i].lower()):
                w = monday
                while w <= until:
                    plan = plans.get(user_id, {}).get(w)
                    if kind == "plans" and plan:
                        lines.append(_csv_line([
                            names[user_id], w, "committed" if plan.committed else "draft", _yes(plan.acknowledged),
                            *[plan.targets.get(t.id, 0) for t in types.values()]]))
                    elif kind == "progress":
                        tally = tallies.get(user_id, {}).get(w, plan_rules.EMPTY_TALLY)
                        for t in types.values():
                            target = plan.targets.get(t.id, 0) if plan else 0
                            done = tally.qualifying(t.id, t.quality_min)
                            if target or tally.total(t.id):
                                lines.append(_csv_line([names[user_id], w, t.name, target, tally.total(t.id), done,
                                                        _yes(done >= target) if target else ""]))
                    w += timedelta(weeks=1)
            if lines:
                yield b"".join(lines)
            monday = until + timedelta(weeks=1)


# ----------------------------------------------------------------------------- helpers
async def _in_order(*reads: Awaitable) -> list:
    """Reads at once, failing as if they had run one after another (the first one's error)."""
    results = await asyncio.gather(*reads, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def _checked_week(me: Person | None, week: date | None) -> date:
    """The reviewed week: a Monday, not in the future, not more than two years back.
    me: the person asking (their zone says what "this week" is)."""
    today = local_date(clock.now(), me.time_zone if me else "UTC")
    this_week = week_start(today)
    if week is None:
        return this_week
    if week.weekday() != 0:
        raise InvalidInput(f"{week.isoformat()} is not a Monday: weeks start on Monday.",
                           extra={"week": "Pick a Monday."})
    # Reps east of the manager may already be in next week: one day of slack.
    if week > week_start(today + timedelta(days=1)):
        raise InvalidInput(f"The week of {week.isoformat()} has not started yet.",
                           extra={"week": "Pick this week or an earlier one."})
    if week < this_week - timedelta(weeks=MAX_WEEKS_BACK):
        raise InvalidInput(f"Reviews go back {MAX_WEEKS_BACK} weeks; for older weeks use the CSV export.",
                           extra={"week": f"Pick a week within the last {MAX_WEEKS_BACK}."})
    return week


def _thresholds(row: dict | None, config) -> rules.Thresholds:
    """A team's review thresholds from its review_config row (None: the defaults)."""
    if row is None:
        return rules.Thresholds(min_data_points=config.min_data_points)
    return rules.Thresholds(
        behind_share=row["behind_share"], behind_share_often=row["behind_share_often"],
        behind_share_autonomy=row["behind_share_autonomy"], silent_working_days=row["silent_working_days"],
        quality_share_min=row["quality_share_min"], quality_min_activities=row["quality_min_activities"],
        conversion_drop=row["conversion_drop"], recent_weeks=row["recent_weeks"],
        baseline_weeks=row["baseline_weeks"], on_plan_share=row["on_plan_share"], improved_by=row["improved_by"],
        streak_milestones=tuple(msgspec.json.decode(row["streak_milestones"], type=list[int])),
        min_data_points=config.min_data_points)


def _recent_span(thresholds: rules.Thresholds, current: bool, weeks: int) -> slice:
    """Where the last completed weeks of the recent window are among a rep's weeks (a
    running week is not over)."""
    end = weeks - (1 if current else 0)
    return slice(max(0, end - thresholds.recent_weeks), end)


def _baseline_span(thresholds: rules.Thresholds, current: bool, weeks: int) -> slice:
    end = weeks - (1 if current else 0) - thresholds.recent_weeks
    return slice(max(0, end - thresholds.baseline_weeks), max(0, end))


def _history(basis: Basis, current: bool, plans: dict[date, PlanSummary],
             tallies: dict[date, plan_rules.Tally]) -> History:
    # Attainment reads targets and qualifying counts only: no pace arithmetic.
    attainments = tuple(_attainment(basis.quality_min, plans[w].targets, tallies.get(w)) if w in plans else None
                        for w in basis.weeks)
    recent = _recent_span(basis.thresholds, current, len(basis.weeks))
    baseline = _baseline_span(basis.thresholds, current, len(basis.weeks))

    def ratios(span: slice) -> list[Fraction | None]:
        flow = rules.stage_flow((tallies[w] for w in basis.weeks[span] if w in tallies), basis.stages)
        return rules.stage_ratios(*flow, basis.thresholds.min_data_points)

    return History(attainments, rules.mean(attainments[recent]), rules.mean(attainments[baseline]),
                   ratios(recent), ratios(baseline))


class _Calendar(NamedTuple):
    """A team's working week, hashable (pace results are kept per calendar)."""

    working_days: tuple[int, ...]
    holidays: tuple[date, ...]


def _progress(types: list[ActivityType], targets: dict[int, int], tally: plan_rules.Tally | None, as_of: datetime,
              zone: str, monday: date, calendar: _Calendar) -> list[rules.TypeWeek]:
    tally = tally or plan_rules.EMPTY_TALLY
    today = local_date(as_of, zone)
    result = []
    for t in types:
        qualifying = tally.qualifying(t.id, t.quality_min)
        target = targets.get(t.id, 0)
        expected_by_now, status = _pace(target, qualifying, as_of, zone, today, monday, calendar)
        result.append(rules.TypeWeek(t.id, t.name, target, tally.total(t.id), qualifying, expected_by_now, status))
    return result


def _pace(target: int, done: int, as_of: datetime, zone: str, today: date, monday: date,
          calendar: _Calendar) -> tuple[int, str]:
    """plan_rules.pace's (expected_by_now, status). It reads the instant only as the rep's
    local date (`today`); the working days of a week are cached by plan_rules itself."""
    position = plan_rules.week_position(now=as_of, zone=zone, monday=monday,
                                        working_weekdays=calendar.working_days, holidays=calendar.holidays)
    pace = plan_rules.pace_at(target=target, done=done, position=position)
    return pace.expected_by_now, pace.status


def _attainment(quality_min: tuple[tuple[int, int], ...], targets: dict[int, int],
                tally: plan_rules.Tally | None) -> Fraction | None:
    """rules.attainment of a week from its plan and tally alone: attainment reads targets
    and qualifying counts only, not the pace. quality_min: (type id, quality bar) of each
    active type."""
    tally = tally or plan_rules.EMPTY_TALLY
    total = done = 0
    for type_id, bar in quality_min:
        target = targets.get(type_id, 0)
        if target > 0:
            total += target
            done += min(tally.qualifying(type_id, bar), target)
    return Fraction(done, total) if total else None


def _suggested(team_questions: list[CoachingQuestion], found: list[rules.GapFinding], stages: list[rules.Stage],
               rotation: int) -> list[CoachingQuestion]:
    pool = [*team_questions,
            *(CoachingQuestion(id=qid, text=text, gap=gap, source="library") for qid, gap, text in LIBRARY)]
    picked = rules.pick_questions([g.kind for g in found], [(q.id, q.gap) for q in pool], rotation)
    by_id = {q.id: q for q in pool}
    weak = next((g for g in found if g.kind == "weak_conversion"), None)
    index = next((i for i, s in enumerate(stages) if weak and s.type_id == weak.activity_type_id), None)
    stage = stages[index].name.lower() + "s" if index is not None else None
    next_stage = rules.next_name(stages, index) if index is not None else None
    return [msgspec.structs.replace(by_id[qid], text=fill(by_id[qid].text, stage, next_stage)) for qid in picked]


def _recent(rows: list[dict], types: list[ActivityType]) -> list[RecentActivity]:
    names = {t.id: t.name for t in types}
    return [RecentActivity(
        id=r["uid"], activity_type_id=r["activity_type"], type_name=names.get(r["activity_type"], "Activity"),
        account_name=r["account_name"], outcome=r["outcome"], quality=r["quality"], note=r["note"],
        next_step=r["next_step"], follow_up_on=r["follow_up_on"], deal_value=r["deal_value"],
        occurred_at=r["occurred_at"], time_zone=r["time_zone"], late=r["late"]) for r in rows]


def _last_working_day_before(day: date, config, days_off: frozenset[date] = frozenset()) -> date | None:
    """The last working day before `day`, skipping holidays and the rep's days off (a phone
    is not expected to sync while its rep is away)."""
    off = set(config.holidays) | days_off
    for back in range(1, 15):
        candidate = day - timedelta(days=back)
        if candidate.weekday() in config.working_days and candidate not in off:
            return candidate
    return None


def _day_words(day: date) -> str:
    return f"{rules.WEEKDAY_SHORT[day.weekday()]} {day.day} {day:%b}"


def _signal_body(s: rules.Signal) -> Signal:
    return Signal(kind=s.kind, group=s.group, reason=s.reason, activity_type_id=s.activity_type_id,
                  severity=s.severity)


def _week(fact: RepFacts) -> rules.RepWeek:
    assert fact.week is not None, "the diagnosis is worked out with the rep's signals (_team_facts)"
    return fact.week


def _window_words(mondays: Sequence[date]) -> str:
    """'the 8 finished weeks 28 Sep – 22 Nov': which weeks a figure is worked out over."""
    if not mondays:
        return "no finished weeks yet"
    last = mondays[-1] + timedelta(days=6)
    return f"the {rules.plural(len(mondays), 'finished week')} {mondays[0].day} {mondays[0]:%b} – {last.day} {last:%b}"


def _rotation(user_id: int, monday: date) -> int:
    """Which of a gap's questions come first: a rep hears other questions next week."""
    return user_id + monday.toordinal() // 7


def _round(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 3)


def _trend_point(monday: date, t: ActivityType, plan: PlanSummary | None, tally: plan_rules.Tally | None) -> TrendPoint:
    qualities = (tally or plan_rules.EMPTY_TALLY).by_type.get(t.id, {})
    n = sum(qualities.values())
    rated = {q: c for q, c in qualities.items() if q is not None}
    avg = round(sum(q * c for q, c in rated.items()) / sum(rated.values()), 2) if rated else None
    return TrendPoint(week_start=monday, target=plan.targets.get(t.id, 0) if plan else 0, done_total=n,
                      done_qualifying=(tally or plan_rules.EMPTY_TALLY).qualifying(t.id, t.quality_min),
                      avg_quality=avg)


def _quality_point(monday: date, tally: plan_rules.Tally | None, quality_min: dict[int, int]) -> QualityPoint:
    tally = tally or plan_rules.EMPTY_TALLY
    total = sum(tally.total(i) for i in quality_min)
    rated = [(q, c) for i in quality_min for q, c in tally.by_type.get(i, {}).items() if q is not None]
    qualifying = sum(tally.qualifying(i, q) for i, q in quality_min.items())
    return QualityPoint(
        week_start=monday, total=total,
        avg_quality=round(sum(q * c for q, c in rated) / sum(c for _, c in rated), 2) if rated else None,
        qualifying_share=round(qualifying / total, 3) if total else None)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _csv_line(cells: list) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow([_cell(c) for c in cells])
    return out.getvalue().encode()


def _cell(value) -> str:
    """Text as a spreadsheet will not run it: a leading = + - @ (formula injection) gets a '."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
