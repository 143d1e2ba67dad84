"""Sign-in throttling with counters in the database, so every process sees the same ones.

Three limits, each a fixed window that starts with its first attempt:
- per client address: every sign-in attempt (LOGIN_ATTEMPTS_PER_MINUTE a minute), so one
  address cannot try many accounts nor keep the server busy hashing;
- per email: failed sign-ins (LOGIN_FAILURES_PER_ACCOUNT in LOGIN_FAILURE_WINDOW_MINUTES),
  so many addresses cannot guess one account's password. Unknown emails are counted and
  answered the same way: the limit does not tell which accounts exist;
- per user: wrong current passwords on a password change (the same numbers), so a stolen
  session cannot guess the password either.

Hand-written rather than Litestar's RateLimitMiddleware with a store: the middleware reads
a counter, appends and writes it back under a lock of its own process, so processes
sharing a store overwrite each other's counts (N workers allowed N times the limit); it
counts requests, not failures; it runs before the body is read, so it cannot count per
email; and it keeps time with time.time(), not the app's clock. Here every count is one
atomic upsert on the database that all processes share (SQLite and PostgreSQL alike),
and a success clears its counter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from piccolo.engine.base import Engine

from backend.core import clock
from backend.core.db import TxSQL, write_transaction
from backend.core.errors import TooManyAttempts
from backend.core.security import token_hash

# Counts one attempt and answers the count within the current window. Expired rows are
# deleted first (by the index on resets_at), so an expired window starts again at 1 and
# the table holds only live windows.
_EXPIRE = "DELETE FROM login_attempts WHERE resets_at <= ?"
_HIT = (
    "INSERT INTO login_attempts (bucket, attempts, resets_at) VALUES (?, 1, ?) "
    "ON CONFLICT (bucket) DO UPDATE SET attempts = login_attempts.attempts + 1 "
    "RETURNING attempts, resets_at"
)
_CLEAR = "DELETE FROM login_attempts WHERE bucket = ?"


@dataclass(frozen=True)
class ThrottleConfig:
    attempts_per_address: int  # a minute
    failures_per_account: int
    failure_window: timedelta


class Throttle:
    def __init__(self, engine: Engine, secret_key: str, config: ThrottleConfig) -> None:
        self.engine = engine
        self.secret_key = secret_key
        self.config = config

    def _email_bucket(self, email: str) -> str:
        # Keyed hash: the table never holds what people typed as their email.
        return "email:" + token_hash(self.secret_key, email)

    async def _hit(self, sql: TxSQL, bucket: str, limit: int, window: int, now: int) -> int | None:
        """Count one attempt; the seconds to wait when it is over `limit`, else None."""
        rows = await sql.rows(_HIT, bucket, now + window)
        attempts, resets_at = rows[0]["attempts"], rows[0]["resets_at"]
        return max(1, resets_at - now) if attempts > limit else None

    async def sign_in_attempt(self, address: str, email: str) -> None:
        """Before a password is checked: count it, or refuse it with 429 and Retry-After."""
        now = int(clock.now().timestamp())
        window = int(self.config.failure_window.total_seconds())
        async with write_transaction(self.engine):
            sql = TxSQL(self.engine)
            await sql.execute(_EXPIRE, now)
            # A refused address does not use up the account's allowance.
            address_wait = await self._hit(sql, "address:" + address[:80], self.config.attempts_per_address, 60, now)
            account_wait = None if address_wait else await self._hit(
                sql, self._email_bucket(email), self.config.failures_per_account, window, now
            )
        if address_wait:
            raise TooManyAttempts(
                f"Too many sign-in attempts from your address. Try again in {address_wait} seconds.",
                retry_after=address_wait,
            )
        if account_wait:
            raise TooManyAttempts(
                f"Too many failed sign-ins for this email. Try again in {_minutes(account_wait)}, "
                "or ask your manager or admin to check your account.",
                retry_after=account_wait,
            )

    async def signed_in(self, email: str) -> None:
        """The password was right: the account's failures are forgiven. Runs inside the
        caller's write transaction (the sign-in's own write)."""
        await TxSQL(self.engine).execute(_CLEAR, self._email_bucket(email))

    async def password_check(self, user_id: int) -> None:
        """Before a current password is checked on a password change."""
        now = int(clock.now().timestamp())
        window = int(self.config.failure_window.total_seconds())
        async with write_transaction(self.engine):
            sql = TxSQL(self.engine)
            await sql.execute(_EXPIRE, now)
            wait = await self._hit(sql, f"password:{user_id}", self.config.failures_per_account, window, now)
        if wait:
            raise TooManyAttempts(
                f"Too many wrong current passwords. Try again in {_minutes(wait)}.", retry_after=wait
            )

    async def password_checked(self, user_id: int) -> None:
        """Inside the password change's write transaction."""
        await TxSQL(self.engine).execute(_CLEAR, f"password:{user_id}")


def _minutes(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
