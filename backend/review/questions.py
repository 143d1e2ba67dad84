"""The curated library of coaching questions, tagged by the gap they help with.

Coaching by asking, not telling: every question is open (no yes/no), about what the rep
does and can change, and leaves the answer to them. Weak-conversion questions name the
stage: {stage} (e.g. "meetings") and {next} (e.g. "proposals") are filled in per rep.
Teams add their own questions (review.tables.TeamQuestion) next to these.
"""

from __future__ import annotations

LIBRARY: list[tuple[str, str, str]] = [
    # id, gap, text
    ("lib-volume-1", "low_volume", "What does a week look like when you hit your plan, and what was different this week?"),
    ("lib-volume-2", "low_volume", "Which part of your day gets eaten first when things get busy?"),
    ("lib-volume-3", "low_volume", "If you blocked one hour tomorrow for prospecting, what would have to move?"),
    ("lib-volume-4", "low_volume", "What gets in the way between deciding to make a call and making it?"),
    ("lib-volume-5", "low_volume", "How realistic did this week's plan feel when you committed to it?"),
    ("lib-conv-1", "weak_conversion", "Walk me through your last few {stage}: where did the ones that "
                                      "didn't lead to {next} stall?"),
    ("lib-conv-2", "weak_conversion", "What do you want the customer to agree to by the end of your {stage}?"),
    ("lib-conv-3", "weak_conversion", "When {stage} do turn into {next}, what did you do differently in them?"),
    ("lib-conv-4", "weak_conversion", "How do you decide which {stage} are worth following up for {next}?"),
    ("lib-conv-5", "weak_conversion", "What would you like to try in your next {stage} to make {next} more likely?"),
    ("lib-quality-1", "low_quality", "What makes an activity count for you, beyond ticking it off?"),
    ("lib-quality-2", "low_quality", "Think of your best conversation this week: what made it good?"),
    ("lib-quality-3", "low_quality", "Who are you reaching, and how could you reach the people who decide?"),
    ("lib-quality-4", "low_quality", "How do you prepare before a visit, and what would a little more "
                                     "preparation change?"),
    ("lib-plan-1", "no_plan", "What would make planning your week easier for you?"),
    ("lib-plan-2", "no_plan", "What do you want to be true by Friday, and what will get you there?"),
    ("lib-plan-3", "no_plan", "When in the week would planning fit best in your routine?"),
    ("lib-consistency-1", "inconsistency", "What happens in your strong weeks that doesn't happen in the others?"),
    ("lib-consistency-2", "inconsistency", "Which routines would you like to keep no matter how the week goes?"),
    ("lib-consistency-3", "inconsistency", "What usually throws a week off for you, and how could you see it coming?"),
    ("lib-silent-1", "silent", "How have the last few days been for you?"),
    ("lib-silent-2", "silent", "What has been taking your time away from the plan this week?"),
    ("lib-silent-3", "silent", "What would help you get back into your rhythm tomorrow?"),
    ("lib-new-1", "new_rep", "What would you like your first weeks here to look like?"),
    ("lib-new-2", "new_rep", "What would a realistic first plan be for you, and what do you need to get started?"),
    ("lib-new-3", "new_rep", "How would you like us to check in while you settle in?"),
    ("lib-commit-1", "commitments", "What got in the way of what we agreed last time?"),
    ("lib-commit-2", "commitments", "Looking back, which of last time's commitments felt right, and which did not?"),
    ("lib-commit-3", "commitments", "What would make your next commitment one you can keep?"),
    ("lib-notsure-1", "not_sure", "How would you like to be held accountable, and what has worked for you before?"),
    ("lib-notsure-2", "not_sure", "How often would check-ins help you rather than get in your way?"),
    ("lib-pending-1", "pending_sync", "What from this week is still on your phone, and what should we look at "
                                      "before the numbers?"),
    ("lib-pending-2", "pending_sync", "How has logging been going out in the field, with or without a signal?"),
    ("lib-growth-1", "growth", "What's working well for you right now that others on the team could learn from?"),
    ("lib-growth-2", "growth", "What would you like to get better at next?"),
    ("lib-growth-3", "growth", "Which stretch goal would make the next month exciting for you?"),
    ("lib-growth-4", "growth", "What support would help you go from good to great?"),
]


def fill(text: str, stage: str | None, next_stage: str | None) -> str:
    if "{stage}" not in text and "{next}" not in text:
        return text
    return text.replace("{stage}", stage or "these conversations").replace("{next}", next_stage or "the next step")
