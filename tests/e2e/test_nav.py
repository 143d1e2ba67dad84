"""The bottom tab bar fits the smallest phones: every label whole, every tab a real target."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in, wait_until_settled

pytestmark = pytest.mark.e2e

# What each role sees in the bar at 360px (short labels where the full name is long).
VISIBLE = {
    "rep1@demo.test": ["Week", "Log", "History", "Plan", "Settings"],
    "manager@demo.test": ["Team", "Plans", "Alerts", "Setup", "Settings"],
    "admin@demo.test": ["Users", "Teams", "Settings"],
}


def label_fit(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll("nav[aria-label='Main'] a")].map(a => {
            const label = [...a.querySelectorAll('span')].find(s => getComputedStyle(s).display !== 'none');
            const box = a.getBoundingClientRect();
            return {text: label.textContent, scroll: label.scrollWidth, client: label.clientWidth,
                    width: box.width, height: box.height, right: box.right};
        })"""
    )


@pytest.mark.parametrize("email", sorted(VISIBLE))
def test_bottom_bar_labels_fit_at_360px(new_page, email):
    page = new_page("narrow")
    sign_in(page, email)
    wait_until_settled(page)
    tabs = label_fit(page)
    assert [t["text"] for t in tabs] == VISIBLE[email]
    for tab in tabs:
        assert tab["scroll"] <= tab["client"], f"{tab['text']!r} is truncated: {tab}"
        assert tab["width"] >= 44 and tab["height"] >= 44, tab
        assert tab["right"] <= 360.5, tab
    screenshot(page, f"nav-360-{email.split('@')[0]}")


def test_short_label_keeps_the_full_accessible_name(new_page):
    page = new_page("narrow")
    sign_in(page, "rep1@demo.test")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="This week", exact=True)
    expect(link).to_have_text("WeekThis week")  # the text of both spans; CSS shows one
    expect(link.locator(".nav__short")).to_be_visible()
    expect(link.locator(".nav__full")).to_be_hidden()
    page.get_by_role("link", name="Log", exact=True).click()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")


def test_side_navigation_shows_full_names(new_page):
    page = new_page("tablet")
    sign_in(page, "rep1@demo.test")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="This week")
    expect(link.locator(".nav__full")).to_be_visible()
    expect(link.locator(".nav__short")).to_be_hidden()
