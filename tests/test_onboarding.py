"""The Start here page and the home page: a reading path with times counted from the pages' text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser
from sitebuild import ROOT, BuildResult, build_site, copy_project
from test_content import ARTICLE, built_page, ids_of

from playbook import onboarding
from playbook.data import DataError
from playbook.render import PageRef

START_SECTIONS = (
    "who-it-is-for",
    "how-the-pages-work",
    "reading-path",
    "before-a-meeting",
    "ask-for-help",
)


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml's nav without resolving its !ENV and !!python tags."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def nav_pages() -> list[str]:
    """Every page of mkdocs.yml's nav, in menu order."""
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)["nav"]  # noqa: S506 - a SafeLoader that drops tags

    def walk(items) -> list[str]:
        found = []
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            found += walk(value) if isinstance(value, list) else [value]
        return found

    return walk(nav)


# --- Pure functions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 0), (1, 1), (199, 1), (200, 1), (201, 2), (1000, 5), (2450, 13)]
)
def test_reading_minutes_round_up_at_200_words_a_minute(words, minutes):
    assert onboarding.WORDS_PER_MINUTE == 200
    assert onboarding.reading_minutes(words) == minutes


def test_reading_minutes_at_another_pace():
    assert onboarding.reading_minutes(1000, words_per_minute=250) == 4


def test_count_words_reads_only_visible_text():
    html = (
        '<h2 id="x">Why it matters<a class="headerlink" href="#x">¶</a></h2>'
        "<p>Don't <em>lead</em> with tools&nbsp;&mdash; lead with value.</p>"
        "<script>var notCounted = 1;</script><abbr title='return on investment'>ROI</abbr>"
    )
    assert onboarding.count_words(html) == 3 + 7 + 1


def _path(tmp_path: Path, text: str) -> Path:
    """A data folder holding only this reading path (messages name it 'data/onboarding-path.yml')."""
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "onboarding-path.yml").write_text(text, encoding="utf-8")
    return tmp_path / "data"


GOOD = """\
- day: 1
  title: Understand
  goal: Know why.
  pages:
    - page: a.md
      why: Because.
    - page: b/c.md
      why: Also <this>.
- day: 2
  title: Act
  goal: Do it.
  pages:
    - page: d.md
      why: Then.
"""


def test_reading_path_html_links_each_page_with_its_time(tmp_path):
    reading_path = onboarding.load_path(_path(tmp_path, GOOD))
    pages = {
        "a.md": (PageRef("Page A", "a/", "a.md"), "<p>" + "word " * 450 + "</p>"),
        "b/c.md": (PageRef("Page C", "b/c/", "b/c.md"), "<p>" + "word " * 10 + "</p>"),
        "d.md": (PageRef("Page D", "d/", "d.md"), "<p>" + "word " * 200 + "</p>"),
    }
    html = onboarding.reading_path_html(reading_path, pages, "../")
    assert "About <strong>5 minutes</strong> of reading in all, over 2 days." in html
    assert (
        '<h3 id="day-1">Day 1: Understand <span class="pb-day-time">(about 4 minutes)</span></h3>'
        in html
    )
    assert (
        '<li data-page="a.md" data-words="450" data-minutes="3"><a href="../a/">Page A</a> '
        '<span class="pb-reading-time">(3 minutes)</span><br>Because.</li>'
    ) in html
    assert (
        '<a href="../b/c/">Page C</a> <span class="pb-reading-time">(1 minute)</span><br>Also &lt;this&gt;.'
        in html
    )
    assert (
        '<h3 id="day-2">Day 2: Act <span class="pb-day-time">(about 1 minute)</span></h3>' in html
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("why: Then.", "why: ''"), "line 14: day 2: 'pages.why'"),
        (
            GOOD.replace("day: 2", "day: 3"),
            "line 1: days must be numbered 1, 2, 3 ... in order; found [1, 3]",
        ),
        (GOOD.replace("page: d.md", "page: a.md"), "line 13: day 2: 'a.md' is listed twice"),
        (GOOD.replace("page: d.md", "page: D.html"), "line 13: day 2: 'pages.page'"),
        ("day: 1\n", "line 1: expected a list of days"),
    ],
)
def test_bad_reading_path_names_the_file_and_line(tmp_path, text, message):
    with pytest.raises(DataError) as info:
        onboarding.load_path(_path(tmp_path, text))
    assert str(info.value).startswith("Error reading data file 'data/onboarding-path.yml', ")
    assert message in str(info.value)


