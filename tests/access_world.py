"""A small world for the access-control tests (tests/test_access_matrix.py).

Two teams and seven principals, each owning their own data, created through the API the way
the PWA would (so every object exists exactly as it does in production):

    team 1 "Team Orchid":  manager mgr1, reps repA and repB
    team 2 "Team Basalt":  manager mgr2, rep repC
    admin                  no team
    anon                   no session at all

Everything a principal owns carries a marker string (MK-…) so a test can tell, from the text
of any answer, whether someone else's data leaked into it.
"""

from __future__ import annotations

import base64
import itertools
import os
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.accounts.web import SESSION_COOKIE
from backend.core import clock
from backend.reminders.sender import PushSender
from tests.conftest import Client, make_client

PRINCIPALS = ("anon", "repA", "repB", "repC", "mgr1", "mgr2", "admin")
PASSWORD = "matrix-pass-2026"
THIS_WEEK = "2026-11-23"  # the frozen clock stands at Wednesday 2026-11-25 09:00 UTC
LAST_WEEK = "2026-11-16"
PUSH_ORIGIN = "https://push.test"
ZONE = "Europe/Berlin"

PEOPLE = {
    # principal: (email, name, role, team number)
    "admin": ("ada.adminova@matrix.test", "Ada Adminova", "admin", None),
    "mgr1": ("mona.orchid@matrix.test", "Mona Orchidmanager", "manager", 1),
    "mgr2": ("nils.basalt@matrix.test", "Nils Basaltmanager", "manager", 2),
    "repA": ("alice.anchorage@matrix.test", "Alice Anchorage", "rep", 1),
    "repB": ("bruno.brightwater@matrix.test", "Bruno Brightwater", "rep", 1),
    "repC": ("carla.cobblestone@matrix.test", "Carla Cobblestone", "rep", 2),
}
TEAM_NAMES = {1: "Team Orchid", 2: "Team Basalt"}
NEUTRAL_TEAM = "Team Neutral"  # invitations that anyone may open or accept point here
# Not a principal: the account anon signs in with in the login row (it owns nothing).
NEUTRAL_USER = ("nina.neutral@matrix.test", "Nina Neutral")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def subscription(name: str = "device") -> dict:
    """A browser's PushSubscription.toJSON() with real keys, at the fake push service."""
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"endpoint": f"{PUSH_ORIGIN}/send/{name}-{b64(os.urandom(8))}",
            "keys": {"p256dh": b64(point), "auth": b64(os.urandom(16))}, "client_id": str(uuid.uuid4())}


class FakePushService:
    def __init__(self) -> None:
        self.received: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.received.append(request)
        return httpx.Response(201)


