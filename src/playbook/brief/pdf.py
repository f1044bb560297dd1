"""Print HTML (or a page of the built site) to PDF with Debian's Chromium through Playwright.

One browser, `page.pdf(tagged=True, outline=True)`: a tagged PDF with bookmarks from the headings,
fonts embedded by Chromium. Nothing waits on timers. The only thing that changes between two runs
is the date Chromium writes, so `fix_dates` rewrites /CreationDate and /ModDate to a date taken
from the inputs: the same inputs give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from playbook.browser import CHROMIUM, launch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PDF_FORMATS = {"a4": "A4", "letter": "Letter"}


class PdfOptions(TypedDict, total=False):
    """The keyword arguments of Playwright's `Page.pdf` that the playbook passes."""

    format: str
    tagged: bool
    outline: bool
    print_background: bool
    prefer_css_page_size: bool


RE_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]*\)")


def css_string(text: str) -> str:
    """`text` as a CSS string literal, safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + " ".join(escaped.split()) + '"'


class PdfError(RuntimeError):
    """Chromium could not be started or could not print. The message says what to install."""


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Debian Chromium (never `playwright install`), closed on exit."""
    from playwright.sync_api import Error, sync_playwright

    if not Path(CHROMIUM).exists():
        raise PdfError(
            f"{CHROMIUM} not found: run scripts/install-system-deps.sh (apt-get install chromium)."
        )
    with sync_playwright() as p:
        try:
            browser = launch(p)
        except Error as exc:
            raise PdfError(f"Chromium did not start: {exc.message.splitlines()[0]}") from None
        try:
            yield browser
        finally:
            browser.close()


def pdf_date(when: datetime) -> bytes:
    return when.astimezone(timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'").encode()


def fix_dates(data: bytes, when: datetime) -> bytes:
    """Set the PDF's creation and modification dates to `when` (same length: offsets stay valid)."""
    stamp = pdf_date(when)

    def replace(match: re.Match[bytes]) -> bytes:
        new = b"/" + match.group(1) + b" (" + stamp + b")"
        return new if len(new) == len(match.group(0)) else match.group(0)

    fixed = RE_PDF_DATE.sub(replace, data)
    if RE_PDF_DATE.findall(fixed) and all(
        m.group(0).endswith(b"(" + stamp + b")") for m in RE_PDF_DATE.finditer(fixed)
    ):
        return fixed
    return _fix_dates_pypdf(data, when)


def _fix_dates_pypdf(data: bytes, when: datetime) -> bytes:
    """Fallback when Chromium writes dates of another length: rewrite the file with pypdf."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stamp = pdf_date(when).decode()
    writer.add_metadata({"/CreationDate": stamp, "/ModDate": stamp})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _print(page: Page, paper: str, css_size: bool) -> bytes:
    options: PdfOptions = {"print_background": True, "tagged": True, "outline": True}
    if css_size:
        options["prefer_css_page_size"] = True
    else:
        options["format"] = PDF_FORMATS[paper]
    return page.pdf(**options)


def html_to_pdf(html: str, paper: str, when: datetime, browser: Browser | None = None) -> bytes:
    """Print a self-contained HTML page (its CSS sets the page size) to PDF bytes."""
    if browser is None:
        with chromium() as own:
            return html_to_pdf(html, paper, when, own)
    page = browser.new_page()
    try:
        return print_html(page, html, paper, when)
    finally:
        page.close()


def print_html(page: Page, html: str, paper: str, when: datetime) -> bytes:
    """Print HTML in an open page: no network, nothing to wait for but the load event."""
    page.set_content(html, wait_until="load")
    return fix_dates(_print(page, paper, css_size=True), when)


def url_to_pdf(
    url: str,
    paper: str,
    when: datetime,
    browser: Browser | None = None,
    prepare: str = "",
    prepare_arg: Any = None,
) -> bytes:
    """Load `url` (the built site, on 127.0.0.1 or file://), print it with the print stylesheet."""
    if browser is None:
        with chromium() as own:
            return url_to_pdf(url, paper, when, own, prepare, prepare_arg)
    page = browser.new_page()
    try:
        response = page.goto(url, wait_until="load")
        if response is not None and not response.ok:
            raise PdfError(f"{url} answered {response.status}; is the page in the built site?")
        page.emulate_media(media="print")
        if prepare:
            page.evaluate(prepare, prepare_arg)
        return fix_dates(_print(page, paper, css_size=False), when)
    finally:
        page.close()
