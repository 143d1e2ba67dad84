"""Routes of the coaching loop: thin, they call Coaching and return shared_schemas.
Reflections are written through the sync outbox (`reflection.upsert`), read here."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from litestar import Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from backend.accounts.web import requires_role
from backend.coaching.service import Coaching
from shared_schemas import (
    CheckIn,
    CheckinNote,
    CheckinSchedule,
    CheckinWorkspace,
    Commitment,
    EditCheckinNote,
    MarkCommitment,
    NewCheckinNote,
    NewCommitment,
    NewSelfCoachingPrompt,
    Reflection,
    SelfCoachingPrompt,
    StartCheckin,
    Timeline,
    UpdateCheckinSchedule,
)

CoachingDep = NamedDependency[Coaching]
MANAGERS = [requires_role("manager", "admin")]
TAGS = ["coaching"]


@get("/api/reps/{user_id:int}/checkin-schedule", tags=TAGS)
async def schedule(request: Request, user_id: FromPath[int], coaching: CoachingDep) -> CheckinSchedule:
    """When the rep's 1:1s happen and the next one, in the rep's zone."""
    return await coaching.schedule(request.user, user_id)


@put("/api/reps/{user_id:int}/checkin-schedule", guards=MANAGERS, tags=TAGS)
async def set_schedule(request: Request, user_id: FromPath[int], data: JSONBody[UpdateCheckinSchedule],
                       coaching: CoachingDep) -> CheckinSchedule:
    return await coaching.set_schedule(request.user, user_id, data)


@get("/api/reps/{user_id:int}/reflections/{week_start:date}", tags=TAGS)
async def reflection(request: Request, user_id: FromPath[int], week_start: FromPath[date],
                     coaching: CoachingDep) -> Reflection | None:
    """The rep's reflection on a week, or null. Written through POST /api/sync/push."""
    return await coaching.reflection(request.user, user_id, week_start)


@get("/api/reps/{user_id:int}/checkin-workspace", guards=MANAGERS, tags=TAGS)
async def workspace(request: Request, user_id: FromPath[int], coaching: CoachingDep,
                    week: Annotated[date | None, QueryParameter()] = None) -> CheckinWorkspace:
    """Numbers, reflection, last commitments and questions: everything for a 1:1 on one screen."""
    return await coaching.workspace(request.user, user_id, week)


@post("/api/reps/{user_id:int}/checkins", guards=MANAGERS, tags=TAGS)
async def start_checkin(request: Request, user_id: FromPath[int], data: JSONBody[StartCheckin],
                        coaching: CoachingDep) -> Response[CheckIn]:
    """201 with a new check-in; 200 with the rep's open one (or the same client_key's)."""
    checkin, created = await coaching.start_checkin(request.user, user_id, data.client_key)
    return Response(checkin, status_code=201 if created else 200)


@get("/api/checkins/{checkin_id:int}", tags=TAGS)
async def checkin(request: Request, checkin_id: FromPath[int], coaching: CoachingDep) -> CheckIn:
    """A check-in; the rep sees the notes shared with them only."""
    return await coaching.checkin(request.user, checkin_id)


@post("/api/checkins/{checkin_id:int}/notes", guards=MANAGERS, tags=TAGS)
async def add_note(request: Request, checkin_id: FromPath[int], data: JSONBody[NewCheckinNote],
                   coaching: CoachingDep) -> Response[CheckinNote]:
    note, created = await coaching.add_note(request.user, checkin_id, data)
    return Response(note, status_code=201 if created else 200)


@patch("/api/checkin-notes/{note_id:int}", guards=MANAGERS, tags=TAGS)
async def edit_note(request: Request, note_id: FromPath[int], data: JSONBody[EditCheckinNote],
                    coaching: CoachingDep) -> CheckinNote:
    """Once the check-in is closed, a change needs a reason and goes into the audit trail."""
    return await coaching.edit_note(request.user, note_id, data)


@post("/api/checkins/{checkin_id:int}/commitments", guards=MANAGERS, tags=TAGS)
async def add_commitment(request: Request, checkin_id: FromPath[int], data: JSONBody[NewCommitment],
                         coaching: CoachingDep) -> Response[Commitment]:
    commitment, created = await coaching.add_commitment(request.user, checkin_id, data)
    return Response(commitment, status_code=201 if created else 200)


@post("/api/commitments/{commitment_id:int}/mark", guards=MANAGERS, tags=TAGS, status_code=200)
async def mark_commitment(request: Request, commitment_id: FromPath[int], data: JSONBody[MarkCommitment],
                          coaching: CoachingDep) -> Commitment:
    return await coaching.mark_commitment(request.user, commitment_id, data.status)


@post("/api/checkins/{checkin_id:int}/close", guards=MANAGERS, tags=TAGS, status_code=200)
async def close_checkin(request: Request, checkin_id: FromPath[int], coaching: CoachingDep) -> CheckIn:
    return await coaching.close_checkin(request.user, checkin_id)


@get("/api/reps/{user_id:int}/commitments", tags=TAGS)
async def commitments(request: Request, user_id: FromPath[int], coaching: CoachingDep) -> list[Commitment]:
    return await coaching.commitments(request.user, user_id)


@get("/api/reps/{user_id:int}/timeline", tags=TAGS)
async def timeline(request: Request, user_id: FromPath[int], coaching: CoachingDep) -> Timeline:
    return await coaching.timeline(request.user, user_id)


@get("/api/me/self-coaching", tags=TAGS)
async def my_prompt(request: Request, coaching: CoachingDep,
                    trigger: FromQuery[Literal["setback", "behind"]]) -> SelfCoachingPrompt | None:
    """One question or tip for this moment, a different one each day."""
    return await coaching.prompt_for(request.user, trigger)


@get("/api/teams/{team_id:int}/self-coaching", guards=MANAGERS, tags=TAGS)
async def team_prompts(request: Request, team_id: FromPath[int], coaching: CoachingDep) -> list[SelfCoachingPrompt]:
    return await coaching.team_prompts(request.user, team_id)


@post("/api/teams/{team_id:int}/self-coaching", guards=MANAGERS, tags=TAGS)
async def add_prompt(request: Request, team_id: FromPath[int], data: JSONBody[NewSelfCoachingPrompt],
                     coaching: CoachingDep) -> Response[SelfCoachingPrompt]:
    prompt, created = await coaching.add_prompt(request.user, team_id, data)
    return Response(prompt, status_code=201 if created else 200)


@delete("/api/self-coaching/{prompt_id:str}", guards=MANAGERS, tags=TAGS, status_code=204)
async def remove_prompt(request: Request, prompt_id: FromPath[str], coaching: CoachingDep) -> None:
    await coaching.remove_prompt(request.user, prompt_id)


ROUTES = [schedule, set_schedule, reflection, workspace, start_checkin, checkin, add_note, edit_note, add_commitment,
          mark_commitment, close_checkin, commitments, timeline, my_prompt, team_prompts, add_prompt, remove_prompt]