@dataclass
class World:
    app: object
    clients: dict[str, Client]
    uid: dict[str, int]  # principal -> user id (admin, managers, reps)
    team: dict[int, int]  # team number -> team id
    neutral_team: int = 0
    types: dict[int, list[int]] = field(default_factory=dict)  # team number -> active type ids
    custom_type: dict[int, int] = field(default_factory=dict)  # team number -> a type its manager made
    plan: dict[str, int] = field(default_factory=dict)  # rep -> this week's plan id
    plan_body: dict[str, dict] = field(default_factory=dict)  # rep -> the SavePlan that made it
    activity: dict[str, str] = field(default_factory=dict)  # rep -> an activity uid
    reflection: dict[str, str] = field(default_factory=dict)  # rep -> this week's reflection uid
    checkin: dict[str, int] = field(default_factory=dict)  # rep -> the open check-in
    closed_checkin: dict[str, int] = field(default_factory=dict)  # rep -> a closed one (with an audit trail)
    note: dict[str, int] = field(default_factory=dict)  # rep -> a note on the open check-in, to edit
    private_note: dict[str, int] = field(default_factory=dict)  # rep -> the manager's private note on it
    commitment: dict[str, int] = field(default_factory=dict)  # rep -> a commitment in words
    kudos: dict[str, int] = field(default_factory=dict)  # rep -> kudos from their manager
    question: dict[int, str] = field(default_factory=dict)  # team number -> team question id
    prompt: dict[int, str] = field(default_factory=dict)  # team number -> team self-coaching prompt id
    invite: dict[int, int] = field(default_factory=dict)  # team number -> a pending invite id
    endpoint: dict[str, str] = field(default_factory=dict)  # principal -> their push endpoint
    neutral_token: str = ""  # an invitation to the neutral team (public routes)
    ck: dict[str, str] = field(default_factory=dict)  # "note:repA" etc. -> the client_key (or device id) used
    push: FakePushService = field(default_factory=FakePushService)
    # Marker strings by scope: "T1"/"T2" (a team's own data), "A"/"B"/"C" (a rep's own data), and
    # "A-private"/"C-private" (a manager's private notes about that rep: never for the rep).
    markers: dict[str, set[str]] = field(default_factory=dict)
    _keys: itertools.count = field(default_factory=lambda: itertools.count(1))

    # -------------------------------------------------------------- helpers for the table
    def key(self, prefix: str = "mx") -> str:
        """A fresh client_key (or any unique suffix) for one call."""
        return f"{prefix}-{next(self._keys):06d}"

    def team_of(self, principal: str) -> int | None:
        number = PEOPLE.get(principal, (None, None, None, None))[3]
        return number

    def forbidden_markers(self, principal: str) -> set[str]:
        """What this principal must never see in any answer."""
        m = self.markers
        if principal == "admin":
            # An admin may do anything, but a manager's private note is that manager's alone.
            return m["A-private"] | m["C-private"]
        if principal == "anon":
            return set().union(*m.values())
        if principal == "repA":
            return m["T2"] | m["C"] | m["C-private"] | m["B"] | m["A-private"]
        if principal == "repB":
            return m["T2"] | m["C"] | m["C-private"] | m["A"] | m["A-private"]
        if principal == "repC":
            return m["T1"] | m["A"] | m["B"] | m["A-private"] | m["C-private"]
        if principal == "mgr1":
            return m["T2"] | m["C"] | m["C-private"]
        if principal == "mgr2":
            return m["T1"] | m["A"] | m["B"] | m["A-private"]
        raise KeyError(principal)

    def all_markers(self) -> set[str]:
        return set().union(*self.markers.values())

    async def session(self, principal: str) -> Client:
        """A new browser signed in as this principal (or anonymous): for calls that end or
        replace the session (logout, login, accepting an invitation)."""
        client = make_client(self.app)
        if principal != "anon":
            token = await self.app.state.accounts.start_session(self.uid[principal], "matrix", None)
            client.cookies.set(SESSION_COOKIE, token)
        return client

    async def neutral_invite(self) -> str:
        """A fresh invitation token into the neutral team (public accept route)."""
        n = next(self._keys)
        url = await self.app.state.accounts.create_invite_link(
            email=f"newcomer{n}@matrix.test", name=f"Newcomer {n}", role="rep", team_id=self.neutral_team)
        return url.split("#token=", 1)[1]

    def activity_body(self, principal: str, kind: str = "activity.create", entity_id: str | None = None,
                      account: str = "Neutral account", team_number: int | None = None) -> dict:
        """A one-mutation push from a brand-new device (seq 1) of this principal."""
        number = team_number or self.team_of(principal) or 1
        return {
            "client_id": str(uuid.uuid4()), "sent_at": clock.now().isoformat(), "outbox_size": 1,
            "mutations": [{"mutation_id": str(uuid.uuid4()), "seq": 1, "kind": kind,
                           "entity_id": entity_id or str(uuid.uuid4()),
                           "payload": None if kind == "activity.delete" else {
                               "activity_type_id": self.types[number][0], "account_name": account,
                               "outcome": "next_step", "quality": 4, "note": "",
                               "occurred_at": (clock.now() - timedelta(minutes=30)).isoformat(),
                               "time_zone": ZONE}}],
        }


def _ok(response: httpx.Response, what: str) -> dict | list | None:
    assert 200 <= response.status_code < 300, f"world set-up: {what}: {response.status_code} {response.text}"
    return response.json() if response.content else None


