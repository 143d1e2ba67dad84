"""The access-control matrix (issue #8, item 1): every route and method of the app, called as
each of seven principals, against a declared table of who may and what the others get.

Principals (tests/access_world.py builds them and their data through the API):
    anon   no session                    repA, repB  reps of team 1 (same team)
    repC   rep of team 2                 mgr1, mgr2  managers of team 1 and of team 2
    admin  no team, may do anything an admin may

Expectations per column: `ok` (any 2xx: the call did what it is for, so bodies are valid and a
403/404/422 there is a failure), or the exact status a denied principal gets:
    401  not signed in;
    403  a role that may never do this (or a rule that holds whoever asks, e.g. managers
         invite reps only into teams they manage);
    404  the object exists but is not yours: the app never confirms another team's (or
         teammate's) ids, so "not yours" and "does not exist" answer alike;
    422  allowed to ask, but this particular request makes no sense (kudos to yourself).
Path parameters always name objects that exist and are owned by the party the row says
(rep A's plan, team 1's question, ...), so a 404 is a real "not yours", never a typo.

Besides the status, every answer is checked:
  * a denial is an ErrorBody `{status_code, detail, extra}` that names nothing of the target
    (no person's name or email, no marker text of anyone's data);
  * an allowed answer contains no marker of data that principal may not see: nothing of the
    other team, nothing of a teammate's own data, never a manager's private notes for the rep.
So "lists never contain other teams' rows" is checked on every list the matrix calls;
test_lists_hold_only_what_is_yours adds positive checks (the right rows are there) and
test_owner_fields_in_bodies_cannot_move_data covers ids carried in bodies and client keys.

test_every_route_is_in_the_table fails when the app has a route the table does not list, or
the table lists one the app no longer has: a new route cannot ship without its row.
"""

from __future__ import annotations

import inspect
import itertools
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
from litestar.routes import HTTPRoute

from tests.access_world import (
    NEUTRAL_USER,
    PASSWORD,
    PEOPLE,
    PRINCIPALS,
    TEAM_NAMES,
    THIS_WEEK,
    World,
    build_world,
    subscription,
)

OK = "ok"
Builder = Callable[[World, str], Any]  # (world, principal) -> dict (or an awaitable of one)


@dataclass(frozen=True)
class Case:
    method: str
    route: str  # the path template exactly as Litestar lists it, e.g. "/api/reps/{user_id:int}/review"
    expect: tuple[str | int, ...]  # one per principal, in PRINCIPALS order
    path: Builder | None = None
    query: Builder | None = None
    body: Builder | None = None
    fresh: bool = False  # call from a new session (the call ends or replaces it)
    why: str = ""


def case(method: str, route: str, expect: str, **options) -> Case:
    tokens = expect.split()
    assert len(tokens) == len(PRINCIPALS), (route, expect)
    return Case(method, route, tuple(OK if t == OK else int(t) for t in tokens), **options)


# ----------------------------------------------------------------------------- builders
def user(principal: str) -> Builder:
    return lambda w, p: {"user_id": w.uid[principal]}


def team(number: int) -> Builder:
    return lambda w, p: {"team_id": w.team[number]}


def owned(name: str, attr: str, key) -> Builder:
    """A path parameter naming a world object: owned("plan_id", "plan", "repA")."""
    return lambda w, p: {name: getattr(w, attr)[key]}


def own_name(w: World, p: str) -> dict:
    return {"name": PEOPLE[p][1] if p in PEOPLE else "Nobody"}


PREFERENCES = {"checkin_rhythm": "weekly", "reminder_days": [0, 2, 4], "reminder_times": ["17:00"],
               "style": "often", "visibility": "named"}
GOAL = {"kind": "deals", "amount": 7, "period": "month"}
ALERT_SETTINGS = {"pace": True, "pace_weekday": 2, "pace_time": "11:00", "plans": True, "reflections": True,
                  "help": True, "commitments": False, "digest_days": [0, 2, 4], "digest_time": "13:00"}
EXPORT = {"from": "2026-11-01", "to": "2026-11-30"}


async def accept_body(w: World, p: str) -> dict:
    return {"token": await w.neutral_invite(), "password": "newcomer-pass-2026"}


def plan_body(w: World, p: str) -> dict:
    # The rep's own plan as it stands (saving it again is a no-op); others send rep A's.
    return w.plan_body.get(p, w.plan_body["repA"])


def sync_push(w: World, p: str) -> dict:
    return w.activity_body(p)


_time_off_days = itertools.count(0)


def time_off_body(w: World, p: str) -> dict:
    """A day off nobody has declared yet (entries may not overlap)."""
    day = (date(2027, 1, 4) + timedelta(days=next(_time_off_days))).isoformat()
    return {"first_day": day, "last_day": day, "client_key": w.key("to")}


def fresh_time_off(owner: str) -> Builder:
    """A new entry of `owner`'s for each call (a cancel removes it)."""
    async def build(w: World, p: str) -> dict:
        response = await w.clients[owner].post("/api/me/time-off", json=time_off_body(w, p))
        assert response.status_code == 201, response.text
        return {"time_off_id": response.json()["id"]}
    return build


