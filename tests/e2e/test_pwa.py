"""The PWA in a real browser against the real back end: sign-in per role, offline start,
invitations, and the layout at phone and tablet sizes."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import create_invite, sign_in, wait_for_service_worker, wait_until_settled

pytestmark = pytest.mark.e2e

SIZES = ["phone", "tablet"]
DEMO_REP_EMAILS = [f"rep{n}@demo.test" for n in range(1, 7)]


def nav_position(page) -> dict:
    return page.locator("nav[aria-label='Main']").bounding_box()


@pytest.mark.parametrize("size", SIZES)
def test_rep_signs_in_and_sees_this_week(new_page, size):
    page = new_page(size)
    sign_in(page, "rep1@demo.test")

    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")
    expect(page.locator(".greeting")).to_contain_text(re.compile(r"Good (morning|afternoon|evening), "))
    # Seven days, Monday first, today marked.
    days = page.locator(".week-strip li")
    expect(days).to_have_count(7)
    expect(page.locator(".week-strip [aria-current='date']")).to_have_count(1)
    # The placeholder became the real plan (rep1 has a committed plan in the demo data).
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()

    box = nav_position(page)
    if size == "phone":
        # A bottom tab bar.
        assert box["y"] + box["height"] >= 844 - 1 and box["width"] >= 389, box
    else:
        # A side navigation.
        assert box["x"] == 0 and box["width"] < 300 and box["height"] > 500, box


@pytest.mark.parametrize("size", SIZES)
def test_rep_home_opens_offline_after_first_visit(new_page, size):
    page = new_page(size)
    sign_in(page, "rep2@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")
    wait_for_service_worker(page)

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")
    expect(page.locator(".greeting")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Offline")).to_be_visible()

    # Back online: the session is re-checked and the offline badge goes away.
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status").filter(has_text="Offline")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")


@pytest.mark.parametrize("size", SIZES)
def test_manager_sees_the_team_with_six_demo_reps(new_page, size):
    page = new_page(size)
    sign_in(page, "manager@demo.test")

    expect(page).to_have_url(re.compile(r"/team$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo team")
    page.get_by_role("link", name=re.compile("People")).first.click()  # the roster, from the review screen
    expect(page).to_have_url(re.compile(r"/team/people$"))
    reps = page.locator("section", has=page.get_by_role("heading", name=re.compile(r"^Reps"))).locator("li.person")
    # Other tests may add reps to the shared demo team: check the six demo reps by email.
    for email in DEMO_REP_EMAILS:
        expect(reps.filter(has_text=email)).to_have_count(1)
    expect(page.get_by_role("heading", name="Invite a rep")).to_be_visible()
    expect(page.get_by_role("heading", name="Pending invitations")).to_be_visible()


def test_manager_deactivates_and_reactivates_a_rep(new_page):
    page = new_page("tablet")
    sign_in(page, "manager@demo.test")
    page.goto("/team/people")
    rep = page.locator("li.person").filter(has_text="rep6@demo.test")
    rep.get_by_role("button", name=re.compile("^Deactivate")).click()
    rep.get_by_role("button", name="Yes, deactivate").click()
    expect(rep.locator(".badge--off")).to_have_text("Deactivated")

    rep.get_by_role("button", name=re.compile("^Reactivate")).click()
    expect(rep.locator(".badge--ok")).to_have_text("Active")


def test_manager_invites_a_rep_and_revokes_the_invitation(new_page):
    page = new_page("phone")
    sign_in(page, "manager@demo.test")
    page.goto("/team/people")
    email = f"revoke-{uuid.uuid4().hex[:8]}@demo.test"
    form = page.locator("section", has=page.get_by_role("heading", name="Invite a rep"))
    form.get_by_label("Name").fill("Rita Revoked")
    form.get_by_label("Email").fill(email)
    form.get_by_role("button", name="Create invitation").click()

    link = form.get_by_label("Invitation link for Rita Revoked")
    expect(link).to_have_value(re.compile(r"/invite#token=.+"))
    pending = page.locator("li.person").filter(has_text=email)
    expect(pending).to_have_count(1)
    pending.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(pending).to_have_count(0)


@pytest.mark.parametrize("size", SIZES)
def test_admin_invites_a_user_who_accepts_and_lands_home(new_page, size):
    admin = new_page(size)
    sign_in(admin, "admin@demo.test")

    expect(admin).to_have_url(re.compile(r"/admin/users$"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Users")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Teams")
    expect(admin.locator("li.person").filter(has_text="Demo team")).to_have_count(1)
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Users")

    email = f"new-{size}-{uuid.uuid4().hex[:8]}@demo.test"
    name = f"Nora {size.title()}"
    # A team of its own: the demo team's story (six reps) is what the other browser tests read.
    team = f"Onboarding {size} {uuid.uuid4().hex[:6]}"
    created = admin.request.post("/api/teams", data={"name": team}, headers={"X-Followthrough": "1"})
    assert created.ok, created.text()
    admin.reload()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Users")
    form = admin.locator("section", has=admin.get_by_role("heading", name="Invite someone"))
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_label("Role").select_option("rep")
    form.get_by_label("Team").select_option(label=team)
    form.get_by_role("button", name="Create invitation").click()
    link = form.get_by_label(f"Invitation link for {name}")
    expect(link).to_have_value(re.compile(r"/invite#token=.+"))
    invite_url = link.input_value()
    expect(admin.locator("li.person").filter(has_text=email)).to_have_count(1)

    invitee = new_page(size)  # a fresh context: nobody signed in
    invitee.goto(invite_url)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Accept your invitation")
    expect(invitee.get_by_text(name)).to_be_visible()
    expect(invitee.get_by_text(team)).to_be_visible()
    invitee.get_by_label("Choose a password").fill("a-long-enough-secret")
    invitee.get_by_label("Repeat the password").fill("a-long-enough-secret")
    invitee.get_by_role("button", name="Set password and sign in").click()

    expect(invitee).to_have_url(re.compile(r"/home$"))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("This week")
    expect(invitee.locator(".greeting")).to_contain_text("Nora")

    # The invitation is used up: opening the link again says so.
    again = new_page(size)
    again.goto(invite_url)
    expect(again.get_by_role("alert")).to_contain_text("can no longer be used")


def test_invitation_form_checks_the_password_before_sending(new_page):
    admin = new_page("phone")
    sign_in(admin, "admin@demo.test")
    url = create_invite(admin, email=f"short-{uuid.uuid4().hex[:8]}@demo.test", name="Sam Short")
    page = new_page("phone")
    page.goto(url)
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Repeat the password").fill("different")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    expect(page.get_by_text("The two passwords are not the same.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/invite#token="))


def test_unknown_invitation_link_is_explained(new_page):
    page = new_page("phone")
    page.goto("/invite#token=not-a-real-token")
    expect(page.get_by_role("alert")).to_contain_text("couldn't find this invitation")


def test_wrong_password_is_explained_and_the_form_stays(new_page):
    page = new_page("phone")
    page.goto("/")
    page.get_by_label("Email").fill("rep1@demo.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_theme_choice_is_kept_across_reloads(new_page):
    page = new_page("phone", color_scheme="light")
    sign_in(page, "rep3@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    page.get_by_label("Dark").check()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.reload()
    wait_until_settled(page)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 19, 24)", background


def test_sign_out_returns_to_sign_in_and_keeps_it_after_reload(new_page):
    page = new_page("phone")
    sign_in(page, "rep4@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_a_different_user_on_the_same_device_replaces_the_cached_user(new_page):
    page = new_page("phone")
    sign_in(page, "rep5@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    sign_in(page, "manager@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo team")
    cached = page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open('followthrough');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const get = open.result.transaction('session').objectStore('session').get('me');
                get.onsuccess = () => { resolve(get.result ? get.result.me.email : null); open.result.close(); };
            };
        })"""
    )
    assert cached == "manager@demo.test"


