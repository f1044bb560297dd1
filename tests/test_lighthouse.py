"""Lighthouse (pinned in tools/npm) on the home page and a chapter, served through the project's
nginx configuration: accessibility and best practices score 95 or more."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from nginx_fixture import page_paths
from sitebuild import ROOT

LIGHTHOUSE = ROOT / "tools" / "npm" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("accessibility", "best-practices")


def lighthouse_command(
    url: str, report: Path, categories: tuple[str, ...] | None = None
) -> list[str]:
    """The Lighthouse command line for one URL, writing its JSON report to `report`."""
    cmd = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if categories:
        cmd.append("--only-categories=" + ",".join(categories))
    return cmd


def lighthouse_env() -> dict[str, str]:
    return {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}


def failing_audits(report: dict, category: str) -> list[str]:
    """The audits that cost a category points, for the assertion message."""
    refs = report["categories"][category]["auditRefs"]
    audits = (report["audits"][ref["id"]] for ref in refs if ref["weight"] > 0)
    return [f"{a['id']}: {a['title']}" for a in audits if a["score"] is not None and a["score"] < 1]


def test_lighthouse_accessibility_and_best_practices(nginx_site, built_site, tmp_path):
    assert LIGHTHOUSE.is_file(), (
        f"{LIGHTHOUSE} is missing: run `make npm-deps` (npm ci in tools/npm)"
    )
    chapter = next(p for p in page_paths(built_site.site_dir) if p.startswith("chapters/"))
    urls = {"home": nginx_site.url, "chapter": nginx_site.url + chapter}
    # Both runs at once: they are independent and the suite must stay fast.
    runs = {
        name: subprocess.Popen(
            lighthouse_command(url, tmp_path / f"{name}.json", CATEGORIES),
            env=lighthouse_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, url in urls.items()
    }
    for name, process in runs.items():
        _out, err = process.communicate(timeout=240)
        assert process.returncode == 0, f"lighthouse failed on {urls[name]}:\n{err[-2000:]}"
        report = json.loads((tmp_path / f"{name}.json").read_text())
        # A trace hiccup under load (runtimeError NO_NAVSTART) only voids performance, not run here.
        assert report["finalDisplayedUrl"].startswith(nginx_site.url)
        for category in CATEGORIES:
            score = report["categories"][category]["score"]
            assert score is not None and score >= 0.95, (
                name,
                category,
                score,
                failing_audits(report, category),
            )
