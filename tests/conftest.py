"""Shared fixtures: one strict build of the real site per session, served on 127.0.0.1."""

from __future__ import annotations

import readguard

readguard.install()  # before anything else is imported: every read outside the repo is recorded

import os
import subprocess
from collections.abc import Iterator

import pytest
from sitebuild import ROOT, BuildResult, build_site

from playbook.browser import launch, serve_directory

pytest_plugins = ["nginx_fixture"]  # nginx_site / nginx_root: the site served by real nginx

# Every date in the build comes from SOURCE_DATE_EPOCH: the last commit, as the Makefile sets it.
if not os.environ.get("SOURCE_DATE_EPOCH"):
    try:
        os.environ["SOURCE_DATE_EPOCH"] = (
            subprocess.run(
                ["git", "log", "-1", "--format=%ct"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            or "1790000000"
        )
    except (OSError, subprocess.CalledProcessError):
        os.environ["SOURCE_DATE_EPOCH"] = "1790000000"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The check that no test read outside the repository runs last, after every read."""
    last = [item for item in items if item.name == "test_no_test_read_outside_the_repository"]
    items[:] = [item for item in items if item not in last] + last


@pytest.fixture(name="built_site", scope="session")
def fixture_built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real playbook, built once, strictly, in this process.

    This is `make test`'s strict build: when it fails, the whole run stops here with MkDocs'
    messages and a failing exit status, as `mkdocs build --strict` would have before pytest."""
    result = build_site(ROOT, tmp_path_factory.mktemp("site"))
    if not result.ok:
        pytest.exit(f"the playbook does not build (strict):\n{result.text}", returncode=1)
    return result


@pytest.fixture(name="site_url", scope="session")
def fixture_site_url(built_site: BuildResult) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (a plain static server)."""
    with serve_directory(built_site.site_dir) as url:
        yield url


@pytest.fixture(name="browser", scope="session")
def fixture_browser():
    """Debian's Chromium, headless, driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()
