"""Weekly behaviour plan in a real browser: a rep builds, commits and adjusts a plan on a
phone with the funnel calculator; the manager reviews, acknowledges and asks a question
on a tablet; preferences and team expectations travel between them; axe on every screen."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, format_violations, screenshot, sign_in, wait_until_settled

pytestmark = pytest.mark.e2e

SIZES = ["phone", "tablet"]
SCHEMES = ["light", "dark"]


def go(page, label: str, heading: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    wait_until_settled(page)


def open_expectations(manager) -> None:
    """A manager reaches the team's expectations from Setup (the bar keeps five tabs)."""
    go(manager, "Setup", "Team setup")
    manager.get_by_role("link", name=re.compile("^Expectations")).click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Team expectations")
    wait_until_settled(manager)


def weekly(page, stage_name: str) -> int:
    row = page.locator(".funnel-table tbody tr").filter(has=page.get_by_role("rowheader", name=re.compile(stage_name)))
    return int(row.locator(".weekly").inner_text())


def test_rep_builds_commits_adjusts_and_manager_acknowledges(new_page):
    rep = new_page("phone")
    sign_in(rep, "rep3@demo.test")  # no plan for this week in the demo data
    expect(rep.get_by_role("heading", level=1)).to_have_text("This week")
    expect(rep.get_by_text("The plan deadline has passed.")).to_be_visible()
    rep.get_by_role("link", name="Build your plan").click()
    expect(rep.get_by_role("heading", level=1)).to_have_text("Plan your week")
    wait_until_settled(rep)
    expect(rep.get_by_label("Week", exact=True)).to_have_value(re.compile(r"\d{4}-\d{2}-\d{2}"))

    # Funnel calculator: a revenue goal gives weekly numbers; a what-if ratio changes them.
    rep.get_by_label("Goal in").select_option("revenue")
    rep.get_by_label("Revenue goal").fill("60000")
    rep.get_by_label("Average deal size").fill("5000")
    expect(rep.locator(".funnel-table .weekly").first).to_be_visible()
    expect(rep.locator(".explanation")).not_to_be_empty()
    before = weekly(rep, "Call")
    rep.get_by_label("Call conversion in percent").fill("5")
    expect(rep.get_by_text("from your what-if")).to_be_visible()
    for _ in range(100):
        if weekly(rep, "Call") > before:
            break
        rep.wait_for_timeout(100)
    after = weekly(rep, "Call")
    assert after > before, (before, after)
    screenshot(rep, "plan-builder-funnel-phone")

    rep.get_by_role("button", name="Use these targets").click()
    expect(rep.get_by_label("Call per week", exact=True)).to_have_value(str(min(after, 500)))
    expect(rep.get_by_text("your goal is saved")).to_be_visible()

    rep.get_by_role("button", name="Add a commitment").click()
    rep.get_by_role("textbox", name="Commitment 1").fill("Book 2 demos with existing accounts")
    rep.get_by_role("button", name="Commit plan").click()
    expect(rep.get_by_text("Plan committed.")).to_be_visible()

    # Adjust the committed plan: the reason is required, then shows in the history.
    rep.get_by_role("button", name="One Visit more").click()
    rep.get_by_role("button", name="Save the change").click()
    expect(rep.get_by_text("Say why the plan changes.").first).to_be_visible()
    rep.get_by_label("Reason for the change").fill("Trade fair leads need visits")
    rep.get_by_role("button", name="Save the change").click()
    expect(rep.get_by_text("Plan changed (version 2)")).to_be_visible()
    history = rep.get_by_role("list", name="Revision history")
    expect(history).to_contain_text("Trade fair leads need visits")
    expect(history).to_contain_text("Version 2")

    # The manager on a tablet sees it, acknowledges it and asks a question.
    manager = new_page("tablet")
    sign_in(manager, "manager@demo.test")
    go(manager, "Plans", "Plans")
    card = manager.locator(".plan-row").filter(has_text="Jordan Silva")
    expect(card).to_contain_text("Committed")
    expect(card).to_contain_text("Book 2 demos with existing accounts")
    expect(card).to_contain_text("2 revisions")
    card.get_by_role("button", name="Open Jordan Silva's plan").click()
    detail = manager.locator(".rep-plan")
    expect(detail.get_by_role("list", name="Revision history")).to_contain_text("Trade fair leads need visits")
    detail.get_by_role("button", name="Acknowledge plan").click()
    expect(detail.get_by_text(re.compile(r"Acknowledged by Morgan Manager"))).to_be_visible()
    question = f"What would help you with the trade fair visits? {uuid.uuid4().hex[:6]}"
    detail.get_by_label("Ask Jordan a question").fill(question)
    detail.get_by_role("button", name="Send").click()
    expect(detail.get_by_role("list", name="Messages")).to_contain_text(question)
    expect(card).to_contain_text("Acknowledged")
    screenshot(manager, "plans-acknowledged-tablet")

    # The rep sees the acknowledgement and the question on Home, and replies.
    go(rep, "This week", "This week")
    expect(rep.get_by_text(re.compile(r"Acknowledged by Morgan Manager, \w{3} \d{2}:\d{2}"))).to_be_visible()
    expect(rep.get_by_role("list", name="Messages")).to_contain_text(question)
    expect(rep.get_by_text("Book 2 demos with existing accounts")).to_be_visible()
    expect(rep.locator(".progress-row").first).to_contain_text("qualifying")
    rep.get_by_label("Reply to your manager").fill("A second pair of eyes on the route")
    rep.get_by_role("button", name="Send").click()
    expect(rep.get_by_role("list", name="Messages")).to_contain_text("A second pair of eyes on the route")
    screenshot(rep, "home-plan-phone")


