"""The site in headless Chromium through the project's nginx: own origin only, no console errors,
no CSP violations, search, instant navigation, both palettes, and each page's owner footer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from nginx_fixture import page_paths
from selectolax.lexbor import LexborHTMLParser
from sitebuild import ROOT

from playbook.frontmatter import read_meta

# Report CSP violations in the console too, with the directive and what was blocked.
CSP_REPORTER = (
    "document.addEventListener('securitypolicyviolation', e => console.error("
    "'CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' ' + (e.sample || '')))"
)
# Click a link to `u` as a reader would; Material's instant navigation intercepts the click.
FOLLOW_LINK = (
    "u => { const a = document.createElement('a'); a.href = u;"
    " document.body.append(a); a.click(); a.remove(); }"
)
RE_WORD = re.compile(r"[A-Za-z]{5,}")


def doc_url(src: str) -> str:
    """docs-relative Markdown path -> directory URL ('chapters/x.md' -> 'chapters/x/')."""
    stem = src.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


@dataclass
class Walk:
    """What loading every page recorded."""

    pages: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    footers: dict[str, str] = field(default_factory=dict)


def _failed(request, walk: Walk) -> None:
    # A request cut short by the next navigation (ERR_ABORTED) is not a failure of the site.
    if "ERR_ABORTED" not in (request.failure or ""):
        walk.failures.append(f"{request.url}: {request.failure}")


def _record(page, walk: Walk) -> None:
    page.on("request", lambda r: walk.requests.append(r.url))
    page.on("requestfailed", lambda r: _failed(r, walk))
    page.on(
        "response", lambda r: r.status >= 400 and walk.failures.append(f"{r.url}: HTTP {r.status}")
    )
    page.on(
        "console",
        lambda m: m.type in ("error", "warning") and walk.console.append(f"{page.url}: {m.text}"),
    )
    page.on("pageerror", lambda e: walk.console.append(f"{page.url}: uncaught {e}"))


def _walk(browser, base_url: str, paths: list[str]) -> Walk:
    walk = Walk(pages=paths)
    context = browser.new_context()
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    _record(page, walk)
    for path in paths:
        page.goto(base_url + path, wait_until="load")
        meta = page.locator(".pb-page-meta")
        walk.footers[path] = meta.inner_text() if meta.count() else ""
    # Let the last page's deferred work (search worker, index) finish and report.
    page.wait_for_load_state("networkidle")
    context.close()
    return walk


@pytest.fixture(name="walk", scope="module")
def fixture_walk(browser, nginx_site, built_site) -> Walk:
    return _walk(browser, nginx_site.url, page_paths(built_site.site_dir))


def test_walk_visits_every_page(walk, built_site):
    assert len(walk.pages) >= 10
    assert {"", "start-here/"} <= set(walk.pages)


def test_no_page_requests_another_host(walk, nginx_site):
    foreign = [url for url in walk.requests if not url.startswith(nginx_site.origin + "/")]
    assert walk.requests and foreign == []


def test_no_request_fails(walk):
    assert walk.failures == []


def test_no_console_error_or_csp_violation(walk):
    assert walk.console == []


def test_csp_blocks_an_unlisted_inline_script_and_the_walk_reports_it(browser, nginx_site):
    """The policy is enforced, and a violation is recorded the way the walk records it."""
    walk = Walk()
    context = browser.new_context()
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    _record(page, walk)
    page.goto(nginx_site.url, wait_until="load")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__injected = true'; document.body.append(s); }"
    )
    page.wait_for_function("() => true")  # one more round trip for the console messages
    injected = page.evaluate("() => window.__injected === true")
    context.close()
    assert not injected
    assert any("CSP violation: script-src" in line for line in walk.console), walk.console


def test_every_page_footer_shows_owner_and_last_reviewed(walk):
    checked = 0
    for md in sorted((ROOT / "docs").rglob("*.md")):
        meta = read_meta(md)
        url = doc_url(md.relative_to(ROOT / "docs").as_posix())
        if not meta.get("owner") or url not in walk.footers:
            continue
        footer = walk.footers[url]
        assert f"Owner: {meta['owner']}" in footer, url
        assert f"Last reviewed: {meta['last_reviewed']}" in footer, url
        checked += 1
    assert checked >= 10


def test_site_at_root_path_loads_only_from_itself(browser, nginx_root):
    walk = _walk(browser, nginx_root.url, ["", "start-here/"])
    assert [u for u in walk.requests if not u.startswith(nginx_root.origin + "/")] == []
    assert walk.failures == [] and walk.console == []


def _chapter(site: Path) -> tuple[str, str]:
    """A chapter's URL and the longest word of its title."""
    for index in sorted((site / "chapters").rglob("index.html")):
        h1 = LexborHTMLParser(index.read_text(encoding="utf-8")).css_first("article h1")
        words = RE_WORD.findall(h1.text() if h1 else "")
        if words:
            return index.parent.relative_to(site).as_posix() + "/", max(words, key=len)
    raise AssertionError("no chapter with a title in the built site")


