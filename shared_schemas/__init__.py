"""The wire contract: every request and response body of the API.

The PWA's TypeScript types are generated from these Structs (`make types`); a test fails
when the committed types drift. Evolve by adding optional fields: offline clients lag.
"""

from shared_schemas.accounts import (
    AcceptInvitationRequest,
    ChangePasswordRequest,
    CreateInviteRequest,
    CreateTeamRequest,
    InvitationInfo,
    Invite,
    LoginRequest,
    Me,
    Team,
    TeamRef,
    UpdateMeRequest,
    UpdateTeamRequest,
    UpdateUserRequest,
    UserSummary,
)
from shared_schemas.common import ErrorBody, Health

# Every Struct that crosses the wire, in the order the TypeScript file lists them.
ALL_STRUCTS: tuple[type, ...] = (
    ErrorBody,
    Health,
    LoginRequest,
    Me,
    TeamRef,
    UpdateMeRequest,
    ChangePasswordRequest,
    UserSummary,
    UpdateUserRequest,
    Team,
    CreateTeamRequest,
    UpdateTeamRequest,
    CreateInviteRequest,
    Invite,
    InvitationInfo,
    AcceptInvitationRequest,
)

__all__ = [s.__name__ for s in ALL_STRUCTS] + ["ALL_STRUCTS"]