def test_not_sure_preferences_reach_the_manager(new_page):
    rep = new_page("phone")
    sign_in(rep, "rep6@demo.test")  # has not answered yet
    expect(rep.get_by_text("How would you like to be held accountable?")).to_be_visible()
    rep.get_by_role("link", name="Answer in a minute").click()
    expect(rep.get_by_role("heading", level=1)).to_have_text("How would you like to be held accountable?")
    wait_until_settled(rep)
    rep.get_by_role("group", name="How often should we check in?").get_by_label("Twice a week").check()
    rep.get_by_role("group", name="Your style").get_by_label("Check in with me often").check()
    rep.get_by_role("group", name="How visible do you want to be to your peers?").get_by_label("I'm not sure yet").check()
    expect(rep.get_by_text("That's a fine answer")).to_be_visible()
    rep.get_by_label("Saturday").check()
    rep.get_by_role("button", name="Add a time").click()
    rep.get_by_label("Time 2").fill("08:15")
    rep.get_by_role("button", name="Save my answers").click()
    expect(rep.get_by_text("Saved. Thank you")).to_be_visible()
    saved = rep.request.get("/api/me/preferences").json()
    assert saved["answered"] is True
    assert saved["visibility"] == "not_sure" and saved["checkin_rhythm"] == "twice_weekly"
    assert 5 in saved["reminder_days"] and "08:15" in saved["reminder_times"]

    manager = new_page("tablet")
    sign_in(manager, "manager@demo.test")
    go(manager, "Plans", "Plans")
    card = manager.locator(".plan-row").filter(has_text="Avery Patel")
    expect(card).to_contain_text("How visible do they want to be to peers?")
    expect(card).not_to_contain_text("How often would check-ins help?")
    expect(card).not_to_contain_text("Hasn't said yet")


def test_manager_edits_expectations_and_a_rep_reads_them(new_page):
    manager = new_page("tablet")
    sign_in(manager, "manager@demo.test")
    open_expectations(manager)
    manager.get_by_role("button", name="Edit").click()
    text = f"Plans are due Monday noon. Calls count when you reach a person. {uuid.uuid4().hex[:6]}"
    manager.get_by_label("Team expectations").fill(text)
    manager.get_by_role("button", name="Save expectations").click()
    expect(manager.get_by_text("Saved. Your reps will see the new version.")).to_be_visible()
    expect(manager.get_by_text(re.compile(r"Updated \d{1,2} \w{3} \d{4} by Morgan Manager"))).to_be_visible()
    expect(manager.get_by_role("heading", name="Earlier versions")).to_be_visible()

    rep = new_page("phone")
    sign_in(rep, "rep1@demo.test")
    rep.get_by_role("link", name="Team expectations").click()
    expect(rep.get_by_role("heading", level=1)).to_have_text("Team expectations")
    expect(rep.get_by_text(text)).to_be_visible()
    expect(rep.get_by_text(re.compile(r"^Updated .* by Morgan Manager$"))).to_be_visible()
    expect(rep.get_by_role("button", name="Edit")).to_have_count(0)
    rep.locator("details summary").first.click()
    expect(rep.locator("details[open] .expectations-text")).to_be_visible()


def check(page, name: str) -> None:
    wait_until_settled(page)
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, f"{name}:\n{format_violations(violations)}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_plan_screens_axe(new_page, size, scheme):
    rep = new_page(size, color_scheme=scheme, bypass_csp=True)
    sign_in(rep, "rep1@demo.test")
    expect(rep.locator(".progress-row").first).to_be_visible()
    check(rep, f"plan-home-{size}-{scheme}")
    go(rep, "Plan", "Plan your week")
    rep.get_by_label("Revenue goal").fill("40000")
    rep.get_by_label("Average deal size").fill("4000")
    expect(rep.locator(".funnel-table")).to_be_visible()
    check(rep, f"plan-builder-{size}-{scheme}")
    rep.goto("/preferences")
    expect(rep.get_by_role("heading", level=1)).to_have_text("How would you like to be held accountable?")
    check(rep, f"preferences-{size}-{scheme}")
    rep.goto("/expectations")
    expect(rep.get_by_role("heading", level=1)).to_have_text("Team expectations")
    check(rep, f"expectations-rep-{size}-{scheme}")

    manager = new_page(size, color_scheme=scheme, bypass_csp=True)
    sign_in(manager, "manager@demo.test")
    go(manager, "Plans", "Plans")
    manager.get_by_role("button", name="Open Riley Fischer's plan").click()
    expect(manager.locator(".rep-plan .thread")).to_be_visible()
    check(manager, f"plans-{size}-{scheme}")
    open_expectations(manager)
    check(manager, f"expectations-{size}-{scheme}")
    go(manager, "Setup", "Team setup")
    expect(manager.locator(".type-row").first).to_be_visible()
    check(manager, f"setup-{size}-{scheme}")
