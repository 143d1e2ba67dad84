"""Pure rules of the accounts domain: what counts as a name, what counts as a time zone."""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from zoneinfo import available_timezones

# Characters that draw nothing: control and format characters (zero-width spaces and
# joiners, the BOM, direction marks), separators, unassigned and private-use code points,
# and the letters and symbols that fonts draw blank (Hangul fillers, the braille blank).
_BLANK_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}
_BLANK_GLYPHS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"}


def _blank(char: str) -> bool:
    return char in _BLANK_GLYPHS or unicodedata.category(char) in _BLANK_CATEGORIES


def visible_name(text: str) -> str | None:
    """The name with blank characters trimmed from both ends, or None when nothing visible
    is left (" ", a zero-width space, a Hangul filler; combining marks alone draw nothing
    either, but stay after a letter: "Jose" + U+0301 is José)."""
    start, end = 0, len(text)
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    name = text[start:end]
    if not any(not unicodedata.category(char).startswith("M") for char in name):
        return None
    return name


@cache
def time_zones() -> frozenset[str]:
    """IANA zone names the server knows. available_timezones() lists every file under the
    system's zoneinfo directory, which holds `localtime` (a link to the machine's own zone,
    whatever that is) too; only names in the IANA list that tzdata ships count, and not
    `Factory` (IANA's placeholder for "zone not set", whose abbreviation is "-00")."""
    iana = set(resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())
    return frozenset((available_timezones() & iana) - {"Factory"})
