"""Material's search is shown a lighter copy of each page (playbook.search_view): same index."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import markdown
import pytest
from material.plugins.search.plugin import SearchIndex
from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc

from playbook import render, search_view
from playbook.buildstate import BuildState
from playbook.data import Catalog, Stat
from playbook.plugin import PlaybookPlugin

STAT = Stat.model_validate(
    {
        "id": "execs-on-linkedin",
        "brief_id": "ST-S02",
        "claim": "Executives who use LinkedIn",
        "value": "92",
        "amount": 92,
        "unit": "percent",
        "population": "executives",
        "year": 2010,
        "source": {
            "title": "How & why",
            "publisher": "WAW",
            "url": "https://example.org/a?b=1&c=2",
        },
        "verification": {"status": "unverified", "by": "A blog <post>"},
    }
)


def _page(figure: str) -> tuple[str, list, str]:
    """A page as MkDocs renders it: figures in the text, the source list at the end."""
    listed: list[str] = []
    sources = render.source_list([(1, STAT)], lambda html: listed.append(html) or html)
    text = (
        "# Budgets\n\nOpening.\n\n## Why it matters { #why }\n\n"
        f"Most leaders are there: {figure}, and {figure} again.\n\n"
        f"- A list item with {figure}\n\n## A heading with {figure} {{ #more }}\n\nLast words."
        + sources
    )
    md = markdown.Markdown(
        extensions=["attr_list", "toc"], extension_configs={"toc": {"permalink": True}}
    )
    return md.convert(text), get_toc(md.toc_tokens), listed[0]


def _index(content: str, toc) -> list[dict]:
    index = SearchIndex()
    index.add_entry_from_context(
        SimpleNamespace(content=content, toc=toc, url="p/", meta={}, title="T")
    )
    return index.entries


def test_search_indexes_the_same_text_from_the_lighter_page():
    # A figure as stat() makes it: the unverified caveat, the older-data label, a glossary term.
    figure = render.abbreviate(render.stat_inline(STAT, 1, 2015), {"data": "Facts & figures"})
    assert "<abbr" in figure and "pb-old" in figure and "pb-unverified" in figure
    full, toc, source_list = _page(figure)
    indexed = search_view.indexed_text(figure)
    view = search_view.for_search(full, {figure: indexed}, source_list)

    assert "pb-stat" not in view and "pb-sources" not in view and "sources-cited" not in view
    assert len(view) < len(full) * 0.6
    entries = _index(full, toc)
    assert _index(view, toc) == entries
    assert [e["location"] for e in entries] == ["p/", "p/#why", "p/#more"]  # no source list
    assert (
        "92% (2010) older data (reported by A blog &lt;post&gt;, not independently confirmed)<sup>[1]</sup>"
        in entries[1]["text"]
    )


def test_a_page_without_our_markup_is_left_as_it_is():
    full, _toc, _ = _page("ninety-two percent")
    assert search_view.for_search(full, {}, None) is full
    assert search_view.for_search(full, {"<span>x</span>": "x"}, "<ol>not here</ol>") == full


def test_the_page_comes_back_as_search_left_it():
    full = '<p data-search-exclude="yes">A</p><span class="pb-stat">B</span>'
    view = '<p data-search-exclude="yes">A</p>B'
    assert search_view.after_search("a.md", full, view, view) is full
    # Material's search removes data-search-* attributes: so from the whole page too.
    after = search_view.after_search("a.md", full, view, "<p>A</p>B")
    assert after == '<p>A</p><span class="pb-stat">B</span>'
    with pytest.raises(PluginError, match=r"Doc file 'a\.md': another plugin changed the page"):
        search_view.after_search("a.md", full, view, "<p>A</p>B and more")


def test_the_built_index_has_figures_as_text_and_no_source_lists(built_site):
    index = json.loads((built_site.site_dir / "search" / "search_index.json").read_text("utf-8"))
    docs = index["docs"]
    assert not [d["location"] for d in docs if "sources-cited" in d["location"]]
    assert not [d["location"] for d in docs if "pb-stat" in d["text"] or "pb-cite" in d["text"]]
    with_figures = [d for d in docs if "<sup>[1]</sup>" in d["text"]]
    assert len(with_figures) > 10
    # The pages themselves keep their figures and source lists.
    html = (built_site.site_dir / "chapters" / "value-and-roi" / "index.html").read_text("utf-8")
    assert 'class="pb-stat"' in html and '<ol class="pb-sources"' in html
    assert 'id="sources-cited"' in html


def test_the_plugin_swaps_the_page_for_search_and_back_unless_told_not_to(tmp_path):
    plugin = PlaybookPlugin()
    errors, _warnings = plugin.load_config({"data_dir": str(tmp_path)})
    assert not errors
    figure = '<span class="pb-stat"><strong>9%</strong><sup class="pb-cite"><a>[1]</a></sup></span>'
    plugin.state = BuildState(
        catalog=Catalog(),
        today=date(2026, 12, 3),
        old_before=2015,
        figures={"a.md": {figure: "9%<sup>[1]</sup>"}},
    )
    full = f"<p>Up {figure}.</p>"
    page = SimpleNamespace(file=SimpleNamespace(src_path="a.md"), content=full)
    plugin._show_search_text({}, page, None, None)
    assert page.content == "<p>Up 9%<sup>[1]</sup>.</p>"  # what Material's search reads
    plugin._show_page({}, page, None, None)
    assert page.content is full
    plugin.config.search_view = False
    plugin._show_search_text({}, page, None, None)
    assert page.content is full
