"""The law as it stands (data/law.yml) and the recent cases (data/cases.yml), on the built site.

The governance chapter covers each rule the playbook promises, each with a link to its official
primary source and an honest last-checked date; legal pages carry the orientation warning; the
recent-cases page holds at least four cases from 2018 on, of the four kinds, each with sources.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from selectolax.lexbor import LexborHTMLParser
from sitebuild import ROOT, BuildResult, build_site, copy_project

from playbook import legal
from playbook.data import DataError

DATA = ROOT / "data"
WARNING_TITLE = "Orientation, not legal advice"

# Each rule the issue names: (id in data/law.yml, words the entry must contain, official host).
REQUIRED = [
    ("us-nlrb-work-rules", ("Stericycle", "372 NLRB No. 113"), "nlrb.gov"),
    ("us-sec-marketing-rule", ("206(4)-1", "4 November 2022"), "sec.gov"),
    ("us-off-channel-records", ("WhatsApp", "CFTC"), "sec.gov"),
    (
        "us-ftc-endorsements-reviews",
        ("Endorsement Guides", "Part 465", "21 October 2024"),
        "ftc.gov",
    ),
    ("eu-dsa-advertising", ("Digital Services Act", "Articles 26 and 28"), "eur-lex.europa.eu"),
    ("eu-ai-act-article-50", ("Article 50", "2 August 2026"), "eur-lex.europa.eu"),
    ("eu-gdpr-joint-controllers", ("C-210/16", "C-40/17", "Fashion ID"), "curia.europa.eu"),
    (
        "uk-dmcc-fake-reviews",
        ("Digital Markets, Competition and Consumers Act 2024", "6 April 2025"),
        "legislation.gov.uk",
    ),
    ("uk-asa-influencers", ("ASA", "CAP"), "asa.org.uk"),
]


def page(built_site: BuildResult, path: str) -> LexborHTMLParser:
    return LexborHTMLParser((built_site.site_dir / path / "index.html").read_text(encoding="utf-8"))


def host(url: str) -> str:
    return (urlparse(url).hostname or "").removeprefix("www.")


@pytest.mark.parametrize(("item_id", "words", "official"), REQUIRED, ids=[r[0] for r in REQUIRED])
def test_governance_page_covers_each_rule_with_its_primary_source(
    built_site: BuildResult, item_id: str, words: tuple[str, ...], official: str
):
    tree = page(built_site, "chapters/governance-and-legal")
    entry = tree.css_first(f"#law-{item_id}")
    assert entry is not None, f"no entry #law-{item_id} on the governance page"
    text = entry.text(separator=" ")
    for word in words:
        assert word in text, f"#law-{item_id} does not mention {word!r}"
    labels = [dt.text() for dt in entry.css("dt")]
    for label in ("What it requires", "Whom it binds", "Since", "Primary source", "Last checked"):
        assert label in labels
    links = [a.attributes["href"] for a in entry.css("dd.pb-primary a")]
    assert any(host(url) == official or host(url).endswith("." + official) for url in links), links


def test_last_checked_shows_a_date_only_where_the_primary_source_was_read(built_site: BuildResult):
    tree = page(built_site, "chapters/governance-and-legal")
    items = legal.load_law(DATA)
    assert {i.id for i in items} >= {r[0] for r in REQUIRED}
    for item in items:
        shown = tree.css_first(f"#law-{item.id} dd.pb-checked").text()
        if item.last_checked:
            assert shown.startswith(item.last_checked.isoformat())
            primary_read = [p for p in item.read if legal.is_official(str(p.url))]
            assert any(p.date == item.last_checked for p in primary_read)
        else:
            assert shown.startswith("not yet checked"), (item.id, shown)
        # every page we read is listed with the day we read it
        for read in item.read:
            assert tree.css_first(f'#law-{item.id} a[href="{read.url}"]') is not None
    summary = tree.css_first("table.pb-law-summary")
    assert len(summary.css("tbody tr")) == len(items)


def test_governance_page_states_its_scope_and_presents_the_vendor_view_as_a_view(
    built_site: BuildResult,
):
    tree = page(built_site, "chapters/governance-and-legal")
    text = " ".join(tree.css_first("article").text(separator=" ").split())
    assert "covers the United States, the European Union and the United Kingdom" in text
    assert "check your own law with counsel" in text
    sentence = next(s for s in text.split(". ") if "rarely a showstopper" in s)
    assert "holds that" in sentence
    # the chapter's own prose cites the seeds as sources by name and year (figures cite their data)
    source = (ROOT / "docs/chapters/governance-and-legal.md").read_text(encoding="utf-8").lower()
    assert "seed 00" not in source


@pytest.mark.parametrize(
    "path",
    [
        "chapters/governance-and-legal",
        "chapters/recent-cases",
        "chapters/tough-questions/legal",
        "chapters/tough-questions/board",
        "chapters/tough-questions/cio",
        "chapters/tough-questions/chro",
    ],
)
def test_legal_pages_carry_the_orientation_warning(built_site: BuildResult, path: str):
    titles = [
        n.text().strip()
        for n in page(built_site, path).css(".admonition.warning .admonition-title")
    ]
    assert WARNING_TITLE in titles


@pytest.mark.parametrize("role", ["legal", "board", "cio", "chro"])
def test_role_pages_link_to_the_rules_they_summarise(built_site: BuildResult, role: str):
    tree = page(built_site, f"chapters/tough-questions/{role}")
    section = tree.css_first(f"#{role}-law-2026")
    assert section is not None
    gov = (built_site.site_dir / "chapters/governance-and-legal/index.html").read_text(
        encoding="utf-8"
    )
    anchors = [
        a.attributes["href"].split("#", 1)[1]
        for a in tree.css('a[href*="governance-and-legal/#law-"]')
    ]
    assert anchors, f"the {role} page links to no rule"
    for anchor in anchors:
        assert f'id="{anchor}"' in gov


def test_recent_cases_page_has_four_recent_cases_of_each_kind_with_sources(built_site: BuildResult):
    tree = page(built_site, "chapters/recent-cases")
    cases = tree.css(".pb-case")
    assert len(cases) >= 4
    kinds: set[str] = set()
    for case in cases:
        assert case.attributes["id"].startswith("case-")
        assert int(case.attributes["data-year"]) >= 2018
        kinds.update(case.attributes["data-kinds"].split())
        labels = [dt.text() for dt in case.css("dt")]
        assert labels == ["When", "What they did", "What happened", "What to learn", "Sources"]
        sources = case.css("ul.pb-case-sources li")
        assert sources and all(s.css_first("a[href^='http']") for s in sources)
    assert kinds >= {"regulated", "b2b", "public-sector", "failed"}
    governance = (built_site.site_dir / "chapters/governance-and-legal/index.html").read_text(
        encoding="utf-8"
    )
    assert 'href="../recent-cases/"' in governance


def _law_file(tmp_path: Path, old: str, new: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    text = (DATA / "law.yml").read_text(encoding="utf-8")
    assert old in text
    (data / "law.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def test_a_primary_source_off_the_official_domains_is_refused_with_file_and_line(tmp_path):
    data = _law_file(tmp_path, "url: https://www.nlrb.gov/", "url: https://www.example.com/")
    with pytest.raises(
        DataError,
        match=r"data/law.yml', line \d+: item 'us-nlrb-work-rules'.*not an official source",
    ):
        legal.load_law(data)


def test_a_last_checked_date_needs_the_primary_page_read_that_day(tmp_path):
    data = _law_file(
        tmp_path,
        "last_checked: 2026-12-02\n  check: >-\n    We read",
        "last_checked: 2026-11-01\n  check: >-\n    We read",
    )
    with pytest.raises(
        DataError,
        match="last_checked is 2026-11-01, but no official page in 'read' was read that day",
    ):
        legal.load_law(data)


def test_a_case_before_2018_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    text = (
        (DATA / "cases.yml")
        .read_text(encoding="utf-8")
        .replace("  year: 2021\n", "  year: 2013\n", 1)
    )
    (data / "cases.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"cases.yml', line \d+: case 'jpmorgan-off-channel'.*2018"):
        legal.load_cases(data)


def test_an_unknown_jurisdiction_fails_the_build_naming_the_page(tmp_path):
    project = copy_project(tmp_path / "project")
    doc = project / "docs/chapters/governance-and-legal.md"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("{{ law('UK') }}", "{{ law('FR') }}"),
        encoding="utf-8",
    )
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert "chapters/governance-and-legal.md" in result.text
    assert "law('FR') is unknown; use one of US, EU, UK" in result.text
