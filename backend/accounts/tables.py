"""Piccolo tables of the accounts domain. Other domains go through accounts.service."""

from piccolo.columns import BigInt, Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Team(Table, tablename="teams"):
    name = Varchar(length=80, unique=True)
    created_at = Timestamptz()


class User(Table, tablename="users"):
    # Stored lower-cased: emails compare case-insensitively.
    email = Varchar(length=254, unique=True)
    name = Varchar(length=100)
    password_hash = Varchar(length=255)
    role = Varchar(length=10, index=True)  # rep | manager | admin
    # A rep's team. Managers are linked through TeamManager (one may manage several).
    team = ForeignKey(Team, null=True, on_delete=OnDelete.restrict)
    # Empty until first login, when the browser's zone is adopted.
    time_zone = Varchar(length=64, default="")
    active = Boolean(default=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)


class TeamManager(Table, tablename="team_managers"):
    team = ForeignKey(Team, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)


class Session(Table, tablename="sessions"):
    # HMAC of the cookie value: a database leak does not leak usable sessions.
    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz()
    last_seen_at = Timestamptz()
    # Absolute end, however active the session is.
    expires_at = Timestamptz()
    user_agent = Varchar(length=200, default="")


class Invite(Table, tablename="invites"):
    token_hash = Varchar(length=64, unique=True)
    email = Varchar(length=254, index=True)
    name = Varchar(length=100)
    role = Varchar(length=10)
    team = ForeignKey(Team, null=True, on_delete=OnDelete.cascade)
    invited_by = ForeignKey(User, on_delete=OnDelete.cascade)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginAttempts(Table, tablename="login_attempts"):
    """Sign-in counters that every process sees (backend/accounts/throttle.py)."""

    # What is counted: "address:<ip>", "email:<HMAC of the email>", "password:<user id>".
    bucket = Varchar(length=100, unique=True)
    attempts = Integer(default=0)
    # Unix seconds when the window ends: an integer compares alike on SQLite and PostgreSQL.
    resets_at = BigInt(index=True)


TABLES = [Team, User, TeamManager, Session, Invite, LoginAttempts]
