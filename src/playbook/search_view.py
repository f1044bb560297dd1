"""The page Material's search indexes: each figure as its indexed text, no source list.

Material's search plugin parses every page's HTML with Python's `html.parser` in its
`on_page_context` and keeps text, headings and a few bare tags (`KEPT`). A figure from `stat()`
is five or more elements whose indexed text is only `65% (2015)<sup>[1]</sup>`, and the source
list at the end of a page is parsed only to be excluded (`data-search-exclude` on its heading
and list). Both took about a sixth of the indexer's time (bench/results/build_scale.md).

`playbook.plugin` hands the indexer `for_search(page)` just before Material's handler runs, and
puts the whole page back just after it (`after_search`). The index is the same either way: a
test feeds both to Material's parser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from mkdocs.exceptions import PluginError

from playbook.render import SOURCES_ID

# material.plugins.search.plugin.Parser.keep: the tags the index keeps (without attributes).
KEPT = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))
# What Material's search removes from each page after indexing it (SearchPlugin.on_page_context).
SEARCH_ATTRS = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
SOURCES_HEADING = f'id="{SOURCES_ID}"'  # the source list's heading (playbook.render)

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")


def indexed_text(html: str) -> str:
    """Our own inline HTML (a figure) as the index reads it: its text and the kept tags, bare.

    `html` must be markup whose attribute values are escaped (no `>` inside a tag), as ours is."""
    return _TAG.sub(lambda m: f"<{m[1]}{m[2]}>" if m[2] in KEPT else "", html)


def for_search(content: str, figures: Mapping[str, str], source_list: str | None) -> str:
    """`content` with each figure's HTML swapped for its indexed text and the source list (its
    heading and `<ol>`, excluded from the index anyway) left out. Unchanged if none is found."""
    for html, text in figures.items():
        content = content.replace(html, text)
    if source_list:
        end = content.rfind(source_list)
        heading = content.rfind(SOURCES_HEADING, 0, end) if end >= 0 else -1
        start = content.rfind("<h2", 0, heading) if heading >= 0 else -1
        if start >= 0:
            content = content[:start] + content[end + len(source_list) :]
    return content


def after_search(src: str, full: str, given: str, indexed: str) -> str:
    """The page to render once search has indexed `given` (for `full`) and left `indexed`.

    Material's search only removes `data-search-*="..."` attributes from the page; the same is done
    to `full`. Any other change (another plugin editing the page while search runs) would be lost
    with the view, so it fails the build instead."""
    if indexed == given:
        return full
    if indexed == SEARCH_ATTRS.sub("", given):
        return SEARCH_ATTRS.sub("", full)
    raise PluginError(
        f"Doc file '{src}': another plugin changed the page while Material's search indexed it "
        "(an on_page_context handler at priority 0), while the playbook plugin showed search a "
        "lighter copy of the page. Set `search_view: false` under the playbook plugin in "
        "mkdocs.yml, or give that handler a priority above 1 or below -1 "
        "(mkdocs.plugins.event_priority) if it is your own."
    )
