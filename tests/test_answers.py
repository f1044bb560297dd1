"""Model answers on the role cards, the objection finder, practitioner citations and stat() kinds.

Data tests read data/roles.yml and data/objections.yml through the real loaders; page tests read
the session's strict build (tests/conftest.py) with selectolax.
"""

from __future__ import annotations

import posixpath
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from selectolax.lexbor import LexborHTMLParser
from sitebuild import ROOT, build_site, copy_project

from playbook.data import QUOTE_FROM_YEAR, DataError, load_catalog
from playbook.playdata import (
    ROLES,
    Objection,
    Question,
    check_evidence,
    load_objections,
    load_roles,
    objections_for,
    sentence_count,
)

DATA = ROOT / "data"
DOCS = ROOT / "docs"
CARDS = load_roles(DATA)
OBJECTIONS = load_objections(DATA)
QUESTIONS = [(role, n, q) for role in ROLES for n, q in enumerate(CARDS[role].questions, start=1)]
# Pages two other engineers rewrite (and clean of seed labels) in parallel: see the report.
REWRITTEN_ELSEWHERE = {
    "chapters/governance-and-legal.md",
    "chapters/technographics.md",
    "chapters/natives-and-immigrants.md",
    "chapters/persistence-and-timing.md",
}
SOURCES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def built_page(site: Path, src: str) -> Path:
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


def parse(site: Path, src: str) -> LexborHTMLParser:
    return LexborHTMLParser(built_page(site, src).read_text(encoding="utf-8"))


def resolve(src: str, href: str) -> tuple[str, str]:
    """(built page path relative to the site, fragment) for a link found on page `src`."""
    page_dir = posixpath.dirname(built_page(Path(""), src).as_posix())
    path, _, fragment = href.partition("#")
    target = (
        posixpath.normpath(posixpath.join(page_dir, path))
        if path
        else built_page(Path(""), src).as_posix()
    )
    if not target.endswith(".html"):
        target = posixpath.join(target, "index.html")
    return target, fragment


# --- The data ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "n", "question"), QUESTIONS, ids=[f"{r}-q{n}" for r, n, _ in QUESTIONS]
)
def test_every_question_has_an_answer_of_two_to_four_sentences_and_a_pushback_line(
    role, n, question
):
    assert 2 <= sentence_count(question.answer) <= 4, (role, n, question.answer)
    assert question.if_pushed.strip() and "\n" not in question.if_pushed
    assert question.evidence or question.evidence_note, (role, n)
    assert not any(ch.isdigit() for ch in question.answer + question.if_pushed)


def test_all_eight_roles_are_answered():
    assert set(CARDS) == set(ROLES)
    assert len(QUESTIONS) >= 8 * 4


def test_every_evidence_id_resolves():
    stats = load_catalog(DATA, date(2026, 12, 2)).stats
    check_evidence(CARDS, OBJECTIONS, stats)  # raises DataError naming the file and entry otherwise
    ids = [i for _, _, q in QUESTIONS for i in q.evidence] + [
        i for o in OBJECTIONS for i in o.evidence
    ]
    assert ids and all(i in stats for i in ids)


def test_an_unknown_evidence_id_names_the_file_the_question_and_a_close_id():
    stats = load_catalog(DATA, date(2026, 12, 2)).stats
    card = CARDS["cfo"]
    bad = card.model_copy(
        update={
            "questions": (
                card.questions[0].model_copy(update={"evidence": ("cmos-no-proof-2015",)}),
            )
        }
    )
    with pytest.raises(DataError) as caught:
        check_evidence({"cfo": bad}, [], stats)
    message = str(caught.value)
    assert "data/roles.yml" in message and "role 'cfo', question 1" in message
    assert "Did you mean 'cmos-no-proof-2014'?" in message


def test_a_framework_count_is_not_evidence():
    stats = load_catalog(DATA, date(2026, 12, 2)).stats
    card = CARDS["ceo"]
    bad = card.model_copy(
        update={
            "questions": (
                card.questions[0].model_copy(update={"evidence": ("key-actions-win-ceos",)}),
            )
        }
    )
    with pytest.raises(DataError, match="kind: framework"):
        check_evidence({"ceo": bad}, [], stats)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("Only one sentence here.", "the answer has 1 sentences; write 2 to 4"),
        ("One. Two. Three. Four. Five.", "the answer has 5 sentences"),
        ("It costs little. About 40 hours a month.", "number typed into it"),
    ],
)
def test_an_answer_outside_the_rules_is_refused_with_the_fix(answer, fragment):
    with pytest.raises(ValidationError) as caught:
        Question(
            question="Q?", answer=answer, if_pushed="Fine.", evidence_note="None.", checklist=("x",)
        )
    assert fragment in str(caught.value)


def test_a_question_without_evidence_or_a_note_is_refused():
    with pytest.raises(ValidationError, match="evidence_note"):
        Question(question="Q?", answer="One. Two.", if_pushed="Fine.", checklist=("x",))


def test_objections_are_many_unique_grouped_and_linked_to_plays():
    assert len(OBJECTIONS) >= 20
    ids = [o.id for o in OBJECTIONS]
    assert len(set(ids)) == len(ids) and all(i.startswith("objection-") for i in ids)
    assert len({o.group for o in OBJECTIONS}) >= 4
    for role in ROLES:
        assert objections_for(role, OBJECTIONS), f"no objection links to the {role} card"
    for needed in ("young", "legal", "budget", "measure", "crisis", "fad", "time", "competitors"):
        assert any(needed in o.said.lower() for o in OBJECTIONS), needed


