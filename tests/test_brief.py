"""The printed brief: `playbook brief` on the fictional CFO profile, read back with pypdf.

One brief is made by the real command (one Chromium start) and shared by the module; the
determinism, Letter and other-example checks reuse the session's browser. Bad profiles fail
before any browser starts, with one message naming the file, the line, the field and the allowed
values (only the focus check, which needs the statistics, runs while Chromium starts).
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sitebuild import ROOT

from playbook import cli, meeting
from playbook.brief import cli as brief_cli
from playbook.brief.content import load_brief, pick_figures, read_profile
from playbook.brief.profile import ProfileError
from playbook.brief.siteinfo import read_site_info
from playbook.case import load_case
from playbook.data import DataError, load_catalog
from playbook.dates import build_date
from playbook.playdata import ROLES, load_objections, load_roles, load_support_scale, objections_for

DATA = ROOT / "data"
PLAYBOOK = Path(sys.executable).parent / "playbook"
CFO = DATA / "profiles" / "example-cfo.yml"
EXAMPLES = sorted((DATA / "profiles").glob("example-*.yml"))
GOOD = """\
name: Alex Moreau
title: Chief Financial Officer
role: cfo
support_level: needs-a-plan
organisation: Example Ltd
industry: telecom
meeting_date: 2027-03-04
presenter: Sam Okafor
"""


def flat(text: str) -> str:
    """Text with every run of whitespace made one space (PDF lines wrap anywhere)."""
    return " ".join(text.split())


@pytest.fixture(name="brief_pdf", scope="module")
def fixture_brief_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CFO example's brief, made once by the real command (browser start included)."""
    out = tmp_path_factory.mktemp("brief") / "brief.pdf"
    done = subprocess.run(
        [str(PLAYBOOK), "brief", str(CFO), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(name="pages", scope="module")
def fixture_pages(brief_pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(brief_pdf).pages]


@pytest.fixture(name="cfo_card", scope="module")
def fixture_cfo_card():
    return load_roles(DATA)["cfo"]


def test_cover_names_the_executive(pages: list[str]) -> None:
    cover = flat(pages[0])
    for text in (
        "Prepared for",
        "Dana Whitfield",
        "Chief Financial Officer",
        "Northwind Mutual Assurance",
        "4 March 2027",
        "Sam Okafor",
    ):
        assert text in cover


def test_summary_is_page_two(pages: list[str]) -> None:
    summary = flat(pages[1])
    assert summary.startswith("Executive brief")  # the running header
    for text in (
        "Summary",
        "The ask",
        "Approve a 90-day listening pilot",
        "Three key figures",
        "Figures as of",
    ):
        assert text in summary
    assert "The approach: " in flat(pages[2])  # the summary fits on its one page


def test_page_count_and_page_numbers(pages: list[str]) -> None:
    assert 3 <= len(pages) <= 8
    assert "Page 1 of" not in pages[0]  # the cover goes without
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text
        assert "prepared for Dana Whitfield, Chief Financial Officer" in flat(text)


def test_this_roles_questions_and_no_other(pages: list[str], cfo_card) -> None:
    text = flat(" ".join(pages))
    for question in cfo_card.questions:
        assert flat(question.question) in text
        assert flat(question.answer) in text
        assert flat(question.if_pushed) in text
        for item in question.checklist:
            assert flat(item) in text
    mine = {q.question for q in cfo_card.questions}
    others = [q.question for q in load_roles(DATA)["legal"].questions if q.question not in mine]
    assert others, "the legal card should have questions the CFO card does not"
    for question in others:
        assert flat(question) not in text


def test_no_template_or_markdown_left(pages: list[str]) -> None:
    text = "\n".join(pages)
    for leftover in ("{{", "}}", "{%", "**", "##", "[ ]", "](", "&lt;", "&amp;"):
        assert leftover not in text


def test_figures_sources_years_and_as_of(pages: list[str]) -> None:
    text = flat(" ".join(pages))
    profile, _ = read_profile(CFO, DATA)
    catalog = load_catalog(DATA, build_date(ROOT))
    figures, _ = pick_figures(catalog, profile)
    assert figures
    for stat in figures:
        assert flat(stat.claim) in text
        assert f"({stat.year_label})" in text
    newest = max(s.age_year for s in figures if s.age_year is not None)
    assert f"Figures as of {newest}" in text
    if any(s.is_old(2015) for s in figures):
        assert "older data" in text
    sources = flat(pages[-1])
    assert "Sources" in sources
    compact = "".join(" ".join(pages).split())
    for stat in figures:
        if stat.source.url:
            assert stat.source.url in compact  # links print as readable URLs


def test_link_back_to_the_role_page(pages: list[str]) -> None:
    site = read_site_info(ROOT / "mkdocs.yml")
    url = site.page_url(load_roles(DATA)["cfo"].page)
    assert url.split("://", 1)[1] in "".join(pages[0].split())


def test_agenda_from_the_meeting_plan(pages: list[str]) -> None:
    text = flat(" ".join(pages))
    plan = meeting.load_plan(DATA)
    assert "Playbook guidance." in text
    for step in plan.steps:
        assert flat(step.title) in text
    assert f"Total {plan.total_minutes}" in text


def test_tagged_with_bookmarks_and_embedded_fonts(brief_pdf: Path) -> None:
    reader = PdfReader(brief_pdf)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for section in ("Dana Whitfield", "Summary", "Meeting agenda", "Sources"):
        assert section in titles
    assert reader.metadata.title == "Executive brief for Dana Whitfield, Chief Financial Officer"
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                fonts[descriptor["/FontName"]] = any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
    assert fonts and all(fonts.values()), fonts
    assert all("LiberationSans" in name for name in fonts)


def test_dates_come_from_the_meeting_date(brief_pdf: Path) -> None:
    info = PdfReader(brief_pdf).metadata
    assert info["/CreationDate"] == "D:20270304000000+00'00'"
    assert info["/ModDate"] == "D:20270304000000+00'00'"


def test_same_inputs_same_bytes_and_letter_paper(brief_pdf: Path, browser, tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    brief_cli.add_arguments(parser)
    again = brief_cli.build_brief(parser.parse_args([str(CFO)]), browser)
    assert again == brief_pdf.read_bytes()
    letter = brief_cli.build_brief(parser.parse_args([str(CFO), "--paper", "letter"]), browser)
    box = PdfReader(io.BytesIO(letter)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    box = PdfReader(brief_pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


@pytest.mark.parametrize("example", [p for p in EXAMPLES if p != CFO], ids=lambda p: p.stem)
def test_every_example_brief_fits_and_carries_its_role(example: Path, browser) -> None:
    parser = argparse.ArgumentParser()
    brief_cli.add_arguments(parser)
    reader = PdfReader(
        io.BytesIO(brief_cli.build_brief(parser.parse_args([str(example)]), browser))
    )
    assert 3 <= len(reader.pages) <= 8
    profile, _ = read_profile(example, DATA)
    assert profile.name in flat(reader.pages[0].extract_text())
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for question in load_roles(DATA)[profile.role].questions:
        assert flat(question.question) in text
        assert flat(question.answer) in text
    for objection in objections_for(profile.role, load_objections(DATA)):
        assert flat(objection.said) in text


def test_cover_is_not_blank(brief_pdf: Path, tmp_path: Path) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(brief_pdf),
            str(tmp_path / "cover"),
        ],
        check=True,
    )
    (png,) = tmp_path.glob("cover*.png")
    image = Image.open(png).convert("L")
    dark = sum(1 for value in image.getdata() if value < 128)
    assert dark / (image.width * image.height) > 0.01  # text, rules and the QR code


def test_every_example_profile_is_valid_and_fictional() -> None:
    assert {p.name for p in EXAMPLES} >= {"example-cfo.yml", "example-legal.yml", "example-cio.yml"}
    for path in EXAMPLES:
        profile, _ = read_profile(path, DATA)
        assert "fictional" in path.read_text().splitlines()[0].lower()
        assert profile.role in ROLES


def _brief_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> tuple[int, str, Path]:
    path = tmp_path / "bad.profile.yml"
    path.write_text(text)
    code = cli.main(["brief", str(path), "-o", str(tmp_path / "never.pdf")])
    assert not (tmp_path / "never.pdf").exists()
    return code, capsys.readouterr().err, path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("role: cfo", "role: cfoo"),
            "line 3: 'role' is 'cfoo', which is not valid; expected one of: "
            "ceo, cfo, coo, cmo, legal, cio, chro, board.",
        ),
        (
            ("name: Alex Moreau\n", ""),
            "line 1: 'name' is required; expected the executive's name as it should appear on the "
            "cover, such as 'Dana Whitfield'.",
        ),
        (
            ("meeting_date: 2027-03-04", "meeting_date: 2027-02-30"),
            "line 7: 'meeting_date' is '2027-02-30', which is not valid; expected a date written "
            "YYYY-MM-DD, such as 2027-03-04.",
        ),
        (
            ("meeting_date: 2027-03-04", "meeting_date: 4 March 2027"),
            "line 7: 'meeting_date' is '4 March 2027', which is not valid; expected a date written "
            "YYYY-MM-DD, such as 2027-03-04.",
        ),
        (
            ("presenter: Sam Okafor", "presenter: Sam Okafor\nemail: a@b.c"),
            "line 9: 'email' is not a profile field; expected only these fields: name, title, role, "
            "support_level, organisation, industry, meeting_date, presenter, focus, ask, meeting.",
        ),
        (
            ("presenter: Sam Okafor", "presenter: Sam Okafor\nmeeting: lunch"),
            "line 9: 'meeting' is 'lunch', which is not valid; expected group (the default: the "
            "full meeting plan) or one-to-one (the short plan for one executive).",
        ),
    ],
)
def test_bad_profile_fails_with_its_field(tmp_path, capsys, change, message) -> None:
    code, err, path = _brief_error(tmp_path, capsys, GOOD.replace(*change))
    assert code == 2
    assert err == f"playbook brief: error: Error reading profile '{path}', {message}\n"


