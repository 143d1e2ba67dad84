"""Demo data for trying Followthrough: `followthrough demo`.

Seeding is a list of steps, each idempotent, so later issues add plans and activity
history by appending a step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from backend.accounts.service import Accounts

DEMO_PASSWORD = "demo-pass-2026"
DEMO_TEAM = "Demo team"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    time_zone: str


DEMO_USERS = [
    DemoUser("admin@demo.test", "Ada Admin", "admin", "Europe/London"),
    DemoUser("manager@demo.test", "Morgan Manager", "manager", "Europe/Berlin"),
    DemoUser("rep1@demo.test", "Riley Fischer", "rep", "Europe/Berlin"),
    DemoUser("rep2@demo.test", "Sam Okafor", "rep", "Europe/London"),
    DemoUser("rep3@demo.test", "Jordan Silva", "rep", "America/New_York"),
    DemoUser("rep4@demo.test", "Taylor Nguyen", "rep", "America/Chicago"),
    DemoUser("rep5@demo.test", "Casey Kowalski", "rep", "Europe/Warsaw"),
    DemoUser("rep6@demo.test", "Avery Patel", "rep", "Asia/Kolkata"),
]


async def seed_accounts(accounts: Accounts) -> None:
    team_id = await accounts.team_id_by_name(DEMO_TEAM)
    if team_id is None:
        team_id = (await accounts.create_team(DEMO_TEAM, [])).id
    existing = await accounts.existing_emails([u.email for u in DEMO_USERS])
    for user in DEMO_USERS:
        if user.email in existing:
            continue
        await accounts.create_user(
            email=user.email,
            name=user.name,
            password=DEMO_PASSWORD,
            role=user.role,
            team_id=team_id if user.role != "admin" else None,
            time_zone=user.time_zone,
        )


SEED_STEPS: list[Callable[[Accounts], Awaitable[None]]] = [seed_accounts]


async def seed_demo(accounts: Accounts) -> None:
    for step in SEED_STEPS:
        await step(accounts)


def demo_logins_text() -> str:
    lines = [f"  {u.role:<8} {u.email}" for u in DEMO_USERS if u.role != "rep"]
    reps = [u.email for u in DEMO_USERS if u.role == "rep"]
    lines.append(f"  {'rep':<8} {reps[0]} … {reps[-1]}")
    return "\n".join(lines) + f"\n  password {DEMO_PASSWORD}"
