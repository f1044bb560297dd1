"""The playbook's content rules, checked on the built site and the docs sources.

No copied seed sentences; executive pages readable at business-newspaper level; every inventory
item traced to a page section (or left out with a reason); every play in the standard shape;
every page owned and dated; the review report; the onboarding registry.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser
from sitebuild import ROOT, BuildResult, build_site, copy_project
from support import copycheck, readability, traceability

from playbook.cli import main as playbook_main
from playbook.data import SEED_FILES, DataError
from playbook.frontmatter import FrontMatterError, check_meta, read_meta

DOCS = ROOT / "docs"
DATA = ROOT / "data"
# The seeds' fingerprint, committed (scripts/seed_fingerprints.py writes it from the seed posts):
# no test reads anything outside the repository.
SEED_FINGERPRINTS = ROOT / "tests" / "data" / "seed-fingerprints.txt"
ARTICLE = "article.md-content__inner"
PLAY_PARTS = ("why", "how", "questions", "time", "pitfalls", "sources")
DOC_PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
EXECUTIVE_PAGES = [src for src in DOC_PAGES if read_meta(DOCS / src).get("audience") == "executive"]


def built_page(site_dir: Path, src: str) -> Path:
    """The HTML file MkDocs writes for a docs page (use_directory_urls)."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site_dir / f"{stem}.html"
    return site_dir / stem / "index.html"


def ids_of(html_file: Path) -> set[str]:
    tree = LexborHTMLParser(html_file.read_text(encoding="utf-8"))
    return {node.attributes["id"] for node in tree.css("[id]")}


# --- Copying: no run of 12 or more words shared with a seed, except quotes ---------------------

SEED = {
    "seed.txt": "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron."
}


def test_copy_check_finds_a_run_of_twelve_words():
    text = (
        "We said: alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu, then stopped."
    )
    runs = copycheck.check_pages([("page.md", text)], SEED)
    assert [(r.page, r.seed, r.text) for r in runs] == [
        (
            "page.md",
            "seed.txt",
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu",
        )
    ]


def test_copy_check_allows_eleven_words():
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda, and then our own words"
    assert copycheck.check_pages([("page.md", text)], SEED) == []


def test_copy_check_reports_the_whole_run_once_despite_case_markup_and_apostrophes():
    seeds = {
        "s.txt": "It\u2019s the one thing that matters: bring the facts, the examples and the experience every time."
    }
    text = "<p>IT'S the <em>one</em> thing that <a href='#'>matters</a>; bring the facts, the examples and the experience every time.</p>"
    runs = copycheck.check_pages([("p.md", copycheck.unquoted_text(text))], seeds)
    assert len(runs) == 1
    assert (
        runs[0].text
        == "it's the one thing that matters bring the facts the examples and the experience every time"
    )


def test_copy_check_leaves_out_inline_quotes_and_blockquotes():
    copied = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu"
    html = f"<p>As one reader put it, <q>{copied}</q>.</p><blockquote><p>{copied}</p></blockquote>"
    assert copycheck.check_pages([("p.md", copycheck.unquoted_text(html))], SEED) == []
    assert (
        len(copycheck.check_pages([("p.md", copycheck.unquoted_text(f"<p>{copied}</p>"))], SEED))
        == 1
    )


def test_copy_check_leaves_out_cited_titles_and_url_link_text():
    title = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    html = (
        f"<p>Seed 000: <cite>{title}</cite>, 2008. "
        '<a href="https://x.example/a">https://x.example/alpha/beta-gamma-delta-epsilon-zeta-'
        "eta-theta-iota-kappa-lambda-mu.html</a></p>"
    )
    assert copycheck.check_pages([("p.md", copycheck.unquoted_text(html))], SEED) == []
    linked = f'<p><a href="https://x.example/">{title}</a></p>'  # ordinary link text is prose
    assert len(copycheck.check_pages([("p.md", copycheck.unquoted_text(linked))], SEED)) == 1


def test_copy_check_finds_the_source_line_of_a_run():
    source = (
        "---\nowner: x\n---\n\n# Title\n\nSome *alpha* beta [gamma](x.md) delta epsilon zeta eta.\n"
    )
    run = copycheck.CopiedRun(
        "p.md", "s.txt", ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")
    )
    assert copycheck.source_line(source, run) is None  # the link target sits between the words
    run = copycheck.CopiedRun("p.md", "s.txt", ("some", "alpha", "beta"))
    assert copycheck.source_line(source, run) == 7


def test_copy_check_needs_the_seed_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"seed folder .* is missing"):
        copycheck.load_seeds(tmp_path / "no-such-folder")


