"""Routes of manager review: thin, they call Review and return shared_schemas."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Stream

from backend.accounts.web import requires_role
from backend.review.service import ExportKind, Review
from shared_schemas import (
    CoachingQuestion,
    Kudos,
    NewCoachingQuestion,
    NewKudos,
    RepDrilldown,
    ReviewSettings,
    Teammate,
    TeamReview,
    TeamScrum,
    UpdateReviewSettings,
)

ReviewDep = NamedDependency[Review]
MANAGERS = [requires_role("manager", "admin")]
Week = Annotated[date | None, QueryParameter(description="The Monday of the week to review; default: this week.")]


class TeamReviewController(Controller):
    path = "/api/teams/{team_id:int}"
    tags = ["review"]
    guards = MANAGERS

    @get("/review")
    async def team_review(self, request: Request, team_id: FromPath[int], review: ReviewDep,
                          week: Week = None) -> TeamReview:
        """Per rep: plan vs actual, pace, sync, streak, and who needs a conversation or kudos, with why."""
        return await review.team_review(request.user, team_id, week)

    @get("/scrum")
    async def scrum(self, request: Request, team_id: FromPath[int], review: ReviewDep, week: Week = None) -> TeamScrum:
        """The weekly team meeting: reps as each chose to be shown (named, anonymous or not at all)."""
        return await review.scrum(request.user, team_id, week)

    @get("/review-settings")
    async def settings(self, request: Request, team_id: FromPath[int], review: ReviewDep) -> ReviewSettings:
        return await review.settings(request.user, team_id)

    @patch("/review-settings")
    async def update_settings(self, request: Request, team_id: FromPath[int], data: JSONBody[UpdateReviewSettings],
                              review: ReviewDep) -> ReviewSettings:
        return await review.update_settings(request.user, team_id, data)

    @get("/coaching-questions")
    async def questions(self, request: Request, team_id: FromPath[int], review: ReviewDep) -> list[CoachingQuestion]:
        """The team's own questions, then the curated library."""
        return await review.questions(request.user, team_id)

    @post("/coaching-questions")
    async def add_question(self, request: Request, team_id: FromPath[int], data: JSONBody[NewCoachingQuestion],
                           review: ReviewDep) -> Response[CoachingQuestion]:
        question, created = await review.add_question(request.user, team_id, data)
        return Response(question, status_code=201 if created else 200)


@delete("/api/coaching-questions/{question_id:str}", guards=MANAGERS, tags=["review"], status_code=204)
async def archive_question(request: Request, question_id: FromPath[str], review: ReviewDep) -> None:
    """Remove one of the team's own questions (the curated library stays)."""
    await review.archive_question(request.user, question_id)


@get("/api/reps/{user_id:int}/review", tags=["review"])
async def drilldown(request: Request, user_id: FromPath[int], review: ReviewDep, week: Week = None) -> RepDrilldown:
    """One rep in depth: mix vs team, funnel and its weakest stage, trends, recent activity, questions."""
    return await review.drilldown(request.user, user_id, week)


class KudosController(Controller):
    path = "/api/kudos"
    tags = ["review"]

    @get("")
    async def list_kudos(self, request: Request, review: ReviewDep,
                         user_id: Annotated[int | None, QueryParameter(ge=1)] = None,
                         limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50) -> list[Kudos]:
        """A rep's kudos, newest first: your own, or (managers) one of your reps'."""
        return await review.kudos(request.user, user_id, limit)

    @post("")
    async def give(self, request: Request, data: JSONBody[NewKudos], review: ReviewDep) -> Response[Kudos]:
        """Managers to their reps; reps to teammates who chose to be named on team views.
        201 with the new kudos; 200 with the first one when the same client_key comes again."""
        kudos, created = await review.give_kudos(request.user, data)
        return Response(kudos, status_code=201 if created else 200)

    @get("/teammates")
    async def teammates(self, request: Request, review: ReviewDep) -> list[Teammate]:
        """Reps: teammates who chose to be named on team views, to send kudos to."""
        return await review.teammates(request.user)

    @post("/{kudos_id:int}/seen", status_code=200)
    async def seen(self, request: Request, kudos_id: FromPath[int], review: ReviewDep) -> Kudos:
        return await review.mark_kudos_seen(request.user, kudos_id)


@get("/api/export/{kind:str}", tags=["review"], media_type="text/csv")
async def export_csv(
    request: Request,
    kind: FromPath[ExportKind],
    review: ReviewDep,
    start: Annotated[date, QueryParameter(name="from", description="First local date, inclusive.")],
    end: Annotated[date, QueryParameter(name="to", description="Last local date, inclusive.")],
    team_id: FromQuery[int | None] = None,
    user_id: FromQuery[int | None] = None,
) -> Stream:
    """activities, plans or progress (per rep-week and type) of a team or one rep, as CSV, streamed."""
    stem, reps = await review.export_scope(request.user, team_id, user_id, start, end)
    filename = f"followthrough-{kind}-{stem}-{start.isoformat()}-{end.isoformat()}.csv"
    return Stream(review.export_csv(kind, reps, start, end), media_type="text/csv",
                  headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


ROUTES = [TeamReviewController, archive_question, drilldown, KudosController, export_csv]
