"""What no stored text may hold, the one rule for every body, parameter and sync mutation.

NUL (U+0000) cannot be stored in PostgreSQL text (asyncpg: CharacterNotInRepertoireError,
a 500) while SQLite keeps it: refused on both engines alike. Other control characters are
real (if odd) text: tabs and newlines are common in notes.
"""

from __future__ import annotations

FORBIDDEN_CHARACTER = "\x00"
NUL_MESSAGE = "must not contain control characters (NUL, \\u0000)"


def text_problem(value: str) -> str | None:
    """Why a text cannot be stored, or None."""
    return NUL_MESSAGE if FORBIDDEN_CHARACTER in value else None
