"""Kudos reach the rep: the manager sends them from the drill-down's dialog (tablet) or
through the API; the rep's Home shows a banner (axe-clean), "Thanks!" hides it for good,
and History lists them under #kudos. Other tests may send kudos too: every message here
is unique and every check looks for its own message."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import (
    axe_violations,
    demo_team_id,
    format_violations,
    screenshot,
    sign_in,
    wait_until_settled,
)

pytestmark = pytest.mark.e2e

CSRF = {"X-Followthrough": "1"}
REP_EMAIL = "rep5@demo.test"
REP_NAME = "Casey Kowalski"


def rep_id(page, name: str) -> int:
    review = page.request.get(f"/api/teams/{demo_team_id(page)}/review")
    assert review.ok, review.text()
    return next(row["user_id"] for row in review.json()["rows"] if row["name"] == name)


def banner_for(page, message: str):
    return page.locator(".kudos-banner").filter(has_text=message)


def thank_and_check_history(rep, message: str, size: str, scheme: str = "light") -> None:
    banner = banner_for(rep, message)
    expect(banner).to_be_visible()
    expect(banner.get_by_role("heading")).to_have_text("Morgan sent you kudos:")
    screenshot(rep, f"kudos-home-banner-{size}-{scheme}")
    violations = axe_violations(rep)
    assert not violations, format_violations(violations)

    banner.get_by_role("button", name="Thanks!").click()
    expect(banner).to_have_count(0)
    # Seen on the server too: a reload does not bring it back.
    rep.reload()
    wait_until_settled(rep)
    expect(rep.get_by_role("heading", level=1)).to_have_text("This week")
    expect(banner_for(rep, message)).to_have_count(0)

    # History lists it, newest first, with the sender; /history#kudos scrolls to it.
    rep.goto("/history#kudos")
    wait_until_settled(rep)
    section = rep.locator("section#kudos")
    expect(section.get_by_role("heading", name="Kudos", exact=True)).to_be_visible()
    first = section.locator(".kudos-item").first
    expect(first).to_contain_text(message)
    expect(first).to_contain_text("From Morgan Manager")
    expect(section).to_be_in_viewport()


@pytest.mark.parametrize("size", ["tablet", "narrow"])
def test_kudos_from_the_drilldown_dialog_reach_the_rep(new_page, size):
    message = f"Great follow-through on the trade fair leads {uuid.uuid4().hex[:8]}"
    manager = new_page("tablet")
    sign_in(manager, "manager@demo.test")
    casey = rep_id(manager, REP_NAME)
    manager.goto(f"/team/reps/{casey}")
    wait_until_settled(manager)

    # Escape closes the dialog and focus returns to the button.
    opener = manager.get_by_role("button", name="Send kudos")
    opener.click()
    dialog = manager.get_by_role("dialog", name=re.compile("Send kudos to Casey"))
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label(re.compile("^Message"))).to_be_visible()
    manager.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    # Too long a message is refused before it is sent.
    opener.click()
    field = dialog.get_by_label(re.compile("^Message"))
    field.fill("x" * 290)
    dialog.get_by_role("button", name="Send kudos").click()
    expect(dialog.get_by_text(re.compile("Keep it to 280 characters"))).to_be_visible()
    field.fill(message)
    dialog.get_by_role("button", name="Send kudos").click()
    expect(dialog).to_be_hidden()
    expect(manager.get_by_text("Kudos sent to Casey.")).to_be_visible()
    expect(manager.locator("#dd-kudos .kudos-item").first).to_contain_text(message)

    rep = new_page(size, bypass_csp=True)
    sign_in(rep, REP_EMAIL)
    wait_until_settled(rep)
    thank_and_check_history(rep, message, size)


def test_kudos_sent_through_the_api_reach_the_rep_once(new_page):
    message = f"Thanks for covering the Warsaw accounts {uuid.uuid4().hex[:8]}"
    manager = new_page("tablet")
    sign_in(manager, "manager@demo.test")
    casey = rep_id(manager, REP_NAME)
    body = {"user_id": casey, "message": message, "client_key": f"e2e-{uuid.uuid4().hex}"}
    first = manager.request.post("/api/kudos", data=body, headers=CSRF)
    assert first.status == 201, first.text()
    again = manager.request.post("/api/kudos", data=body, headers=CSRF)  # a retry of the same send
    assert again.status == 200, again.text()
    assert again.json()["id"] == first.json()["id"]

    rep = new_page("narrow", "dark", bypass_csp=True)
    sign_in(rep, REP_EMAIL)
    wait_until_settled(rep)
    expect(banner_for(rep, message)).to_have_count(1)
    thank_and_check_history(rep, message, "narrow", "dark")
    mine = rep.request.get("/api/kudos").json()
    sent = next(k for k in mine if k["id"] == first.json()["id"])
    assert sent["seen_at"] is not None


def test_a_rep_sends_kudos_to_a_teammate_who_chose_to_be_named(new_page):
    """Peer kudos: Riley (rep1) thanks Sam (named on team views) from History; Sam sees it.
    Taylor chose to be anonymous, so Taylor is not offered."""
    message = f"Thanks for the Contoso intro! {uuid.uuid4().hex[:6]}"
    riley = new_page("phone", bypass_csp=True)
    sign_in(riley, "rep1@demo.test")
    riley.goto("/history")
    wait_until_settled(riley)
    card = riley.locator("section", has=riley.get_by_role("heading", name="Kudos to a teammate"))
    teammate = card.get_by_label("Teammate")
    expect(teammate).to_be_visible()
    options = teammate.locator("option").all_inner_texts()
    assert "Sam Okafor" in options and "Taylor Nguyen" not in options, options
    teammate.select_option(label="Sam Okafor")
    card.get_by_role("button", name="Send kudos").click()
    expect(card.get_by_text("Write a few words")).to_be_visible()  # a message is needed
    card.get_by_label("Message").fill(message)
    card.get_by_role("button", name="Send kudos").click()
    expect(card.get_by_role("status")).to_have_text("Kudos sent to Sam.")
    violations = axe_violations(riley)
    assert not violations, format_violations(violations)

    sam = new_page("phone", bypass_csp=True)
    sign_in(sam, "rep2@demo.test")
    sam.goto("/history#kudos")
    wait_until_settled(sam)
    expect(sam.locator("section#kudos").get_by_text(message)).to_be_visible()