def test_an_objection_leads_with_its_newest_evidence():
    """Where an objection cites any figure from 2021 on, one of those comes first; a figure cited
    only for its history follows. Old findings stay only with a note or beside newer ones."""
    stats = load_catalog(DATA, date(2026, 12, 2)).stats
    for objection in OBJECTIONS:
        years = [stats[i].age_year or 0 for i in objection.evidence]
        if any(year >= QUOTE_FROM_YEAR for year in years):
            assert years[0] >= QUOTE_FROM_YEAR, (objection.id, objection.evidence)
        elif any(
            stats[i].kind != "rule" for i in objection.evidence
        ):  # a rule in force is not old data
            assert objection.evidence_note, (
                f"{objection.id} rests on old figures only: add an evidence_note"
            )


def test_an_objection_with_a_bad_id_or_play_link_is_refused():
    base = OBJECTIONS[0].model_dump()
    with pytest.raises(ValidationError, match="objection-no-budget"):
        Objection(**{**base, "id": "no-budget"})
    with pytest.raises(ValidationError, match="play anchor"):
        Objection(**{**base, "plays": ("chapters/value-and-roi.md#why",)})


# --- The built pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_role_page_shows_answer_pushback_evidence_checklist_and_objections(built_site, role):
    src = CARDS[role].page
    tree = parse(built_site.site_dir, src)
    article = tree.css_first("article")
    text = " ".join(article.text(separator=" ").split())
    for n, question in enumerate(CARDS[role].questions, start=1):
        heading = tree.css_first(f"h3#{role}-q{n}")
        assert heading is not None
        assert " ".join(question.answer.split()) in text
        assert question.if_pushed in text
        for item in question.checklist:
            assert item in text
    rests = tree.css("div.pb-rests")
    assert len(rests) == len(CARDS[role].questions)
    cited = {node.attributes["data-stat"] for node in article.css("div.pb-rests .pb-stat")}
    assert cited == {i for q in CARDS[role].questions for i in q.evidence}
    links = [a.attributes["href"] for a in tree.css(f"h3#{role}-objections + p + ul a")]
    expected = {o.id for o in objections_for(role, OBJECTIONS)}
    assert {resolve(src, href)[1] for href in links} == expected
    objections_page = built_page(Path(""), "chapters/objections.md").as_posix()
    assert {resolve(src, href)[0] for href in links} == {objections_page}


def test_objections_page_has_every_entry_with_reply_and_play_links_that_exist(built_site):
    site = built_site.site_dir
    src = "chapters/objections.md"
    tree = parse(site, src)
    entries = tree.css('h3[id^="objection-"]')
    ids = [h.attributes["id"] for h in entries]
    assert len(ids) >= 20 and len(set(ids)) == len(ids)
    assert ids == [o.id for o in OBJECTIONS]
    html = built_page(site, src).read_text(encoding="utf-8")
    for objection in OBJECTIONS:
        section = html.split(f'id="{objection.id}"', 1)[1].split("<h3", 1)[0].split("<h2", 1)[0]
        part = LexborHTMLParser(section)
        hrefs = [
            a.attributes["href"]
            for a in part.css("a")
            if "#play-" in (a.attributes.get("href") or "")
        ]
        assert len(hrefs) == len(objection.plays), objection.id
        for href in hrefs:
            target, fragment = resolve(src, href)
            page = site / target
            assert page.is_file(), (objection.id, href)
            assert LexborHTMLParser(page.read_text(encoding="utf-8")).css_first(f"#{fragment}"), (
                href
            )
        assert "The concern under it:" in part.text() and "Reply:" in part.text()
    assert 'href="#objection-too-young"' in html  # the index at the top links every entry


@pytest.mark.parametrize("src", SOURCES)
def test_no_built_page_names_a_seed(built_site, src):
    """Reader pages cite like a business book; seed labels live only in data/traceability/.

    Until the rewrites of the four pages in REWRITTEN_ELSEWHERE and the stats records' source
    fields are merged, those pages (and pages citing those records) still fail here."""
    html = built_page(built_site.site_dir, src).read_text(encoding="utf-8")
    assert "seed 00" not in html.lower()


@pytest.mark.parametrize("src", [s for s in SOURCES if s not in REWRITTEN_ELSEWHERE])
def test_no_page_source_names_a_seed(src):
    """The Markdown this branch owns names no seed: only data fields and the rewritten pages may."""
    assert "seed 00" not in (DOCS / src).read_text(encoding="utf-8").lower()


def test_no_framework_count_is_rendered_as_a_figure(built_site):
    stats = load_catalog(DATA, date(2026, 12, 2)).stats
    counts = {i for i, s in stats.items() if s.kind == "framework"}
    assert counts, "the stats data should hold framework records"
    for page in built_site.site_dir.rglob("*.html"):
        if page.parts[-2:] == ("sources", "index.html") or "reports" in page.parts:
            continue  # the Sources page and the reports list every record, by design
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        shown = {node.attributes.get("data-stat") for node in tree.css(".pb-stat")}
        assert not shown & counts, (page, shown & counts)


def test_stat_on_a_framework_count_fails_the_build_with_the_fix(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "chapters" / "show-and-tell.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nThe post lists {{ stat('key-actions-win-ceos') }}.\n",
        encoding="utf-8",
    )
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert "chapters/show-and-tell.md" in result.text
    assert "stat('key-actions-win-ceos')" in result.text and "plain words" in result.text