def test_reading_path_pages_must_exist(tmp_path):
    with pytest.raises(DataError, match=r"line 7: day 1: 'b/c.md' is not a page of the site"):
        onboarding.load_path(_path(tmp_path, GOOD), known_pages={"a.md", "d.md"})


# --- The real path and the built pages ---------------------------------------------------------------


def test_reading_path_follows_the_menu_and_covers_every_chapter_and_tool():
    path_pages = onboarding.load_path(ROOT / "data", known_pages=nav_pages()).pages
    in_menu_order = [p for p in nav_pages() if p in path_pages]
    assert path_pages == in_menu_order
    wanted = [p for p in nav_pages() if p.startswith(("chapters/", "toolkit/"))]
    assert [p for p in wanted if p not in path_pages] == []


def test_start_page_has_stable_section_ids(built_site: BuildResult):
    ids = ids_of(built_site.site_dir / "start-here" / "index.html")
    days = len(onboarding.load_path(ROOT / "data").days)
    assert set(START_SECTIONS) | {f"day-{n}" for n in range(1, days + 1)} <= ids


def test_start_page_times_are_counted_from_each_built_page(built_site: BuildResult):
    site = built_site.site_dir
    tree = LexborHTMLParser((site / "start-here" / "index.html").read_text(encoding="utf-8"))
    steps = tree.css(".pb-reading-path li[data-page]")
    reading_path = onboarding.load_path(ROOT / "data")
    assert [li.attributes["data-page"] for li in steps] == reading_path.pages
    total = 0
    for li in steps:
        src = li.attributes["data-page"]
        article = LexborHTMLParser(built_page(site, src).read_text(encoding="utf-8")).css_first(
            ARTICLE
        )
        for node in article.css("aside.pb-page-meta"):  # added by the theme, not part of the page
            node.decompose()
        words = onboarding.count_words(article.html)
        minutes = onboarding.reading_minutes(words)
        assert (li.attributes["data-words"], li.attributes["data-minutes"]) == (
            str(words),
            str(minutes),
        ), src
        assert words > 100, f"{src} has only {words} words"
        link = li.css_first("a")
        assert (
            site / "start-here" / link.attributes["href"] / "index.html"
        ).resolve() == built_page(site, src).resolve()
        assert (
            li.css_first(".pb-reading-time").text()
            == f"({minutes} minute{'s' if minutes != 1 else ''})"
        )
        total += minutes
    hours = f" (about {round(total / 60)} hours)" if total >= 90 else ""
    assert (
        tree.css_first(".pb-reading-total")
        .text()
        .startswith(f"About {total} minutes{hours} of reading in all, over ")
    )


def test_home_page_links_to_start_here_the_toolkit_and_the_tough_questions(built_site: BuildResult):
    tree = LexborHTMLParser((built_site.site_dir / "index.html").read_text(encoding="utf-8"))
    article = tree.css_first(ARTICLE)
    hrefs = {a.attributes.get("href") for a in article.css("a")}
    for target in (
        "start-here/",
        "toolkit/executive-brief/",
        "toolkit/meeting-plan/",
        "chapters/tough-questions/",
    ):
        assert target in hrefs, f"the home page does not link to {target}"
    assert article.css_first(".pb-stat") is not None  # a figure with its source and year
    assert {"who-it-is-for", "before-a-meeting"} <= ids_of(built_site.site_dir / "index.html")


def test_reading_path_naming_a_missing_page_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "onboarding-path.yml"
    data.write_text(data.read_text().replace("chapters/no-silos.md", "chapters/no-such-page.md"))
    line = next(
        n for n, text in enumerate(data.read_text().splitlines(), 1) if "no-such-page" in text
    )
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"Error reading data file 'data/onboarding-path.yml', line {line}: day 3: "
        "'chapters/no-such-page.md' is not a page of the site."
    ) in result.text
