"""`playbook book -o playbook.pdf`: the whole built playbook as one printed book.

Every page of the nav (mkdocs.yml), in order, is taken from the built site (its article only),
joined into one HTML document with the site's own stylesheets and print rules, and printed by
Chromium: a cover, a table of contents with page numbers, each page starting on a new sheet,
bookmarks from the headings (every chapter and play), a tagged PDF with page numbers and a running
header. Links between pages become links inside the book; ids are prefixed per page so they stay
unique. The contents' page numbers come from a first printing (the bookmarks say where each page
starts); the second printing, with them filled in, is the book. Dates come from SOURCE_DATE_EPOCH.
The PDF is written atomically, never inside docs/ or the site.
"""

from __future__ import annotations

import argparse
import io
import posixpath
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin, urlsplit

from markupsafe import escape

from playbook.project import add_config_argument, add_pdf_arguments, add_site_dir_argument

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from playbook.brief.pdf import PdfOptions

BOOK_URL = "__playbook-book__.html"  # where the book is "served" from: the site's root
REMOVE = ".headerlink, .md-content__button, .pb-page-meta, .pb-brief-button, #pb-brief-builder"
BOOK_CSS = """
@page :first { @top-left { content: none; } @bottom-right { content: none; } }
html, body { background: #fff; }
.book-cover { break-after: page; padding-top: 70mm; }
.book-cover__title { font-size: 2.4rem; font-weight: 700; color: #1a237e; margin: 0 0 1rem; }
.book-cover__lead { font-size: 1.1rem; max-width: 36rem; }
.book-cover__date { margin-top: 3rem; color: #333; }
.book-toc { break-after: page; }
.md-typeset .book-toc ol { list-style: none; padding-left: 0; margin: 0; }
.md-typeset .book-toc ol ol { padding-left: 1.2rem; }
.md-typeset .book-toc li { margin: .15rem 0; }
.md-typeset .book-toc a { display: flex; gap: .4rem; color: #111; text-decoration: none; }
.book-toc__title { flex: 1 1 auto; }
.book-toc__page { flex: none; min-width: 2.5em; text-align: right; font-variant-numeric: tabular-nums; }
.book-toc__section > span { display: block; font-weight: 700; margin-top: .5rem; }
.book-page { break-before: page; }
.md-typeset a[href^="#"]::after { content: none !important; }
"""


class BookError(RuntimeError):
    """The book cannot be made; the message says what to do."""


@dataclass(frozen=True)
class NavEntry:
    title: str  # the nav's title, or '' to use the page's h1
    url: str  # site-relative, e.g. 'chapters/value-and-roi/' ('' is home)
    depth: int
    section: bool = False  # a nav section heading without a page


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_pdf_arguments(parser, "playbook.pdf")
    add_site_dir_argument(parser)
    add_config_argument(parser, ", for the nav")


def page_url(src: str) -> str:
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def read_nav(config: Path) -> list[NavEntry]:
    """The nav of mkdocs.yml, flattened in reading order."""
    from playbook.project import read_config

    nav = read_config(config).get("nav")
    if not nav:
        raise BookError(f"'{config}' has no nav; the book follows the nav's order.")
    entries: list[NavEntry] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            title, target = ("", item) if isinstance(item, str) else next(iter(item.items()))
            if isinstance(target, list):
                entries.append(NavEntry(str(title), "", depth, section=True))
                walk(target, depth + 1)
            elif not str(target).startswith(("http://", "https://")):
                entries.append(NavEntry(str(title), page_url(str(target)), depth))

    walk(nav, 0)
    return entries


def anchor(url: str) -> str:
    """The book's id for a page: 'chapters/value-and-roi/' -> 'p-chapters-value-and-roi'."""
    return "p-" + ("-".join(part for part in url.split("/") if part) or "home")


def _page_html(site_dir: Path, url: str, pages: set[str]) -> tuple[str, str]:
    """(the page's h1 text, its article as book HTML with ids prefixed and links rewritten)."""
    from selectolax.lexbor import LexborHTMLParser

    path = site_dir / url / "index.html"
    if not path.is_file():
        raise BookError(f"'{path}' is not in the built site; run `make build` first.")
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    article = tree.css_first("article.md-content__inner")
    if article is None:
        raise BookError(f"'{path}' has no Material article; is it a page of the playbook?")
    for node in article.css(REMOVE):
        node.decompose()
    prefix = anchor(url)
    for node in article.css("[id]"):
        node.attrs["id"] = f"{prefix}--{node.attrs['id']}"
    here = "/" + url
    for node in article.css("a[href]"):
        node.attrs["href"] = _link(node.attrs["href"] or "", here, prefix, pages)
    for node in article.css("img[src]"):
        node.attrs["src"] = posixpath.normpath(urljoin(here, node.attrs["src"] or "")).lstrip("/")
    h1 = article.css_first("h1")
    title = " ".join(h1.text().split()) if h1 else url
    return title, article.html or ""