def test_seed_fingerprints_round_trip_and_find_the_same_runs(tmp_path):
    path = tmp_path / "fingerprints.txt"
    index = copycheck.seed_index(SEED)
    path.write_text("".join(copycheck.fingerprint_lines(index)), encoding="utf-8")
    assert "alpha" not in path.read_text(encoding="utf-8")  # hashes only, no seed text
    assert copycheck.read_fingerprints(path) == (index, copycheck.MIN_RUN)
    text = "So: Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu, we said."
    runs = copycheck.find_copies([("p.md", text)], index)
    assert [(r.seed, len(r.words)) for r in runs] == [("seed.txt", 13)]
    (tmp_path / "bad.txt").write_text("n 12\nnot-a-hash\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt, line 2: expected"):
        copycheck.read_fingerprints(tmp_path / "bad.txt")


def test_committed_seed_fingerprints_cover_every_seed():
    index, n = copycheck.read_fingerprints(SEED_FINGERPRINTS)
    assert n == copycheck.MIN_RUN
    assert len(index) > 3000, (
        "the fingerprint file looks truncated; rerun scripts/seed_fingerprints.py"
    )
    assert sorted(set(index.values())) == sorted(SEED_FILES)


def test_no_page_copies_a_run_of_words_from_a_seed(built_site: BuildResult):
    index, n = copycheck.read_fingerprints(SEED_FINGERPRINTS)
    pages = []
    for src in DOC_PAGES:
        html = built_page(built_site.site_dir, src).read_text(encoding="utf-8")
        pages.append((src, copycheck.unquoted_text(html, ARTICLE)))
    problems = []
    for run in copycheck.find_copies(pages, index, n):
        line = copycheck.source_line((DOCS / run.page).read_text(encoding="utf-8"), run)
        where = f"line {line}" if line else "text from a macro or data file"
        problems.append(
            f"docs/{run.page} ({where}): {len(run.words)} words in a row from seed {run.seed}: "
            f'"{run.text}". Rewrite it in your own words, or mark a short credited quote with <q>...</q>.'
        )
    assert problems == [], "\n".join(problems)


# --- Readability of executive-facing pages -------------------------------------------------------


def test_syllables_come_from_the_dictionary_with_a_fallback():
    assert [readability.syllables(w) for w in ("the", "every", "executive", "organisation")] == [
        1,
        3,
        4,
        5,
    ]
    assert readability.syllables("technographics") >= 4  # not in the dictionary: pyphen's guess


def test_scores_use_the_standard_formulas():
    scores = readability.score("The cat sat on the mat. The dog ran to the park.")
    assert (scores.words, scores.sentences, scores.syllables) == (12, 2, 12)
    assert scores.grade == round(0.39 * 6 + 11.8 * 1 - 15.59, 1)
    assert scores.reading_ease == round(206.835 - 1.015 * 6 - 84.6 * 1, 1)


def test_prose_text_leaves_out_tables_citations_and_source_lists():
    html = (
        '<article class="md-content__inner"><h2 id="a">Key figures<a class="headerlink">¶</a></h2>'
        '<p>Costs matter<sup class="pb-cite"><a>[1]</a></sup></p><table><tr><td>Figure 12</td></tr></table>'
        "<ul><li>Ask early</li><li>Ask often.</li></ul><pre><code>x = 1</code></pre>"
        '<h2 id="sources-cited">Sources</h2><ol class="pb-sources"><li>A report</li></ol></article>'
    )
    assert readability.prose_text(html) == "Key figures. Costs matter. Ask early. Ask often."


def test_there_are_executive_pages_to_measure():
    assert "toolkit/executive-brief.md" in EXECUTIVE_PAGES
    assert sum(src.startswith("chapters/tough-questions/") for src in EXECUTIVE_PAGES) == 8


@pytest.mark.parametrize("src", EXECUTIVE_PAGES)
def test_executive_page_reads_at_business_newspaper_level(built_site: BuildResult, src: str):
    html = built_page(built_site.site_dir, src).read_text(encoding="utf-8")
    scores = readability.score(readability.prose_text(html))
    assert scores.meets_targets(), (
        f"docs/{src}: Flesch-Kincaid grade {scores.grade} (target <= {readability.MAX_GRADE}), "
        f"Flesch Reading Ease {scores.reading_ease} (target >= {readability.MIN_READING_EASE}); "
        f"{scores.words} words in {scores.sentences} sentences. Use shorter sentences and plainer words."
    )


# --- Traceability: every inventory item has a home, or a reason -----------------------------------


