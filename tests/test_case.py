"""The worked case (docs/case/, data/case/northwind.yml) and the measurement worksheet.

The numbers are read back from the built pages, as a reader sees them, and must add up; a copy of
the project with one input changed must show new totals; a bad record must fail the build with the
file and the line. Every number on a case page is either a labelled case figure, a cited research
figure or a year.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser
from sitebuild import ROOT, BuildResult, build_site, copy_project

from playbook import case
from playbook.brief.print_cli import print_chapter
from playbook.data import DataError

DATA = ROOT / "data"
CASE_YML = DATA / "case" / "northwind.yml"
CASE_PAGES = sorted(
    p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / "case").glob("*.md")
)
ARTICLE = "article.md-content__inner"


def html_of(site: Path, src: str) -> LexborHTMLParser:
    stem = src.removesuffix(".md").removesuffix("index").rstrip("/")
    path = site / stem / "index.html"
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def number(text: str) -> float:
    """'£12,345' -> 12345, '−£1,344' -> -1344, '14%' -> 14, '3,060 calls' -> 3060."""
    match = re.search(r"([+\u2212-]?)[^\d]*([\d,]+(?:\.\d+)?)", text)
    assert match, f"no number in {text!r}"
    value = float(match.group(2).replace(",", ""))
    return -value if match.group(1) in ("\u2212", "-") else value


def figure(tree: LexborHTMLParser, name: str) -> float:
    node = tree.css_first(f'[data-case="{name}"]')
    assert node is not None, f"{name} is not on the page"
    return number(node.text())


def test_the_case_has_an_index_and_eight_steps_in_the_nav(built_site: BuildResult) -> None:
    assert len(CASE_PAGES) == 9
    nav = html_of(built_site.site_dir, "case/index.md").css("nav.md-nav a.md-nav__link")
    titles = [a.text(strip=True) for a in nav]
    for step in range(1, 9):
        assert any(t.startswith(f"Step {step}.") for t in titles), titles


@pytest.mark.parametrize("src", CASE_PAGES)
def test_every_case_number_is_labelled_or_cited(built_site: BuildResult, src: str) -> None:
    tree = html_of(built_site.site_dir, src)
    article = tree.css_first(ARTICLE)
    assert "Illustrative case: every number is an assumption" in article.text()
    for value in article.css(".pb-case__value"):
        holder = value.parent
        labelled = (
            holder.css_first(".pb-case__tag")
            if "pb-case" in (holder.attributes.get("class") or "")
            else None
        )
        in_table = any(a.tag == "table" for a in _ancestors(value))
        assert labelled is not None or in_table, f"{value.attributes['data-case']} has no label"
    for table in article.css(".pb-case-table table"):
        assert table.css_first("caption .pb-case__tag") is not None
    # What is left once labelled figures, cited research, code and the page's own furniture are
    # removed holds no number but a year: nothing is typed into the prose.
    for selector in (
        ".pb-case",
        ".pb-case-table",
        ".pb-stat",
        "code",
        ".pb-sources",
        ".pb-page-meta",
        "h1",
        ".headerlink",
        ".md-source-file",
        "script",
    ):
        for node in article.css(selector):
            node.decompose()
    text = re.sub(r"\b(19|20)\d\d\b", "", article.text(separator=" "))
    assert re.findall(r".{0,30}\d.{0,30}", text) == []


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def test_pilot_numbers_add_up_as_shown(built_site: BuildResult) -> None:
    pilot = html_of(built_site.site_dir, "case/pilot.md")
    lines = case.load_case(DATA).costs
    total = 0.0
    for line in lines:
        shown = figure(pilot, f"cost.{line.id}.total")
        assert shown == figure(pilot, f"cost.{line.id}.quantity") * figure(
            pilot, f"cost.{line.id}.unit_cost"
        )
        total += shown
    assert figure(pilot, "cost.total") == total
    cost_per_call = case.load_case(DATA).calls.cost_per_call
    for scenario in ("cautious", "expected"):

        def f(key: str, s: str = scenario) -> float:
            return figure(pilot, f"{s}.{key}")

        assert f("cost") == total
        assert f("net") == f("savings") - f("cost")
        assert f("savings") == round(f("calls_avoided") * cost_per_call)
        assert f("cost_per_fix") == round(f("cost") / f("fixed"))
        assert f("fixed") <= f("actionable") <= f("mentions")
    for key in ("mentions", "fixed", "calls_avoided", "savings", "net"):
        assert figure(pilot, f"difference.{key}") == figure(pilot, f"expected.{key}") - figure(
            pilot, f"cautious.{key}"
        )


def test_review_adds_the_unplanned_costs_and_compares_with_both_scenarios(
    built_site: BuildResult,
) -> None:
    review = html_of(built_site.site_dir, "case/review.md")
    pilot = html_of(built_site.site_dir, "case/pilot.md")
    assert figure(review, "review.cost") == figure(pilot, "cost.total") + figure(
        review, "review.unplanned.total"
    )
    assert figure(review, "review.net") == figure(review, "review.savings") - figure(
        review, "review.cost"
    )
    assert figure(review, "review.vs_cautious.net") == figure(review, "review.net") - figure(
        pilot, "cautious.net"
    )
    text = review.css_first(ARTICLE).text()
    assert "What went wrong" in text


def test_the_same_figure_reads_the_same_on_every_case_page(built_site: BuildResult) -> None:
    seen: dict[str, str] = {}
    for src in CASE_PAGES:
        for node in html_of(built_site.site_dir, src).css("[data-case]"):
            name, text = node.attributes["data-case"], node.text()
            assert seen.setdefault(name, text) == text, (
                f"{name} reads {text!r} on {src}, {seen[name]!r} before"
            )
    assert {"cost.total", "expected.net", "cautious.net", "measure.listening.target"} <= set(seen)


def test_changing_one_input_changes_every_total_that_depends_on_it(tmp_path: Path) -> None:
    before = case.figures(case.load_case(DATA))
    project = copy_project(tmp_path / "project")
    yml = project / "data" / "case" / "northwind.yml"
    text = yml.read_text()
    line = case.load_case(DATA).costs[0]
    old = f"quantity: {line.quantity:g}\n    unit: {line.unit}\n    unit_cost: {line.unit_cost:g}"
    assert old in text
    yml.write_text(
        text.replace(
            old,
            old.replace(f"unit_cost: {line.unit_cost:g}", f"unit_cost: {line.unit_cost + 100:g}"),
        )
    )
    result = build_site(project, tmp_path / "site")
    assert result.ok, result.text
    rise = line.quantity * 100
    pilot = html_of(result.site_dir, "case/pilot.md")
    assert figure(pilot, "cost.total") == before["cost.total"].value + rise
    assert figure(pilot, "cautious.net") == before["cautious.net"].value - rise
    assert figure(pilot, "expected.cost_per_fix") == round(
        (before["cost.total"].value + rise) / before["expected.fixed"].value
    )
    assert (
        figure(pilot, "difference.net") == before["difference.net"].value
    )  # the cost is the same in both
    for src in ("case/brief.md", "case/meeting.md", "case/follow-up.md"):
        assert (
            figure(html_of(result.site_dir, src), "cost.total") == before["cost.total"].value + rise
        )
    assert (
        figure(html_of(result.site_dir, "case/review.md"), "review.cost")
        == before["review.cost"].value + rise
    )


def test_a_bad_case_record_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    yml = project / "data" / "case" / "northwind.yml"
    text = yml.read_text()
    yml.write_text(text.replace("mentions_per_month: 480", "mentions_per_month: lots", 1))
    line = 1 + text[: text.index("mentions_per_month: 480")].count("\n")
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"Error reading data file 'data/case/northwind.yml', line {line}: 'scenarios.mentions_per_month': "
        "Input should be a valid integer, unable to parse string as an integer (expected: a number, "
        "written without units, commas or quotes)"
    ) in result.text
    assert "Traceback" not in result.text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "item: Listening tool licence",
            "item: Listening tool licence for 3 months",
            "'costs.item': 'Listening tool licence for 3 months' holds a digit (text in the case holds no "
            "digits; put the number in a number field)",
        ),
        (
            "  - id: cautious\n",
            "  - id: likely\n",
            "'scenarios.id': Input should be 'cautious' or 'expected'",
        ),
        (
            "  - objective: embracing\n",
            "  - objective: listening\n",
            "'measures': give exactly one measure for each of: listening, talking, energizing, supporting, embracing",
        ),
        (
            "claims_percent: 38",
            "claims_percent: 138",
            "'homework.claims_percent': Input should be less than or equal to 100",
        ),
    ],
)
def test_case_errors_name_the_line_and_the_fix(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = CASE_YML.read_text()
    assert old in text
    (tmp_path / "data" / "case").mkdir(parents=True)
    changed = text.replace(old, new, 1)
    (tmp_path / "data" / "case" / "northwind.yml").write_text(changed)
    with pytest.raises(DataError) as info:
        case.load_case(tmp_path / "data")
    assert str(info.value).startswith("Error reading data file 'data/case/northwind.yml', line ")
    assert message in str(info.value)
    line = int(re.search(r"line (\d+)", str(info.value)).group(1))
    if old.strip().startswith(("item", "claims")):
        assert changed.splitlines()[line - 1].strip().startswith(new.strip())


def test_unknown_case_figure_suggests_the_nearest_name() -> None:
    figs = case.figures(case.load_case(DATA))
    with pytest.raises(
        KeyError, match=re.escape("unknown case figure 'cost.totl'. Did you mean 'cost.total'")
    ):
        case.lookup(figs, "cost.totl")


def test_rounding_is_half_up_and_values_read_naturally() -> None:
    assert [case.whole(x) for x in (0.5, 1.5, 2.5, 2.4)] == [1, 2, 3, 2]
    fmt = case.format_value
    assert fmt(case.Figure(-1344, "currency", True), "£") == "\u2212£1,344"
    assert fmt(case.Figure(14054, "currency", True), "£", signed=True) == "+£14,054"
    assert fmt(case.Figure(6.4, "currency", False), "£") == "£6.40"
    assert fmt(case.Figure(1, "courses", False), "£") == "1 course"
    assert fmt(case.Figure(16.5, "percent", True), "£") == "16.5%"


# --- The measurement worksheet ---------------------------------------------------------------------


def test_worksheet_has_the_columns_an_example_per_objective_and_the_amec_source(
    built_site: BuildResult,
) -> None:
    tree = html_of(built_site.site_dir, "toolkit/measurement-worksheet.md")
    article = tree.css_first(ARTICLE)
    heads = [th.text(strip=True) for th in article.css(".pb-worksheet thead th")]
    assert heads == [
        "Groundswell objective",
        "AMEC level",
        "Outcome measure",
        "Baseline",
        "Target",
        "Date",
        "Data source",
        "Stop condition",
    ]
    for objective in case.OBJECTIVES:
        row = article.css_first(f"tr#measure-{objective}")
        assert row is not None and len(row.css("td")) == 7
        assert all(td.text(strip=True) for td in row.css("td"))
    assert article.css_first('a[href="https://amecorg.com/amecframework/"]') is not None
    assert "Association for the Measurement and Evaluation of Communication" in article.text()
    worksheets = html_of(built_site.site_dir, "toolkit/worksheets.md")
    assert worksheets.css_first('a[href="../measurement-worksheet/"]') is not None
    objective = html_of(built_site.site_dir, "case/objective.md")
    assert objective.css_first(".pb-worksheet tr#measure-listening") is not None  # the case uses it


def test_worksheet_prints_the_blank_sheet_on_its_own_page_and_every_column(
    built_site: BuildResult, browser
) -> None:
    reader = PdfReader(
        io.BytesIO(
            print_chapter(built_site.site_dir, "toolkit/measurement-worksheet/", "a4", browser)
        )
    )
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) <= 4
    blank = next(
        i
        for i, text in enumerate(pages)
        if "Groundswell objective AMEC level Outcome measure" in text
    )
    assert "Fill this in before you cost anything" not in pages[blank]  # a sheet of its own
    examples = next(p for p in pages if "Northwind Mutual Assurance: measurement worksheet" in p)
    for text in ("Stop condition", "Data source", "close the forum politely", "Embracing (later)"):
        assert text in examples, text


def test_unknown_case_figure_on_a_page_fails_the_build_with_page_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "case" / "pilot.md"
    text = page.read_text()
    page.write_text(text.replace("{{ case('cost.total') }}", "{{ case('cost.totl') }}", 1))
    line = 1 + text[: text.index("{{ case('cost.total') }}")].count("\n")
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"Doc file 'case/pilot.md', line {line}: unknown case figure 'cost.totl'. "
        "Did you mean 'cost.total'?"
    ) in result.text
