"""Declared time off in a real browser: Sam (a rep, on a 360 px phone) marks a week away on
Preferences, the form says clearly offline that it needs a connection; his manager (tablet)
sees "Off until …" instead of flags on the drill-down, Sam is off "Talk to these first", and
cancels it there. axe finds nothing serious on either screen, light and dark."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, demo_team_id, format_violations, sign_in, wait_until_settled

pytestmark = pytest.mark.e2e


def _words(day) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _day(day) -> str:
    """A day as the browser's locale writes it: "Fri 4 Dec" or "Fri Dec 4"."""
    return f"{day:%a} ({day.day} {day:%b}|{day:%b} {day.day})"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_rep_marks_time_off_and_the_manager_sees_it_instead_of_flags(new_page, scheme):
    # Sam's own calendar (Europe/London): today, and the last day of a week away.
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/London")).date()
    last = today + timedelta(days=6)
    rep = new_page("narrow", scheme, bypass_csp=True)
    sign_in(rep, "rep2@demo.test")
    try:
        rep.goto("/preferences")
        wait_until_settled(rep)
        section = rep.locator("section", has=rep.get_by_role("heading", name="Time off", exact=True))
        expect(section).to_be_visible()
        expect(section.get_by_text("No time off coming up.")).to_be_visible()
        expect(section.get_by_label("First day off")).to_have_value(today.isoformat())

        # Offline, the form says it needs a connection and does not pretend to save.
        rep.context.set_offline(True)
        expect(section.get_by_text("Time off needs a connection")).to_be_visible()
        expect(section.get_by_role("button", name="Add time off")).to_be_disabled()
        rep.context.set_offline(False)
        expect(section.get_by_text("Time off needs a connection")).to_have_count(0)

        section.get_by_label("Last day off").fill(last.isoformat())
        section.get_by_label("Note (optional)").fill("Family trip")
        section.get_by_role("button", name="Add time off").click()
        entry = section.locator(".time-off__item")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(re.compile(f"{_day(today)} – {_day(last)}"))  # in the browser's locale
        expect(entry).to_contain_text("Family trip")
        # A phone's width: nothing sticks out sideways.
        assert rep.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        violations = axe_violations(rep)
        assert not violations, format_violations(violations)

        manager = new_page("tablet", scheme, bypass_csp=True)
        sign_in(manager, "manager@demo.test")
        review = manager.request.get(f"/api/teams/{demo_team_id(manager)}/review").json()
        sam = next(r for r in review["rows"] if r["name"] == "Sam Okafor")
        assert sam["time_off"] == f"Off until {_words(last)}." and sam["user_id"] not in review["talk_first"]
        assert not any(s["group"] == "conversation" for s in sam["signals"])
        manager.goto("/team")
        wait_until_settled(manager)
        expect(manager.locator(".triage-card", has_text="Sam Okafor")).to_have_count(0)

        manager.goto(f"/team/reps/{sam['user_id']}")
        wait_until_settled(manager)
        expect(manager.get_by_text(f"Off until {_words(last)}.")).to_be_visible()
        expect(manager.get_by_text("Nothing is flagged while they are away.")).to_be_visible()
        expect(manager.get_by_role("heading", name=re.compile("Needs a conversation"))).to_contain_text("(0)")
        away = manager.locator("#dd-time-off")
        expect(away.locator(".time-off__item")).to_contain_text("Family trip")
        expect(away.locator(".time-off__item")).to_contain_text("added by Sam Okafor")
        violations = axe_violations(manager)
        assert not violations, format_violations(violations)

        # The manager cancels it: the flags come back with the review.
        away.get_by_role("button", name=re.compile("^Cancel time off")).click()
        expect(away.get_by_text("No time off coming up for Sam.")).to_be_visible()
        expect(manager.get_by_text(f"Off until {_words(last)}.")).to_have_count(0)
    finally:
        # The demo server is shared by every browser test: leave Sam as the story has him.
        for e in rep.request.get("/api/me/time-off").json():
            rep.request.delete(f"/api/time-off/{e['id']}", headers={"X-Followthrough": "1"})
