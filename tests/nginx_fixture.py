"""Session fixtures: the built site served by real nginx with the project's configuration.

`nginx_site` serves it under the intranet sub-path /playbooks/social/, `nginx_root` at the root,
each on 127.0.0.1 at a free port (registered in conftest.py through `pytest_plugins`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook.hosting import NginxServer, serve
from sitebuild import BuildResult

SUB_PATH = "/playbooks/social/"


def page_paths(site: Path) -> list[str]:
    """Every page of the built site as a URL path relative to the site root ('' is home)."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        paths.append("" if rel == "." else rel + "/")
    return paths


@pytest.fixture(name="nginx_site", scope="session")
def fixture_nginx_site(built_site: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NginxServer]:
    """The built site through nginx under /playbooks/social/."""
    with serve(built_site.site_dir, tmp_path_factory.mktemp("nginx-sub"), SUB_PATH) as server:
        yield server


@pytest.fixture(name="nginx_root", scope="session")
def fixture_nginx_root(built_site: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NginxServer]:
    """The built site through nginx at the root path."""
    with serve(built_site.site_dir, tmp_path_factory.mktemp("nginx-root"), "/") as server:
        yield server
