"""Plans rules over the database: activity types, team settings and expectations,
accountability preferences, goals and funnel math, weekly plans, revisions and comments.

Arithmetic lives in plans.rules and core.weeks (pure). People and teams come from the
accounts service; logged activity comes from an ActivityCounter (the activities domain).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import msgspec
from piccolo.engine.base import Engine

from backend.accounts.service import Accounts, Person, Principal
from backend.core import clock
from backend.core.db import id_list, write_transaction
from backend.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.core.events import Events, Happened
from backend.core.weeks import local_date, local_wall_time, week_start
from backend.plans import rules
from backend.plans.tables import (
    AccountabilityPreferences,
    ActivityType,
    ExpectationsVersion,
    Plan,
    PlanComment,
    PlanRevision,
    RepGoal,
    TeamPlanConfig,
)
from backend.plans.time_off import TimeOffs
from shared_schemas import (
    ActivityProgress,
    FunnelResult,
    FunnelStage,
    Goal,
    PaceBody,
    PlanTarget,
    StageRatio,
    TeamExpectations,
    TeamPlanRow,
    TeamPlanSettings,
    TeamWeek,
    WeekView,
)
from shared_schemas import ActivityType as ActivityTypeBody
from shared_schemas import ExpectationsVersion as ExpectationsVersionBody
from shared_schemas import Plan as PlanBody
from shared_schemas import PlanComment as PlanCommentBody
from shared_schemas import PlanRevision as PlanRevisionBody
from shared_schemas import Preferences as PreferencesBody

# What a rep logged between two local dates (inclusive); the activities domain provides it.
ActivityCounter = Callable[[int, date, date], Awaitable[rules.Tally]]
ActivityCounterMany = Callable[[list[int], date, date], Awaitable[dict[int, rules.Tally]]]

DEFAULT_TYPES = [
    # key, name, icon, funnel stage, quality bar (min of 5), the bar in words
    ("call", "Call", "phone", 1, 2, "Reached a person, not voicemail"),
    ("visit", "Visit", "car", None, 3, "Met a decision maker in person"),
    ("meeting", "Meeting", "handshake", 2, 3, "Agenda set and a next step agreed"),
    ("proposal", "Proposal", "document", 3, 3, "Priced and sent to a decision maker"),
    ("follow_up", "Follow-up", "repeat", None, 2, "Moved the deal a step forward"),
]
# Conservative B2B conversions per funnel stage: call→meeting, meeting→proposal, proposal→won.
DEFAULT_STAGE_RATIOS = {1: 0.2, 2: 0.4, 3: 0.25}
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PREFERENCE_DEFAULTS = {
    "checkin_rhythm": "weekly",
    "reminder_days": [0, 1, 2, 3, 4],
    "reminder_times": ["17:30"],
    "style": "not_sure",
    "visibility": "not_sure",
}
MAX_WEEKS_AHEAD = 1  # reps plan this week and next


async def no_activity(user_id: int, start: date, end: date) -> rules.Tally:
    """Used until create_app connects the activities domain (and by tests of plans alone)."""
    return rules.EMPTY_TALLY


async def no_activity_many(user_ids: list[int], start: date, end: date) -> dict[int, rules.Tally]:
    return {}


def _json(value) -> str:
    return msgspec.json.encode(value).decode()


def _targets(text: str) -> list[PlanTarget]:
    return msgspec.json.decode(text, type=list[PlanTarget])


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return (slug or "type")[:32]


class Plans:
    def __init__(self, engine: Engine, accounts: Accounts, counter: ActivityCounter = no_activity) -> None:
        self.engine = engine
        self.accounts = accounts
        self.count_activity = counter
        self.count_activity_many: ActivityCounterMany = no_activity_many
        # Plans committed or changed and reps' replies, told in the cause's transaction (manager alerts).
        self.events = Events()
        self.time_off = TimeOffs(engine, accounts)
        # Teams known to have their defaults: most reads need no query to learn it again.
        self._seeded_teams: set[int] = set()

    def use_activity_counter(self, counter: ActivityCounter, many: ActivityCounterMany) -> None:
        self.count_activity = counter
        self.count_activity_many = many

    async def active_type_ids(self, team_id: int) -> list[int]:
        """The team's active types in their order; read by every sync push, so hand-written."""
        await self.ensure_team_defaults(team_id)
        rows = await ActivityType.raw('SELECT id FROM activity_types WHERE team = {} AND active = {}'
                                      ' ORDER BY position, id', team_id, True)
        return [r["id"] for r in rows]

    # ------------------------------------------------------------------ access
    @staticmethod
    def _can_read_team(who: Principal, team_id: int) -> bool:
        return who.team_id == team_id or who.can_manage_team(team_id)

    async def _readable_team(self, who: Principal, team_id: int) -> None:
        if not self._can_read_team(who, team_id) or not await self.accounts.team_exists(team_id):
            raise NotFound("That team does not exist or is not yours.")
        await self.ensure_team_defaults(team_id)

    async def _managed_team(self, who: Principal, team_id: int) -> None:
        await self._readable_team(who, team_id)
        if not who.can_manage_team(team_id):
            raise Forbidden("Only the team's managers and admins can change this.")

    async def _visible_rep(self, who: Principal, user_id: int) -> Person:
        person = await self.accounts.person(user_id)
        if person is None or not (
            person.id == who.user_id or (person.role == "rep" and who.can_manage_team(person.team_id))
        ):
            raise NotFound("That person does not exist or is not on your team.")
        return person

    async def _own_rep(self, who: Principal) -> Person:
        person = await self.accounts.person(who.user_id)
        if person is None or person.role != "rep" or person.team_id is None:
            raise Forbidden("Weekly plans belong to reps on a team.")
        await self.ensure_team_defaults(person.team_id)
        return person

    # ------------------------------------------------------------------ activity types
    async def ensure_team_defaults(self, team_id: int) -> None:
        """Every team starts with the default activity types and settings. Idempotent and
        safe when two requests meet a new team at once (conflicting inserts do nothing)."""
        if team_id in self._seeded_teams:
            return
        if await TeamPlanConfig.exists().where(TeamPlanConfig.team == team_id):
            self._seeded_teams.add(team_id)
            return
        async with write_transaction(self.engine):
            for position, (key, name, icon, stage, quality_min, bar) in enumerate(DEFAULT_TYPES):
                await ActivityType.insert(
                    ActivityType(team=team_id, key=key, name=name, icon=icon, funnel_stage=stage,
                                 quality_min=quality_min, quality_bar=bar, position=position, active=True)
                ).on_conflict(target=(ActivityType.team, ActivityType.key), action="DO NOTHING")
            rows = await ActivityType.select(ActivityType.id, ActivityType.funnel_stage).where(
                (ActivityType.team == team_id) & ActivityType.key.is_in([t[0] for t in DEFAULT_TYPES]))
            ids = {r["funnel_stage"]: r["id"] for r in rows if r["funnel_stage"]}
            ratios = [StageRatio(activity_type_id=ids[s], ratio=r) for s, r in DEFAULT_STAGE_RATIOS.items() if s in ids]
            await TeamPlanConfig.insert(TeamPlanConfig(team=team_id, default_ratios=_json(ratios))).on_conflict(
                target=TeamPlanConfig.team, action="DO NOTHING")
        self._seeded_teams.add(team_id)

    @staticmethod
    def _type_body(row: dict) -> ActivityTypeBody:
        return ActivityTypeBody(
            id=row["id"], team_id=row["team"], key=row["key"], name=row["name"], icon=row["icon"],
            funnel_stage=row["funnel_stage"], quality_min=row["quality_min"],
            quality_bar=row["quality_bar"], position=row["position"], active=row["active"],
        )

    async def _types(self, team_id: int, *, active_only: bool) -> list[ActivityTypeBody]:
        query = ActivityType.select().where(ActivityType.team == team_id)
        if active_only:
            query = query.where(ActivityType.active == True)
        rows = await query.order_by(ActivityType.position).order_by(ActivityType.id)
        return [self._type_body(r) for r in rows]

    async def activity_types(self, who: Principal, team_id: int) -> list[ActivityTypeBody]:
        await self._readable_team(who, team_id)
        return await self._types(team_id, active_only=not who.can_manage_team(team_id))

    async def _check_stage_free(self, team_id: int, stage: int | None, except_id: int | None = None) -> None:
        if stage is None:
            return
        clash = await ActivityType.select(ActivityType.id, ActivityType.name).where(
            (ActivityType.team == team_id) & (ActivityType.funnel_stage == stage) & (ActivityType.active == True)
        )
        clash = [c for c in clash if c["id"] != except_id]
        if clash:
            raise Conflict(f"Funnel stage {stage} is already {clash[0]['name']}.", extra={"funnel_stage": "Another activity type has this stage."})

    async def create_activity_type(self, who: Principal, team_id: int, body) -> ActivityTypeBody:
        await self._managed_team(who, team_id)
        key = _slug(body.name)
        async with write_transaction(self.engine):
            if await ActivityType.exists().where((ActivityType.team == team_id) & (ActivityType.key == key)):
                raise Conflict(f"The team already has an activity type called {body.name!r}.", extra={"name": "This name is already taken."})
            await self._check_stage_free(team_id, body.funnel_stage)
            position = body.position
            if position is None:
                position = await ActivityType.count().where(ActivityType.team == team_id)
            rows = await ActivityType.insert(
                ActivityType(team=team_id, key=key, name=body.name.strip(), icon=body.icon,
                             funnel_stage=body.funnel_stage, quality_min=body.quality_min,
                             quality_bar=body.quality_bar.strip(), position=position, active=body.active)
            ).returning(ActivityType.id)
        return self._type_body(await ActivityType.select().where(ActivityType.id == rows[0]["id"]).first())

    async def update_activity_type(self, who: Principal, type_id: int, body) -> ActivityTypeBody:
        row = await ActivityType.select().where(ActivityType.id == type_id).first()
        if row is None or not self._can_read_team(who, row["team"]):
            raise NotFound("That activity type does not exist.")
        await self._managed_team(who, row["team"])
        async with write_transaction(self.engine):
            if body.active:
                await self._check_stage_free(row["team"], body.funnel_stage, except_id=type_id)
            await ActivityType.update({
                ActivityType.name: body.name.strip(), ActivityType.icon: body.icon,
                ActivityType.funnel_stage: body.funnel_stage, ActivityType.quality_min: body.quality_min,
                ActivityType.quality_bar: body.quality_bar.strip(),
                ActivityType.position: row["position"] if body.position is None else body.position,
                ActivityType.active: body.active,
            }).where(ActivityType.id == type_id)
        return self._type_body(await ActivityType.select().where(ActivityType.id == type_id).first())

    # ------------------------------------------------------------------ team settings
    async def _config(self, team_id: int) -> TeamPlanSettings:
        row = await TeamPlanConfig.select().where(TeamPlanConfig.team == team_id).first()
        return TeamPlanSettings(
            team_id=team_id,
            working_days=msgspec.json.decode(row["working_days"], type=list[int]),
            plan_deadline_weekday=row["deadline_weekday"],
            plan_deadline_time=row["deadline_time"],
            holidays=msgspec.json.decode(row["holidays"], type=list[date]),
            default_ratios=msgspec.json.decode(row["default_ratios"], type=list[StageRatio]),
            history_weeks=row["history_weeks"],
            min_data_points=row["min_data_points"],
            default_visibility=row["default_visibility"],
        )

    async def team_settings(self, who: Principal, team_id: int) -> TeamPlanSettings:
        await self._readable_team(who, team_id)
        return await self._config(team_id)

    async def update_team_settings(self, who: Principal, team_id: int, body) -> TeamPlanSettings:
        await self._managed_team(who, team_id)
        changes: dict = {}
        if body.working_days is not None:
            if not body.working_days:
                raise InvalidInput("A team needs at least one working day.", extra={"working_days": "Pick at least one working day."})
            changes[TeamPlanConfig.working_days] = _json(sorted(set(body.working_days)))
        if body.plan_deadline_weekday is not None:
            changes[TeamPlanConfig.deadline_weekday] = body.plan_deadline_weekday
        if body.plan_deadline_time is not None:
            changes[TeamPlanConfig.deadline_time] = body.plan_deadline_time
        if body.holidays is not None:
            if len(body.holidays) > 60:
                raise InvalidInput("At most 60 holidays.", extra={"holidays": "At most 60 holidays."})
            changes[TeamPlanConfig.holidays] = _json(sorted(set(body.holidays)))
        if body.default_ratios is not None:
            stage_ids = {t.id for t in await self._types(team_id, active_only=True) if t.funnel_stage}
            unknown = {r.activity_type_id for r in body.default_ratios} - stage_ids
            if unknown:
                raise InvalidInput("Default ratios must name the team's funnel stages.", extra={"default_ratios": "Use the team's funnel stages."})
            changes[TeamPlanConfig.default_ratios] = _json(body.default_ratios)
        if body.history_weeks is not None:
            changes[TeamPlanConfig.history_weeks] = body.history_weeks
        if body.min_data_points is not None:
            changes[TeamPlanConfig.min_data_points] = body.min_data_points
        if body.default_visibility is not None:
            changes[TeamPlanConfig.default_visibility] = body.default_visibility
        if changes:
            async with write_transaction(self.engine):
                await TeamPlanConfig.update(changes).where(TeamPlanConfig.team == team_id)
        return await self._config(team_id)

    # ------------------------------------------------------------------ team expectations
    async def expectations(self, who: Principal, team_id: int) -> TeamExpectations:
        await self._readable_team(who, team_id)
        rows = await ExpectationsVersion.select(
            ExpectationsVersion.text, ExpectationsVersion.author.name, ExpectationsVersion.created_at
        ).where(ExpectationsVersion.team == team_id).order_by(ExpectationsVersion.id, ascending=False)
        versions = [
            ExpectationsVersionBody(text=r["text"], author=r["author.name"], created_at=r["created_at"]) for r in rows
        ]
        current = versions[0] if versions else None
        return TeamExpectations(
            team_id=team_id,
            text=current.text if current else "",
            updated_at=current.created_at if current else None,
            author=current.author if current else None,
            history=versions[1:],
        )

    async def update_expectations(self, who: Principal, team_id: int, text: str) -> TeamExpectations:
        await self._managed_team(who, team_id)
        text = text.strip()
        current = await self.expectations(who, team_id)
        if text != current.text:  # saving the same text twice keeps one dated version
            async with write_transaction(self.engine):
                await ExpectationsVersion.insert(
                    ExpectationsVersion(team=team_id, text=text, author=who.user_id, created_at=clock.now())
                )
        return await self.expectations(who, team_id)

    # ------------------------------------------------------------------ preferences
    async def preferences_of(self, user_ids: list[int]) -> dict[int, PreferencesBody]:
        return await self.preferences_for(await self.accounts.people(user_ids))

    async def preferences_for(self, people: dict[int, Person]) -> dict[int, PreferencesBody]:
        """Preferences of people already read (the scheduler reads thousands at once)."""
        rows = await AccountabilityPreferences.select().where(
            AccountabilityPreferences.user.is_in(id_list(people))
        )
        by_user = {r["user"]: r for r in rows}
        team_ids = sorted({p.team_id for p in people.values() if p.team_id is not None})
        defaults = {r["team"]: r["default_visibility"] for r in await TeamPlanConfig.select(
            TeamPlanConfig.team, TeamPlanConfig.default_visibility).where(
            TeamPlanConfig.team.is_in(team_ids or [0]))}
        result = {}
        for user_id, person in people.items():
            row = by_user.get(user_id)
            values = (
                {
                    "checkin_rhythm": row["checkin_rhythm"],
                    "reminder_days": msgspec.json.decode(row["reminder_days"]),
                    "reminder_times": msgspec.json.decode(row["reminder_times"]),
                    "style": row["style"],
                    "visibility": row["visibility"],
                }
                if row
                else PREFERENCE_DEFAULTS
            )
            # A team not set up yet has the column's default.
            team_default = defaults.get(person.team_id, rules.DEFAULT_TEAM_VISIBILITY)
            result[user_id] = PreferencesBody(
                **values, time_zone=person.time_zone, answered=row is not None,
                updated_at=row["updated_at"] if row else None,
                team_visibility=team_default, shown_as=rules.shown_as(values["visibility"], team_default),
            )
        return result

    async def preferences(self, who: Principal, user_id: int | None = None) -> PreferencesBody:
        target = await self._visible_rep(who, user_id or who.user_id)
        return (await self.preferences_of([target.id]))[target.id]

    async def update_preferences(self, who: Principal, body) -> PreferencesBody:
        if body.time_zone is not None:
            await self.accounts.update_me(who.user_id, None, body.time_zone)
        values = {
            AccountabilityPreferences.checkin_rhythm: body.checkin_rhythm,
            AccountabilityPreferences.reminder_days: _json(sorted(set(body.reminder_days))),
            AccountabilityPreferences.reminder_times: _json(sorted(set(body.reminder_times))),
            AccountabilityPreferences.style: body.style,
            AccountabilityPreferences.visibility: body.visibility,
            AccountabilityPreferences.updated_at: clock.now(),
        }
        async with write_transaction(self.engine):
            if await AccountabilityPreferences.exists().where(AccountabilityPreferences.user == who.user_id):
                await AccountabilityPreferences.update(values).where(AccountabilityPreferences.user == who.user_id)
            else:
                await AccountabilityPreferences.insert(
                    AccountabilityPreferences(user=who.user_id, **{c._meta.name: v for c, v in values.items()})
                )
        return await self.preferences(who)

    # ------------------------------------------------------------------ goals and funnel math
    async def goal(self, who: Principal) -> Goal | None:
        row = await RepGoal.select(RepGoal.goal).where(RepGoal.user == who.user_id).first()
        return msgspec.json.decode(row["goal"], type=Goal) if row else None

    async def save_goal(self, who: Principal, goal: Goal) -> Goal:
        await self._own_rep(who)
        self._check_goal(goal)
        async with write_transaction(self.engine):
            if await RepGoal.exists().where(RepGoal.user == who.user_id):
                await RepGoal.update({RepGoal.goal: _json(goal), RepGoal.updated_at: clock.now()}).where(
                    RepGoal.user == who.user_id)
            else:
                await RepGoal.insert(RepGoal(user=who.user_id, goal=_json(goal), updated_at=clock.now()))
        return goal

    @staticmethod
    def _check_goal(goal: Goal) -> None:
        if goal.kind == "revenue" and not goal.avg_deal_size:
            raise InvalidInput("A revenue goal needs an average deal size.", extra={"avg_deal_size": "Enter your average deal size."})

    async def funnel(self, who: Principal, goal: Goal, on: date | None, user_id: int | None) -> FunnelResult:
        rep = await self._visible_rep(who, user_id or who.user_id)
        if rep.team_id is None:
            raise Forbidden("Funnel math needs a rep on a team.")
        await self.ensure_team_defaults(rep.team_id)
        self._check_goal(goal)
        config = await self._config(rep.team_id)
        stages = [t for t in await self._types(rep.team_id, active_only=True) if t.funnel_stage]
        stages.sort(key=lambda t: t.funnel_stage or 0)
        if not stages:
            raise InvalidInput("The team has no funnel stages: a manager can mark activity types as stages.")
        on = on or local_date(clock.now(), rep.time_zone)
        start, end = _period(on, goal.period)
        weeks = rules.working_weeks(start, end, config.working_days, config.holidays)
        if weeks <= 0:
            raise InvalidInput("That period has no working days.")
        ratios, sources, explanation = await self._ratios(rep, stages, config, goal.ratio_overrides)
        deals = rules.deals_needed(goal.kind, goal.amount, goal.avg_deal_size)
        needs = rules.funnel_needs(deals, [str(t.id) for t in stages], ratios, weeks)
        return FunnelResult(
            deals=deals,
            period_start=start,
            period_end=end - timedelta(days=1),
            working_weeks=round(float(weeks), 2),
            stages=[
                FunnelStage(activity_type_id=t.id, name=t.name, ratio=round(float(r), 4), ratio_source=s,
                            total=n.total, weekly=n.weekly)
                for t, r, s, n in zip(stages, ratios, sources, needs, strict=True)
            ],
            explanation=explanation,
        )

    async def _ratios(self, rep: Person, stages, config: TeamPlanSettings, overrides: list[StageRatio]):
        """Per stage: the rep's typed ratio, else their own history, else the team's, else defaults."""
        override = {o.activity_type_id: o.ratio for o in overrides}
        defaults = {d.activity_type_id: d.ratio for d in config.default_ratios}
        today = local_date(clock.now(), rep.time_zone)
        window_start = week_start(today) - timedelta(weeks=config.history_weeks)
        window_end = week_start(today) - timedelta(days=1)
        own = await self._history_ratios(rep.id, stages, window_start, window_end, config.min_data_points)
        team = None
        if own is None and rep.team_id is not None:
            team = await self._team_history_ratios(rep.team_id, stages, window_start, window_end, config.min_data_points)
        history, source = (own, "rep_history") if own else (team, "team_history") if team else (None, "team_default")
        ratios, sources = [], []
        for i, stage in enumerate(stages):
            if stage.id in override:
                ratios.append(override[stage.id])
                sources.append("override")
            elif history:
                ratios.append(history[i])
                sources.append(source)
            else:
                ratios.append(defaults.get(stage.id, DEFAULT_STAGE_RATIOS.get(stage.funnel_stage or 0, 0.25)))
                sources.append("team_default")
        words = {
            "rep_history": f"your own last {config.history_weeks} weeks",
            "team_history": f"your team's last {config.history_weeks} weeks (you have fewer than "
                            f"{config.min_data_points} data points per stage yet)",
            "team_default": f"the team's default ratios (fewer than {config.min_data_points} logged activities "
                            f"per stage in the last {config.history_weeks} weeks)",
        }
        explanation = f"Ratios come from {words[source]}."
        if override:
            explanation += " Ratios you typed in win over those."
        return ratios, sources, explanation

    async def _history_ratios(self, user_id, stages, start, end, min_points):
        tally = await self.count_activity(user_id, start, end)
        return rules.conversion_ratios([tally.total(t.id) for t in stages], tally.won, min_points)

    async def _team_history_ratios(self, team_id, stages, start, end, min_points):
        flow, won = [0] * len(stages), 0
        for rep in await self.accounts.team_reps(team_id):
            tally = await self.count_activity(rep.id, start, end)
            flow = [n + tally.total(t.id) for n, t in zip(flow, stages, strict=True)]
            won += tally.won
        return rules.conversion_ratios(flow, won, min_points)

    # ------------------------------------------------------------------ plans
    async def _plan_row(self, user_id: int, monday: date) -> dict | None:
        return await Plan.select().where((Plan.user == user_id) & (Plan.week_start == monday)).first()

    async def _plan_body(self, row: dict) -> PlanBody:
        revisions = await PlanRevision.select(
            PlanRevision.version, PlanRevision.targets, PlanRevision.commitments, PlanRevision.reason,
            PlanRevision.author.name, PlanRevision.created_at,
        ).where(PlanRevision.plan == row["id"]).order_by(PlanRevision.version, ascending=False)
        comments = await PlanComment.select(
            PlanComment.id, PlanComment.author.id, PlanComment.author.name, PlanComment.body, PlanComment.created_at,
        ).where(PlanComment.plan == row["id"]).order_by(PlanComment.id)
        acknowledger = await self.accounts.person(row["acknowledged_by"]) if row["acknowledged_by"] else None
        return PlanBody(
            id=row["id"], user_id=row["user"], week_start=row["week_start"], status=row["status"],
            version=row["version"], targets=_targets(row["targets"]),
            commitments=msgspec.json.decode(row["commitments"], type=list[str]),
            committed_at=row["committed_at"], acknowledged_at=row["acknowledged_at"],
            acknowledged_by=acknowledger.name if acknowledger else None,
            revisions=[
                PlanRevisionBody(version=r["version"], targets=_targets(r["targets"]),
                                 commitments=msgspec.json.decode(r["commitments"], type=list[str]),
                                 reason=r["reason"], author=r["author.name"], created_at=r["created_at"])
                for r in revisions
            ],
            comments=[
                PlanCommentBody(id=c["id"], author_id=c["author.id"], author=c["author.name"], body=c["body"],
                                created_at=c["created_at"])
                for c in comments
            ],
        )

    @staticmethod
    def _monday(day: date) -> date:
        if day.weekday() != 0:
            raise InvalidInput(f"{day.isoformat()} is not a Monday: plans are for weeks that start on Monday.",
                               extra={"week_start": "Pick a Monday: weeks start on Monday."})
        return day

    def _deadline(self, monday: date, config: TeamPlanSettings, zone: str) -> datetime:
        hour, minute = (int(x) for x in config.plan_deadline_time.split(":"))
        return local_wall_time(monday + timedelta(days=config.plan_deadline_weekday), time(hour, minute), zone)

    async def current_week(self, who: Principal, user_id: int | None) -> date:
        """The Monday of today's week in the rep's own zone."""
        rep = await self._visible_rep(who, user_id or who.user_id)
        return week_start(local_date(clock.now(), rep.time_zone))

    async def week_view(self, who: Principal, user_id: int | None, monday: date) -> WeekView:
        rep = await self._visible_rep(who, user_id or who.user_id)
        if rep.role != "rep" or rep.team_id is None:
            raise Forbidden("Weekly plans belong to reps on a team.")
        monday = self._monday(monday)
        await self.ensure_team_defaults(rep.team_id)
        config = await self._config(rep.team_id)
        row = await self._plan_row(rep.id, monday)
        plan = await self._plan_body(row) if row else None
        types = await self._types(rep.team_id, active_only=True)
        tally = await self.count_activity(rep.id, monday, monday + timedelta(days=6))
        targets = {t.activity_type_id: t.target for t in plan.targets} if plan else {}
        now = clock.now()
        away = rules.days_off((await self.time_off.of_reps([rep.id], monday)).get(rep.id, []), monday,
                              monday + timedelta(days=6))
        progress = _progress(types, targets, tally, now, rep.time_zone, monday, config, away)
        deadline = self._deadline(monday, config, rep.time_zone)
        committed = plan is not None and plan.status == "committed"
        return WeekView(
            user_id=rep.id, user_name=rep.name, time_zone=rep.time_zone, week_start=monday,
            week_end=monday + timedelta(days=6),
            working_days=rules.week_working_days(monday, config.working_days, [*config.holidays, *away]),
            plan=plan, progress=progress, deadline=deadline,
            # A week off has no plan to miss.
            missed_deadline=not committed and now > deadline
            and not rules.week_off(monday, config.working_days, config.holidays, away),
            days_off=sorted(d for d in away if d.weekday() in config.working_days and d not in config.holidays),
        )

    async def weeks_of(self, reps: list[Person]) -> dict[int, RepWeek]:
        """Today's week for many reps at once (reminders for thousands in one minute):
        a few queries per team and per distinct local week, not per rep."""
        now = clock.now()
        teams = {r.team_id for r in reps if r.team_id is not None}
        configs, types = {}, {}
        for team_id in teams:
            await self.ensure_team_defaults(team_id)
            configs[team_id] = await self._config(team_id)
            types[team_id] = await self._types(team_id, active_only=True)
        by_week: dict[date, list[Person]] = {}
        for rep in reps:
            if rep.team_id is not None:
                by_week.setdefault(week_start(local_date(now, rep.time_zone)), []).append(rep)
        result: dict[int, RepWeek] = {}
        for monday, group in by_week.items():
            ids = [r.id for r in group]
            plans = {p["user"]: p for p in await Plan.select(Plan.user, Plan.targets).where(
                Plan.user.is_in(id_list(ids)) & (Plan.week_start == monday) & (Plan.status == "committed"))}
            # Progress only where a plan is committed: an uncommitted week's nudge is to plan it.
            tallies = await self.count_activity_many(list(plans), monday, monday + timedelta(days=6))
            away = await self.time_off.of_reps(ids, monday)
            for rep in group:
                plan = plans.get(rep.id)
                off = rules.days_off(away.get(rep.id, []), monday, monday + timedelta(days=6))
                progress = [] if plan is None else _progress(
                    types[rep.team_id], {t.activity_type_id: t.target for t in _targets(plan["targets"])},
                    tallies.get(rep.id, rules.EMPTY_TALLY), now, rep.time_zone, monday, configs[rep.team_id], off)
                result[rep.id] = RepWeek(monday=monday, committed=plan is not None, progress=progress,
                                         off_today=local_date(now, rep.time_zone) in off)
        return result

    # ------------------------------------------------------------------ for review (other domains)
    async def visible_rep(self, who: Principal, user_id: int) -> Person:
        """A rep the asker may see: themselves, or a rep of a team they manage (else 404)."""
        return await self._visible_rep(who, user_id)

    async def readable_team(self, who: Principal, team_id: int) -> None:
        await self._readable_team(who, team_id)

    async def team_types(self, team_id: int) -> list[ActivityTypeBody]:
        """A team's active activity types, in the team's order."""
        await self.ensure_team_defaults(team_id)
        return await self._types(team_id, active_only=True)

    async def team_plan_settings(self, team_id: int) -> TeamPlanSettings:
        await self.ensure_team_defaults(team_id)
        return await self._config(team_id)

    def deadline(self, monday: date, config: TeamPlanSettings, zone: str) -> datetime:
        return self._deadline(monday, config, zone)

    async def plans_between(self, user_ids: list[int], first_monday: date,
                            last_monday: date) -> dict[int, dict[date, PlanSummary]]:
        """Every plan of some reps in a range of weeks, in brief."""
        rows = await Plan.select(Plan.id, Plan.user, Plan.week_start, Plan.status, Plan.targets,
                                 Plan.acknowledged_at).where(
            Plan.user.is_in(user_ids or [0]) & (Plan.week_start >= first_monday) & (Plan.week_start <= last_monday))
        result: dict[int, dict[date, PlanSummary]] = {}
        for row in rows:
            result.setdefault(row["user"], {})[row["week_start"]] = PlanSummary(
                id=row["id"], committed=row["status"] == "committed",
                acknowledged=row["acknowledged_at"] is not None,
                targets={t.activity_type_id: t.target for t in _targets(row["targets"])})
        return result

    async def plan_of(self, user_id: int, monday: date) -> PlanBody | None:
        """A rep's plan for a week with its revisions and comments."""
        row = await self._plan_row(user_id, monday)
        return await self._plan_body(row) if row else None

    async def _check_writable_week(self, rep: Person, monday: date) -> None:
        this_week = week_start(local_date(clock.now(), rep.time_zone))
        if not this_week <= monday <= this_week + timedelta(weeks=MAX_WEEKS_AHEAD):
            raise InvalidInput(
                f"You can plan this week ({this_week.isoformat()}) or next week, not {monday.isoformat()}.",
                extra={"week_start": "Only this week or next week can be planned."},
            )

    async def _check_targets(self, team_id: int, targets: list[PlanTarget]) -> list[PlanTarget]:
        valid = {t.id for t in await self._types(team_id, active_only=True)}
        seen: set[int] = set()
        for target in targets:
            if target.activity_type_id not in valid:
                raise InvalidInput(f"Activity type {target.activity_type_id} is not one of your team's.",
                                   extra={"targets": "Use your team's activity types."})
            if target.activity_type_id in seen:
                raise InvalidInput("Each activity type can have one target.", extra={"targets": "One target per activity type."})
            seen.add(target.activity_type_id)
        return sorted((t for t in targets if t.target > 0), key=lambda t: t.activity_type_id)

    async def save_plan(self, who: Principal, monday: date, body) -> PlanBody:
        """Create or change the rep's plan. A committed plan changes only with a reason,
        which becomes a revision both rep and manager can see. Saving the same plan again
        changes nothing (safe to retry)."""
        rep = await self._own_rep(who)
        monday = self._monday(monday)
        await self._check_writable_week(rep, monday)
        targets = await self._check_targets(rep.team_id, body.targets)
        commitments = [c.strip() for c in body.commitments if c.strip()]
        now = clock.now()
        async with write_transaction(self.engine):
            row = await self._plan_row(rep.id, monday)
            if row is None:
                await Plan.insert(Plan(user=rep.id, week_start=monday, status="draft", version=0,
                                       targets=_json(targets), commitments=_json(commitments),
                                       created_at=now, updated_at=now))
            elif _targets(row["targets"]) != targets or msgspec.json.decode(row["commitments"]) != commitments:
                changes = {Plan.targets: _json(targets), Plan.commitments: _json(commitments), Plan.updated_at: now}
                if row["status"] == "committed":
                    reason = (body.reason or "").strip()
                    if not reason:
                        raise InvalidInput("This plan is committed: say why it changes.", extra={"reason": "Say why the plan changes."})
                    version = row["version"] + 1
                    changes.update({Plan.version: version, Plan.acknowledged_at: None, Plan.acknowledged_by: None})
                    await PlanRevision.insert(PlanRevision(plan=row["id"], version=version, targets=_json(targets),
                                                           commitments=_json(commitments), reason=reason,
                                                           author=who.user_id, created_at=now))
                    await self.events.emit(Happened("plan_changed", rep.id, rep.team_id, monday, row["id"], now))
                await Plan.update(changes).where(Plan.id == row["id"])
        return await self._plan_body(await self._plan_row(rep.id, monday))

    async def commit_plan(self, who: Principal, monday: date) -> PlanBody:
        rep = await self._own_rep(who)
        monday = self._monday(monday)
        now = clock.now()
        async with write_transaction(self.engine):
            row = await self._plan_row(rep.id, monday)
            if row is None:
                raise NotFound("There is no plan for that week yet: save a draft first.")
            if row["status"] != "committed":
                await self._check_writable_week(rep, monday)
                if not _targets(row["targets"]):
                    raise InvalidInput("Set a target for at least one activity before committing.",
                                       extra={"targets": "Set at least one target."})
                await Plan.update({Plan.status: "committed", Plan.version: 1, Plan.committed_at: now,
                                   Plan.updated_at: now}).where(Plan.id == row["id"])
                await PlanRevision.insert(PlanRevision(plan=row["id"], version=1, targets=row["targets"],
                                                       commitments=row["commitments"], reason="Committed the plan",
                                                       author=who.user_id, created_at=now))
                await self.events.emit(Happened("plan_committed", rep.id, rep.team_id, monday, row["id"], now))
        return await self._plan_body(await self._plan_row(rep.id, monday))

    async def import_plan(self, *, user_id: int, monday: date, targets: list[PlanTarget], commitments: list[str],
                          committed_at: datetime | None, acknowledged_by: int | None,
                          acknowledged_at: datetime | None) -> bool:
        """Store a plan as it was (demo data, imports): any week, no API checks.
        Returns False when the rep already has a plan for that week (nothing changes)."""
        monday = self._monday(monday)
        async with write_transaction(self.engine):
            if await self._plan_row(user_id, monday):
                return False
            created = committed_at or clock.now()
            rows = await Plan.insert(Plan(
                user=user_id, week_start=monday, status="committed" if committed_at else "draft",
                version=1 if committed_at else 0, targets=_json(sorted(targets, key=lambda t: t.activity_type_id)),
                commitments=_json(commitments), committed_at=committed_at, acknowledged_at=acknowledged_at,
                acknowledged_by=acknowledged_by, created_at=created, updated_at=created,
            )).returning(Plan.id)
            if committed_at:
                await PlanRevision.insert(PlanRevision(
                    plan=rows[0]["id"], version=1, targets=_json(targets), commitments=_json(commitments),
                    reason="Committed the plan", author=user_id, created_at=committed_at))
        return True

    async def team_type_ids(self, team_id: int) -> dict[str, int]:
        await self.ensure_team_defaults(team_id)
        return {t.key: t.id for t in await self._types(team_id, active_only=False)}

    async def set_preferences(self, user_id: int, body) -> None:
        """Store a rep's answers directly (demo data); reps use update_preferences."""
        who = Principal(user_id=user_id, role="rep", team_id=None, managed_team_ids=frozenset(), session_hash="")
        await self.update_preferences(who, body)

    async def _plan_for_manager(self, who: Principal, plan_id: int) -> dict:
        row = await Plan.select().where(Plan.id == plan_id).first()
        if row is None:
            raise NotFound("That plan does not exist.")
        await self._visible_rep(who, row["user"])
        return row

    async def acknowledge(self, who: Principal, plan_id: int) -> PlanBody:
        row = await self._plan_for_manager(who, plan_id)
        if row["user"] == who.user_id:
            raise Forbidden("Your manager acknowledges your plan.")
        if row["status"] != "committed":
            raise InvalidInput("Only a committed plan can be acknowledged.")
        if row["acknowledged_at"] is None:
            async with write_transaction(self.engine):
                await Plan.update({Plan.acknowledged_at: clock.now(), Plan.acknowledged_by: who.user_id}).where(
                    Plan.id == plan_id)
        return await self._plan_body(await Plan.select().where(Plan.id == plan_id).first())

    async def add_comment(self, who: Principal, plan_id: int, body: str, client_key: str | None) -> PlanCommentBody:
        plan = await self._plan_for_manager(who, plan_id)
        async with write_transaction(self.engine):
            existing = (
                await PlanComment.select(PlanComment.id, PlanComment.plan, PlanComment.author).where(
                    PlanComment.client_key == client_key).first()
                if client_key else None
            )
            if existing:
                if existing["plan"] != plan_id or existing["author"] != who.user_id:
                    raise Conflict("That client_key was already used for another comment.")
                comment_id = existing["id"]
            else:
                now = clock.now()
                rows = await PlanComment.insert(PlanComment(plan=plan_id, author=who.user_id, body=body.strip(),
                                                            client_key=client_key, created_at=now)
                                                ).returning(PlanComment.id)
                comment_id = rows[0]["id"]
                if plan["user"] == who.user_id and who.team_id is not None:  # the rep answering on their plan
                    await self.events.emit(Happened("reply", who.user_id, who.team_id, plan["week_start"],
                                                    comment_id, now))
        c = await PlanComment.select(PlanComment.id, PlanComment.author.id, PlanComment.author.name,
                                     PlanComment.body, PlanComment.created_at).where(PlanComment.id == comment_id).first()
        return PlanCommentBody(id=c["id"], author_id=c["author.id"], author=c["author.name"], body=c["body"],
                               created_at=c["created_at"])

    async def team_week(self, who: Principal, team_id: int, monday: date) -> TeamWeek:
        await self._managed_team(who, team_id)
        monday = self._monday(monday)
        config = await self._config(team_id)
        reps = await self.accounts.team_reps(team_id)
        ids = [r.id for r in reps]
        plans = {p["user"]: p for p in await Plan.select().where(Plan.user.is_in(ids or [0]) & (Plan.week_start == monday))}
        plan_ids = [p["id"] for p in plans.values()] or [0]
        comment_counts = _count_by(await PlanComment.select(PlanComment.plan).where(PlanComment.plan.is_in(plan_ids)), "plan")
        revision_counts = _count_by(await PlanRevision.select(PlanRevision.plan).where(PlanRevision.plan.is_in(plan_ids)), "plan")
        prefs = await self.preferences_of(ids)
        now = clock.now()
        rows = []
        for rep in reps:
            plan = plans.get(rep.id)
            status = "none" if plan is None else plan["status"]
            if plan and plan["status"] == "committed" and plan["acknowledged_at"]:
                status = "acknowledged"
            pref = prefs[rep.id]
            rows.append(TeamPlanRow(
                user_id=rep.id, name=rep.name, plan_id=plan["id"] if plan else None, status=status,
                missed_deadline=status in ("none", "draft") and now > self._deadline(monday, config, rep.time_zone),
                targets=_targets(plan["targets"]) if plan else [],
                commitments=msgspec.json.decode(plan["commitments"], type=list[str]) if plan else [],
                comment_count=comment_counts.get(plan["id"], 0) if plan else 0,
                revision_count=revision_counts.get(plan["id"], 0) if plan else 0,
                preferences_answered=pref.answered,
                not_sure=[f for f in ("checkin_rhythm", "style", "visibility") if getattr(pref, f) == "not_sure"]
                if pref.answered else [],
            ))
        order = {"none": 0, "draft": 1, "committed": 2, "acknowledged": 3}
        rows.sort(key=lambda r: (not r.missed_deadline, order[r.status], r.name))
        deadline_note = (f"Plans are due {WEEKDAY_NAMES[config.plan_deadline_weekday]} "
                         f"{config.plan_deadline_time} in each rep's own time zone.")
        return TeamWeek(team_id=team_id, week_start=monday, deadline_note=deadline_note, rows=rows)


