"""Offline activity logging and sync, in a real browser on a phone viewport against the
real back end: log offline, edit, reload offline, sync, kill the server mid-sync, restart,
and check on the server that every log arrived exactly once."""

from __future__ import annotations

import os
import re
import time
import uuid

import pytest

# Route requests the service worker makes too (its Background Sync may push before the
# page does). Collection imports this module before the Playwright driver starts.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
from playwright.sync_api import expect

from .conftest import (
    axe_violations,
    format_violations,
    screenshot,
    sign_in,
    wait_for_service_worker,
    wait_until_settled,
)

pytestmark = pytest.mark.e2e

PROBE_CLIENT = str(uuid.UUID(int=42))  # a pull-only "device" used to read the server's state


def nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
    wait_until_settled(page)


def sync_text(page):
    return page.locator(".sync-status__text")


def server_activities(page) -> list[dict]:
    live: dict[str, dict] = {}
    cursor = 0
    while True:
        answer = page.request.get(f"/api/sync/pull?client_id={PROBE_CLIENT}&cursor={cursor}")
        assert answer.status == 200, answer.text()
        body = answer.json()
        for change in body["changes"]:
            if change["deleted"]:
                live.pop(change["id"], None)
            else:
                live[change["id"]] = change
        cursor = body["cursor"]
        if not body["has_more"]:
            return list(live.values())


def visits_done(page) -> int:
    week = page.request.get("/api/weeks/current").json()
    return next(p["done_total"] for p in week["progress"] if p["activity_type"]["key"] == "visit")


def log_visit(page, account: str, *, new_account: bool, outcome: str = "Next step agreed") -> None:
    """Tap 1: the type. Tap 2: a recent account chip (or type a new name). Tap 3: the outcome."""
    page.get_by_role("button", name="Visit", exact=True).click()
    if new_account:
        page.get_by_label("Account (type to search or add a new one)").fill(account)
        page.get_by_role("button", name="Next").click()
    else:
        page.get_by_role("group", name="Recent accounts").get_by_role("button", name=account, exact=True).click()
    page.get_by_role("button", name=outcome).click()
    expect(page.locator(".log-confirm")).to_contain_text(f"Visit logged · {account}")


def test_offline_logs_survive_reload_and_a_server_crash_and_arrive_exactly_once(new_page, restartable_server):
    srv = restartable_server
    page = new_page("phone", base_url=srv.base_url)
    sign_in(page, "rep6@demo.test")
    wait_for_service_worker(page)
    expect(sync_text(page)).to_have_text("All synced")
    before = len(server_activities(page))
    visits_before = visits_done(page)

    page.context.set_offline(True)
    nav(page, "Log")
    log_visit(page, "Acme GmbH", new_account=True)
    expect(page.locator(".log-confirm")).to_contain_text("waiting to sync")
    log_visit(page, "Borealis AG", new_account=True)
    for _ in range(3):  # three taps each, from the recent-accounts chips
        log_visit(page, "Acme GmbH", new_account=False, outcome="Follow-up needed")
    expect(sync_text(page)).to_have_text("Offline — 5 waiting")

    nav(page, "History")
    # The demo rep has weeks of history: look at this test's own logs.
    rows = page.locator(".history-row").filter(has_text=re.compile("Acme GmbH|Borealis AG"))
    expect(rows).to_have_count(5)
    page.get_by_role("button", name="Edit Visit · Borealis AG").click()
    page.get_by_label("Outcome").select_option("proposal_requested")
    page.locator(".log-more, .history-row").get_by_label("Note").fill("Wants a proposal by Friday")
    page.get_by_role("button", name="Save changes").click()
    expect(rows.filter(has_text="Borealis AG").get_by_text("Proposal requested")).to_be_visible()
    expect(sync_text(page)).to_have_text("Offline — 6 waiting")

    # Reload with no signal: the service worker serves the app, IndexedDB keeps the logs.
    page.reload()
    wait_until_settled(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("History")
    expect(rows).to_have_count(5)
    expect(page.locator(".history-row .badge--pending")).to_have_count(5)
    expect(page.get_by_text("Wants a proposal by Friday")).to_be_visible()

    # Back online: the first push reaches the server, which applies it, then the server
    # dies before the answer gets back (SIGKILL). The phone must not lose or double anything.
    killed = {"done": False}

    def crash_after_apply(route):
        if killed["done"]:
            route.continue_()
            return
        try:
            route.fetch()  # the server applies the batch...
        finally:
            killed["done"] = True
            srv.kill()  # ...and dies before answering
            route.abort("connectionreset")

    # The page or its service worker (Background Sync) may push first: route both.
    page.context.route("**/api/sync/push", crash_after_apply)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + 20
    while not killed["done"] and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert killed["done"], "the app did not push after coming back online"
    expect(page.locator(".history-row .badge--pending")).to_have_count(5)

    srv.start()
    page.get_by_role("button", name="Sync now").click()
    expect(sync_text(page)).to_have_text("All synced", timeout=20_000)
    expect(rows.locator(".badge--ok")).to_have_count(5)

    after = server_activities(page)
    new = [a for a in after if a["account_name"] in ("Acme GmbH", "Borealis AG")]
    assert len(after) == before + 5
    assert len(new) == 5
    assert sorted(a["account_name"] for a in new) == ["Acme GmbH"] * 4 + ["Borealis AG"]
    borealis = next(a for a in new if a["account_name"] == "Borealis AG")
    assert borealis["outcome"] == "proposal_requested"
    assert borealis["note"] == "Wants a proposal by Friday"
    assert all(a["time_zone"] and re.match(r"\d{4}-\d\d-\d\d", a["week_start"]) for a in new)
    assert visits_done(page) == visits_before + 5

    # And again after a reload online: still 5, nothing re-sent as new.
    page.reload()
    wait_until_settled(page)
    expect(sync_text(page)).to_have_text("All synced")
    assert len(server_activities(page)) == before + 5


@pytest.mark.parametrize(("viewport", "scheme"), [("phone", "light"), ("tablet", "dark")])
def test_a_rejected_log_needs_attention_and_can_be_discarded(new_page, server, viewport, scheme):
    page = new_page(viewport, color_scheme=scheme)
    sign_in(page, "rep3@demo.test")
    expect(sync_text(page)).to_have_text("All synced")
    before = len(server_activities(page))
    nav(page, "Log")
    page.get_by_role("button", name="Visit", exact=True).click()
    page.get_by_label("Account (type to search or add a new one)").fill("Ancient Industries")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name="Earlier…").check()
    page.get_by_label("Date and time").fill("2023-01-10T10:00")  # over a year ago: too_old
    page.get_by_role("button", name="Won").click()

    attention = page.get_by_role("link", name=re.compile("need(s)? attention"))
    expect(attention).to_have_text("1 needs attention", timeout=20_000)
    attention.click()
    card = page.locator("#attention")
    expect(card.get_by_role("heading", name="Needs attention")).to_be_visible()
    expect(card).to_contain_text("more than a year old")
    expect(card).to_contain_text("Ancient Industries")
    # Not silently gone, and not counted anywhere.
    expect(page.locator(".history-row", has_text="Ancient Industries")).to_have_count(0)
    screenshot(page, f"needs-attention-{viewport}-{scheme}")
    card.get_by_role("button", name="Discard").click()
    card.get_by_role("button", name="Discard").click()  # confirm
    expect(page.locator("#attention")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("attention"))).to_have_count(0)
    assert len(server_activities(page)) == before


