"""Current figures and their provenance: coverage from 2021 on, the quote each was read in, the
freshness rule, newest-first tables and briefs, and the fixes of flagged records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sitebuild import ROOT, BuildResult

from playbook import render
from playbook.brief.content import load_brief, read_profile
from playbook.brief.siteinfo import read_site_info
from playbook.data import QUOTE_FROM_YEAR, DataError, Stat, load_catalog, load_stats
from playbook.dates import build_date
from playbook.playdata import load_roles

DATA = ROOT / "data"
ROLES = ("ceo", "cfo", "coo", "cmo", "legal", "cio", "chro", "board")
CORE_TOPICS = ("technographics", "roi", "generations", "governance")
MY_CHAPTERS = ("technographics", "natives-and-immigrants", "persistence-and-timing")


def current(stats: dict[str, Stat]) -> list[Stat]:
    return [s for s in stats.values() if s.age_year is not None and s.age_year >= QUOTE_FROM_YEAR]


@pytest.fixture(name="catalog", scope="module")
def fixture_catalog():
    return load_catalog(DATA, build_date(ROOT))


@pytest.mark.parametrize("tag", [f"role:{r}" for r in ROLES] + [f"topic:{t}" for t in CORE_TOPICS])
def test_each_role_and_core_topic_has_three_figures_from_2021_on(catalog, tag: str):
    found = [s.id for s in current(catalog.stats) if s.has_tag(tag) and s.kind != "framework"]
    assert len(found) >= 3, (tag, found)


def test_every_figure_from_2021_on_has_a_quote_holding_its_value(catalog):
    figures = current(catalog.stats)
    assert len(figures) >= 30
    for stat in figures:
        quote = stat.verification.quote
        assert quote, stat.id
        assert stat.value.casefold() in quote.casefold(), stat.id
        assert len(quote.split()) <= 40, stat.id
        assert stat.source.url, stat.id
        if stat.verification.status != "verified":
            assert stat.verification.by, stat.id


# A number in a claim that is not in the quote cannot be traced back to a sentence. Years,
# ordinals ("30th CMO Survey") and the list's name ("Fortune 500") are labels, not figures.
RE_CLAIM_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*(?![\w])")


def test_every_number_in_a_current_claim_is_in_its_quote(catalog):
    for stat in current(catalog.stats):
        claim = stat.claim.replace("Fortune 500", "")
        for number in RE_CLAIM_NUMBER.findall(claim):
            number = number.rstrip(".,")
            if re.fullmatch(r"(19|20)\d\d", number):
                continue
            assert number in (stat.verification.quote or ""), (stat.id, number)


GOOD = """\
- id: test-figure-2024
  brief_id: ST-B99
  claim: Something counted
  value: '42'
  unit: percent
  population: some people
  year: 2024
  source: {title: A report, publisher: A publisher, url: 'https://example.org/report'}
  verification:
    status: verified
    quote: In the survey, 42 percent of people said so.
  tags: [role:cfo]
