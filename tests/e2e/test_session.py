"""Session behaviour: local-first start, session end, and coming back online."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from .conftest import DIST, running_server, sign_in, wait_for_service_worker

pytestmark = pytest.mark.e2e


def offline_badge(page):
    return page.get_by_role("status").filter(has_text="Offline")


def test_an_ended_session_shows_sign_in_with_a_reason(new_page):
    page = new_page("phone")
    sign_in(page, "rep1@demo.test")
    page.context.clear_cookies()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("Your session has ended. Please sign in again.")).to_be_visible()
    # The last user's email is filled in.
    expect(page.get_by_label("Email")).to_have_value("rep1@demo.test")


def test_offline_keeps_working_and_asks_for_sign_in_only_once_back_online(new_page):
    page = new_page("phone")
    sign_in(page, "rep2@demo.test")
    wait_for_service_worker(page)

    # The session ends on the server while the phone has no signal.
    page.context.set_offline(True)
    page.context.clear_cookies()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("This week")
    expect(offline_badge(page)).to_be_visible()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(offline_badge(page)).to_have_count(0)


def test_actions_while_offline_say_so(new_page):
    page = new_page("phone")
    sign_in(page, "rep3@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.context.set_offline(True)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert")).to_contain_text("You're offline — try again when you have signal")
    expect(offline_badge(page)).to_be_visible()
    expect(page.get_by_role("button", name="Save profile")).to_be_enabled()


def test_a_new_version_is_offered_and_reload_switches_to_it(browser, new_page, tmp_path):
    dist = tmp_path / "dist"
    shutil.copytree(DIST, dist)
    with running_server(dist) as server:
        page = new_page("phone", base_url=server.base_url)
        sign_in(page, "rep4@demo.test")
        wait_for_service_worker(page)
        expect(page.get_by_text("A new version is ready")).to_have_count(0)

        # "Deploy" a new version: any change to sw.js makes the browser install it.
        sw = dist / "sw.js"
        sw.write_text(sw.read_text() + "\n// next version\n")
        page.reload()
        prompt = page.get_by_role("status").filter(has_text="A new version is ready")
        expect(prompt).to_be_visible(timeout=20_000)

        with page.expect_navigation():
            prompt.get_by_role("button", name="Reload").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("This week")
        expect(prompt).to_have_count(0)
        waiting = page.evaluate("navigator.serviceWorker.getRegistration().then(r => Boolean(r && r.waiting))")
        assert waiting is False
        assert re.search(r"/sw\.js$", page.evaluate("navigator.serviceWorker.controller.scriptURL"))
