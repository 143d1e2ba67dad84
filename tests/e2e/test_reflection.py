"""The rep's side of the coaching loop in a real browser on a 360 px phone against the real
back end: a reflection written offline survives a reload and reaches the manager once back
online; a lost visit offers one self-coaching prompt whose answer lands in the reflection;
the reflection and timeline screens are axe-clean in light and dark."""

from __future__ import annotations

import os
import uuid

import pytest

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

CSRF = {"X-Followthrough": "1"}


def sync_text(page):
    return page.locator(".sync-status__text")


def reflect_status(page):
    return page.locator(".reflect-status__text")


def open_screen(page, path: str) -> None:
    page.goto(path)
    wait_until_settled(page)


def me_and_week(page) -> tuple[int, str]:
    me = page.request.get("/api/me").json()
    week = page.request.get("/api/weeks/current").json()
    return me["id"], week["week_start"]


def managers_view(new_page, rep_id: int, week: str) -> dict | None:
    """What the manager's API returns for the rep's reflection of that week."""
    manager = new_page("tablet")
    sign_in(manager, "manager@demo.test")
    answer = manager.request.get(f"/api/reps/{rep_id}/reflections/{week}")
    assert answer.status == 200, answer.text()
    return answer.json()


def test_a_reflection_written_offline_survives_a_reload_and_reaches_the_manager(new_page, server):
    page = new_page("narrow")
    sign_in(page, "rep2@demo.test")
    wait_for_service_worker(page)
    expect(sync_text(page)).to_have_text("All synced")
    rep_id, week = me_and_week(page)

    open_screen(page, "/reflect")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflect on your week")
    page.context.set_offline(True)

    page.get_by_label("Wins this week").fill("Two first meetings at new accounts")
    page.get_by_label("Where I got stuck").fill("Pricing questions from small customers")
    page.get_by_label("What I will do differently").fill("Ask about budget in the first call")
    help_field = page.get_by_label("What would help me")
    expect(page.locator(".reflect-field", has=help_field)).to_contain_text("Goes to your manager")
    help_field.fill("A price sheet for customers under 10 seats")
    rating = page.get_by_role("radiogroup", name="Rate your week from 1, tough, to 5, great")
    expect(rating.get_by_role("radio")).to_have_count(5)
    rating.get_by_role("radio", name="4 Good").check()
    page.get_by_label("Add a jotting").fill("Follow up with Nordwind before Friday")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".reflect-jottings__list li")).to_have_count(1)
    expect(reflect_status(page)).to_have_text("Changes not saved yet")
    page.get_by_role("button", name="Save reflection").click()

    expect(reflect_status(page)).to_have_text("Saved on this phone — will sync")
    expect(sync_text(page)).to_have_text("Offline — 1 waiting")
    screenshot(page, "reflect-offline-narrow")

    # Reload with no signal: the service worker serves the app, IndexedDB keeps the text.
    page.reload()
    wait_until_settled(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflect on your week")
    expect(page.get_by_label("Wins this week")).to_have_value("Two first meetings at new accounts")
    expect(page.get_by_label("What would help me")).to_have_value("A price sheet for customers under 10 seats")
    expect(page.get_by_role("radio", name="4 Good")).to_be_checked()
    expect(page.locator(".reflect-jottings__list")).to_contain_text("Follow up with Nordwind before Friday")
    expect(reflect_status(page)).to_have_text("Saved on this phone — will sync")
    expect(page.get_by_text("Offline — showing what is saved on this phone.")).to_be_visible()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(reflect_status(page)).to_have_text("Synced", timeout=20_000)
    expect(sync_text(page)).to_have_text("All synced")

    seen = managers_view(new_page, rep_id, week)
    assert seen is not None
    assert seen["week_start"] == week
    assert seen["wins"] == "Two first meetings at new accounts"
    assert seen["stuck"] == "Pricing questions from small customers"
    assert seen["differently"] == "Ask about budget in the first call"
    assert seen["help_wanted"] == "A price sheet for customers under 10 seats"
    assert seen["self_rating"] == 4
    assert seen["jottings"] == ["Follow up with Nordwind before Friday"]

    # An edit online replaces it (last write wins), under the same reflection id.
    page.get_by_label("Wins this week").fill("Three first meetings at new accounts")
    page.get_by_role("button", name="Save reflection").click()
    expect(reflect_status(page)).to_have_text("Synced", timeout=20_000)
    again = managers_view(new_page, rep_id, week)
    assert again["wins"] == "Three first meetings at new accounts"
    assert again["id"] == seen["id"]


def test_a_lost_visit_offers_one_prompt_and_the_answer_lands_in_the_reflection(new_page, server):
    page = new_page("narrow")
    sign_in(page, "rep3@demo.test")
    wait_for_service_worker(page)
    expect(sync_text(page)).to_have_text("All synced")
    rep_id, week = me_and_week(page)

    # Written earlier on another device (its own outbox): the phone must not overwrite it.
    tablet = str(uuid.uuid4())
    pushed = page.request.post("/api/sync/push", headers=CSRF, data={
        "client_id": tablet, "sent_at": page.evaluate("new Date().toISOString()"), "outbox_size": 1,
        "mutations": [{"mutation_id": str(uuid.uuid4()), "seq": 1, "kind": "reflection.upsert",
                       "entity_id": str(uuid.uuid4()),
                       "payload": {"week_start": week, "wins": "Written on the tablet"}}],
    })
    assert pushed.status == 200, pushed.text()
    assert pushed.json()["results"][0]["status"] == "applied", pushed.text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log").click()
    wait_until_settled(page)
    page.get_by_role("button", name="Visit", exact=True).click()
    page.get_by_label("Account (type to search or add a new one)").fill("Setback Systems")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Lost").click()
    # Saved first, at once; the prompt follows and blocks nothing.
    expect(page.locator(".log-confirm")).to_contain_text("Visit logged · Setback Systems")
    prompt = page.get_by_role("complementary", name="A moment to reflect")
    expect(prompt).to_be_visible()
    expect(page.locator(".coach-prompt")).to_have_count(1)
    expect(prompt.locator(".coach-prompt__text")).not_to_be_empty()
    question = prompt.locator(".coach-prompt__text").inner_text()
    screenshot(page, "self-coaching-prompt-narrow")

    prompt.get_by_role("button", name="Jot an answer").click()
    prompt.get_by_label("Your answer").fill("Qualify the budget before the demo")
    prompt.get_by_role("button", name="Add to my reflection").click()
    expect(prompt.get_by_role("status")).to_contain_text("Added to this week's reflection")
    expect(sync_text(page)).to_have_text("All synced", timeout=20_000)

    seen = managers_view(new_page, rep_id, week)
    assert seen is not None
    assert seen["wins"] == "Written on the tablet"
    assert len(seen["jottings"]) == 1
    assert seen["jottings"][0].startswith(question.strip())
    assert seen["jottings"][0].endswith("Qualify the budget before the demo")

    # Answered: not offered again for a setback today.
    prompt.get_by_role("button", name="Close").click()
    expect(page.locator(".coach-prompt")).to_have_count(0)
    page.get_by_role("button", name="Visit", exact=True).click()
    page.get_by_role("group", name="Recent accounts").get_by_role("button", name="Setback Systems", exact=True).click()
    page.get_by_role("button", name="No interest").click()
    expect(page.locator(".log-confirm")).to_contain_text("Visit logged · Setback Systems")
    page.wait_for_timeout(500)
    expect(page.locator(".coach-prompt")).to_have_count(0)

    # The jotting is in the reflection screen too.
    page.goto("/reflect")
    wait_until_settled(page)
    expect(page.get_by_label("Wins this week")).to_have_value("Written on the tablet")
    expect(page.locator(".reflect-jottings__list")).to_contain_text("Qualify the budget before the demo")
    expect(reflect_status(page)).to_have_text("Synced")


def test_a_rejected_reflection_needs_attention_and_can_be_discarded(new_page, server):
    page = new_page("narrow")
    sign_in(page, "rep5@demo.test")
    wait_for_service_worker(page)
    expect(sync_text(page)).to_have_text("All synced")
    rep_id, week = me_and_week(page)
    on_server = page.request.get(f"/api/reps/{rep_id}/reflections/{week}").json()

    # The server refuses the save (as it would an invalid one): answered here, never applied.
    def refuse(route):
        body = route.request.post_data_json
        results = [{"seq": m["seq"], "mutation_id": m["mutation_id"], "status": "rejected", "code": "invalid",
                    "message": "The reflection is not valid: wins is too long."} for m in body["mutations"]]
        route.fulfill(json={"last_applied_seq": max(m["seq"] for m in body["mutations"]), "results": results,
                            "clock_skew_seconds": 0, "max_batch": 200})

    page.context.route("**/api/sync/push", refuse)
    open_screen(page, "/reflect")
    page.get_by_label("Wins this week").fill("This one will be refused")
    page.get_by_role("button", name="Save reflection").click()

    link = page.get_by_role("link", name="Reflection needs attention")
    expect(link).to_be_visible(timeout=20_000)
    card = page.locator("#reflection-attention")
    expect(card.get_by_role("heading", name="Needs attention")).to_be_visible()
    expect(card).to_contain_text("The reflection is not valid: wins is too long.")
    expect(reflect_status(page)).to_have_text("Not accepted by the server — see Needs attention")
    expect(page.get_by_label("Wins this week")).to_have_value("This one will be refused")  # nothing lost
    screenshot(page, "reflection-needs-attention-narrow")
    page.context.unroute("**/api/sync/push")

    # History (rejected logs) still works and does not list it as a log.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    wait_until_settled(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("History")
    expect(page.locator("#attention")).to_have_count(0)

    link.click()
    wait_until_settled(page)
    card = page.locator("#reflection-attention")
    card.get_by_role("button", name="Discard").click()
    card.get_by_role("button", name="Discard").click()  # confirm
    expect(page.locator("#reflection-attention")).to_have_count(0)
    expect(page.get_by_role("link", name="Reflection needs attention")).to_have_count(0)
    expect(page.get_by_label("Wins this week")).to_have_value(on_server["wins"] if on_server else "")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reflect_and_timeline_have_no_serious_axe_violations(new_page, server, scheme):
    page = new_page("narrow", color_scheme=scheme, bypass_csp=True)
    sign_in(page, "rep2@demo.test")
    for path, heading in (("/reflect", "Reflect on your week"), ("/timeline", "Your coaching timeline")):
        open_screen(page, path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if path == "/reflect":
            page.get_by_role("radio", name="3 OK").check()  # a selected chip, for contrast
        violations = axe_violations(page)
        screenshot(page, f"{path.strip('/')}-narrow-{scheme}")
        assert not violations, f"{path} ({scheme}):\n{format_violations(violations)}"
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls sideways"
