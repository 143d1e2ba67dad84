"""The scrum's pure rules: how a rep appears on shared views, and the team's totals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backend.plans.rules import DEFAULT_TEAM_VISIBILITY, shown_as
from backend.review.rules import ScrumRep, TypeWeek, scrum_totals


def test_undecided_reps_follow_the_team_default_and_a_choice_wins():
    assert DEFAULT_TEAM_VISIBILITY == "anonymous"
    for team in ("named", "anonymous", "manager_only"):
        assert shown_as("not_sure", team) == team
        for chosen in ("named", "anonymous", "manager_only"):
            assert shown_as(chosen, team) == chosen


def rep(calls: tuple[int, int], meetings: tuple[int, int] = (0, 0), *, pending=False, behind=False) -> ScrumRep:
    return ScrumRep((TypeWeek(1, "Call", calls[0], calls[1], calls[1], 0, "on_track"),
                     TypeWeek(2, "Meeting", meetings[0], meetings[1], meetings[1], 0, "on_track")), pending, behind)


def test_totals_add_the_team_up_and_count_who_is_on_pace():
    shown = [rep((40, 30), (8, 2), behind=True), rep((30, 31)), rep((0, 0)), rep((20, 5), pending=True)]
    totals = scrum_totals(shown, [rep((10, 10)), rep((10, 0), behind=True)])
    assert totals.whole_team and totals.reps == 6
    assert totals.lines == (("Call", 110, 76), ("Meeting", 8, 2))
    # Judged: a plan and nothing pending (not the rep without targets, not the pending one).
    assert (totals.judged, totals.on_pace, totals.pending) == (4, 2, 1)


def test_one_rep_off_the_screen_is_never_given_away_by_the_totals():
    shown = [rep((40, 30)), rep((30, 31))]
    totals = scrum_totals(shown, [rep((25, 3), behind=True)])
    assert not totals.whole_team and totals.reps == 2 and totals.lines == (("Call", 70, 61),)
    assert scrum_totals(shown, []).whole_team and scrum_totals([], [rep((1, 1))]).reps == 0


counts = st.tuples(st.integers(0, 50), st.integers(0, 80))
reps = st.lists(st.builds(lambda c, m, p, b: rep(c, m, pending=p, behind=b), counts, counts, st.booleans(),
                          st.booleans()), max_size=8)


@given(reps, reps)
def test_the_totals_less_the_cards_are_never_one_hidden_reps_week(shown, off_screen):
    totals = scrum_totals(shown, off_screen)
    counted = shown + off_screen if totals.whole_team else shown
    assert totals.whole_team == (len(off_screen) != 1)
    assert totals.reps == len(counted) and totals.on_pace <= totals.judged <= totals.reps
    for name, target, done in totals.lines:
        assert target == sum(p.target for r in counted for p in r.progress if p.name == name)
        assert done == sum(p.qualifying for r in counted for p in r.progress if p.name == name)
