"""axe-core on every page of the built site, in the light and the dark palette, through nginx:
no serious or critical violation. Every rule stays on; fixes live in overrides/ and playbook.css."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from nginx_fixture import DEMO_PAGE, page_paths

SCHEMES = {"light": "default", "dark": "slate"}
COMPONENTS = (".pb-old", ".pb-cite", ".pb-chart svg", ".pb-sources", "table", ".admonition", "details", ".tabbed-set", ".task-list")
BLOCKING = {"serious", "critical"}


def _describe(path: str, violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    return f"{path or '/'}: {violation['id']} ({violation['impact']}) at {targets}: {violation['help']}"


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_every_page_has_no_serious_axe_violation(browser, nginx_site, built_site, scheme):
    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []
    paths = page_paths(built_site.site_dir)
    for path in paths:
        page.goto(nginx_site.url + path, wait_until="load")
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        result = axe.run(page)
        problems += [_describe(path, v) for v in result.response["violations"] if v["impact"] in BLOCKING]
    context.close()
    assert len(paths) >= 10
    assert problems == []


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_playbook_components_have_no_axe_violation(browser, nginx_demo, scheme):
    """Older-data labels, citations, charts, tables and Material's blocks on one page, in both
    palettes: nothing serious on the page, and no violation of any impact in the content."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(nginx_demo.url + DEMO_PAGE, wait_until="load")
    for selector in COMPONENTS:
        assert page.locator(selector).count() > 0, selector
    axe = Axe()
    in_page = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING]
    in_content = axe.run(page, context=".md-content").response["violations"]
    context.close()
    assert [_describe(DEMO_PAGE, v) for v in in_page + in_content] == []
