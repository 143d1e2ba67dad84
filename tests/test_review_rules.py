"""The pure review rules: every signal, streaks, pending sync, the funnel diagnosis, gaps and
question picking. Unit tests pin the words; property tests pin the behaviour."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from backend.plans.rules import Tally
from backend.review import rules
from backend.review.questions import LIBRARY
from backend.review.rules import (
    CommitmentCheck,
    DeviceState,
    Diagnosis,
    GapInputs,
    Stage,
    Thresholds,
    TypeWeek,
)
from shared_schemas.review import GapKind

T = Thresholds()
CALL, MEETING, PROPOSAL = Stage(1, "Call"), Stage(3, "Meeting"), Stage(4, "Proposal")
STAGES = [CALL, MEETING, PROPOSAL]
WORKDAYS = [0, 1, 2, 3, 4]


def week(*rows: tuple[str, int, int, int, int]) -> list[TypeWeek]:
    """rows: (name, target, qualifying, total, expected_by_now)."""
    return [TypeWeek(i + 1, name, target, total, qualifying, expected, "on_track")
            for i, (name, target, qualifying, total, expected) in enumerate(rows)]


# ----------------------------------------------------------------------------- delivery and streaks
def test_attainment_caps_each_type_so_extra_calls_do_not_hide_a_missing_proposal():
    progress = week(("Call", 10, 30, 30, 10), ("Proposal", 2, 0, 0, 2))
    assert rules.attainment(progress) == Fraction(10, 12)
    assert not rules.plan_met(progress)
    assert rules.attainment(week(("Call", 0, 5, 5, 0))) is None  # no plan, no share


PROGRESS = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 80)), min_size=1, max_size=6).map(
    lambda pairs: [TypeWeek(i, f"T{i}", target, done, done, target, "on_track") for i, (target, done) in enumerate(pairs)])


@given(PROGRESS)
def test_attainment_is_a_share_and_met_means_all_of_it(progress):
    share = rules.attainment(progress)
    if share is None:
        assert all(p.target == 0 for p in progress) and not rules.plan_met(progress)
    else:
        assert 0 <= share <= 1
        assert rules.plan_met(progress) == (share == 1)


SHARES = st.lists(st.one_of(st.none(), st.fractions(0, 1, max_denominator=20)), max_size=12)


@given(SHARES, st.fractions(Fraction(1, 2), 1, max_denominator=20))
def test_a_finished_week_on_plan_extends_the_streak_and_one_off_plan_ends_it(history, share_needed):
    before = rules.streak(history, share_needed, current_running=False)
    assert 0 <= before <= len(history)
    assert rules.streak([*history, Fraction(1)], share_needed, current_running=False) == before + 1
    assert rules.streak([*history, share_needed - Fraction(1, 100)], share_needed, current_running=False) == 0
    assert rules.streak([*history, None], share_needed, current_running=False) == 0


@given(SHARES, st.fractions(0, 1, max_denominator=20))
def test_a_running_week_joins_the_streak_once_on_plan_and_never_breaks_it(history, running):
    before = rules.streak(history, 0.9, current_running=False)
    after = rules.streak([*history, running], 0.9, current_running=True)
    assert after == (before + 1 if running >= Fraction(9, 10) else before)


def test_streak_milestones_are_celebrated_once_each():
    assert rules.streak_milestone(3, T.streak_milestones).reason == "3 weeks in a row on plan."
    assert rules.streak_milestone(4, T.streak_milestones) is None
    assert rules.streak_milestone(0, T.streak_milestones) is None


# ----------------------------------------------------------------------------- behind pace
def test_behind_pace_names_the_types_furthest_behind_in_words():
    progress = week(("Call", 40, 10, 12, 16), ("Meeting", 8, 1, 1, 3), ("Visit", 5, 2, 2, 2))
    signal = rules.behind_pace(progress, None, T, current=True)
    assert signal.kind == "behind_pace" and signal.group == "conversation"
    assert signal.reason == ("At 62% of the pace the plan needs so far. Meeting: 1 of 8, a steady pace needs 3 by "
                             "now; Call: 10 of 40, a steady pace needs 16 by now.")
    assert signal.activity_type_id == 2
    finished = rules.behind_pace(week(("Call", 40, 20, 20, 40)), None, T, current=False)
    assert finished.reason == "Delivered 50% of the plan. Call: 20 of 40."


def test_nobody_is_behind_before_a_working_day_has_passed():
    assert rules.behind_pace(week(("Call", 40, 0, 0, 0)), "often", T, current=True) is None


def test_reps_who_asked_to_be_checked_often_are_flagged_earlier_and_autonomous_later():
    progress = week(("Call", 50, 17, 17, 20))  # 85% of pace
    assert rules.behind_pace(progress, "often", T, current=True) is not None
    assert rules.behind_pace(progress, "not_sure", T, current=True) is None
    assert rules.behind_pace(progress, "autonomy", T, current=True) is None
    assert "prefers autonomy" in rules.behind_pace(week(("Call", 50, 10, 10, 20)), "autonomy", T, current=True).reason


@given(st.integers(1, 60), st.integers(0, 60), st.sampled_from(["often", "autonomy", "not_sure", None]))
def test_doing_more_never_raises_a_behind_flag(expected, done, style):
    flagged_now = rules.behind_pace(week(("Call", 60, done, done, expected)), style, T, current=True)
    flagged_more = rules.behind_pace(week(("Call", 60, done + 1, done + 1, expected)), style, T, current=True)
    assert not (flagged_more and not flagged_now)
    # Whoever is flagged with autonomy is flagged with any other style.
    if rules.behind_pace(week(("Call", 60, done, done, expected)), "autonomy", T, current=True):
        assert flagged_now or style == "autonomy"


# ----------------------------------------------------------------------------- silent, quality, plan, not sure
def test_silent_counts_full_working_days_without_a_log():
    wednesday = date(2026, 11, 25)
    assert rules.silent(date(2026, 11, 24), wednesday, WORKDAYS, [], T) is None
    assert rules.silent(date(2026, 11, 23), wednesday, WORKDAYS, [], T) is None  # only Tuesday passed
    signal = rules.silent(date(2026, 11, 19), wednesday, WORKDAYS, [], T)  # Fri, Mon, Tue
    assert signal.reason == "No activity logged for 3 working days (last on Thu 19 Nov)."
    # A holiday and the weekend are not silence.
    assert rules.silent(date(2026, 11, 20), wednesday, WORKDAYS, [date(2026, 11, 23)], T) is None
    assert rules.silent(None, wednesday, WORKDAYS, [], T).reason == "Nothing logged yet."


@given(st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(0, 30), st.integers(0, 5))
def test_silence_only_shrinks_when_a_later_log_arrives(today, back, later):
    last = today - timedelta(days=back + later)
    quiet_before = rules.working_days_between(last, today, WORKDAYS)
    quiet_after = rules.working_days_between(last + timedelta(days=later), today, WORKDAYS)
    assert 0 <= quiet_after <= quiet_before


def test_low_quality_needs_enough_activity_and_names_the_weakest_type():
    few = week(("Call", 10, 1, 5, 0), ("Meeting", 5, 0, 4, 0))
    assert rules.low_quality(few, T) is None  # 9 activities say little
    many = week(("Call", 10, 8, 10, 0), ("Meeting", 5, 0, 6, 0))
    signal = rules.low_quality(many, T)
    assert signal.reason == ("8 of 16 activities this week met the team's quality bar (50%; the team looks for "
                             "60%). Lowest: meeting, 0 of 6.")
    assert rules.low_quality(week(("Call", 10, 7, 10, 0)), T) is None
    both = rules.combined(few, many)
    assert [(p.total, p.qualifying) for p in both] == [(15, 9), (10, 0)]


def test_no_plan_only_once_the_deadline_passed():
    assert rules.no_plan(False, False, "Mon 23 Nov 12:00") is None
    assert rules.no_plan(True, True, "Mon 23 Nov 12:00") is None
    assert rules.no_plan(False, True, "Mon 23 Nov 12:00").reason == \
        "No plan committed for this week (due Mon 23 Nov 12:00)."


def test_not_sure_is_an_answer_worth_a_conversation():
    assert rules.not_sure(True, []) is None
    assert "how to be held accountable" in rules.not_sure(True, ["style"]).reason
    assert "Has not said yet" in rules.not_sure(False, []).reason


def test_commitments_not_done_ask_what_got_in_the_way():
    assert rules.commitments_missed([CommitmentCheck("Call 5 leads", "met")]) is None
    signal = rules.commitments_missed([CommitmentCheck("Call 5 leads", "not_met"),
                                       CommitmentCheck("2 proposals", "partly"), CommitmentCheck("x", "open")])
    assert signal.reason == ("2 commitments from recent check-ins not kept: \u201cCall 5 leads\u201d; "
                             "\u201c2 proposals\u201d. What got in the way?")


# ----------------------------------------------------------------------------- conversion
def test_stage_ratios_need_enough_data_points():
    assert rules.stage_ratios([100, 20, 8], 2, 10) == [Fraction(1, 5), Fraction(2, 5), None]
    counts, won = rules.stage_flow([Tally({1: {3: 50}, 3: {3: 10}}, won=1), Tally({1: {2: 50}}, won=2)], STAGES)
    assert (counts, won) == ([100, 10, 0], 3)


def test_a_conversion_drop_is_against_the_reps_own_baseline():
    recent = [Fraction(1, 5), Fraction(1, 10), None]
    baseline = [Fraction(1, 5), Fraction(3, 10), Fraction(1, 4)]
    [signal] = rules.conversion_drops(recent, baseline, STAGES, T)
    assert signal.activity_type_id == MEETING.type_id
    assert signal.reason == ("Meetings turn into proposals at 10% over the last 2 weeks, down from 30% in the "
                             "8 weeks before.")


@given(st.lists(st.tuples(st.fractions(0, 1, max_denominator=50), st.fractions(0, 1, max_denominator=50)),
                min_size=3, max_size=3))
def test_only_a_drop_below_the_threshold_is_flagged(pairs):
    recent, baseline = [p[0] for p in pairs], [p[1] for p in pairs]
    flagged = {s.activity_type_id for s in rules.conversion_drops(recent, baseline, STAGES, T)}
    for stage, now, before in zip(STAGES, recent, baseline, strict=True):
        assert (stage.type_id in flagged) == (before > 0 and now < before * Fraction(3, 5))


# ----------------------------------------------------------------------------- kudos
def test_plan_met_says_where_it_was_beaten():
    assert rules.plan_met_signal(week(("Call", 10, 9, 9, 10)), current=False) is None
    signal = rules.plan_met_signal(week(("Call", 10, 12, 12, 10), ("Visit", 2, 2, 2, 2)), current=True)
    assert signal.group == "kudos" and signal.reason == "Plan met already, and beaten on call."


def test_won_deals_name_the_accounts():
    assert rules.won_deal([]) is None
    assert rules.won_deal(["Contoso", "Fabrikam"]).reason == "Won 2 deals this week: Contoso and Fabrikam."
    assert rules.won_deal(list("ABCDE")).reason == "Won 5 deals this week: A, B and C and 2 more."


@given(st.dictionaries(st.integers(1, 50), st.tuples(st.one_of(st.none(), st.fractions(0, 1, max_denominator=20)),
                                                     st.one_of(st.none(), st.fractions(0, 1, max_denominator=20)))))
def test_most_improved_is_the_single_biggest_gain_above_the_bar(changes):
    found = rules.most_improved(changes, T)
    gains = {u: r - b for u, (r, b) in changes.items() if r is not None and b is not None}
    if found is None:
        assert all(g < Fraction(15, 100) for g in gains.values())
    else:
        user, signal = found
        assert gains[user] == max(gains.values()) >= Fraction(15, 100)
        assert signal.kind == "most_improved"


# ----------------------------------------------------------------------------- pending sync and order
def test_pending_sync_when_logs_wait_or_no_sync_since_the_last_working_day():
    tuesday = datetime(2026, 11, 24, tzinfo=UTC)
    assert rules.pending_sync([DeviceState(tuesday, 3)], tuesday, "Tue 24 Nov") == "3 logs waiting on a device to sync."
    assert rules.pending_sync([DeviceState(tuesday + timedelta(hours=9), 0)], tuesday, "Tue 24 Nov") is None
    assert rules.pending_sync([DeviceState(tuesday - timedelta(hours=1), 0)], tuesday, "Tue 24 Nov") == \
        "No sync since before Tue 24 Nov: logs may still be on the phone."
    assert rules.pending_sync([], tuesday, "Tue 24 Nov") is None  # no device: nothing can be pending
    assert rules.pending_sync([DeviceState(None, 0)], None, "") is None  # no working day yet


def test_a_finished_week_a_device_synced_after_is_never_pending():
    """Logs still on a phone were made after its last sync: a week that ended before that
    sync is complete, however many logs wait now."""
    week_end = datetime(2026, 11, 23, tzinfo=UTC)
    friday = week_end - timedelta(days=3)
    synced_since = DeviceState(week_end + timedelta(days=2), 2)
    assert rules.pending_sync([synced_since], friday, "Fri 20 Nov", week_end=week_end) is None
    assert rules.pending_sync([synced_since], friday, "Fri 20 Nov") == "2 logs waiting on a device to sync."
    # A phone silent since before that week ended may still hold its logs.
    silent_since = DeviceState(friday - timedelta(hours=2), 0)
    assert rules.pending_sync([synced_since, silent_since], friday, "Fri 20 Nov", week_end=week_end) == \
        "No sync since before Fri 20 Nov: logs may still be on the phone."


def test_who_to_talk_to_comes_first_then_pending_then_kudos_then_watch():
    talk = [rules.Signal("silent", "conversation", "Quiet.", severity="talk")]
    watch = [rules.Signal("not_sure", "conversation", "Not sure.", severity="watch")]
    kudos = [rules.Signal("plan_met", "kudos", "Plan met.")]

    def key(signals, name, pending=None, sent=0):
        return rules.attention_key(rules.diagnose(signals, pending_reason=pending, kudos_sent=sent), name)

    keys = {"a": key(kudos, "a"), "b": key(watch, "b"), "c": key(talk, "c"), "d": key([], "d", pending="Waiting."),
            "e": key([], "e"), "f": key(kudos, "f", sent=1)}
    assert sorted(keys, key=keys.get) == ["c", "d", "a", "b", "e", "f"]


SIGNAL_KINDS = list(rules.CONVERSATION_WEIGHT)
signals_st = st.lists(st.builds(
    lambda kind, talk: rules.Signal(kind, "conversation", f"{kind}.", severity="talk" if talk else "watch"),
    st.sampled_from(SIGNAL_KINDS), st.booleans()), max_size=5) .map(lambda found: found) | st.just([])
kudos_st = st.lists(st.builds(lambda kind: rules.Signal(kind, "kudos", f"{kind}."), st.sampled_from(
    list(rules.KUDOS_WEIGHT))), max_size=3)


@given(conversation=signals_st, kudos=kudos_st, pending=st.sampled_from([None, "2 logs waiting."]),
       sent=st.integers(0, 2))
def test_the_diagnosis_never_flags_while_pending_and_says_why(conversation, kudos, pending, sent):
    week = rules.diagnose([*conversation, *kudos], pending_reason=pending, kudos_sent=sent)
    talk = [s for s in conversation if s.severity == "talk"]
    if pending:
        # Nothing is judged while a phone holds the week's logs: no signal is worth a talk.
        assert week.attention == "pending" and week.why == pending
        assert all(s.severity == "watch" for s in week.signals if s.group == "conversation")
        assert week.gaps()[0].kind == "pending_sync"
    elif talk:
        assert week.attention == "talk" and week.why in {s.reason for s in talk}
        assert week.talk_score >= 10
        # The question opens where the strongest evidence is.
        strongest = max(talk, key=lambda s: rules.CONVERSATION_WEIGHT[s.kind])
        assert week.gaps()[0].kind == rules.SIGNAL_GAP[strongest.kind]
    elif kudos and not sent:
        assert week.attention == "kudos" and week.kudos_score > 0
    elif conversation:
        assert week.attention == "watch" and week.why in {s.reason for s in conversation}
    else:
        assert week.attention == "ok"
    assert len(week.signals) == len(conversation) + len(kudos)  # nothing is dropped, only weighed
    away = rules.diagnose([*conversation, *kudos], pending_reason=pending, kudos_sent=sent, away="Off until Fri.")
    # Away with declared time off: nobody to talk to, nothing judged, kudos kept for their return.
    assert away.attention == "away" and away.why == "Off until Fri." and away.talk_score == 0
    assert [s for s in away.signals if s.group == "conversation"] == [] and len(away.signals) == len(kudos)


@given(st.dictionaries(st.integers(1, 200), st.tuples(signals_st, kudos_st), max_size=60))
def test_the_first_lists_name_a_few_and_the_strongest(team):
    weeks = {uid: (f"Rep {uid}", rules.diagnose([*c, *k], pending_reason=None, kudos_sent=0))
             for uid, (c, k) in team.items()}
    first = rules.talk_first(weeks)
    assert len(first) <= max(3, -(-len(team) // 10))
    assert all(weeks[uid][1].attention == "talk" for uid in first)
    scores = [weeks[uid][1].talk_score for uid in first]
    assert scores == sorted(scores, reverse=True)
    left_out = [d.talk_score for uid, (_, d) in weeks.items() if d.attention == "talk" and uid not in first]
    assert all(score <= min(scores) for score in left_out)
    assert all(weeks[uid][1].attention == "kudos" for uid in rules.kudos_first(weeks))


def test_severity_follows_the_strength_of_the_evidence():
    t = rules.Thresholds()
    monday = date(2026, 11, 23)
    assert rules.silent(monday, monday + timedelta(days=3), range(5), (), t).severity == "watch"  # 2 quiet days
    assert rules.silent(monday, monday + timedelta(days=4), range(5), (), t).severity == "talk"  # 3
    assert rules.no_plan(False, True, "Mon").severity == "watch"
    assert rules.no_plan(False, True, "Mon", missed_last_week=True).severity == "talk"
    one = [rules.CommitmentCheck("a", "not_met")]
    assert rules.commitments_missed(one).severity == "watch"
    assert rules.commitments_missed(one * 2).severity == "talk"


# ----------------------------------------------------------------------------- funnel diagnosis and gaps
def test_the_weakest_stage_is_named_in_plain_words():
    rep = [Fraction(1, 5), Fraction(18, 100), Fraction(1, 2)]
    team = [Fraction(1, 5), Fraction(35, 100), Fraction(2, 5)]
    diagnosis = rules.weakest_stage(rep, team, STAGES)
    assert diagnosis == Diagnosis(1, "Meetings turn into proposals at 18%; the team's median is 35%.")
    assert rules.weakest_stage(team, team, STAGES).weakest is None
    assert "Not enough" in rules.weakest_stage([None] * 3, team, STAGES).summary
    assert rules.weakest_stage(rep[:2] + [Fraction(1, 10)], team, STAGES).summary.startswith(
        "Proposals turn into won deals at 10%")


@given(st.lists(st.one_of(st.none(), st.fractions(Fraction(1, 100), 1, max_denominator=100)), min_size=3, max_size=3),
       st.lists(st.one_of(st.none(), st.fractions(Fraction(1, 100), 1, max_denominator=100)), min_size=3, max_size=3))
def test_the_weakest_stage_is_the_furthest_below_the_team(rep, team):
    diagnosis = rules.weakest_stage(rep, team, STAGES)
    shares = [r / t for r, t in zip(rep, team, strict=True) if r is not None and t is not None]
    if diagnosis.weakest is None:
        assert all(s > Fraction(4, 5) for s in shares)
    else:
        assert rep[diagnosis.weakest] / team[diagnosis.weakest] == min(shares) <= Fraction(4, 5)


def gap_inputs(**changes) -> GapInputs:
    values = dict(committed=True, recent_attainment=Fraction(1), weekly_attainments=[Fraction(1)] * 6,
                  volume_vs_team=Fraction(1), qualifying=90, total=100, diagnosis=Diagnosis(None, ""), stages=STAGES)
    return GapInputs(**{**values, **changes})


def test_gaps_cover_plan_volume_conversion_quality_and_consistency():
    assert rules.gaps(gap_inputs(), T) == []
    kinds = [g.kind for g in rules.gaps(gap_inputs(
        committed=False, recent_attainment=Fraction(1, 2), qualifying=30,
        diagnosis=Diagnosis(1, "Meetings turn into proposals at 18%; the team's median is 35%."),
        weekly_attainments=[Fraction(1), Fraction(1, 5)] * 3), T)]
    assert kinds == ["no_plan", "weak_conversion", "low_volume", "low_quality", "inconsistency"]
    weak = rules.gaps(gap_inputs(diagnosis=Diagnosis(1, "x")), T)[0]
    assert weak.activity_type_id == MEETING.type_id
    low_team = rules.gaps(gap_inputs(volume_vs_team=Fraction(1, 2)), T)[0]
    assert low_team.reason == "Activity volume at 50% of the team's median."


QUESTION_POOL = [(qid, gap) for qid, gap, _ in LIBRARY]
GAP_KINDS = st.lists(st.sampled_from(["low_volume", "weak_conversion", "low_quality", "no_plan", "inconsistency"]),
                     max_size=5)


@given(GAP_KINDS, st.integers(0, 10_000))
def test_two_or_three_distinct_questions_that_fit_the_gaps(kinds, rotation):
    picked = rules.pick_questions(kinds, QUESTION_POOL, rotation)
    assert 2 <= len(picked) <= 3 and len(set(picked)) == len(picked)
    fitting = set(kinds) or {"growth"}
    gap_of = dict(QUESTION_POOL)
    assert gap_of[picked[0]] == (kinds[0] if kinds else "growth")  # the most important gap first
    assert all(gap_of[q] in fitting | {"growth"} for q in picked)
    assert rules.pick_questions(kinds, QUESTION_POOL, rotation) == picked  # stable within a week


def test_questions_rotate_from_week_to_week():
    weeks = {tuple(rules.pick_questions(["low_quality"], QUESTION_POOL, rotation)) for rotation in range(4)}
    assert len(weeks) > 1


def test_every_library_question_is_open_and_tagged():
    gaps = set(typing.get_args(GapKind))
    assert {gap for _, gap, _ in LIBRARY} == gaps  # every diagnosed state has questions
    assert {*rules.SIGNAL_GAP.values(), "pending_sync"} <= gaps
    assert len({qid for qid, _, _ in LIBRARY}) == len(LIBRARY)
    closed = ("Did ", "Do ", "Is ", "Are ", "Will ", "Can ", "Have ", "Should ")
    assert not [text for _, _, text in LIBRARY if text.startswith(closed) or not text.endswith("?")]


# ----------------------------------------------------------------------------- results kept between requests
@given(st.integers(0, 30), st.integers(0, 40), st.datetimes(min_value=datetime(2026, 11, 16),
                                                            max_value=datetime(2026, 12, 6)),
       st.sampled_from(["Europe/Berlin", "America/Chicago", "Asia/Kolkata", "Pacific/Auckland"]),
       st.integers(0, 23 * 60 + 59))
def test_a_kept_pace_is_the_pace_at_any_moment_of_that_local_day(target, done, moment, zone, minute):
    """The pace is kept per local date: whenever that day it is asked, it must say the same."""
    from zoneinfo import ZoneInfo

    from backend.plans.rules import pace
    from backend.review.service import _Calendar, _pace

    monday, calendar = date(2026, 11, 23), _Calendar((0, 1, 2, 3, 4), (date(2026, 11, 26),))
    first = moment.replace(tzinfo=UTC)
    today = first.astimezone(ZoneInfo(zone)).date()
    later = datetime.combine(today, datetime.min.time(), tzinfo=ZoneInfo(zone)) + timedelta(minutes=minute)
    if later.astimezone(ZoneInfo(zone)).date() != today:
        return  # a DST gap moved the wall time to another day
    kept = _pace(target, done, first, zone, today, monday, calendar)
    fresh = pace(target=target, done=done, now=later, zone=zone, monday=monday, working_weekdays=calendar.working_days,
                 holidays=calendar.holidays)
    assert kept == (fresh.expected_by_now, fresh.status) == _pace(target, done, later, zone, today, monday, calendar)


def test_a_kept_history_is_worked_out_again_when_plans_tallies_or_settings_change():
    from backend.plans.service import PlanSummary
    from backend.review.service import Basis, Review

    review = Review(None, None, None, None)
    weeks = (date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))
    basis = Basis(weeks, ((1, 3), (2, 3)), (Stage(1, "Call"), Stage(2, "Meeting")), Thresholds(recent_weeks=1,
                                                                                                 baseline_weeks=1))
    plans = {w: PlanSummary(id=i, committed=True, acknowledged=True, targets={1: 10, 2: 2})
             for i, w in enumerate(weeks)}
    tallies = {weeks[0]: Tally({1: {3: 10}, 2: {2: 2}}), weeks[1]: Tally({1: {4: 5}, 2: {5: 2}})}

    first = review._history(7, basis, True, plans, tallies)
    assert first.attainments == (Fraction(10, 12), Fraction(7, 12), Fraction(0))
    assert (first.recent_attainment, first.baseline_attainment) == (Fraction(7, 12), Fraction(10, 12))
    assert first.recent_ratios == [None, None] and first.baseline_ratios == [Fraction(2, 10), None]
    equal = Basis(tuple(weeks), ((1, 3), (2, 3)), (Stage(1, "Call"), Stage(2, "Meeting")), basis.thresholds)
    assert review._history(7, equal, True, dict(plans), tallies) is first  # equal inputs: kept
    # The reviewed week no longer running moves the windows.
    assert review._history(7, basis, False, plans, tallies).recent_attainment == Fraction(0)
    # A recount hands out a new tallies object, even with the same numbers: worked out again.
    recounted = {**tallies, weeks[1]: Tally({1: {4: 10}, 2: {5: 2}})}
    assert review._history(7, basis, True, plans, recounted).attainments[1] == Fraction(1)
    # A changed plan, quality bar or threshold, another rep: worked out again.
    replanned = {**plans, weeks[0]: PlanSummary(id=0, committed=True, acknowledged=True, targets={1: 20})}
    assert review._history(7, basis, True, replanned, recounted).attainments[0] == Fraction(10, 20)
    stricter = basis._replace(quality_min=((1, 5), (2, 3)))
    assert review._history(7, stricter, True, replanned, recounted).attainments[:2] == (Fraction(0), Fraction(2, 12))
    fewer = basis._replace(thresholds=Thresholds(recent_weeks=1, baseline_weeks=1, min_data_points=20))
    assert review._history(7, fewer, True, plans, tallies).baseline_ratios == [None, None]
    assert review._history(8, basis, True, {}, {}).attainments == (None, None, None)


# ----------------------------------------------------------------------------- a new rep
@given(started=st.dates(date(2026, 1, 5), date(2026, 12, 20)), days_in=st.integers(0, 20))
def test_no_quiet_days_are_counted_before_a_rep_joined(started, days_in):
    """Never logged: the quiet days are the working days since joining, never before."""
    today = started + timedelta(days=days_in)
    signal = rules.silent(None, today, range(5), (), rules.Thresholds(), started_on=started)
    since = rules.working_days_between(started - timedelta(days=1), today, range(5))
    assert (signal is not None) == (since >= rules.Thresholds().silent_working_days)
    if signal:
        assert f"{since} working day" in signal.reason and "since joining" in signal.reason


def test_a_rep_in_their_first_week_is_welcomed_instead_of_flagged_for_no_plan():
    monday = date(2026, 11, 23)
    joined = date(2026, 11, 25)
    assert rules.new_rep(joined, monday, committed=False).kind == "new_rep"
    assert rules.new_rep(joined, monday, committed=True) is None  # a plan is set up: nothing to prompt
    assert rules.new_rep(joined, monday + timedelta(weeks=1), committed=False) is None  # only the first week
    assert rules.no_plan(False, True, "Mon 23 Nov 12:00", joined_after_deadline=True) is None
    assert rules.no_plan(False, True, "Mon 23 Nov 12:00").kind == "no_plan"


# ----------------------------------------------------------------------------- time off
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)), st.integers(1, 40),
       st.sets(st.integers(0, 6), min_size=1), st.integers(1, 5))
def test_no_silence_on_days_off(last, gap, weekdays, threshold):
    """Every working day between the last log and today declared off: never 'gone quiet',
    whatever the gap and the team's threshold."""
    today = last + timedelta(days=gap)
    off = [last + timedelta(days=i) for i in range(1, gap)]
    t = rules.Thresholds(silent_working_days=threshold)
    assert rules.silent(last, today, weekdays, off, t) is None
    assert rules.silent(None, today, weekdays, off, t, started_on=last + timedelta(days=1)) is None


def test_a_rep_away_keeps_kudos_and_no_conversation():
    signals = [rules.Signal("silent", "conversation", "Quiet.", severity="talk"),
               rules.Signal("behind_pace", "conversation", "Behind.", severity="watch"),
               rules.Signal("no_plan", "conversation", "No plan.", severity="talk"),
               rules.Signal("plan_met", "kudos", "Plan met.")]
    kept = rules.on_time_off(signals)
    assert [s.kind for s in kept] == ["plan_met"]
    week = rules.diagnose(kept, pending_reason=None, kudos_sent=0)
    assert week.attention != "talk"
    assert rules.time_off_words(date(2026, 12, 11), False, True) == "Off until Fri 11 Dec."
    assert rules.time_off_words(None, True, False) == "Off all that week."
    assert rules.time_off_words(None, False, True) is None
