"""The team screen with 50 reps, on a tablet in landscape (1024x768) and portrait
(768x1024): a dense table with at least 10 reps in view, sorted by any column, searched by
name, walked with the arrow keys, a row opened with Enter, and axe clean in light and dark.

The team, its manager and its 50 reps are made in this module through the API as the demo
admin (invitations, accepted): a team of its own, so the tests that count the demo team's
reps are not affected."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from .conftest import (
    DEMO_PASSWORD,
    axe_violations,
    format_violations,
    screenshot,
    sign_in,
    wait_until_settled,
)

pytestmark = pytest.mark.e2e

CSRF = {"X-Followthrough": "1"}
PASSWORD = "fifty-reps-pass-2026"
REPS = 50
FIRST = ["Ada", "Ben", "Chloé", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"]
LAST = ["Okoro", "Lindqvist", "Marchetti", "Nakamura", "Ortega"]
SIZES = {"landscape": "tablet", "portrait": "portrait"}


@dataclass(frozen=True)
class BigTeam:
    name: str
    manager_email: str
    rep_names: list[str]


def _accept(request, invite_url: str) -> dict:
    token = invite_url.split("#token=", 1)[1]
    answer = request.post(
        "/api/invitations/accept",
        data={"token": token, "password": PASSWORD, "browser_time_zone": "Europe/Berlin"},
        headers=CSRF,
    )
    assert answer.ok, answer.text()
    return answer.json()


@pytest.fixture(scope="module")
def big_team(browser, server) -> BigTeam:
    tag = uuid.uuid4().hex[:6]
    admin = browser.new_context(base_url=server.base_url)
    invitee = browser.new_context(base_url=server.base_url)  # accepting signs in: not as the admin
    try:
        login = admin.request.post(
            "/api/auth/login", data={"email": "admin@demo.test", "password": DEMO_PASSWORD}, headers=CSRF
        )
        assert login.ok, login.text()
        team = admin.request.post("/api/teams", data={"name": f"Field team {tag}"}, headers=CSRF)
        assert team.status == 201, team.text()
        team_id = team.json()["id"]

        def invite(email: str, name: str, role: str) -> dict:
            answer = admin.request.post(
                "/api/invites", data={"email": email, "name": name, "role": role, "team_id": team_id}, headers=CSRF
            )
            assert answer.status == 201, answer.text()
            return _accept(invitee.request, answer.json()["invite_url"])

        manager_email = f"lead-{tag}@field.test"
        manager = invite(manager_email, "Robin Lead", "manager")
        made = admin.request.patch(f"/api/teams/{team_id}", data={"manager_ids": [manager["id"]]}, headers=CSRF)
        assert made.ok, made.text()
        names = [f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST)]}" for i in range(REPS)]
        for i, name in enumerate(names):
            invite(f"rep{i}-{tag}@field.test", name, "rep")
        return BigTeam(name=f"Field team {tag}", manager_email=manager_email, rep_names=names)
    finally:
        admin.close()
        invitee.close()


@pytest.fixture
def team_page(new_page, big_team):
    def open_team(size: str, scheme: str = "light", bypass_csp: bool = False):
        page = new_page(SIZES[size], color_scheme=scheme, bypass_csp=bypass_csp)
        sign_in(page, big_team.manager_email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text(big_team.name)
        wait_until_settled(page)
        expect(rows(page)).to_have_count(REPS)
        return page

    return open_team


def rows(page):
    return page.locator("table.team-table > tbody > tr.team-row")


def toggles(page):
    return page.locator("table.team-table .team-row__toggle")


def shown_names(page) -> list[str]:
    return [t.strip() for t in toggles(page).all_inner_texts()]


# The top bar stays on screen (sticky): what is under it is not in view.
TOP_BAR = "document.querySelector('.topbar').getBoundingClientRect().bottom"


def scroll_table_into_view(page) -> None:
    """Scroll so the table's heading sits just under the top bar, as a manager does to
    reach the team below the triage."""
    page.evaluate(
        f"window.scrollTo(0, document.getElementById('review-reps-title').getBoundingClientRect().top"
        f" + window.scrollY - {TOP_BAR} - 8)"
    )


def rows_in_view(page) -> int:
    """Rep rows wholly visible: below the top bar, above the bottom of the screen."""
    return page.evaluate(
        f"""() => {{
            const top = {TOP_BAR};
            return [...document.querySelectorAll('table.team-table > tbody > tr.team-row')].filter(r => {{
                const box = r.getBoundingClientRect();
                return box.top >= top && box.bottom <= window.innerHeight;
            }}).length;
        }}"""
    )


@pytest.mark.parametrize("size", sorted(SIZES))
def test_fifty_reps_fit_the_tablet(team_page, size):
    page = team_page(size)
    # Nothing is cut off: the page never scrolls sideways, and the table fits its box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    assert page.evaluate(
        "(() => { const s = document.querySelector('.team-table-scroll'); return s.scrollWidth <= s.clientWidth })()"
    ), "the table is wider than its box"
    scroll_table_into_view(page)
    visible = rows_in_view(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    row_height = page.evaluate("document.querySelector('tr.team-row').getBoundingClientRect().height")
    print(f"{size}: {visible} rows in view, rows {row_height:.0f}px, page {height}px for {REPS} reps")
    assert visible >= 10, f"only {visible} rows in view"
    screenshot(page, f"team-table-50-{size}")
    # Portrait: the navigation is a bar above the screen, not a 220px side column.
    nav = page.get_by_role("navigation", name="Main").bounding_box()
    main = page.locator("main").bounding_box()
    if size == "portrait":
        assert main["x"] < 1 and main["width"] >= 767, main
        assert nav["y"] + nav["height"] <= main["y"] + 1, (nav, main)
    else:
        assert nav["x"] + nav["width"] <= main["x"] + 1, (nav, main)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_sort_search_and_keyboard(team_page, big_team, size):
    page = team_page(size)
    header = page.locator("table.team-table thead th", has=page.get_by_role("button", name="Name"))
    expect(header).not_to_have_attribute("aria-sort", re.compile(".*"))
    attention = page.locator("table.team-table thead th", has=page.get_by_role("button", name="Attention"))
    expect(attention).to_have_attribute("aria-sort", "ascending")  # the server's order to start with

    page.get_by_role("button", name="Name", exact=True).click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(attention).not_to_have_attribute("aria-sort", re.compile(".*"))
    expected = sorted(big_team.rep_names, key=str.casefold)
    assert shown_names(page) == expected
    page.get_by_role("button", name="Name", exact=True).click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert shown_names(page) == expected[::-1]

    # Search: any part of the name, accents ignored; the heading says how many are shown.
    search = page.get_by_label("Find a rep")
    search.fill("chloe")
    chloes = [n for n in big_team.rep_names if n.startswith("Chloé")]
    expect(rows(page)).to_have_count(len(chloes))
    expect(page.locator("#review-reps-title")).to_have_text(f"The whole team ({len(chloes)} of {REPS})")
    search.fill("chloé ortega")
    expect(rows(page)).to_have_count(1)
    expect(toggles(page)).to_have_text("Chloé Ortega")
    search.fill("nobody here")
    expect(rows(page)).to_have_count(0)
    expect(page.get_by_text("No rep's name contains “nobody here”.")).to_be_visible()
    search.fill("")
    expect(rows(page)).to_have_count(REPS)

    # Keyboard: one Tab stop into the table, arrows between reps, Enter opens the row.
    page.get_by_role("button", name="Streak", exact=True).focus()
    page.keyboard.press("Tab")
    first = expected[::-1][0]
    assert page.evaluate("document.activeElement.textContent") == first
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    third = toggles(page).nth(2)
    expect(third).to_be_focused()
    expect(third).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(third).to_have_attribute("aria-expanded", "true")
    detail = page.locator(f"#{third.get_attribute('aria-controls')}")
    expect(detail).to_be_visible()
    expect(detail.get_by_role("button", name=f"Send kudos to {expected[::-1][2]}")).to_be_visible()
    expect(detail.get_by_role("link", name=f"1:1 check-in with {expected[::-1][2]}")).to_have_attribute(
        "href", re.compile(r"^/team/reps/\d+/checkin$")
    )
    page.keyboard.press("ArrowUp")
    expect(toggles(page).nth(1)).to_be_focused()
    page.keyboard.press("End")
    expect(toggles(page).nth(REPS - 1)).to_be_focused()
    page.keyboard.press("Home")
    expect(toggles(page).nth(0)).to_be_focused()
    # Enter again closes it; Tab leaves the table (the other rows are not Tab stops).
    toggles(page).nth(2).focus()
    page.keyboard.press("Enter")
    expect(toggles(page).nth(2)).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.classList.contains('team-row__toggle')")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_fifty_reps_axe(team_page, size, scheme):
    page = team_page(size, scheme, bypass_csp=True)
    toggles(page).nth(0).click()
    toggles(page).nth(1).click()
    expect(page.locator("tr.team-row__detail")).to_have_count(2)
    scroll_table_into_view(page)
    screenshot(page, f"team-table-50-{size}-{scheme}")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
