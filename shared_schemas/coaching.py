"""The coaching loop: check-in rhythm, the rep's self-reflection, the 1:1 check-in with its
notes and commitments, commitments that follow themselves up, self-coaching prompts,
milestones and a timeline per rep."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from shared_schemas.common import Id, Instant
from shared_schemas.plans import WallTime, Weekday
from shared_schemas.review import CoachingQuestion, Gap, Kudos, RepReviewRow

ClientKey = Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
CommitmentStatus = Literal["open", "met", "partly", "not_met", "to_review"]


class CheckinSchedule(msgspec.Struct, kw_only=True):
    """When a rep's 1:1s happen, in the rep's own zone, as agreed with their manager."""

    user_id: int
    weekdays: list[Weekday]
    time: WallTime
    time_zone: str
    # The rep's own answer to "how often to check in" (preferences), for reference.
    rhythm_preference: str
    # False until someone set it (then the default: weekly, Thursday 14:00, is shown).
    agreed: bool
    set_by: str | None
    updated_at: Instant | None
    # The next check-in as an instant and in words in the rep's zone ("Thursday 26 Nov, 14:00").
    next_at: Instant | None
    next_words: str | None


class UpdateCheckinSchedule(msgspec.Struct, kw_only=True):
    weekdays: Annotated[list[Weekday], msgspec.Meta(min_length=1, max_length=7)]
    time: WallTime


class ReflectionFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=False):
    """The payload of a `reflection.upsert` sync mutation (the whole reflection of a week)."""

    week_start: date
    wins: LongText = ""
    stuck: LongText = ""
    differently: LongText = ""
    # The bi-directional channel: a resource, a process or KPI change that would help.
    help_wanted: LongText = ""
    self_rating: Annotated[int, msgspec.Meta(ge=1, le=5)] | None = None
    # Answers jotted down to self-coaching prompts during the week.
    jottings: Annotated[list[Annotated[str, msgspec.Meta(max_length=500)]], msgspec.Meta(max_length=20)] = []


class Reflection(msgspec.Struct, kw_only=True):
    id: str
    user_id: int
    week_start: date
    wins: str
    stuck: str
    differently: str
    help_wanted: str
    self_rating: int | None
    jottings: list[str]
    updated_at: Instant


class CheckinNote(msgspec.Struct, kw_only=True):
    id: int
    author: str
    body: str
    # Shared notes reach the rep; private ones stay with the manager.
    shared: bool
    created_at: Instant
    edited_at: Instant | None


class NewCheckinNote(msgspec.Struct, kw_only=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    shared: bool = False
    client_key: ClientKey | None = None


class EditCheckinNote(msgspec.Struct, kw_only=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)] | None = None
    shared: bool | None = None
    # Needed once the check-in is closed: kept in the audit trail.
    reason: Annotated[str, msgspec.Meta(min_length=3, max_length=300)] | None = None


class Commitment(msgspec.Struct, kw_only=True):
    id: int
    user_id: int
    checkin_id: int
    # In the rep's own words.
    text: str
    due_on: date
    # Measurable commitments ("3 more follow-ups") are checked against logged activity.
    activity_type_id: int | None
    activity_type_name: str | None
    target_count: int | None
    # Counted from the check-in's date to the due date (measurable ones only).
    done_count: int | None
    status: CommitmentStatus
    # "measured" from logged activity, or "manager" when marked at a check-in.
    status_source: Literal["measured", "manager", "pending"]
    created_at: Instant


class NewCommitment(msgspec.Struct, kw_only=True):
    text: Annotated[str, msgspec.Meta(min_length=3, max_length=200)]
    due_on: date
    activity_type_id: Id | None = None
    target_count: Annotated[int, msgspec.Meta(ge=1, le=500)] | None = None
    client_key: ClientKey | None = None


class MarkCommitment(msgspec.Struct, kw_only=True):
    """A manager's verdict on a commitment that cannot be measured, at the next check-in."""

    status: Literal["met", "partly", "not_met"]


class CheckinEdit(msgspec.Struct, kw_only=True):
    author: str
    at: Instant
    what: str
    before: str
    after: str
    reason: str


class CheckIn(msgspec.Struct, kw_only=True):
    id: int
    user_id: int
    rep_name: str
    manager_name: str
    week_start: date
    started_at: Instant
    closed_at: Instant | None
    # For the rep: shared notes only.
    notes: list[CheckinNote]
    # Made in this check-in.
    commitments: list[Commitment]
    # The previous check-in's commitments with their status: the follow-up.
    follow_up: list[Commitment]
    edits: list[CheckinEdit]


class StartCheckin(msgspec.Struct, kw_only=True):
    # A retried start returns the same check-in.
    client_key: ClientKey | None = None


class CheckinWorkspace(msgspec.Struct, kw_only=True):
    """Everything a manager needs for a 1:1, on one screen."""

    user_id: int
    rep_name: str
    week_start: date
    row: RepReviewRow
    # This week's reflection, or last week's until this week's is written (see its week_start).
    reflection: Reflection | None
    follow_up: list[Commitment]
    open_commitments: list[Commitment]
    gaps: list[Gap]
    questions: list[CoachingQuestion]
    schedule: CheckinSchedule
    # The open check-in, if one was started and not closed.
    current: CheckIn | None
    last_closed: CheckIn | None


SelfCoachingTrigger = Literal["setback", "behind"]


class SelfCoachingPrompt(msgspec.Struct, kw_only=True):
    id: str
    text: str
    trigger: SelfCoachingTrigger
    source: Literal["library", "team"]


class NewSelfCoachingPrompt(msgspec.Struct, kw_only=True):
    text: Annotated[str, msgspec.Meta(min_length=10, max_length=300)]
    trigger: SelfCoachingTrigger
    client_key: ClientKey | None = None


MilestoneKind = Literal["first_plan_met", "streak", "commitments_kept", "won_deal"]


class Milestone(msgspec.Struct, kw_only=True):
    kind: MilestoneKind
    week_start: date
    title: str


TimelineKind = Literal["checkin", "reflection", "commitment", "kudos", "milestone"]


class TimelineEntry(msgspec.Struct, kw_only=True):
    kind: TimelineKind
    at: Instant
    week_start: date
    title: str
    detail: str | None = None
    # For commitments: the status; for check-ins: the id to open.
    status: CommitmentStatus | None = None
    ref_id: int | None = None


class Timeline(msgspec.Struct, kw_only=True):
    user_id: int
    name: str
    entries: list[TimelineEntry]
    milestones: list[Milestone]
    kudos: list[Kudos]
