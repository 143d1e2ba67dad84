"""Routes of the plans domain: thin, they call Plans and return shared_schemas."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from backend.accounts.web import requires_role
from backend.plans.service import Plans
from shared_schemas import (
    ActivityType,
    ActivityTypeInput,
    FunnelRequest,
    FunnelResult,
    Goal,
    NewPlanComment,
    NewTimeOff,
    Plan,
    PlanComment,
    Preferences,
    SavePlan,
    TeamExpectations,
    TeamPlanSettings,
    TeamWeek,
    TimeOff,
    UpdateExpectations,
    UpdatePreferences,
    UpdateTeamPlanSettings,
    WeekView,
)

PlansDep = NamedDependency[Plans]
MANAGERS = [requires_role("manager", "admin")]


class TeamPlanningController(Controller):
    """What a team agrees on: activity types, plan settings, expectations; and its plans."""

    path = "/api/teams/{team_id:int}"
    tags = ["plans"]

    @get("/activity-types")
    async def activity_types(self, request: Request, team_id: FromPath[int], plans: PlansDep) -> list[ActivityType]:
        return await plans.activity_types(request.user, team_id)

    @post("/activity-types", guards=MANAGERS, status_code=201)
    async def create_activity_type(
        self, request: Request, team_id: FromPath[int], data: JSONBody[ActivityTypeInput], plans: PlansDep
    ) -> ActivityType:
        return await plans.create_activity_type(request.user, team_id, data)

    @get("/plan-settings")
    async def settings(self, request: Request, team_id: FromPath[int], plans: PlansDep) -> TeamPlanSettings:
        return await plans.team_settings(request.user, team_id)

    @patch("/plan-settings", guards=MANAGERS)
    async def update_settings(
        self, request: Request, team_id: FromPath[int], data: JSONBody[UpdateTeamPlanSettings], plans: PlansDep
    ) -> TeamPlanSettings:
        return await plans.update_team_settings(request.user, team_id, data)

    @get("/expectations")
    async def expectations(self, request: Request, team_id: FromPath[int], plans: PlansDep) -> TeamExpectations:
        return await plans.expectations(request.user, team_id)

    @put("/expectations", guards=MANAGERS)
    async def update_expectations(
        self, request: Request, team_id: FromPath[int], data: JSONBody[UpdateExpectations], plans: PlansDep
    ) -> TeamExpectations:
        return await plans.update_expectations(request.user, team_id, data.text)

    @get("/plans", guards=MANAGERS)
    async def team_week(
        self, request: Request, team_id: FromPath[int], plans: PlansDep, week: FromQuery[date | None] = None
    ) -> TeamWeek:
        monday = week or await plans.current_week(request.user, None)
        return await plans.team_week(request.user, team_id, monday)


@put("/api/activity-types/{type_id:int}", guards=MANAGERS, tags=["plans"])
async def update_activity_type(
    request: Request, type_id: FromPath[int], data: JSONBody[ActivityTypeInput], plans: PlansDep
) -> ActivityType:
    return await plans.update_activity_type(request.user, type_id, data)


class PreferencesController(Controller):
    path = "/api"
    tags = ["preferences"]

    @get("/me/preferences")
    async def mine(self, request: Request, plans: PlansDep) -> Preferences:
        return await plans.preferences(request.user)

    @put("/me/preferences")
    async def update(self, request: Request, data: JSONBody[UpdatePreferences], plans: PlansDep) -> Preferences:
        return await plans.update_preferences(request.user, data)

    @get("/users/{user_id:int}/preferences", guards=MANAGERS)
    async def of_rep(self, request: Request, user_id: FromPath[int], plans: PlansDep) -> Preferences:
        return await plans.preferences(request.user, user_id)


class GoalController(Controller):
    path = "/api"
    tags = ["plans"]

    @get("/me/goal")
    async def goal(self, request: Request, plans: PlansDep) -> Goal | None:
        return await plans.goal(request.user)

    @put("/me/goal")
    async def save_goal(self, request: Request, data: JSONBody[Goal], plans: PlansDep) -> Goal:
        return await plans.save_goal(request.user, data)

    @post("/funnel", status_code=200)
    async def funnel(self, request: Request, data: JSONBody[FunnelRequest], plans: PlansDep) -> FunnelResult:
        """Funnel math, for what-if editing: nothing is stored."""
        return await plans.funnel(request.user, data.goal, data.on, data.user_id)


class WeekController(Controller):
    """A rep's week: their own, or (for a manager) one of their reps'."""

    path = "/api/weeks"
    tags = ["plans"]

    @get("/current")
    async def current(self, request: Request, plans: PlansDep, user_id: FromQuery[int | None] = None) -> WeekView:
        monday = await plans.current_week(request.user, user_id)
        return await plans.week_view(request.user, user_id, monday)

    @get("/{week_start:date}")
    async def week(
        self, request: Request, week_start: FromPath[date], plans: PlansDep, user_id: FromQuery[int | None] = None
    ) -> WeekView:
        return await plans.week_view(request.user, user_id, week_start)


class MyPlanController(Controller):
    path = "/api/my-plans/{week_start:date}"
    tags = ["plans"]

    @put("")
    async def save(self, request: Request, week_start: FromPath[date], data: JSONBody[SavePlan], plans: PlansDep) -> Plan:
        return await plans.save_plan(request.user, week_start, data)

    @post("/commit", status_code=200)
    async def commit(self, request: Request, week_start: FromPath[date], plans: PlansDep) -> Plan:
        return await plans.commit_plan(request.user, week_start)


class PlanReviewController(Controller):
    path = "/api/plans/{plan_id:int}"
    tags = ["plans"]

    @post("/acknowledge", guards=MANAGERS, status_code=200)
    async def acknowledge(self, request: Request, plan_id: FromPath[int], plans: PlansDep) -> Plan:
        return await plans.acknowledge(request.user, plan_id)

    @post("/comments", status_code=201)
    async def comment(
        self, request: Request, plan_id: FromPath[int], data: JSONBody[NewPlanComment], plans: PlansDep
    ) -> PlanComment:
        return await plans.add_comment(request.user, plan_id, data.body, data.client_key)


class TimeOffController(Controller):
    """Days a rep is away: the rep's own (/api/me), or a rep's for their managers."""

    path = "/api"
    tags = ["plans"]

    @get("/me/time-off")
    async def mine(self, request: Request, plans: PlansDep) -> list[TimeOff]:
        """Your current and upcoming time off, soonest first."""
        return await plans.time_off.entries(request.user, None)

    @post("/me/time-off", status_code=201)
    async def add_mine(self, request: Request, data: JSONBody[NewTimeOff], plans: PlansDep) -> Response[TimeOff]:
        """201 with the new entry; 200 with the entry this client_key already made."""
        entry, created = await plans.time_off.add(request.user, None, data)
        return Response(entry, status_code=201 if created else 200)

    @get("/reps/{user_id:int}/time-off")
    async def of_rep(self, request: Request, user_id: FromPath[int], plans: PlansDep) -> list[TimeOff]:
        return await plans.time_off.entries(request.user, user_id)

    @post("/reps/{user_id:int}/time-off", status_code=201)
    async def add_for_rep(self, request: Request, user_id: FromPath[int], data: JSONBody[NewTimeOff],
                          plans: PlansDep) -> Response[TimeOff]:
        """201 with the new entry; 200 with the entry this client_key already made."""
        entry, created = await plans.time_off.add(request.user, user_id, data)
        return Response(entry, status_code=201 if created else 200)

    @delete("/time-off/{time_off_id:int}")
    async def cancel(self, request: Request, time_off_id: FromPath[int], plans: PlansDep) -> None:
        """Cancel time off: the rep's own, or a rep's of a team you manage."""
        await plans.time_off.cancel(request.user, time_off_id)


ROUTES = [
    TeamPlanningController,
    update_activity_type,
    PreferencesController,
    GoalController,
    WeekController,
    MyPlanController,
    PlanReviewController,
    TimeOffController,
]
