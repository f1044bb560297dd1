"""Issue #4: statistics from data/ are validated with exact messages, cited, escaped, charted and dated.

Data errors are checked on small files in tmp_path through `load_catalog`; build behaviour on the
real site (`built_site`) or on a copy of the project changed on purpose (`copy_project`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from posixpath import normpath
from urllib.parse import urljoin

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sitebuild import ROOT, BuildResult, build_site, copy_project

import playbook.data
import playbook.plugin
from playbook import yamlfile
from playbook.data import DataError, load_catalog

TODAY = date(2026, 9, 21)
FILE = "data/stats/test.yml"

GOOD = """\
- id: execs-on-linkedin
  brief_id: ST-S02
  claim: Executives who use LinkedIn
  value: '92'
  amount: 92
  unit: percent
  population: executives
  year: 2010
  source:
    title: How executives use social media
    publisher: Web Analytics World
    url: https://example.org/report
  verification:
    status: verified
  tags: [role:ceo]
"""
SECOND = GOOD.replace("execs-on-linkedin", "execs-on-twitter").replace("ST-S02", "ST-S03")


def load(tmp_path: Path, text: str) -> playbook.data.Catalog:
    stats = tmp_path / "data" / "stats"
    stats.mkdir(parents=True, exist_ok=True)
    (stats / "test.yml").write_text(text)
    return load_catalog(tmp_path / "data", TODAY)


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(DataError) as caught:
        load(tmp_path, text)
    return str(caught.value)


# Data files: each bad record fails with the file, the line, the statistic, the field and the fix.


def test_good_data_loads_into_typed_objects(tmp_path: Path):
    catalog = load(tmp_path, GOOD + SECOND)
    assert list(catalog.stats) == ["execs-on-linkedin", "execs-on-twitter"]
    stat = catalog.get("execs-on-linkedin")
    assert (stat.value, stat.amount, stat.year, stat.inline) == ("92", 92.0, 2010, "92%")
    assert catalog.where["execs-on-twitter"] == playbook.data.Located(FILE, 16)


def test_yaml_syntax_error_names_the_file_and_line(tmp_path: Path):
    text = GOOD + "- id: [not closed\n  brief_id: ST-S03\n"
    assert error(tmp_path, text) == (
        f"Error reading data file '{FILE}', line 17: YAML syntax error: expected ',' or ']', but got ':' "
        "(in the flow sequence that starts on line 16). "
        "Check the indentation and quoting on that line and the one before it."
    )


def test_statistic_without_a_source_names_the_statistic(tmp_path: Path):
    text = GOOD + SECOND.replace(
        SECOND[SECOND.index("  source:") : SECOND.index("  verification:")], ""
    )
    assert error(tmp_path, text) == (
        f"Error reading data file '{FILE}', line 16: stat 'execs-on-twitter': 'source' is required "
        "(expected: a mapping with title, publisher, and a url or a seed)"
    )


def test_source_without_url_or_seed_fails(tmp_path: Path):
    text = GOOD.replace("    url: https://example.org/report\n", "")
    assert error(tmp_path, text) == (
        f"Error reading data file '{FILE}', line 9: stat 'execs-on-linkedin': 'source': a source needs a "
        "url, or a seed when the figure comes from a seed post (expected: a mapping with title, "
        "publisher, and a url or a seed)"
    )


def test_missing_field_names_the_field_and_what_it_expects(tmp_path: Path):
    assert error(tmp_path, GOOD.replace("  population: executives\n", "")) == (
        f"Error reading data file '{FILE}', line 1: stat 'execs-on-linkedin': 'population' is required "
        "(expected: who was counted)"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "year: 2010",
            "year: around 2010",
            (
                "line 8: stat 'execs-on-linkedin': 'year': Input should be a valid integer, unable to parse "
                "string as an integer (expected: an integer year, or null together with a year_note)"
            ),
        ),
        (
            "value: '92'",
            "value: 92",
            (
                "line 4: stat 'execs-on-linkedin': 'value': 92 is not text; put it in quotes (expected: the "
                "value exactly as the source reports it, as text, such as '>80' or '30-60')"
            ),
        ),
        (
            "year: 2010",
            "year: null",
            "line 1: stat 'execs-on-linkedin': year is null, so year_note must say why (what the source says)",
        ),
        (
            "status: verified",
            "status: reported",
            (
                "line 13: stat 'execs-on-linkedin': 'verification': status 'reported' needs 'by': who reported "
                "the figure (expected: a mapping with status (verified, reported or unverified), by and note; "
                "by is needed unless verified)"
            ),
        ),
        (
            "[role:ceo]",
            "[CEO]",
            (
                "line 15: stat 'execs-on-linkedin': 'tags': tags ['CEO'] are not of the form 'kind:value' "
                "(expected: a list of tags such as 'role:cfo', 'industry:retail' or 'topic:trust')"
            ),
        ),
        (
            "  tags:",
            "  colour: red\n  tags:",
            (
                "line 15: stat 'execs-on-linkedin': 'colour' is not a known field (expected: one of: amount, "
                "brief_id, caveat, claim, display, id, kind, population, source, tags, unit, value, verification, "
                "year, year_estimate, year_note)"
            ),
        ),
    ],
)
def test_wrong_type_or_value_names_line_statistic_and_field(
    tmp_path: Path, old: str, new: str, message: str
):
    assert error(tmp_path, GOOD.replace(old, new)) == f"Error reading data file '{FILE}', {message}"


def test_duplicate_id_names_both_places(tmp_path: Path):
    (tmp_path / "data" / "stats").mkdir(parents=True)
    (tmp_path / "data" / "stats" / "another.yml").write_text(
        SECOND.replace("ST-S03", "ST-S04").replace("twitter", "linkedin")
    )
    assert error(tmp_path, GOOD) == (
        f"Error reading data file '{FILE}', line 1: stat 'execs-on-linkedin': duplicate id; it is already "
        "defined in 'data/stats/another.yml', line 1. Give one of them another id."
    )


def test_url_that_is_not_http_fails(tmp_path: Path):
    assert error(tmp_path, GOOD.replace("https://example.org/report", "javascript:alert(1)")) == (
        f"Error reading data file '{FILE}', line 12: stat 'execs-on-linkedin': 'source.url': "
        "'javascript:alert(1)' is not an http(s) URL (expected: an http(s) URL)"
    )


def test_year_in_the_future_of_the_build_date_fails(tmp_path: Path):
    quoted = GOOD.replace(
        "    status: verified\n", "    status: verified\n    quote: 92% use LinkedIn.\n"
    )
    assert load(tmp_path, quoted.replace("year: 2010", f"year: {TODAY.year}")).stats
    assert error(tmp_path, quoted.replace("year: 2010", f"year: {TODAY.year + 1}")) == (
        f"Error reading data file '{FILE}', line 8: stat 'execs-on-linkedin': 'year' is 2027, which is in "
        "the future (the build's date is 2026-09-21); expected the year the data was collected or published."
    )


def test_unknown_id_message_suggests_the_nearest_id():
    known = {"execs-on-linkedin": 1, "execs-on-twitter": 2}
    assert playbook.data.unknown_id_message("execs-on-linkdin", known) == (
        "unknown statistic id 'execs-on-linkdin'. Did you mean 'execs-on-linkedin'? "
        "Ids are defined in data/stats/*.yml."
    )
    assert playbook.data.unknown_id_message("zzz", known) == (
        "unknown statistic id 'zzz'. Ids are defined in data/stats/*.yml."
    )


def test_the_real_data_loads():
    catalog = load_catalog(ROOT / "data", TODAY)
    assert len(catalog.stats) > 50
    assert all(re.fullmatch(r"ST-[SB]\d\d", s.brief_id) for s in catalog.stats.values())
    assert catalog.charts


# Builds of a copy of the project changed on purpose.

PAGE = "pb-test-page.md"
FRONT = "---\nowner: Test\nlast_reviewed: 2026-01-01\nreview_by: 2099-01-01\nsummary: A test page.\n{extra}---\n\n"
XSS = "<script>alert(1)</script>"


def add_page(project: Path, body: str, extra: str = "") -> Path:
    """A new page in the copy's docs and nav."""
    page = project / "docs" / PAGE
    page.write_text(FRONT.format(extra=extra) + "# Test page\n\n" + body)
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert "  - Start here: start-here.md\n" in text
    config.write_text(
        text.replace(
            "  - Start here: start-here.md\n", f"  - Start here: start-here.md\n  - Test: {PAGE}\n"
        )
    )
    return page