"""


def load_one(tmp_path: Path, text: str):
    stats = tmp_path / "data" / "stats"
    stats.mkdir(parents=True)
    (stats / "test.yml").write_text(text)
    return load_stats(stats, build_date(ROOT), tmp_path)


def test_a_quoted_figure_loads(tmp_path: Path):
    stats, _ = load_one(tmp_path, GOOD)
    assert (
        stats["test-figure-2024"].verification.quote
        == "In the survey, 42 percent of people said so."
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    quote: In the survey, 42 percent of people said so.\n",
            "",
            "verification.quote is required for figures from 2021 on (this one is from 2024): add the "
            "exact sentence you read the figure in, as quote: under verification",
        ),
        (
            "42 percent of people",
            "forty-two percent of people",
            "verification.quote does not contain the value '42'; quote the sentence the figure was "
            "read in, or write the value exactly as that sentence does",
        ),
        (
            "said so.",
            "said so and " + "word " * 40 + "end.",
            "verification.quote has 51 words; quote only the sentence that holds the figure (at most 40 words)",
        ),
        (
            "    status: verified\n",
            "    status: unverified\n    by: a blog\n",
            "an unverified figure cannot carry role tags ['role:cfo']: they put it in executive tables "
            "and briefs; remove them, or verify the figure",
        ),
    ],
)
def test_a_bad_quote_names_file_line_id_and_fix(tmp_path: Path, old: str, new: str, message: str):
    assert old in GOOD
    with pytest.raises(DataError) as info:
        load_one(tmp_path, GOOD.replace(old, new))
    assert str(info.value) == (
        f"Error reading data file 'data/stats/test.yml', line 1: stat 'test-figure-2024': {message}"
    )


def test_an_old_figure_needs_no_quote(tmp_path: Path):
    text = GOOD.replace("year: 2024", "year: 2014").replace(
        "    quote: In the survey, 42 percent of people said so.\n", ""
    )
    stats, _ = load_one(tmp_path, text)
    assert stats["test-figure-2024"].verification.quote is None


def test_caveat_reads_with_the_figure(catalog):
    gm = catalog.get("gm-fastlane-roi-2005")
    assert gm.inline == (
        "an ROI of 99% (an estimate in which much of the benefit was press coverage valued at "
        "advertising rates)"
    )
    assert "not yet using social media" in catalog.get("obstacle-management-resistance-2010").inline
    assert "not only social networks" in catalog.get("top50-ceos-online-2012").inline


def test_flagged_records_are_fixed(catalog):
    comcast = catalog.get("comcast-tweets-handled-2008")
    assert comcast.year == 2008  # the published id keeps working and now matches the year
    assert "docslib" not in (catalog.get("us-adults-social-media-2021").source.url or "")
    assert "dreamspp" not in (catalog.get("execs-linkedin-sncr-2010").source.url or "")
    assert catalog.get("fortune500-ceos-absent-2016").source.publisher.startswith(
        "Domo and CEO.com"
    )
    assert "Owyang" in catalog.get("crises-preventable-2011").source.publisher
    assert catalog.get("top50-ceos-social-networks-2012").value == "18"
    assert catalog.get("execs-daily-social-use-2010").verification.note.endswith(".")
    for stat in catalog.stats.values():  # nothing the site renders about a source says "seed 00x"
        shown = [
            stat.claim,
            stat.display or "",
            stat.population,
            stat.source.title,
            stat.source.publisher,
            stat.verification.by or "",
            stat.caveat or "",
        ]
        assert not any(re.search(r"seed 00\d", text, re.IGNORECASE) for text in shown), stat.id


def test_stat_table_puts_the_newest_figures_first(catalog):
    rows = [
        (n, catalog.get(i))
        for n, i in enumerate(
            [
                "social-budget-share-2014",
                "cmo-marketing-spend-growth-2024",
                "social-budget-share-2018",
            ],
            1,
        )
    ]
    table = render.stat_table(rows, 2015)
    order = [
        table.index(f'data-stat="{i}"')
        for i in (
            "cmo-marketing-spend-growth-2024",
            "social-budget-share-2018",
            "social-budget-share-2014",
        )
    ]
    assert order == sorted(order)


def test_strict_freshness_is_on_by_default_with_the_env_override():
    config = (ROOT / "mkdocs.yml").read_text()
    assert "strict_freshness: !ENV [PLAYBOOK_STRICT_FRESHNESS, true]" in config


@pytest.mark.parametrize(
    "example", sorted((DATA / "profiles").glob("example-*.yml")), ids=lambda p: p.stem
)
def test_each_example_brief_leads_with_figures_from_2023_on(example: Path):
    profile, scale = read_profile(example, DATA)
    content = load_brief(
        profile, scale, DATA, read_site_info(ROOT / "mkdocs.yml"), build_date(ROOT)
    )
    assert content.as_of_year is not None and content.as_of_year >= 2023
    newest = max(s.age_year or 0 for _, s in content.key_figures)
    assert newest >= 2023, [s.id for _, s in content.key_figures]


def page(site: BuildResult, url: str) -> HTMLParser:
    return HTMLParser((site.site_dir / url / "index.html").read_text())


def test_sources_page_and_figures_by_age_report_show_the_new_figures(built_site: BuildResult):
    sources = page(built_site, "sources")
    entry = sources.css_first("#stat-pew-youtube-2025")
    assert entry is not None and "84%" in entry.text()
    assert "seed 00" not in sources.body.text().casefold()
    report = page(built_site, "reports/freshness")
    rows = {r.css_first("td").text(): r for r in report.css("table.pb-freshness tbody tr")}
    assert rows["off-channel-penalties-2025"].css("td")[1].text() == "2025"
    assert rows["off-channel-penalties-2025"].css("td")[3].text() == "no"


def test_sources_page_shows_each_current_figure_quote_verification_and_caveat(built_site, catalog):
    """Provenance anyone can check: every figure from 2021 on shows, on the Sources page, the
    sentence it was read in (marked as a quote), how it was verified, and its caveat; none of it
    is in the search index."""
    sources = page(built_site, "sources")
    for stat in current(catalog.stats):
        entry = sources.css_first(f"#stat-{stat.id}")
        assert entry is not None, stat.id
        quote = entry.css_first("div.pb-provenance[data-search-exclude] p.pb-read-in q")
        assert quote is not None and quote.text() == stat.verification.quote, stat.id
        status = entry.css_first("p.pb-verification").text()
        if stat.verification.status == "verified":
            assert status == "Verified on the publisher's own page.", stat.id
        else:
            assert status.startswith(f"Reported by {stat.verification.by}: read in an article"), (
                stat.id
            )
        caveat = entry.css_first("p.pb-caveat")
        assert (caveat.text() if caveat else None) == (
            f"Caveat: {stat.caveat.rstrip('.')}." if stat.caveat else None
        ), stat.id
    index = (built_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Read in:" not in index and "pb-provenance" not in index


def test_a_vendors_survey_says_so_beside_its_source(built_site: BuildResult, catalog):
    """A survey run or paid for by someone who sells the answer (a software vendor, an agency)
    shows that interest beside its source on the Sources page and in every page's source list;
    every current figure whose note calls it a vendor's or agency's study declares one."""
    current_stats = list(current(catalog.stats))
    flagged = [s for s in current_stats if re.search(r"vendor|agency", s.verification.note, re.I)]
    assert flagged and all(s.source.interest for s in flagged), [
        s.id for s in flagged if not s.source.interest
    ]
    sources = page(built_site, "sources")
    for stat in (s for s in catalog.stats.values() if s.source.interest):
        entry = sources.css_first(f"#stat-{stat.id}")  # a figure, listed under its source
        assert entry is not None and entry.parent is not None, stat.id
        section = entry.parent.parent
        assert section is not None and section.attributes.get("class") == "pb-source", stat.id
        shown = section.css_first("p span.pb-interest")
        assert shown is not None and shown.text() == f"Interest: {stat.source.interest}.", stat.id
    cfo = page(built_site, "chapters/tough-questions/cfo")
    listed = [li.text() for li in cfo.css("ol.pb-sources li")]
    assert any("Interest: Sprout Social" in text for text in listed)


def test_role_tables_show_the_newest_figures_first(built_site: BuildResult):
    table = page(built_site, "chapters/tough-questions/cfo").css_first("table.pb-stat-table")
    years = [int(y.text().strip("()")[:4]) for y in table.css(".pb-stat__year")]
    assert years == sorted(years, reverse=True)
    assert years[0] >= 2024


@pytest.mark.parametrize("chapter", MY_CHAPTERS)
def test_rewritten_chapters_cite_books_not_seed_numbers(built_site: BuildResult, chapter: str):
    text = page(built_site, f"chapters/{chapter}").body.text()
    assert not re.search(r"seed 00\d", text, re.IGNORECASE)
    assert "Owyang, 2008" in text or "Owyang (2008)" in text


def test_generations_and_technographics_are_dated_for_2026(built_site: BuildResult):
    natives = page(built_site, "chapters/natives-and-immigrants").body.text()
    assert "roughly 30 to 45" in natives
    assert 'Generation X, the "new workforce" of 2008, is now the executive generation' in natives
    assert "in their forties" not in natives
    techno = page(built_site, "chapters/technographics")
    assert "What the ladder's data dates from." in techno.body.text()
    cited = {n.attributes["data-stat"] for n in techno.css(".pb-stat")}
    assert {"pew-youtube-2025", "pew-instagram-18-29-2023", "fortune500-ceos-social-2024"} <= cited
    persistence = page(built_site, "chapters/persistence-and-timing")
    values = {
        n.attributes["data-stat"]: n.css_first(".pb-stat__value").text()
        for n in persistence.css(".pb-stat")
    }
    assert values["top50-ceos-social-networks-2012"] == "18%"
    assert values["top50-ceos-online-2012"].startswith("66% (counts company websites")


@pytest.mark.parametrize("role", ["ceo", "chro", "coo", "cmo"])
def test_role_pages_lead_with_a_table_of_current_figures(built_site: BuildResult, role: str):
    tree = page(built_site, f"chapters/tough-questions/{role}")
    section_tables = tree.css("table.pb-stat-table")
    assert section_tables, role
    years = [int(y.text().strip("()")[:4]) for y in section_tables[0].css(".pb-stat__year")]
    assert years and min(years) >= QUOTE_FROM_YEAR, (role, years)
    assert years == sorted(years, reverse=True)


@pytest.mark.parametrize("role", ROLES)
def test_role_pages_drop_the_stale_caveat_and_answers_cite_current_figures_first(
    built_site: BuildResult, role: str
):
    text = page(built_site, f"chapters/tough-questions/{role}").body.text()
    assert "Most of the figures are old" not in text
    catalog = load_catalog(DATA, build_date(ROOT))
    for question in load_roles(DATA)[role].questions:
        years = [catalog.get(i).age_year or 0 for i in question.evidence]
        # A figure from before 2021 never leads where a newer one is cited.
        if any(y >= QUOTE_FROM_YEAR for y in years):
            assert years[0] >= QUOTE_FROM_YEAR, (role, question.question, question.evidence)
