"""How a request becomes a Principal: the session cookie, the auth middleware, role guards."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.authentication import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
)

from backend.accounts.service import Accounts, Principal

SESSION_COOKIE = "ft_session"


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        token = connection.cookies.get(SESSION_COOKIE)
        accounts: Accounts = connection.app.state.accounts
        principal = await accounts.principal_for_session(token) if token else None
        if principal is None:
            raise NotAuthorizedException(detail="Sign in to continue.")
        return AuthenticationResult(user=principal, auth=token)


def session_cookie(token: str, *, secure: bool, max_age: int) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=max_age,
    )


def cleared_session_cookie(*, secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE, value="", path="/", httponly=True, samesite="lax", secure=secure, max_age=0
    )


def requires_role(*roles: str):
    """A guard: only these roles may call the handler."""

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        # Litestar's automatic OPTIONS handler inherits its controller's guards, but OPTIONS
        # is not authenticated (the middleware skips it): it only says which methods exist.
        if connection.scope["method"] == "OPTIONS":
            return
        principal: Principal = connection.user
        if principal.role not in roles:
            raise PermissionDeniedException(
                detail=f"This needs the {' or '.join(roles)} role; you are signed in as a {principal.role}."
            )

    return guard