def test_unknown_support_level_lists_the_scale(tmp_path, capsys) -> None:
    code, err, path = _brief_error(tmp_path, capsys, GOOD.replace("needs-a-plan", "keen"))
    levels = ", ".join(load_support_scale(DATA))
    assert code == 2
    assert err == (
        f"playbook brief: error: Error reading profile '{path}', line 4: 'support_level' is 'keen', "
        f"which is not valid; expected one of: {levels}.\n"
    )


def test_unknown_focus_topic_lists_the_topics(tmp_path) -> None:
    # Checked against the statistics, so in the worker that reads them (as Chromium starts).
    path = tmp_path / "bad.profile.yml"
    path.write_text(GOOD + "focus:\n  - topic:golf\n")
    profile, scale = read_profile(path, DATA)
    site = read_site_info(ROOT / "mkdocs.yml")
    with pytest.raises(ProfileError) as info:
        load_brief(profile, scale, DATA, site, build_date(ROOT), str(path))
    assert str(info.value).startswith(
        f"Error reading profile '{path}': 'focus' has 'topic:golf', which no statistic uses; "
        "expected topics from: "
    )
    assert "topic:roi" in str(info.value)


def test_missing_profile_file(tmp_path, capsys) -> None:
    code = cli.main(["brief", str(tmp_path / "nope.yml"), "-o", str(tmp_path / "x.pdf")])
    assert code == 2
    assert capsys.readouterr().err == (
        f"playbook brief: error: Profile '{tmp_path / 'nope.yml'}' not found; give the path to a "
        "profile YAML file.\n"
    )


