"""Escape the front-matter values Material prints into every page as they are.

Material's templates print a page's `title` (in the header, the <title> and the navigation of
every page), `description` and `author` without escaping (MkDocs' Jinja has no autoescape). After
macros and the playbook plugin have read the page, these become escaped `Markup`, so a `<script>`
in front matter is shown as text. The playbook's own fields (`owner`, dates) are escaped by
`overrides/main.html` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import escape
from mkdocs.plugins import event_priority

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

PRINTED_RAW = ("title", "description", "author")


@event_priority(-100)  # after every plugin has read the page's own values
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    for key in PRINTED_RAW:
        if key in page.meta and page.meta[key] is not None:
            page.meta[key] = escape(str(page.meta[key]))
    return markdown
