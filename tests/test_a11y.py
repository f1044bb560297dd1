"""axe-core on every page of the built site, in the light and the dark palette, through nginx:
no serious or critical violation. No rule is turned off; the fixes live in overrides/ (templates
and playbook-a11y.js) and docs/assets/stylesheets/playbook.css."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from nginx_fixture import DEMO_PAGE, page_paths

SCHEMES = {"light": "default", "dark": "slate"}
COMPONENTS = (
    ".pb-old",
    ".pb-cite",
    ".pb-chart svg",
    ".pb-sources",
    "table",
    ".admonition",
    "details",
    ".tabbed-set",
    ".task-list",
)
BLOCKING = {"serious", "critical"}
# The rules whose outcome depends on colours, run again in the dark palette.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# What Material's palette toggle does, then a style read so colour transitions start now.
SWITCH_PALETTE = (
    "s => { document.body.setAttribute('data-md-color-scheme', s);"
    " getComputedStyle(document.body).color; }"
)
DARK_OPTIONS = {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]}


def _describe(path: str, violation: dict, scheme: str = "light") -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    rule = f"{violation['id']} ({violation['impact']})"
    return f"{path or '/'} ({scheme}): {rule} at {targets}: {violation['help']}"


def test_every_page_has_no_serious_axe_violation_in_either_palette(browser, nginx_site, built_site):
    """Each page is loaded once: every axe rule runs in the light palette, then the palette is
    switched in place, as Material's toggle does, and the rules that read colours run again.
    The palettes differ only in CSS colours, so every other rule gives the same answer in both
    (the components test below runs every rule on a page loaded in the dark palette)."""
    axe = Axe()
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    problems: list[str] = []
    paths = page_paths(built_site.site_dir)
    for path in paths:
        page.goto(nginx_site.url + path, wait_until="load")
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES["light"]
        light = axe.run(page).response["violations"]
        page.evaluate(SWITCH_PALETTE, SCHEMES["dark"])
        page.wait_for_function("() => document.getAnimations().length === 0")  # colours settled
        # axe is already in the page (the palette switched in place): run it, not inject it again.
        dark = page.evaluate("o => axe.run(document, o)", DARK_OPTIONS)["violations"]
        problems += [_describe(path, v, "light") for v in light if v["impact"] in BLOCKING]
        problems += [_describe(path, v, "dark") for v in dark if v["impact"] in BLOCKING]
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
    assert [_describe(DEMO_PAGE, v, scheme) for v in in_page + in_content] == []