def test_search_finds_a_chapter_by_a_word_from_it(browser, nginx_site, built_site):
    url, word = _chapter(built_site.site_dir)
    page = browser.new_page()
    page.goto(nginx_site.url, wait_until="load")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(word.lower(), delay=10)
    target = nginx_site.url + url
    page.wait_for_function(
        "t => [...document.querySelectorAll('.md-search-result__link')]"
        ".some(a => a.href.split(/[?#]/)[0] === t)",
        arg=target,
        timeout=15000,
    )
    assert "matching document" in page.locator(".md-search-result__meta").inner_text()
    page.close()


def test_instant_navigation_keeps_the_page_alive(browser, nginx_demo):
    base = nginx_demo.url
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: r.resource_type in ("fetch", "xhr") and fetched.append(r.url))
    page.goto(base, wait_until="networkidle")  # the sitemap is loaded: instant navigation is on
    page.evaluate("window.__playbookMarker = 42")
    first_title = page.title()
    page.locator("a.md-footer__link--next").click()
    page.wait_for_function("t => document.title !== t", arg=first_title)
    assert page.url != base and page.url.startswith(base)
    # Instant navigation swaps the content in place: the old window, and its state, survive.
    assert page.evaluate("window.__playbookMarker") == 42
    assert page.url.split("#")[0] in fetched
    page.close()


def test_instant_navigation_to_every_page_is_clean(browser, nginx_demo):
    """Content swapped in by instant navigation (charts, tables) raises no CSP violation or error."""
    base = nginx_demo.url
    walk = Walk()
    context = browser.new_context()
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    _record(page, walk)
    page.goto(base, wait_until="networkidle")
    page.evaluate("window.__playbookMarker = 42")
    paths = [p for p in page_paths(nginx_demo.site_dir) if p]
    for path in paths:
        page.evaluate(FOLLOW_LINK, base + path)
        page.wait_for_function(
            "u => location.href === u && document.querySelector('article h1')", arg=base + path
        )
    assert page.evaluate("window.__playbookMarker") == 42  # never a full page load
    context.close()
    assert walk.failures == [] and walk.console == []


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


@pytest.mark.parametrize(("start", "other"), [("light", "dark"), ("dark", "light")])
def test_palette_toggle_switches_scheme(browser, nginx_site, start, other):
    schemes = {"light": ("default", "__palette_1"), "dark": ("slate", "__palette_0")}
    context = browser.new_context(color_scheme=start)
    page = context.new_page()
    page.goto(nginx_site.url + "start-here/", wait_until="load")
    assert page.locator("body").get_attribute("data-md-color-scheme") == schemes[start][0]
    before = _background(page)
    page.locator(f"label[for={schemes[start][1]}]:visible").click()
    page.wait_for_function(
        "s => document.body.getAttribute('data-md-color-scheme') === s", arg=schemes[other][0]
    )
    assert _background(page) != before
    context.close()
