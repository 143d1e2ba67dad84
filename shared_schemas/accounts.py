"""Accounts, roles, teams, sessions and invitations."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from shared_schemas.common import Id, Instant

Role = Literal["rep", "manager", "admin"]

Email = Annotated[
    str,
    msgspec.Meta(
        min_length=3,
        max_length=254,
        # No spaces or control characters; the same set in Python and in JSON Schema (ECMA)
        # regexes, whose \s differ (Python's has \x1c-\x1f and \x85, ECMA's has \ufeff).
        pattern=r"^[^@\s\x00-\x1f\x7f\x85\ufeff]+@[^@\s\x00-\x1f\x7f\x85\ufeff]+\.[^@\s\x00-\x1f\x7f\x85\ufeff]+$",
        description="An email address; compared case-insensitively.",
    ),
]
PersonName = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
TeamName = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
# argon2 hashes the whole string; the upper bound only stops abuse.
NewPassword = Annotated[
    str, msgspec.Meta(min_length=10, max_length=256, description="At least 10 characters.")
]
AnyPassword = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
TimeZoneName = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, description="An IANA time zone, e.g. Europe/Berlin.")
]


class LoginRequest(msgspec.Struct, kw_only=True):
    email: Email
    password: AnyPassword
    # The browser's zone; adopted only when the account has none yet (first login).
    browser_time_zone: TimeZoneName | None = None


class TeamRef(msgspec.Struct, kw_only=True):
    id: int
    name: str


class Me(msgspec.Struct, kw_only=True):
    """The signed-in user, as the PWA needs it to pick the home screen."""

    id: int
    email: str
    name: str
    role: Role
    time_zone: str
    # A rep's team; for a manager the teams they manage; admins may have none.
    team: TeamRef | None
    managed_teams: list[TeamRef]


class UpdateMeRequest(msgspec.Struct, kw_only=True):
    name: PersonName | None = None
    time_zone: TimeZoneName | None = None


class ChangePasswordRequest(msgspec.Struct, kw_only=True):
    current_password: AnyPassword
    new_password: NewPassword


class UserSummary(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    role: Role
    time_zone: str
    active: bool
    team: TeamRef | None
    managed_teams: list[TeamRef]
    last_login_at: Instant | None


class UpdateUserRequest(msgspec.Struct, kw_only=True):
    """Admins may change everything; a manager may only (de)activate or rename their reps."""

    name: PersonName | None = None
    role: Role | None = None
    # 0 removes the user from their team (admins only).
    team_id: Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)] | None = None
    active: bool | None = None


class Team(msgspec.Struct, kw_only=True):
    id: int
    name: str
    managers: list[TeamRef]
    rep_count: int


class CreateTeamRequest(msgspec.Struct, kw_only=True):
    name: TeamName
    manager_ids: list[Id] = []


class UpdateTeamRequest(msgspec.Struct, kw_only=True):
    name: TeamName | None = None
    # Replaces the team's managers; a team keeps at least one once it has had one.
    manager_ids: list[Id] | None = None


class CreateInviteRequest(msgspec.Struct, kw_only=True):
    email: Email
    name: PersonName
    role: Role = "rep"
    # Required for reps and managers; a manager may only invite into a team they manage.
    team_id: Id | None = None


class Invite(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    role: Role
    team: TeamRef | None
    invited_by: str
    created_at: Instant
    expires_at: Instant
    # Only present in the answer to the request that created the invite: the one-time
    # link the inviter sends to the invitee. The server keeps only a hash of the token.
    invite_url: str | None = None


class InvitationInfo(msgspec.Struct, kw_only=True):
    """What the invitee sees before setting a password."""

    email: str
    name: str
    role: Role
    team_name: str | None
    expires_at: Instant


InvitationToken = Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="The token from the link's fragment.")]


class InvitationLookup(msgspec.Struct, kw_only=True):
    """The invitation token travels in a body, never in a URL: URLs end up in logs."""

    token: InvitationToken


class AcceptInvitationRequest(msgspec.Struct, kw_only=True):
    token: InvitationToken
    password: NewPassword
    browser_time_zone: TimeZoneName | None = None
