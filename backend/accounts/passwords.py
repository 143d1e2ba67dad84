"""argon2id password hashing (argon2-cffi) and the rule for a new password (zxcvbn)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
# zxcvbn's estimator refuses longer input; a password that long is not guessable anyway.
_ESTIMATED_LENGTH = 72
# zxcvbn's score 0-1: fewer than 10^6 guesses (a repeat, a sequence, a date, a common
# password with a capital or a digit added); an online attacker gets there.
_MIN_SCORE = 2


class Passwords:
    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        # Verified against when the email is unknown, so both paths take the same time.
        self._dummy_hash = self._hasher.hash("not-a-real-password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._dummy_hash, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


@cache
def _common() -> frozenset[str]:
    # The 30,000 most common passwords that zxcvbn ships (from leaked password sets), loaded
    # on first use: 12 MB that a process which never sets a password need not hold.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def weak_password(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why `password` may not be set (a sentence for the person choosing it), or None.
    The account's email and name make a password easy to guess too."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters."
    advice = "Choose another: a few unrelated words make a long password that is easy to remember."
    if password.lower() in _common():
        return f"This is one of the 30,000 most common passwords, which attackers try first. {advice}"
    from zxcvbn import zxcvbn

    personal = [part for part in (email, email.split("@")[0], name) if part]
    estimate = zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=personal)
    if estimate["score"] < _MIN_SCORE:
        if any(m.get("dictionary_name") == "user_inputs" for m in estimate["sequence"]):
            why = "It is built from your email or name"
        else:
            why = estimate["feedback"]["warning"] or "It follows a pattern that attackers try early"
        return f"This password is too easy to guess. {why.rstrip('.')}. {advice}"
    return None