def _link(href: str, here: str, prefix: str, pages: set[str]) -> str:
    """A link inside the book when its target is a page of the book; else the URL as it was."""
    if href.startswith("#"):
        return f"#{prefix}--{href[1:]}" if len(href) > 1 else f"#{prefix}"
    if urlsplit(href).scheme or href.startswith("//"):
        return href
    target, fragment = urldefrag(urljoin(here, href))
    url = target.lstrip("/").removesuffix("index.html")
    if url in pages:
        return f"#{anchor(url)}--{fragment}" if fragment else f"#{anchor(url)}"
    return href


def _stylesheets(site_dir: Path) -> list[str]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser((site_dir / "index.html").read_text(encoding="utf-8"))
    return [href for node in tree.css('link[rel="stylesheet"]') if (href := node.attrs.get("href"))]


def book_html(
    site_dir: Path,
    nav: list[NavEntry],
    site_name: str,
    lead: str,
    when: str,
    numbers: dict[str, int] | None = None,
) -> str:
    """The whole book as one HTML document (page numbers in the contents when known)."""
    pages = {entry.url for entry in nav if not entry.section}
    toc, body = [], []
    depth = 0
    for entry in nav:
        while depth > entry.depth:  # a nav section ends
            toc.append("</ol></li>")
            depth -= 1
        if entry.section:
            toc.append(f'<li class="book-toc__section"><span>{escape(entry.title)}</span><ol>')
            depth += 1
            continue
        title, article = _page_html(site_dir, entry.url, pages)
        number = "" if numbers is None else str(numbers.get(entry.url, ""))
        toc.append(
            f'<li><a href="#{anchor(entry.url)}"><span class="book-toc__title">{escape(title)}</span>'
            f'<span class="book-toc__page">{number or "000"}</span></a></li>'
        )
        body.append(f'<section class="book-page" id="{anchor(entry.url)}">{article}</section>')
    toc.extend("</ol></li>" for _ in range(depth))
    links = "".join(
        f'<link rel="stylesheet" href="{escape(href)}">' for href in _stylesheets(site_dir)
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(site_name)}</title>{links}<style>{BOOK_CSS}</style></head>"
        '<body data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">'
        '<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid">'
        '<div class="md-content"><div class="md-content__inner md-typeset">'
        f'<div class="book-cover"><p class="book-cover__title">{escape(site_name)}</p>'
        f'<p class="book-cover__lead">{escape(lead)}</p>'
        f'<p class="book-cover__date">The whole playbook as one book, printed from the build of {escape(when)}.</p></div>'
        f'<nav class="book-toc" aria-labelledby="book-contents"><h1 id="book-contents">Contents</h1><ol>{"".join(toc)}</ol></nav>'
        + "".join(body)
        + "</div></div></div></main></div></body></html>"
    )