def strict_freshness(project: Path, only_page: bool = False) -> None:
    """Turn strict freshness on in the copy's mkdocs.yml; with `only_page`, the test page is the
    only executive-facing one (the real pages' citations are the writers' business)."""
    config = project / "mkdocs.yml"
    text = config.read_text()
    line = "strict_freshness: !ENV [PLAYBOOK_STRICT_FRESHNESS, true]"
    assert line in text
    config.write_text(text.replace(line, "strict_freshness: true"))
    if only_page:
        assert "executive_pages" not in text
        for doc in (project / "docs").rglob("*.md"):
            if doc.name != PAGE:
                doc.write_text(
                    doc.read_text().replace("\naudience: executive\n", "\naudience: staff\n")
                )


def html(site: Path, url: str) -> HTMLParser:
    return HTMLParser((site / url / "index.html").read_text())


@pytest.fixture(name="feature_site", scope="module")
def fixture_feature_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[BuildResult, dict[str, int]]]:
    """A copy with a test page (old and new figures, a table, a chart), a <script> claim and source
    title, and strict freshness on; built once while counting how often data is parsed."""
    tmp = tmp_path_factory.mktemp("features")
    project = copy_project(tmp / "project")
    stats = project / "data" / "stats" / "audiences.yml"
    text = stats.read_text()
    entry = text.index("- id: us-adults-social-media-2021")
    head, rest = text[:entry], text[entry:]
    rest = rest.replace("  claim: ", f"  claim: {XSS} ", 1).replace(
        "    title: ", f"    title: {XSS} ", 1
    )
    rest = rest.replace("  tags:\n", "  tags:\n  - topic:escape-test\n", 1)
    stats.write_text(head + rest)
    add_page(
        project,
        "Old: {{ stat('technographics-creators-2007', historical=True) }}.\n\n"
        "New: {{ stat('us-adults-social-media-2021') }}.\n\n"
        "{{ stat_table('topic:escape-test', caption='Escaped') }}\n\n"
        "{{ chart('technographics-ladder') }}\n",
        extra="audience: executive\n",
    )
    strict_freshness(project, only_page=True)

    calls: dict[str, int] = {}
    real_load, real_catalog = yamlfile.load, playbook.data.stats.load_catalog

    def counting_load(path, display_name=None):
        calls[str(path)] = calls.get(str(path), 0) + 1
        return real_load(path, display_name)

    def counting_catalog(*args, **kwargs):
        calls["load_catalog"] = calls.get("load_catalog", 0) + 1
        return real_catalog(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlfile, "load", counting_load)
        patch.setattr(playbook.data.stats, "load_catalog", counting_catalog)
        result = build_site(project, tmp / "site")
    assert result.ok, result.text
    yield result, calls


