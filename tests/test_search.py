"""Search ranks what a worried reader needs first: typed into the real search box in Chromium.

The built site is served by nginx; Material's search worker runs lunr over search_index.json with
the pages' `search: {boost: N}` and `search: {exclude: true}` front matter.
"""

from __future__ import annotations

import json
import re

import pytest

# (what a reader types, the pages that may come first: a pattern over the page's path)
QUERIES = [
    ("budget", r"chapters/tough-questions/cfo/"),
    ("GDPR", r"chapters/governance-and-legal/"),
    (
        "measure",
        r"chapters/value-and-roi/|toolkit/measurement-worksheet/",
    ),  # the value chapter or the measurement worksheet
    ("too young", r"chapters/natives-and-immigrants/|chapters/objections/"),
    ("Legal will never allow it", r"chapters/objections/"),
    ("crisis", r"chapters/governance-and-legal/|chapters/objections/"),
]
REPORTS = ("reports/freshness/", "reports/review/")


def _first_pages(page, base: str, query: str) -> list[str]:
    """The pages of the result list, best first, relative to the site root."""
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=10)
    page.wait_for_function(
        "q => document.querySelector('.md-search__input').value === q && "
        "document.querySelectorAll('.md-search-result__item').length > 0",
        arg=query,
        timeout=15000,
    )
    page.wait_for_timeout(300)  # the worker answers each keystroke; let the last answer land
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "els => els.map(a => a.href)"
    )
    return [h.removeprefix(base).split("?", 1)[0].split("#", 1)[0] for h in hrefs]


@pytest.fixture(name="search_page", scope="module")
def fixture_search_page(browser, nginx_site):
    page = browser.new_page()
    page.goto(nginx_site.url, wait_until="load")
    yield page
    page.close()


@pytest.mark.parametrize(("query", "wanted"), QUERIES, ids=[q for q, _ in QUERIES])
def test_search_puts_the_answer_first(search_page, nginx_site, query, wanted):
    pages = _first_pages(search_page, nginx_site.url, query)
    assert pages, f"no result for {query!r}"
    assert re.fullmatch(wanted, pages[0]), f"{query!r}: first result {pages[0]}, then {pages[1:4]}"
    assert not any(p in REPORTS for p in pages)


def test_reports_are_left_out_and_reference_pages_rank_below_chapters(built_site):
    index = json.loads((built_site.site_dir / "search" / "search_index.json").read_text())
    docs = {d["location"]: d for d in index["docs"]}
    assert not [loc for loc in docs if loc.startswith(REPORTS)]
    reference = max(docs[loc].get("boost", 1) for loc in ("sources/", "glossary/"))
    for loc in (
        "chapters/governance-and-legal/",
        "chapters/objections/",
        "chapters/tough-questions/cfo/",
    ):
        assert docs[loc].get("boost", 1) > reference, loc
