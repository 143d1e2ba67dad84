"""Settings from the environment. Every field is documented in README.md."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {value!r}") from None


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    host: str
    port: int
    public_url: str
    cookie_secure: bool
    session_idle_days: int
    session_max_days: int
    login_attempts_per_minute: int
    invite_days: int
    openapi_public: bool
    frontend_dist: Path
    vapid_subject: str = "mailto:admin@example.org"
    # Extra push service hosts (suffixes) beyond the browsers' own.
    push_hosts: tuple[str, ...] = ()
    # Exact origins (scheme://host:port) of a local push service, for tests only.
    push_test_origins: tuple[str, ...] = ()
    scheduler: bool = True
    # Failed sign-ins per email (and wrong current passwords per user) in the window.
    login_failures_per_account: int = 10
    login_failure_window_minutes: int = 15
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto `serve` believes (uvicorn's
    # forwarded_allow_ips); none by default, so a client cannot choose its own address.
    forwarded_allow_ips: tuple[str, ...] = ()
    # argon2id cost; lowered only by the test suite to keep it fast.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into the data directory."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Owner-only from the first byte: create with 0600 rather than chmod afterwards.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("DATA_DIR") or REPO_ROOT / "var").resolve()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'followthrough.db'}"
    host = os.environ.get("HOST") or "127.0.0.1"
    port = _env_int("PORT", 8000)
    browse_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    public_url = (os.environ.get("PUBLIC_URL") or f"http://{browse_host}:{port}").rstrip("/")
    public_host = urlsplit(public_url).hostname or ""
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=_secret_key(data_dir),
        host=host,
        port=port,
        public_url=public_url,
        # Secure cookies everywhere but on a localhost address (browsers drop Secure
        # cookies on plain http, which would make local trials impossible).
        cookie_secure=_env_bool("COOKIE_SECURE", public_host not in LOCAL_HOSTS),
        session_idle_days=_env_int("SESSION_IDLE_DAYS", 14),
        session_max_days=_env_int("SESSION_MAX_DAYS", 60),
        login_attempts_per_minute=_env_int("LOGIN_ATTEMPTS_PER_MINUTE", 10),
        invite_days=_env_int("INVITE_DAYS", 7),
        openapi_public=_env_bool("OPENAPI_PUBLIC", False),
        frontend_dist=Path(os.environ.get("FRONTEND_DIST") or REPO_ROOT / "frontend" / "dist"),
        vapid_subject=os.environ.get("VAPID_SUBJECT") or "mailto:admin@example.org",
        push_hosts=_env_list("PUSH_HOSTS"),
        push_test_origins=_env_list("PUSH_TEST_ORIGINS"),
        scheduler=_env_bool("REMINDER_SCHEDULER", True),
        login_failures_per_account=_env_int("LOGIN_FAILURES_PER_ACCOUNT", 10),
        login_failure_window_minutes=_env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15),
        forwarded_allow_ips=_env_list("FORWARDED_ALLOW_IPS"),
        argon2_time_cost=_env_int("ARGON2_TIME_COST", 3),
        argon2_memory_kib=_env_int("ARGON2_MEMORY_KIB", 65536),
    )
