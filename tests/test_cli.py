"""The `followthrough` command, run as a person would, on its own SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("followthrough")


@pytest.fixture
def env(tmp_path):
    return {
        **os.environ,
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "SECRET_KEY": "",
    }


def run(env, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120)


def test_every_command_has_help(env):
    for command in ("serve", "migrate", "demo", "create-user"):
        result = run(env, command, "--help")
        assert result.returncode == 0 and "usage: followthrough" in result.stdout


def test_migrate_demo_and_create_user(env, tmp_path):
    assert run(env, "migrate").returncode == 0
    assert run(env, "migrate").returncode == 0  # a second run is a no-op
    key = tmp_path / "secret_key"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    # The database holds password hashes: owner-only, and its WAL files too.
    for name in ("cli.db", "cli.db-wal", "cli.db-shm"):
        found = tmp_path / name
        assert not found.exists() or oct(found.stat().st_mode & 0o777) == "0o600", name
    assert oct((tmp_path / "cli.db").stat().st_mode & 0o777) == "0o600"
    fresh = tmp_path / "fresh" / "data"
    assert run({**env, "DATA_DIR": str(fresh), "DATABASE_URL": f"sqlite:///{fresh / 'x.db'}"}, "migrate").returncode == 0
    assert oct(fresh.stat().st_mode & 0o777) == "0o700"

    first = run(env, "demo", "--if-empty")
    assert first.returncode == 0 and "Demo data loaded." in first.stdout
    assert "already has users" in run(env, "demo", "--if-empty").stdout
    again = run(env, "demo")  # without --if-empty: idempotent, and it shows the logins
    assert "manager@demo.test" in again.stdout and "demo-pass-2026" in again.stdout

    created = run(env, "create-user", "--email", "Lee@Example.com", "--name", "Lee", "--team", "West",
                  "--password-stdin", stdin="long-enough-pw\n")
    assert created.returncode == 0 and "Created team 'West'" in created.stdout
    again = run(env, "create-user", "--email", "lee@example.com", "--name", "Lee", "--team", "West",
                "--password-stdin", stdin="long-enough-pw\n")
    assert again.returncode == 2 and "already has an account" in again.stderr

    invited = run(env, "create-user", "--email", "kim@example.com", "--name", "Kim", "--team", "West", "--invite")
    assert invited.returncode == 0 and "/invite#token=" in invited.stdout

    short = run(env, "create-user", "--email", "x@example.com", "--name", "X", "--team", "West",
                "--password-stdin", stdin="short\n")
    assert short.returncode != 0 and "at least 10" in short.stderr
    common = run(env, "create-user", "--email", "y@example.com", "--name", "Y", "--team", "East",
                 "--password-stdin", stdin="password123\n")
    assert common.returncode != 0 and "most common passwords" in common.stderr
    # Refused before anything was written: team East was not created.
    later = run(env, "create-user", "--email", "z@example.com", "--name", "Z", "--team", "East",
                "--password-stdin", stdin="lamp-orbit-cedar\n")
    assert later.returncode == 0 and "Created team 'East'" in later.stdout