def test_fixing_a_rejected_log_resends_it(new_page, server):
    page = new_page("phone")
    sign_in(page, "rep3@demo.test")
    expect(sync_text(page)).to_have_text("All synced")
    nav(page, "Log")
    page.get_by_role("button", name="Visit", exact=True).click()
    page.get_by_label("Account (type to search or add a new one)").fill("Fixable Ltd")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name="Earlier…").check()
    page.get_by_label("Date and time").fill("2023-02-01T09:00")
    page.get_by_role("button", name="Lost").click()
    page.get_by_role("link", name=re.compile("attention")).click()
    card = page.locator("#attention")
    card.get_by_role("button", name="Fix and resend").click()
    local_now = page.evaluate(
        "(() => { const d = new Date(Date.now() - 3600e3); const p = n => String(n).padStart(2, '0');"
        " return `${d.getFullYear()}-${p(d.getMonth()+1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}` })()"
    )
    card.get_by_label("When").fill(local_now)
    card.get_by_role("button", name="Save and resend").click()
    expect(page.locator("#attention")).to_have_count(0, timeout=20_000)
    expect(page.locator(".history-row", has_text="Fixable Ltd").locator(".badge--ok")).to_have_count(1, timeout=20_000)
    assert [a for a in server_activities(page) if a["account_name"] == "Fixable Ltd"][0]["outcome"] == "lost"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["phone", "tablet"])
def test_log_and_history_are_accessible(new_page, scheme, viewport):
    page = new_page(viewport, color_scheme=scheme, bypass_csp=True)
    sign_in(page, "rep3@demo.test")
    expect(sync_text(page)).to_have_text("All synced")
    nav(page, "Log")
    screenshot(page, f"log-start-{viewport}-{scheme}")
    page.get_by_role("button", name="Call", exact=True).click()
    page.get_by_label("Account (type to search or add a new one)").fill(f"Axe Check {viewport} {scheme}")
    page.get_by_role("button", name="Next").click()
    page.get_by_text("More details").click()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    screenshot(page, f"log-outcome-{viewport}-{scheme}")
    page.get_by_role("button", name="Next step agreed").click()
    expect(page.locator(".log-confirm")).to_be_visible()
    screenshot(page, f"log-saved-{viewport}-{scheme}")

    nav(page, "History")
    expect(page.locator(".history-row").first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    page.locator(".history-row").first.get_by_role("button", name=re.compile("^Edit")).click()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    screenshot(page, f"history-{viewport}-{scheme}")

    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    nav(page, "Log")
    page.get_by_role("button", name="Call", exact=True).click()
    page.get_by_role("group", name="Recent accounts").get_by_role("button").first.click()
    page.get_by_role("button", name="Won").click()
    expect(sync_text(page)).to_contain_text("Offline — ")
    screenshot(page, f"sync-offline-{viewport}-{scheme}")
    page.context.set_offline(False)


def test_log_and_history_fit_a_360px_screen_with_44px_targets(new_page):
    page = new_page("phone")
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "rep3@demo.test")
    nav(page, "Log")
    page.get_by_role("button", name="Visit", exact=True).click()
    page.get_by_label("Account (type to search or add a new one)").fill("Narrow Screen Co")
    page.get_by_role("button", name="Next").click()
    page.get_by_text("More details").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    small = page.evaluate(
        """[...document.querySelectorAll('main button, main a, main .chip')]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.textContent.trim(), el.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)"""
    )
    assert not small, small
    screenshot(page, "log-360-light")
    nav(page, "History")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