def test_briefs_and_profiles_stay_out_of_docs(tmp_path, capsys) -> None:
    code = cli.main(["brief", str(CFO), "-o", str(ROOT / "docs" / "brief.pdf")])
    assert code == 2
    assert capsys.readouterr().err == (
        f"playbook brief: error: The brief '{ROOT / 'docs' / 'brief.pdf'}' is inside 'docs', "
        "which is published on the intranet; keep profiles, briefs and prints outside the site, for "
        "example in private/ (git-ignored).\n"
    )
    assert not (ROOT / "docs" / "brief.pdf").exists()


def test_built_site_holds_no_brief_and_no_profile_data(built_site) -> None:
    site = built_site.site_dir
    brief_cli.check_site_page(site, "chapters/tough-questions/cfo/")  # the brief's link resolves
    assert not list(site.rglob("*.pdf"))
    assert not list(site.rglob("*profile*.yml"))
    # The worked case (docs/case/) tells the fictional CFO example's story on purpose: its cast may
    # appear on the case pages, the measurement worksheet's examples and the search index, nowhere else.
    case_cast = ("case/", "toolkit/measurement-worksheet/", "search/search_index.json")
    needles = []
    for path in EXAMPLES:
        profile, _ = read_profile(path, DATA)
        allowed = case_cast if profile.organisation == load_case(DATA).organisation else ()
        needles += [(n, allowed) for n in (profile.name, profile.organisation, profile.presenter)]
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".json", ".xml", ".txt", ".css"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            where = path.relative_to(site).as_posix()
            for needle, allowed in needles:
                if not where.startswith(allowed) or not allowed:
                    assert needle not in text, f"{needle!r} leaked into {where}"


