"""`playbook book`: the whole built playbook as one PDF, printed twice by Debian's Chromium (once by
`make_book`, once as `playbook publish --with-book` does it into a copy of the site) and read
back with pypdf and pdftoppm.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser
from sitebuild import ROOT

from playbook import book, cli

CONFIG = ROOT / "mkdocs.yml"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(name="books", scope="module")
def fixture_books(built_site, browser, tmp_path_factory) -> tuple[bytes, Path]:
    """The book made twice: by make_book, and into a release copy as publish --with-book does."""
    first = book.make_book(built_site.site_dir, CONFIG, browser=browser)
    release = tmp_path_factory.mktemp("release") / "site"
    shutil.copytree(built_site.site_dir, release)
    book.add_to_release(release, CONFIG, browser)
    return first, release


@pytest.fixture(name="book_text", scope="module")
def fixture_book_text(books) -> list[str]:
    """The text of every page of the first book, read once (pypdf takes seconds per book)."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(books[0])).pages]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append(
                    (depth, flat(item.title), reader.get_destination_page_number(item) + 1)
                )

    walk(reader.outline, 0)
    return found


def nav_pages(site: Path) -> list[tuple[str, str, list[str]]]:
    """(url, h1, play headings) of every page in the nav, from the built HTML."""
    pages = []
    for entry in book.read_nav(CONFIG):
        if entry.section:
            continue
        tree = LexborHTMLParser((site / entry.url / "index.html").read_text(encoding="utf-8"))
        for link in tree.css("article .headerlink"):
            link.decompose()
        h1 = flat(tree.css_first("article h1").text())
        plays = [flat(h.text()) for h in tree.css('article h2[id^="play-"]')]
        pages.append((entry.url, h1, plays))
    return pages


def test_a_bookmark_for_every_nav_page_and_play(books, built_site) -> None:
    reader = PdfReader(io.BytesIO(books[0]))
    marks = outline(reader)
    top = [title for depth, title, _ in marks if depth == 0]
    pages = nav_pages(built_site.site_dir)
    assert len(pages) >= 25
    assert top == ["Contents"] + [h1 for _, h1, _ in pages]
    nested = {title for depth, title, _ in marks if depth == 1}
    plays = [play for _, _, page_plays in pages for play in page_plays]
    assert len(plays) >= 20
    assert [play for play in plays if play not in nested] == []


def test_contents_give_the_page_each_chapter_starts_on(books, book_text, built_site) -> None:
    reader = PdfReader(io.BytesIO(books[0]))
    starts = [number for depth, _, number in outline(reader) if depth == 0][1:]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    contents = flat(" ".join(book_text[i] for i in range(1, starts[0] - 1)))
    for (_, h1, _), number in zip(nav_pages(built_site.site_dir), starts, strict=True):
        assert f"{h1} {number}" in contents, h1
        assert h1 in flat(book_text[number - 1])


def test_cover_header_page_numbers_tags_and_links(books, book_text, tmp_path: Path) -> None:
    reader = PdfReader(io.BytesIO(books[0]))
    total = len(reader.pages)
    assert total > 50
    cover = flat(book_text[0])
    assert cover.startswith("Executive Buy-in Playbook") and "Page 1 of" not in cover
    for number in (2, total // 2, total):
        text = flat(book_text[number - 1])
        assert f"Page {number} of {total}" in text and text.startswith("Executive Buy-in Playbook")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    internal = 0
    for page in reader.pages[1:4]:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot or annot.get("/A", {}).get("/S") == "/GoTo":
                internal += 1
    assert internal >= 25  # the contents link to the pages inside the book
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(books[0])
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    image = Image.open(png).convert("L")
    assert sum(1 for value in image.getdata() if value < 128) / (image.width * image.height) > 0.002


def test_two_printings_give_the_same_text(books, book_text) -> None:
    again = (books[1] / book.BOOK_FILE).read_bytes()
    # The same bytes are the same text; only if the bytes differ is the text read and compared.
    assert (
        again == books[0]
        or [page.extract_text() for page in PdfReader(io.BytesIO(again)).pages] == book_text
    )
    assert (
        PdfReader(io.BytesIO(books[0])).metadata["/CreationDate"]
        == PdfReader(io.BytesIO(again)).metadata["/CreationDate"]
    )


def test_publish_with_book_links_it_from_start_here(books) -> None:
    release = books[1]
    html = (release / book.START_HERE).read_text(encoding="utf-8")
    link = LexborHTMLParser(html).css_first("article .pb-book-download a")
    assert link is not None and link.attrs["href"] == "../playbook.pdf"
    assert (release / "start-here" / link.attrs["href"]).resolve() == (
        release / book.BOOK_FILE
    ).resolve()
    assert [p.name for p in release.glob(".playbook.pdf.*")] == []  # written atomically


def test_book_is_never_written_into_docs_or_the_site(built_site, tmp_path, capsys) -> None:
    for target in (ROOT / "docs" / "book.pdf", built_site.site_dir / "book.pdf"):
        code = cli.main(["book", "--site-dir", str(built_site.site_dir), "-o", str(target)])
        assert code == 2 and not target.exists()
        err = capsys.readouterr().err
        assert "is inside" in err and "keep profiles, briefs and prints outside" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code = cli.main(["book", "--site-dir", str(empty), "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and not (tmp_path / "x.pdf").exists()
    assert capsys.readouterr().err == (
        f"playbook book: error: '{empty}' is not a built site (no index.html); run `make build` first.\n"
    )


def test_internal_links_become_links_inside_the_book(built_site) -> None:
    nav = book.read_nav(CONFIG)
    html = book.book_html(
        built_site.site_dir, nav, "Executive Buy-in Playbook", "", "1 January 2027"
    )
    tree = LexborHTMLParser(html)
    ids = {node.attrs["id"] for node in tree.css("[id]")}
    inside = [a.attrs["href"] for a in tree.css('a[href^="#"]')]
    assert len(inside) > 100
    assert [href for href in inside if href[1:] not in ids] == []
    assert len(ids) == len(tree.css("[id]"))  # every id unique across the book
    pages = {e.url for e in nav if not e.section}
    for a in tree.css("a[href]"):
        href = a.attrs["href"]
        if not href.startswith(("#", "http://", "https://", "mailto:")):
            assert href.split("#")[0].lstrip("./").removesuffix("index.html") not in pages, href
