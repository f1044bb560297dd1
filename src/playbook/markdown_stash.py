"""HTML that macros put into a page after Markdown has run, so Markdown never parses it.

A macro calls `stash(html, page)` and writes the short token it returns into the page's Markdown
instead of the HTML: `pbx`, eight hex digits, `x`, letters and digits only, which Markdown, abbr,
attr_list, toc and smarty leave alone. This module is also a Python-Markdown extension
(`playbook.markdown_stash` under `markdown_extensions`): its postprocessor, which runs after
Markdown's own raw-HTML postprocessor, swaps every token for its HTML. As Markdown does with its
own raw HTML, a token alone in a paragraph whose HTML starts with a block-level tag replaces the
whole `<p>...</p>`, followed by a line end as Markdown keeps one after an HTML block (write such a
token on its own line, with blank lines around it); any other token is replaced where it stands
(in a sentence, a table cell, a heading, link text).

Why: Python-Markdown re-parses HTML it is given (inline HTML tag by tag, HTML blocks with
`html.parser` under md_in_html), which cost about 2 s per 1,000 pages (BENCHMARKS.md). Why an
extension and not an MkDocs event: any tool that runs Python-Markdown extensions and the macros
module (MkDocs, Zensical) builds the same HTML from it.

Toc entries and MkDocs' page titles run Markdown's postprocessors on a heading's HTML, so a token
in a heading is swapped there too and never reaches an id, the table of contents or the search
index. A token with no HTML registered in this process (Markdown kept from an earlier build, a
mistyped token) and a token inside a tag (an attribute value) fail the build, naming the page.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from mkdocs.exceptions import PluginError

TOKEN = re.compile(r"pbx[0-9a-f]{8}x")
_WRAPPED = re.compile(r"<p>(pbx[0-9a-f]{8}x)</p>|(pbx[0-9a-f]{8}x)")
_FIRST_TAG = re.compile(r"^</?([^ >]+)")

_table: dict[str, tuple[str, str]] = {}  # token -> (HTML, page that put it there)
_numbers = itertools.count()  # never reused in a process: a stale token is unknown, never wrong
_page = ""  # the page the macros rendered last, named when an unknown token turns up


class StashError(PluginError):
    """A token was left in the HTML or put where HTML cannot go; says which page and why."""


def reset() -> None:
    """Forget every token (at the start of a build: the macros' `register`)."""
    _table.clear()


def begin_page(page: str) -> None:
    """Note the page whose Markdown comes next (for error messages)."""
    global _page
    _page = page


def stash(html: str, page: str) -> str:
    """The token that stands for `html` in the Markdown of `page` (its source path)."""
    token = f"pbx{next(_numbers):08x}x"
    _table[token] = (html, page)
    return token


def unreplaced(text: str) -> list[str]:
    """The tokens in `text` (built HTML, a search index): each is a bug, since none should stay."""
    return TOKEN.findall(text)


class StashPostprocessor(Postprocessor):
    """Swaps each token in Markdown's output for the HTML registered for it."""

    def run(self, text: str) -> str:
        if "pbx" not in text:
            return text

        def swap(match: re.Match[str]) -> str:
            token = match.group(1) or match.group(2)
            found = _table.get(token)
            if found is None:
                raise StashError(
                    f"Doc file '{_page}': the HTML holds '{token}', a macro's placeholder that no "
                    "macro registered in this build (Markdown kept from an earlier build, or the "
                    "token typed by hand). Rebuild; if it stays, remove the token from the page."
                )
            html, page = found
            inside = text.rfind("<", 0, match.start()) > text.rfind(">", 0, match.start())
            if inside:
                raise StashError(
                    f"Doc file '{page}': a macro's HTML ('{token}') sits inside an HTML tag (an "
                    "attribute value such as a link title or `{ title=... }`). Call the macro in "
                    "the text, not in an attribute."
                )
            if not match.group(1):
                return html
            # Alone in a paragraph: as Markdown puts back an HTML block (with its line end).
            return html + "\n" if _block_level(self.md, html) else f"<p>{html}</p>"

        return _WRAPPED.sub(swap, text)


def _block_level(md: Markdown, html: str) -> bool:
    """Markdown's own test (RawHtmlPostprocessor.isblocklevel): does `html` start a block?"""
    found = _FIRST_TAG.match(html)
    if found is None:
        return False
    return found.group(1)[0] in "!?@%" or md.is_block_level(found.group(1))


class StashExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Below Markdown's raw_html (30), so a token inside raw HTML is back in the text by then.
        md.postprocessors.register(StashPostprocessor(md), "playbook_stash", 24)


def makeExtension(**kwargs: Any) -> StashExtension:
    return StashExtension(**kwargs)
