"""The curated self-coaching prompts a rep is offered in the moment: after a setback (a
"no interest" or "lost" outcome) or when behind pace. A question, not a lecture: one at
a time, dismissible. Teams add their own (coaching.tables.SelfCoachingTip)."""

from __future__ import annotations

LIBRARY: list[tuple[str, str, str]] = [
    # id, trigger, text
    ("lib-setback-1", "setback", "What did you learn about this customer that you didn't know before?"),
    ("lib-setback-2", "setback", "If you could replay the last five minutes, what would you try?"),
    ("lib-setback-3", "setback", "What was in your control here, and what wasn't?"),
    ("lib-setback-4", "setback", "Who else at this account might see it differently?"),
    ("lib-setback-5", "setback", "Tip: write down the objection in their words now; it is gold for the next call."),
    ("lib-behind-1", "behind", "What is one thing you could do in the next hour to catch up a little?"),
    ("lib-behind-2", "behind", "What has been getting in the way this week, and what would help?"),
    ("lib-behind-3", "behind", "Which part of today's plan matters most if you can only do one?"),
    ("lib-behind-4", "behind", "Tip: batch your calls in one block; momentum makes the next one easier."),
]
