"""The rep drill-down in a real browser: the manager on a tablet and on a 360 px phone sees
where Riley's funnel leaks (meetings → proposals), 2–3 coaching questions and charts with a
text alternative; weeks step back and forth and a future week is refused in words; a rep
gets no other rep's data; the rep's own insights speak to them; axe light and dark."""

from __future__ import annotations

import re
from datetime import date, timedelta

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

SIZES = ["tablet", "narrow"]


def rep_id(page, name: str) -> int:
    """A demo rep's id, from the manager's team review (the page must be a manager's)."""
    review = page.request.get(f"/api/teams/{demo_team_id(page)}/review")
    assert review.ok, review.text()
    return next(row["user_id"] for row in review.json()["rows"] if row["name"] == name)


def open_drilldown(page, user_id: int, query: str = "") -> None:
    page.goto(f"/team/reps/{user_id}{query}")
    wait_until_settled(page)


@pytest.mark.parametrize("size", SIZES)
def test_manager_sees_the_weak_stage_questions_and_charts(new_page, size):
    page = new_page(size)
    sign_in(page, "manager@demo.test")
    riley = rep_id(page, "Riley Fischer")
    open_drilldown(page, riley)
    expect(page.get_by_role("heading", level=1)).to_have_text("Riley Fischer")
    expect(page.get_by_text("(this week)")).to_be_visible()

    # The funnel names the weak stage in plain words and highlights it (not by colour only).
    summary = page.locator(".dd-summary")
    expect(summary).to_contain_text(re.compile(r"Meetings turn into proposals at \d+%; the team's median is \d+%"))
    weakest = page.locator(".funnel-stage--weakest")
    expect(weakest).to_have_count(1)
    expect(weakest).to_contain_text("Meetings → proposals")
    expect(weakest).to_contain_text("Weakest stage")

    # Signals, grouped.
    expect(page.get_by_role("heading", name=re.compile("Needs a conversation"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Deserves kudos"))).to_be_visible()

    # 2–3 coaching questions, each with a copy button, and the coaching library.
    questions = page.locator(".question-list > li")
    count = questions.count()
    assert 2 <= count <= 3, count
    expect(page.get_by_role("heading", name="Questions to ask", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Copy question \d$"))).to_have_count(count)
    expect(page.get_by_role("link", name="Open the coaching question library")).to_be_visible()

    # The trend chart: an image with a summary in words, a type selector, a data table.
    chart = page.locator("#dd-trends svg[role='img']").first
    expect(chart).to_be_visible()
    label = chart.get_attribute("aria-label") or ""
    assert re.search(r"\d+ weeks from .+ to .+\.", label), label
    assert "qualifying" in label, label
    page.get_by_label("Activity type", exact=True).select_option(label="Call")
    expect(page.locator("#dd-trends svg[role='img']").first).to_have_attribute("aria-label", re.compile("^Call, "))
    table_toggle = page.locator("#dd-trends details").first
    table_toggle.locator("summary").click()
    caption = table_toggle.locator("caption")
    expect(caption).to_contain_text("Call per week")
    expect(table_toggle.locator("tbody tr").first).to_be_visible()
    expect(page.locator("#dd-trends svg[role='img']")).to_have_count(2)  # plan vs actual, quality

    # Mix vs the team, recent activity, the plan with its conversation.
    expect(page.locator(".mix-item").first).to_contain_text("Team median")
    expect(page.locator(".recent-item").first).to_be_visible()
    expect(page.get_by_role("heading", name="The plan")).to_be_visible()
    expect(page.get_by_label(re.compile("^Ask Riley a question"))).to_be_visible()
    screenshot(page, f"drilldown-riley-{size}")


def test_weeks_step_back_and_a_future_week_is_refused(new_page):
    page = new_page("tablet")
    sign_in(page, "manager@demo.test")
    riley = rep_id(page, "Riley Fischer")
    open_drilldown(page, riley)
    expect(page.get_by_role("button", name="Next week")).to_be_disabled()
    label = page.locator(".week-nav__label")
    this_week = label.inner_text()
    page.get_by_role("button", name="Previous week").click()
    wait_until_settled(page)
    expect(label).not_to_have_text(this_week)
    assert re.search(r"\?week=\d{4}-\d{2}-\d{2}$", page.url), page.url
    expect(page.locator(".dd-summary")).to_be_visible()
    page.get_by_role("button", name="Next week").click()
    wait_until_settled(page)
    expect(label).to_have_text(this_week)
    assert "week=" not in page.url, page.url

    # A week that has not started: the server's words, and a way back.
    monday = date.today() - timedelta(days=date.today().weekday())
    open_drilldown(page, riley, f"?week={(monday + timedelta(weeks=5)).isoformat()}")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("has not started yet")
    alert.get_by_role("button", name="Go to this week").click()
    wait_until_settled(page)
    expect(page.locator(".dd-summary")).to_be_visible()


def test_a_rep_gets_no_other_reps_data(new_page):
    manager = new_page("tablet")
    sign_in(manager, "manager@demo.test")
    sam = rep_id(manager, "Sam Okafor")

    rep = new_page("narrow")
    sign_in(rep, "rep1@demo.test")
    answer = rep.request.get(f"/api/reps/{sam}/review")
    assert answer.status == 404, answer.text()
    rep.goto(f"/team/reps/{sam}")
    wait_until_settled(rep)
    expect(rep.get_by_text("Sam Okafor")).to_have_count(0)
    expect(rep.locator(".funnel-stages")).to_have_count(0)

    # A manager asking for someone not on their team: the screen says so, with the server's words.
    open_drilldown(manager, 987654)
    alert = manager.get_by_role("alert")
    expect(alert).to_contain_text("No review to show for this person.")
    expect(alert.get_by_role("link", name="Back to the team")).to_be_visible()


def test_the_rep_sees_their_own_insights(new_page):
    page = new_page("narrow")
    sign_in(page, "rep1@demo.test")
    page.get_by_role("link", name="Your trends and insights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your trends and insights")
    wait_until_settled(page)
    expect(page.get_by_role("heading", name="Questions to ask yourself")).to_be_visible()
    assert 2 <= page.locator(".question-list > li").count() <= 3
    expect(page.get_by_role("button", name=re.compile("^Copy question"))).to_have_count(0)
    expect(page.get_by_role("button", name="Send kudos")).to_have_count(0)
    expect(page.locator(".dd-summary")).to_contain_text("Meetings turn into proposals")
    expect(page.locator("svg[role='img']").first).to_have_attribute("aria-label", re.compile(r"\d+ weeks from"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_drilldown_is_axe_clean(new_page, size, scheme):
    page = new_page(size, scheme, bypass_csp=True)
    sign_in(page, "manager@demo.test")
    open_drilldown(page, rep_id(page, "Riley Fischer"))
    expect(page.locator(".dd-summary")).to_be_visible()
    page.locator("#dd-trends details summary").first.click()  # the data table too
    screenshot(page, f"drilldown-{size}-{scheme}")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    # The send-kudos dialog, open.
    page.get_by_role("button", name="Send kudos").click()
    dialog = page.get_by_role("dialog", name=re.compile("Send kudos to Riley"))
    expect(dialog).to_be_visible()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_pending_sync_holds_back_pace_in_the_drilldown_and_the_checkin(new_page):
    """Casey's phone holds logs: no screen where a manager prepares the 1:1 judges her pace."""
    page = new_page("tablet")
    sign_in(page, "manager@demo.test")
    casey = rep_id(page, "Casey Kowalski")
    open_drilldown(page, casey)
    facts = page.locator(".dd-facts")
    expect(facts).to_contain_text("Pending sync")
    expect(facts.locator(".pace")).to_have_count(0)
    expect(page.locator(".dd-progress .pace")).to_have_count(0)
    expect(page.locator(".dd-progress")).to_contain_text("Not judged yet")

    page.goto(f"/team/reps/{casey}/checkin")
    wait_until_settled(page)
    numbers = page.locator("#ci-numbers")
    expect(numbers.locator(".ci-pace")).to_contain_text("Pending sync")
    expect(numbers.locator(".pace")).to_have_count(0)