def test_admin_creates_and_renames_a_team(new_page):
    page = new_page("tablet")
    sign_in(page, "admin@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    name = f"North {uuid.uuid4().hex[:6]}"
    create = page.locator("section", has=page.get_by_role("heading", name="Create a team"))
    create.get_by_label("Team name").fill(name)
    create.get_by_role("button", name="Create team").click()
    expect(create.get_by_role("status")).to_contain_text(f"Team “{name}” created.")

    row = page.locator("li.person").filter(has=page.get_by_role("heading", name=name, exact=True))
    expect(row).to_contain_text("No manager yet")
    row.get_by_role("button", name=re.compile("^Edit")).click()
    row.get_by_label("Team name").fill(f"{name} renamed")
    row.get_by_role("button", name="Save team").click()
    expect(page.get_by_role("heading", name=f"{name} renamed", exact=True)).to_be_visible()

    # A duplicate name is refused with the server's explanation next to the form.
    create.get_by_label("Team name").fill("Demo team")
    create.get_by_role("button", name="Create team").click()
    expect(create.get_by_role("alert")).to_be_visible()


def test_admin_changes_a_users_role_and_team(new_page):
    admin = new_page("tablet")
    sign_in(admin, "admin@demo.test")
    email = f"promote-{uuid.uuid4().hex[:8]}@demo.test"
    url = create_invite(admin, email=email, name="Pat Promoted")
    token = url.split("#token=", 1)[1]
    # Accept in another context, so the admin's session cookie is untouched.
    answer = new_page("phone").request.post(
        "/api/invitations/accept",
        data={"token": token, "password": "a-long-enough-secret", "browser_time_zone": "UTC"},
        headers={"X-Followthrough": "1"},
    )
    assert answer.status == 200, answer.text()

    admin.reload()
    wait_until_settled(admin)
    row = admin.locator("li.person").filter(has_text=email)
    expect(row.locator(".badge").first).to_have_text("Rep")
    row.get_by_role("button", name=re.compile("^Edit")).click()
    row.get_by_label("Role").select_option("manager")
    row.get_by_label("Team").select_option("")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".badge").first).to_have_text("Manager")
    expect(row.locator(".badge--team")).to_have_count(0)