# ----------------------------------------------------------------------------- the table
# Rows run top to bottom, each for anon, repA, repB, repC, mgr1, mgr2, admin in turn, so rows
# that close or remove something come after the rows that still need it open or present.
TABLE: list[Case] = [
    #                                                               anon repA repB repC mgr1 mgr2 admin
    # -- system and sign-in
    case("GET", "/api/health",                                        "ok   ok   ok   ok   ok   ok   ok"),
    case("POST", "/api/auth/login",                                   "ok   ok   ok   ok   ok   ok   ok", fresh=True,
         body=lambda w, p: {"email": PEOPLE.get(p, NEUTRAL_USER)[0], "password": PASSWORD},
         why="public; each signs in as themselves (anon as a user who owns nothing)"),
    case("POST", "/api/auth/logout",                                  "401  ok   ok   ok   ok   ok   ok", fresh=True),
    case("GET", "/api/me",                                            "401  ok   ok   ok   ok   ok   ok"),
    case("PATCH", "/api/me",                                          "401  ok   ok   ok   ok   ok   ok", body=own_name),
    case("POST", "/api/me/password",                                  "401  ok   ok   ok   ok   ok   ok",
         body=lambda w, p: {"current_password": PASSWORD, "new_password": PASSWORD}),
    case("GET", "/schema",                                            "401  ok   ok   ok   ok   ok   ok"),
    case("GET", "/schema/openapi.json",                               "401  ok   ok   ok   ok   ok   ok"),
    case("GET", "/schema/{path:str}",                                 "401  404  404  404  404  404  404",
         path=lambda w, p: {"path": "swagger"}, why="no other renderer is configured"),
    # -- teams, users, invitations
    case("GET", "/api/teams",                                         "401  ok   ok   ok   ok   ok   ok"),
    case("POST", "/api/teams",                                        "401  403  403  403  403  403  ok",
         body=lambda w, p: {"name": f"Matrix team {w.key()}"}),
    case("PATCH", "/api/teams/{team_id:int}",                         "401  403  403  403  403  403  ok",
         path=team(1), body=lambda w, p: {"name": TEAM_NAMES[1]}),
    case("GET", "/api/users",                                         "401  403  403  403  ok   ok   ok"),
    case("GET", "/api/users",                                         "401  403  403  403  ok   404  ok",
         query=lambda w, p: {"team_id": w.team[1]}),
    case("GET", "/api/users",                                         "401  403  403  403  404  ok   ok",
         query=lambda w, p: {"team_id": w.team[2]}),
    case("PATCH", "/api/users/{user_id:int}",                         "401  403  403  403  ok   404  ok",
         path=user("repA"), body=lambda w, p: {"name": PEOPLE["repA"][1]}),
    case("PATCH", "/api/users/{user_id:int}",                         "401  403  403  403  404  ok   ok",
         path=user("repC"), body=lambda w, p: {"name": PEOPLE["repC"][1]}),
    case("PATCH", "/api/users/{user_id:int}",                         "401  403  403  403  404  404  ok",
         path=user("mgr1"), body=lambda w, p: {"name": PEOPLE["mgr1"][1]},
         why="managers edit reps of their teams only, not managers (themselves included)"),
    case("GET", "/api/invites",                                       "401  403  403  403  ok   ok   ok"),
    case("POST", "/api/invites",                                      "401  403  403  403  ok   403  ok",
         body=lambda w, p: {"email": f"{w.key('inv')}@matrix.test", "name": "Neutral Invitee", "role": "rep",
                            "team_id": w.team[1]},
         why="the team is in the body: a manager of another team gets 403 (no team is confirmed)"),
    case("DELETE", "/api/invites/{invite_id:int}",                    "401  403  403  403  ok   404  ok",
         path=owned("invite_id", "invite", 1)),
    case("DELETE", "/api/invites/{invite_id:int}",                    "401  403  403  403  404  ok   ok",
         path=owned("invite_id", "invite", 2)),
    case("POST", "/api/invitations/lookup",                           "ok   ok   ok   ok   ok   ok   ok",
         body=lambda w, p: {"token": w.neutral_token}, why="public: the token (in the body) is the credential"),
    case("POST", "/api/invitations/accept",                           "ok   ok   ok   ok   ok   ok   ok", fresh=True,
         body=accept_body, why="public: the token is the credential (a fresh invitation per call)"),
    # -- team planning
    case("GET", "/api/teams/{team_id:int}/activity-types",            "401  ok   ok   404  ok   404  ok", path=team(1)),
    case("GET", "/api/teams/{team_id:int}/activity-types",            "401  404  404  ok   404  ok   ok", path=team(2)),
    case("POST", "/api/teams/{team_id:int}/activity-types",           "401  403  403  403  ok   404  ok", path=team(1),
         body=lambda w, p: {"name": f"Matrix {w.key()}"}),
    case("PUT", "/api/activity-types/{type_id:int}",                  "401  403  403  403  ok   404  ok",
         path=owned("type_id", "custom_type", 1),
         body=lambda w, p: {"name": "MK-T1-Typename", "quality_min": 2, "quality_bar": "MK-T1-Qualitybar"}),
    case("PUT", "/api/activity-types/{type_id:int}",                  "401  403  403  403  404  ok   ok",
         path=owned("type_id", "custom_type", 2),
         body=lambda w, p: {"name": "MK-T2-Typename", "quality_min": 2, "quality_bar": "MK-T2-Qualitybar"}),
    case("GET", "/api/teams/{team_id:int}/plan-settings",             "401  ok   ok   404  ok   404  ok", path=team(1)),
    case("PATCH", "/api/teams/{team_id:int}/plan-settings",           "401  403  403  403  ok   404  ok", path=team(1),
         body=lambda w, p: {"history_weeks": 8}),
    case("GET", "/api/teams/{team_id:int}/expectations",              "401  ok   ok   404  ok   404  ok", path=team(1)),
    case("PUT", "/api/teams/{team_id:int}/expectations",              "401  403  403  403  ok   404  ok", path=team(1),
         body=lambda w, p: {"text": "MK-T1-Expectations"}),
    case("GET", "/api/teams/{team_id:int}/plans",                     "401  403  403  403  ok   404  ok", path=team(1)),
    case("GET", "/api/teams/{team_id:int}/plans",                     "401  403  403  403  404  ok   ok", path=team(2)),
    # -- preferences, goals, funnel, weeks, plans
    case("GET", "/api/me/preferences",                                "401  ok   ok   ok   ok   ok   ok"),
    case("PUT", "/api/me/preferences",                                "401  ok   ok   ok   ok   ok   ok",
         body=lambda w, p: PREFERENCES),
    case("GET", "/api/users/{user_id:int}/preferences",               "401  403  403  403  ok   404  ok", path=user("repA")),
    case("GET", "/api/users/{user_id:int}/preferences",               "401  403  403  403  404  ok   ok", path=user("repC")),
    case("GET", "/api/me/time-off",                                   "401  ok   ok   ok   403  403  403"),
    case("POST", "/api/me/time-off",                                  "401  ok   ok   ok   403  403  403",
         body=time_off_body, why="time off is a rep's"),
    case("GET", "/api/reps/{user_id:int}/time-off",                   "401  ok   404  404  ok   404  ok", path=user("repA")),
    case("GET", "/api/reps/{user_id:int}/time-off",                   "401  404  404  ok   404  ok   ok", path=user("repC")),
    case("POST", "/api/reps/{user_id:int}/time-off",                  "401  ok   404  404  ok   404  ok", path=user("repA"),
         body=time_off_body),
    case("POST", "/api/reps/{user_id:int}/time-off",                  "401  404  404  ok   404  ok   ok", path=user("repC"),
         body=time_off_body),
    case("DELETE", "/api/time-off/{time_off_id:int}",                 "401  ok   404  404  ok   404  ok",
         path=fresh_time_off("repA")),
    case("DELETE", "/api/time-off/{time_off_id:int}",                 "401  404  404  ok   404  ok   ok",
         path=fresh_time_off("repC")),
    case("GET", "/api/me/goal",                                       "401  ok   ok   ok   ok   ok   ok"),
    case("PUT", "/api/me/goal",                                       "401  ok   ok   ok   403  403  403",
         body=lambda w, p: GOAL),
    case("POST", "/api/funnel",                                       "401  ok   ok   ok   403  403  403",
         body=lambda w, p: {"goal": GOAL}),
    case("POST", "/api/funnel",                                       "401  ok   404  404  ok   404  ok",
         body=lambda w, p: {"goal": GOAL, "user_id": w.uid["repA"]}),
    case("POST", "/api/funnel",                                       "401  404  404  ok   404  ok   ok",
         body=lambda w, p: {"goal": GOAL, "user_id": w.uid["repC"]}),
    case("GET", "/api/weeks/current",                                 "401  ok   ok   ok   403  403  403"),
    case("GET", "/api/weeks/current",                                 "401  ok   404  404  ok   404  ok",
         query=lambda w, p: {"user_id": w.uid["repA"]}),
    case("GET", "/api/weeks/current",                                 "401  404  404  ok   404  ok   ok",
         query=lambda w, p: {"user_id": w.uid["repC"]}),
    case("GET", "/api/weeks/{week_start:date}",                       "401  ok   ok   ok   403  403  403",
         path=lambda w, p: {"week_start": THIS_WEEK}),
    case("GET", "/api/weeks/{week_start:date}",                       "401  ok   404  404  ok   404  ok",
         path=lambda w, p: {"week_start": THIS_WEEK}, query=lambda w, p: {"user_id": w.uid["repA"]}),
    case("PUT", "/api/my-plans/{week_start:date}",                    "401  ok   ok   ok   403  403  403",
         path=lambda w, p: {"week_start": THIS_WEEK}, body=plan_body),
    case("POST", "/api/my-plans/{week_start:date}/commit",            "401  ok   ok   ok   403  403  403",
         path=lambda w, p: {"week_start": THIS_WEEK}),
    case("POST", "/api/plans/{plan_id:int}/comments",                 "401  ok   404  404  ok   404  ok",
         path=owned("plan_id", "plan", "repA"), body=lambda w, p: {"body": "Looks good", "client_key": w.key()}),
    case("POST", "/api/plans/{plan_id:int}/comments",                 "401  404  404  ok   404  ok   ok",
         path=owned("plan_id", "plan", "repC"), body=lambda w, p: {"body": "Looks good", "client_key": w.key()}),
    case("POST", "/api/plans/{plan_id:int}/acknowledge",              "401  403  403  403  ok   404  ok",
         path=owned("plan_id", "plan", "repA")),
    case("POST", "/api/plans/{plan_id:int}/acknowledge",              "401  403  403  403  404  ok   ok",
         path=owned("plan_id", "plan", "repC")),
    # -- sync
    case("POST", "/api/sync/push",                                    "401  ok   ok   ok   403  403  403", body=sync_push),
    case("GET", "/api/sync/pull",                                     "401  ok   ok   ok   403  403  403",
         query=lambda w, p: {"client_id": str(uuid.uuid4())}),
    case("GET", "/api/teams/{team_id:int}/sync",                      "401  403  403  403  ok   404  ok", path=team(1)),
    case("GET", "/api/teams/{team_id:int}/sync",                      "401  403  403  403  404  ok   ok", path=team(2)),
    # -- push reminders (every signed-in principal owns one device, see access_world)
    case("GET", "/api/push/public-key",                               "401  ok   ok   ok   ok   ok   ok"),
    case("GET", "/api/push/subscriptions",                            "401  ok   ok   ok   ok   ok   ok"),
    case("POST", "/api/push/subscriptions",                           "401  ok   ok   ok   ok   ok   ok",
         body=lambda w, p: subscription(p)),
    case("POST", "/api/push/subscriptions/remove",                    "401  ok   ok   ok   ok   ok   ok",
         body=lambda w, p: {"endpoint": subscription(p)["endpoint"]}),
    case("POST", "/api/push/test",                                    "401  ok   ok   ok   ok   ok   ok"),
    case("GET", "/api/push/next",                                     "401  ok   ok   ok   ok   ok   ok",
         why="each asks about their own reminders (null when they have none)"),
    # -- manager alerts: a manager's own choices and inbox (about the teams they manage)
    case("GET", "/api/me/alert-settings",                             "401  403  403  403  ok   ok   403"),
    case("PUT", "/api/me/alert-settings",                             "401  403  403  403  ok   ok   403",
         body=lambda w, p: ALERT_SETTINGS),
    case("GET", "/api/me/alerts",                                     "401  403  403  403  ok   ok   403"),
    case("GET", "/api/me/alerts/unread",                              "401  403  403  403  ok   ok   403"),
    case("POST", "/api/me/alerts/read",                               "401  403  403  403  ok   ok   403",
         body=lambda w, p: {"ids": [1]}, why="ids that are not the asker's alerts change nothing"),
    # -- manager review
    case("GET", "/api/teams/{team_id:int}/review",                    "401  403  403  403  ok   404  ok", path=team(1)),
    case("GET", "/api/teams/{team_id:int}/review",                    "401  403  403  403  404  ok   ok", path=team(2)),
    case("GET", "/api/teams/{team_id:int}/scrum",                     "401  403  403  403  ok   404  ok", path=team(1)),
    case("GET", "/api/teams/{team_id:int}/review-settings",           "401  403  403  403  ok   404  ok", path=team(1)),
    case("PATCH", "/api/teams/{team_id:int}/review-settings",         "401  403  403  403  ok   404  ok", path=team(1),
         body=lambda w, p: {"silent_working_days": 2}),
    case("GET", "/api/teams/{team_id:int}/coaching-questions",        "401  403  403  403  ok   404  ok", path=team(1)),
    case("POST", "/api/teams/{team_id:int}/coaching-questions",       "401  403  403  403  ok   404  ok", path=team(1),
         body=lambda w, p: {"text": f"Matrix question {w.key()}: what helped?", "gap": "growth",
                            "client_key": w.key()}),
    case("GET", "/api/reps/{user_id:int}/review",                     "401  ok   404  404  ok   404  ok", path=user("repA")),
    case("GET", "/api/reps/{user_id:int}/review",                     "401  404  404  ok   404  ok   ok", path=user("repC")),
    case("GET", "/api/reps/{user_id:int}/review",                     "401  404  404  404  404  404  404",
         path=user("mgr1"), why="a manager is nobody's rep: no drill-down, not even their own"),
    case("GET", "/api/kudos",                                         "401  ok   ok   ok   ok   ok   ok"),
    case("GET", "/api/kudos",                                         "401  ok   404  404  ok   404  ok",
         query=lambda w, p: {"user_id": w.uid["repA"]}),
    case("GET", "/api/kudos",                                         "401  404  404  ok   404  ok   ok",
         query=lambda w, p: {"user_id": w.uid["repC"]}),
    case("GET", "/api/kudos/teammates",                               "401  ok   ok   ok   403  403  403"),
    case("POST", "/api/kudos",                                        "401  422  ok   404  ok   404  ok",
         body=lambda w, p: {"user_id": w.uid["repA"], "message": "Nice work", "client_key": w.key()},
         why="rep A cannot thank themselves; rep B may (A chose to be named)"),
    case("POST", "/api/kudos",                                        "401  404  404  422  404  ok   ok",
         body=lambda w, p: {"user_id": w.uid["repC"], "message": "Nice work", "client_key": w.key()}),
    case("POST", "/api/kudos/{kudos_id:int}/seen",                    "401  ok   404  404  404  404  404",
         path=owned("kudos_id", "kudos", "repA"), why="only the rep marks their kudos seen"),
    case("GET", "/api/export/{kind:str}",                             "401  ok   404  404  ok   404  ok",
         path=lambda w, p: {"kind": "activities"}, query=lambda w, p: {**EXPORT, "user_id": w.uid["repA"]}),
    case("GET", "/api/export/{kind:str}",                             "401  403  403  404  ok   404  ok",
         path=lambda w, p: {"kind": "plans"}, query=lambda w, p: {**EXPORT, "team_id": w.team[1]},
         why="a rep exports their own activity, not the team's (403 in their own team, 404 in another)"),
    case("GET", "/api/export/{kind:str}",                             "401  404  404  403  404  ok   ok",
         path=lambda w, p: {"kind": "progress"}, query=lambda w, p: {**EXPORT, "team_id": w.team[2]}),
    # -- coaching loop
    case("GET", "/api/reps/{user_id:int}/checkin-schedule",           "401  ok   404  404  ok   404  ok", path=user("repA")),
    case("GET", "/api/reps/{user_id:int}/checkin-schedule",           "401  404  404  ok   404  ok   ok", path=user("repC")),
    case("PUT", "/api/reps/{user_id:int}/checkin-schedule",           "401  403  403  403  ok   404  ok", path=user("repA"),
         body=lambda w, p: {"weekdays": [3], "time": "10:00"}),
    case("PUT", "/api/reps/{user_id:int}/checkin-schedule",           "401  403  403  403  404  ok   ok", path=user("repC"),
         body=lambda w, p: {"weekdays": [3], "time": "10:00"}),
    case("GET", "/api/reps/{user_id:int}/reflections/{week_start:date}", "401  ok   404  404  ok   404  ok",
         path=lambda w, p: {"user_id": w.uid["repA"], "week_start": THIS_WEEK}),
    case("GET", "/api/reps/{user_id:int}/reflections/{week_start:date}", "401  404  404  ok   404  ok   ok",
         path=lambda w, p: {"user_id": w.uid["repC"], "week_start": THIS_WEEK}),
    case("GET", "/api/reps/{user_id:int}/checkin-workspace",          "401  403  403  403  ok   404  ok", path=user("repA")),
    case("GET", "/api/reps/{user_id:int}/checkin-workspace",          "401  403  403  403  404  ok   ok", path=user("repC")),
    case("POST", "/api/reps/{user_id:int}/checkins",                  "401  403  403  403  ok   404  ok", path=user("repA"),
         body=lambda w, p: {"client_key": w.key()}, why="200 with the open check-in"),
    case("POST", "/api/reps/{user_id:int}/checkins",                  "401  403  403  403  404  ok   ok", path=user("repC"),
         body=lambda w, p: {"client_key": w.key()}),
    case("GET", "/api/checkins/{checkin_id:int}",                     "401  ok   404  404  ok   404  ok",
         path=owned("checkin_id", "checkin", "repA")),
    case("GET", "/api/checkins/{checkin_id:int}",                     "401  ok   404  404  ok   404  ok",
         path=owned("checkin_id", "closed_checkin", "repA"), why="closed, with an audited private note"),
    case("GET", "/api/checkins/{checkin_id:int}",                     "401  404  404  ok   404  ok   ok",
         path=owned("checkin_id", "closed_checkin", "repC")),
    case("POST", "/api/checkins/{checkin_id:int}/notes",              "401  403  403  403  ok   404  ok",
         path=owned("checkin_id", "checkin", "repA"), body=lambda w, p: {"body": "Matrix note", "client_key": w.key()}),
    case("POST", "/api/checkins/{checkin_id:int}/notes",              "401  403  403  403  404  ok   ok",
         path=owned("checkin_id", "checkin", "repC"), body=lambda w, p: {"body": "Matrix note", "client_key": w.key()}),
    case("PATCH", "/api/checkin-notes/{note_id:int}",                 "401  403  403  403  ok   404  ok",
         path=owned("note_id", "note", "repA"), body=lambda w, p: {"body": "Edited in the matrix", "shared": True}),
    case("PATCH", "/api/checkin-notes/{note_id:int}",                 "401  403  403  403  404  ok   ok",
         path=owned("note_id", "note", "repC"), body=lambda w, p: {"body": "Edited in the matrix", "shared": True}),
    case("PATCH", "/api/checkin-notes/{note_id:int}",                 "401  403  403  403  ok   404  404",
         path=owned("note_id", "private_note", "repA"), body=lambda w, p: {"shared": False},
         why="a private note is its author's alone: to anyone else it does not exist (issue 14)"),
    case("PATCH", "/api/checkin-notes/{note_id:int}",                 "401  403  403  403  404  ok   404",
         path=owned("note_id", "private_note", "repC"), body=lambda w, p: {"shared": False}),
    case("POST", "/api/checkins/{checkin_id:int}/commitments",        "401  403  403  403  ok   404  ok",
         path=owned("checkin_id", "checkin", "repA"),
         body=lambda w, p: {"text": "Matrix commitment", "due_on": "2026-11-27", "client_key": w.key()}),
    case("POST", "/api/checkins/{checkin_id:int}/commitments",        "401  403  403  403  404  ok   ok",
         path=owned("checkin_id", "checkin", "repC"),
         body=lambda w, p: {"text": "Matrix commitment", "due_on": "2026-11-27", "client_key": w.key()}),
    case("POST", "/api/commitments/{commitment_id:int}/mark",         "401  403  403  403  ok   404  ok",
         path=owned("commitment_id", "commitment", "repA"), body=lambda w, p: {"status": "met"}),
    case("POST", "/api/commitments/{commitment_id:int}/mark",         "401  403  403  403  404  ok   ok",
         path=owned("commitment_id", "commitment", "repC"), body=lambda w, p: {"status": "met"}),
    case("GET", "/api/reps/{user_id:int}/commitments",                "401  ok   404  404  ok   404  ok", path=user("repA")),
    case("GET", "/api/reps/{user_id:int}/commitments",                "401  404  404  ok   404  ok   ok", path=user("repC")),
    case("GET", "/api/reps/{user_id:int}/timeline",                   "401  ok   404  404  ok   404  ok", path=user("repA")),
    case("GET", "/api/reps/{user_id:int}/timeline",                   "401  404  404  ok   404  ok   ok", path=user("repC")),
    case("GET", "/api/me/self-coaching",                              "401  ok   ok   ok   403  403  403",
         query=lambda w, p: {"trigger": "setback"}),
    case("GET", "/api/teams/{team_id:int}/self-coaching",             "401  403  403  403  ok   404  ok", path=team(1)),
    case("GET", "/api/teams/{team_id:int}/self-coaching",             "401  403  403  403  404  ok   ok", path=team(2)),
    case("POST", "/api/teams/{team_id:int}/self-coaching",            "401  403  403  403  ok   404  ok", path=team(1),
         body=lambda w, p: {"text": f"Matrix prompt {w.key()}: what worked?", "trigger": "behind",
                            "client_key": w.key()}),
    # -- last: rows that archive or close what the rows above still use
    case("DELETE", "/api/coaching-questions/{question_id:str}",       "401  403  403  403  ok   404  ok",
         path=owned("question_id", "question", 1)),
    case("DELETE", "/api/coaching-questions/{question_id:str}",       "401  403  403  403  404  ok   ok",
         path=owned("question_id", "question", 2)),
    case("DELETE", "/api/self-coaching/{prompt_id:str}",              "401  403  403  403  ok   404  ok",
         path=owned("prompt_id", "prompt", 1)),
    case("DELETE", "/api/self-coaching/{prompt_id:str}",              "401  403  403  403  404  ok   ok",
         path=owned("prompt_id", "prompt", 2)),
    case("POST", "/api/checkins/{checkin_id:int}/close",              "401  403  403  403  ok   404  ok",
         path=owned("checkin_id", "checkin", "repA")),
    case("POST", "/api/checkins/{checkin_id:int}/close",              "401  403  403  403  404  ok   ok",
         path=owned("checkin_id", "checkin", "repC")),
]