async def build_world(app) -> World:
    """Create both teams, the people, and each one's data. About a second on SQLite."""
    accounts = app.state.accounts
    team = {n: (await accounts.create_team(name, [])).id for n, name in TEAM_NAMES.items()}
    neutral = (await accounts.create_team(NEUTRAL_TEAM, [])).id
    await accounts.create_user(email=NEUTRAL_USER[0], name=NEUTRAL_USER[1], password=PASSWORD, role="rep",
                               team_id=neutral, time_zone=ZONE)
    uid: dict[str, int] = {}
    for principal, (email, name, role, number) in PEOPLE.items():
        uid[principal] = await accounts.create_user(
            email=email, name=name, password=PASSWORD, role=role,
            team_id=team[number] if number else None, time_zone=ZONE)

    # Web Push goes to a fake push service (test origin), never to the network.
    push = FakePushService()
    old = app.state.reminders.sender
    from backend.reminders.vapid import load_or_create

    app.state.reminders.sender = PushSender(
        load_or_create(app.state.settings.data_dir)[0], "mailto:ops@followthrough.example", old.allowed_hosts,
        (PUSH_ORIGIN,), transport=httpx.MockTransport(push.handler))

    clients = {"anon": make_client(app)}
    w = World(app=app, clients=clients, uid=uid, team=team, neutral_team=neutral, push=push)
    for principal in uid:
        clients[principal] = await w.session(principal)
    c = clients

    m: dict[str, set[str]] = {k: set() for k in ("T1", "T2", "A", "B", "C", "A-private", "C-private")}
    for email, name, _, number in PEOPLE.values():
        if number:
            m[f"T{number}"] |= {email, name}
    for number, name in TEAM_NAMES.items():
        m[f"T{number}"].add(name)

    for number, mgr in ((1, "mgr1"), (2, "mgr2")):
        tid = team[number]
        types = _ok(await c[mgr].get(f"/api/teams/{tid}/activity-types"), "activity types")
        w.types[number] = [t["id"] for t in types if t["active"]]
        custom = f"MK-T{number}-Typename"
        w.custom_type[number] = _ok(await c[mgr].post(f"/api/teams/{tid}/activity-types", json={
            "name": custom, "icon": "dot", "quality_min": 2, "quality_bar": f"MK-T{number}-Qualitybar"}), "type")["id"]
        _ok(await c[mgr].put(f"/api/teams/{tid}/expectations", json={"text": f"MK-T{number}-Expectations"}), "expect")
        w.ck[f"question:{number}"] = w.key("q")
        question = _ok(await c[mgr].post(f"/api/teams/{tid}/coaching-questions", json={
            "text": f"MK-T{number}-Question: what would make the next call easier?", "gap": "low_volume",
            "client_key": w.ck[f"question:{number}"]}), "question")
        w.question[number] = question["id"]
        w.ck[f"prompt:{number}"] = w.key("p")
        prompt = _ok(await c[mgr].post(f"/api/teams/{tid}/self-coaching", json={
            "text": f"MK-T{number}-Prompt: what did you learn today?", "trigger": "setback",
            "client_key": w.ck[f"prompt:{number}"]}), "prompt")
        w.prompt[number] = prompt["id"]
        invite = _ok(await c[mgr].post("/api/invites", json={
            "email": f"invitee{number}@matrix.test", "name": f"MK-T{number}-Invitee", "role": "rep",
            "team_id": tid}), "invite")
        w.invite[number] = invite["id"]
        m[f"T{number}"] |= {custom, f"MK-T{number}-Qualitybar", f"MK-T{number}-Expectations",
                            f"MK-T{number}-Question", f"MK-T{number}-Prompt", f"MK-T{number}-Invitee",
                            f"invitee{number}@matrix.test"}

    reps = {"repA": ("A", 1, "mgr1"), "repB": ("B", 1, "mgr1"), "repC": ("C", 2, "mgr2")}
    for rep, (letter, number, mgr) in reps.items():
        _ok(await c[rep].put("/api/me/preferences", json={
            "checkin_rhythm": "weekly", "reminder_days": [0, 2, 4], "reminder_times": ["17:00"],
            "style": "often", "visibility": "named"}), "preferences")
        w.plan_body[rep] = {"targets": [{"activity_type_id": w.types[number][0], "target": 5}],
                            "commitments": [f"MK-{letter}-Planpromise"]}
        plan = _ok(await c[rep].put(f"/api/my-plans/{THIS_WEEK}", json=w.plan_body[rep]), "plan")
        _ok(await c[rep].post(f"/api/my-plans/{THIS_WEEK}/commit"), "commit")
        w.plan[rep] = plan["id"]
        w.ck[f"comment:{rep}"] = w.key("pc")
        _ok(await c[mgr].post(f"/api/plans/{plan['id']}/comments", json={
            "body": f"MK-{letter}-Plancomment", "client_key": w.ck[f"comment:{rep}"]}), "plan comment")
        _ok(await c[rep].put("/api/me/goal", json={"kind": "deals", "amount": 7, "period": "month"}), "goal")
        # An activity and this week's reflection, through the sync outbox.
        body = w.activity_body(rep, account=f"MK-{letter}-Account")
        body["mutations"][0]["payload"]["note"] = f"MK-{letter}-Activitynote"
        w.activity[rep] = body["mutations"][0]["entity_id"]
        w.ck[f"device:{rep}"] = body["client_id"]
        reflection_id = str(uuid.uuid4())
        body["mutations"].append({
            "mutation_id": str(uuid.uuid4()), "seq": 2, "kind": "reflection.upsert", "entity_id": reflection_id,
            "payload": {"week_start": THIS_WEEK, "wins": f"MK-{letter}-Reflectionwins",
                        "help_wanted": f"MK-{letter}-Helpwanted", "self_rating": 4}})
        body["outbox_size"] = 2
        pushed = _ok(await c[rep].post("/api/sync/push", json=body), "sync push")
        assert [r["status"] for r in pushed["results"]] == ["applied", "applied"], pushed
        w.reflection[rep] = reflection_id
        m[letter] |= {f"MK-{letter}-Planpromise", f"MK-{letter}-Plancomment", f"MK-{letter}-Account",
                      f"MK-{letter}-Activitynote", f"MK-{letter}-Reflectionwins", f"MK-{letter}-Helpwanted"}
        _ok(await c[rep].post("/api/me/time-off", json={"first_day": "2026-12-21", "last_day": "2026-12-24",
                                                         "note": f"MK-{letter}-Timeoff"}), "time off")
        m[letter] |= {f"MK-{letter}-Timeoff"}
        if rep == "repB":
            continue
        # The manager's side: a schedule, kudos, a closed check-in whose private note was
        # edited afterwards (an audit entry), and an open check-in with notes and a commitment.
        rid = uid[rep]
        _ok(await c[mgr].put(f"/api/reps/{rid}/checkin-schedule", json={"weekdays": [3], "time": "10:00"}), "sched")
        w.ck[f"kudos:{rep}"] = w.key("k")
        w.kudos[rep] = _ok(await c[mgr].post("/api/kudos", json={
            "user_id": rid, "message": f"MK-{letter}-Kudos", "client_key": w.ck[f"kudos:{rep}"]}), "kudos")["id"]
        closed = _ok(await c[mgr].post(f"/api/reps/{rid}/checkins", json={"client_key": w.key("c")}), "checkin")
        private = _ok(await c[mgr].post(f"/api/checkins/{closed['id']}/notes", json={
            "body": f"MK-{letter}-Privatebefore", "client_key": w.key("n")}), "private note")
        _ok(await c[mgr].post(f"/api/checkins/{closed['id']}/notes", json={
            "body": f"MK-{letter}-Sharednote", "shared": True, "client_key": w.key("n")}), "shared note")
        unshared = _ok(await c[mgr].post(f"/api/checkins/{closed['id']}/notes", json={
            "body": f"MK-{letter}-Sharedfirst", "shared": True, "client_key": w.key("n")}), "shared note")
        _ok(await c[mgr].post(f"/api/checkins/{closed['id']}/close"), "close")
        # After closing, a shared note is rewritten and made private: from then on it is the
        # manager's alone (the rep saw the first text while it was shared, never the new one).
        _ok(await c[mgr].patch(f"/api/checkin-notes/{unshared['id']}", json={
            "body": f"MK-{letter}-Madeprivate", "shared": False, "reason": "Made private"}), "unshare")
        _ok(await c[mgr].patch(f"/api/checkin-notes/{private['id']}", json={
            "body": f"MK-{letter}-Privateafter", "reason": f"MK-{letter}-Privatereason"}), "audit edit")
        w.closed_checkin[rep] = closed["id"]
        w.ck[f"checkin:{rep}"] = w.key("c")
        opened = _ok(await c[mgr].post(f"/api/reps/{rid}/checkins", json={"client_key": w.ck[f"checkin:{rep}"]}),
                     "checkin")
        w.checkin[rep] = opened["id"]
        w.ck[f"note:{rep}"] = w.key("n")
        w.private_note[rep] = _ok(await c[mgr].post(f"/api/checkins/{opened['id']}/notes", json={
            "body": f"MK-{letter}-Privateopen", "client_key": w.ck[f"note:{rep}"]}), "private note")["id"]
        w.note[rep] = _ok(await c[mgr].post(f"/api/checkins/{opened['id']}/notes", json={
            "body": "A note to edit", "client_key": w.key("n")}), "note")["id"]
        w.ck[f"commitment:{rep}"] = w.key("cm")
        w.commitment[rep] = _ok(await c[mgr].post(f"/api/checkins/{opened['id']}/commitments", json={
            "text": f"MK-{letter}-Commitment", "due_on": "2026-11-27", "client_key": w.ck[f"commitment:{rep}"]}),
            "commitment")["id"]
        m[letter] |= {f"MK-{letter}-Kudos", f"MK-{letter}-Sharednote", f"MK-{letter}-Sharedfirst",
                      f"MK-{letter}-Commitment"}
        m[f"{letter}-private"] |= {f"MK-{letter}-Privatebefore", f"MK-{letter}-Privateafter",
                                   f"MK-{letter}-Privateopen", f"MK-{letter}-Privatereason",
                                   f"MK-{letter}-Madeprivate"}

    for principal in uid:
        sub = subscription(principal)
        _ok(await c[principal].post("/api/push/subscriptions", json=sub), "subscribe")
        w.endpoint[principal] = sub["endpoint"]
    w.neutral_token = await w.neutral_invite()
    # A team's data includes its reps' own data as far as the other team is concerned.
    m["T1"] |= m["A"] | m["B"]
    m["T2"] |= m["C"]
    w.markers = m
    return w
