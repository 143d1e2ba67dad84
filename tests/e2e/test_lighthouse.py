"""Lighthouse quality gates (issue #8): the sign-in screen, the rep's This week and Log
screens and the manager's team screen, with the demo data, on a mobile form factor.

Each page must score at least 0.90 for performance and 0.95 for accessibility and best
practices. Lighthouse (the npm devDependency) drives Debian's chromium through
CHROME_PATH; nothing is downloaded. Signed-in pages get the session cookie of a login
through the API as an extra request header. Runs are sequential (a parallel run would
skew the performance numbers); each full report is kept in test-results/lighthouse/ and a
failure prints the audits that cost points, so whoever broke it sees what to fix.

Throttling is Lighthouse's mobile default: simulated (Lantern), a slow 4G network and a
slower CPU computed from one unthrottled load, which is far steadier from run to run than
devtools throttling on a shared CI machine. The CPU slowdown targets a mid-tier phone and
is calibrated to this machine the way Lighthouse's docs/throttling.md says: from a
high-end desktop (benchmarkIndex 1500-2000) 4x, from a low-end desktop (1000-1500) 2x,
lower at the lower end of a bracket and higher at the higher end. So the multiplier
grows with the index: 4x at 1750 (Lighthouse's default), 2x at 1250, 1x at 1000 and
below. The index is the median of three runs first; every report records the multiplier.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import pytest

from .conftest import CHROMIUM_ARGS, DEMO_PASSWORD, REPO

pytestmark = pytest.mark.e2e

LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
REPORTS = REPO / "test-results" / "lighthouse"

THRESHOLDS = {"performance": 0.90, "accessibility": 0.95, "best-practices": 0.95}

# (test id, path, who is signed in — None for the signed-out sign-in screen)
PAGES = [
    ("login", "/login", None),
    ("rep-home", "/home", "rep1@demo.test"),
    ("rep-log", "/log", "rep1@demo.test"),
    ("manager-team", "/team", "manager@demo.test"),
]


def _session_cookie(base_url: str, email: str) -> str:
    request = urllib.request.Request(
        f"{base_url}/api/auth/login",
        data=json.dumps({"email": email, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "X-Followthrough": "1", "Origin": base_url},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        cookies = [value.split(";", 1)[0] for value in answer.headers.get_all("Set-Cookie") or []]
    assert cookies, f"signing in {email} set no cookie"
    return "; ".join(cookies)


def _run_lighthouse(url: str, cookie: str | None, report: Path) -> dict:
    # Chromium now and then loses the trace's navigation start (NO_NAVSTART) on a busy
    # machine: that is Lighthouse failing to measure, not the page failing, so measure again.
    for _ in range(2):
        result = _run_lighthouse_once(url, cookie, report)
        if not result.get("runtimeError") and result["categories"]["performance"]["score"] is not None:
            return result
    return _run_lighthouse_once(url, cookie, report)


def cpu_multiplier(benchmark_index: float) -> float:
    """docs/throttling.md: the slowdown that takes this host to a mid-tier phone."""
    return round(min(4.0, max(1.0, 1 + (benchmark_index - 1000) / 250)), 1)


_calibrated: dict[str, float] = {}


def _run_lighthouse_once(url: str, cookie: str | None, report: Path) -> dict:
    report.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="followthrough-lh-") as tmp:
        command = [
            "node",
            str(LIGHTHOUSE),
            url,
            "--form-factor=mobile",
            "--only-categories=" + ",".join(THRESHOLDS),
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
            "--quiet",
        ]
        if "multiplier" in _calibrated:
            command.append(f"--throttling.cpuSlowdownMultiplier={_calibrated['multiplier']}")
        if cookie:
            headers = Path(tmp) / "headers.json"
            headers.write_text(json.dumps({"Cookie": cookie}))
            command.append(f"--extra-headers={headers}")
        # TMPDIR: chrome-launcher's throwaway profile goes to our temp dir and away with it.
        env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "chromium", "TMPDIR": tmp}
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
        if report.is_file():
            return json.loads(report.read_text())
        if "NO_NAVSTART" in done.stderr or "NO_FCP" in done.stderr:
            return {"runtimeError": done.stderr[-2000:]}
        if done.returncode != 0:
            pytest.fail(f"lighthouse exited with {done.returncode}:\n{done.stderr[-4000:]}")
        pytest.fail(f"lighthouse wrote no report:\n{done.stderr[-4000:]}")


def _costly_audits(result: dict, category: str) -> list[str]:
    """The weighted audits of a category that did not get full marks."""
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        score = audit.get("score")
        if ref.get("weight", 0) > 0 and score is not None and score < 1:
            value = audit.get("displayValue") or ""
            lines.append(f"  {audit['id']}: {audit['title']} — score {score:.2f} {value}".rstrip())
    return lines


def _scores(result: dict) -> dict[str, float]:
    categories = result.get("categories", {})
    return {name: (categories.get(name) or {}).get("score") or 0.0 for name in THRESHOLDS}


@pytest.fixture(scope="module")
def lighthouse_ready(server):  # server first: it skips when chromium or the build is missing
    if not LIGHTHOUSE.is_file():
        pytest.skip("lighthouse is not installed (npm ci)")
    REPORTS.mkdir(parents=True, exist_ok=True)
    # The host's benchmarkIndex moves a lot from run to run on a shared VM: calibrate on the
    # median of three runs of the sign-in page, once for every page.
    indexes = sorted(_run_lighthouse(f"{server.base_url}/login", None, REPORTS / "calibration.json")
                     .get("environment", {}).get("benchmarkIndex") or 1750 for _ in range(3))
    _calibrated["multiplier"] = cpu_multiplier(indexes[1])
    print(f"\nbenchmarkIndex over 3 runs: {indexes}; CPU slowdown {_calibrated['multiplier']}x")
    return server


@pytest.mark.parametrize(("name", "path", "email"), PAGES, ids=[page[0] for page in PAGES])
def test_lighthouse_scores(lighthouse_ready, name, path, email):
    server = lighthouse_ready
    url = f"{server.base_url}{path}"
    report = REPORTS / f"{name}.json"
    cookie = _session_cookie(server.base_url, email) if email else None
    result = _run_lighthouse(url, cookie, report)
    if result.get("runtimeError"):
        pytest.fail(f"{name}: Lighthouse could not measure {url}: {result['runtimeError']}")
    # Performance is measured on a machine that may be busy with other work, and simulated
    # throttling multiplies the CPU time it observed. When the first run falls short, four
    # more are made and the median of the five counts (Lighthouse's variability guide: five
    # runs; three still swung 0.81-0.96 here); the bar stays the same, and a page that is
    # really slow fails most runs.
    if _scores(result)["performance"] < THRESHOLDS["performance"]:
        runs = [result, *(_run_lighthouse(url, cookie, report) for _ in range(4))]
        runs.sort(key=lambda run: _scores(run)["performance"])
        print(f"\n{name}: performance over {len(runs)} runs: "
              + ", ".join(f"{_scores(r)['performance']:.2f}" for r in runs))
        result = runs[len(runs) // 2]
        report.write_text(json.dumps(result))
    assert result["finalDisplayedUrl"].endswith(path), f"{name}: ended on {result['finalDisplayedUrl']}, not {path}"

    scores = _scores(result)
    throttling = result["configSettings"]["throttling"]["cpuSlowdownMultiplier"]
    print(f"\nLighthouse {name} ({path}): " + ", ".join(f"{k} {v:.2f}" for k, v in scores.items())
          + f" (benchmarkIndex {result['environment']['benchmarkIndex']:.0f}, CPU {throttling}x)")
    failing = [category for category, bar in THRESHOLDS.items() if scores[category] < bar]
    if failing:
        details = []
        for category in failing:
            details.append(f"{category} {scores[category]:.2f} < {THRESHOLDS[category]:.2f}; audits that cost points:")
            details.extend(_costly_audits(result, category))
        details.append(f"(CPU slowdown {throttling}x for benchmarkIndex {result['environment']['benchmarkIndex']:.0f};"
                       f" full report: {report})")
        pytest.fail(f"Lighthouse {name} ({path}) is below the bar:\n" + "\n".join(details))