def test_meeting_plan_renders_steps_with_running_times() -> None:
    plan = meeting.MeetingPlan(
        title="Agenda",
        guidance="A <suggestion>.",
        steps=(
            meeting.MeetingStep(title="Ask", minutes=2, detail="Say it."),
            meeting.MeetingStep(title="Demo", minutes=15, detail="Show it."),
        ),
        after="Follow up.",
    )
    html = meeting.render_plan(plan)
    assert html == (
        '<div class="pb-meeting-plan"><p class="pb-guidance"><strong>Playbook guidance.</strong> '
        "A &lt;suggestion&gt;.</p>"
        "<table><caption>Agenda: 17 minutes</caption><thead><tr>"
        '<th scope="col">From&ndash;to (min)</th><th scope="col">Step</th><th scope="col">Minutes</th>'
        '<th scope="col">What to do</th></tr></thead><tbody>'
        '<tr><td class="pb-agenda__time">0&ndash;2</td><th scope="row">Ask</th>'
        '<td class="pb-agenda__minutes">2</td><td>Say it.</td></tr>'
        '<tr><td class="pb-agenda__time">2&ndash;17</td><th scope="row">Demo</th>'
        '<td class="pb-agenda__minutes">15</td><td>Show it.</td></tr></tbody>'
        '<tfoot><tr><td></td><th scope="row">Total</th><td class="pb-agenda__minutes">17</td><td></td>'
        '</tr></tfoot></table><p class="pb-after"><strong>After the meeting.</strong> Follow up.</p></div>'
    )
    assert "\n\n" not in html  # one HTML block inside Markdown


def test_meeting_plan_error_names_line_and_field(tmp_path: Path) -> None:
    text = (DATA / "meeting-plan.yml").read_text()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "meeting-plan.yml").write_text(
        re.sub(r"minutes: 15\b", "minutes: fifteen", text)
    )
    line = 1 + text[: text.index("minutes: 15")].count("\n")
    with pytest.raises(DataError) as info:
        meeting.load_plan(tmp_path / "data")
    assert str(info.value) == (
        f"Error reading data file 'data/meeting-plan.yml', line {line}: 'steps.minutes': Input "
        "should be a valid integer (expected: a whole number of minutes between 1 and 120)"
    )


def test_one_to_one_plan_is_twenty_minutes_from_the_same_steps() -> None:
    plan = meeting.load_plan(DATA)
    short = plan.for_meeting("one-to-one")
    assert plan.for_meeting("group") is plan
    assert short.total_minutes == plan.one_to_one.minutes == 20
    titles = [step.title for step in plan.steps]
    assert [step.title for step in short.steps] == [
        t for t in titles if t in {s.title for s in short.steps}
    ]
    assert (
        short.steps[0].title == plan.steps[0].title
        and short.steps[-1].title == plan.steps[-1].title
    )
    html = meeting.render_plan(short)
    assert "One-to-one agenda: 20 minutes" in html and "18&ndash;20" in html


