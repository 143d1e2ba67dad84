"""Accounts rules: sign-in, sessions, teams, users and invitations.

No Litestar here: functions take plain values and a Principal (who is asking), raise
backend.core.errors, and return shared_schemas Structs. Other domains call
`principal_for_session`, `team_member_ids` and `manages_team`, never the tables.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from piccolo.engine.base import Engine

from backend.accounts.passwords import Passwords, weak_password
from backend.accounts.rules import time_zones, visible_name
from backend.accounts.tables import Invite, Session, Team, TeamManager, User
from backend.accounts.throttle import Throttle, ThrottleConfig
from backend.core import clock
from backend.core.db import id_list, write_transaction
from backend.core.errors import (
    Conflict,
    Forbidden,
    Gone,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from backend.core.security import new_token, token_hash
from backend.core.weeks import local_date
from shared_schemas import (
    InvitationInfo,
    Me,
    TeamRef,
    UserSummary,
)
from shared_schemas import Invite as InviteBody
from shared_schemas import Team as TeamBody

ROLES = ("rep", "manager", "admin")
# Refresh a session's last-seen time at most this often: no write on every request. The
# idle timeout counts in days; each touch is a write (on SQLite an fsync behind the one
# writer), so 5 minutes rather than 1 takes ~80% of them off the writer (bench/load.py).
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class Principal:
    """Who is asking. Built once per request from the session cookie."""

    user_id: int
    role: str
    team_id: int | None
    managed_team_ids: frozenset[int]
    session_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def can_manage_team(self, team_id: int | None) -> bool:
        return team_id is not None and (self.is_admin or team_id in self.managed_team_ids)


@dataclass(frozen=True)
class AccountsConfig:
    secret_key: str
    session_idle: timedelta
    session_max: timedelta
    invite_valid: timedelta
    public_url: str
    throttle: ThrottleConfig


class Accounts:
    """The accounts service. One instance per app, holding its configuration."""

    def __init__(self, engine: Engine, config: AccountsConfig, passwords: Passwords) -> None:
        self.engine = engine
        self.config = config
        self.passwords = passwords
        self.throttle = Throttle(engine, config.secret_key, config.throttle)
        # Other domains that keep per-session or per-user state (push subscriptions) listen.
        self.on_sessions_ended: list[Callable[[list[str]], Awaitable[None]]] = []
        self.on_user_deactivated: list[Callable[[int], Awaitable[None]]] = []

    async def _sessions_ended(self, hashes: list[str]) -> None:
        for listener in self.on_sessions_ended:
            await listener(hashes)

    # ------------------------------------------------------------------ helpers
    def _hash(self, token: str) -> str:
        return token_hash(self.config.secret_key, token)

    @staticmethod
    def normalize_email(email: str) -> str:
        return email.strip().lower()

    @staticmethod
    def valid_time_zone(name: str) -> str:
        if name not in time_zones():
            raise InvalidInput(
                f"{name!r} is not a known time zone (use an IANA name such as Europe/Berlin).",
                extra={"time_zone": "Choose a time zone from the list."},
            )
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"{name!r} is not a known time zone.") from None
        return name

    def _adoptable_zone(self, name: str | None) -> str | None:
        """A browser-reported zone, or None when it is missing or unknown (never an error)."""
        if name and name in time_zones():
            return name
        return None

    async def _user(self, user_id: int) -> dict:
        row = await User.select().where(User.id == user_id).first()
        if row is None:
            raise NotFound("That user does not exist.")
        return row

    async def _team_refs(self, team_ids: set[int]) -> dict[int, TeamRef]:
        if not team_ids:
            return {}
        rows = await Team.select(Team.id, Team.name).where(Team.id.is_in(list(team_ids)))
        return {r["id"]: TeamRef(id=r["id"], name=r["name"]) for r in rows}

    async def _summaries(self, users: list[dict]) -> list[UserSummary]:
        """UserSummary for many users with two queries, whatever their number."""
        ids = [u["id"] for u in users]
        links = (
            await TeamManager.select(TeamManager.user, TeamManager.team).where(
                TeamManager.user.is_in(ids)
            )
            if ids
            else []
        )
        team_ids = {u["team"] for u in users if u["team"]} | {link["team"] for link in links}
        refs = await self._team_refs(team_ids)
        managed: dict[int, list[TeamRef]] = {}
        for link in links:
            managed.setdefault(link["user"], []).append(refs[link["team"]])
        return [
            UserSummary(
                id=u["id"],
                email=u["email"],
                name=u["name"],
                role=u["role"],
                time_zone=u["time_zone"] or "UTC",
                active=u["active"],
                team=refs.get(u["team"]) if u["team"] else None,
                managed_teams=sorted(managed.get(u["id"], []), key=lambda t: t.name),
                last_login_at=u["last_login_at"],
            )
            for u in users
        ]

    async def me(self, user_id: int) -> Me:
        summary = (await self._summaries([await self._user(user_id)]))[0]
        return Me(
            id=summary.id,
            email=summary.email,
            name=summary.name,
            role=summary.role,
            time_zone=summary.time_zone,
            team=summary.team,
            managed_teams=summary.managed_teams,
        )

    # ------------------------------------------------------------------ users
    async def create_user(
        self,
        *,
        email: str,
        name: str,
        password: str,
        role: str,
        team_id: int | None = None,
        time_zone: str = "",
        joined_at: datetime | None = None,
    ) -> int:
        """Create an account directly (CLI, demo data, accepted invitations).
        joined_at: when the person joined (imports of people with a history); default now."""
        email = self.normalize_email(email)
        if role not in ROLES:
            raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
        if time_zone:
            self.valid_time_zone(time_zone)
        async with write_transaction(self.engine):
            return await self._insert_user(email, name, password, role, team_id, time_zone, joined_at)

    async def _insert_user(
        self, email: str, name: str, password: str, role: str, team_id: int | None, tz: str,
        joined_at: datetime | None = None,
    ) -> int:
        """Inside a transaction: a rep joins the team; a manager comes to manage it."""
        if await User.exists().where(User.email == email):
            raise Conflict(f"{email} already has an account.", extra={"email": "This email already has an account."})
        if team_id is not None and not await Team.exists().where(Team.id == team_id):
            raise InvalidInput("That team does not exist.", extra={"team_id": "This team does not exist."})
        _check_new_password(password, "password", email, name)
        if role == "rep" and team_id is None:
            raise InvalidInput("A rep belongs to a team: choose one.", extra={"team_id": "Choose a team."})
        rows = await User.insert(
            User(
                email=email,
                name=_visible(name, "A person's name"),
                password_hash=self.passwords.hash(password),
                role=role,
                team=team_id if role == "rep" else None,
                time_zone=tz,
                active=True,
                created_at=joined_at or clock.now(),
            )
        ).returning(User.id)
        user_id = rows[0]["id"]
        if role == "manager" and team_id is not None:
            await TeamManager.insert(TeamManager(team=team_id, user=user_id))
        return user_id

    async def list_users(self, who: Principal, team_id: int | None) -> list[UserSummary]:
        if who.role == "rep":
            raise Forbidden("Only managers and admins can see the user list.")
        if team_id is not None and not who.can_manage_team(team_id):
            raise NotFound("That team does not exist or is not yours.")
        query = User.select().order_by(User.name)
        if who.is_admin and team_id is None:
            return await self._summaries(await query)
        team_ids = [team_id] if team_id is not None else sorted(who.managed_team_ids)
        if not team_ids:
            return []
        manager_ids = [
            r["user"]
            for r in await TeamManager.select(TeamManager.user).where(
                TeamManager.team.is_in(team_ids)
            )
        ]
        condition = User.team.is_in(team_ids)
        if manager_ids:
            condition = condition | User.id.is_in(manager_ids)
        return await self._summaries(await query.where(condition))

    async def update_user(
        self,
        who: Principal,
        user_id: int,
        *,
        name: str | None,
        role: str | None,
        team_id: int | None,
        active: bool | None,
    ) -> UserSummary:
        async with write_transaction(self.engine):
            target = await User.select().where(User.id == user_id).first()
            if target is None or not (
                who.is_admin or (target["role"] == "rep" and who.can_manage_team(target["team"]))
            ):
                raise NotFound("That user does not exist or is not on your team.")
            if not who.is_admin and (role is not None or team_id is not None):
                raise Forbidden("Only an admin can change a person's role or team.")
            if target["id"] == who.user_id and (active is False or (role and role != "admin")):
                raise Forbidden("You cannot deactivate yourself or give up your own admin role.")
            changes: dict = {}
            if name is not None:
                changes[User.name] = _visible(name, "A person's name")
            if active is not None:
                changes[User.active] = active
            new_role = role or target["role"]
            if role is not None or team_id is not None:
                await self._apply_role_and_team(target, new_role, team_id, changes)
            if changes:
                await User.update(changes).where(User.id == user_id)
            if active is False:
                await Session.delete().where(Session.user == user_id)
        if active is False:
            for listener in self.on_user_deactivated:
                await listener(user_id)
        return (await self._summaries([await self._user(user_id)]))[0]

    async def _apply_role_and_team(
        self, target: dict, new_role: str, team_id: int | None, changes: dict
    ) -> None:
        """Admin-only moves. team_id 0 removes a rep from their team (not allowed: reps need one)."""
        if team_id and not await Team.exists().where(Team.id == team_id):
            raise InvalidInput("That team does not exist.", extra={"team_id": "This team does not exist."})
        changes[User.role] = new_role
        if new_role == "rep":
            team = team_id if team_id else (target["team"] if team_id is None else None)
            if not team:
                raise InvalidInput("A rep belongs to a team: choose one.", extra={"team_id": "Choose a team."})
            changes[User.team] = team
            await TeamManager.delete().where(TeamManager.user == target["id"])
        else:
            changes[User.team] = None
            already = await TeamManager.exists().where(
                (TeamManager.user == target["id"]) & (TeamManager.team == team_id)
            )
            if new_role == "manager" and team_id and not already:
                await TeamManager.insert(TeamManager(team=team_id, user=target["id"]))

    async def update_me(self, user_id: int, name: str | None, time_zone: str | None) -> Me:
        changes: dict = {}
        if name is not None:
            changes[User.name] = _visible(name, "Your name")
        if time_zone is not None:
            changes[User.time_zone] = self.valid_time_zone(time_zone)
        if changes:
            async with write_transaction(self.engine):
                await User.update(changes).where(User.id == user_id)
        return await self.me(user_id)

    async def change_password(self, who: Principal, current: str, new: str) -> None:
        user = await self._user(who.user_id)
        # First what needs no secret: a refused new password uses up no attempt.
        _check_new_password(new, "new_password", user["email"], user["name"])
        await self.throttle.password_check(who.user_id)
        if not self.passwords.verify(user["password_hash"], current):
            raise InvalidInput(
                "Your current password is not right.", extra={"current_password": "This is not your current password."}
            )
        async with write_transaction(self.engine):
            await self.throttle.password_checked(who.user_id)
            await User.update({User.password_hash: self.passwords.hash(new)}).where(
                User.id == who.user_id
            )
            # Other devices must sign in again with the new password.
            await Session.delete().where(
                (Session.user == who.user_id) & (Session.token_hash != who.session_hash)
            )

    # ------------------------------------------------------------------ sign-in and sessions
    async def authenticate(
        self, email: str, password: str, browser_time_zone: str | None, address: str
    ) -> int:
        """`address`: the client's, as the server sees it (a configured proxy's X-Forwarded-For)."""
        email = self.normalize_email(email)
        await self.throttle.sign_in_attempt(address, email)
        user = await User.select().where(User.email == email).first()
        if not self.passwords.verify(user["password_hash"] if user else None, password):
            raise NotAuthenticated("The email or password is not right.")
        assert user is not None
        if not user["active"]:
            raise Forbidden("This account has been deactivated. Ask your manager or admin.")
        changes: dict = {User.last_login_at: clock.now()}
        zone = self._adoptable_zone(browser_time_zone)
        if not user["time_zone"] and zone:
            changes[User.time_zone] = zone
        if self.passwords.needs_rehash(user["password_hash"]):
            changes[User.password_hash] = self.passwords.hash(password)
        async with write_transaction(self.engine):
            await User.update(changes).where(User.id == user["id"])
            await self.throttle.signed_in(email)
        return user["id"]

    async def start_session(self, user_id: int, user_agent: str, old_token: str | None) -> str:
        """A brand-new session id for this sign-in; the one the browser sent is dropped."""
        token = new_token()
        now = clock.now()
        async with write_transaction(self.engine):
            if old_token:
                await Session.delete().where(Session.token_hash == self._hash(old_token))
            await Session.insert(
                Session(
                    token_hash=self._hash(token),
                    user=user_id,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + self.config.session_max,
                    user_agent=user_agent[:200],
                )
            )
        return token

    async def end_session(self, token: str) -> None:
        async with write_transaction(self.engine):
            await Session.delete().where(Session.token_hash == self._hash(token))
        await self._sessions_ended([self._hash(token)])

    async def principal_for_session(self, token: str) -> Principal | None:
        """The signed-in user behind a cookie, or None when it is unknown, idle or expired.

        Every authenticated request asks this, so it is one hand-written query (a row per
        team the user manages): Piccolo's query building for the session join and the
        managed teams cost more CPU than the reads, on every sync push."""
        hashed = self._hash(token)
        rows = await Session.raw(
            'SELECT s.id, s.last_seen_at, s.expires_at, u.id AS user_id, u.role, u.team, u.active,'
            ' m.team AS managed FROM sessions s JOIN users u ON u.id = s."user"'
            ' LEFT JOIN team_managers m ON m."user" = u.id WHERE s.token_hash = {}', hashed)
        if not rows:
            return None
        row = rows[0]
        now = clock.now()
        if (
            not row["active"]
            or now >= row["expires_at"]
            or now - row["last_seen_at"] >= self.config.session_idle
        ):
            async with write_transaction(self.engine):
                await Session.delete().where(Session.id == row["id"])
            return None
        if now - row["last_seen_at"] >= SESSION_TOUCH_INTERVAL:
            async with write_transaction(self.engine):  # queue with the other writers
                await Session.update({Session.last_seen_at: now}).where(Session.id == row["id"])
        return Principal(
            user_id=row["user_id"],
            role=row["role"],
            team_id=row["team"],
            managed_team_ids=frozenset(r["managed"] for r in rows if r["managed"] is not None),
            session_hash=hashed,
        )

    # ------------------------------------------------------------------ teams
    async def _team_bodies(self, teams: list[dict]) -> list[TeamBody]:
        ids = [t["id"] for t in teams]
        if not ids:
            return []
        links = await TeamManager.select(
            TeamManager.team, TeamManager.user.id, TeamManager.user.name
        ).where(TeamManager.team.is_in(ids))
        reps = await User.select(User.team).where(
            User.team.is_in(ids) & (User.role == "rep") & (User.active == True)  # noqa: E712
        )
        rep_counts: dict[int, int] = {}
        for rep in reps:
            rep_counts[rep["team"]] = rep_counts.get(rep["team"], 0) + 1
        managers: dict[int, list[TeamRef]] = {}
        for link in links:
            managers.setdefault(link["team"], []).append(
                TeamRef(id=link["user.id"], name=link["user.name"])
            )
        return [
            TeamBody(
                id=t["id"],
                name=t["name"],
                managers=sorted(managers.get(t["id"], []), key=lambda m: m.name),
                rep_count=rep_counts.get(t["id"], 0),
            )
            for t in teams
        ]

    async def list_teams(self, who: Principal) -> list[TeamBody]:
        query = Team.select().order_by(Team.name)
        if not who.is_admin:
            visible = set(who.managed_team_ids) | ({who.team_id} if who.team_id else set())
            if not visible:
                return []
            query = query.where(Team.id.is_in(list(visible)))
        return await self._team_bodies(await query)

    async def _team_body(self, team_id: int) -> TeamBody:
        team = await Team.select().where(Team.id == team_id).first()
        if team is None:
            raise NotFound("That team does not exist.")
        return (await self._team_bodies([team]))[0]

    async def _check_team_name_free(self, name: str, except_id: int | None = None) -> None:
        for row in await Team.select(Team.id, Team.name):
            if row["name"].casefold() == name.casefold() and row["id"] != except_id:
                raise Conflict(f"A team called {row['name']!r} already exists.", extra={"name": "This name is already taken."})

    async def _check_managers(self, manager_ids: list[int]) -> None:
        found = await User.select(User.id).where(
            User.id.is_in(manager_ids) & (User.role == "manager") & (User.active == True)  # noqa: E712
        )
        missing = set(manager_ids) - {r["id"] for r in found}
        if missing:
            raise InvalidInput(
                "Managers must be active users with the manager role "
                f"(not: {', '.join(str(m) for m in sorted(missing))}).",
                extra={"manager_ids": "Pick active users with the manager role."},
            )

    async def _set_managers(self, team_id: int, manager_ids: list[int]) -> None:
        await TeamManager.delete().where(TeamManager.team == team_id)
        if manager_ids:
            await TeamManager.insert(
                *[TeamManager(team=team_id, user=m) for m in sorted(set(manager_ids))]
            )

    async def create_team(self, name: str, manager_ids: list[int]) -> TeamBody:
        name = _visible(name, "A team's name")
        async with write_transaction(self.engine):
            await self._check_team_name_free(name)
            if manager_ids:
                await self._check_managers(manager_ids)
            rows = await Team.insert(Team(name=name, created_at=clock.now())).returning(Team.id)
            team_id = rows[0]["id"]
            await self._set_managers(team_id, manager_ids)
        return await self._team_body(team_id)

    async def update_team(
        self, team_id: int, name: str | None, manager_ids: list[int] | None
    ) -> TeamBody:
        async with write_transaction(self.engine):
            if not await Team.exists().where(Team.id == team_id):
                raise NotFound("That team does not exist.")
            if name is not None:
                name = _visible(name, "A team's name")
                await self._check_team_name_free(name, except_id=team_id)
                await Team.update({Team.name: name}).where(Team.id == team_id)
            if manager_ids is not None:
                if not manager_ids:
                    raise InvalidInput(
                        "A team needs at least one manager.", extra={"manager_ids": "Pick at least one manager."}
                    )
                await self._check_managers(manager_ids)
                await self._set_managers(team_id, manager_ids)
        return await self._team_body(team_id)

    async def team_name(self, team_id: int) -> str | None:
        row = await Team.select(Team.name).where(Team.id == team_id).first()
        return row["name"] if row else None

    async def team_id_by_name(self, name: str) -> int | None:
        row = await Team.select(Team.id).where(Team.name == name).first()
        return row["id"] if row else None

    # ------------------------------------------------------------------ invitations
    def _invite_url(self, token: str) -> str:
        # The token rides in the fragment: browsers never send it to a server or a log.
        return f"{self.config.public_url}/invite#token={token}"

    async def _invite_bodies(self, invites: list[dict]) -> list[InviteBody]:
        refs = await self._team_refs({i["team"] for i in invites if i["team"]})
        inviters = {
            r["id"]: r["name"]
            for r in await User.select(User.id, User.name).where(
                User.id.is_in([i["invited_by"] for i in invites] or [0])
            )
        }
        return [
            InviteBody(
                id=i["id"],
                email=i["email"],
                name=i["name"],
                role=i["role"],
                team=refs.get(i["team"]) if i["team"] else None,
                invited_by=inviters.get(i["invited_by"], ""),
                created_at=i["created_at"],
                expires_at=i["expires_at"],
            )
            for i in invites
        ]

    async def create_invite(
        self, who: Principal, *, email: str, name: str, role: str, team_id: int | None
    ) -> InviteBody:
        email = self.normalize_email(email)
        name = _visible(name, "A person's name")
        if not who.is_admin:
            if who.role != "manager":
                raise Forbidden("Only managers and admins can invite people.")
            if role != "rep":
                raise Forbidden("Managers can invite reps; ask an admin to invite a manager or admin.")
            if team_id is None and len(who.managed_team_ids) == 1:
                team_id = next(iter(who.managed_team_ids))
            if team_id is None or team_id not in who.managed_team_ids:
                raise Forbidden("You can only invite people into a team you manage.")
        if role in ("rep", "manager") and team_id is None:
            raise InvalidInput("Choose the team this person joins.", extra={"team_id": "Choose a team."})
        if role == "admin":
            team_id = None
        token = new_token()
        now = clock.now()
        async with write_transaction(self.engine):
            if team_id is not None and not await Team.exists().where(Team.id == team_id):
                raise InvalidInput("That team does not exist.", extra={"team_id": "This team does not exist."})
            if await User.exists().where(User.email == email):
                raise Conflict(f"{email} already has an account.", extra={"email": "This email already has an account."})
            # Inviting the same email again replaces the earlier link.
            await Invite.update({Invite.revoked_at: now}).where(
                (Invite.email == email) & Invite.accepted_at.is_null() & Invite.revoked_at.is_null()
            )
            rows = await Invite.insert(
                Invite(
                    token_hash=self._hash(token),
                    email=email,
                    name=name,
                    role=role,
                    team=team_id,
                    invited_by=who.user_id,
                    created_at=now,
                    expires_at=now + self.config.invite_valid,
                )
            ).returning(Invite.id)
        invite = await Invite.select().where(Invite.id == rows[0]["id"]).first()
        body = (await self._invite_bodies([invite]))[0]
        body.invite_url = self._invite_url(token)
        return body

    async def create_invite_link(
        self, *, email: str, name: str, role: str, team_id: int | None
    ) -> str:
        """CLI path: an invite issued by the first active admin (or any user if none)."""
        inviter = (
            await User.select(User.id, User.role)
            .where(User.active == True)  # noqa: E712
            .order_by(User.id)
        )
        if not inviter:
            raise InvalidInput("Create a first user with a password before inviting others.")
        admin = next((u for u in inviter if u["role"] == "admin"), inviter[0])
        who = Principal(
            user_id=admin["id"], role="admin", team_id=None, managed_team_ids=frozenset(), session_hash=""
        )
        invite = await self.create_invite(who, email=email, name=name, role=role, team_id=team_id)
        assert invite.invite_url
        return invite.invite_url

    def _pending(self):
        return (
            Invite.accepted_at.is_null()
            & Invite.revoked_at.is_null()
            & (Invite.expires_at > clock.now())
        )

    async def list_invites(self, who: Principal) -> list[InviteBody]:
        if who.role == "rep":
            raise Forbidden("Only managers and admins can see invitations.")
        query = Invite.select().where(self._pending()).order_by(Invite.created_at, ascending=False)
        if not who.is_admin:
            if not who.managed_team_ids:
                return []
            query = query.where(Invite.team.is_in(list(who.managed_team_ids)))
        return await self._invite_bodies(await query)

    async def revoke_invite(self, who: Principal, invite_id: int) -> None:
        async with write_transaction(self.engine):
            invite = await Invite.select().where(Invite.id == invite_id).first()
            if invite is None or not (who.is_admin or who.can_manage_team(invite["team"])):
                raise NotFound("That invitation does not exist.")
            if invite["revoked_at"] is None and invite["accepted_at"] is None:
                await Invite.update({Invite.revoked_at: clock.now()}).where(Invite.id == invite_id)

    async def _usable_invite(self, token: str) -> dict:
        invite = await Invite.select().where(Invite.token_hash == self._hash(token)).first()
        if invite is None:
            raise NotFound("This invitation link is not valid. Check that you copied all of it.")
        if invite["accepted_at"] is not None:
            raise Gone("This invitation has already been used. Sign in with your email instead.")
        if invite["revoked_at"] is not None:
            raise Gone("This invitation was withdrawn or replaced by a newer one.")
        if invite["expires_at"] <= clock.now():
            raise Gone("This invitation has expired. Ask for a new one.")
        return invite

    async def invitation_info(self, token: str) -> InvitationInfo:
        invite = await self._usable_invite(token)
        refs = await self._team_refs({invite["team"]} if invite["team"] else set())
        return InvitationInfo(
            email=invite["email"],
            name=invite["name"],
            role=invite["role"],
            team_name=refs[invite["team"]].name if invite["team"] else None,
            expires_at=invite["expires_at"],
        )

    async def accept_invitation(
        self, token: str, password: str, browser_time_zone: str | None
    ) -> int:
        async with write_transaction(self.engine):
            invite = await self._usable_invite(token)
            # Conditional update: of two concurrent accepts only one flips accepted_at.
            claimed = await Invite.update({Invite.accepted_at: clock.now()}).where(
                (Invite.id == invite["id"]) & Invite.accepted_at.is_null()
            ).returning(Invite.id)
            if not claimed:
                raise Gone("This invitation has already been used. Sign in with your email instead.")
            user_id = await self._insert_user(
                invite["email"],
                invite["name"],
                password,
                invite["role"],
                invite["team"],
                self._adoptable_zone(browser_time_zone) or "",
            )
            await User.update({User.last_login_at: clock.now()}).where(User.id == user_id)
        return user_id

    async def existing_emails(self, emails: list[str]) -> set[str]:
        wanted = [self.normalize_email(e) for e in emails]
        rows = await User.select(User.email).where(User.email.is_in(wanted)) if wanted else []
        return {r["email"] for r in rows}

    async def user_count(self) -> int:
        return await User.count()

    # ------------------------------------------------------------------ for other domains
    async def person(self, user_id: int) -> Person | None:
        row = await User.select(*_PERSON).where(User.id == user_id).first()
        return _person(row) if row else None

    async def people(self, user_ids: list[int]) -> dict[int, Person]:
        if not user_ids:
            return {}
        rows = await User.select(*_PERSON).where(User.id.is_in(id_list(user_ids)))
        return {r["id"]: _person(r) for r in rows}

    async def team_reps(self, team_id: int, *, active_only: bool = True) -> list[Person]:
        query = User.select(*_PERSON).where((User.team == team_id) & (User.role == "rep"))
        if active_only:
            query = query.where(User.active == True)
        return [_person(r) for r in await query.order_by(User.name)]

    async def team_managers(self, team_id: int) -> list[Person]:
        links = await TeamManager.select(TeamManager.user).where(TeamManager.team == team_id)
        people = await self.people([link["user"] for link in links])
        return sorted(people.values(), key=lambda p: p.name)

    async def managed_teams(self) -> dict[int, list[int]]:
        """Every active manager's teams (manager id -> team ids): who gets manager alerts."""
        rows = await TeamManager.select(TeamManager.user, TeamManager.team).where(
            (TeamManager.user.active == True) & (TeamManager.user.role == "manager")).order_by(TeamManager.team)  # noqa: E712
        found: dict[int, list[int]] = {}
        for row in rows:
            found.setdefault(row["user"], []).append(row["team"])
        return found

    async def team_exists(self, team_id: int) -> bool:
        return await Team.exists().where(Team.id == team_id)

    async def all_team_ids(self) -> list[int]:
        return [r["id"] for r in await Team.select(Team.id).order_by(Team.id)]


@dataclass(frozen=True)
class Person:
    """What other domains may know about a user."""

    id: int
    name: str
    role: str
    team_id: int | None
    time_zone: str
    active: bool
    # The day (in their zone) the person joined: nothing is asked of anyone before it.
    started_on: date | None = None


_PERSON = (User.id, User.name, User.role, User.team, User.time_zone, User.active, User.created_at)


def _person(row: dict) -> Person:
    zone = row["time_zone"] or "UTC"
    return Person(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        team_id=row["team"],
        time_zone=zone,
        active=row["active"],
        started_on=local_date(row["created_at"], zone) if row.get("created_at") else None,
    )


def _check_new_password(password: str, field: str, email: str, name: str) -> None:
    """Every path that sets a password (CLI, invitation, change) goes through here."""
    reason = weak_password(password, email=email, name=name)
    if reason:
        raise InvalidInput(reason, extra={field: reason})


def _visible(name: str, what: str) -> str:
    """A name as stored: trimmed, with something visible in it (users, invitations, teams)."""
    visible = visible_name(name)
    if visible is None:
        raise InvalidInput(
            f"{what} needs at least one visible character (spaces and invisible characters do not count).",
            extra={"name": "Enter a name."},
        )
    return visible

