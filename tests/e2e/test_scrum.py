"""The weekly scrum as a ten-minute ritual, in chromium on the demo: the team against its
plan first, each rep as they chose (reps who have not chosen as the team shows them), then
a wrap-up; Next and the timer in view at 1024x768; nothing private on the shared screen;
the team's default set on the setup screen and told to the rep on their preferences."""

from __future__ import annotations

import re

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

# Words that belong to the 1:1, never to a screen the team sees.
PRIVATE = re.compile(r"prefers autonomy|checked on often|behind|of the pace|steady pace|no activity logged|"
                     r"nothing logged in|not sure|waiting on a device|to talk about", re.IGNORECASE)


def open_scrum(page) -> None:
    sign_in(page, "manager@demo.test")
    expect(page).to_have_url(re.compile(r"/team$"))
    page.get_by_role("link", name="Weekly scrum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly scrum: Demo team")
    wait_until_settled(page)
    expect(page.locator(".scrum__step-name")).to_have_text("Team totals")


def step_name(page):
    return page.locator(".scrum__step-name")


def check_axe(page, name: str) -> None:
    violations = axe_violations(page)
    screenshot(page, name)
    assert not violations, format_violations(violations)


def set_team_default(page, label: str) -> None:
    page.goto("/setup")
    field = page.get_by_label("On shared screens, show reps who have not chosen")
    expect(field).to_be_visible()
    field.select_option(label=label)
    page.get_by_role("button", name="Save plan settings").click()
    expect(page.get_by_text("Plan settings saved.")).to_be_visible()


@pytest.mark.parametrize("size", ["tablet", "narrow"])
def test_scrum_walks_the_team_then_each_rep_then_the_wrap_up(new_page, size):
    page = new_page(size)
    open_scrum(page)
    progress = page.locator(".scrum__count")
    # Team totals, Riley and Sam by name, Taylor (anonymous by choice), Jordan and Avery
    # (undecided: the demo team's default, anonymously), the wrap-up. Casey chose "manager only".
    expect(progress).to_have_text("1 of 7")
    team = page.locator(".scrum-team")
    expect(team).to_contain_text(re.compile(r"\d of \d reps on pace"))
    expect(team).to_contain_text("1 rep shown to the manager only.")
    expect(team).to_contain_text("2 reps have not chosen how to appear: shown anonymously")
    expect(team.locator(".scrum-line").first).to_contain_text(re.compile(r"\d+ of \d+"))

    clock = page.get_by_role("timer", name="Time left for this rep")
    next_button = page.get_by_role("button", name="Next")
    if size == "tablet":  # 1024x768: the controls never below the fold
        for control in (next_button, clock, page.get_by_role("button", name="Start timer")):
            expect(control).to_be_in_viewport(ratio=1)

    seen = []
    for _ in range(6):
        text = page.locator(".scrum").inner_text()
        assert not PRIVATE.search(text), PRIVATE.search(text)
        seen.append(step_name(page).inner_text())
        if size == "tablet":
            expect(next_button).to_be_in_viewport(ratio=1)
            expect(clock).to_be_in_viewport(ratio=1)
        next_button.click()
    assert seen[:3] == ["Team totals", "Riley Fischer", "Sam Okafor"], seen
    assert seen[3:] == ["Rep A", "Rep B", "Rep C"], seen
    expect(step_name(page)).to_have_text("Wrap-up")
    expect(next_button).to_be_disabled()
    assert not PRIVATE.search(page.locator(".scrum").inner_text())
    # Who could use a hand: the server's one diagnosis, as shown (Sam and Riley whatever the
    # day; an anonymous rep too when the day makes their week worth a talk).
    scrum = page.request.get(f"/api/teams/{demo_team_id(page)}/scrum").json()
    assert {"Riley Fischer", "Sam Okafor"} <= set(scrum["wrap_up"]["needs_help"])
    expect(page.locator("section[aria-labelledby='scrum-help'] li")).to_have_text(scrum["wrap_up"]["needs_help"])
    notes = page.get_by_label("What we agreed")
    notes.fill("Pair Sam with Taylor on Thursday's calls.")
    screenshot(page, f"scrum-wrap-up-{size}")

    # Arrow keys walk back and forth (not while typing in the notes).
    page.locator(".scrum__progress").click()
    page.keyboard.press("ArrowLeft")
    expect(progress).to_have_text("6 of 7")
    expect(page.locator(".scrum-card .badge")).to_have_text("Shown anonymously")
    page.keyboard.press("ArrowRight")
    expect(step_name(page)).to_have_text("Wrap-up")
    # The notes stay on this device for this team and week.
    page.reload()
    wait_until_settled(page)
    for _ in range(6):
        next_button.click()
    expect(page.get_by_label("What we agreed")).to_have_value("Pair Sam with Taylor on Thursday's calls.")

    # A turn's countdown: start, pause, and each step starts from the top.
    expect(clock).to_have_text("2:00")
    page.get_by_role("button", name="Start timer").click()
    expect(clock).not_to_have_text("2:00", timeout=4_000)
    page.get_by_role("button", name="Pause").click()
    paused = clock.inner_text()
    page.wait_for_timeout(1_200)
    expect(clock).to_have_text(paused)
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.get_by_role("button", name="Previous").click()
    expect(clock).to_have_text("2:00")
    screenshot(page, f"scrum-rep-{size}")

    page.get_by_role("link", name="Exit scrum").click()
    expect(page).to_have_url(re.compile(r"/team$"))


def test_undecided_reps_follow_the_team_default_and_see_it(new_page):
    page = new_page("tablet")
    open_scrum(page)
    set_team_default(page, "By name")
    try:
        page.goto("/team/scrum")
        wait_until_settled(page)
        names = []
        for _ in range(6):
            page.get_by_role("button", name="Next").click()
            names.append(step_name(page).inner_text())
        # Jordan and Avery have not chosen: named now. Taylor's own "anonymous" wins.
        assert names == ["Avery Patel", "Jordan Silva", "Riley Fischer", "Sam Okafor", "Rep A", "Wrap-up"], names

        rep = new_page("tablet")
        sign_in(rep, "rep3@demo.test")  # Jordan: "not sure"
        rep.goto("/preferences")
        expect(rep.locator("#team-visibility")).to_have_text(
            "Your team shows reps by name on shared screens unless you choose. Until you do, you appear by name.")
        rep.get_by_label("Show me anonymously to peers").check()
        expect(rep.locator("#team-visibility")).to_contain_text("Your choice wins.")
    finally:
        set_team_default(page, "Anonymously (as “Rep A”)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["tablet", "narrow"])
def test_scrum_axe(new_page, size, scheme):
    page = new_page(size, color_scheme=scheme, bypass_csp=True)
    open_scrum(page)
    check_axe(page, f"scrum-team-{size}-{scheme}")
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".scrum-card")).to_be_visible()
    check_axe(page, f"scrum-rep-{size}-{scheme}")
    for _ in range(5):
        page.get_by_role("button", name="Next").click()
    expect(step_name(page)).to_have_text("Wrap-up")
    check_axe(page, f"scrum-wrap-up-{size}-{scheme}")
    page.goto("/setup")
    expect(page.get_by_label("On shared screens, show reps who have not chosen")).to_be_visible()
    check_axe(page, f"setup-visibility-{size}-{scheme}")
