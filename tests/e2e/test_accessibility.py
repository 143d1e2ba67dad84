"""axe-core on every screen, light and dark, at phone and tablet sizes, with screenshots
saved to test-results/screenshots/ for a human look."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from .conftest import (
    axe_violations,
    create_invite,
    format_violations,
    screenshot,
    sign_in,
    wait_until_settled,
)

pytestmark = pytest.mark.e2e

SIZES = ["phone", "tablet"]
SCHEMES = ["light", "dark"]


def check(page, name: str) -> None:
    wait_until_settled(page)
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, f"{name}:\n{format_violations(violations)}"


def go(page, label: str, heading: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_public_screens(new_page, size, scheme):
    page = new_page(size, color_scheme=scheme, bypass_csp=True)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check(page, f"login-{size}-{scheme}")

    admin = new_page(size)
    sign_in(admin, "admin@demo.test")
    url = create_invite(admin, email=f"axe-{uuid.uuid4().hex[:8]}@demo.test", name="Alex Axe")
    page.goto(url)
    expect(page.get_by_label("Choose a password")).to_be_visible()
    check(page, f"invitation-{size}-{scheme}")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_rep_screens(new_page, size, scheme):
    page = new_page(size, color_scheme=scheme, bypass_csp=True)
    sign_in(page, "rep1@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")
    check(page, f"home-{size}-{scheme}")
    # The log form is one of the Lighthouse pages too (issue #8): the same four screens
    # (sign-in, This week, Log, the team) are checked by both.
    go(page, "Log", "Log activity")
    check(page, f"log-{size}-{scheme}")
    go(page, "Settings", "Settings")
    check(page, f"settings-{size}-{scheme}")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_manager_screens(new_page, size, scheme):
    page = new_page(size, color_scheme=scheme, bypass_csp=True)
    sign_in(page, "manager@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo team")
    check(page, f"team-{size}-{scheme}")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_admin_screens(new_page, size, scheme):
    page = new_page(size, color_scheme=scheme, bypass_csp=True)
    sign_in(page, "admin@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    check(page, f"admin-users-{size}-{scheme}")
    go(page, "Teams", "Teams")
    check(page, f"admin-teams-{size}-{scheme}")
