"""The 1:1 check-in in a real browser, the manager on a tablet: Jordan's numbers, reflection
area and questions on one screen; start the check-in, a private and a shared note, two
commitments (one counted from logged Calls, one in words), close it, change a note with a
reason; Jordan logs the Calls through the sync API; at the next check-in the counted one is
met by itself and the other waits for the manager's verdict. The rep never gets the private
note. Axe light and dark; usable at 360 px without sideways scrolling."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

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


def review_row(page, name: str) -> dict:
    """A demo rep's row of the manager's team review (the page must be a manager's)."""
    review = page.request.get(f"/api/teams/{demo_team_id(page)}/review")
    assert review.ok, review.text()
    return next(row for row in review.json()["rows"] if row["name"] == name)


def open_checkin(page, user_id: int) -> None:
    page.goto(f"/team/reps/{user_id}/checkin")
    wait_until_settled(page)


def workspace(page, user_id: int) -> dict:
    answer = page.request.get(f"/api/reps/{user_id}/checkin-workspace")
    assert answer.ok, answer.text()
    return answer.json()


def close_open_checkin(page, user_id: int) -> None:
    """Another test (or an earlier run on this server) may have left one open."""
    current = workspace(page, user_id)["current"]
    if current:
        answer = page.request.post(f"/api/checkins/{current['id']}/close", headers=CSRF)
        assert answer.ok, answer.text()


def local_today(zone: str) -> str:
    return datetime.now(ZoneInfo(zone)).date().isoformat()


def calls_today(rep_page, call_type_id: int, zone: str) -> int:
    """The rep's live Calls dated today in their zone from this moment on: a measured
    commitment counts what happens after it is made (demo data may hold later ones)."""
    now = datetime.now(UTC)
    client = str(uuid.uuid4())
    live: dict[str, dict] = {}
    cursor = 0
    while True:
        body = rep_page.request.get(f"/api/sync/pull?client_id={client}&cursor={cursor}").json()
        for change in body["changes"]:
            if change["deleted"]:
                live.pop(change["id"], None)
            else:
                live[change["id"]] = change
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    today = local_today(zone)
    return sum(
        1
        for a in live.values()
        if a["activity_type_id"] == call_type_id
        and (at := datetime.fromisoformat(a["occurred_at"].replace("Z", "+00:00"))) >= now
        and at.astimezone(ZoneInfo(a["time_zone"])).date().isoformat() == today
    )


def push_calls(rep_page, call_type_id: int, zone: str, count: int) -> None:
    """The rep's phone pushes `count` new Calls dated now, from a fresh device."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    mutations = [
        {
            "mutation_id": str(uuid.uuid4()),
            "seq": seq,
            "kind": "activity.create",
            "entity_id": str(uuid.uuid4()),
            "payload": {
                "activity_type_id": call_type_id,
                "account_name": f"Check-in follow-up {seq}",
                "outcome": "next_step",
                "occurred_at": now,
                "time_zone": zone,
                "quality": 4,
            },
        }
        for seq in range(1, count + 1)
    ]
    answer = rep_page.request.post(
        "/api/sync/push",
        data={"client_id": str(uuid.uuid4()), "sent_at": now, "mutations": mutations},
        headers=CSRF,
    )
    assert answer.ok, answer.text()
    assert [r["status"] for r in answer.json()["results"]] == ["applied"] * count, answer.text()


def test_a_check_in_with_jordan_and_its_follow_up(new_page):
    page = new_page("tablet")
    sign_in(page, "manager@demo.test")
    row = review_row(page, "Jordan Silva")
    jordan, zone = row["user_id"], row["time_zone"]
    close_open_checkin(page, jordan)

    rep = new_page("phone")
    sign_in(rep, "rep3@demo.test")
    types = rep.request.get(f"/api/teams/{demo_team_id(page)}/activity-types").json()
    call = next(t for t in types if t["name"] == "Call")
    target = calls_today(rep, call["id"], zone) + 2  # later today's demo Calls count too

    open_checkin(page, jordan)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in with Jordan Silva")
    for link, href in [
        ("Back to the team", "/team"),
        ("Jordan's numbers in depth", f"/team/reps/{jordan}"),
        ("Jordan's timeline", f"/team/reps/{jordan}/timeline"),
    ]:
        expect(page.get_by_role("link", name=link)).to_have_attribute("href", href)

    # The numbers with pace and signals, the reflection, the questions: one screen, two columns.
    numbers = page.locator("#ci-numbers")
    expect(numbers.get_by_role("heading", name="Jordan's week")).to_be_visible()
    expect(numbers.locator(".pace").first).to_be_visible()
    expect(numbers.get_by_role("heading", name=re.compile("Needs a conversation"))).to_be_visible()
    expect(numbers.get_by_role("heading", name=re.compile("Deserves kudos"))).to_be_visible()
    reflection = page.locator("#ci-reflection")
    expect(reflection.get_by_role("heading", name="Jordan's reflection")).to_be_visible()
    expect(reflection.get_by_text(re.compile(r"Not written yet|What went well|What would help"))).not_to_have_count(0)
    questions = page.locator(".ci-question")
    assert 2 <= questions.count() <= 3, questions.count()
    expect(page.get_by_role("heading", name="Ask, don't tell")).to_be_visible()
    left, right = numbers.bounding_box(), page.locator("#ci-questions").bounding_box()
    assert left and right and right["x"] > left["x"] + left["width"] - 1, (left, right)
    expect(page.locator("#ci-schedule")).to_contain_text("Jordan's preference")

    # Start: a second tap (a retry) gives the same check-in.
    page.get_by_role("button", name="Start check-in").click()
    expect(page.get_by_text("Check-in in progress")).to_be_visible()
    first_id = workspace(page, jordan)["current"]["id"]

    # Notes: private by default, shared by an explicit choice.
    private_text = f"Private: Jordan seems tired, ask about workload {uuid.uuid4().hex[:6]}"
    shared_text = "Shared: great energy on the demo calls this week"
    expect(page.get_by_role("radio", name=re.compile("^Private to me"))).to_be_checked()
    page.get_by_label("New note").fill(private_text)
    page.get_by_role("button", name="Add private note").click()
    expect(page.get_by_text("Private note saved.")).to_be_visible()
    page.get_by_label("New note").fill(shared_text)
    page.get_by_role("radio", name=re.compile("^Shared with Jordan")).check()
    page.get_by_role("button", name="Add shared note").click()
    expect(page.get_by_text("Note shared with Jordan.")).to_be_visible()
    notes = page.locator(".ci-notes > li")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text("Private to you")
    expect(notes.nth(1)).to_contain_text("Shared with Jordan")

    # Commitments in Jordan's words: a past date is refused in words, then one counted, one not.
    today = local_today(zone)
    page.get_by_label("Commitment, in Jordan's words").fill(f"Make {target} calls to the trade-fair leads")
    page.get_by_label("Due on").fill("2020-01-06")
    page.get_by_label("Count it from logged activity (measurable)").check()
    page.get_by_label("Activity", exact=True).select_option(label="Call")
    page.get_by_label("How many").fill(str(target))
    page.get_by_role("button", name="Record the commitment").click()
    expect(page.locator(".field__error").filter(has_text="past")).to_be_visible()
    page.get_by_label("Due on").fill(today)
    page.get_by_role("button", name="Record the commitment").click()
    expect(page.get_by_text(re.compile("^Commitment recorded"))).to_be_visible()
    page.get_by_label("Commitment, in Jordan's words").fill("Ask Borealis for a referral")
    page.get_by_label("Due on").fill(today)
    page.get_by_role("button", name="Record the commitment").click()
    made = page.locator("#ci-session .ci-commitments > li")
    expect(made).to_have_count(2)
    expect(made.nth(0)).to_contain_text(re.compile(rf"\d+ of {target} Calls"))
    expect(made.nth(1)).to_contain_text("Ask Borealis for a referral")

    # Close, with a confirmation.
    page.get_by_role("button", name="Close check-in").click()
    page.get_by_role("button", name="Yes, close the check-in").click()
    expect(page.get_by_text(re.compile("^Check-in closed"))).to_be_visible()
    expect(page.get_by_role("button", name="Start check-in")).to_be_visible()

    # After closing, a note changes only with a reason, and the change is listed.
    closed = page.locator(".ci-closed")
    closed.locator(".ci-notes > li").first.get_by_role("button", name=re.compile("^Edit note")).click()
    edited_text = f"{private_text} (and the move)"
    closed.get_by_label("Note", exact=True).fill(edited_text)
    closed.get_by_role("button", name="Save the note").click()
    expect(closed.get_by_label("Reason for the change")).to_have_attribute("aria-invalid", "true")
    closed.get_by_label("Reason for the change").fill("Added context after the meeting")
    closed.get_by_role("button", name="Save the note").click()
    trail = closed.get_by_role("list", name="Audit trail")
    expect(trail.locator("li")).to_have_count(1)
    expect(trail).to_contain_text("Added context after the meeting")
    screenshot(page, "checkin-closed-tablet")

    # The rep sees the shared note, never the private one (nor its edit).
    as_rep = rep.request.get(f"/api/checkins/{first_id}")
    assert as_rep.ok, as_rep.text()
    assert shared_text in as_rep.text()
    assert "Jordan seems tired" not in as_rep.text()
    assert "and the move" not in as_rep.text()

    # Jordan logs the Calls from the phone.
    push_calls(rep, call["id"], zone, 2)

    # The next check-in: the counted commitment is met by itself, the other waits for a verdict.
    page.reload()
    wait_until_settled(page)
    page.get_by_role("button", name="Start check-in").click()
    expect(page.get_by_text("Check-in in progress")).to_be_visible()
    follow_up = page.locator("#ci-follow-up")
    counted = follow_up.locator(".ci-commitment").filter(has_text="calls to the trade-fair leads")
    expect(counted).to_contain_text(f"{target} of {target} Calls")
    expect(counted.locator(".pill")).to_have_text("Met")
    expect(counted).to_contain_text("Counted from logged activity")
    expect(counted.get_by_role("button", name="Met")).to_have_count(0)
    review_group = follow_up.locator(".ci-block").filter(has=page.get_by_role("heading", name=re.compile("^To review together")))
    words = review_group.locator(".ci-commitment").filter(has_text="Ask Borealis for a referral")
    expect(words).to_be_visible()
    expect(words.locator(".pill")).to_have_text(re.compile("^(To review|Open)$"))
    words.get_by_role("button", name="Partly").click()
    settled = follow_up.locator(".ci-commitment").filter(has_text="Ask Borealis for a referral")
    expect(settled.locator(".pill")).to_have_text("Partly met")
    expect(settled).to_contain_text("Marked at a check-in")
    expect(settled.get_by_role("button", name="Partly")).to_have_attribute("aria-pressed", "true")
    statuses = {c["text"]: c["status"] for c in workspace(page, jordan)["current"]["follow_up"]}
    assert statuses == {f"Make {target} calls to the trade-fair leads": "met", "Ask Borealis for a referral": "partly"}
    screenshot(page, "checkin-follow-up-tablet")


def ensure_started(page) -> None:
    start = page.get_by_role("button", name="Start check-in")
    if start.count():
        start.click()
    expect(page.get_by_text("Check-in in progress")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_check_in_screen_is_accessible(new_page, scheme):
    page = new_page("tablet", color_scheme=scheme, bypass_csp=True)
    sign_in(page, "manager@demo.test")
    riley = review_row(page, "Riley Fischer")["user_id"]
    open_checkin(page, riley)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    ensure_started(page)
    page.get_by_label("Count it from logged activity (measurable)").check()
    page.get_by_role("button", name=re.compile("Change the rhythm|Agree on a rhythm")).click()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    screenshot(page, f"checkin-open-tablet-{scheme}")


def test_check_in_is_usable_at_360px(new_page):
    page = new_page("narrow")
    sign_in(page, "manager@demo.test")
    sam = review_row(page, "Sam Okafor")["user_id"]
    open_checkin(page, sam)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in with Sam Okafor")
    ensure_started(page)
    page.get_by_label("Count it from logged activity (measurable)").check()
    page.get_by_role("button", name=re.compile("Change the rhythm|Agree on a rhythm")).click()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px of horizontal scroll at 360px"
    for name in ["Add private note", "Record the commitment", "Save the rhythm", "Close check-in"]:
        button = page.get_by_role("button", name=name)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, (name, box)
    # The rhythm editor works on a phone too.
    page.get_by_role("checkbox", name="Tuesday").check()
    page.get_by_role("button", name="Save the rhythm").click()
    expect(page.get_by_text(re.compile("^Rhythm saved"))).to_be_visible()
    expect(page.locator("#ci-schedule")).to_contain_text("Tuesdays")
    screenshot(page, "checkin-open-narrow")

    # A retried POST (same client_key) stores the note once.
    current = workspace(page, sam)["current"]
    key = uuid.uuid4().hex
    answers = [
        page.request.post(f"/api/checkins/{current['id']}/notes", data={"body": "Once only", "client_key": key}, headers=CSRF)
        for _ in range(2)
    ]
    assert [a.status for a in answers] == [201, 200], [a.text() for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert answers[0].json()["shared"] is False  # private unless chosen
    again = page.request.post(f"/api/reps/{sam}/checkins", data={"client_key": uuid.uuid4().hex}, headers=CSRF)
    assert again.status == 200 and again.json()["id"] == current["id"], again.text()


def test_a_note_made_private_after_closing_stays_private(new_page):
    page = new_page("tablet")
    sign_in(page, "manager@demo.test")
    row = review_row(page, "Jordan Silva")
    close_open_checkin(page, row["user_id"])
    checkin = page.request.post(f"/api/reps/{row['user_id']}/checkins", data={"client_key": uuid.uuid4().hex}, headers=CSRF)
    assert checkin.ok, checkin.text()
    checkin_id = checkin.json()["id"]
    note = page.request.post(f"/api/checkins/{checkin_id}/notes", data={"body": "Shared at first", "shared": True}, headers=CSRF)
    assert page.request.post(f"/api/checkins/{checkin_id}/close", headers=CSRF).ok
    secret = f"Now private {uuid.uuid4().hex[:8]}"
    edit = page.request.patch(
        f"/api/checkin-notes/{note.json()['id']}",
        data={"body": secret, "shared": False, "reason": "Keep this between us"},
        headers=CSRF,
    )
    assert edit.ok, edit.text()

    rep = new_page("phone")
    sign_in(rep, "rep3@demo.test")
    as_rep = rep.request.get(f"/api/checkins/{checkin_id}")
    assert as_rep.ok, as_rep.text()
    assert secret not in as_rep.text()


def test_the_team_adds_and_removes_its_own_self_coaching_prompt(new_page):
    page = new_page("tablet")
    sign_in(page, "manager@demo.test")
    page.goto("/team/coaching")
    wait_until_settled(page)
    library = page.locator("section").filter(has=page.get_by_role("heading", name="Self-coaching prompts", exact=True))
    behind = library.locator(".sc-group").filter(has=page.get_by_role("heading", name=re.compile("^When behind pace")))
    before = behind.locator(".sc-prompt").count()
    # Library prompts cannot be removed.
    expect(library.locator(".sc-prompt").filter(has_text="From the library").get_by_role("button")).to_have_count(0)

    library.get_by_label("New prompt").fill("short")
    library.get_by_role("button", name="Add the prompt").click()
    expect(library.get_by_text("Write at least 10 characters.").first).to_be_visible()
    text = f"Which one call today would change my week? {uuid.uuid4().hex[:6]}"
    library.get_by_label("New prompt").fill(text)
    library.get_by_label("When to show it").select_option("behind")
    library.get_by_role("button", name="Add the prompt").click()
    expect(library.get_by_text("Added to “When behind pace”.")).to_be_visible()
    mine = behind.locator(".sc-prompt").filter(has_text=text)
    expect(mine).to_contain_text("Your team's")
    expect(behind.locator(".sc-prompt")).to_have_count(before + 1)

    mine.get_by_role("button", name=re.compile("^Remove")).click()
    mine.get_by_role("button", name="Yes, remove it").click()
    expect(library.get_by_text(text)).to_have_count(0)
    team = demo_team_id(page)
    assert text not in page.request.get(f"/api/teams/{team}/self-coaching").text()