def test_data_is_parsed_once_per_build(feature_site):
    _, calls = feature_site
    assert calls.pop("load_catalog") == 1
    stat_files = [path for path in calls if "/data/stats/" in path]
    assert len(stat_files) == len(list((ROOT / "data" / "stats").glob("*.yml")))
    read = {Path(path).name for path in calls}
    assert {"roles.yml", "objections.yml", "meeting-plan.yml", "northwind.yml", "law.yml"} <= read
    assert {path: n for path, n in calls.items() if n != 1} == {}


def test_script_in_a_claim_and_a_source_title_is_escaped(feature_site):
    result, _ = feature_site
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    page = (result.site_dir / "pb-test-page" / "index.html").read_text()
    sources = (result.site_dir / "sources" / "index.html").read_text()
    assert f"<td>{escaped} " in page  # the claim, in the table
    assert f"<cite>{escaped} " in page  # the source title, in the page's source list
    assert f'title="Source: {escaped} ' in page  # and in the citation's hover text
    assert f": {escaped} " in sources
    for path in result.site_dir.rglob("*.html"):
        assert XSS not in path.read_text(), path


def test_old_figure_shows_its_label_and_new_one_does_not(feature_site):
    result, _ = feature_site
    tree = html(result.site_dir, "pb-test-page")
    old = tree.css_first('span.pb-stat[data-stat="technographics-creators-2007"]')
    new = tree.css_first('span.pb-stat[data-stat="us-adults-social-media-2021"]')
    label = old.css_first("span.pb-old")
    assert label is not None and label.text() == "older data"
    assert label.attributes["title"] == "Collected or published before 2015"
    assert old.css_first(".pb-stat__year").text() == "(2007)"
    assert new.css_first("span.pb-old") is None


