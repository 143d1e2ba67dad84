"""The manager's alerts in the browser: choosing them on Settings, the inbox with its unread
count in the navigation, marking read; axe-clean, at 1024x768 and 360 px."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    axe_violations,
    format_violations,
    screenshot,
    sign_in,
    wait_for_service_worker,
    wait_until_settled,
)

pytestmark = pytest.mark.e2e
MANAGER = "manager@demo.test"


def wait_for_unread(page, timeout: float = 90) -> int:
    """The scheduler inside `serve` builds a due alert at its next tick (once a minute)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        unread = page.request.get("/api/me/alerts/unread").json()["unread"]
        if unread:
            return unread
        time.sleep(1)
    raise AssertionError(f"no alert within {timeout}s")


def test_a_manager_chooses_alerts_then_reads_them_in_the_inbox(new_page):
    page = new_page("tablet", bypass_csp=True)
    sign_in(page, MANAGER)
    wait_for_service_worker(page)  # installed: the screens' code comes from its cache
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Alerts")).to_be_visible()

    page.goto("/settings")
    wait_until_settled(page)
    alerts = page.locator("section", has=page.get_by_role("heading", name="Alerts", exact=True))
    expect(alerts.get_by_label("Pace check day")).to_have_value("2")  # the default: Wednesday 11:00
    expect(alerts.get_by_label("Pace check time")).to_have_value("11:00")
    expect(page.get_by_role("heading", name="Alert notifications")).to_be_visible()
    assert not (found := axe_violations(page)), format_violations(found)

    # A pace check a few minutes ago today: a time that has just passed is built at the next tick.
    zone = ZoneInfo("Europe/Berlin")
    chosen = datetime.now(zone) - timedelta(minutes=3)
    alerts.get_by_label("Pace check day").select_option(str(chosen.weekday()))
    alerts.get_by_label("Pace check time").fill(chosen.strftime("%H:%M"))
    alerts.get_by_role("button", name="Save alerts").click()
    expect(alerts.get_by_text("Saved.")).to_be_visible()
    saved = page.request.get("/api/me/alert-settings").json()
    assert (saved["pace_weekday"], saved["pace_time"], saved["saved"]) == (
        chosen.weekday(), chosen.strftime("%H:%M"), True)

    unread = wait_for_unread(page)
    page.reload()  # the badge reads the count when the app opens
    wait_until_settled(page)
    nav.get_by_role("link", name=f"Alerts {unread} unread").click()
    wait_until_settled(page)
    link = nav.get_by_role("link", name=f"Alerts {unread} unread")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("aria-current", "page")
    pace = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Behind by"))
    expect(pace).to_have_count(1)
    expect(pace).to_contain_text("New")
    first_rep = pace.locator(".alert__reps a").first
    assert first_rep.get_attribute("href").startswith("/team/reps/")  # each rep opens their drill-down
    assert not (found := axe_violations(page)), format_violations(found)
    screenshot(page, "alerts-inbox-1024")

    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("All read.")).to_be_visible()
    expect(nav.get_by_role("link", name="Alerts", exact=True)).to_be_visible()  # no count left
    assert page.request.get("/api/me/alerts/unread").json() == {"unread": 0}

    # At 360 px: the inbox and the settings fit, nothing cut off, still axe-clean (dark too).
    narrow = new_page("narrow", color_scheme="dark", bypass_csp=True)
    sign_in(narrow, MANAGER)
    wait_for_service_worker(narrow)
    for name in ("Settings", "Alerts"):
        narrow.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
        wait_until_settled(narrow)
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 360, name
        assert not (found := axe_violations(narrow)), format_violations(found)
    expect(narrow.get_by_role("heading", name="Behind by")).to_be_visible()
    screenshot(narrow, "alerts-inbox-360-dark")


def test_the_inbox_opens_on_a_full_load_of_its_address(new_page):
    """A manager opening /alerts from a push or a bookmark (a full page load, the service
    worker in control) gets the inbox, not a "Loading…" that never ends."""
    page = new_page("tablet")
    sign_in(page, MANAGER)
    wait_for_service_worker(page)
    for _ in range(3):
        page.goto("/alerts")
        expect(page.get_by_role("heading", level=1, name="Alerts")).to_be_visible(timeout=10_000)
        expect(page.locator("main .loading")).to_have_count(0, timeout=10_000)