def _start_pages(pdf: bytes, nav: list[NavEntry], titles: dict[str, str]) -> dict[str, int]:
    """Where each page starts, from the top-level bookmarks (one per h1, in order)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    top = [item for item in reader.outline if not isinstance(item, list)]
    urls = [entry.url for entry in nav if not entry.section]
    if len(top) != len(urls) + 1:  # 'Contents', then one h1 per page
        raise BookError(
            f"The book has {len(top)} top-level bookmarks for {len(urls)} pages and the contents; "
            "every page of the nav needs exactly one h1 (its title)."
        )
    found = {}
    for url, item in zip(urls, top[1:], strict=False):
        if item.title is None or " ".join(item.title.split()) != titles[url]:
            raise BookError(
                f"Bookmark '{item.title}' does not match the page '{url}' ({titles[url]})."
            )
        number = reader.get_destination_page_number(item)
        if number is None:
            raise BookError(f"Bookmark '{item.title}' (page '{url}') points at no page.")
        found[url] = number + 1
    return found


def make_book(
    site_dir: Path, config: Path, paper: str = "a4", browser: Browser | None = None
) -> bytes:
    """The book's PDF bytes."""
    from playbook.brief.pdf import chromium, fix_dates
    from playbook.brief.print_cli import SITE_NAME
    from playbook.browser import serve_directory
    from playbook.dates import build_datetime

    if not (site_dir / "index.html").is_file():
        raise BookError(
            f"'{site_dir}' is not a built site (no index.html); run `make build` first."
        )
    nav = read_nav(config)
    when = build_datetime(config.parent)
    lead = _site_description(config)
    stamp = f"{when.day} {when:%B %Y}"
    titles = {e.url: _page_html(site_dir, e.url, {e.url})[0] for e in nav if not e.section}
    if browser is None:
        with chromium() as own:
            return make_book(site_dir, config, paper, own)
    from playbook.brief.pdf import PDF_FORMATS

    page = browser.new_page()
    try:
        with serve_directory(site_dir) as base:
            html = {"text": book_html(site_dir, nav, SITE_NAME, lead, stamp)}
            page.route(
                base + BOOK_URL,
                lambda route: route.fulfill(
                    status=200, content_type="text/html; charset=utf-8", body=html["text"]
                ),
            )
            options: PdfOptions = {
                "format": PDF_FORMATS[paper],
                "tagged": True,
                "outline": True,
                "print_background": True,
            }
            page.emulate_media(media="print")
            page.goto(base + BOOK_URL, wait_until="load")
            first = page.pdf(**options)
            numbers = _start_pages(first, nav, titles)
            html["text"] = book_html(site_dir, nav, SITE_NAME, lead, stamp, numbers)
            page.goto(base + BOOK_URL, wait_until="load")
            final = page.pdf(**options)
        if _start_pages(final, nav, titles) != numbers:
            raise BookError(
                "The contents' page numbers moved on the second printing; report this as a bug."
            )
        return fix_dates(final, when)
    finally:
        page.close()


def _site_description(config: Path) -> str:
    from playbook.project import read_config

    return str(read_config(config).get("site_description") or "")


def write_atomic(output: Path, data: bytes) -> None:
    """Write the whole file or nothing (playbook.safe_output)."""
    from playbook.safe_output import atomic_write

    atomic_write(output, data, "The book")


def run(args: argparse.Namespace) -> int:
    from playbook.brief.pdf import PdfError
    from playbook.project import ProjectError, load_project
    from playbook.safe_output import check_output_path, published_dirs

    started = time.perf_counter()
    try:
        project = load_project(args.config_file)
        site_dir = args.site_dir or project.site_dir
        # Before printing: the book must not land in the published tree, and must be writable.
        forbidden = [*published_dirs(project.config_file), (site_dir, "the built site")]
        check_output_path(args.output, forbidden, "The book")
        data = make_book(site_dir, project.config_file, args.paper)
        write_atomic(args.output, data)
    except (BookError, PdfError, ProjectError, ValueError, OSError) as exc:
        print(f"playbook book: error: {exc}", file=sys.stderr)
        return 2
    print(
        f"Wrote {args.output} ({len(data) // 1024} KB) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


BOOK_FILE = "playbook.pdf"
START_HERE = "start-here/index.html"


def add_to_release(site_dir: Path, config: Path, browser: Browser | None = None) -> Path:
    """For `playbook publish --with-book`: the book as a download in a freshly built release,
    linked from Start here. Raises BookError (the release is then not published)."""
    from playbook.brief.pdf import PdfError

    try:
        data = make_book(site_dir, config, "a4", browser)
    except PdfError as exc:
        raise BookError(str(exc)) from None
    target = site_dir / BOOK_FILE
    write_atomic(target, data)
    page = site_dir / START_HERE
    html = page.read_text(encoding="utf-8")
    article = html.find("<article")
    end = html.find("</h1>", article) if article >= 0 else -1
    if end < 0:
        raise BookError(
            f"'{page}' has no title to put the book's link under; is Start here in the nav?"
        )
    end += len("</h1>")
    size = max(1, round(len(data) / 1024 / 1024))
    link = (
        f'<p class="pb-book-download"><a href="../{BOOK_FILE}" download>Download the whole playbook '
        f"as one book</a> (PDF, about {size} MB), to read offline or on paper.</p>"
    )
    write_atomic(page, (html[:end] + link + html[end:]).encode("utf-8"))
    return target