def test_traceability_entries_load_with_file_and_line(tmp_path):
    folder = tmp_path / "data" / "traceability"
    folder.mkdir(parents=True)
    (folder / "x.yml").write_text(
        "- {item: 1, page: chapters/a.md, anchor: play-a}\n"
        '- {item: 2, left_out: "Covered by item 1."}\n'
        "- item: 3\n"
        "  page: chapters/a.md\n"
    )
    with pytest.raises(DataError) as info:
        traceability.load_all(tmp_path / "data")
    assert str(info.value).startswith(
        "Error reading data file 'data/traceability/x.yml', line 3: item 3:"
    )
    assert "give page and anchor" in str(info.value)
    (folder / "x.yml").write_text(
        "- {item: 1, page: chapters/a.md, anchor: play-a}\n- {item: 102, left_out: x}\n"
    )
    with pytest.raises(DataError, match=r"x.yml', line 2: item 102: 'item'"):
        traceability.load_all(tmp_path / "data")
    (folder / "x.yml").write_text(
        "- {item: 1, page: chapters/a.md, anchor: play-a}\n\n- {item: 2, left_out: y}\n"
    )
    entries = traceability.load_all(tmp_path / "data")
    assert [(e.entry.item, e.line) for e in entries] == [(1, 1), (2, 3)]
    assert traceability.unaccounted(entries) == list(range(3, 102))


def test_every_inventory_item_is_mapped_or_left_out_with_a_reason():
    entries = traceability.load_all(DATA)
    missing = traceability.unaccounted(entries)
    assert missing == [], (
        f"Inventory items with no entry in data/traceability/*.yml: {missing}. Map each one "
        "({item, page, anchor}) or leave it out with a reason ({item, left_out})."
    )


def test_every_mapped_anchor_exists_in_the_built_page(built_site: BuildResult):
    problems = []
    for located in traceability.load_all(DATA):
        entry = located.entry
        if entry.left_out is not None:
            continue
        html = built_page(built_site.site_dir, entry.page)
        if not html.is_file():
            problems.append(
                f"{located.where}: item {entry.item}: page '{entry.page}' is not in the site."
            )
        elif entry.anchor not in ids_of(html):
            problems.append(
                f"{located.where}: item {entry.item}: '{entry.page}' has no anchor '#{entry.anchor}'."
            )
    assert problems == [], "\n".join(problems)


# --- Play format ------------------------------------------------------------------------------------


def play_problems(html: str) -> list[str]:
    """What is wrong with each play (H2 with an id starting 'play-') of one built page."""
    tree = LexborHTMLParser(html)
    article = tree.css_first(ARTICLE) or tree.body
    problems = []
    for h2 in article.css("h2"):
        play = h2.attributes.get("id") or ""
        if not play.startswith("play-"):
            continue
        section, node = [], h2.next
        while node is not None and node.tag != "h2":
            if not node.tag.startswith(("-", "!")):  # skip text and comment nodes
                section.append(node)
            node = node.next
        first = section[0] if section else None
        classes = (first.attributes.get("class") or "").split() if first is not None else []
        if not {"admonition", "abstract"} <= set(classes):
            problems.append(
                f"'{play}' does not start with the '!!! abstract \"The 60-second version\"' box"
            )
        found = [n.attributes.get("id") for n in section if n.tag == "h3"]
        expected = [f"{play}-{part}" for part in PLAY_PARTS]
        if found != expected:
            problems.append(f"'{play}' has the H3 parts {found}; expected {expected} in that order")
    return problems


def test_play_checker_catches_a_missing_box_and_parts_out_of_order():
    good = "".join(f'<h3 id="play-x-{p}">{p}</h3><p>text</p>' for p in PLAY_PARTS)
    page = f'<article class="md-content__inner"><h2 id="play-x">X</h2>\n<div class="admonition abstract"><p>A</p></div>{good}<h2 id="other">O</h2><h3 id="o">o</h3></article>'
    assert play_problems(page) == []
    assert play_problems(page.replace('<div class="admonition abstract">', "<div>")) == [
        "'play-x' does not start with the '!!! abstract \"The 60-second version\"' box"
    ]
    swapped = page.replace('id="play-x-why"', 'id="tmp"').replace(
        'id="play-x-how"', 'id="play-x-why"'
    )
    assert len(play_problems(swapped.replace('id="tmp"', 'id="play-x-how"'))) == 1