def _progress(types: list[ActivityTypeBody], targets: dict[int, int], tally: rules.Tally, now: datetime,
              zone: str, monday: date, config: TeamPlanSettings,
              days_off: frozenset[date] = frozenset()) -> list[ActivityProgress]:
    """Target, done (total and qualifying) and pace per activity type, for one rep-week.
    The rep's declared days off count like holidays: the target spreads over the rest."""
    position = rules.week_position(now=now, zone=zone, monday=monday, working_weekdays=config.working_days,
                                   holidays=[*config.holidays, *days_off])
    progress = []
    for activity_type in types:
        qualifying = tally.qualifying(activity_type.id, activity_type.quality_min)
        target = targets.get(activity_type.id, 0)
        p = rules.pace_at(target=target, done=qualifying, position=position)
        progress.append(ActivityProgress(
            activity_type=activity_type, target=target, done_total=tally.total(activity_type.id),
            done_qualifying=qualifying,
            pace=PaceBody(status=p.status, expected_by_now=p.expected_by_now,
                          expected_by_end_of_today=round(float(p.expected_by_end_of_today), 3),
                          working_days_left=p.working_days_left, per_day_left=p.per_day_left),
        ))
    return progress


@dataclass(frozen=True)
class PlanSummary:
    id: int
    committed: bool
    acknowledged: bool
    targets: dict[int, int]


@dataclass(frozen=True)
class RepWeek:
    """A rep's current week in brief: whether the plan is committed, and its progress."""

    monday: date
    committed: bool
    progress: list[ActivityProgress]  # empty unless committed
    off_today: bool = False  # declared time off: no nudge to log or to plan


def _count_by(rows: list[dict], key: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for row in rows:
        counts[row[key]] = counts.get(row[key], 0) + 1
    return counts


def _period(on: date, period: str) -> tuple[date, date]:
    """[start, end) of the month or quarter containing `on`."""
    first_month = on.month if period == "month" else 3 * ((on.month - 1) // 3) + 1
    start = date(on.year, first_month, 1)
    months = 1 if period == "month" else 3
    end_month = first_month + months
    end = date(on.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, end
