"""`playbook print` and the site's print stylesheet (the same sheet serves a reader's Ctrl+P).

A chapter of the real built site is printed through the session's browser; a tiny page that links
the real print.css shows that collapsed blocks open and navigation hides under print media alone.
"""

from __future__ import annotations

import io
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser
from sitebuild import ROOT

from playbook import cli
from playbook.brief.pdf import url_to_pdf
from playbook.brief.print_cli import page_path, page_title, print_chapter
from playbook.browser import serve_directory as serve

CHAPTER = "chapters/value-and-roi/"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(name="chapter_pdf", scope="module")
def fixture_chapter_pdf(built_site, browser) -> PdfReader:
    return PdfReader(
        io.BytesIO(
            print_chapter(built_site.site_dir, "docs/chapters/value-and-roi.md", "a4", browser)
        )
    )


def test_page_paths() -> None:
    assert page_path("chapters/value-and-roi/") == CHAPTER
    assert page_path("chapters/value-and-roi") == CHAPTER
    assert page_path("docs/chapters/value-and-roi.md") == CHAPTER
    assert page_path("/chapters/tough-questions/index.md") == "chapters/tough-questions/"
    assert page_path("index.md") == ""


def test_chapter_pdf_has_title_page_numbers_and_no_navigation(
    chapter_pdf: PdfReader, built_site
) -> None:
    site = built_site.site_dir
    text = flat(" ".join(page.extract_text() for page in chapter_pdf.pages))
    title = page_title(site, CHAPTER)
    assert title and title in text
    assert f"Executive Buy-in Playbook \u2014 {title}" in text  # the running header
    count = len(chapter_pdf.pages)
    assert f"Page {count} of {count}" in text
    assert chapter_pdf.pages[-1].extract_text().strip()  # no trailing blank page
    tree = LexborHTMLParser((site / CHAPTER / "index.html").read_text(encoding="utf-8"))
    article = flat(tree.css_first("article").text(strip=False))
    nav = {
        flat(a.text(strip=False))
        for a in tree.css("nav.md-nav--primary a, .md-tabs a, .md-footer a")
    }
    nav_only = {label for label in nav if len(label) > 3 and label not in article}
    assert nav_only, "the page should have navigation labels that are not in the chapter"
    for label in nav_only | {"Skip to content", "Back to top"}:
        assert label not in text
    assert chapter_pdf.outline  # bookmarks from the headings


def test_every_built_page_links_the_print_stylesheet(built_site) -> None:
    html = (built_site.site_dir / CHAPTER / "index.html").read_text(encoding="utf-8")
    assert "assets/stylesheets/print.css" in html


def test_unknown_page_suggests_a_chapter(built_site, capsys, tmp_path) -> None:
    code = cli.main(
        [
            "print",
            "chapters/value-and-ro/",
            "--site-dir",
            str(built_site.site_dir),
            "-o",
            str(tmp_path / "x.pdf"),
        ]
    )
    assert code == 2
    assert capsys.readouterr().err == (
        f"playbook print: error: 'chapters/value-and-ro/' is not a page of the built site "
        f"'{built_site.site_dir}'. Did you mean 'chapters/value-and-roi/'?\n"
    )


def test_print_css_opens_collapsed_blocks_and_hides_navigation(browser, tmp_path: Path) -> None:
    # A reader's Ctrl+P: print media and the stylesheet alone, no script opening the blocks.
    shutil.copy(ROOT / "docs" / "assets" / "stylesheets" / "print.css", tmp_path / "print.css")
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>T</title><link rel="stylesheet" href="print.css">'
        '</head><body><nav class="md-nav">Navigation label</nav><article class="md-typeset">'
        "<h1>Chapter</h1><details><summary>More</summary><p>Hidden until opened</p></details>"
        '<p><a href="https://example.org/x">a link</a></p></article></body></html>'
    )
    with serve(tmp_path) as base:
        data = url_to_pdf(base, "a4", datetime(2027, 1, 1, tzinfo=timezone.utc), browser)
    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    assert "Hidden until opened" in text
    assert "Navigation label" not in text
    assert "a link (https://example.org/x)" in text
    assert "Page 1 of 1" in text