# Routes deliberately left out of the table. The PWA's files are public by design (the SPA
# shell, its assets, the service worker): they carry no data, and the fallback refuses every
# /api/… and /schema/… path (test_unknown_api_paths_are_not_swallowed_by_the_spa checks that).
# Litestar's automatic OPTIONS handler on every path and HEAD next to a GET are not listed: they
# answer from the GET route's own handler or with the Allow header only.
NOT_IN_TABLE = {("GET", "/"), ("GET", "/{path:path}")}


def app_routes(app) -> set[tuple[str, str]]:
    """Every (method, path template) the app answers, except NOT_IN_TABLE."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):  # a websocket or a mounted ASGI app: list it too
            found.add((type(route).__name__, route.path))
            continue
        for handler in route.route_handlers:
            automatic = handler.handler_name == "options_handler" and handler.fn.__module__.startswith("litestar.")
            if automatic:
                continue
            methods = set(handler.http_methods)
            if "GET" in methods:
                methods.discard("HEAD")
            found |= {(method, route.path) for method in methods}
    return found - NOT_IN_TABLE


def coverage_problems(app) -> list[str]:
    declared = {(c.method, c.route) for c in TABLE}
    present = app_routes(app)
    return ([f"route missing from the table: {m} {p}" for m, p in sorted(present - declared)]
            + [f"table lists a route the app does not have: {m} {p}" for m, p in sorted(declared - present)])


# ----------------------------------------------------------------------------- running a row
async def _resolve(builder: Builder | None, w: World, principal: str) -> Any:
    if builder is None:
        return None
    value = builder(w, principal)
    return await value if inspect.isawaitable(value) else value


def fill(route: str, params: dict) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(params[m.group(1)]), route)


async def call(w: World, row: Case, principal: str) -> tuple[str, httpx.Response]:
    url = fill(row.route, await _resolve(row.path, w, principal) or {})
    query = await _resolve(row.query, w, principal)
    body = await _resolve(row.body, w, principal)
    client = await w.session(principal) if row.fresh else w.clients[principal]
    try:
        response = await client.request(row.method, url, params=query, json=body)
    finally:
        if row.fresh:
            await client.aclose()
    shown = url + ("?" + str(httpx.QueryParams(query)) if query else "")
    return shown, response


def people_strings() -> set[str]:
    return {s for email, name, _, _ in PEOPLE.values() for s in (email, name)}


def leaks(text: str, forbidden: set[str]) -> list[str]:
    return sorted(s for s in forbidden if s in text)


def check_answer(w: World, principal: str, method: str, url: str, response: httpx.Response, expected) -> list[str]:
    """Status as declared; a denial is a bare ErrorBody; an answer holds nothing not yours."""
    what = f"{method} {url}"
    problems = []
    status = response.status_code
    allowed = 200 <= status < 300
    if expected == OK and not allowed:
        problems.append(f"{what} as {principal}: DENIED {status}, the table allows it: {response.text[:300]}")
    elif expected != OK and status != expected:
        verdict = "ALLOWED" if allowed else "got"
        problems.append(f"{what} as {principal}: {verdict} {status}, the table says {expected}: "
                        f"{response.text[:300]}")
    if allowed:
        found = leaks(response.text, w.forbidden_markers(principal))
        if found:
            problems.append(f"{what} as {principal}: the answer holds data that is not theirs: {found}")
        return problems
    # Every /api answer is JSON; Litestar's own /schema/… 404 is an empty HTML page (no data).
    if url.startswith("/api"):
        try:
            error = response.json()
        except ValueError:
            error = None
        if not isinstance(error, dict) or not set(error) <= {"status_code", "detail", "extra"} or \
                error.get("status_code") != status or not isinstance(error.get("detail"), str):
            problems.append(f"{what} as {principal}: the {status} is not an ErrorBody: {response.text[:300]}")
    found = leaks(response.text, w.all_markers() | people_strings())
    if found:
        problems.append(f"{what} as {principal}: the {status} answer names {found}")
    return problems


async def run_matrix(w: World) -> tuple[list[str], int]:
    failures: list[str] = []
    calls = 0
    for row in TABLE:
        for principal, expected in zip(PRINCIPALS, row.expect, strict=True):
            shown, response = await call(w, row, principal)
            calls += 1
            failures += check_answer(w, principal, row.method, shown, response, expected)
    return failures, calls


# ----------------------------------------------------------------------------- the tests
def test_every_route_is_in_the_table():
    from backend.app import create_app

    problems = coverage_problems(create_app(manage_pool=False))
    assert not problems, "\n".join(problems)


async def test_access_matrix(app, frozen_clock):
    started = time.perf_counter()
    w = await build_world(app)
    failures, calls = await run_matrix(w)
    failures += coverage_problems(app)
    assert calls == len(TABLE) * len(PRINCIPALS)
    print(f"\naccess matrix: {len(TABLE)} rows over {len({(c.method, c.route) for c in TABLE})} routes, "
          f"{calls} calls in {time.perf_counter() - started:.1f}s")
    assert not failures, f"{len(failures)} access-control failures:\n" + "\n".join(failures)


async def test_unknown_api_paths_are_not_swallowed_by_the_spa(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as anon:
        for path in ("/api/nothing-here", "/api/teams/1/nothing", "/schema/nothing/here"):
            response = await anon.get(path)
            assert response.status_code in (401, 404), (path, response.status_code)
            assert response.headers["content-type"].startswith("application/json"), path


# ----------------------------------------------------------------------------- lists
class Findings(list):
    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.append(message)


async def test_lists_hold_only_what_is_yours(app, frozen_clock):
    """Positive checks on the lists: each principal sees their own rows, all of them, and no
    row of the other team (the matrix already scans every answer for foreign markers)."""
    w = await build_world(app)
    c, uid, f = w.clients, w.uid, Findings()

    async def get(principal: str, url: str, **params):
        response = await c[principal].get(url, params=params or None)
        f.check(response.status_code == 200, f"GET {url} {params} as {principal}: {response.status_code}")
        return response.json() if response.status_code == 200 else None

    team1, team2 = {uid["mgr1"], uid["repA"], uid["repB"]}, {uid["mgr2"], uid["repC"]}
    users = {p: {u["id"] for u in await get(p, "/api/users") or []} for p in ("mgr1", "mgr2", "admin")}
    f.check(users["mgr1"] == team1, f"GET /api/users as mgr1: {users['mgr1']} != team 1 {team1}")
    f.check(users["mgr2"] == team2, f"GET /api/users as mgr2: {users['mgr2']} != team 2 {team2}")
    f.check(users["admin"] >= team1 | team2 | {uid["admin"]}, "GET /api/users as admin misses someone")

    for p, wanted in (("repA", {1}), ("repB", {1}), ("repC", {2}), ("mgr1", {1}), ("mgr2", {2})):
        teams = {t["id"] for t in await get(p, "/api/teams") or []}
        f.check(teams == {w.team[n] for n in wanted}, f"GET /api/teams as {p}: {teams}")
    teams = {t["id"] for t in await get("admin", "/api/teams") or []}
    f.check(teams >= set(w.team.values()), f"GET /api/teams as admin: {teams}")

    for p, n in (("mgr1", 1), ("mgr2", 2)):
        invites = await get(p, "/api/invites") or []
        f.check({i["team"]["id"] for i in invites} == {w.team[n]}, f"GET /api/invites as {p}: {invites}")
        f.check(w.invite[n] in {i["id"] for i in invites}, f"GET /api/invites as {p} misses their invite")
        f.check(all("invite_url" not in i or i["invite_url"] is None for i in invites),
                f"GET /api/invites as {p} shows invite links again")

    for p in ("repA", "repB", "repC"):
        kudos = await get(p, "/api/kudos") or []
        f.check({k["user_id"] for k in kudos} <= {uid[p]}, f"GET /api/kudos as {p}: someone else's kudos")
        if p in w.kudos:
            f.check(w.kudos[p] in {k["id"] for k in kudos}, f"GET /api/kudos as {p} misses their kudos")
        pulled = await get(p, "/api/sync/pull", client_id=str(uuid.uuid4()))
        f.check({a["id"] for a in (pulled or {}).get("changes", [])} == {w.activity[p]},
                f"GET /api/sync/pull as {p}: {pulled}")
        devices = await get(p, "/api/push/subscriptions") or []
        f.check(len(devices) == 1, f"GET /api/push/subscriptions as {p}: {devices}")
    mates = {p: [t["user_id"] for t in await get(p, "/api/kudos/teammates") or []] for p in ("repA", "repC")}
    f.check(mates == {"repA": [uid["repB"]], "repC": []}, f"GET /api/kudos/teammates: {mates}")

    for p, n, reps in (("mgr1", 1, {uid["repA"], uid["repB"]}), ("admin", 1, {uid["repA"], uid["repB"]}),
                       ("mgr2", 2, {uid["repC"]}), ("admin", 2, {uid["repC"]})):
        tid = w.team[n]
        review = await get(p, f"/api/teams/{tid}/review") or {"rows": []}
        f.check({r["user_id"] for r in review["rows"]} == reps, f"team {n} review as {p}: {review['rows']}")
        week = await get(p, f"/api/teams/{tid}/plans") or {"rows": []}
        f.check({r["user_id"] for r in week["rows"]} == reps, f"team {n} plans as {p}")
        sync = await get(p, f"/api/teams/{tid}/sync") or []
        f.check({r["user_id"] for r in sync} == reps, f"team {n} sync as {p}: {sync}")
        scrum = await get(p, f"/api/teams/{tid}/scrum") or {"cards": []}
        names = {PEOPLE[r][1] for r in ("repA", "repB", "repC") if uid[r] in reps}
        f.check({card["display_name"] for card in scrum["cards"]} == names, f"team {n} scrum as {p}")
        questions = {q["id"] for q in await get(p, f"/api/teams/{tid}/coaching-questions") or []}
        f.check(w.question[n] in questions and w.question[3 - n] not in questions, f"team {n} questions as {p}")
        prompts = {q["id"] for q in await get(p, f"/api/teams/{tid}/self-coaching") or []}
        f.check(w.prompt[n] in prompts and w.prompt[3 - n] not in prompts, f"team {n} prompts as {p}")
        csv = await c[p].get("/api/export/activities", params={**EXPORT, "team_id": tid})
        mine, theirs = (("MK-A-Account", "MK-B-Account"), ("MK-C-Account",)) if n == 1 else \
            (("MK-C-Account",), ("MK-A-Account", "MK-B-Account"))
        f.check(all(s in csv.text for s in mine) and not any(s in csv.text for s in theirs),
                f"team {n} CSV export as {p}: {csv.status_code} {csv.text[:300]}")

    for p, n in (("repA", 1), ("repC", 2)):
        types = {t["id"] for t in await get(p, f"/api/teams/{w.team[n]}/activity-types") or []}
        f.check(w.custom_type[n] in types and w.custom_type[3 - n] not in types, f"activity types as {p}")

    # A rep reads their check-ins and timeline: shared notes yes, private notes and their audit never.
    for p, letter in (("repA", "A"), ("repC", "C")):
        checkin = await get(p, f"/api/checkins/{w.closed_checkin[p]}") or {}
        text = str(checkin)
        f.check(f"MK-{letter}-Sharednote" in text, f"{p} does not see the shared note: {text[:300]}")
        f.check(not leaks(text, w.markers[f"{letter}-private"]), f"{p} sees a private note: {text[:500]}")
        timeline = str(await get(p, f"/api/reps/{uid[p]}/timeline"))
        f.check(not leaks(timeline, w.markers[f"{letter}-private"]), f"{p}'s timeline shows a private note")
        commitments = await get(p, f"/api/reps/{uid[p]}/commitments") or []
        f.check({x["user_id"] for x in commitments} == {uid[p]}, f"{p}'s commitments: {commitments}")
    manager_view = str(await get("mgr1", f"/api/checkins/{w.closed_checkin['repA']}"))
    f.check("MK-A-Privateafter" in manager_view, "the manager does not see their own private note")
    assert not f, f"{len(f)} list problems:\n" + "\n".join(f)


# ----------------------------------------------------------------------------- ids in bodies
async def test_owner_fields_in_bodies_cannot_move_data(app, frozen_clock):
    """Ids that travel in a body (or a query, or a client_key) never reach someone else's data."""
    w = await build_world(app)
    c, uid, f = w.clients, w.uid, Findings()

    async def denied(principal: str, method: str, url: str, allowed: tuple[int, ...], **kwargs) -> None:
        response = await c[principal].request(method, url, **kwargs)
        f.check(response.status_code in allowed,
                f"{method} {url} {kwargs} as {principal}: {response.status_code}, wanted one of {allowed}: "
                f"{response.text[:300]}")
        if response.status_code >= 400:
            found = leaks(response.text, w.all_markers() | people_strings())
            f.check(not found, f"{method} {url} as {principal}: the denial names {found}")

    async def push(principal: str, body: dict) -> list[dict]:
        response = await c[principal].post("/api/sync/push", json=body)
        f.check(response.status_code == 200, f"sync push as {principal}: {response.status_code} {response.text}")
        return response.json()["results"] if response.status_code == 200 else []

    async def pulled(principal: str) -> dict[str, dict]:
        page = (await c[principal].get("/api/sync/pull", params={"client_id": str(uuid.uuid4())})).json()
        return {a["id"]: a for a in page["changes"]}

    # Kudos for someone else's rep: 404, and nothing is stored for that rep.
    before = (await c["mgr2"].get("/api/kudos", params={"user_id": uid["repC"]})).json()
    await denied("mgr1", "POST", "/api/kudos", (404,), json={"user_id": uid["repC"], "message": "Hi"})
    await denied("repA", "POST", "/api/kudos", (404,), json={"user_id": uid["repC"], "message": "Hi"})
    await denied("repA", "POST", "/api/kudos", (404,), json={"user_id": uid["mgr1"], "message": "Hi"})
    after = (await c["mgr2"].get("/api/kudos", params={"user_id": uid["repC"]})).json()
    f.check(before == after, "kudos reached another team's rep")
    # Seen only by their rep.
    await denied("mgr1", "POST", f"/api/kudos/{w.kudos['repC']}/seen", (404,))
    await denied("repB", "POST", f"/api/kudos/{w.kudos['repA']}/seen", (404,))
    seen = (await c["mgr1"].get("/api/kudos", params={"user_id": uid["repA"]})).json()
    f.check(all(k["seen_at"] is None for k in seen), "someone else marked rep A's kudos seen")

    # Sync: ids are per owner. Another rep's activity id in a mutation is answered exactly as an
    # id nobody used (no existence oracle), and their activity is untouched.
    theirs, nobodys = w.activity["repB"], str(uuid.uuid4())
    answers: dict[str, list] = {}
    for entity in (theirs, nobodys):
        for kind in ("activity.update", "activity.delete", "activity.create"):
            results = await push("repA", w.activity_body("repA", kind, entity_id=entity, account="Moved by A"))
            answers.setdefault(entity, []).extend((r["status"], r.get("code"), r.get("message")) for r in results)
    f.check(answers[theirs] == answers[nobodys], f"sync answers tell another rep's id from an unknown one: {answers}")
    f.check([a[:2] for a in answers[theirs]] == [("rejected", "not_found"), ("applied", None), ("rejected", "deleted")],
            f"sync mutations on another rep's activity: {answers[theirs]}")
    results = await push("repC", w.activity_body("repC", "activity.update", entity_id=w.activity["repA"],
                                                 account="Moved by C"))
    f.check([(r["status"], r.get("code")) for r in results] == [("rejected", "not_found")],
            f"sync update of another team's rep's activity: {results}")
    b_view = await pulled("repB")
    f.check(b_view.get(theirs, {}).get("account_name") == "MK-B-Account" and not b_view[theirs]["deleted"],
            f"rep B's activity changed: {b_view.get(theirs)}")
    # Rep A's pull holds only rep A's own tombstone for that id, none of rep B's data.
    a_view = (await pulled("repA")).get(theirs)
    f.check(a_view is None or (a_view["deleted"] and a_view.get("account_name") is None),
            f"rep B's activity reached rep A's pull: {a_view}")
    a_view = await pulled("repA")
    f.check(a_view.get(w.activity["repA"], {}).get("account_name") == "MK-A-Account", "rep A's activity changed")
    # Another rep's reflection id: for rep B an id like any unknown one (ids are per owner), it
    # writes rep B's own reflection of that week and never rep A's.
    answers = []
    for entity, wins in ((w.reflection["repA"], "Overwritten by B"), (str(uuid.uuid4()), "Written by B")):
        reflection = w.activity_body("repB", "reflection.upsert", entity_id=entity)
        reflection["mutations"][0]["payload"] = {"week_start": THIS_WEEK, "wins": wins}
        answers.append([(r["status"], r.get("code"), r.get("message")) for r in await push("repB", reflection)])
    f.check(answers[0] == answers[1] == [("applied", None, None)],
            f"reflection.upsert with rep A's reflection id as rep B, then an unknown id: {answers}")
    kept = (await c["mgr1"].get(f"/api/reps/{uid['repA']}/reflections/{THIS_WEEK}")).json()
    f.check(kept and kept["wins"] == "MK-A-Reflectionwins", f"rep A's reflection changed: {kept}")
    # Another rep's device id is a new device of one's own (devices are per user): applied, not duplicate.
    borrowed = w.activity_body("repB")
    borrowed["client_id"] = w.ck["device:repA"]
    results = await push("repB", borrowed)
    f.check([r["status"] for r in results] == ["applied"], f"rep B pushing with rep A's device id: {results}")
    page = (await c["repB"].get("/api/sync/pull", params={"client_id": w.ck["device:repA"]})).json()
    f.check(page["last_applied_seq"] == 1, f"rep B's pull with rep A's device id sees seq {page['last_applied_seq']}")
    # Another team's activity type.
    results = await push("repA", w.activity_body("repA", team_number=2))
    f.check([(r["status"], r.get("code")) for r in results] == [("rejected", "unknown_activity_type")],
            f"an activity of another team's type: {results}")

    # Plans, commitments, funnel, weeks: another team's ids are refused.
    other_type = [{"activity_type_id": w.types[2][0], "target": 3}]
    await denied("repA", "PUT", f"/api/my-plans/{THIS_WEEK}", (422,), json={"targets": other_type, "reason": "x"})
    await denied("mgr1", "POST", f"/api/checkins/{w.checkin['repA']}/commitments", (422,), json={
        "text": "Two visits", "due_on": "2026-11-27", "activity_type_id": w.types[2][0], "target_count": 2})
    await denied("mgr1", "POST", "/api/funnel", (404,), json={"goal": GOAL, "user_id": uid["repC"]})
    await denied("mgr1", "GET", "/api/weeks/current", (404,), params={"user_id": uid["repC"]})
    await denied("mgr1", "GET", "/api/export/activities", (404,), params={**EXPORT, "user_id": uid["repC"]})
    await denied("mgr1", "GET", "/api/export/activities", (422,),
                 params={**EXPORT, "user_id": uid["repA"], "team_id": w.team[2]})

    # The check-in schedule of another team's rep.
    await denied("mgr1", "PUT", f"/api/reps/{uid['repC']}/checkin-schedule", (404,),
                 json={"weekdays": [0], "time": "08:00"})
    schedule = (await c["mgr2"].get(f"/api/reps/{uid['repC']}/checkin-schedule")).json()
    f.check(schedule["weekdays"] == [3] and schedule["set_by"] == PEOPLE["mgr2"][1], f"rep C's schedule: {schedule}")
    # Someone else's note and activity type.
    await denied("mgr2", "PATCH", f"/api/checkin-notes/{w.note['repA']}", (404,), json={"body": "Moved", "reason": "moved by another team"})
    await denied("mgr2", "PUT", f"/api/activity-types/{w.custom_type[1]}", (404,), json={"name": "Moved"})
    types = (await c["mgr1"].get(f"/api/teams/{w.team[1]}/activity-types")).json()
    f.check("MK-T1-Typename" in {t["name"] for t in types}, "team 1's activity type was renamed")

    # Invitations and users: team and role in the body.
    before = (await c["mgr2"].get("/api/invites")).json()
    await denied("mgr1", "POST", "/api/invites", (403, 404), json={
        "email": "sneaky@matrix.test", "name": "Sneaky", "role": "rep", "team_id": w.team[2]})
    await denied("mgr1", "POST", "/api/invites", (403,), json={
        "email": "boss@matrix.test", "name": "Boss", "role": "manager", "team_id": w.team[1]})
    await denied("mgr1", "POST", "/api/invites", (403,), json={"email": "root@matrix.test", "name": "Root", "role": "admin"})
    f.check((await c["mgr2"].get("/api/invites")).json() == before, "an invite landed in team 2")
    await denied("mgr1", "PATCH", f"/api/users/{uid['repA']}", (403,), json={"team_id": w.team[2]})
    await denied("mgr1", "PATCH", f"/api/users/{uid['repA']}", (403,), json={"role": "manager"})
    await denied("mgr1", "PATCH", f"/api/users/{uid['repC']}", (404,), json={"name": "Renamed", "active": False})
    await denied("admin", "POST", "/api/teams", (422,), json={"name": "Rep-led team", "manager_ids": [uid["repA"]]})
    await denied("admin", "PATCH", f"/api/teams/{w.team[2]}", (422,), json={"manager_ids": [uid["repC"]]})
    people = {u["id"]: u for u in (await c["admin"].get("/api/users")).json()}
    f.check(people[uid["repA"]]["role"] == "rep" and people[uid["repA"]]["team"]["id"] == w.team[1],
            f"rep A moved: {people[uid['repA']]}")
    f.check(people[uid["repC"]]["name"] == PEOPLE["repC"][1] and people[uid["repC"]]["active"],
            f"rep C changed: {people[uid['repC']]}")
    # Fields a body does not have are not obeyed: /api/me and preferences change only yourself.
    await denied("repA", "PATCH", "/api/me", (200, 400), json={"role": "admin", "team_id": w.team[2],
                                                               "id": uid["repB"], "name": PEOPLE["repA"][1]})
    me = (await c["repA"].get("/api/me")).json()
    f.check(me["role"] == "rep" and me["team"]["id"] == w.team[1] and me["id"] == uid["repA"], f"rep A is now {me}")
    await denied("repA", "PUT", "/api/me/preferences", (200, 400), json={**PREFERENCES, "user_id": uid["repB"],
                                                                         "style": "autonomy"})
    b_prefs = (await c["mgr1"].get(f"/api/users/{uid['repB']}/preferences")).json()
    f.check(b_prefs["style"] == "often", f"rep A changed rep B's preferences: {b_prefs}")
    accepted = await (await w.session("anon")).post("/api/invitations/accept", json={"token": await w.neutral_invite(),
        "password": "newcomer-pass-2026", "role": "admin", "team_id": w.team[1]})
    f.check(accepted.status_code in (200, 400), f"accept with extra fields: {accepted.status_code}")
    if accepted.status_code == 200:
        f.check(accepted.json()["role"] == "rep" and accepted.json()["team"]["id"] == w.neutral_team,
                f"an invitee chose their own role or team: {accepted.json()}")

    # Push: another account's endpoint is neither taken over nor removed.
    await denied("repB", "POST", "/api/push/subscriptions", (409,), json={**subscription("b"),
                                                                          "endpoint": w.endpoint["repA"]})
    await denied("repB", "POST", "/api/push/subscriptions/remove", (204,), json={"endpoint": w.endpoint["repA"]})
    devices = (await c["repA"].get("/api/push/subscriptions")).json()
    f.check(len(devices) == 1, f"rep A's device was removed or moved: {devices}")

    # Client keys are per owner: reusing another's key never returns their object.
    reuse = [
        ("mgr2", "POST", "/api/kudos", {"user_id": uid["repC"], "message": "Hi", "client_key": w.ck["kudos:repA"]}),
        ("repB", "POST", "/api/kudos", {"user_id": uid["repA"], "message": "Hi", "client_key": w.ck["kudos:repA"]}),
        ("mgr2", "POST", f"/api/reps/{uid['repC']}/checkins", {"client_key": w.ck["checkin:repA"]}),
        ("mgr2", "POST", f"/api/checkins/{w.checkin['repC']}/notes", {"body": "x", "client_key": w.ck["note:repA"]}),
        # The admin may add notes to that very check-in, but the key is mgr1's private note's.
        ("admin", "POST", f"/api/checkins/{w.checkin['repA']}/notes", {"body": "x", "client_key": w.ck["note:repA"]}),
        ("mgr2", "POST", f"/api/checkins/{w.checkin['repC']}/commitments",
         {"text": "Call back", "due_on": "2026-11-27", "client_key": w.ck["commitment:repA"]}),
        ("mgr2", "POST", f"/api/plans/{w.plan['repC']}/comments", {"body": "x", "client_key": w.ck["comment:repA"]}),
        ("mgr2", "POST", f"/api/teams/{w.team[2]}/coaching-questions",
         {"text": "What got in the way this week?", "gap": "growth", "client_key": w.ck["question:1"]}),
        ("mgr2", "POST", f"/api/teams/{w.team[2]}/self-coaching",
         {"text": "What got in the way this week?", "trigger": "behind", "client_key": w.ck["prompt:1"]}),
    ]
    for principal, method, url, body in reuse:
        response = await c[principal].request(method, url, json=body)
        found = leaks(response.text, w.forbidden_markers(principal) | w.markers["A"] | w.markers["T1"])
        f.check(response.status_code in (409, 422) and not found,
                f"{method} {url} as {principal} with team 1's client_key {body['client_key']}: "
                f"{response.status_code} {response.text[:300]}")
    assert not f, f"{len(f)} problems:\n" + "\n".join(f)
