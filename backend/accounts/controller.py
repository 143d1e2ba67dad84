"""Routes of the accounts domain: thin, they call Accounts and return shared_schemas."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from backend.accounts.service import Accounts, Principal
from backend.accounts.web import (
    SESSION_COOKIE,
    cleared_session_cookie,
    requires_role,
    session_cookie,
)
from shared_schemas import (
    AcceptInvitationRequest,
    ChangePasswordRequest,
    CreateInviteRequest,
    CreateTeamRequest,
    InvitationInfo,
    InvitationLookup,
    Invite,
    LoginRequest,
    Me,
    Team,
    UpdateMeRequest,
    UpdateTeamRequest,
    UpdateUserRequest,
    UserSummary,
)

PUBLIC = {"exclude_from_auth": True}
AccountsDep = NamedDependency[Accounts]


def _signed_in(request: Request, accounts: Accounts, me: Me, token: str) -> Response[Me]:
    settings = request.app.state.settings
    return Response(
        me,
        cookies=[
            session_cookie(
                token,
                secure=settings.cookie_secure,
                max_age=int(accounts.config.session_max.total_seconds()),
            )
        ],
    )


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", opt=PUBLIC, status_code=200)
    async def login(self, request: Request, data: JSONBody[LoginRequest], accounts: AccountsDep) -> Response[Me]:
        """Sign in. Any session id the browser already had is discarded and a new one issued."""
        address = request.client.host if request.client else "unknown"
        user_id = await accounts.authenticate(data.email, data.password, data.browser_time_zone, address)
        token = await accounts.start_session(
            user_id, request.headers.get("user-agent", ""), request.cookies.get(SESSION_COOKIE)
        )
        return _signed_in(request, accounts, await accounts.me(user_id), token)

    @post("/logout", status_code=204)
    async def logout(self, request: Request, accounts: AccountsDep) -> Response[None]:
        await accounts.end_session(request.auth)
        return Response(
            None,
            status_code=204,
            cookies=[cleared_session_cookie(secure=request.app.state.settings.cookie_secure)],
        )


class MeController(Controller):
    path = "/api/me"
    tags = ["auth"]

    @get("")
    async def me(self, request: Request, accounts: AccountsDep) -> Me:
        return await accounts.me(request.user.user_id)

    @patch("")
    async def update_me(self, request: Request, data: JSONBody[UpdateMeRequest], accounts: AccountsDep) -> Me:
        return await accounts.update_me(request.user.user_id, data.name, data.time_zone)

    @post("/password", status_code=204)
    async def change_password(
        self, request: Request, data: JSONBody[ChangePasswordRequest], accounts: AccountsDep
    ) -> None:
        await accounts.change_password(request.user, data.current_password, data.new_password)


class TeamsController(Controller):
    path = "/api/teams"
    tags = ["teams"]

    @get("")
    async def list_teams(self, request: Request, accounts: AccountsDep) -> list[Team]:
        return await accounts.list_teams(request.user)

    @post("", guards=[requires_role("admin")], status_code=201)
    async def create_team(self, data: JSONBody[CreateTeamRequest], accounts: AccountsDep) -> Team:
        return await accounts.create_team(data.name, data.manager_ids)

    @patch("/{team_id:int}", guards=[requires_role("admin")])
    async def update_team(
        self, team_id: FromPath[int], data: JSONBody[UpdateTeamRequest], accounts: AccountsDep
    ) -> Team:
        return await accounts.update_team(team_id, data.name, data.manager_ids)


class UsersController(Controller):
    path = "/api/users"
    tags = ["users"]
    guards = [requires_role("admin", "manager")]

    @get("")
    async def list_users(
        self, request: Request, accounts: AccountsDep, team_id: FromQuery[int | None] = None
    ) -> list[UserSummary]:
        return await accounts.list_users(request.user, team_id)

    @patch("/{user_id:int}")
    async def update_user(
        self, request: Request, user_id: FromPath[int], data: JSONBody[UpdateUserRequest], accounts: AccountsDep
    ) -> UserSummary:
        return await accounts.update_user(
            request.user, user_id, name=data.name, role=data.role, team_id=data.team_id, active=data.active
        )


class InvitesController(Controller):
    """Invitations as the inviter sees them."""

    path = "/api/invites"
    tags = ["invitations"]
    guards = [requires_role("admin", "manager")]

    @get("")
    async def list_invites(self, request: Request, accounts: AccountsDep) -> list[Invite]:
        return await accounts.list_invites(request.user)

    @post("", status_code=201)
    async def create_invite(self, request: Request, data: JSONBody[CreateInviteRequest], accounts: AccountsDep) -> Invite:
        who: Principal = request.user
        return await accounts.create_invite(
            who, email=data.email, name=data.name, role=data.role, team_id=data.team_id
        )

    @delete("/{invite_id:int}", status_code=204)
    async def revoke_invite(self, request: Request, invite_id: FromPath[int], accounts: AccountsDep) -> None:
        await accounts.revoke_invite(request.user, invite_id)


class InvitationsController(Controller):
    """Invitations as the invitee sees them: public, the token is the credential."""

    path = "/api/invitations"
    tags = ["invitations"]

    # The token is a bearer secret: it travels in the body (POST), never in a URL, because
    # URLs end up in access logs and proxies' logs.
    @post("/lookup", opt=PUBLIC, status_code=200)
    async def invitation(self, data: JSONBody[InvitationLookup], accounts: AccountsDep) -> InvitationInfo:
        return await accounts.invitation_info(data.token)

    @post("/accept", opt=PUBLIC, status_code=200)
    async def accept(
        self, request: Request, data: JSONBody[AcceptInvitationRequest], accounts: AccountsDep
    ) -> Response[Me]:
        user_id = await accounts.accept_invitation(data.token, data.password, data.browser_time_zone)
        session = await accounts.start_session(
            user_id, request.headers.get("user-agent", ""), request.cookies.get(SESSION_COOKIE)
        )
        return _signed_in(request, accounts, await accounts.me(user_id), session)


CONTROLLERS = [
    AuthController,
    MeController,
    TeamsController,
    UsersController,
    InvitesController,
    InvitationsController,
]