def test_chart_svg_is_inline_with_title_description_and_role(feature_site):
    result, _ = feature_site
    spec = load_catalog(ROOT / "data", TODAY).charts["technographics-ladder"]
    figure = html(result.site_dir, "pb-test-page").css_first("figure#chart-technographics-ladder")
    svg = figure.css_first("svg")
    assert svg.attributes["role"] == "img"
    assert (
        svg.attributes["aria-labelledby"]
        == "chart-technographics-ladder-title chart-technographics-ladder-desc"
    )
    assert svg.css_first("title").text() == spec.title
    assert svg.css_first("desc").text() == spec.description
    assert "<script" not in figure.html and "<metadata" not in figure.html
    ids = [node.attributes["id"] for node in svg.css("[id]")]
    assert ids and all(i.startswith("chart-technographics-ladder-") for i in ids)


def cited_pages(site: Path) -> dict[str, set[str]]:
    """stat id -> urls of the pages whose HTML cites it (inline, in tables)."""
    cited: dict[str, set[str]] = {}
    for path in site.rglob("index.html"):
        url = path.parent.relative_to(site).as_posix() + "/"
        url = "" if url == "./" else url
        for node in HTMLParser(path.read_text()).css("span.pb-stat[data-stat]"):
            cited.setdefault(node.attributes["data-stat"], set()).add(url)
    return cited


def listed_on_sources_page(site: Path) -> dict[str, set[str]]:
    """stat id -> urls of the pages the Sources page says cite it."""
    listed = {}
    for item in html(site, "sources").css('li[id^="stat-"]'):
        links = item.css("span.pb-cited-on a")
        listed[item.attributes["id"].removeprefix("stat-")] = {
            normpath(urljoin("/sources/", a.attributes["href"])).lstrip("/") + "/"
            if a.attributes["href"] != "../"
            else ""
            for a in links
        }
    return listed


@pytest.mark.parametrize("which", ["real site", "test copy"])
def test_sources_page_lists_every_cited_statistic_with_its_pages(which, built_site, feature_site):
    site = built_site.site_dir if which == "real site" else feature_site[0].site_dir
    cited, listed = cited_pages(site), listed_on_sources_page(site)
    assert cited, "no page cites a statistic"
    assert set(listed) == set(load_catalog(ROOT / "data", TODAY).stats)  # every statistic is listed
    for stat_id, pages in cited.items():
        assert pages <= listed[stat_id], stat_id
    if which == "test copy":  # the chart's figures count as cited too
        assert "pb-test-page/" in listed["technographics-critics-2007"]


def test_strict_freshness_fails_an_old_figure_on_an_executive_page(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    add_page(
        project, "Old: {{ stat('technographics-creators-2007') }}.\n", extra="audience: executive\n"
    )
    strict_freshness(project)
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"Doc file '{PAGE}' is executive-facing and cites 'technographics-creators-2007' (2007), collected "
        "before 2015. Use a newer figure, or mark it stat('technographics-creators-2007', historical=True) "
        "if its age is the point."
    ) in result.text
    assert "Strict freshness check failed:" in result.text


def test_page_citing_an_unknown_id_fails_naming_page_line_and_id(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    add_page(project, "Intro.\n\nSee {{ stat('technographics-creator-2007') }}.\n")
    line = (
        FRONT.count("\n") + 5
    )  # front matter and a blank line, heading, blank, intro, blank, the call
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"Doc file '{PAGE}', line {line}: unknown statistic id 'technographics-creator-2007'. "
        "Did you mean 'technographics-creators-2007'? Ids are defined in data/stats/*.yml."
    ) in result.text


def test_yaml_syntax_error_fails_the_build_naming_file_and_line(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    stats = project / "data" / "stats" / "leaders.yml"
    lines = stats.read_text().splitlines()
    lines.insert(3, "  claim: [unclosed")
    stats.write_text("\n".join(lines) + "\n")
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert (
        "Error reading data file 'data/stats/leaders.yml', line 5: YAML syntax error: expected ',' or ']', "
        "but got ':' (in the flow sequence that starts on line 4)."
    ) in result.text