def test_every_play_has_the_box_and_the_six_parts_in_order(built_site: BuildResult):
    chapters = [src for src in DOC_PAGES if src.startswith("chapters/")]
    problems, plays = [], 0
    for src in chapters:
        html = built_page(built_site.site_dir, src).read_text(encoding="utf-8")
        plays += len(LexborHTMLParser(html).css(f'{ARTICLE} h2[id^="play-"]'))
        problems += [f"docs/{src}: {problem}" for problem in play_problems(html)]
    assert plays > 0, "no plays found under docs/chapters"
    assert problems == [], "\n".join(problems)


# --- Front matter -----------------------------------------------------------------------------------


def test_every_page_has_owner_review_dates_and_summary(built_site: BuildResult):
    problems = []
    for src in DOC_PAGES:
        try:
            meta = check_meta(src, read_meta(DOCS / src))
        except FrontMatterError as exc:
            problems.append(str(exc))
            continue
        tree = LexborHTMLParser(built_page(built_site.site_dir, src).read_text(encoding="utf-8"))
        aside = tree.css_first("aside.pb-page-meta")
        if aside is None:
            problems.append(f"docs/{src}: the built page shows no owner and review dates")
            continue
        shown = [t.attributes.get("datetime") for t in aside.css("time")]
        if meta.owner not in aside.text() or shown != [
            meta.last_reviewed.isoformat(),
            meta.review_by.isoformat(),
        ]:
            problems.append(f"docs/{src}: the built page shows {aside.text(separator=' ')!r}")
    assert problems == [], "\n".join(problems)
    assert not [m for m in built_site.messages if "front matter" in m]


# --- Review report ----------------------------------------------------------------------------------


def test_review_command_lists_overdue_pages_as_of_a_fixed_date(capsys):
    today = date(2099, 1, 1)
    assert playbook_main(["review", "--docs", str(DOCS), "--date", today.isoformat()]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Pages past their review date as of 2099-01-01:\n")
    meta = check_meta("start-here.md", read_meta(DOCS / "start-here.md"))
    days = (today - meta.review_by).days
    assert (
        f"  start-here.md: review by {meta.review_by.isoformat()} ({days} days ago), owner {meta.owner}\n"
        in out
    )
    assert out.count("review by") == len(DOC_PAGES)


def test_review_command_with_nothing_overdue_exits_0(capsys):
    assert playbook_main(["review", "--docs", str(DOCS), "--date", "2000-01-01"]) == 0
    assert capsys.readouterr().out == "No page is past its review date as of 2000-01-01.\n"


def test_overdue_page_is_listed_on_the_review_page_and_the_build_still_passes(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")  # the review list is logged at INFO
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "start-here.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("last_reviewed: 2026-11-01", "last_reviewed: 2019-06-01", 1)
    page.write_text(
        text.replace("review_by: 2027-05-01", "review_by: 2020-01-01", 1), encoding="utf-8"
    )
    result = build_site(project, tmp_path / "site")
    assert result.ok, result.text
    assert result.warnings == []
    due = "Page 'start-here.md' (owner: Communications team) was due for review on 2020-01-01"
    assert [m for m in result.messages if m.endswith(due)], "\n".join(result.messages)
    tree = LexborHTMLParser((tmp_path / "site" / "reports" / "review" / "index.html").read_text())
    rows = [
        [td.text(strip=True) for td in tr.css("td")] for tr in tree.css("table.pb-review tbody tr")
    ]
    assert rows[0][:3] == ["Start here", "Communications team", "2020-01-01"]
    assert tree.css_first('table.pb-review a[href="../../start-here/"]') is not None


def test_built_review_page_is_dated_by_the_build(built_site: BuildResult):
    html = (built_site.site_dir / "reports" / "review" / "index.html").read_text()
    assert '<p class="pb-report-date">As of the build date, ' in html


# --- Onboarding registry ------------------------------------------------------------------------------


def test_every_onboarding_link_resolves_in_the_built_site(built_site: BuildResult):
    text = (DATA / "onboarding-links.yml").read_text(encoding="utf-8")
    entries = yaml.compose(text).value
    assert entries, "data/onboarding-links.yml lists no links"
    problems = []
    for node in entries:
        fields = {k.value: v.value for k, v in node.value}
        url, line = fields["url"], node.start_mark.line + 1
        path, _, anchor = url.partition("#")
        target = built_site.site_dir / (
            path + "index.html" if path.endswith("/") or not path else path
        )
        if not target.is_file():
            problems.append(f"data/onboarding-links.yml, line {line}: '{url}': no page at '{path}'")
        elif anchor and anchor not in ids_of(target):
            problems.append(
                f"data/onboarding-links.yml, line {line}: '{url}': no anchor '#{anchor}'"
            )
    assert problems == [], "\n".join(problems)