def test_one_to_one_minutes_must_add_up_to_the_stated_total(tmp_path: Path) -> None:
    text = (DATA / "meeting-plan.yml").read_text()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "meeting-plan.yml").write_text(
        text.replace("  minutes: 20\n", "  minutes: 25\n")
    )
    line = 1 + text[: text.index("  minutes: 20\n")].count("\n")
    with pytest.raises(DataError) as info:
        meeting.load_plan(tmp_path / "data")
    assert str(info.value) == (
        f"Error reading data file 'data/meeting-plan.yml', line {line}: the steps' one_to_one minutes "
        "add up to 20, not the 25 that 'one_to_one.minutes' states; change a step's one_to_one minutes "
        "or the total so they agree."
    )


def test_one_to_one_profile_gets_the_twenty_minute_agenda(browser) -> None:
    cio = DATA / "profiles" / "example-cio.yml"
    profile, _ = read_profile(cio, DATA)
    assert profile.meeting == "one-to-one"
    parser = argparse.ArgumentParser()
    brief_cli.add_arguments(parser)
    reader = PdfReader(io.BytesIO(brief_cli.build_brief(parser.parse_args([str(cio)]), browser)))
    assert 3 <= len(reader.pages) <= 8
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "A one-to-one: 20 minutes in 6 steps" in text
    agenda = text[text.rindex("One-to-one agenda: 20 minutes") :]
    for step in meeting.load_plan(DATA).for_meeting("one-to-one").steps:
        assert flat(step.detail) in agenda
    assert "Total 20" in agenda
    assert "Meeting agenda: 52 minutes" not in text


def test_meeting_plan_page_shows_both_plans(built_site) -> None:
    html = (built_site.site_dir / "toolkit" / "meeting-plan" / "index.html").read_text()
    assert 'id="agenda"' in html and 'id="agenda-one-to-one"' in html
    assert (
        html.index("Meeting agenda: 52 minutes")
        < html.index('id="agenda-one-to-one"')
        < html.index("One-to-one agenda: 20 minutes")
    )


def test_fix_dates_keeps_offsets() -> None:
    from datetime import datetime, timezone

    from playbook.brief.pdf import fix_dates

    raw = b"<</Producer (Skia)\n/CreationDate (D:20261123135645+00'00')\n/ModDate (D:20261123135645+00'00')>>"
    fixed = fix_dates(raw, datetime(2027, 3, 4, tzinfo=timezone.utc))
    assert len(fixed) == len(raw)
    assert fixed.count(b"(D:20270304000000+00'00')") == 2


def test_industry_figures_come_first_then_focus() -> None:
    catalog = load_catalog(DATA, build_date(ROOT))
    for example in EXAMPLES:
        profile, _ = read_profile(example, DATA)
        figures, industry = pick_figures(catalog, profile)
        assert all(f.has_tag(f"role:{profile.role}") for f in figures)
        assert [f.has_tag(profile.industry_tag) for f in figures] == [True] * industry + [False] * (
            len(figures) - industry
        )
        rest = figures[industry:]
        focused = [any(f.has_tag(t) for t in profile.focus) for f in rest]
        assert focused == sorted(focused, reverse=True)
    legal, _ = read_profile(DATA / "profiles" / "example-legal.yml", DATA)
    assert pick_figures(catalog, legal)[1] >= 1  # the example shows an industry figure first


def test_answers_rest_on_cited_figures_and_link_to_the_objection_finder(
    brief_pdf: Path, cfo_card
) -> None:
    reader = PdfReader(brief_pdf)
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "Rests on:" in text
    stats = load_catalog(DATA, build_date()).stats
    for question in cfo_card.questions:
        for stat_id in question.evidence:
            assert flat(stats[stat_id].claim.rstrip(".")) in text
        if question.evidence_note:
            assert flat(question.evidence_note) in text
    links = [
        annot.get_object().get("/A", {}).get("/URI", "")
        for page in reader.pages
        for annot in page.get("/Annots") or []
    ]
    wanted = {o.id for o in objections_for("cfo", load_objections(DATA))}
    linked = {uri.rsplit("#", 1)[1] for uri in links if "/chapters/objections/#" in uri}
    assert linked == wanted
