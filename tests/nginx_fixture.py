"""Session fixtures: the built site served by real nginx with the project's configuration.

`nginx_site` serves it under the intranet sub-path /playbooks/social/, `nginx_root` at the root,
each on 127.0.0.1 at a free port (registered in conftest.py through `pytest_plugins`).
`nginx_demo` serves a copy of the playbook with one extra page showing every component, built
for the address it is served at (Material's instant navigation needs that).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nginx_server import NginxServer, free_port, serve
from sitebuild import ROOT, BuildResult, build_site, copy_project

from playbook.data import load_catalog
from playbook.dates import build_date

SUB_PATH = "/playbooks/social/"
DEMO_PAGE = "components-demo/"


def page_paths(site: Path) -> list[str]:
    """Every page of the built site as a URL path relative to the site root ('' is home)."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        paths.append("" if rel == "." else rel + "/")
    return paths


@pytest.fixture(name="nginx_site", scope="session")
def fixture_nginx_site(
    built_site: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NginxServer]:
    """The built site through nginx under /playbooks/social/."""
    with serve(built_site.site_dir, tmp_path_factory.mktemp("nginx-sub"), SUB_PATH) as server:
        yield server


@pytest.fixture(name="nginx_root", scope="session")
def fixture_nginx_root(
    built_site: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NginxServer]:
    """The built site through nginx at the root path."""
    with serve(built_site.site_dir, tmp_path_factory.mktemp("nginx-root"), "/") as server:
        yield server


def components_page() -> str:
    """A page with every playbook and Material component, filled from the real data."""
    catalog = load_catalog(ROOT / "data", build_date(ROOT))
    old = next(s for s in catalog.stats.values() if s.year is not None and s.year < 2015)
    new = next(s for s in catalog.stats.values() if s.year is not None and s.year >= 2015)
    chart = next(iter(catalog.charts))
    return f"""---
owner: Accessibility test
last_reviewed: 2026-01-01
review_by: 2099-12-31
summary: Every component of the playbook on one page, for the accessibility test.
---

# Components

An older figure {{{{ stat('{old.id}', historical=True) }}}} and a recent one {{{{ stat('{new.id}') }}}},
with a [link in running text](index.md) and an abbreviation, ROI.

{{{{ chart('{chart}') }}}}

| Executive | Concern | First step | Evidence they trust | Next review |
|---|---|---|---|---|
| CFO | Cost | A pilot | Numbers | Quarterly |

!!! note "A note"
    An admonition with a [link](index.md).

??? tip "Details"
    Hidden until opened.

=== "First tab"
    One.

=== "Second tab"
    Two.

- [x] A done item
- [ ] An open item

*[ROI]: Return on investment
"""


@pytest.fixture(name="nginx_demo", scope="session")
def fixture_nginx_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NginxServer]:
    """A copy of the playbook plus docs/components-demo.md, built for and served at one address."""
    tmp = tmp_path_factory.mktemp("demo")
    project = copy_project(tmp / "project")
    (project / "docs" / "components-demo.md").write_text(components_page(), encoding="utf-8")
    port = free_port()
    result = build_site(
        project,
        tmp / "site",
        site_url=f"http://127.0.0.1:{port}{SUB_PATH}",
        not_in_nav="/components-demo.md",
    )
    assert result.ok, result.text
    with serve(result.site_dir, tmp / "nginx", SUB_PATH, port=port) as server:
        yield server
